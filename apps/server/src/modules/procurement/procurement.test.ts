import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import type {
  AcceptanceView,
  MovementView,
  PurchaseOrderView,
  ProductFields,
  ReceiptView,
  StockRow,
} from '@medledger/contract';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import {
  approvedParty,
  approvedProduct,
  freshCode,
  get,
  productFields,
  signInAgain,
  staffWithRole,
  supplierFields,
  type Staff,
} from '../../../test/master-data-helpers.js';
import {
  grantRole,
  gtin,
  stepUpAdmin,
  STANDARD_AREAS,
  unitScan,
  warehouseWithZones,
} from '../../../test/procurement-helpers.js';
import { manualClock } from '../../platform/clock.js';

// Synthetic staff, parties and products only.
const QA = { login: 'qa.li', name: '李质量', password: 'amber falcon 秋水 meadow' };
const BUYER = { login: 'buyer.sun', name: '孙采购', password: 'copper kettle 春风 violet' };
const HEAD = { login: 'head.qian', name: '钱总', password: 'granite harbor 白露 lantern' };
const RECV = { login: 'recv.zhao', name: '赵收货', password: 'maple orchard 寒露 pebble' };
const INSP = { login: 'insp.wang', name: '王验收', password: 'saffron meadow 立冬 beacon' };
const RECV_BJ = { login: 'recv.bj', name: '北京收货', password: 'cobalt prairie 谷雨 thistle' };
const INSP_BJ = { login: 'insp.bj', name: '北京验收', password: 'linen glacier 芒种 osprey' };

const STENT_DI = '06901234567892';
const STENT_CASE_DI = '16901234567899';
const IVD_DI = gtin('0690123456790');
const SWAB_CODE = 'PRD-SWAB-01';

const ivdFields = (overrides: Partial<ProductFields> = {}): ProductFields =>
  productFields({
    code: 'PRD-IVD-01',
    name: '新型冠状病毒抗原检测试剂盒',
    model: 'AG-25',
    specification: '25人份/盒',
    deviceClass: 'II',
    catalogCode: '07-01',
    certificateNo: '国械注准20243400002',
    implantable: false,
    storage: 'cold_2_8',
    packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: IVD_DI }] }],
    ...overrides,
  });

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setUp(
  options: { supplier?: Parameters<typeof supplierFields>[0]; stent?: Partial<ProductFields> } = {},
) {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock });
  const app = t;
  const admin = await firstAdmin(app);
  const qa = await staffWithRole(app, clock, admin.cookie, QA, 'qa-manager');
  const supplierId = await approvedParty(app, clock, qa, supplierFields(options.supplier ?? {}));
  const stentId = await approvedProduct(app, clock, qa, productFields(options.stent ?? {}));
  const ivdId = await approvedProduct(app, clock, qa, ivdFields());
  const sh = await warehouseWithZones(app, qa, 'WH-SH', 'SH', STANDARD_AREAS);
  const buyer = await staffWithRole(app, clock, admin.cookie, BUYER, 'purchasing');
  const head = await staffWithRole(app, clock, admin.cookie, HEAD, 'enterprise-head');
  const receiver = await staffWithRole(app, clock, admin.cookie, RECV, 'receiving', 'SH');
  const inspector = await staffWithRole(app, clock, admin.cookie, INSP, 'acceptance', 'SH');
  return { app, clock, admin, qa, supplierId, stentId, ivdId, sh, buyer, head, receiver, inspector };
}
type World = Awaited<ReturnType<typeof setUp>>;

const orderBody = (w: World, lines: { productId: string; quantity: number; unitPriceFen: number }[]) => ({
  supplierId: w.supplierId,
  warehouseId: w.sh.id,
  supplierContact: '王晓红 021-5555 0101',
  lines,
});

/** Draft → submitted → approved (by the enterprise head, with a signature); returns the order. */
async function approvedOrder(w: World, lines: { productId: string; quantity: number; unitPriceFen: number }[]) {
  const created = await post(w.app, '/api/v1/procurement/orders', orderBody(w, lines), w.buyer.cookie);
  expect(created.statusCode, created.body).toBe(201);
  const order = created.json<{ order: PurchaseOrderView }>().order;
  const submitted = await post(w.app, `/api/v1/procurement/orders/${order.id}/submit`, undefined, w.buyer.cookie);
  expect(submitted.statusCode, submitted.body).toBe(200);
  const approved = await post(
    w.app,
    `/api/v1/procurement/orders/${order.id}/decision`,
    { decision: 'approve', note: '同意采购', code: freshCode(w.app, w.clock, w.head) },
    w.head.cookie,
  );
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json<{ order: PurchaseOrderView }>().order;
}

const slip = { deliverySlipNo: 'SX-20261129-001', deliverySlipDate: '2026-11-29' };
const byCarrier = { mode: 'carrier', carrier: '顺达物流', waybillNo: 'YD123456789' } as const;

async function receive(w: World, order: PurchaseOrderView, lines: Record<string, unknown>[], extra: object = {}) {
  return post(
    w.app,
    `/api/v1/procurement/orders/${order.id}/receipts`,
    { ...slip, transport: byCarrier, lines, ...extra },
    w.receiver.cookie,
  );
}

async function receivedAcceptance(w: World, order: PurchaseOrderView, quantity: number): Promise<string> {
  const res = await receive(w, order, [
    { orderLineId: order.lines[0]!.id, quantityReceived: quantity, quantityRefused: 0 },
  ]);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ receipt: ReceiptView }>().receipt.acceptanceId!;
}

const scan = (w: World, acceptanceId: string, scans: string[], who: Staff = w.inspector) =>
  post(w.app, `/api/v1/procurement/acceptances/${acceptanceId}/scans`, { scans }, who.cookie);

const conclude = (w: World, acceptanceId: string, body: Record<string, unknown>, who: Staff = w.inspector) =>
  post(w.app, `/api/v1/procurement/acceptances/${acceptanceId}/conclude`, body, who.cookie);

const stock = async (w: World, who: Staff = w.inspector) =>
  (await get(w.app, '/api/v1/inventory/stock', who.cookie)).json<{ rows: StockRow[] }>().rows;

