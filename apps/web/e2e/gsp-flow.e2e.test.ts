import { type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2eDatabaseSettings, e2eDatabases, launchChromium, startMedLedger, type E2eServer } from './support';

/**
 * The GSP warehouse flow in a real browser, on the screens: purchase order → signed approval →
 * receipt → acceptance by scanning (GS1 with several FNC1 forms) → signed conclusion → sales order →
 * FEFO allocation → outbound review by scanning → signed review → shipment → delivery slip PDF →
 * customer return → signed re-inspection. The server refuses some steps by the same person, so two
 * people work: the first administrator (every permission: drafts, receives, picks, ships) and a
 * second user with the enterprise-head, acceptance and outbound-review roles (approves, concludes,
 * reviews, re-inspects). Master data and the warehouse are set up through the API. Synthetic data.
 */
const ADMIN_PASSWORD = 'correct horse battery staple 医疗';
const USER_PASSWORD = 'granite river 晨光 orchard lamp';
const DI = '06901234567892';
const LOT = 'L2611A';
const EXPIRY = '301231';

let server: E2eServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
/** Errors raised in the pages, with their cause. */
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const STEP_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / STEP_MS);

/** Single-use authenticator codes: the lowest unused step, waiting for the clock when needed. */
function codes(totp: TOTP, enrolledAtStep: number) {
  let last = enrolledAtStep;
  return async (): Promise<string> => {
    while (last + 1 > stepNow() + 1) await new Promise((r) => setTimeout(r, 250));
    const step = Math.max(last + 1, stepNow());
    last = step;
    return totp.generate({ timestamp: step * STEP_MS + 1_000 });
  };
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addInitScript(() => localStorage.setItem('medledger.lang', 'en'));
  // Recoverable React errors carry the original error as their cause: report it across navigations.
  await context.exposeFunction('__gspError', (text: string) => pageErrors.push(text));
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[]; __gspError: (text: string) => void };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.addEventListener('error', (e) => {
      const error = e.error as { message?: string; cause?: { message?: string; stack?: string } } | null;
      void w.__gspError(`${error?.message ?? e.message} ← ${error?.cause?.stack ?? error?.cause?.message ?? ''}`);
    });
  });
  contexts.push(context);
  return context;
}

/** Enrols the authenticator of a session that is at the enrolment step; returns the TOTP. */
async function enrolTotp(api: APIRequestContext): Promise<{ totp: TOTP; step: number }> {
  const { secret } = await json<{ secret: string }>(await api.post(`${base}/api/v1/auth/totp/enrol/start`));
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  const step = stepNow();
  await json(
    await api.post(`${base}/api/v1/auth/totp/enrol/confirm`, {
      data: { code: totp.generate({ timestamp: step * STEP_MS + 1_000 }) },
    }),
  );
  return { totp, step };
}

const supplier = {
  code: 'SUP-E2E',
  name: '华康医疗器械贸易有限公司',
  uscc: '91310000MA1K000001',
  isSupplier: true,
  isManufacturer: false,
  customerType: null,
  legalRepresentative: '李明远',
  enterpriseHead: '李明远',
  address: '上海市浦东新区示例路 1 号',
  warehouseAddress: null,
  licences: [
    {
      kind: 'business_licence',
      number: '91310000MA1K000001',
      authority: '上海市市场监督管理局',
      issuedOn: '2020-01-10',
      validUntil: null,
      scope: [],
    },
    {
      kind: 'operating_licence',
      number: '沪药监械经营许20200001号',
      authority: '上海市药品监督管理局',
      issuedOn: '2021-03-01',
      validUntil: '2035-02-28',
      scope: ['III:13'],
    },
  ],
  repAuthorisations: [],
};
const hospital = {
  code: 'HOS-E2E',
  name: '示例市第一人民医院',
  uscc: '12310000MB2C000002',
  isSupplier: false,
  isManufacturer: false,
  customerType: 'hospital',
  legalRepresentative: '陈思齐',
  enterpriseHead: '陈思齐',
  address: '示例市中山路 100 号',
  warehouseAddress: '示例市中山路 100 号 设备科库房',
  licences: [
    {
      kind: 'business_licence',
      number: '12310000MB2C000002',
      authority: '示例市卫生健康委员会',
      issuedOn: '2019-05-01',
      validUntil: null,
      scope: [],
    },
    {
      kind: 'medical_institution_licence',
      number: 'PDY00001-331010000A1001',
      authority: '示例市卫生健康委员会',
      issuedOn: '2022-01-01',
      validUntil: '2035-12-31',
      scope: [],
    },
  ],
  repAuthorisations: [],
};
const stent = {
  code: 'PRD-E2E-01',
  name: '冠状动脉支架系统',
  model: 'CS-3018',
  specification: '3.0mm×18mm',
  deviceClass: 'III',
  catalogCode: '13-07-02',
  registrant: '示例医疗科技股份有限公司',
  registrantLicenceNo: '沪食药监械生产许20150001号',
  contractManufacturer: null,
  contractManufacturerLicenceNo: null,
  certificateNo: '国械注准20233130001',
  certificateIssuedOn: '2023-04-01',
  certificateValidUntil: '2033-03-31',
  implantable: true,
  storage: 'normal',
  humidityMax: 80,
  packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: DI }] }],
};

