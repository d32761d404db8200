import { existsSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import path from 'node:path';
import { type Browser, type Page, type Response } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ADMIN_PASSWORD,
  firstAdminInBrowser,
  launchChromium,
  openPage,
  startMedLedger,
  type E2eServer,
} from './support';

/**
 * The real thing: the built `medledger` binary started with no configuration in an empty folder,
 * and Debian's Chromium talking to it over HTTPS on localhost.
 */
/** The first administrator's signed-in page, shared by the user-administration tests. */
let admin: Page | undefined;
let server: E2eServer;
let browser: Browser;
/** The server's port and what it printed, for the tests below. */
let port: number;
const output = () => server.output();

beforeAll(async () => {
  server = await startMedLedger();
  port = server.port;
  browser = await launchChromium();
});

afterAll(async () => {
  await admin?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('first start and the web shell in a real browser', () => {
  test('first start with no configuration creates the data directory, WAL database, TLS material and prints a setup link', () => {
    const data = path.join(server.cwd, 'data');
    expect(existsSync(path.join(data, 'medledger.sqlite'))).toBe(true);
    expect(existsSync(path.join(data, 'medledger.sqlite-wal'))).toBe(true);
    expect(statSync(path.join(data, 'tls', 'localhost-key.pem')).mode & 0o077).toBe(0);
    expect(output()).toContain(`https://localhost:${port}`);
    expect(output()).toContain(data);
    expect(output()).toMatch(new RegExp(`https://localhost:${port}/setup#token=[A-Za-z0-9_-]{43}`));
  });

  test('CFG-02 the login page opens in Chinese, switches to English and remembers it, with the CSP and no violation', async () => {
    const { page, violations, consoleErrors } = await openPage(browser);
    const response = await page.goto(`https://localhost:${port}/`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-inline');

    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // A wrong sign-in is refused with the one generic message (AUTH-10).
    await page.getByLabel('Login').fill('zhang.wei');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByText(/login or password is incorrect/i)
      .first()
      .waitFor();

    expect(await violations()).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(JSON.parse(stored)).toEqual({ 'medledger.lang': 'en' });
    await page.context().close();
  });

  test('AUTH-01 AUTH-13 first administrator from the setup link, authenticator enrolment, sign-out, sign-in with password and TOTP', async () => {
    const link = /https:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]{43}/.exec(output())?.[0];
    expect(link).toBeDefined();
    const { page, violations, consoleErrors } = await openPage(browser);
    const totp = await firstAdminInBrowser(page, link!);
    const password = ADMIN_PASSWORD;

    // Sign out, then sign in again with the password and the next authenticator code.
    await page.getByTitle('User menu').click();
    await page.getByText('Sign out').click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Login').fill('qa.zhang');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Code', { exact: true }).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    expect(await violations()).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    // The administrator stays signed in for the user-administration tests below.
    admin = page;
  });

  test('AUTH-18 SESS-06 the administrator creates a user; the user sets the password from the link, enrols and signs in; disabling ends the session', async () => {
    expect(admin).toBeDefined();
    await admin!.goto(`https://localhost:${port}/users`);
    await admin!.getByRole('button', { name: /New user/ }).click();
    const drawer = admin!.getByRole('dialog');
    await drawer.getByLabel('Login').fill('ward.li');
    await drawer.getByLabel('Name').fill('李晓梅');
    await drawer.getByLabel('Mobile').fill('13400000017');
    await drawer.getByRole('button', { name: 'Create' }).click();
    const link = await admin!.getByTestId('password-link').inputValue();
    expect(link).toMatch(new RegExp(`^https://localhost:${port}/set-password#token=[A-Za-z0-9_-]{43}$`));
    await admin!.keyboard.press('Escape');
    await admin!.getByRole('cell', { name: '134****0017' }).waitFor();

    const { page, violations } = await openPage(browser);
    await page.context().addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
    await page.goto(link);
    await page.getByText('Set the password of 李晓梅 (ward.li)').waitFor();
    expect(page.url()).not.toContain('token=');
    const password = 'lantern orchard 七彩 river';
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Confirm the new password').fill(password);
    await page.getByRole('button', { name: 'Save the password' }).click();
    await page.getByText('Your password is set').waitFor();
    await page.getByRole('button', { name: 'Go to sign in' }).click();
    await page.getByLabel('Login').fill('ward.li');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
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
    await page.goto(`https://localhost:${port}/security`);
    await page.getByText('Authenticator app').first().waitFor();
    await page.getByText('10 unused').waitFor();

    // The administrator disables the account: the user's next request finds the session gone.
    await admin!.reload();
    await admin!.getByRole('button', { name: 'Actions for ward.li' }).click();
    await admin!.getByRole('menuitem', { name: 'Disable' }).click();
    await admin!.getByLabel('Reason').fill('调岗');
    await admin!.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await admin!.getByText('ward.li is disabled; their sessions have ended.').waitFor();
    await page.reload();
    await page.waitForURL('**/login');
    await page.getByText(/Your session has ended/).waitFor();
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  test('CSRF a form and a script on another origin cannot act with the administrator’s session', async () => {
    expect(admin).toBeDefined();
    const target = `https://localhost:${port}/api/v1/users`;
    const evil = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="POST" action="${target}" enctype="text/plain">
        <input name='{"login":"evil.user","name":"x","phone":null,"email":null,"organisation":null,"employmentEndsOn":null,"x":"' value='"}'>
        </form><script>
        fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ login: 'evil.fetch', name: 'x', phone: null, email: null, organisation: null, employmentEndsOn: null }) })
          .catch(() => undefined).finally(() => document.getElementById('f').submit());
        </script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilPort = (evil.address() as { port: number }).port;
    try {
      const refused: { status: number; code: string }[] = [];
      const seen = (r: Response) => {
        if (r.url() !== target || r.request().method() !== 'POST') return;
        void r
          .json()
          .then((b: { code: string }) => refused.push({ status: r.status(), code: b.code }))
          .catch(() => refused.push({ status: r.status(), code: 'unreadable' }));
      };
      admin!.on('response', seen);
      await admin!.goto(`http://127.0.0.1:${evilPort}/`);
      // The form's POST ends on the API's answer page.
      await admin!.waitForURL(target);
      await expect.poll(() => refused.length).toBeGreaterThanOrEqual(1);
      admin!.off('response', seen);
      for (const r of refused) expect(r).toEqual({ status: 403, code: 'cross_origin_rejected' });
      await admin!.goto(`https://localhost:${port}/users`);
      const list = await admin!.request.get(`https://localhost:${port}/api/v1/users?q=evil`);
      expect(list.status()).toBe(200);
      expect(((await list.json()) as { total: number }).total).toBe(0);
    } finally {
      evil.close();
    }
  });

  test('unknown pages show the not-found page; unknown API paths answer JSON 404', async () => {
    const { page, violations } = await openPage(browser);
    await page.goto(`https://localhost:${port}/no/such/page`);
    await page.getByText('404').first().waitFor();
    const api = await page.request.get(`https://localhost:${port}/api/v1/nothing`);
    expect(api.status()).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('not_found');
    expect(await violations()).toEqual([]);
    await page.context().close();
  });
});