const zoneTotals = (rows: StockRow[]) =>
  rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.zone]: (acc[r.zone] ?? 0) + r.quantity }), {});

describe('GSP-01 GSP-02 GSP-04 VAL-10 purchase order → receipt → acceptance by scanning → signed putaway', () => {
  test('GSP-01 GSP-02 GSP-04 VAL-10 the whole path: snapshot, second-person approval, quarantine, signed conclusion, zones in the ledger', async () => {
    const w = await setUp();
    const { app, clock } = w;
    // Draft: the server numbers it, dates it, computes the amounts and snapshots the product.
    const created = await post(
      app,
      '/api/v1/procurement/orders',
      orderBody(w, [{ productId: w.stentId, quantity: 12, unitPriceFen: 350_000 }]),
      w.buyer.cookie,
    );
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<{ order: PurchaseOrderView }>().order;
    expect(draft).toMatchObject({
      number: 'PO-20261129-0001',
      orderDate: '2026-11-29',
      status: 'draft',
      totalFen: 4_200_000,
      created: { name: BUYER.name },
      site: 'SH',
    });
    expect(draft.lines[0]).toMatchObject({
      productCode: 'PRD-STENT-01',
      productName: '冠状动脉支架系统',
      model: 'CS-3018',
      specification: '3.0mm×18mm',
      registrant: '示例医疗科技股份有限公司',
      certificateNo: '国械注准20233130001',
      unit: '盒',
      quantity: 12,
      unitPriceFen: 350_000,
      amountFen: 4_200_000,
    });
    // The buyer cannot approve (no permission); the head approves with a signature.
    const order = await (async () => {
      expect(
        (await post(app, `/api/v1/procurement/orders/${draft.id}/submit`, undefined, w.buyer.cookie)).statusCode,
      ).toBe(200);
      const self = await post(
        app,
        `/api/v1/procurement/orders/${draft.id}/decision`,
        { decision: 'approve', note: '', code: freshCode(app, clock, w.buyer) },
        w.buyer.cookie,
      );
      expect(self.statusCode).toBe(403);
      const ok = await post(
        app,
        `/api/v1/procurement/orders/${draft.id}/decision`,
        { decision: 'approve', note: '同意采购', code: freshCode(app, clock, w.head) },
        w.head.cookie,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      return ok.json<{ order: PurchaseOrderView }>().order;
    })();
    expect(order.status).toBe('approved');
    expect(order.approved).toMatchObject({ name: HEAD.name });
    // Master data changes later; the order keeps what was ordered (GSP-01).
    await app.db.updateTable('md_product').set({ name: '改名后的支架' }).where('id', '=', w.stentId).execute();
    expect(
      (await get(app, `/api/v1/procurement/orders/${order.id}`, w.buyer.cookie)).json<{ order: PurchaseOrderView }>()
        .order.lines[0]!.productName,
    ).toBe('冠状动脉支架系统');

    // Receipt: 12 taken in, 1 refused at the door; the order is fully received and closes.
    const rec = await receive(
      w,
      order,
      [{ orderLineId: order.lines[0]!.id, quantityReceived: 12, quantityRefused: 1, refusalReason: '外包装破损' }],
      { transport: { mode: 'courier', carrier: '顺丰速运', waybillNo: 'SF1234567890' } },
    );
    expect(rec.statusCode, rec.body).toBe(201);
    const receipt = rec.json<{ receipt: ReceiptView }>().receipt;
    expect(receipt).toMatchObject({
      number: 'RC-20261129-0001',
      receivedByName: RECV.name,
      transportMode: 'courier',
      coldChain: null,
    });
    expect(receipt.lines[0]).toMatchObject({ quantityReceived: 12, quantityRefused: 1, refusalReason: '外包装破损' });
    expect(receipt.lines[0]!.quarantineLocationId).toBe(w.sh.locations.Q);
    const acceptanceId = receipt.acceptanceId!;
    const closed = (await get(app, `/api/v1/procurement/orders/${order.id}`, w.buyer.cookie)).json<{
      order: PurchaseOrderView;
    }>().order;
    expect(closed.status).toBe('closed');
    expect(closed.lines[0]!.receivedQuantity).toBe(12);
    // GSP-01: the buyer opens the receipt as recorded: slip, transport, refusal and quarantine place.
    const opened = await get(app, `/api/v1/procurement/receipts/${receipt.id}`, w.buyer.cookie);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json<{ receipt: ReceiptView }>().receipt).toEqual(receipt);
    expect(receipt).toMatchObject({
      orderId: order.id,
      orderNumber: 'PO-20261129-0001',
      supplierId: w.supplierId,
      supplierName: '华康医疗器械贸易有限公司',
      deliverySlipNo: 'SX-20261129-001',
      deliverySlipDate: '2026-11-29',
      carrier: '顺丰速运',
      waybillNo: 'SF1234567890',
      acceptanceId: expect.any(String) as string,
    });
    expect(receipt.lines).toEqual([
      expect.objectContaining({
        orderLineId: order.lines[0]!.id,
        productId: w.stentId,
        productName: '冠状动脉支架系统',
        quantityReceived: 12,
        quantityRefused: 1,
        refusalReason: '外包装破损',
      }),
    ]);
    // Nothing in stock until each unit is identified.
    expect(await stock(w)).toEqual([]);

    // Scans in every form a scanner sends: GS, ]d2, ^, <GS>, HRI, Digital Link — in two batches.
    const exp = '281231';
    const first = [
      unitScan(STENT_DI, exp, 'L2611A', 'SN0001'),
      `]d2${unitScan(STENT_DI, exp, 'L2611A', 'SN0002')}`,
      unitScan(STENT_DI, exp, 'L2611A', 'SN0003', '^'),
      unitScan(STENT_DI, exp, 'L2611A', 'SN0004', '<GS>'),
      `(01)${STENT_DI}(17)${exp}(10)L2611A(21)SN0005`,
      `https://id.gs1.org/01/${STENT_DI}/10/L2611A/21/SN0006?17=${exp}`,
    ];
    const s1 = await scan(w, acceptanceId, first);
    expect(s1.statusCode, s1.body).toBe(201);
    const r1 = s1.json<{ results: { serial: string; quantity: number; expiryDate: string }[]; progress: unknown[] }>();
    expect(r1.results.map((r) => r.serial)).toEqual(['SN0001', 'SN0002', 'SN0003', 'SN0004', 'SN0005', 'SN0006']);
    expect(r1.results.every((r) => r.quantity === 1 && r.expiryDate === '2028-12-31')).toBe(true);
    const second = Array.from({ length: 6 }, (_, i) => unitScan(STENT_DI, exp, 'L2611A', `SN00${10 + i}`));
    const s2 = await scan(w, acceptanceId, second);
    expect(s2.statusCode, s2.body).toBe(201);
    expect(s2.json<{ progress: { received: number; identified: number }[] }>().progress).toEqual([
      expect.objectContaining({ received: 12, identified: 12 }),
    ]);
    // Received but not accepted: all 12 in 待验.
    expect(zoneTotals(await stock(w))).toEqual({ quarantine: 12 });
    const events = await app.db
      .selectFrom('audit_event')
      .select('canonical')
      .where('canonical', 'like', '%"procurement.acceptance.scanned"%')
      .execute();
    expect(events).toHaveLength(12);

    // The conclusion, signed by the inspector: 11 accepted, SN0003 rejected.
    const before = (await get(app, `/api/v1/procurement/acceptances/${acceptanceId}`, w.inspector.cookie)).json<{
      acceptance: AcceptanceView;
    }>().acceptance;
    const bad = before.lines[0]!.lots.find((l) => l.serial === 'SN0003')!;
    const done = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [
        {
          receiptLineId: receipt.lines[0]!.id,
          acceptedQuantity: 11,
          rejectedQuantity: 1,
          rejections: [{ lotId: bad.lotId, quantity: 1 }],
          nonConformity: '标签污损，无法辨认',
          disposition: 'return_to_supplier',
        },
      ],
    });
    expect(done.statusCode, done.body).toBe(200);
    const record = done.json<{ acceptance: AcceptanceView }>().acceptance;
    expect(record).toMatchObject({
      number: 'YS-20261129-0001',
      status: 'concluded',
      purchaseDate: '2026-11-29',
      supplier: {
        name: '华康医疗器械贸易有限公司',
        address: '上海市浦东新区示例路 1 号',
        contact: '王晓红 021-5555 0101',
      },
      inspector: { name: INSP.name, signatureValid: true },
    });
    expect(record.lines[0]).toMatchObject({
      productName: '冠状动脉支架系统',
      certificateNo: '国械注准20233130001',
      registrant: '示例医疗科技股份有限公司',
      registrantLicenceNo: '沪食药监械生产许20150001号',
      received: 12,
      accepted: 11,
      rejected: 1,
      conclusion: 'partially_accepted',
      disposition: 'return_to_supplier',
    });
    expect(record.lines[0]!.lots).toHaveLength(12);
    expect(record.lines[0]!.lots.find((l) => l.serial === 'SN0003')).toMatchObject({
      lot: 'L2611A',
      expiryDate: '2028-12-31',
      accepted: 0,
      rejected: 1,
      dis: [{ issuer: 'GS1', di: STENT_DI }],
    });
    expect(zoneTotals(await stock(w))).toEqual({ qualified: 11, nonconforming: 1 });
    // The ledger shows each unit's path through the zones, with its serial.
    const ledger = (await get(app, `/api/v1/inventory/movements?lotId=${bad.lotId}`, w.inspector.cookie)).json<{
      movements: MovementView[];
    }>().movements;
    expect(ledger.map((m) => [m.kind, m.zone, m.quantity, m.serial])).toEqual([
      ['receipt', 'quarantine', 1, 'SN0003'],
      ['putaway', 'quarantine', -1, 'SN0003'],
      ['putaway', 'nonconforming', 1, 'SN0003'],
    ]);

    // Concluded once; scans after conclusion are refused; the ledgers list the documents.
    const twice = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [{ receiptLineId: receipt.lines[0]!.id, acceptedQuantity: 12, rejectedQuantity: 0 }],
    });
    expect(twice.statusCode).toBe(409);
    expect((await scan(w, acceptanceId, [unitScan(STENT_DI, exp, 'L2611A', 'SN0099')])).statusCode).toBe(409);
    const purchases = (
      await get(app, `/api/v1/procurement/purchase-records?supplierId=${w.supplierId}&from=2026-11-01`, w.qa.cookie)
    ).json<{ total: number; rows: { orderNumber: string; amountFen: number; purchaseDate: string }[] }>();
    expect(purchases.rows).toEqual([
      expect.objectContaining({ orderNumber: 'PO-20261129-0001', amountFen: 4_200_000, purchaseDate: '2026-11-29' }),
    ]);
    const ledgerRows = (
      await get(app, `/api/v1/procurement/acceptances?productId=${w.stentId}&status=concluded`, w.qa.cookie)
    ).json<{ rows: { acceptanceNumber: string; accepted: number; inspectorName: string }[] }>().rows;
    expect(ledgerRows).toEqual([
      expect.objectContaining({ acceptanceNumber: 'YS-20261129-0001', accepted: 11, inspectorName: INSP.name }),
    ]);
    expect(
      (await get(app, `/api/v1/procurement/acceptances?from=2026-12-01`, w.qa.cookie)).json<{ total: number }>().total,
    ).toBe(0);

    // GSP-04: a record altered after signing no longer verifies.
    await app.db.updateTable('inv_lot').set({ expiryDate: '2099-12-31' }).where('id', '=', bad.lotId).execute();
    const tampered = (await get(app, `/api/v1/procurement/acceptances/${acceptanceId}`, w.qa.cookie)).json<{
      acceptance: AcceptanceView;
    }>().acceptance;
    expect(tampered.inspector?.signatureValid).toBe(false);
    // GSP-01: posted documents cannot be edited or deleted, even with direct database access.
    await expect(sql`UPDATE pur_receipt_line SET "quantityReceived" = 1`.execute(app.db)).rejects.toThrow();
    await expect(sql`DELETE FROM pur_scan`.execute(app.db)).rejects.toThrow();
    await expect(sql`UPDATE pur_order_line SET quantity = 1`.execute(app.db)).rejects.toThrow();
    await expect(sql`UPDATE pur_acceptance SET "inspectorName" = 'x'`.execute(app.db)).rejects.toThrow();
  });

  test('GSP-01 VAL-10 order numbers are unique per day under concurrent creation; amounts are server-computed integers', async () => {
    const w = await setUp();
    const line = { productId: w.stentId, quantity: 3, unitPriceFen: 199 };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(w.app, '/api/v1/procurement/orders', orderBody(w, [line]), w.buyer.cookie)),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = results.map((r) => r.json<{ order: PurchaseOrderView }>().order.number).sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => `PO-20261129-000${n}`));
    expect(results[0]!.json<{ order: PurchaseOrderView }>().order.totalFen).toBe(597);
    for (const bad of [
      { ...line, quantity: 0 },
      { ...line, quantity: -2 },
      { ...line, quantity: 1.5 },
      { ...line, quantity: '3' },
      { ...line, unitPriceFen: 19.9 },
      { ...line, unitPriceFen: -1 },
      { ...line, quantity: 1_000_001 },
      { ...line, unitPriceFen: 10_000_000_001 },
      { ...line, amountFen: 1 },
    ]) {
      const res = await post(w.app, '/api/v1/procurement/orders', orderBody(w, [bad as typeof line]), w.buyer.cookie);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const dup = await post(w.app, '/api/v1/procurement/orders', orderBody(w, [line, line]), w.buyer.cookie);
    expect(dup.statusCode).toBe(400);
    // The next day starts again at 0001.
    w.clock.set('2026-11-29T16:30:00Z');
    await signInAgain(w.app, w.clock, w.buyer);
    const next = await post(w.app, '/api/v1/procurement/orders', orderBody(w, [line]), w.buyer.cookie);
    expect(next.json<{ order: PurchaseOrderView }>().order.number).toBe('PO-20261130-0001');
  });
});