/** The administrator (API set-up), master data approved by QA, a warehouse with every zone, a second user. */
async function setUp() {
  const token = /setup#token=([A-Za-z0-9_-]{43})/.exec(server.output())?.[1];
  expect(token).toBeDefined();
  const adminContext = await newContext();
  const api = adminContext.request;
  await json(
    await api.post(`${base}/api/v1/setup/admin`, {
      data: { token, login: 'qa.zhang', name: '张卫国', password: ADMIN_PASSWORD },
    }),
  );
  const admin = await enrolTotp(api);
  const adminCode = codes(admin.totp, admin.step);

  // The second person, created and given roles before they first sign in.
  const created = await json<{ user: { id: string }; link: { token: string } }>(
    await api.post(`${base}/api/v1/users`, {
      data: { login: 'qin.fu', name: '秦复核', phone: null, email: null, organisation: null, employmentEndsOn: null },
    }),
  );
  for (const [roleCode, site] of [
    ['enterprise-head', null],
    ['acceptance', 'SH'],
    ['outbound-review', 'SH'],
  ] as const) {
    await json(
      await api.post(`${base}/api/v1/access/assignments`, {
        data: { userId: created.user.id, roleCode, site, reason: '岗位任命' },
      }),
    );
  }

  // Master data: QA (the administrator) files and approves supplier, customer and product.
  for (const [path, body] of [
    ['parties', { reason: '首营企业审核', party: supplier }],
    ['parties', { reason: '首营企业审核', party: hospital }],
    ['products', { reason: '首营品种审核', product: stent }],
  ] as const) {
    const { change } = await json<{ change: { id: string } }>(
      await api.post(`${base}/api/v1/master-data/${path}`, { data: body }),
    );
    await json(
      await api.post(`${base}/api/v1/master-data/changes/${change.id}/decision`, {
        data: { decision: 'approve', note: '资料齐全，同意', code: await adminCode() },
      }),
    );
  }

  // A warehouse of site SH with one location in each GSP zone.
  const { warehouse } = await json<{ warehouse: { id: string } }>(
    await api.post(`${base}/api/v1/master-data/warehouses`, {
      data: { code: 'WH-SH', name: '上海仓', site: 'SH', address: '示例路 1 号' },
    }),
  );
  for (const [code, zone] of [
    ['Q', 'quarantine'],
    ['A', 'qualified'],
    ['N', 'nonconforming'],
    ['S', 'shipping'],
    ['R', 'returns'],
  ] as const) {
    const { warehouse: w } = await json<{ warehouse: { areas: { id: string; code: string }[] } }>(
      await api.post(`${base}/api/v1/master-data/warehouses/${warehouse.id}/areas`, {
        data: { code, name: `${code} 区`, zone, storage: 'normal' },
      }),
    );
    const areaId = w.areas.find((a) => a.code === code)!.id;
    await json(
      await api.post(`${base}/api/v1/master-data/areas/${areaId}/locations`, { data: { code: `${code}-01` } }),
    );
  }

  // The second person sets a password, signs in and enrols an authenticator.
  const userContext = await newContext();
  const userApi = userContext.request;
  await json(
    await userApi.post(`${base}/api/v1/password-link/use`, {
      data: { token: created.link.token, password: USER_PASSWORD },
    }),
  );
  await json(await userApi.post(`${base}/api/v1/auth/login`, { data: { login: 'qin.fu', password: USER_PASSWORD } }));
  const user = await enrolTotp(userApi);
  return {
    admin: await adminContext.newPage(),
    user: await userContext.newPage(),
    userCode: codes(user.totp, user.step),
  };
}

