import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SECURITY_BASICS } from '../../server/migrations/training-seed-data.js';

/**
 * The training centre in a real browser: the built `medledger` binary started with no configuration
 * in an empty folder, the first administrator, and the shipped security course taken end to end.
 * The test knows the right answers from the seed data module, never from the API.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'apps', 'server', 'bin', 'medledger.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let child: ChildProcess;
let cwd: string;
let port: number;
let output = '';
let browser: Browser;
let admin: Page | undefined;

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

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'medledger-e2e-'));
  port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MEDLEDGER_')) env[k] = v;
  env.MEDLEDGER_HTTPS_PORT = String(port);
  env.MEDLEDGER_LOG_LEVEL = 'warn';
  child = spawn(process.execPath, [BIN, 'serve'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/setup#token=/.test(output)) {
    if (child.exitCode !== null) throw new Error(`medledger serve exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`medledger serve did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
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
});

afterAll(async () => {
  await admin?.context().close();
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(cwd, { recursive: true, force: true });
});

type Watched = { page: Page; violations: () => Promise<string[]>; consoleErrors: string[] };

async function openPage(): Promise<Watched> {
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

describe('training centre in a real browser', () => {
  test('TRN-01 the first administrator takes security-basics, passes with the right answers and sees the certificate', async () => {
    const link = /https:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]{43}/.exec(output)?.[0];
    expect(link).toBeDefined();
    const { page, violations, consoleErrors } = await openPage();
    await page.context().addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
    await page.goto(link!);
    const password = 'correct horse battery staple 医疗';
    await page.getByLabel('Login').fill('qa.zhang');
    await page.getByLabel('Name').fill('张卫国');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm the password').fill(password);
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
    await page.getByText('I have stored the recovery codes safely').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    admin = page;

    await page.getByRole('menuitem', { name: 'Training' }).click();
    await page.getByRole('heading', { name: 'Training centre' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(SECURITY_BASICS.titleEn) });
    await row.getByText('Not started').waitFor();
    await row.getByRole('button', { name: 'Study and take the quiz' }).click();
    await page.getByRole('heading', { name: SECURITY_BASICS.titleEn }).waitFor();
    await page.getByRole('heading', { name: '1. Strong authentication and multi-factor authentication' }).waitFor();

    for (const [i, q] of SECURITY_BASICS.questions.entries()) {
      const group = page.getByRole('group', { name: `${i + 1}. ${q.promptEn}` });
      for (const id of q.correct) {
        const option = q.options.find((o) => o.id === id)!;
        await group.getByLabel(option.textEn, { exact: true }).check();
      }
    }
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByText(/^Passed: 100% \(10 of 10 right\)/).waitFor();
    await page.getByRole('button', { name: 'View certificates' }).click();
    await page.waitForURL('**/training/certificates');
    const certificate = page.getByTestId('certificate');
    await certificate.getByText('Training certificate').waitFor();
    expect(await certificate.textContent()).toContain(
      `张卫国 (qa.zhang) has studied the course "${SECURITY_BASICS.titleEn}", version 1, and passed its quiz with 100%.`,
    );

    // Back in the list the course is current for a year.
    await page.getByRole('menuitem', { name: 'Training' }).click();
    await page
      .getByRole('row', { name: new RegExp(SECURITY_BASICS.titleEn) })
      .getByText(/^Current until /)
      .waitFor();
    expect(await violations()).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