describe('GSP-03 qualification is checked at creation, submission, approval and receipt', () => {
  test('GSP-03 a supplier whose operating licence expired is blocked at approval and at receipt, naming the licence', async () => {
    const w = await setUp({
      supplier: {
        licences: [
          supplierFields().licences[0]!,
          { ...supplierFields().licences[1]!, number: '沪药监械经营许20260099号', validUntil: '2026-12-31' },
        ],
      },
    });
    const { app, clock } = w;
    const early = await approvedOrder(w, [{ productId: w.stentId, quantity: 2, unitPriceFen: 100 }]);
    const created = await post(
      app,
      '/api/v1/procurement/orders',
      orderBody(w, [{ productId: w.stentId, quantity: 2, unitPriceFen: 100 }]),
      w.buyer.cookie,
    );
    const late = created.json<{ order: PurchaseOrderView }>().order;
    expect(
      (await post(app, `/api/v1/procurement/orders/${late.id}/submit`, undefined, w.buyer.cookie)).statusCode,
    ).toBe(200);
    // 2027-01-01 10:00 in China: the licence (valid until 2026-12-31) has expired.
    clock.set('2027-01-01T02:00:00Z');
    for (const s of [w.buyer, w.head, w.receiver]) await signInAgain(app, clock, s);
    const approve = await post(
      app,
      `/api/v1/procurement/orders/${late.id}/decision`,
      { decision: 'approve', note: '', code: freshCode(app, clock, w.head) },
      w.head.cookie,
    );
    expect(approve.statusCode).toBe(409);
    expect(approve.json<{ code: string; message: string }>()).toMatchObject({ code: 'qualification_blocked' });
    expect(approve.json<{ message: string }>().message).toContain('沪药监械经营许20260099号');
    expect(approve.json<{ message: string }>().message).toContain('2026-12-31');
    const receipt = await receive(w, early, [
      { orderLineId: early.lines[0]!.id, quantityReceived: 2, quantityRefused: 0 },
    ]);
    expect(receipt.statusCode).toBe(409);
    expect(receipt.json<{ message: string }>().message).toContain('沪药监械经营许20260099号');
    const fresh = await post(
      app,
      '/api/v1/procurement/orders',
      orderBody(w, [{ productId: w.stentId, quantity: 1, unitPriceFen: 100 }]),
      w.buyer.cookie,
    );
    expect(fresh.statusCode).toBe(409);
    // The refusals are in the audit trail.
    const blocked = await app.db
      .selectFrom('audit_event')
      .select('canonical')
      .where('canonical', 'like', '%"master-data.trade.blocked"%')
      .execute();
    expect(blocked.length).toBeGreaterThanOrEqual(3);
    expect(
      (await get(app, `/api/v1/procurement/orders/${late.id}`, w.buyer.cookie)).json<{ order: PurchaseOrderView }>()
        .order.status,
    ).toBe('submitted');
  });
});

