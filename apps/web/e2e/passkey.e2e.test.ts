import { type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, startMedLedger, type E2eServer } from './support';

/**
 * Passkeys end to end: the built `medledger` binary on HTTPS at https://localhost:PORT (a host
 * name: an IP address cannot be a WebAuthn RP ID), Debian's Chromium, and Chromium's virtual
 * authenticator (CTAP2, built-in, resident keys, user verification) driven over CDP.
 */
const PASSWORD = 'correct horse battery staple 医疗';
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
  await browser?.close();
  await server?.stop();
});

type Watched = { page: Page; cdp: CDPSession; authenticatorId: string; violations: () => Promise<string[]> };

/** A page in English with a virtual platform authenticator (fingerprint reader) attached. */
async function openPageWithAuthenticator(): Promise<Watched> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addInitScript(() => {
    localStorage.setItem('medledger.lang', 'en');
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    page,
    cdp,
    authenticatorId,
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

async function signOut(page: Page) {
  await page.getByTitle('User menu').click();
  await page.getByText('Sign out').click();
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

describe('passkeys in a real browser', () => {
  test('AUTH-16 AUTH-17 AUTH-11 the first administrator enrols a passkey instead of TOTP, then signs in with it alone; without user verification the sign-in fails with advice', async () => {
    const link = /https:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]{43}/.exec(output())?.[0];
    expect(link).toBeDefined();
    const { page, cdp, authenticatorId, violations } = await openPageWithAuthenticator();
    await page.goto(link!);
    await page.getByRole('button', { name: 'Create the administrator account' }).waitFor();
    await page.getByLabel('Login').fill('qa.zhang');
    await page.getByLabel('Name').fill('张卫国');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm the password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create the administrator account' }).click();

    // The second factor: a passkey rather than an authenticator app.
    await page.waitForURL('**/enrol-totp');
    await page.getByRole('heading', { name: 'Choose your second sign-in step' }).waitFor();
    await page.getByRole('button', { name: 'Set up a passkey' }).click();
    await page.getByLabel('Name').fill('Office PC');
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    await page.getByRole('heading', { name: 'Your passkey is set up' }).waitFor();
    await page.getByText('Store your recovery codes').waitFor();
    expect(await page.locator('.ml-recovery-codes li').count()).toBe(10);
    await page.getByText('I have stored the recovery codes safely').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Welcome, 张卫国').waitFor();

    // The authenticator holds one discoverable credential for the RP ID "localhost".
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    // Sign out, then sign in with the passkey alone: no login, no password.
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Welcome, 张卫国').waitFor();
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]?.signCount).toBeGreaterThan(0);

    // Without user verification (the fingerprint check fails), the browser refuses and the page says what to do.
    await signOut(page);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByText(/The passkey step did not finish/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    const me = await page.request.get(`https://localhost:${port}/api/v1/session`);
    expect(me.status()).toBe(401);

    expect(await violations()).toEqual([]);
    await page.context().close();
  });
});
