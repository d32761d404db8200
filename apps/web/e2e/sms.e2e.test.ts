import { type APIRequestContext, type Browser, type BrowserContext } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, startMedLedger, type E2eServer } from './support';

/**
 * AUTH-15 in a real browser: the built server with the development SMS outbox, an administrator who
 * creates a user with a (synthetic) mobile number, and that user signing in with a text-message code
 * read from the administrator's "SMS outbox" page.
 */
// Synthetic test number from the 1340000xxxx block.
const PHONE = '13400000009';
const ADMIN_PASSWORD = 'correct horse battery staple 医疗';
const USER_PASSWORD = 'violet harbour lantern 晨光 tide';
let base: string;
let server: E2eServer;
let browser: Browser;
/** The administrator's authenticator (set up by the SMS test), for the new-device sign-in below. */
let adminTotp: TOTP | undefined;
/** The server's port and what it printed, for the tests below. */
let port: number;
const output = () => server.output();

beforeAll(async () => {
  server = await startMedLedger({ MEDLEDGER_SMS_PROVIDER: 'outbox' });
  port = server.port;
  base = `https://localhost:${port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function json<T>(response: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** The first administrator (set up through the API; the shell test covers the screens) and a new user. */
async function administratorWithUser(): Promise<BrowserContext> {
  const token = /setup#token=([A-Za-z0-9_-]{43})/.exec(output())?.[1];
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
  adminTotp = totp;
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

describe('AUTH-15 TRN-03 text-message codes in a real browser', () => {
  test('AUTH-15 the outbox provider is announced loudly on start', () => {
    expect(output()).toMatch(/WARNING: MEDLEDGER_SMS_PROVIDER=outbox/);
  });

  test('TRN-03 AUTH-11 AUTH-15 a user chooses SMS, acknowledges the risk notice, confirms the number with the code from the outbox, and the next sign-in asks for an SMS code', async () => {
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
    // TRN-03 / D2: the risk notice comes first; nothing is sent until it is acknowledged.
    const notice = page.getByRole('region', { name: 'Before you choose text-message codes, read this' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/intercepted or redirected.*SIM swap.*phishing/s);
    expect(await notice.textContent()).toContain('A passkey or an authenticator app is stronger');
    expect(await notice.textContent()).toContain('MedLedger never asks for it by phone');
    await notice.getByRole('button', { name: 'Use an authenticator app instead' }).waitFor();
    await notice.getByRole('button', { name: 'Set up a passkey instead' }).waitFor();
    const send = page.getByRole('button', { name: 'Send code' });
    expect(await send.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Confirm the number and finish' }).isDisabled()).toBe(true);
    await page.getByText('Tick the box to confirm you have read the notice; then a code can be sent.').waitFor();
    const acknowledge = page.getByRole('checkbox', {
      name: 'I have read this notice and understand the risks of text-message codes',
    });
    await acknowledge.check();
    expect(await acknowledge.isChecked()).toBe(true);
    const sentRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/mfa/sms/send'));
    await send.click();
    expect((await sentRequest).postDataJSON()).toEqual({ smsRiskAcknowledged: true });
    await page.getByText('Code sent to 134****0009').waitFor();
    await page.getByRole('button', { name: /Send again \(\d+ s\)/ }).waitFor();

    const code = await codeFromOutboxPage(admin);
    await page.getByLabel('Text-message code', { exact: true }).fill(code);
    const confirmRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/sms/enrol/confirm'));
    await page.getByRole('button', { name: 'Confirm the number and finish' }).click();
    expect((await confirmRequest).postDataJSON()).toEqual({ code, smsRiskAcknowledged: true });
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

  test('TRN-03 AUTH-20 right after a sign-in from a new device the shell warns about it with the phishing advice; dismissing it marks it read', async () => {
    expect(adminTotp, 'the administrator is set up by the test above').toBeDefined();
    // Another browser: the same address, a user agent this account has not signed in from.
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    });
    await context.addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${base}/login`);
    await page.getByLabel('Login').fill('qa.zhang');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Code', { exact: true }).fill(adminTotp!.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    const notice = page.getByTestId('new-device-notice');
    await notice.getByText('Your account was just signed in from a new device').waitFor();
    await notice.getByText('Chrome 131 on Windows').waitFor();
    await notice.getByText('127.0.0.1').waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('If this was not you, change your password now and end all other sessions.');
    expect(text).toContain(`the browser's address bar shows your company's MedLedger address: ${base}`);
    expect(text).toContain('MedLedger never asks for codes or passwords by phone');
    await notice.getByRole('button', { name: 'Go to account security' }).waitFor();

    const dismissed = page.waitForResponse((r) => /\/api\/v1\/auth\/notifications\/[^/]+\/dismiss$/.test(r.url()));
    await notice.getByRole('button', { name: 'It was me, dismiss' }).click();
    expect((await dismissed).status()).toBe(200);
    await notice.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByText('Welcome, 张卫国').waitFor();
    expect(await page.getByTestId('new-device-notice').count()).toBe(0);

    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