describe('GSP-02 cold chain at receipt (GSP arts. 63, 67)', () => {
  test('GSP-02 cold-chain goods need the transport record; an out-of-range temperature is refused; refusal at the door is recorded', async () => {
    const w = await setUp();
    const order = await approvedOrder(w, [{ productId: w.ivdId, quantity: 20, unitPriceFen: 4_500 }]);
    const line = { orderLineId: order.lines[0]!.id, quantityReceived: 10, quantityRefused: 0 };
    const missing = await receive(w, order, [line]);
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toContain('body.coldChain');
    const cold = {
      departedAt: '2026-11-29T06:30:00+08:00',
      arrivedAt: '2026-11-29T09:40:00+08:00',
      transitMinC: 3.1,
      transitMaxC: 6.8,
      arrivalC: 9.5,
      device: '冷藏车 沪A·12345',
    };
    const warm = await receive(w, order, [line], { coldChain: cold });
    expect(warm.statusCode).toBe(409);
    expect(warm.json<{ message: string }>().message).toContain('9.5 ℃');
    expect(warm.json<{ message: string }>().message).toContain('2–8 ℃');
    const excursion = await receive(w, order, [line], { coldChain: { ...cold, arrivalC: 5, transitMaxC: 11.2 } });
    expect(excursion.statusCode).toBe(409);
    expect(excursion.json<{ message: string }>().message).toContain('11.2 ℃');
    expect((await receive(w, order, [line], { coldChain: { ...cold, arrivalC: 5.55 } })).statusCode).toBe(400);
    // The warm delivery is refused at the door: recorded, nothing taken in, no acceptance.
    const refused = await receive(
      w,
      order,
      [
        {
          orderLineId: order.lines[0]!.id,
          quantityReceived: 0,
          quantityRefused: 10,
          refusalReason: '到货温度 9.5 ℃ 超标',
        },
      ],
      { coldChain: cold },
    );
    expect(refused.statusCode, refused.body).toBe(201);
    expect(refused.json<{ receipt: ReceiptView }>().receipt).toMatchObject({
      acceptanceId: null,
      coldChain: { arrivalC: 9.5, transitMinC: 3.1, device: '冷藏车 沪A·12345' },
    });
    // A proper delivery goes to the 2–8 ℃ quarantine location; a normal one may not be chosen.
    const wrongPlace = await receive(w, order, [{ ...line, quarantineLocationId: w.sh.locations.Q }], {
      coldChain: { ...cold, arrivalC: 4.2 },
    });
    expect(wrongPlace.statusCode).toBe(400);
    const ok = await receive(w, order, [line], { coldChain: { ...cold, arrivalC: 4.2 } });
    expect(ok.statusCode, ok.body).toBe(201);
    const receipt = ok.json<{ receipt: ReceiptView }>().receipt;
    expect(receipt.lines[0]!.quarantineLocationId).toBe(w.sh.locations.QC);
    expect(receipt.coldChain).toMatchObject({ arrivalC: 4.2, departedAt: '2026-11-28T22:30:00.000Z' });
    // Acceptance puts cold goods into the cold qualified area.
    const scans = Array.from({ length: 10 }, (_, i) => `01${IVD_DI}17270630102611C\x1d21C${i}`);
    expect((await scan(w, receipt.acceptanceId!, scans)).statusCode).toBe(201);
    const done = await conclude(w, receipt.acceptanceId!, {
      code: freshCode(w.app, w.clock, w.inspector),
      lines: [{ receiptLineId: receipt.lines[0]!.id, acceptedQuantity: 10, rejectedQuantity: 0 }],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(new Set((await stock(w)).map((r) => r.locationId))).toEqual(new Set([w.sh.locations.AC]));
  });
});

describe('GSP-05 VAL-10 scanning rules', () => {
  test('VAL-10 a case counts its units; duplicate serials, unknown DIs, over-receipt and bad check digits are refused with the scan index; nothing partial is recorded', async () => {
    const w = await setUp();
    const order = await approvedOrder(w, [{ productId: w.stentId, quantity: 12, unitPriceFen: 100 }]);
    const acceptanceId = await receivedAcceptance(w, order, 12);
    const exp = '281231';
    // A case (level 1 = 10 units) plus two units.
    const caseScan = `01${STENT_CASE_DI}17${exp}10L2611B\x1d21CASE01`;
    const c = await scan(w, acceptanceId, [caseScan]);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json<{ results: { level: number; quantity: number; serial: string | null }[] }>().results).toEqual([
      expect.objectContaining({ level: 1, quantity: 10, serial: 'CASE01' }),
    ]);
    expect((await scan(w, acceptanceId, [caseScan])).json<{ message: string }>().message).toMatch(
      /^Scan 0: serial CASE01 .*already identified/,
    );
    // A bad check digit: the whole batch is refused with index, AI and position; the good scan is not kept.
    const badDi = `${STENT_DI.slice(0, 13)}3`;
    const bad = await scan(w, acceptanceId, [
      unitScan(STENT_DI, exp, 'L2611B', 'U1'),
      unitScan(badDi, exp, 'L2611B', 'U2'),
    ]);
    expect(bad.statusCode).toBe(400);
    const issue = bad.json<{ issues: { path: string; message: string; code: string }[] }>().issues[0]!;
    expect(issue).toMatchObject({ path: 'body.scans.1', code: 'invalid_check_digit' });
    expect(issue.message).toBe('Scan 1 [AI (01), position 0]: AI (01) at position 0: check digit should be 2, found 3');
    const dup = await scan(w, acceptanceId, [
      unitScan(STENT_DI, exp, 'L2611B', 'U1'),
      unitScan(STENT_DI, exp, 'L2611B', 'U1', '^'),
    ]);
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ message: string }>().message).toMatch(/^Scan 1: serial U1/);
    const unknown = await scan(w, acceptanceId, [unitScan(gtin('0690123456799'), exp, 'X', 'Y')]);
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json<{ message: string }>().message).toContain('not on file');
    const notOnReceipt = await scan(w, acceptanceId, [`01${IVD_DI}17${exp}10L1\x1d21Z1`]);
    expect(notOnReceipt.statusCode).toBe(409);
    expect(notOnReceipt.json<{ message: string }>().message).toContain('PRD-IVD-01');
    const over = await scan(
      w,
      acceptanceId,
      ['U1', 'U2', 'U3'].map((s) => unitScan(STENT_DI, exp, 'L2611B', s)),
    );
    expect(over.statusCode).toBe(409);
    expect(over.json<{ message: string }>().message).toMatch(/^Scan 2: .*13 盒 identified, more than the 12 received/);
    const mismatch = await scan(w, acceptanceId, [unitScan(STENT_DI, '290131', 'L2611B', 'U1')]);
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json<{ message: string }>().message).toBe(
      'Scan 0: lot L2611B serial U1 reads expiry 2029-01-31, but lot L2611B is on file with expiry 2028-12-31: check the label.',
    );
    const noPi = await scan(w, acceptanceId, [STENT_DI]);
    expect(noPi.statusCode).toBe(409);
    expect(zoneTotals(await stock(w))).toEqual({ quarantine: 10 });
    // A wrong scan is voided before conclusion: the reversal takes it out of quarantine.
    const two = await scan(
      w,
      acceptanceId,
      ['U1', 'U2'].map((s) => unitScan(STENT_DI, exp, 'L2611B', s)),
    );
    expect(two.statusCode, two.body).toBe(201);
    const wrong = two.json<{ results: { scanId: string }[] }>().results[1]!.scanId;
    const voided = await post(
      w.app,
      `/api/v1/procurement/acceptances/${acceptanceId}/scans/${wrong}/void`,
      { reason: '扫错了' },
      w.inspector.cookie,
    );
    expect(voided.statusCode, voided.body).toBe(200);
    expect(zoneTotals(await stock(w))).toEqual({ quarantine: 11 });
    expect((await scan(w, acceptanceId, [unitScan(STENT_DI, exp, 'L2611B', 'U2')])).statusCode).toBe(201);
    const list = (await get(w.app, `/api/v1/procurement/acceptances/${acceptanceId}/scans`, w.qa.cookie)).json<{
      scans: { raw: string | null; voided: unknown }[];
    }>().scans;
    expect(list).toHaveLength(4);
    expect(list[0]!.raw).toBe(caseScan);
    expect(list.filter((s) => s.voided !== null)).toHaveLength(1);
    // 1,001 scans in one request are refused by validation.
    expect(
      (
        await scan(
          w,
          acceptanceId,
          Array.from({ length: 1001 }, () => 'x'),
        )
      ).statusCode,
    ).toBe(400);
  });

  test('GSP-05 an expired lot cannot be accepted (named with its date); a product whose certificate expired cannot be accepted; both go to 不合格', async () => {
    const w = await setUp({ stent: { certificateValidUntil: '2026-12-31' } });
    const { app, clock } = w;
    const order = await approvedOrder(w, [{ productId: w.stentId, quantity: 3, unitPriceFen: 100 }]);
    const acceptanceId = await receivedAcceptance(w, order, 3);
    const s = await scan(w, acceptanceId, [
      unitScan(STENT_DI, '261031', 'OLD01', 'E1'),
      unitScan(STENT_DI, '281231', 'NEW01', 'G1'),
      unitScan(STENT_DI, '281231', 'NEW01', 'G2'),
    ]);
    expect(s.statusCode, s.body).toBe(201);
    const scanned = s.json<{ results: { lotId: string; expired: boolean }[]; warnings: string[] }>();
    expect(scanned.results.map((r) => r.expired)).toEqual([true, false, false]);
    expect(scanned.warnings[0]).toContain('expired on 2026-10-31');
    const receiptLineId = (await get(app, `/api/v1/procurement/acceptances/${acceptanceId}`, w.inspector.cookie)).json<{
      acceptance: AcceptanceView;
    }>().acceptance.lines[0]!.receiptLineId;
    const acceptAll = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [{ receiptLineId, acceptedQuantity: 3, rejectedQuantity: 0 }],
    });
    expect(acceptAll.statusCode).toBe(409);
    expect(acceptAll.json<{ message: string }>().message).toBe(
      'lot OLD01 serial E1 of PRD-STENT-01 expired on 2026-10-31: an expired device cannot be accepted — reject it.',
    );
    // The certificate expires (valid until 2026-12-31): the rest cannot be accepted either.
    clock.set('2027-01-02T02:00:00Z');
    await signInAgain(app, clock, w.inspector);
    const expiredLot = scanned.results[0]!.lotId;
    const partly = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [
        {
          receiptLineId,
          acceptedQuantity: 2,
          rejectedQuantity: 1,
          rejections: [{ lotId: expiredLot, quantity: 1 }],
          nonConformity: '已过有效期',
          disposition: 'destroy',
        },
      ],
    });
    expect(partly.statusCode).toBe(409);
    expect(partly.json<{ message: string }>().message).toContain('国械注准20233130001');
    expect(partly.json<{ message: string }>().message).toContain('expired on 2026-12-31');
    const rejectAll = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [
        {
          receiptLineId,
          acceptedQuantity: 0,
          rejectedQuantity: 3,
          rejections: scanned.results.map((r) => ({ lotId: r.lotId, quantity: 1 })),
          nonConformity: '产品过期或注册证过期',
          disposition: 'qa_review',
        },
      ],
    });
    expect(rejectAll.statusCode, rejectAll.body).toBe(200);
    expect(rejectAll.json<{ acceptance: AcceptanceView }>().acceptance.lines[0]!.conclusion).toBe('rejected');
    expect(zoneTotals(await stock(w))).toEqual({ nonconforming: 3 });
  });
});

