import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import type { MaintenanceCheckView, MaintenanceDueResponse, StocktakeView } from '@medledger/contract';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import {
  approvedProduct,
  freshCode,
  get,
  productFields,
  signInAgain,
  staffWithRole,
  type Staff,
} from '../../../test/master-data-helpers.js';
import { grantRole, warehouseWithZones } from '../../../test/procurement-helpers.js';
import { passCourse } from '../../../test/training-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { route } from '../../platform/http/route.js';
import { ensureLot, postMovements } from './index.js';

// Synthetic staff only.
const QA = { login: 'qa.sun', name: '孙质量', password: 'amber falcon 秋水 meadow' };
const STORE = { login: 'store.qian', name: '钱仓储', password: 'silver birch 明月 harbor' };
const STORE_BJ = { login: 'store.zheng', name: '郑仓储', password: 'velvet canyon 北斗 sparrow' };

const BOX_DI = '06901234567892';
const CASE_DI = '16901234567899';
const scan = (di: string, expiry: string, lot: string) => `01${di}17${expiry}10${lot}`;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A test-only route standing in for a receiving document. */
const testRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/test/receive',
    permission: 'inventory.stock.move',
    summary: 'test: receive a lot into a location',
    body: z.strictObject({
      productId: z.uuid(),
      lot: z.string(),
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
        serial: null,
        productionDate: null,
        expiryDate: body.expiryDate,
      });
      await postMovements(
        ctx,
        [
          {
            kind: body.quantity > 0 ? 'receipt' : 'issue',
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

const AREAS = {
  A: { zone: 'qualified', storage: 'normal' },
  B: { zone: 'qualified', storage: 'normal' },
  AC: { zone: 'qualified', storage: 'cold_2_8' },
} as const;

async function setUp() {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock, extraRoutes: testRoutes });
  const admin = await firstAdmin(t);
  const qa = await staffWithRole(t, clock, admin.cookie, QA, 'qa-manager');
  const productId = await approvedProduct(t, clock, qa, productFields());
  const sh = await warehouseWithZones(t, qa, 'WH-SH', 'SH', { ...AREAS });
  const bj = await warehouseWithZones(t, qa, 'WH-BJ', 'BJ', { ...AREAS });
  const store = await staffWithRole(t, clock, admin.cookie, STORE, 'warehouse', 'SH');
  const storeBj = await staffWithRole(t, clock, admin.cookie, STORE_BJ, 'warehouse', 'BJ');
  const app = t;
  const receive = async (lot: string, expiryDate: string | null, locationId: string, quantity: number) => {
    const r = await post(
      app,
      '/api/v1/test/receive',
      { productId, lot, expiryDate, locationId, quantity },
      store.cookie,
    );
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ lotId: string }>().lotId;
  };
  return { app, clock, admin, qa, store, storeBj, productId, sh, bj, receive };
}

/** The audit actions recorded about a resource. */
async function auditActions(app: TestApp, resourceId: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('audit_event')
    .select('canonical')
    .where('canonical', 'like', `%${resourceId}%`)
    .execute();
  return rows
    .map((r) => JSON.parse(r.canonical) as { action: string; resource?: { id: string } | null })
    .filter((e) => e.resource?.id === resourceId)
    .map((e) => e.action);
}

const view = (res: { json: <T>() => T }) => res.json<{ stocktake: StocktakeView }>().stocktake;

async function openCounted(app: TestApp, store: Staff, warehouseId: string) {
  const res = await post(app, '/api/v1/inventory/stocktakes', { warehouseId }, store.cookie);
  expect(res.statusCode, res.body).toBe(201);
  return view(res);
}

