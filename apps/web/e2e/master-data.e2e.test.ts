import { type Browser, type Locator, type Page } from 'playwright-core';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { firstAdminInBrowser, launchChromium, openPage, startMedLedger, type E2eServer } from './support';

/**
 * Quality master data in a real browser: the first administrator (who holds every permission, so
 * also does QA's work) files a supplier and a product through the forms, the qualification check
 * refuses them while they wait for review, QA approves both with authenticator codes, and the check
 * then allows the purchase. Synthetic companies and numbers only.
 */
let admin: Page | undefined;
let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startMedLedger();
  browser = await launchChromium();
});

afterAll(async () => {
  await admin?.context().close();
  await browser?.close();
  await server?.stop();
});

const STEP_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / STEP_MS);

/**
 * Authenticator codes for e-signatures. The server accepts a code of the current step ±1, each step
 * once and only after the last one used: take the lowest step that is still unused, waiting for the
 * clock when every acceptable step has been used.
 */
function codes(totp: TOTP, enrolledAtStep: number) {
  let last = enrolledAtStep;
  return async (): Promise<string> => {
    while (last + 1 > stepNow() + 1) await new Promise((r) => setTimeout(r, 250));
    const step = Math.max(last + 1, stepNow());
    last = step;
    return totp.generate({ timestamp: step * STEP_MS + 1_000 });
  };
}

/** Types a date into an antd DatePicker and confirms it. */
async function pickDate(field: Locator, date: string) {
  await field.click();
  await field.fill(date);
  await field.press('Enter');
}