describe('ATK-LOGIC VAL-10 steps cannot be skipped', () => {
  test('ATK-LOGIC no receipt before approval, no edit after submission, no self-approval, no cancel after receipt, no over-receipt, no acceptance before receipt, no putaway without a signed acceptance', async () => {
    const w = await setUp();
    const { app, clock } = w;
    const line = { productId: w.stentId, quantity: 4, unitPriceFen: 100 };
    const draft = (await post(app, '/api/v1/procurement/orders', orderBody(w, [line]), w.buyer.cookie)).json<{
      order: PurchaseOrderView;
    }>().order;
    const early = await receive(w, draft, [
      { orderLineId: draft.lines[0]!.id, quantityReceived: 1, quantityRefused: 0 },
    ]);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toContain('is not approved yet');
    // A draft can be revised; a submitted order cannot.
    const revised = await w.app.app.inject({
      method: 'PUT',
      url: `/api/v1/procurement/orders/${draft.id}`,
      payload: orderBody(w, [{ ...line, quantity: 5 }]),
      headers: { cookie: w.buyer.cookie },
    });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json<{ order: PurchaseOrderView }>().order.totalFen).toBe(500);
    expect(
      (await post(app, `/api/v1/procurement/orders/${draft.id}/submit`, undefined, w.buyer.cookie)).statusCode,
    ).toBe(200);
    expect(
      (await post(app, `/api/v1/procurement/orders/${draft.id}/submit`, undefined, w.buyer.cookie)).statusCode,
    ).toBe(409);
    const late = await w.app.app.inject({
      method: 'PUT',
      url: `/api/v1/procurement/orders/${draft.id}`,
      payload: orderBody(w, [line]),
      headers: { cookie: w.buyer.cookie },
    });
    expect(late.statusCode).toBe(409);
    const submitted = await receive(w, draft, [
      { orderLineId: draft.lines[0]!.id, quantityReceived: 1, quantityRefused: 0 },
    ]);
    expect(submitted.statusCode).toBe(409);
    // Returned to draft by the approver, with a note; then resubmitted and approved.
    const returned = await post(
      app,
      `/api/v1/procurement/orders/${draft.id}/decision`,
      { decision: 'return', note: '单价偏高，请重新议价', code: freshCode(app, clock, w.head) },
      w.head.cookie,
    );
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json<{ order: PurchaseOrderView }>().order).toMatchObject({
      status: 'draft',
      returned: { name: HEAD.name, note: '单价偏高，请重新议价' },
    });
    // Someone who holds both roles may not approve the order they submitted.
    await grantRole(app, clock, w.admin.cookie, w.head, 'purchasing');
    expect(
      (await post(app, `/api/v1/procurement/orders/${draft.id}/submit`, undefined, w.head.cookie)).statusCode,
    ).toBe(200);
    const self = await post(
      app,
      `/api/v1/procurement/orders/${draft.id}/decision`,
      { decision: 'approve', note: '', code: freshCode(app, clock, w.head) },
      w.head.cookie,
    );
    expect(self.statusCode).toBe(403);
    expect(self.json<{ message: string }>().message).toContain('another person must approve');

    const order = await approvedOrder(w, [line]);
    const tooMany = await receive(w, order, [
      { orderLineId: order.lines[0]!.id, quantityReceived: 5, quantityRefused: 0 },
    ]);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json<{ message: string }>().message).toContain('4 of 4 ordered');
    // Acceptance before receipt: there is no acceptance to scan into.
    expect((await scan(w, order.id, [unitScan(STENT_DI, '281231', 'L1', 'S1')])).statusCode).toBe(404);
    const acceptanceId = await receivedAcceptance(w, order, 3);
    expect(
      (await post(app, `/api/v1/procurement/orders/${order.id}/cancel`, { reason: '供应商缺货' }, w.buyer.cookie))
        .statusCode,
    ).toBe(409);
    const more = await receive(w, order, [
      { orderLineId: order.lines[0]!.id, quantityReceived: 2, quantityRefused: 0 },
    ]);
    expect(more.statusCode).toBe(409);
    // Conclusion before every received unit is identified.
    const s = await scan(w, acceptanceId, [
      unitScan(STENT_DI, '281231', 'L1', 'S1'),
      unitScan(STENT_DI, '281231', 'L1', 'S2'),
    ]);
    expect(s.statusCode, s.body).toBe(201);
    const receiptLineId = (await get(app, `/api/v1/procurement/acceptances/${acceptanceId}`, w.inspector.cookie)).json<{
      acceptance: AcceptanceView;
    }>().acceptance.lines[0]!.receiptLineId;
    const early2 = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [{ receiptLineId, acceptedQuantity: 3, rejectedQuantity: 0 }],
    });
    expect(early2.statusCode).toBe(409);
    expect(early2.json<{ message: string }>().message).toContain('2 of the 3');
    expect((await scan(w, acceptanceId, [unitScan(STENT_DI, '281231', 'L1', 'S3')])).statusCode).toBe(201);
    // No putaway to 合格 without the signed conclusion: a stock move cannot change the zone, and
    // a conclusion without a signature is refused with nothing moved.
    await stepUpAdmin(app, clock, w.admin);
    const warehouseStaff = await staffWithRole(
      app,
      clock,
      w.admin.cookie,
      { login: 'store.zhou', name: '周仓储', password: 'silver birch 明月 harbor' },
      'warehouse',
    );
    const lotId = s.json<{ results: { lotId: string }[] }>().results[0]!.lotId;
    const move = await post(
      app,
      '/api/v1/inventory/transfers',
      { lotId, fromLocationId: w.sh.locations.Q, toLocationId: w.sh.locations.A, quantity: 1 },
      warehouseStaff.cookie,
    );
    expect(move.statusCode).toBe(409);
    const unsigned = await conclude(w, acceptanceId, {
      lines: [{ receiptLineId, acceptedQuantity: 3, rejectedQuantity: 0 }],
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<{ code: string }>().code).toBe('step_up_required');
    expect(zoneTotals(await stock(w))).toEqual({ quarantine: 3 });
    // Quantities must add up.
    const wrongSum = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [{ receiptLineId, acceptedQuantity: 2, rejectedQuantity: 0 }],
    });
    expect(wrongSum.statusCode).toBe(400);
    const noReason = await conclude(w, acceptanceId, {
      code: freshCode(app, clock, w.inspector),
      lines: [{ receiptLineId, acceptedQuantity: 2, rejectedQuantity: 1, rejections: [{ lotId, quantity: 1 }] }],
    });
    expect(noReason.statusCode).toBe(400);
    // The person who received the goods cannot conclude their acceptance.
    await grantRole(app, clock, w.admin.cookie, w.receiver, 'acceptance', 'SH');
    const own = await conclude(
      w,
      acceptanceId,
      { code: freshCode(app, clock, w.receiver), lines: [{ receiptLineId, acceptedQuantity: 3, rejectedQuantity: 0 }] },
      w.receiver,
    );
    expect(own.statusCode).toBe(403);
    // Two inspectors conclude at the same moment: exactly one succeeds.
    const code = freshCode(app, clock, w.inspector);
    const body = { code, lines: [{ receiptLineId, acceptedQuantity: 3, rejectedQuantity: 0 }] };
    const results = await Promise.all([conclude(w, acceptanceId, body), conclude(w, acceptanceId, body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(zoneTotals(await stock(w))).toEqual({ qualified: 3 });
    const putaways = await app.db
      .selectFrom('inv_movement')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('docId', '=', acceptanceId)
      .where('kind', '=', 'putaway')
      .executeTakeFirstOrThrow();
    expect(Number(putaways.n)).toBe(6);
    // Closing the partly received order; cancelling the order that was never approved.
    const closed = await post(
      app,
      `/api/v1/procurement/orders/${order.id}/close`,
      { reason: '余量不再到货' },
      w.buyer.cookie,
    );
    expect(closed.json<{ order: PurchaseOrderView }>().order.status).toBe('closed');
    const cancelled = await post(
      app,
      `/api/v1/procurement/orders/${draft.id}/cancel`,
      { reason: '重复下单' },
      w.buyer.cookie,
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<{ order: PurchaseOrderView }>().order.cancelled).toMatchObject({ reason: '重复下单' });
  });

  test('GSP-05 a product without a UDI-DI is accepted by lot entry; a product with one must be scanned', async () => {
    const w = await setUp();
    const { app, clock } = w;
    const swabId = await approvedProduct(
      app,
      clock,
      w.qa,
      productFields({
        code: SWAB_CODE,
        name: '医用棉签',
        model: 'MQ-10',
        specification: '10支/袋',
        deviceClass: 'I',
        catalogCode: '14-10',
        certificateNo: '沪械备20230001号',
        certificateValidUntil: null,
        implantable: false,
        packages: [{ level: 0, unit: '袋', quantity: 1, dis: [] }],
      }),
    );
    const order = await approvedOrder(w, [
      { productId: swabId, quantity: 100, unitPriceFen: 120 },
      { productId: w.stentId, quantity: 1, unitPriceFen: 100 },
    ]);
    const rec = await receive(w, order, [
      { orderLineId: order.lines[0]!.id, quantityReceived: 100, quantityRefused: 0 },
      { orderLineId: order.lines[1]!.id, quantityReceived: 1, quantityRefused: 0 },
    ]);
    const receipt = rec.json<{ receipt: ReceiptView }>().receipt;
    const entry = (receiptLineId: string) => ({
      receiptLineId,
      lot: '20261101',
      serial: null,
      productionDate: '2026-11-01',
      expiryDate: '2029-10-31',
      quantity: 100,
    });
    const typed = await post(
      app,
      `/api/v1/procurement/acceptances/${receipt.acceptanceId}/lots`,
      entry(receipt.lines[0]!.id),
      w.inspector.cookie,
    );
    expect(typed.statusCode, typed.body).toBe(201);
    const refused = await post(
      app,
      `/api/v1/procurement/acceptances/${receipt.acceptanceId}/lots`,
      { ...entry(receipt.lines[1]!.id), quantity: 1 },
      w.inspector.cookie,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('scan each unit');
  });
});

