import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * AUTH-15 in a real browser: the built server with the development SMS outbox, an administrator who
 * creates a user with a (synthetic) mobile number, and that user signing in with a text-message code
 * read from the administrator's "SMS outbox" page.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'apps', 'server', 'bin', 'medledger.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Synthetic test number from the 1340000xxxx block.
const PHONE = '13400000009';
const ADMIN_PASSWORD = 'correct horse battery staple 医疗';
const USER_PASSWORD = 'violet harbour lantern 晨光 tide';

let child: ChildProcess;
let cwd: string;
let base: string;
let output = '';
let browser: Browser;

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
  cwd = mkdtempSync(path.join(tmpdir(), 'medledger-e2e-sms-'));
  const port = await freePort();
  base = `https://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MEDLEDGER_')) env[k] = v;
  env.MEDLEDGER_HTTPS_PORT = String(port);
  env.MEDLEDGER_LOG_LEVEL = 'warn';
  env.MEDLEDGER_SMS_PROVIDER = 'outbox';
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
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(cwd, { recursive: true, force: true });
});

async function json<T>(response: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** The first administrator (set up through the API; the shell test covers the screens) and a new user. */
async function administratorWithUser(): Promise<BrowserContext> {
  const token = /setup#token=([A-Za-z0-9_-]{43})/.exec(output)?.[1];
  expect(token).toBeDefined();
  const admin = await browser.newContext({ ignoreHTTPSErrors: true });
  await admin.addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
  const api = admin.request;
  await json(
    await api.post(`${base}/api/v1/setup/admin`, {
      data: { token, login: 'qa.zhang', name: '张卫国', password: ADMIN_PASSWORD },
    }),
  );
  const { secret } = await json<{ secret: string }>(await api.post(`${base}/api/v1/auth/totp/enrol/start`));
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  await json(await api.post(`${base}/api/v1/auth/totp/enrol/confirm`, { data: { code: totp.generate() } }));
  const created = await json<{ link: { token: string } }>(
    await api.post(`${base}/api/v1/users`, {
      data: {
        login: 'li.na',
        name: '李娜',
        phone: PHONE,
        email: null,
        organisation: null,
        employmentEndsOn: null,
      },
    }),
  );
  await json(
    await browser.newContext({ ignoreHTTPSErrors: true }).then((c) =>
      c.request.post(`${base}/api/v1/password-link/use`, {
        data: { token: created.link.token, password: USER_PASSWORD },
      }),
    ),
  );
  return admin;
}

/** The newest code on the administrator's development outbox page. */
async function codeFromOutboxPage(admin: BrowserContext): Promise<string> {
  const page = admin.pages()[0] ?? (await admin.newPage());
  await page.goto(`${base}/dev/sms-outbox`);
  await page.getByRole('heading', { name: 'SMS outbox (development)' }).waitFor();
  await page.getByText('134****0009').first().waitFor();
  const text = (await page.locator('.ant-table-tbody tr').first().textContent()) ?? '';
  const code = /(\d{6})/.exec(text.replace('134****0009', ''))?.[1];
  expect(code).toBeDefined();
  return code!;
}

describe('AUTH-15 text-message codes in a real browser', () => {
  test('AUTH-15 the outbox provider is announced loudly on start', () => {
    expect(output).toMatch(/WARNING: MEDLEDGER_SMS_PROVIDER=outbox/);
  });

  test('AUTH-11 AUTH-15 a user chooses SMS, confirms the number with the code from the outbox, and the next sign-in asks for an SMS code', async () => {
    const admin = await administratorWithUser();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    await page.goto(`${base}/login`);
    await page.getByLabel('Login').fill('li.na');
    await page.getByLabel('Password').fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/enrol-totp');
    // Chromium can use passkeys, so the three choices are offered first.
    await page.getByRole('button', { name: 'Use text messages' }).click();
    await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
    await page.getByText(/the number on record, 134\*\*\*\*0009/).waitFor();
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('Code sent to 134****0009').waitFor();
    await page.getByRole('button', { name: /Send again \(\d+ s\)/ }).waitFor();

    const code = await codeFromOutboxPage(admin);
    await page.getByLabel('Text-message code').fill(code);
    await page.getByRole('button', { name: 'Confirm the number and finish' }).click();
    await page.getByRole('heading', { name: 'Text-message codes are set up' }).waitFor();
    await page.getByText('I have stored the recovery codes safely').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Welcome, 李娜').waitFor();

    // Signing in again asks for a text-message code; the 60-second resend cooldown is still running.
    await page.getByTitle('User menu').click();
    await page.getByText('Sign out').click();
    await page.waitForURL('**/login');
    await page.getByLabel('Login').fill('li.na');
    await page.getByLabel('Password').fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(/the number on record, 134\*\*\*\*0009/).waitFor();
    expect(await page.getByRole('button', { name: /Send again \(\d+ s\)/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cannot receive the text message? Use a recovery code' }).waitFor();

    expect(consoleErrors).toEqual([]);
    await context.close();
    await admin.close();
  });
});