/** Chooses an option of an antd Select, typing `search` first into a searchable one. */
async function choose(page: Page, select: Locator, option: string | RegExp, search?: string) {
  await select.click();
  if (search !== undefined) await select.fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

async function openMenu(page: Page, entry: string) {
  const item = page.getByRole('menuitem', { name: entry, exact: true });
  if (!(await item.isVisible())) await page.getByRole('menuitem', { name: 'Master data' }).click();
  await item.click();
}

describe('quality master data in a real browser', () => {
  test('GSP-02 GSP-04 a new supplier and product are refused until QA approves them with signatures, then the purchase is allowed', async () => {
    const { page, violations, consoleErrors } = await openPage(browser);
    const totp = await firstAdminInBrowser(page, server.setupLink());
    const nextCode = codes(totp, stepNow());
    admin = page;

    // 首营企业: a supplier with its business licence and an operating licence covering III:13.
    await openMenu(page, 'Parties');
    await page.getByRole('button', { name: 'New party (first business)' }).click();
    const partyForm = page.getByRole('dialog');
    await partyForm.getByLabel('Code', { exact: true }).fill('SUP-E2E');
    await partyForm.getByLabel('Company name').fill('华康医疗器械贸易有限公司');
    await partyForm.getByLabel('Unified social credit code').fill('91310000MA1K000001');
    await partyForm.getByLabel('Supplier', { exact: true }).check();
    await partyForm.getByLabel('Legal representative').fill('李明远');
    await partyForm.getByLabel('Enterprise head').fill('李明远');
    await partyForm.getByLabel('Registered address').fill('上海市浦东新区示例路 1 号');
    await partyForm.getByLabel('Number', { exact: true }).nth(0).fill('91310000MA1K000001');
    await partyForm.getByLabel('Issuing authority', { exact: true }).nth(0).fill('上海市市场监督管理局');
    await pickDate(partyForm.getByLabel('Issued on', { exact: true }).nth(0), '2020-01-10');
    await partyForm.getByRole('button', { name: 'Add a licence' }).click();
    await partyForm.getByLabel('Number', { exact: true }).nth(1).fill('沪药监械经营许20200001号');
    await partyForm.getByLabel('Issuing authority', { exact: true }).nth(1).fill('上海市药品监督管理局');
    await pickDate(partyForm.getByLabel('Issued on', { exact: true }).nth(1), '2021-03-01');
    await pickDate(partyForm.getByLabel('Valid until', { exact: true }).nth(1), '2030-02-28');
    const scope = partyForm.getByLabel('Scope of licence 2');
    await scope.fill('III:13');
    await scope.press('Enter');
    await partyForm.getByLabel('Reason', { exact: true }).fill('首营企业审核');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(/\/master-data\/parties\/[0-9a-f-]{36}$/);
    await page.getByText('This first-business file is waiting for QA review.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: '华康医疗器械贸易有限公司' }).waitFor();
    // FILE-01: the licence scan goes with the file (a minimal PDF, checked by the server).
    const scan = [
      '%PDF-1.7',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
      'trailer << /Root 1 0 R /Size 4 >>',
      'startxref',
      '0',
      '%%EOF',
      '',
    ].join('\n');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: Buffer.from(scan, 'latin1') });
    await page
      .getByRole('link', { name: /Download/ })
      .first()
      .waitFor();
    await page.getByText('营业执照.pdf').waitFor();

    // 首营品种: a Class III stent with a GS1 UDI-DI.
    await openMenu(page, 'Products');
    await page.getByRole('button', { name: 'New product (first business)' }).click();
    const productForm = page.getByRole('dialog');
    await productForm.getByLabel('Product code').fill('PRD-E2E-01');
    await productForm.getByLabel('Product name').fill('冠状动脉支架系统');
    await productForm.getByLabel('Model', { exact: true }).fill('CS-3018');
    await productForm.getByLabel('Specification', { exact: true }).fill('3.0mm×18mm');
    await choose(page, productForm.getByLabel('Class', { exact: true }), 'Class III');
    await productForm.getByLabel('Classification catalogue code').fill('13-07-02');
    await productForm.getByLabel('Registrant / filer').fill('示例医疗科技股份有限公司');
    await productForm.getByLabel('Certificate or filing number').fill('国械注准20233130001');
    await pickDate(productForm.getByLabel('Approved on'), '2023-04-01');
    await pickDate(productForm.getByLabel('Certificate valid until'), '2028-03-31');
    await productForm.getByLabel('Unit', { exact: true }).fill('盒');
    await productForm.getByLabel('UDI-DI 1 of packaging level 1', { exact: true }).fill('06901234567892');
    await productForm.getByLabel('Reason', { exact: true }).fill('首营品种审核');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(/\/master-data\/products\/[0-9a-f-]{36}$/);
    await page.getByText('06901234567892').waitFor();
    await page.getByText('Pending review').first().waitFor();

    // The qualification check refuses the purchase while both wait for QA.
    await openMenu(page, 'Qualification check');
    await choose(page, page.getByLabel('Party', { exact: true }), /SUP-E2E/, 'SUP-E2E');
    await choose(page, page.getByLabel('Product', { exact: true }), /PRD-E2E-01/, 'PRD-E2E');
    await page.getByRole('button', { name: 'Check' }).click();
    const blocks = page.getByTestId('trade-blocks');
    await blocks.waitFor();
    expect(await blocks.getByRole('listitem').allTextContents()).toEqual([
      '华康医疗器械贸易有限公司 (SUP-E2E) has not been approved by QA (first-business review).',
      'Product 冠状动脉支架系统 CS-3018 (PRD-E2E-01) has not been approved by QA (first-business review).',
    ]);

    // QA approves both in the review inbox, each with its own authenticator code.
    await openMenu(page, 'QA review');
    for (const code of ['SUP-E2E', 'PRD-E2E-01']) {
      await page.getByRole('button', { name: `Review ${code}` }).click();
      const drawer = page.locator('.ant-drawer-section');
      await drawer.getByText('First business', { exact: true }).first().waitFor();
      await drawer.getByRole('button', { name: 'Approve…' }).click();
      const signature = page.locator('.ant-modal');
      await signature.getByLabel('6-digit code from your authenticator app').fill(await nextCode());
      await signature.getByRole('button', { name: 'Sign and approve' }).click();
      await page.getByText(`${code} approved; the new version is in force.`).waitFor();
      await drawer.waitFor({ state: 'hidden' });
    }
    await page.getByText('Nothing is waiting for review').waitFor();

    // The same check now allows the purchase.
    await openMenu(page, 'Qualification check');
    await choose(page, page.getByLabel('Party', { exact: true }), /SUP-E2E/, 'SUP-E2E');
    await choose(page, page.getByLabel('Product', { exact: true }), /PRD-E2E-01/, 'PRD-E2E');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText(/^Allowed \(\d{4}-\d{2}-\d{2}\): the document may be opened\.$/).waitFor();

    // The party's history shows the signed first-business version.
    await openMenu(page, 'Parties');
    await page.getByRole('link', { name: '华康医疗器械贸易有限公司' }).click();
    const history = page.getByRole('row', { name: /首营企业审核/ });
    await history.getByText('Signed').waitFor();
    expect(await history.textContent()).toContain('张卫国');

    // Nothing is due yet; the dashboard and its calendar render under the strict CSP.
    await openMenu(page, 'Licence expiry');
    await page.getByText('Nothing expired or due').waitFor();
    await page.getByText('Renewal calendar').waitFor();

    // A warehouse of site SH with a quarantine (yellow) area.
    await openMenu(page, 'Warehouses');
    await page.getByRole('button', { name: 'New warehouse' }).click();
    const warehouseForm = page.locator('.ant-modal');
    await warehouseForm.getByLabel('Code', { exact: true }).fill('WH-SH');
    await warehouseForm.getByLabel('Name', { exact: true }).fill('上海仓');
    await warehouseForm.getByLabel('Site', { exact: true }).fill('SH');
    await warehouseForm.getByLabel('Address', { exact: true }).fill('示例路 1 号');
    await warehouseForm.getByRole('button', { name: 'Create' }).click();
    await page.getByText('WH-SH · 上海仓').waitFor();
    await page.getByRole('button', { name: 'New storage area' }).click();
    const areaForm = page.locator('.ant-modal');
    await areaForm.getByLabel('Code', { exact: true }).fill('A-Q');
    await areaForm.getByLabel('Name', { exact: true }).fill('待验区一');
    await areaForm.getByRole('button', { name: 'Create' }).click();
    const area = page.getByRole('row', { name: /A-Q/ });
    expect(await area.locator('[data-zone-colour]').getAttribute('data-zone-colour')).toBe('yellow');

    expect(await violations()).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