describe('AC-01 AC-02 who may do what, and where', () => {
  test('AC-01 wrong roles get 403; AC-02 staff of another site get 404 and see none of the documents', async () => {
    const w = await setUp();
    const { app, clock } = w;
    const line = { productId: w.stentId, quantity: 2, unitPriceFen: 100 };
    expect((await post(app, '/api/v1/procurement/orders', orderBody(w, [line]), w.receiver.cookie)).statusCode).toBe(
      403,
    );
    const order = await approvedOrder(w, [line]);
    expect(
      (
        await post(
          app,
          `/api/v1/procurement/orders/${order.id}/decision`,
          { decision: 'approve', note: '' },
          w.inspector.cookie,
        )
      ).statusCode,
    ).toBe(403);
    const acceptanceId = await receivedAcceptance(w, order, 2);
    expect((await scan(w, acceptanceId, [unitScan(STENT_DI, '281231', 'L', 'S1')], w.buyer)).statusCode).toBe(403);
    // Beijing staff: same roles, another site.
    await stepUpAdmin(app, clock, w.admin);
    const bjReceiver = await staffWithRole(app, clock, w.admin.cookie, RECV_BJ, 'receiving', 'BJ');
    const bjInspector = await staffWithRole(app, clock, w.admin.cookie, INSP_BJ, 'acceptance', 'BJ');
    expect((await get(app, `/api/v1/procurement/orders/${order.id}`, bjReceiver.cookie)).statusCode).toBe(404);
    expect(
      (
        await post(
          app,
          `/api/v1/procurement/orders/${order.id}/receipts`,
          {
            ...slip,
            transport: byCarrier,
            lines: [{ orderLineId: order.lines[0]!.id, quantityReceived: 1, quantityRefused: 0 }],
          },
          bjReceiver.cookie,
        )
      ).statusCode,
    ).toBe(404);
    expect((await scan(w, acceptanceId, [unitScan(STENT_DI, '281231', 'L', 'S1')], bjInspector)).statusCode).toBe(404);
    expect((await get(app, `/api/v1/procurement/acceptances/${acceptanceId}`, bjInspector.cookie)).statusCode).toBe(
      404,
    );
    expect((await get(app, '/api/v1/procurement/orders', bjReceiver.cookie)).json<{ total: number }>().total).toBe(0);
    expect(
      (await get(app, '/api/v1/procurement/acceptances', bjInspector.cookie)).json<{ total: number }>().total,
    ).toBe(0);
    // A Shanghai purchaser may not order into a Beijing warehouse.
    const bj = await warehouseWithZones(app, w.qa, 'WH-BJ', 'BJ', { Q: { zone: 'quarantine', storage: 'normal' } });
    const scoped = await staffWithRole(
      app,
      clock,
      w.admin.cookie,
      { login: 'buyer.sh', name: '上海采购', password: 'harvest lantern 小满 quartz' },
      'purchasing',
      'SH',
    );
    const cross = await post(
      app,
      '/api/v1/procurement/orders',
      { ...orderBody(w, [line]), warehouseId: bj.id },
      scoped.cookie,
    );
    expect(cross.statusCode).toBe(404);
    // The Shanghai staff still see their documents.
    expect((await get(app, '/api/v1/procurement/orders', w.receiver.cookie)).json<{ total: number }>().total).toBe(1);
  });
});
