import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import {
  DeliverySlip,
  gs1CheckDigit,
  parseUdi,
  type OrderView,
  type ProductFields,
  type ReturnView,
  type ReviewRecord,
} from '@medledger/contract';
import { buildTestApp, TEST_COMPANY, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import {
  approvedParty,
  approvedProduct,
  distributorFields,
  freshCode,
  get,
  hospitalFields,
  productFields,
  signInAgain,
  staffWithRole,
  supplierFields,
  type Staff,
} from '../../../test/master-data-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { route } from '../../platform/http/route.js';
import { verifySignature } from '../identity/index.js';
import { ensureLot, postMovements } from '../inventory/index.js';

// Synthetic staff, parties and products only.
const PEOPLE = {
  qa: { login: 'qa.sun', name: '孙质量', password: 'amber falcon 秋水 meadow' },
  sales: { login: 'sales.he', name: '何销售', password: 'silver birch 明月 harbor' },
  salesBj: { login: 'sales.lu', name: '陆销售', password: 'velvet canyon 北斗 sparrow' },
  store: { login: 'store.ma', name: '马仓储', password: 'copper lantern 春风 valley' },
  storeBj: { login: 'store.du', name: '杜仓储', password: 'quiet harbor 夏雨 lantern' },
  reviewer: { login: 'review.qin', name: '秦复核', password: 'granite river 晨光 orchard' },
  receiver: { login: 'recv.gao', name: '高收货', password: 'maple thunder 白云 compass' },
  inspector: { login: 'insp.xu', name: '许验收', password: 'cobalt meadow 青山 whistle' },
};

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Test-only route standing in for procurement: receives a lot (or serial) into a location. */
const testRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/test/receive',
    permission: 'inventory.stock.move',
    summary: 'test: receive a lot into a location',
    body: z.strictObject({
      productId: z.uuid(),
      lot: z.string(),
      serial: z.string().nullable(),
      expiryDate: z.string().nullable(),
      locationId: z.uuid(),
      quantity: z.number().int(),
    }),
    response: z.object({ lotId: z.string() }),
    status: 201,
    handler: async (ctx, { body }) => {
      const lotId = await ensureLot(ctx, {
        productId: body.productId,
        lot: body.lot,
        serial: body.serial,
        productionDate: '2026-01-15',
        expiryDate: body.expiryDate,
      });
      await postMovements(
        ctx,
        [
          {
            kind: 'receipt',
            lotId,
            locationId: body.locationId,
            quantity: body.quantity,
            docType: 'test',
            docId: ctx.requestId,
          },
        ],
        'inventory.stock.move',
      );
      return { lotId };
    },
  }),
];

type Who = keyof typeof PEOPLE;
type ManualClock = ReturnType<typeof manualClock>;

/** A GTIN-14 with its check digit, from 13 digits. */
const gtin = (body13: string) => `${body13}${gs1CheckDigit(body13)}`;

async function warehouse(app: TestApp, qa: Staff, code: string, site: string) {
  const w = await post(
    app,
    '/api/v1/master-data/warehouses',
    { code, name: `${code} 仓`, site, address: '示例路 1 号' },
    qa.cookie,
  );
  expect(w.statusCode, w.body).toBe(201);
  const id = w.json<{ warehouse: { id: string } }>().warehouse.id;
  const loc: Record<string, string> = {};
  for (const [zone, area] of [
    ['qualified', 'A'],
    ['shipping', 'S'],
    ['nonconforming', 'N'],
    ['returns', 'R'],
  ] as const) {
    const a = await post(
      app,
      `/api/v1/master-data/warehouses/${id}/areas`,
      { code: area, name: zone, zone, storage: 'normal' },
      qa.cookie,
    );
    const areaId = a
      .json<{ warehouse: { areas: { id: string; code: string }[] } }>()
      .warehouse.areas.find((x) => x.code === area)!.id;
    const l = await post(app, `/api/v1/master-data/areas/${areaId}/locations`, { code: `${area}-01` }, qa.cookie);
    loc[zone] = l
      .json<{ warehouse: { areas: { code: string; locations: { id: string }[] }[] } }>()
      .warehouse.areas.find((x) => x.code === area)!.locations[0]!.id;
  }
  return { id, loc };
}

async function setUp(opts: { people?: Who[]; products?: ProductFields[] } = {}) {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock, extraRoutes: testRoutes });
  const app = t;
  const admin = await firstAdmin(app);
  const qa = await staffWithRole(app, clock, admin.cookie, PEOPLE.qa, 'qa-manager');
  const roles: Record<Who, [string, string]> = {
    qa: ['qa-manager', ''],
    sales: ['sales', 'SH'],
    salesBj: ['sales', 'BJ'],
    store: ['warehouse', 'SH'],
    storeBj: ['warehouse', 'BJ'],
    reviewer: ['outbound-review', 'SH'],
    receiver: ['receiving', 'SH'],
    inspector: ['acceptance', 'SH'],
  };
  const staff = { qa } as Record<Who, Staff>;
  for (const who of opts.people ?? ['sales', 'store', 'reviewer']) {
    const [role, site] = roles[who];
    staff[who] = await staffWithRole(app, clock, admin.cookie, PEOPLE[who], role, site);
  }
  const products: string[] = [];
  for (const p of opts.products ?? [productFields()]) products.push(await approvedProduct(app, clock, qa, p));
  const hospital = await approvedParty(app, clock, qa, hospitalFields());
  const sh = await warehouse(app, qa, 'WH-SH', 'SH');
  return { app, clock, admin, staff, products, hospital, sh };
}

const receive = (
  app: TestApp,
  who: Staff,
  body: {
    productId: string;
    lot: string;
    serial?: string;
    expiryDate: string | null;
    locationId: string;
    quantity: number;
  },
) => post(app, '/api/v1/test/receive', { serial: null, ...body }, who.cookie);

async function order(
  app: TestApp,
  sales: Staff,
  body: {
    customerId: string;
    warehouseId: string;
    lines: { productId: string; quantity: number; unitPrice: number }[];
  },
) {
  const res = await post(app, '/api/v1/sales/orders', body, sales.cookie);
  expect(res.statusCode, res.body).toBe(201);
  const o = res.json<{ order: OrderView }>().order;
  const confirmed = await post(app, `/api/v1/sales/orders/${o.id}/confirmation`, undefined, sales.cookie);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return o;
}