/** Chooses an option of an antd Select, typing `search` first into a searchable one. */
async function choose(page: Page, select: Locator, option: string | RegExp, search?: string) {
  await select.click();
  if (search !== undefined) await select.fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** Signs in the open signature dialog with an authenticator code. */
async function sign(page: Page, code: string, button: string) {
  const dialog = page.locator('.ant-modal:visible');
  await dialog.getByLabel('6-digit code from your authenticator app').fill(code);
  await dialog.getByRole('button', { name: button }).click();
}

/** Types each scan into the scan field, ending with Enter as a keyboard-wedge scanner does, then Ctrl+Enter. */
async function scanAll(page: Page, field: Locator, scans: string[]) {
  for (const scan of scans) {
    await field.fill(scan);
    await field.press('Enter');
  }
  await page
    .getByTestId('pending-scans')
    .getByRole('listitem')
    .nth(scans.length - 1)
    .waitFor();
  await field.press('Control+Enter');
}

describe.each(e2eDatabases())('the GSP warehouse flow in a real browser (%s)', (database) => {
  let dropDatabase: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    const settings = await e2eDatabaseSettings(database);
    dropDatabase = settings.drop;
    server = await startMedLedger({
      ...settings.env,
      MEDLEDGER_COMPANY_NAME: '示例医疗器械经营有限公司',
      MEDLEDGER_COMPANY_ADDRESS: '上海市示例路 9 号',
      MEDLEDGER_COMPANY_LICENCE_NO: '沪药监械经营许20200009号',
    });
    base = `https://localhost:${server.port}`;
  });

  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close();
    pageErrors.splice(0);
    await server?.stop();
    await dropDatabase();
  });

  test(
    'GSP-04 VAL-10 purchase → signed approval → receipt → acceptance scans → signed conclusion → sale → FEFO → review scans → shipment → slip PDF → return',
    { timeout: 600_000 },
    async () => {
      const { admin, user, userCode } = await setUp();
      const errors: string[] = [];
      for (const p of [admin, user]) p.on('pageerror', (e) => errors.push(e.message));

      // Purchasing: the administrator drafts a purchase order with a price in yuan and submits it.
      await admin.goto(`${base}/procurement`);
      await admin.getByRole('button', { name: 'New purchase order' }).click();
      const poForm = admin.getByRole('dialog');
      await choose(admin, poForm.getByLabel('Supplier', { exact: true }), /SUP-E2E/, 'SUP-E2E');
      await choose(admin, poForm.getByLabel('Receiving warehouse'), /WH-SH/);
      await poForm.getByLabel('Supplier contact and phone').fill('王晓红 021-5555 0101');
      await choose(admin, poForm.getByLabel('Product 1'), /PRD-E2E-01/, 'PRD-E2E');
      await poForm.getByLabel('Quantity 1').fill('3');
      await poForm.getByLabel('Unit price (yuan) 1').fill('3500.5');
      await admin.getByRole('button', { name: 'Save draft' }).click();
      await admin.waitForURL(/\/procurement\/orders\/[0-9a-f-]{36}$/);
      const poUrl = admin.url();
      await admin.getByTestId('po-total').getByText('¥10,501.50').waitFor();
      await admin.getByRole('button', { name: 'Submit for approval' }).click();
      await admin.getByText('Awaiting approval').first().waitFor();

      // The enterprise head (the second person) approves with a signature.
      await user.goto(poUrl);
      await user.getByRole('button', { name: 'Approve…' }).click();
      await sign(user, await userCode(), 'Sign and approve');
      await user.getByText('Approved', { exact: true }).first().waitFor();

      // Receiving against the delivery slip, by carrier.
      await admin.reload();
      await admin.getByRole('button', { name: 'Receive…' }).click();
      const receipt = admin.getByRole('dialog');
      await receipt.getByLabel('Delivery slip no.').fill('SX-20261129-001');
      await receipt.getByRole('textbox', { name: 'Carrier' }).fill('顺达物流');
      await receipt.getByLabel('Waybill no.').fill('YD123456789');
      await admin.getByRole('button', { name: 'Record the receipt' }).click();
      await admin.waitForURL(/\/procurement\/acceptances\/[0-9a-f-]{36}$/);
      const acceptanceUrl = admin.url();

      // Acceptance by scanning: GS1 with ASCII 29, ^ after ]d2, <GS>, and the bracketed HRI.
      const field = admin.getByLabel('Scan UDI (acceptance)');
      await field.fill(`01${DI}10${LOT}^17${EXPIRY}`);
      await admin.getByTestId('parsed-udi').getByText(DI).waitFor();
      await admin.getByTestId('parsed-udi').getByText('2030-12-31').waitFor();
      await scanAll(admin, field, [
        `01${DI}10${LOT}\x1d17${EXPIRY}`,
        `]d201${DI}10${LOT}^17${EXPIRY}`,
        `(01)${DI}(17)${EXPIRY}(10)${LOT}`,
      ]);
      await admin.getByText('3 scans taken, 3 units.').waitFor();
      await admin.getByTestId('identified-PRD-E2E-01').getByText('3 / 3').waitFor();

      // The inspector (not the receiver) signs the conclusion; the art. 65 record follows.
      await user.goto(acceptanceUrl);
      await user.getByRole('button', { name: 'Sign the conclusion…' }).click();
      await sign(user, await userCode(), 'Sign and conclude');
      const record = user.getByTestId('acceptance-record');
      await record.getByText('Signature valid').waitFor();
      await record.getByText('Accepted', { exact: true }).first().waitFor();

      // Stock: three units of the lot are available in the qualified zone.
      await admin.goto(`${base}/inventory`);
      const stockRow = admin.getByRole('row', { name: new RegExp(LOT) });
      await stockRow.getByText('Available').waitFor();
      expect(await stockRow.textContent()).toContain('Qualified');

      // Sales: a sales order to the hospital; the delivery address comes from the customer.
      await admin.goto(`${base}/sales`);
      await admin.getByRole('button', { name: 'New sales order' }).click();
      const soForm = admin.getByRole('dialog');
      await choose(admin, soForm.getByLabel('Customer (consignee)'), /HOS-E2E/, 'HOS-E2E');
      expect(await soForm.getByLabel('Delivery address').inputValue()).toBe('示例市中山路 100 号 设备科库房');
      await choose(admin, soForm.getByLabel('Shipping warehouse'), /WH-SH/);
      await choose(admin, soForm.getByLabel('Product 1'), /PRD-E2E-01/, 'PRD-E2E');
      await soForm.getByLabel('Quantity 1').fill('2');
      await soForm.getByLabel('Unit price (yuan) 1').fill('4200');
      await admin.getByRole('button', { name: 'Save draft' }).click();
      await admin.waitForURL(/\/sales\/orders\/[0-9a-f-]{36}$/);
      const soUrl = admin.url();
      await admin.getByRole('button', { name: 'Confirm order' }).click();
      await admin.getByRole('button', { name: 'Pick FEFO' }).click();
      const pick = admin.getByRole('row', { name: /S-01/ });
      await pick.waitFor();
      expect(await pick.textContent()).toContain(LOT);
      expect(await pick.textContent()).toContain('2030-12-31');

      // The outbound review by the second person (not the picker): two scans, then the signature.
      await user.goto(`${soUrl}/review`);
      const reviewField = user.getByLabel('Scan UDI (outbound review)');
      await scanAll(user, reviewField, [`01${DI}10${LOT}<GS>17${EXPIRY}`, `]d2^01${DI}10${LOT}^17${EXPIRY}`]);
      await user.getByText('Every unit is checked: you can sign.').waitFor();
      await user.getByRole('button', { name: 'Sign the review…' }).click();
      await sign(user, await userCode(), 'Sign the review');
      await user.getByTestId('review-record').getByText(`(01)${DI}(17)${EXPIRY}(10)${LOT}`).waitFor();

      // Shipment by our own vehicle; the delivery slip opens, and its PDF downloads.
      await admin.reload();
      await admin.getByRole('button', { name: 'Ship…' }).click();
      const shipForm = admin.getByRole('dialog');
      await shipForm.getByText('Own vehicle', { exact: true }).click();
      await shipForm.getByLabel('Vehicle plate').fill('沪A12345');
      await shipForm.getByLabel('Driver').fill('赵师傅');
      await admin.getByRole('button', { name: 'Ship', exact: true }).click();
      await admin.waitForURL(/\/slip$/);
      await admin.getByRole('heading', { name: /^Delivery slip SH-\d{8}-\d{4}$/ }).waitFor();
      await admin.getByText('沪A12345 · 赵师傅').waitFor();
      const pdfHref = await admin.getByRole('link', { name: 'Print PDF' }).getAttribute('href');
      const pdf = await admin.request.get(`${base}${pdfHref ?? ''}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // A customer return of one unit, scanned; the second person re-inspects it with a signature.
      await admin.goto(soUrl);
      await admin.getByRole('button', { name: 'Record a customer return' }).click();
      const returnField = admin.getByLabel('Scan the returned goods');
      await scanAll(admin, returnField, [`(01)${DI}(17)${EXPIRY}(10)${LOT}`]);
      await admin.getByLabel('Reason for return').fill('医院多订');
      await admin.getByLabel('Transport and storage on the way back').fill('常温汽运');
      await admin.getByRole('button', { name: 'Record the return' }).click();
      await admin.waitForURL(/\/sales\/returns\/[0-9a-f-]{36}$/);
      const returnUrl = admin.url();
      await user.goto(returnUrl);
      await user.getByRole('button', { name: 'Sign the re-inspection…' }).click();
      await sign(user, await userCode(), 'Sign and confirm');
      await user.getByText('Re-inspected', { exact: true }).waitFor();

      for (const p of [admin, user]) {
        expect(await p.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      }
      expect(pageErrors).toEqual([]);
      expect(errors).toEqual([]);
    },
  );
});
