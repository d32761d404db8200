import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * What every browser test shares: the built `medledger` binary started with no configuration in an
 * empty folder (only the port and the settings a test names), and Debian's Chromium over HTTPS on
 * localhost.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'apps', 'server', 'bin', 'medledger.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type E2eServer = {
  port: number;
  /** The data folder the server was started in. */
  cwd: string;
  /** Everything the server printed so far. */
  output: () => string;
  /** The one-time setup link printed at start-up. */
  setupLink: () => string;
  stop: () => Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Starts `medledger serve` and waits for its setup link. `env` adds MEDLEDGER_* settings. */
export async function startMedLedger(env: Record<string, string> = {}): Promise<E2eServer> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'medledger-e2e-'));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MEDLEDGER_')) childEnv[k] = v;
  Object.assign(childEnv, { MEDLEDGER_HTTPS_PORT: String(port), MEDLEDGER_LOG_LEVEL: 'warn' }, env);
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/setup#token=/.test(output)) {
    if (child.exitCode !== null) throw new Error(`medledger serve exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`medledger serve did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    cwd,
    output: () => output,
    setupLink: () => {
      const link = /https:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]{43}/.exec(output)?.[0];
      if (link === undefined) throw new Error(`no setup link in:\n${output}`);
      return link;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** The databases a browser test runs on: always the embedded SQLite, PostgreSQL when a server is given. */
export type E2eDatabase = 'sqlite' | 'postgres';

/**
 * The databases available here: SQLite, plus PostgreSQL when `npm test` named a server in
 * MEDLEDGER_TEST_DATABASE_URL. Where PostgreSQL is required (MEDLEDGER_REQUIRE_POSTGRES=1, CI), its
 * absence is an error rather than a silent skip.
 */
export function e2eDatabases(): E2eDatabase[] {
  const url = process.env.MEDLEDGER_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') return ['sqlite', 'postgres'];
  if (process.env.MEDLEDGER_REQUIRE_POSTGRES === '1') {
    throw new Error('MEDLEDGER_TEST_DATABASE_URL is not set but PostgreSQL is required (MEDLEDGER_REQUIRE_POSTGRES=1)');
  }
  return ['sqlite'];
}

/**
 * The settings that point `medledger serve` at the database: nothing for SQLite (the embedded
 * default in the data folder), or a new empty database on the test PostgreSQL server, dropped by
 * `drop` after the server stopped.
 */
export async function e2eDatabaseSettings(
  database: E2eDatabase,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (database === 'sqlite') return { env: {}, drop: () => Promise.resolve() };
  const adminUrl = process.env.MEDLEDGER_TEST_DATABASE_URL ?? '';
  const name = `medledger_e2e_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { MEDLEDGER_DATABASE_URL: url.toString() },
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type Watched = { page: Page; violations: () => Promise<string[]>; consoleErrors: string[] };

/** A fresh browser context and page that records CSP violations and console errors. */
export async function openPage(browser: Browser): Promise<Watched> {
  // The certificate is the server's own self-signed one; the browser is told to accept it.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return {
    page,
    consoleErrors,
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/** The first administrator's password in the browser tests (synthetic). */
export const ADMIN_PASSWORD = 'correct horse battery staple 医疗';

/**
 * The first administrator through the screens, in English: setup link → account → authenticator
 * app → recovery codes → home. Returns the authenticator (codes are computed in the test).
 */
export async function firstAdminInBrowser(page: Page, setupLink: string): Promise<TOTP> {
  await page.context().addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
  await page.goto(setupLink);
  await page.getByRole('button', { name: 'Create the administrator account' }).waitFor();
  // The page drops the token from the address bar as soon as it has read it.
  if (page.url().includes('token=')) throw new Error(`the setup token stayed in the address bar: ${page.url()}`);
  await page.getByLabel('Login').fill('qa.zhang');
  await page.getByLabel('Name').fill('张卫国');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel('Confirm the password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Create the administrator account' }).click();
  await page.waitForURL('**/enrol-totp');
  await page.getByRole('button', { name: 'Use an authenticator app' }).click();
  const secretText = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretText.replace(/\s/g, '')),
  });
  await page.getByLabel('Code', { exact: true }).fill(totp.generate());
  await page.getByRole('button', { name: 'Finish set-up' }).click();
  await page.getByText('Store your recovery codes').waitFor();
  await page.getByText('I have stored the recovery codes safely').click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return totp;
}
