import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { firstAdminInBrowser, launchChromium, openPage, startMedLedger, type E2eServer } from './support';
import { SECURITY_BASICS } from '../../server/migrations/training-seed-data.js';

/**
 * The training centre in a real browser: the built `medledger` binary started with no configuration
 * in an empty folder, the first administrator, and the shipped security course taken end to end.
 * The test knows the right answers from the seed data module, never from the API.
 */
let admin: Page | undefined;
let server: E2eServer;
let browser: Browser;
/** What the server printed, for the tests below. */
const output = () => server.output();

beforeAll(async () => {
  server = await startMedLedger();
  browser = await launchChromium();
});

afterAll(async () => {
  await admin?.context().close();
  await browser?.close();
  await server?.stop();
});

describe('training centre in a real browser', () => {
  test('TRN-01 the first administrator takes security-basics, passes with the right answers and sees the certificate', async () => {
    const link = /https:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]{43}/.exec(output())?.[0];
    expect(link).toBeDefined();
    const { page, violations, consoleErrors } = await openPage(browser);
    await firstAdminInBrowser(page, link!);
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