describe('GSP art. 77 stocktake with variance approval', () => {
  test('GSP-04 ATK-LOGIC a full stocktake: scanned and typed counts, a found lot, QA approval with a signature posts gain and loss to the ledger; then it is frozen (GSP-01 LOG-01)', async () => {
    const { app, clock, qa, store, sh, receive } = await setUp();
    await receive('L1', '2027-06-30', sh.locations.A!, 5);
    await receive('L2', '2027-06-30', sh.locations.B!, 3);
    const opened = await openCounted(app, store, sh.id);
    expect(opened.status).toBe('counting');
    expect(opened.number).toMatch(/^PD-20261129-0001$/);
    expect(
      opened.lines
        .map((l) => [l.lot, l.bookQuantity, l.countedQuantity])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual([
      ['L1', 5, null],
      ['L2', 3, null],
    ]);
    // Scanning at A: four boxes of L1, and one case (10 boxes) of L3 that is not on the book.
    const scanned = await post(
      app,
      `/api/v1/inventory/stocktakes/${opened.id}/scans`,
      {
        locationId: sh.locations.A!,
        scans: [
          ...Array.from({ length: 4 }, () => scan(BOX_DI, '270630', 'L1')),
          `]C1${scan(CASE_DI, '280131', 'L3')}`,
        ],
      },
      store.cookie,
    );
    expect(scanned.statusCode, scanned.body).toBe(200);
    const afterScan = view(scanned);
    const l1 = afterScan.lines.find((l) => l.lot === 'L1')!;
    const l3 = afterScan.lines.find((l) => l.lot === 'L3')!;
    expect([l1.countedQuantity, l1.variance]).toEqual([4, -1]);
    expect([l3.onBook, l3.bookQuantity, l3.countedQuantity, l3.variance]).toEqual([false, 0, 10, 10]);
    // An unreadable scan counts nothing.
    const bad = await post(
      app,
      `/api/v1/inventory/stocktakes/${opened.id}/scans`,
      { locationId: sh.locations.A!, scans: [scan(BOX_DI, '270630', 'L1'), '01123'] },
      store.cookie,
    );
    expect(bad.statusCode).toBe(400);
    // Submitting with a line not counted is refused, naming it.
    const early = await post(app, `/api/v1/inventory/stocktakes/${opened.id}/submit`, undefined, store.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toMatch(/not counted/);
    const l2 = afterScan.lines.find((l) => l.lot === 'L2')!;
    const typed = await post(
      app,
      `/api/v1/inventory/stocktakes/${opened.id}/counts`,
      { lineId: l2.id, countedQuantity: 5 },
      store.cookie,
    );
    expect(typed.statusCode, typed.body).toBe(200);
    const submitted = await post(app, `/api/v1/inventory/stocktakes/${opened.id}/submit`, undefined, store.cookie);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(view(submitted).totals).toMatchObject({ gain: 12, loss: 1, changed: 0 });
    // Counting after submission is refused.
    expect(
      (
        await post(
          app,
          `/api/v1/inventory/stocktakes/${opened.id}/counts`,
          { lineId: l2.id, countedQuantity: 4 },
          store.cookie,
        )
      ).statusCode,
    ).toBe(409);
    // The keeper cannot approve at all (no permission).
    expect((await post(app, `/api/v1/inventory/stocktakes/${opened.id}/approve`, {}, store.cookie)).statusCode).toBe(
      403,
    );
    const approved = await post(
      app,
      `/api/v1/inventory/stocktakes/${opened.id}/approve`,
      { code: freshCode(app, clock, qa), note: '差异已核实' },
      qa.cookie,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    const done = view(approved);
    expect(done.status).toBe('approved');
    expect(done.approved).toMatchObject({ name: QA.name, signatureValid: true });
    const ledger = await app.db
      .selectFrom('inv_movement')
      .select(['kind', 'quantity', 'actorName'])
      .where('docId', '=', opened.id)
      .orderBy('seq')
      .execute();
    expect(ledger.map((m) => [m.kind, Number(m.quantity)]).sort()).toEqual(
      [
        ['stocktake_gain', 10],
        ['stocktake_gain', 2],
        ['stocktake_loss', -1],
      ].sort(),
    );
    expect(ledger.every((m) => m.actorName === QA.name)).toBe(true);
    const stock = await app.db.selectFrom('inv_balance').select(['lotId', 'quantity']).execute();
    expect(stock.map((s) => Number(s.quantity)).sort((a, b) => a - b)).toEqual([4, 5, 10]);
    // LOG-01: every step is in the audit trail.
    const actions = await auditActions(app, opened.id);
    expect(new Set(actions)).toEqual(
      new Set([
        'inventory.stocktake.opened',
        'inventory.stocktake.counted',
        'inventory.stocktake.submitted',
        'inventory.stocktake.approved',
        'identity.signature.applied',
      ]),
    );
    // GSP-01: immutable after approval, through the API and in the database.
    expect(
      (
        await post(
          app,
          `/api/v1/inventory/stocktakes/${opened.id}/approve`,
          { code: freshCode(app, clock, qa) },
          qa.cookie,
        )
      ).statusCode,
    ).toBe(409);
    expect(
      (await post(app, `/api/v1/inventory/stocktakes/${opened.id}/reject`, { reason: '再盘一次' }, qa.cookie))
        .statusCode,
    ).toBe(409);
    await expect(sql`UPDATE inv_stocktake SET status = 'counting'`.execute(app.db)).rejects.toThrow();
    await expect(sql`UPDATE inv_stocktake_line SET "countedQuantity" = 99`.execute(app.db)).rejects.toThrow();
    await expect(sql`DELETE FROM inv_stocktake_line`.execute(app.db)).rejects.toThrow();
    const list = await get(app, '/api/v1/inventory/stocktakes?status=approved', store.cookie);
    expect(list.json<{ stocktakes: { number: string }[] }>().stocktakes.map((s) => s.number)).toEqual([done.number]);
  });

  test('ATK-LOGIC AC-05 the counter cannot approve or reject their own count, even holding the QA role; SIG wrong signature code signs and posts nothing', async () => {
    const { app, clock, admin, qa, store, sh, receive } = await setUp();
    await receive('L1', '2027-06-30', sh.locations.A!, 5);
    const st = await openCounted(app, store, sh.id);
    await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/counts`,
      { lineId: st.lines[0]!.id, countedQuantity: 3 },
      store.cookie,
    );
    expect((await post(app, `/api/v1/inventory/stocktakes/${st.id}/submit`, undefined, store.cookie)).statusCode).toBe(
      200,
    );
    await grantRole(app, clock, admin.cookie, store, 'qa-manager');
    await passCourse(app, store.cookie, 'security-basics');
    const own = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/approve`,
      { code: freshCode(app, clock, store) },
      store.cookie,
    );
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json<{ message: string }>().message).toMatch(/another person \(QA\)/);
    const ownReject = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/reject`,
      { reason: '自己退回' },
      store.cookie,
    );
    expect(ownReject.statusCode).toBe(403);
    // A wrong authenticator code: refused, nothing signed, nothing posted, still submitted.
    const wrong = await post(app, `/api/v1/inventory/stocktakes/${st.id}/approve`, { code: '000000' }, qa.cookie);
    expect(wrong.statusCode).toBe(401);
    const sigs = await app.db.selectFrom('e_signature').select('id').where('subjectId', '=', st.id).execute();
    expect(sigs).toEqual([]);
    const moved = await app.db.selectFrom('inv_movement').select('id').where('docId', '=', st.id).execute();
    expect(moved).toEqual([]);
    await signInAgain(app, clock, qa);
    expect(view(await get(app, `/api/v1/inventory/stocktakes/${st.id}`, qa.cookie)).status).toBe('submitted');
  });

  test('ATK-LOGIC stock moved after the snapshot is flagged and blocks approval naming the line; rejection with a reason, a recount and approval then post against the new book', async () => {
    const { app, clock, qa, store, sh, receive } = await setUp();
    await receive('L1', '2027-06-30', sh.locations.A!, 5);
    await receive('L2', '2027-06-30', sh.locations.B!, 2);
    const st = await openCounted(app, store, sh.id);
    for (const line of st.lines) {
      await post(
        app,
        `/api/v1/inventory/stocktakes/${st.id}/counts`,
        { lineId: line.id, countedQuantity: line.bookQuantity },
        store.cookie,
      );
    }
    // Two units of L1 are taken out after the book was taken.
    await receive('L1', '2027-06-30', sh.locations.A!, -2);
    const seen = view(await get(app, `/api/v1/inventory/stocktakes/${st.id}`, store.cookie));
    const l1 = seen.lines.find((l) => l.lot === 'L1')!;
    expect(l1.bookChanged).toBe(true);
    expect(seen.lines.find((l) => l.lot === 'L2')!.bookChanged).toBe(false);
    expect((await post(app, `/api/v1/inventory/stocktakes/${st.id}/submit`, undefined, store.cookie)).statusCode).toBe(
      200,
    );
    const refused = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/approve`,
      { code: freshCode(app, clock, qa) },
      qa.cookie,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain(`line(s) ${l1.lineNo}`);
    expect(await app.db.selectFrom('e_signature').select('id').where('subjectId', '=', st.id).execute()).toEqual([]);
    // QA sends it back with a reason; the reason is required.
    expect((await post(app, `/api/v1/inventory/stocktakes/${st.id}/reject`, {}, qa.cookie)).statusCode).toBe(400);
    const back = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/reject`,
      { reason: '1 行账面变动，请复盘' },
      qa.cookie,
    );
    expect(back.statusCode, back.body).toBe(200);
    expect(view(back)).toMatchObject({ status: 'counting', round: 1, rejected: { reason: '1 行账面变动，请复盘' } });
    // Stock arriving at a position with no line also blocks approval until counted.
    await receive('L9', '2027-01-31', sh.locations.B!, 1);
    const recount = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/counts`,
      { lineId: l1.id, countedQuantity: 2 },
      store.cookie,
    );
    const recounted = view(recount).lines.find((l) => l.id === l1.id)!;
    expect([recounted.bookQuantity, recounted.countedQuantity, recounted.variance, recounted.bookChanged]).toEqual([
      3,
      2,
      -1,
      false,
    ]);
    await post(app, `/api/v1/inventory/stocktakes/${st.id}/submit`, undefined, store.cookie);
    const arrival = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/approve`,
      { code: freshCode(app, clock, qa) },
      qa.cookie,
    );
    expect(arrival.statusCode).toBe(409);
    expect(arrival.json<{ message: string }>().message).toMatch(/lot L9 at B-01/);
    await post(app, `/api/v1/inventory/stocktakes/${st.id}/reject`, { reason: 'L9 未盘' }, qa.cookie);
    const productId = (await app.db.selectFrom('md_product').select('id').executeTakeFirstOrThrow()).id;
    const found = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/found`,
      { productId, lot: 'L9', serial: null, expiryDate: '2027-01-31', locationId: sh.locations.B!, countedQuantity: 1 },
      store.cookie,
    );
    expect(found.statusCode, found.body).toBe(200);
    expect(view(found).lines.find((l) => l.lot === 'L9')).toMatchObject({ bookQuantity: 1, variance: 0 });
    await post(app, `/api/v1/inventory/stocktakes/${st.id}/submit`, undefined, store.cookie);
    const ok = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/approve`,
      { code: freshCode(app, clock, qa) },
      qa.cookie,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const ledger = await app.db
      .selectFrom('inv_movement')
      .select(['kind', 'quantity'])
      .where('docId', '=', st.id)
      .execute();
    expect(ledger.map((m) => [m.kind, Number(m.quantity)])).toEqual([['stocktake_loss', -1]]);
  });

  test('ATK-LOGIC a stocktake opened by mistake is cancelled while counting, with a reason: nothing posts, it cannot be counted again, and the stock can be counted afresh (LOG-01)', async () => {
    const { app, store, storeBj, qa, sh, receive } = await setUp();
    await receive('L1', '2027-06-30', sh.locations.A!, 5);
    const st = await openCounted(app, store, sh.id);
    const counted = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/counts`,
      { lineId: st.lines[0]!.id, countedQuantity: 4 },
      store.cookie,
    );
    expect(counted.statusCode, counted.body).toBe(200);
    const cancel = (cookie: string, body: unknown) =>
      post(app, `/api/v1/inventory/stocktakes/${st.id}/cancel`, body, cookie);
    expect((await cancel(store.cookie, {})).statusCode).toBe(400);
    expect((await cancel(storeBj.cookie, { reason: '开错仓库' })).statusCode).toBe(404);
    expect((await cancel(qa.cookie, { reason: '开错仓库' })).statusCode).toBe(403);
    const movementsBefore = await app.db.selectFrom('inv_movement').select('id').execute();
    const res = await cancel(store.cookie, { reason: '开错仓库' });
    expect(res.statusCode, res.body).toBe(200);
    const cancelled = view(res);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled: { name: STORE.name, reason: '开错仓库' } });
    // Its count stays on record; nothing was posted; it cannot be counted, submitted or cancelled again.
    expect(cancelled.lines[0]!.countedQuantity).toBe(4);
    expect(await app.db.selectFrom('inv_movement').select('id').execute()).toEqual(movementsBefore);
    for (const [url, body] of [
      [`/api/v1/inventory/stocktakes/${st.id}/counts`, { lineId: st.lines[0]!.id, countedQuantity: 5 }],
      [`/api/v1/inventory/stocktakes/${st.id}/submit`, undefined],
      [`/api/v1/inventory/stocktakes/${st.id}/cancel`, { reason: '再次作废' }],
    ] as const) {
      const again = await post(app, url, body, store.cookie);
      expect(again.statusCode, url).toBe(409);
      expect(again.json<{ message: string }>().message).toContain('is cancelled');
    }
    // The same stock can be counted afresh.
    expect((await post(app, '/api/v1/inventory/stocktakes', { warehouseId: sh.id }, store.cookie)).statusCode).toBe(
      201,
    );
    const events = await auditActions(app, st.id);
    expect(events).toContain('inventory.stocktake.cancelled');
  });

  test('AC-02 ATK-IDOR another site’s stocktake answers 404 to read and count; AC-04 ATK-MASS-1 mass-assignment fields are refused (400); one open stocktake per stock', async () => {
    const { app, qa, store, storeBj, sh, bj, receive } = await setUp();
    await receive('L1', '2027-06-30', sh.locations.A!, 5);
    const st = await openCounted(app, store, sh.id);
    expect((await get(app, `/api/v1/inventory/stocktakes/${st.id}`, storeBj.cookie)).statusCode).toBe(404);
    const foreign = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/counts`,
      { lineId: st.lines[0]!.id, countedQuantity: 1 },
      storeBj.cookie,
    );
    expect(foreign.statusCode).toBe(404);
    expect(
      (await post(app, `/api/v1/inventory/stocktakes/${st.id}/submit`, undefined, storeBj.cookie)).statusCode,
    ).toBe(404);
    expect(
      (await get(app, '/api/v1/inventory/stocktakes', storeBj.cookie)).json<{ stocktakes: unknown[] }>().stocktakes,
    ).toEqual([]);
    // Opening a stocktake of another site's warehouse: 404.
    expect((await post(app, '/api/v1/inventory/stocktakes', { warehouseId: sh.id }, storeBj.cookie)).statusCode).toBe(
      404,
    );
    // Another open stocktake over the same stock is refused; a location of another warehouse is refused.
    expect((await post(app, '/api/v1/inventory/stocktakes', { warehouseId: sh.id }, store.cookie)).statusCode).toBe(
      409,
    );
    const elsewhere = await post(
      app,
      `/api/v1/inventory/stocktakes/${st.id}/scans`,
      { locationId: bj.locations.A!, scans: [scan(BOX_DI, '270630', 'L1')] },
      store.cookie,
    );
    expect(elsewhere.statusCode).toBe(400);
    for (const [url, body, who] of [
      ['/api/v1/inventory/stocktakes', { warehouseId: bj.id, status: 'approved' }, storeBj],
      ['/api/v1/inventory/stocktakes', { warehouseId: bj.id, openedBy: qa.id }, storeBj],
      [
        `/api/v1/inventory/stocktakes/${st.id}/counts`,
        { lineId: st.lines[0]!.id, countedQuantity: 1, countedBy: qa.id },
        store,
      ],
      [
        `/api/v1/inventory/stocktakes/${st.id}/counts`,
        { lineId: st.lines[0]!.id, countedQuantity: 1, bookQuantity: 1 },
        store,
      ],
      [`/api/v1/inventory/stocktakes/${st.id}/approve`, { approvedBy: qa.id, signedAt: '2026-01-01T00:00:00Z' }, qa],
      [`/api/v1/inventory/stocktakes/${st.id}/counts`, { lineId: st.lines[0]!.id, countedQuantity: '5' }, store],
    ] as const) {
      const res = await post(app, url, body, who.cookie);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
    }
    // Each stocktake of the day gets the next number.
    const second = await post(app, '/api/v1/inventory/stocktakes', { warehouseId: bj.id }, storeBj.cookie);
    expect(second.statusCode, second.body).toBe(201);
    expect(view(second).number).toBe('PD-20261129-0002');
  });
});

const CHECKLIST = {
  storageConditions: true,
  protection: true,
  hygiene: true,
  climateMonitoring: true,
  coldAlarms: null,
};

describe('GSP art. 74 in-stock maintenance checks', () => {
  test('GSP-04 ATK-LOGIC a signed check covers every lot of the area; a suspect lot is put on hold and QA is notified (LOG-01)', async () => {
    const { app, clock, qa, store, storeBj, sh, receive } = await setUp();
    const l1 = await receive('L1', '2027-06-30', sh.locations.A!, 5);
    const l2 = await receive('L2', '2027-06-30', sh.locations.A!, 2);
    const areaId = (
      await app.db
        .selectFrom('md_location')
        .select('areaId')
        .where('id', '=', sh.locations.A!)
        .executeTakeFirstOrThrow()
    ).areaId;
    const ok = { appearanceOk: true, packagingOk: true, expiryOk: true, suspect: false };
    // Every lot of the area must be checked.
    const partial = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      { areaId, checklist: CHECKLIST, lots: [{ lotId: l1, ...ok }], code: freshCode(app, clock, store) },
      store.cookie,
    );
    expect(partial.statusCode).toBe(400);
    // A suspect lot needs a finding.
    const noFinding = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      {
        areaId,
        checklist: CHECKLIST,
        lots: [
          { lotId: l1, ...ok },
          { lotId: l2, ...ok, packagingOk: false, suspect: true },
        ],
        code: freshCode(app, clock, store),
      },
      store.cookie,
    );
    expect(noFinding.statusCode).toBe(400);
    // Wrong code: nothing recorded, no hold.
    const wrong = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      {
        areaId,
        checklist: CHECKLIST,
        lots: [
          { lotId: l1, ...ok },
          { lotId: l2, ...ok, packagingOk: false, suspect: true, finding: '外包装破损' },
        ],
        code: '000000',
      },
      store.cookie,
    );
    expect(wrong.statusCode).toBe(401);
    expect(await app.db.selectFrom('inv_maintenance_check').select('id').execute()).toEqual([]);
    await signInAgain(app, clock, store);
    const res = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      {
        areaId,
        checklist: CHECKLIST,
        lots: [
          { lotId: l1, ...ok },
          { lotId: l2, ...ok, packagingOk: false, suspect: true, finding: '外包装破损' },
        ],
        note: '例行养护',
        code: freshCode(app, clock, store),
      },
      store.cookie,
    );
    expect(res.statusCode, res.body).toBe(201);
    const check = res.json<{ check: MaintenanceCheckView }>().check;
    expect(check).toMatchObject({ checkedByName: STORE.name, suspectLots: 1, signatureValid: true });
    const held = await app.db.selectFrom('inv_lot').select(['id', 'holdReason']).execute();
    expect(held.find((l) => l.id === l2)!.holdReason).toMatch(/外包装破损/);
    expect(held.find((l) => l.id === l1)!.holdReason).toBeNull();
    const notes = await app.db
      .selectFrom('user_notification')
      .select(['kind', 'data'])
      .where('userId', '=', qa.id)
      .where('kind', '=', 'maintenance_suspect')
      .execute();
    expect(notes).toHaveLength(1);
    expect(JSON.parse(notes[0]!.data)).toMatchObject({ lots: 1, lot: 'L2' });
    const events = [...(await auditActions(app, check.id)), ...(await auditActions(app, l2))];
    expect(events.sort()).toEqual(
      ['identity.signature.applied', 'inventory.lot.held', 'inventory.maintenance.recorded'].sort(),
    );
    // The record reads back with its checklist, lot findings and a valid signature; the list shows it.
    const read = await get(app, `/api/v1/inventory/maintenance-checks/${check.id}`, qa.cookie);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<{ check: MaintenanceCheckView }>().check).toMatchObject({
      id: check.id,
      areaId,
      checkedByName: STORE.name,
      signatureValid: true,
      checklist: CHECKLIST,
      lots: expect.arrayContaining([
        expect.objectContaining({ lotId: l2, suspect: true, finding: '外包装破损' }),
      ]) as unknown,
    });
    const list = await get(app, `/api/v1/inventory/maintenance-checks?areaId=${areaId}`, store.cookie);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ checks: { id: string; suspectLots: number }[] }>().checks).toEqual([
      expect.objectContaining({ id: check.id, suspectLots: 1 }),
    ]);
    expect((await get(app, '/api/v1/inventory/maintenance-checks', storeBj.cookie)).json()).toEqual({ checks: [] });
    // Append-only; another site sees nothing (404); the checker's identity cannot be supplied (400).
    await expect(sql`UPDATE inv_maintenance_lot SET suspect = 0`.execute(app.db)).rejects.toThrow(/append-only/);
    expect((await get(app, `/api/v1/inventory/maintenance-checks/${check.id}`, storeBj.cookie)).statusCode).toBe(404);
    const forged = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      { areaId, checklist: CHECKLIST, lots: [], checkedByName: QA.name, code: freshCode(app, clock, store) },
      store.cookie,
    );
    expect(forged.statusCode).toBe(400);
    expect(
      (
        await post(
          app,
          '/api/v1/inventory/maintenance-checks',
          { areaId, checklist: CHECKLIST, lots: [], code: freshCode(app, clock, storeBj) },
          storeBj.cookie,
        )
      ).statusCode,
    ).toBe(404);
  });

  test('GSP art. 74 the due-list: areas due by interval (cold chain weekly, near expiry 15 days, else monthly) and missing morning / afternoon climate records (China time)', async () => {
    const { app, clock, store, sh, receive } = await setUp();
    await receive('LN', '2027-01-15', sh.locations.B!, 1);
    const areaOf = async (loc: string) =>
      (await app.db.selectFrom('md_location').select('areaId').where('id', '=', loc).executeTakeFirstOrThrow()).areaId;
    const a = await areaOf(sh.locations.A!);
    const b = await areaOf(sh.locations.B!);
    const ac = await areaOf(sh.locations.AC!);
    // 15:00 China time on 29 November: the afternoon record of area A.
    clock.set('2026-11-29T07:00:00Z');
    await signInAgain(app, clock, store);
    const rec = await post(
      app,
      '/api/v1/inventory/climate',
      { areaId: a, temperature: 21.5, humidity: 45 },
      store.cookie,
    );
    expect(rec.statusCode, rec.body).toBe(201);
    const check = await post(
      app,
      '/api/v1/inventory/maintenance-checks',
      { areaId: a, checklist: CHECKLIST, lots: [], code: freshCode(app, clock, store) },
      store.cookie,
    );
    expect(check.statusCode, check.body).toBe(201);
    // 13:00 China time on 30 November.
    clock.set('2026-11-30T05:00:00Z');
    await signInAgain(app, clock, store);
    const due = (
      await get(app, '/api/v1/inventory/maintenance-checks/due', store.cookie)
    ).json<MaintenanceDueResponse>();
    expect(due.today).toBe('2026-11-30');
    const mine = due.areas.filter((x) => [a, b, ac].includes(x.areaId));
    const byArea = new Map(mine.map((x) => [x.areaId, x]));
    expect(byArea.get(a)).toMatchObject({ reason: 'monthly', intervalDays: 30, dueDate: '2026-12-29', due: false });
    expect(byArea.get(b)).toMatchObject({ reason: 'near_expiry', intervalDays: 15, due: true, lastCheckedAt: null });
    expect(byArea.get(ac)).toMatchObject({ reason: 'cold_chain', intervalDays: 7, automaticMonitoring: true });
    const gaps = due.climateGaps.filter((g) => g.warehouseCode === 'WH-SH');
    // The warehouse was set up on the 29th after midnight: its morning slot is not asked for.
    expect(gaps.filter((g) => g.areaId === a).map((g) => `${g.day} ${g.slot}`)).toEqual(['2026-11-30 morning']);
    expect(gaps.filter((g) => g.areaId === b).map((g) => `${g.day} ${g.slot}`)).toEqual([
      '2026-11-29 afternoon',
      '2026-11-30 morning',
    ]);
    expect(gaps.some((g) => g.areaId === ac)).toBe(false);
    // Only the actor's sites.
    expect(due.areas.every((x) => x.warehouseCode === 'WH-SH')).toBe(true);
  });
});