const allocate = (app: TestApp, store: Staff, orderId: string) =>
  post(app, `/api/v1/sales/orders/${orderId}/allocation`, undefined, store.cookie);
const scan = (app: TestApp, reviewer: Staff, orderId: string, scans: string[]) =>
  post(app, `/api/v1/sales/reviews/${orderId}/scans`, { scans }, reviewer.cookie);
const conclude = (app: TestApp, clock: ManualClock, reviewer: Staff, orderId: string) =>
  post(
    app,
    `/api/v1/sales/reviews/${orderId}/conclusion`,
    { note: '包装完好，标签清晰', code: freshCode(app, clock, reviewer) },
    reviewer.cookie,
  );
const ship = (app: TestApp, store: Staff, orderId: string, extra: Record<string, unknown> = {}) =>
  post(
    app,
    `/api/v1/sales/orders/${orderId}/shipment`,
    { transport: { mode: 'carrier', carrier: '示例快运有限公司', waybillNo: 'SF1234567890' }, ...extra },
    store.cookie,
  );

const DI = '06901234567892';
const CASE_DI = '16901234567899';

describe('GSP sales: order → allocation → outbound review → shipment → slip → return', () => {
  test('GSP-01 GSP-02 GSP-04 VAL-10 the full path with scans in every FNC1 form, the art. 88 record, the delivery slip and a customer return; each document reads back for its readers', async () => {
    const { app, clock, admin, staff, products, hospital, sh } = await setUp({
      people: ['sales', 'store', 'reviewer', 'receiver', 'inspector'],
    });
    const { sales, store, reviewer, receiver, inspector, qa } = staff;
    const [productId] = products as [string];
    await receive(app, store, {
      productId,
      lot: 'LOTB',
      expiryDate: '2028-06-30',
      locationId: sh.loc.qualified!,
      quantity: 30,
    });
    await receive(app, store, {
      productId,
      lot: 'LOTA',
      expiryDate: '2027-12-31',
      locationId: sh.loc.qualified!,
      quantity: 20,
    });

    // GSP-02: the operator, status and amounts come from the server, never from the body.
    const forged = await post(
      app,
      '/api/v1/sales/orders',
      {
        customerId: hospital,
        warehouseId: sh.id,
        lines: [{ productId, quantity: 14, unitPrice: 125_00 }],
        createdByName: '别人',
        status: 'shipped',
      },
      sales.cookie,
    );
    expect(forged.statusCode).toBe(400);

    const created = await post(
      app,
      '/api/v1/sales/orders',
      {
        customerId: hospital,
        warehouseId: sh.id,
        delivery: { address: '示例市中山路 100 号 设备科库房', contact: '设备科 刘老师', phone: '021-5555 0199' },
        lines: [{ productId, quantity: 14, unitPrice: 125_00 }],
      },
      sales.cookie,
    );
    expect(created.statusCode, created.body).toBe(201);
    const o = created.json<{ order: OrderView }>().order;
    expect(o.orderNo).toBe('SO-20261129-0001');
    expect(o).toMatchObject({ status: 'draft', totalAmount: 14 * 125_00, createdByName: PEOPLE.sales.name });
    expect(o.lines[0]).toMatchObject({
      productName: '冠状动脉支架系统',
      model: 'CS-3018',
      certificateNo: '国械注准20233130001',
      manufacturerLicenceNo: '沪食药监械生产许20150001号',
      unit: '盒',
      amount: 14 * 125_00,
    });

    // VAL-10: no step can be skipped.
    expect((await allocate(app, store, o.id)).statusCode).toBe(409);
    expect((await post(app, `/api/v1/sales/orders/${o.id}/confirmation`, undefined, sales.cookie)).statusCode).toBe(
      200,
    );
    expect((await scan(app, reviewer, o.id, [`(01)${DI}(17)271231(10)LOTA`])).statusCode).toBe(409);
    expect((await conclude(app, clock, reviewer, o.id)).statusCode).toBe(409);
    expect((await ship(app, store, o.id)).statusCode).toBe(409);

    const allocated = await allocate(app, store, o.id);
    expect(allocated.statusCode, allocated.body).toBe(200);
    const ao = allocated.json<{ order: OrderView }>().order;
    expect(ao.status).toBe('allocated');
    // FEFO: the earlier expiry first.
    expect(ao.allocations.map((a) => [a.lot, a.quantity])).toEqual([['LOTA', 14]]);
    // The warehouse role sees no prices (AC-03); the picked units sit in the shipping zone.
    expect(ao.totalAmount).toBeNull();
    const stock = await get(app, `/api/v1/inventory/stock?productId=${productId}`, store.cookie);
    expect(
      stock
        .json<{ rows: { lot: string; zone: string; quantity: number }[] }>()
        .rows.map((r) => [r.lot, r.zone, r.quantity]),
    ).toEqual([
      ['LOTA', 'qualified', 6],
      ['LOTA', 'shipping', 14],
      ['LOTB', 'qualified', 30],
    ]);

    // Shipping before the signed review is refused.
    expect((await ship(app, store, o.id)).statusCode).toBe(409);

    // Scans: ASCII 29, ^ and <GS> as FNC1, bracketed HRI, and a case of ten (level 1 DI).
    const good = await scan(app, reviewer, o.id, [
      `]d201${DI}10LOTA\x1d17271231`,
      `^01${DI}10LOTA^17271231`,
      `01${DI}10LOTA<GS>17271231`,
      `(01)${DI}(17)271231(10)LOTA`,
    ]);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json<{ review: { allocations: { scanned: number }[] } }>().review.allocations[0]!.scanned).toBe(4);
    // Sales staff follow the review's progress (read only; they cannot count).
    const progress = await get(app, `/api/v1/sales/reviews/${o.id}`, sales.cookie);
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json()).toEqual({
      review: {
        orderId: o.id,
        status: 'allocated',
        complete: false,
        allocations: [
          {
            allocationId: ao.allocations[0]!.id,
            productName: '冠状动脉支架系统',
            lot: 'LOTA',
            serial: null,
            quantity: 14,
            scanned: 4,
          },
        ],
      },
    });
    // A lot not allocated, a wrong expiry on the label, an unknown DI: each refused and nothing counted.
    const wrongLot = await scan(app, reviewer, o.id, [
      `(01)${CASE_DI}(17)271231(10)LOTA`,
      `(01)${DI}(17)280630(10)LOTB`,
    ]);
    expect(wrongLot.statusCode).toBe(409);
    expect(wrongLot.json<{ message: string }>().message).toMatch(/Scan 2: lot LOTB .* is not allocated/);
    const mismatch = await scan(app, reviewer, o.id, [`(01)${DI}(17)271130(10)LOTA`]);
    expect(mismatch.json<{ message: string }>().message).toMatch(
      /label says expiry 2027-11-30 but lot LOTA is on file with 2027-12-31/,
    );
    const unknown = await scan(app, reviewer, o.id, [`(01)${gtin('0690123456788')}(10)LOTA`]);
    expect(unknown.statusCode).toBe(409);
    const unreadable = await scan(app, reviewer, o.id, ['(01)06901234567893(10)LOTA']);
    expect(unreadable.statusCode).toBe(400);
    // Conclusion before every unit is counted is refused.
    expect((await conclude(app, clock, reviewer, o.id)).statusCode).toBe(409);
    const caseScan = await scan(app, reviewer, o.id, [`(01)${CASE_DI}(17)271231(10)LOTA`]);
    expect(caseScan.statusCode, caseScan.body).toBe(200);
    expect(caseScan.json<{ review: { complete: boolean } }>().review.complete).toBe(true);
    // More than allocated is refused.
    expect((await scan(app, reviewer, o.id, [`(01)${DI}(17)271231(10)LOTA`])).statusCode).toBe(409);
    // The reviewer role may not ship.
    expect((await ship(app, reviewer, o.id)).statusCode).toBe(403);

    const signed = await conclude(app, clock, reviewer, o.id);
    expect(signed.statusCode, signed.body).toBe(200);
    const review = signed.json<{ review: ReviewRecord }>().review;
    expect(review).toMatchObject({
      orderNo: o.orderNo,
      buyer: { code: 'HOS-001', name: '示例市第一人民医院' },
      outboundDate: '2026-11-29',
      reviewerName: PEOPLE.reviewer.name,
    });
    expect(review.lines).toEqual([
      {
        productName: '冠状动脉支架系统',
        model: 'CS-3018',
        specification: '3.0mm×18mm',
        registrant: '示例医疗科技股份有限公司',
        contractManufacturer: null,
        certificateNo: '国械注准20233130001',
        lot: 'LOTA',
        serial: null,
        expiryDate: '2027-12-31',
        unit: '盒',
        quantity: 14,
        udi: `(01)${DI}(17)271231(10)LOTA`,
      },
    ]);
    // GSP-04: the signature binds the record; it is in the audit trail.
    const sig = await app.db
      .selectFrom('e_signature')
      .selectAll()
      .where('id', '=', review.signatureId)
      .executeTakeFirstOrThrow();
    expect(sig).toMatchObject({ subjectType: 'sales_order', subjectId: o.id, signerLogin: PEOPLE.reviewer.login });
    const stored = await app.db
      .selectFrom('sales_review')
      .select('content')
      .where('orderId', '=', o.id)
      .executeTakeFirstOrThrow();
    const content = JSON.parse(stored.content) as { lines: Record<string, unknown>[] };
    expect((await verifySignature({ db: app.db }, review.signatureId, content)).valid).toBe(true);
    const altered = { ...content, lines: [{ ...content.lines[0], quantity: 15 }] };
    expect((await verifySignature({ db: app.db }, review.signatureId, altered)).valid).toBe(false);
    // GSP art. 88: the signed record reads back unchanged for the warehouse that ships it.
    const recordRes = await get(app, `/api/v1/sales/reviews/${o.id}/record`, store.cookie);
    expect(recordRes.statusCode, recordRes.body).toBe(200);
    expect(recordRes.json<{ review: ReviewRecord }>().review).toEqual(review);
    expect(review).toMatchObject({ orderId: o.id, note: '包装完好，标签清晰', refusals: [] });

    // The transport record is a discriminated union: a carrier needs a waybill.
    const noWaybill = await post(
      app,
      `/api/v1/sales/orders/${o.id}/shipment`,
      { transport: { mode: 'carrier', carrier: '示例快运有限公司' } },
      store.cookie,
    );
    expect(noWaybill.statusCode).toBe(400);
    const mixed = await post(
      app,
      `/api/v1/sales/orders/${o.id}/shipment`,
      { transport: { mode: 'own_fleet', vehiclePlate: '沪A12345', carrier: 'x', driver: '赵师傅' } },
      store.cookie,
    );
    expect(mixed.statusCode).toBe(400);
    const shipped = await ship(app, store, o.id, { remarks: '轻拿轻放' });
    expect(shipped.statusCode, shipped.body).toBe(201);
    const shipment = shipped.json<{ shipment: { shipmentNo: string; shipDate: string; shippedByName: string } }>()
      .shipment;
    expect(shipment).toMatchObject({
      shipmentNo: 'SH-20261129-0001',
      shipDate: '2026-11-29',
      shippedByName: PEOPLE.store.name,
    });
    expect((await ship(app, store, o.id)).statusCode).toBe(409);
    // GSP art. 96: the shipment and its transport record, as sales staff read it.
    const shipmentRes = await get(app, `/api/v1/sales/orders/${o.id}/shipment`, sales.cookie);
    expect(shipmentRes.statusCode, shipmentRes.body).toBe(200);
    expect(shipmentRes.json<{ shipment: unknown }>().shipment).toEqual({
      ...shipped.json<{ shipment: object }>().shipment,
      orderId: o.id,
      orderNo: 'SO-20261129-0001',
      shipmentNo: 'SH-20261129-0001',
      shipDate: '2026-11-29',
      shippedByName: PEOPLE.store.name,
      transport: {
        mode: 'carrier',
        carrier: '示例快运有限公司',
        waybillNo: 'SF1234567890',
        vehiclePlate: null,
        driver: null,
      },
      consignee: {
        name: '示例市第一人民医院',
        address: '示例市中山路 100 号 设备科库房',
        contact: '设备科 刘老师',
        phone: '021-5555 0199',
      },
      thirdPartyLogistics: null,
      coldChain: null,
      remarks: '轻拿轻放',
    });

    // The delivery slip carries every art. 92 field; the DataMatrix data parses back.
    const slipRes = await get(app, `/api/v1/sales/orders/${o.id}/delivery-slip`, sales.cookie);
    expect(slipRes.statusCode, slipRes.body).toBe(200);
    const slip = DeliverySlip.parse(slipRes.json());
    expect(slip).toEqual({
      slipNo: 'SH-20261129-0001',
      orderNo: 'SO-20261129-0001',
      shipDate: '2026-11-29',
      supplier: TEST_COMPANY,
      consignee: {
        name: '示例市第一人民医院',
        address: '示例市中山路 100 号 设备科库房',
        contact: '设备科 刘老师',
        phone: '021-5555 0199',
      },
      transport: {
        mode: 'carrier',
        carrier: '示例快运有限公司',
        waybillNo: 'SF1234567890',
        storageConditions: ['normal'],
      },
      lines: [
        {
          productName: '冠状动脉支架系统',
          model: 'CS-3018',
          specification: '3.0mm×18mm',
          registrant: '示例医疗科技股份有限公司',
          contractManufacturer: null,
          manufacturerLicenceNo: '沪食药监械生产许20150001号',
          certificateNo: '国械注准20233130001',
          lot: 'LOTA',
          serial: null,
          productionDate: '2026-01-15',
          expiryDate: '2027-12-31',
          quantity: 14,
          unit: '盒',
          storage: 'normal',
          gs1ElementString: `01${DI}17271231` + '10LOTA',
          hri: `(01)${DI}(17)271231(10)LOTA`,
        },
      ],
      remarks: '轻拿轻放',
    });
    const back = parseUdi(`]d2${slip.lines[0]!.gs1ElementString!}`);
    expect(back.ok && [back.udi.di, back.udi.lot, back.udi.expiryDate]).toEqual([DI, 'LOTA', '2027-12-31']);
    // The same slip as a printable PDF, served as an attachment only to readers of the order.
    const pdf = await get(app, `/api/v1/sales/orders/${o.id}/delivery-slip.pdf`, sales.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The ledger shows the sale with prices for sales staff.
    const ledger = await get(app, `/api/v1/sales/ledgers/sales?from=2026-11-29&customerId=${hospital}`, sales.cookie);
    expect(ledger.json<{ rows: unknown[] }>().rows).toEqual([
      expect.objectContaining({
        orderNo: o.orderNo,
        lot: 'LOTA',
        quantity: 14,
        unitPrice: 125_00,
        amount: 14 * 125_00,
        customerLicenceNo: 'PDY00001-331010000A1001',
      }),
    ]);

    // Customer return: never-shipped goods and more than shipped are refused.
    const notShipped = await post(
      app,
      '/api/v1/sales/returns',
      {
        orderId: o.id,
        reason: '医院多订',
        transportConditions: '常温汽运',
        items: [{ scan: `(01)${DI}(17)280630(10)LOTB`, quantity: 1 }],
      },
      receiver.cookie,
    );
    expect(notShipped.statusCode).toBe(409);
    expect(notShipped.json<{ message: string }>().message).toMatch(/lot LOTB was not shipped to 示例市第一人民医院/);
    const tooMany = await post(
      app,
      '/api/v1/sales/returns',
      {
        orderId: o.id,
        reason: '医院多订',
        transportConditions: '常温汽运',
        items: [{ scan: `(01)${DI}(17)271231(10)LOTA`, quantity: 15 }],
      },
      receiver.cookie,
    );
    expect(tooMany.statusCode).toBe(409);
    const negative = await post(
      app,
      '/api/v1/sales/returns',
      {
        orderId: o.id,
        reason: '医院多订',
        transportConditions: '常温汽运',
        items: [{ scan: `(01)${DI}(17)271231(10)LOTA`, quantity: -1 }],
      },
      receiver.cookie,
    );
    expect(negative.statusCode).toBe(400);
    const returned = await post(
      app,
      '/api/v1/sales/returns',
      {
        orderId: o.id,
        reason: '医院多订',
        transportConditions: '常温汽运，专车',
        items: [{ scan: `01${DI}10LOTA\x1d17271231`, quantity: 3 }],
      },
      receiver.cookie,
    );
    expect(returned.statusCode, returned.body).toBe(201);
    const ret = returned.json<{ return: ReturnView }>().return;
    expect(ret).toMatchObject({
      returnNo: 'RT-20261129-0001',
      originalOutboundNo: 'SH-20261129-0001',
      status: 'received',
    });
    // The receiver may not inspect; the inspector decides with a signature.
    const inspect = (who: Staff, lines: unknown) =>
      post(
        app,
        `/api/v1/sales/returns/${ret.id}/inspection`,
        { lines, note: '外包装完好', code: freshCode(app, clock, who) },
        who.cookie,
      );
    expect((await inspect(receiver, [{ lineId: ret.lines[0]!.id, qualified: 3, nonconforming: 0 }])).statusCode).toBe(
      403,
    );
    expect((await inspect(inspector, [{ lineId: ret.lines[0]!.id, qualified: 2, nonconforming: 0 }])).statusCode).toBe(
      400,
    );
    const inspected = await inspect(inspector, [{ lineId: ret.lines[0]!.id, qualified: 2, nonconforming: 1 }]);
    expect(inspected.statusCode, inspected.body).toBe(200);
    expect(inspected.json<{ return: ReturnView }>().return).toMatchObject({
      status: 'inspected',
      inspectorName: PEOPLE.inspector.name,
      lines: [
        {
          lot: 'LOTA',
          quantity: 3,
          qualified: 2,
          nonconforming: 1,
          qualityStatus: 'nonconforming',
          udi: `(01)${DI}(17)271231(10)LOTA`,
        },
      ],
    });
    // GSP art. 106: sales staff open the inspected return with its per-line quality split.
    const returnRes = await get(app, `/api/v1/sales/returns/${ret.id}`, sales.cookie);
    expect(returnRes.statusCode, returnRes.body).toBe(200);
    expect(returnRes.json<{ return: ReturnView }>().return).toEqual(inspected.json<{ return: ReturnView }>().return);
    expect(returnRes.json<{ return: ReturnView }>().return).toMatchObject({
      id: ret.id,
      orderId: o.id,
      orderNo: 'SO-20261129-0001',
      returningParty: { id: hospital, code: 'HOS-001', name: '示例市第一人民医院' },
      reason: '医院多订',
      transportConditions: '常温汽运，专车',
      coldChain: null,
      receivedByName: PEOPLE.receiver.name,
      note: '外包装完好',
      signatureId: expect.any(String) as string,
    });
    const returnLedger = await get(app, '/api/v1/sales/ledgers/returns', qa.cookie);
    expect(
      returnLedger
        .json<{ rows: { qualityStatus: string; quantity: number; inspectorName: string }[] }>()
        .rows.map((r) => [r.qualityStatus, r.quantity, r.inspectorName]),
    ).toEqual([
      ['qualified', 2, PEOPLE.inspector.name],
      ['nonconforming', 1, PEOPLE.inspector.name],
    ]);

    // The nonconforming unit is destroyed by QA with a signature and two witnesses.
    const ncLot = (await get(app, `/api/v1/inventory/stock?zone=nonconforming`, qa.cookie)).json<{
      rows: { lotId: string; locationId: string; quantity: number }[];
    }>().rows[0]!;
    const disposal = await post(
      app,
      '/api/v1/sales/disposals',
      {
        method: '破碎后交有资质单位焚烧',
        reason: '退货验收不合格',
        witnesses: ['孙质量', '马仓储'],
        items: [{ lotId: ncLot.lotId, locationId: ncLot.locationId, quantity: 1 }],
        code: freshCode(app, clock, qa),
      },
      qa.cookie,
    );
    expect(disposal.statusCode, disposal.body).toBe(201);
    expect(disposal.json<{ disposal: { disposalDate: string; signerName: string } }>().disposal).toMatchObject({
      disposalDate: '2026-11-29',
      signerName: PEOPLE.qa.name,
    });
    // GSP art. 76: the destruction record reads back for the warehouse, with its witnesses and units.
    const disposalId = disposal.json<{ disposal: { id: string } }>().disposal.id;
    const disposalRes = await get(app, `/api/v1/sales/disposals/${disposalId}`, store.cookie);
    expect(disposalRes.statusCode, disposalRes.body).toBe(200);
    expect(disposalRes.json<{ disposal: unknown }>().disposal).toEqual(disposal.json<{ disposal: unknown }>().disposal);
    expect(disposalRes.json<{ disposal: unknown }>().disposal).toMatchObject({
      id: disposalId,
      warehouseCode: 'WH-SH',
      method: '破碎后交有资质单位焚烧',
      reason: '退货验收不合格',
      witnesses: ['孙质量', '马仓储'],
      signatureId: expect.any(String) as string,
      lines: [
        {
          productName: '冠状动脉支架系统',
          certificateNo: '国械注准20233130001',
          lot: 'LOTA',
          serial: null,
          expiryDate: '2027-12-31',
          zone: 'nonconforming',
          quantity: 1,
        },
      ],
    });
    // Qualified stock is not disposed of this way.
    const fromQualified = await post(
      app,
      '/api/v1/sales/disposals',
      {
        method: '焚烧',
        reason: 'x1',
        witnesses: ['甲', '乙'],
        items: [{ lotId: ncLot.lotId, locationId: sh.loc.qualified!, quantity: 1 }],
        code: freshCode(app, clock, qa),
      },
      qa.cookie,
    );
    expect(fromQualified.statusCode).toBe(409);

    // Return to a supplier from qualified stock, with a transport record.
    const supplier = await approvedParty(app, clock, qa, supplierFields());
    const lotB = (await get(app, `/api/v1/inventory/stock?lot=LOTB`, qa.cookie)).json<{ rows: { lotId: string }[] }>()
      .rows[0]!;
    const sr = await post(
      app,
      '/api/v1/sales/supplier-returns',
      {
        supplierId: supplier,
        reason: '近效期退回供应商',
        transport: { mode: 'own_fleet', vehiclePlate: '沪A12345', driver: '赵师傅' },
        items: [{ lotId: lotB.lotId, locationId: sh.loc.qualified!, quantity: 5 }],
      },
      qa.cookie,
    );
    expect(sr.statusCode, sr.body).toBe(201);
    expect(
      sr.json<{ supplierReturn: { returnNo: string; lines: { quantity: number }[] } }>().supplierReturn,
    ).toMatchObject({
      returnNo: 'SR-20261129-0001',
      lines: [{ quantity: 5 }],
    });
    // The return to the supplier reads back for the warehouse, with its transport record.
    const srId = sr.json<{ supplierReturn: { id: string } }>().supplierReturn.id;
    const srRes = await get(app, `/api/v1/sales/supplier-returns/${srId}`, store.cookie);
    expect(srRes.statusCode, srRes.body).toBe(200);
    expect(srRes.json<{ supplierReturn: unknown }>().supplierReturn).toEqual(
      sr.json<{ supplierReturn: unknown }>().supplierReturn,
    );
    expect(srRes.json<{ supplierReturn: unknown }>().supplierReturn).toMatchObject({
      id: srId,
      supplier: { id: supplier, code: 'SUP-001', name: '华康医疗器械贸易有限公司' },
      warehouseCode: 'WH-SH',
      reason: '近效期退回供应商',
      returnDate: '2026-11-29',
      returnedByName: PEOPLE.qa.name,
      transport: { mode: 'own_fleet', carrier: null, waybillNo: null, vehiclePlate: '沪A12345', driver: '赵师傅' },
      lines: [{ lot: 'LOTB', expiryDate: '2028-06-30', zone: 'qualified', quantity: 5 }],
    });

    // GSP-01: posted documents are never edited or deleted, not even with database access.
    await expect(sql`UPDATE sales_shipment SET "waybillNo" = 'X'`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM sales_order`.execute(app.db)).rejects.toThrow(/never deleted|append-only/);
    await expect(sql`DELETE FROM sales_review`.execute(app.db)).rejects.toThrow(/append-only/);
    const del = await app.app.inject({
      method: 'DELETE',
      url: `/api/v1/sales/orders/${o.id}`,
      headers: { cookie: admin.cookie },
    });
    expect([404, 405]).toContain(del.statusCode);
    // Shipped orders cannot be cancelled.
    expect(
      (await post(app, `/api/v1/sales/orders/${o.id}/cancellation`, { reason: '客户取消' }, sales.cookie)).statusCode,
    ).toBe(409);

    const actions = (await app.db.selectFrom('audit_event').select('canonical').execute()).map(
      (e) => (JSON.parse(e.canonical) as { action: string }).action,
    );
    for (const a of [
      'sales.order.created',
      'sales.order.confirmed',
      'sales.order.allocated',
      'sales.review.scanned',
      'sales.review.signed',
      'sales.order.shipped',
      'sales.return.received',
      'sales.return.inspected',
      'sales.disposal.recorded',
      'sales.supplierReturn.created',
    ]) {
      expect(actions, a).toContain(a);
    }
  });

  test('GSP art. 87 ATK-LOGIC refusals at review move units to nonconforming, tell QA and send the order back to allocation; cancellation puts picked stock back', async () => {
    const { app, clock, staff, products, hospital, sh } = await setUp();
    const { sales, store, reviewer, qa } = staff;
    const [productId] = products as [string];
    await receive(app, store, {
      productId,
      lot: 'L1',
      expiryDate: '2027-03-31',
      locationId: sh.loc.qualified!,
      quantity: 3,
    });
    await receive(app, store, {
      productId,
      lot: 'L2',
      expiryDate: '2027-09-30',
      locationId: sh.loc.qualified!,
      quantity: 5,
    });
    const o = await order(app, sales, {
      customerId: hospital,
      warehouseId: sh.id,
      lines: [{ productId, quantity: 4, unitPrice: 100 }],
    });
    const a = (await allocate(app, store, o.id)).json<{ order: OrderView }>().order;
    expect(a.allocations.map((x) => [x.lot, x.quantity])).toEqual([
      ['L1', 3],
      ['L2', 1],
    ]);
    const l1 = a.allocations[0]!;
    const refuse = (body: unknown) => post(app, `/api/v1/sales/reviews/${o.id}/refusals`, body, reviewer.cookie);
    expect((await refuse({ allocationId: l1.id, quantity: 1, reason: 'other', note: '' })).statusCode).toBe(400);
    expect((await refuse({ allocationId: l1.id, quantity: 4, reason: 'seal_broken', note: '' })).statusCode).toBe(409);
    const refused = await refuse({ allocationId: l1.id, quantity: 1, reason: 'packaging_damaged', note: '外箱破损' });
    expect(refused.statusCode, refused.body).toBe(200);
    const after = (await get(app, `/api/v1/sales/orders/${o.id}`, sales.cookie)).json<{ order: OrderView }>().order;
    expect(after.status).toBe('confirmed');
    expect(after.lines[0]!.allocated).toBe(3);
    const notes = await app.db
      .selectFrom('user_notification')
      .select(['userId', 'kind', 'data'])
      .where('kind', '=', 'outbound_anomaly')
      .execute();
    expect(notes.map((n) => n.userId)).toEqual([qa.id]);
    expect(JSON.parse(notes[0]!.data)).toEqual({
      orderNo: o.orderNo,
      lot: 'L1',
      quantity: 1,
      reason: 'packaging_damaged',
    });
    // Scanning waits for the missing unit to be allocated.
    expect((await scan(app, reviewer, o.id, [`(01)${DI}(17)270331(10)L1`])).statusCode).toBe(409);
    const more = (await allocate(app, store, o.id)).json<{ order: OrderView }>().order;
    expect(more.status).toBe('allocated');
    expect(more.allocations.filter((x) => x.state === 'active').map((x) => [x.lot, x.quantity - x.refused])).toEqual([
      ['L1', 2],
      ['L2', 1],
      ['L2', 1],
    ]);
    const ok = await scan(app, reviewer, o.id, [
      `(01)${DI}(17)270331(10)L1`,
      `(01)${DI}(17)270331(10)L1`,
      `(01)${DI}(17)270930(10)L2`,
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    // The review ledger shows the refusal.
    const ledger = await get(app, '/api/v1/sales/ledgers/outbound-reviews', qa.cookie);
    expect(ledger.json<{ rows: { conclusion: string; refusalReason: string | null; lot: string }[] }>().rows).toEqual([
      expect.objectContaining({ conclusion: 'refused', refusalReason: 'packaging_damaged', lot: 'L1', quantity: 1 }),
    ]);
    // Cancelled before shipment: the picked units go back to the qualified zone.
    const cancelled = await post(
      app,
      `/api/v1/sales/orders/${o.id}/cancellation`,
      { reason: '医院取消采购计划' },
      sales.cookie,
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<{ order: OrderView }>().order).toMatchObject({
      status: 'cancelled',
      cancelReason: '医院取消采购计划',
    });
    const stock = (await get(app, `/api/v1/inventory/stock?productId=${productId}`, store.cookie)).json<{
      rows: { lot: string; zone: string; quantity: number }[];
    }>();
    expect(stock.rows.map((r) => [r.lot, r.zone, r.quantity]).sort()).toEqual([
      ['L1', 'nonconforming', 1],
      ['L1', 'qualified', 2],
      ['L2', 'qualified', 5],
    ]);
    void clock;
  });
});

describe('GSP-03 GSP-05 expiry and qualification locks', () => {
  test('GSP-05 an expired lot is never allocated, and stock that expires after allocation cannot be shipped (refusals name lot and date)', async () => {
    const { app, clock, staff, products, hospital, sh } = await setUp();
    const { sales, store, reviewer } = staff;
    const [productId] = products as [string];
    await receive(app, store, {
      productId,
      lot: 'OLD',
      expiryDate: '2026-11-28',
      locationId: sh.loc.qualified!,
      quantity: 5,
    });
    const o1 = await order(app, sales, {
      customerId: hospital,
      warehouseId: sh.id,
      lines: [{ productId, quantity: 2, unitPrice: 100 }],
    });
    const refused = await allocate(app, store, o1.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('OLD (expired 2026-11-28)');

    await receive(app, store, {
      productId,
      lot: 'SOON',
      expiryDate: '2026-12-01',
      locationId: sh.loc.qualified!,
      quantity: 2,
    });
    expect((await allocate(app, store, o1.id)).statusCode).toBe(200);
    expect(
      (await scan(app, reviewer, o1.id, [`(01)${DI}(17)261201(10)SOON`, `(01)${DI}(17)261201(10)SOON`])).statusCode,
    ).toBe(200);
    expect((await conclude(app, clock, reviewer, o1.id)).statusCode).toBe(200);
    // The clock moves past the expiry between review and shipment.
    clock.advance(3 * 86_400_000);
    for (const s of [store, sales, reviewer]) await signInAgain(app, clock, s);
    const late = await ship(app, store, o1.id);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ message: string }>().message).toBe(
      'Lot SOON expired on 2026-12-01: expired stock is locked and cannot be shipped.',
    );
    // Nothing left the shipping zone.
    const row = await app.db
      .selectFrom('inv_balance')
      .select('quantity')
      .where('zone', '=', 'shipping')
      .executeTakeFirstOrThrow();
    expect(Number(row.quantity)).toBe(2);
  });

  test('GSP-03 ATK-LOGIC a customer licence that expires between order and shipment, and a scope that does not cover the product, are refused naming them', async () => {
    const { app, clock, staff, products, sh } = await setUp({
      products: [
        productFields(),
        productFields({
          code: 'PRD-IMG-01',
          name: '医用内窥镜',
          catalogCode: '06-14-01',
          packages: [{ level: 0, unit: '台', quantity: 1, dis: [{ issuer: 'GS1', di: gtin('0690123456781') }] }],
        }),
      ],
    });
    const { sales, store, reviewer, qa } = staff;
    const [stent, scope] = products as [string, string];
    const distributor = await approvedParty(app, clock, qa, distributorFields());
    const blocked = await post(
      app,
      '/api/v1/sales/orders',
      { customerId: distributor, warehouseId: sh.id, lines: [{ productId: scope, quantity: 1, unitPrice: 100 }] },
      sales.cookie,
    );
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json<{ code: string; message: string }>()).toMatchObject({ code: 'qualification_blocked' });
    expect(blocked.json<{ message: string }>().message).toContain('missing III:06-14-01');

    await receive(app, store, {
      productId: stent,
      lot: 'LX',
      expiryDate: '2028-12-31',
      locationId: sh.loc.qualified!,
      quantity: 3,
    });
    const o = await order(app, sales, {
      customerId: distributor,
      warehouseId: sh.id,
      lines: [{ productId: stent, quantity: 1, unitPrice: 100 }],
    });
    expect((await allocate(app, store, o.id)).statusCode).toBe(200);
    expect((await scan(app, reviewer, o.id, [`(01)${DI}(17)281231(10)LX`])).statusCode).toBe(200);
    expect((await conclude(app, clock, reviewer, o.id)).statusCode).toBe(200);
    clock.advance(33 * 86_400_000);
    await signInAgain(app, clock, store);
    const late = await ship(app, store, o.id);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('qualification_blocked');
    expect(late.json<{ message: string }>().message).toContain('(No. 浙药监械经营许20210002号) expired on 2026-12-31');
    const audit = (await app.db.selectFrom('audit_event').select('canonical').execute()).filter(
      (e) => (JSON.parse(e.canonical) as { action: string }).action === 'master-data.trade.blocked',
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(
      (await get(app, `/api/v1/sales/orders/${o.id}`, store.cookie)).json<{ order: OrderView }>().order.status,
    ).toBe('reviewed');
  });
});

describe('VAL-10 ATK-LOGIC concurrency', () => {
  test('VAL-10 concurrent allocation of the last unit and concurrent shipping of one order: exactly one succeeds', async () => {
    const { app, clock, staff, products, hospital, sh } = await setUp();
    const { sales, store, reviewer } = staff;
    const [productId] = products as [string];
    await receive(app, store, {
      productId,
      lot: 'ONE',
      expiryDate: '2027-06-30',
      locationId: sh.loc.qualified!,
      quantity: 1,
    });
    const line = [{ productId, quantity: 1, unitPrice: 100 }];
    const orders = [];
    for (let i = 0; i < 4; i++) {
      orders.push(await order(app, sales, { customerId: hospital, warehouseId: sh.id, lines: line }));
    }
    expect(orders.map((o) => o.orderNo)).toEqual([
      'SO-20261129-0001',
      'SO-20261129-0002',
      'SO-20261129-0003',
      'SO-20261129-0004',
    ]);
    const results = await Promise.all(orders.map((o) => allocate(app, store, o.id)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const winner = orders[results.findIndex((r) => r.statusCode === 200)]!;
    const picks = await app.db.selectFrom('sales_allocation').select('orderId').execute();
    expect(picks.map((p) => p.orderId)).toEqual([winner.id]);

    expect((await scan(app, reviewer, winner.id, [`(01)${DI}(17)270630(10)ONE`])).statusCode).toBe(200);
    expect((await conclude(app, clock, reviewer, winner.id)).statusCode).toBe(200);
    const shipped = await Promise.all([1, 2, 3, 4].map(() => ship(app, store, winner.id)));
    expect(shipped.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect(await app.db.selectFrom('sales_shipment').select('id').execute()).toHaveLength(1);
    const issues = await app.db.selectFrom('inv_movement').select('quantity').where('kind', '=', 'issue').execute();
    expect(issues.map((m) => Number(m.quantity))).toEqual([-1]);

    // Concurrent orders get distinct numbers.
    const many = await Promise.all(
      [1, 2, 3].map(() =>
        post(app, '/api/v1/sales/orders', { customerId: hospital, warehouseId: sh.id, lines: line }, sales.cookie),
      ),
    );
    expect(many.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(many.map((r) => r.json<{ order: OrderView }>().order.orderNo)).size).toBe(3);
  });
});

describe('AC-02 AC-01 scope and roles', () => {
  test('AC-02 AC-01 other-site users get 404 on orders, slips and warehouses of another site; wrong roles get 403', async () => {
    const { app, staff, products, hospital, sh } = await setUp({ people: ['sales', 'store', 'salesBj', 'storeBj'] });
    const { sales, store, salesBj, storeBj, qa } = staff;
    const [productId] = products as [string];
    await receive(app, store, {
      productId,
      lot: 'S1',
      expiryDate: '2027-06-30',
      locationId: sh.loc.qualified!,
      quantity: 5,
    });
    const o = await order(app, sales, {
      customerId: hospital,
      warehouseId: sh.id,
      lines: [{ productId, quantity: 1, unitPrice: 100 }],
    });
    expect((await get(app, `/api/v1/sales/orders/${o.id}`, salesBj.cookie)).statusCode).toBe(404);
    expect((await allocate(app, storeBj, o.id)).statusCode).toBe(404);
    expect(
      (await post(app, `/api/v1/sales/orders/${o.id}/cancellation`, { reason: '试试' }, salesBj.cookie)).statusCode,
    ).toBe(404);
    expect((await get(app, `/api/v1/sales/orders/${o.id}/delivery-slip`, salesBj.cookie)).statusCode).toBe(404);
    // A BJ sales user cannot create an order shipping from an SH warehouse.
    const cross = await post(
      app,
      '/api/v1/sales/orders',
      { customerId: hospital, warehouseId: sh.id, lines: [{ productId, quantity: 1, unitPrice: 100 }] },
      salesBj.cookie,
    );
    expect(cross.statusCode).toBe(404);
    const listBj = await get(app, '/api/v1/sales/orders', salesBj.cookie);
    expect(listBj.json<{ orders: unknown[] }>().orders).toEqual([]);
    expect((await get(app, '/api/v1/sales/orders', sales.cookie)).json<{ orders: unknown[] }>().orders).toHaveLength(1);
    // Wrong roles: the warehouse may not create orders, sales may not allocate or ship, nobody but QA disposes.
    expect(
      (
        await post(
          app,
          '/api/v1/sales/orders',
          { customerId: hospital, warehouseId: sh.id, lines: [{ productId, quantity: 1, unitPrice: 100 }] },
          store.cookie,
        )
      ).statusCode,
    ).toBe(403);
    expect((await allocate(app, sales, o.id)).statusCode).toBe(403);
    expect((await ship(app, sales, o.id)).statusCode).toBe(403);
    expect((await scan(app, store, o.id, [`(01)${DI}(10)S1`])).statusCode).toBe(403);
    expect((await get(app, '/api/v1/sales/ledgers/sales', store.cookie)).statusCode).toBe(403);
    // QA reads the ledger without prices.
    expect(
      (await get(app, '/api/v1/sales/orders', qa.cookie)).json<{ orders: { totalAmount: unknown }[] }>().orders[0]!
        .totalAmount,
    ).toBeNull();
  });
});

describe('GSP art. 95 / 67 cold chain and serialised units', () => {
  test('GSP-04 ATK-LOGIC cold-chain shipments need the loading record; cold returns need the temperature record; a serial is counted once', async () => {
    const coldDi = gtin('0690123456782');
    const { app, clock, staff, products, hospital, sh } = await setUp({
      people: ['sales', 'store', 'reviewer', 'receiver'],
      products: [
        productFields({
          code: 'PRD-COLD-01',
          name: '体外诊断试剂盒',
          storage: 'cold_2_8',
          packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: coldDi }] }],
        }),
      ],
    });
    const { sales, store, reviewer, receiver } = staff;
    const [productId] = products as [string];
    for (const serial of ['SN001', 'SN002']) {
      await receive(app, store, {
        productId,
        lot: 'C1',
        serial,
        expiryDate: '2027-05-31',
        locationId: sh.loc.qualified!,
        quantity: 1,
      });
    }
    const o = await order(app, sales, {
      customerId: hospital,
      warehouseId: sh.id,
      lines: [{ productId, quantity: 2, unitPrice: 100 }],
    });
    expect((await allocate(app, store, o.id)).statusCode).toBe(200);
    const first = `]d201${coldDi}17270531` + `10C1\x1d21SN001`;
    expect((await scan(app, reviewer, o.id, [first])).statusCode).toBe(200);
    const again = await scan(app, reviewer, o.id, [first]);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toMatch(/serial SN001 of lot C1 has already been counted/);
    const noSerial = await scan(app, reviewer, o.id, [`(01)${coldDi}(17)270531(10)C1`]);
    expect(noSerial.statusCode).toBe(409);
    expect((await scan(app, reviewer, o.id, [`(01)${coldDi}(17)270531(10)C1(21)SN002`])).statusCode).toBe(200);
    expect((await conclude(app, clock, reviewer, o.id)).statusCode).toBe(200);

    expect((await ship(app, store, o.id)).statusCode).toBe(400);
    const loadedAt = new Date(clock.now().getTime() - 10 * 60_000).toISOString();
    const warm = await ship(app, store, o.id, {
      coldChain: { boxPreconditioned: true, loadedAt, temperatureAtLoading: 12 },
    });
    expect(warm.statusCode).toBe(409);
    expect(warm.json<{ message: string }>().message).toMatch(/12 ℃ is outside 2–8 ℃/);
    const cold = await ship(app, store, o.id, {
      coldChain: { boxPreconditioned: true, loadedAt, temperatureAtLoading: 4.5 },
      thirdPartyLogistics: '示例冷链物流有限公司',
    });
    expect(cold.statusCode, cold.body).toBe(201);
    const slip = DeliverySlip.parse(
      (await get(app, `/api/v1/sales/orders/${o.id}/delivery-slip`, sales.cookie)).json(),
    );
    expect(slip.transport).toMatchObject({
      storageConditions: ['cold_2_8'],
      thirdPartyLogistics: '示例冷链物流有限公司',
    });
    expect(slip.lines.map((l) => [l.serial, l.gs1ElementString, l.hri])).toEqual([
      ['SN001', `01${coldDi}17270531` + '10C1\x1d21SN001', `(01)${coldDi}(17)270531(10)C1(21)SN001`],
      ['SN002', `01${coldDi}17270531` + '10C1\x1d21SN002', `(01)${coldDi}(17)270531(10)C1(21)SN002`],
    ]);

    const base = {
      orderId: o.id,
      reason: '冷链箱温度计异常',
      transportConditions: '冷藏车 2–8 ℃',
      items: [{ scan: first, quantity: 1 }],
    };
    const noRecord = await post(app, '/api/v1/sales/returns', base, receiver.cookie);
    expect(noRecord.statusCode).toBe(409);
    expect(noRecord.json<{ message: string }>().message).toMatch(/temperature record/);
    const breached = await post(
      app,
      '/api/v1/sales/returns',
      { ...base, coldChain: { temperatureRecordChecked: true, minTemperature: 3, maxTemperature: 11 } },
      receiver.cookie,
    );
    expect(breached.statusCode).toBe(409);
    const accepted = await post(
      app,
      '/api/v1/sales/returns',
      { ...base, coldChain: { temperatureRecordChecked: true, minTemperature: 3.1, maxTemperature: 6.8 } },
      receiver.cookie,
    );
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json<{ return: ReturnView }>().return.lines.map((l) => [l.serial, l.quantity])).toEqual([
      ['SN001', 1],
    ]);
    // The same serial cannot come back twice.
    const twice = await post(
      app,
      '/api/v1/sales/returns',
      { ...base, coldChain: { temperatureRecordChecked: true, minTemperature: 3.1, maxTemperature: 6.8 } },
      receiver.cookie,
    );
    expect(twice.statusCode).toBe(409);
  });
});
