import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import type { StockRow } from '@medledger/contract';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import { approvedProduct, get, productFields, staffWithRole, type Staff } from '../../../test/master-data-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { route } from '../../platform/http/route.js';
import { allocateFefo, assertLotShippable, ensureLot, postMovements } from './index.js';
import { sealOnce } from '../audit/index.js';

// Synthetic staff only.
const QA = { login: 'qa.li', name: '李质量', password: 'amber falcon 秋水 meadow' };
const STORE = { login: 'store.zhou', name: '周仓储', password: 'silver birch 明月 harbor' };
const STORE_BJ = { login: 'store.wu', name: '吴仓储', password: 'velvet canyon 北斗 sparrow' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Test-only routes standing in for the receiving and shipping documents of procurement and sales. */
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
    response: z.object({ lotId: z.string(), movementId: z.string() }),
    status: 201,
    handler: async (ctx, { body }) => {
      const lotId = await ensureLot(ctx, {
        productId: body.productId,
        lot: body.lot,
        serial: null,
        productionDate: null,
        expiryDate: body.expiryDate,
      });
      const [movementId] = await postMovements(
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
      return { lotId, movementId: movementId! };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/test/ship',
    permission: 'inventory.stock.move',
    summary: 'test: allocate by FEFO and take the stock out',
    body: z.strictObject({ productId: z.uuid(), warehouseId: z.uuid(), quantity: z.number().int() }),
    response: z.object({ picks: z.array(z.object({ lot: z.string(), quantity: z.number() })) }),
    status: 201,
    handler: async (ctx, { body }) => {
      const picks = await allocateFefo(ctx, body);
      for (const p of picks) await assertLotShippable(ctx, p.lotId);
      await postMovements(
        ctx,
        picks.map((p) => ({
          kind: 'issue' as const,
          lotId: p.lotId,
          locationId: p.locationId,
          quantity: -p.quantity,
          docType: 'test',
          docId: ctx.requestId,
        })),
        'inventory.stock.move',
      );
      return { picks: picks.map((p) => ({ lot: p.lot, quantity: p.quantity })) };
    },
  }),
];

async function setUp() {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock, extraRoutes: testRoutes });
  const admin = await firstAdmin(t);
  const qa = await staffWithRole(t, clock, admin.cookie, QA, 'qa-manager');
  const productId = await approvedProduct(t, clock, qa, productFields());
  const warehouse = async (code: string, site: string) => {
    const w = await post(
      t!,
      '/api/v1/master-data/warehouses',
      { code, name: `${code} 仓`, site, address: '示例路 1 号' },
      qa.cookie,
    );
    expect(w.statusCode, w.body).toBe(201);
    const id = w.json<{ warehouse: { id: string } }>().warehouse.id;
    const locations: Record<string, string> = {};
    for (const [zone, area] of [
      ['qualified', 'A'],
      ['quarantine', 'Q'],
    ] as const) {
      const a = await post(
        t!,
        `/api/v1/master-data/warehouses/${id}/areas`,
        { code: area, name: zone, zone, storage: 'normal' },
        qa.cookie,
      );
      const areaId = a
        .json<{ warehouse: { areas: { id: string; code: string }[] } }>()
        .warehouse.areas.find((x) => x.code === area)!.id;
      for (const loc of ['01', '02']) {
        const l = await post(
          t!,
          `/api/v1/master-data/areas/${areaId}/locations`,
          { code: `${area}-${loc}` },
          qa.cookie,
        );
        const located = l.json<{
          warehouse: { areas: { code: string; locations: { id: string; code: string }[] }[] };
        }>();
        locations[`${area}-${loc}`] = located.warehouse.areas
          .find((x) => x.code === area)!
          .locations.find((x) => x.code === `${area}-${loc}`)!.id;
      }
    }
    return { id, locations };
  };
  const sh = await warehouse('WH-SH', 'SH');
  const bj = await warehouse('WH-BJ', 'BJ');
  const store = await staffWithRole(t, clock, admin.cookie, STORE, 'warehouse', 'SH');
  return { app: t, clock, admin, qa, store, productId, sh, bj };
}

const receive = (
  app: TestApp,
  who: Staff,
  body: { productId: string; lot: string; expiryDate: string | null; locationId: string; quantity: number },
) => post(app, '/api/v1/test/receive', body, who.cookie);

describe('GSP-01 the stock ledger', () => {
  test('GSP-01 ledger entries cannot be edited or deleted, even with direct database access', async () => {
    const { app, store, productId, sh } = await setUp();
    const r = await receive(app, store, {
      productId,
      lot: 'L1',
      expiryDate: '2027-06-30',
      locationId: sh.locations['A-01']!,
      quantity: 5,
    });
    expect(r.statusCode, r.body).toBe(201);
    await expect(sql`UPDATE inv_movement SET quantity = 500`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM inv_movement`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE inv_balance SET quantity = -1`.execute(app.db)).rejects.toThrow();
  });

  test('GSP-01 a posted receipt is corrected by a reversal that keeps the original; once only', async () => {
    const { app, qa, store, productId, sh } = await setUp();
    const r = (
      await receive(app, store, {
        productId,
        lot: 'L1',
        expiryDate: '2027-06-30',
        locationId: sh.locations['A-01']!,
        quantity: 5,
      })
    ).json<{
      lotId: string;
      movementId: string;
    }>();
    const rev = await post(
      app,
      `/api/v1/inventory/movements/${r.movementId}/reversal`,
      { reason: '数量录错' },
      qa.cookie,
    );
    expect(rev.statusCode, rev.body).toBe(201);
    expect(
      (await post(app, `/api/v1/inventory/movements/${r.movementId}/reversal`, { reason: '再来' }, qa.cookie))
        .statusCode,
    ).toBe(409);
    const ledger = (await get(app, `/api/v1/inventory/movements?lotId=${r.lotId}`, store.cookie)).json<{
      movements: { id: string; quantity: number; reversalOf: string | null; reversedBy: string | null }[];
    }>().movements;
    expect(ledger.map((m) => m.quantity)).toEqual([5, -5]);
    expect(ledger[0]!.reversedBy).toBe(ledger[1]!.id);
    expect(ledger[1]!.reversalOf).toBe(r.movementId);
    const stock = (await get(app, '/api/v1/inventory/stock', store.cookie)).json<{ rows: StockRow[] }>();
    expect(stock.rows).toEqual([]);
    // The warehouse role may not reverse.
    expect(
      (await post(app, `/api/v1/inventory/movements/${r.movementId}/reversal`, { reason: 'x1' }, store.cookie))
        .statusCode,
    ).toBe(403);
  });
});

describe('GSP-05 FEFO allocation and the expired-stock lock', () => {
  test('GSP-05 FEFO picks the earliest expiry; expired and held lots are locked and named in the refusal', async () => {
    const { app, qa, store, productId, sh } = await setUp();
    const loc = sh.locations['A-01']!;
    await receive(app, store, { productId, lot: 'LATE', expiryDate: '2027-09-30', locationId: loc, quantity: 3 });
    await receive(app, store, {
      productId,
      lot: 'SOON',
      expiryDate: '2027-01-31',
      locationId: sh.locations['A-02']!,
      quantity: 2,
    });
    const old = (
      await receive(app, store, { productId, lot: 'OLD', expiryDate: '2026-11-28', locationId: loc, quantity: 4 })
    ).json<{ lotId: string }>();
    const ship = await post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 3 }, store.cookie);
    expect(ship.statusCode, ship.body).toBe(201);
    expect(ship.json<{ picks: unknown[] }>().picks).toEqual([
      { lot: 'SOON', quantity: 2 },
      { lot: 'LATE', quantity: 1 },
    ]);
    const tooMuch = await post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 3 }, store.cookie);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json<{ message: string }>().message).toBe(
      'Only 2 of 3 can be allocated from qualified stock — expired lots are locked: OLD (expired 2026-11-28).',
    );
    const stock = (await get(app, '/api/v1/inventory/stock?state=expired', store.cookie)).json<{ rows: StockRow[] }>();
    expect(stock.rows.map((r) => [r.lot, r.quantity, r.state])).toEqual([['OLD', 4, 'expired']]);
    const held = await post(app, `/api/v1/inventory/lots/${old.lotId}/hold`, { reason: '疑似包装破损' }, qa.cookie);
    expect(held.statusCode, held.body).toBe(200);
    // Held and expired: still locked; the shipping check names the date first.
    const t2 = await post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 2 }, store.cookie);
    expect(t2.statusCode).toBe(201);
  });

  test('GSP-05 LOG-01 a lot on quality hold is locked; QA releases it with a reason, it can be allocated again, and both steps are audited', async () => {
    const { app, qa, store, productId, sh } = await setUp();
    const { lotId } = (
      await receive(app, store, {
        productId,
        lot: 'HOLD1',
        expiryDate: '2027-10-31',
        locationId: sh.locations['A-01']!,
        quantity: 2,
      })
    ).json<{ lotId: string }>();
    const held = await post(app, `/api/v1/inventory/lots/${lotId}/hold`, { reason: '供应商召回通知核查' }, qa.cookie);
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json<{ lot: { holdReason: string | null } }>().lot.holdReason).toBe('供应商召回通知核查');
    const locked = await post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 1 }, store.cookie);
    expect(locked.statusCode).toBe(409);
    expect(locked.json<{ message: string }>().message).toContain('HOLD1 (on hold: 供应商召回通知核查)');
    // The warehouse may not lift a quality hold; a release needs a reason.
    const release = (cookie: string, reason: string) =>
      post(app, `/api/v1/inventory/lots/${lotId}/release`, { reason }, cookie);
    expect((await release(store.cookie, '核查完毕')).statusCode).toBe(403);
    expect((await release(qa.cookie, '')).statusCode).toBe(400);
    const released = await release(qa.cookie, '核查完毕，非召回批次');
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json<{ lot: unknown }>().lot).toEqual({
      id: lotId,
      productId,
      lot: 'HOLD1',
      serial: null,
      productionDate: null,
      expiryDate: '2027-10-31',
      sterilisationBatch: null,
      holdReason: null,
    });
    expect((await release(qa.cookie, '再次放行')).statusCode, 'not on hold any more').toBe(409);
    const shipped = await post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 1 }, store.cookie);
    expect(shipped.statusCode, shipped.body).toBe(201);
    expect(shipped.json<{ picks: unknown[] }>().picks).toEqual([{ lot: 'HOLD1', quantity: 1 }]);

    await sealOnce(app.runtime, { fullSweep: true });
    const events = await app.db
      .selectFrom('audit_index')
      .select(['action', 'outcome', 'actorId'])
      .where('resourceType', '=', 'inv_lot')
      .where('resourceId', '=', lotId)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'inventory.lot.held', outcome: 'success', actorId: qa.id },
      { action: 'inventory.lot.released', outcome: 'success', actorId: qa.id },
    ]);
  });

  test('GSP-05 ATK-LOGIC two people taking the last unit at the same moment: exactly one succeeds', async () => {
    const { app, store, productId, sh } = await setUp();
    await receive(app, store, {
      productId,
      lot: 'ONE',
      expiryDate: '2027-06-30',
      locationId: sh.locations['A-01']!,
      quantity: 1,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(app, '/api/v1/test/ship', { productId, warehouseId: sh.id, quantity: 1 }, store.cookie),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const ledger = await app.db.selectFrom('inv_movement').select('quantity').where('kind', '=', 'issue').execute();
    expect(ledger.map((m) => Number(m.quantity))).toEqual([-1]);
    const balance = await app.db.selectFrom('inv_balance').select('quantity').executeTakeFirstOrThrow();
    expect(Number(balance.quantity)).toBe(0);
  });
});

describe('AC-02 stock is scoped by site', () => {
  test('AC-02 a warehouse user sees and moves only stock of their site', async () => {
    const { app, clock, admin, store, productId, sh, bj } = await setUp();
    const bjStore = await staffWithRole(app, clock, admin.cookie, STORE_BJ, 'warehouse', 'BJ');
    await receive(app, store, {
      productId,
      lot: 'S1',
      expiryDate: '2027-06-30',
      locationId: sh.locations['A-01']!,
      quantity: 2,
    });
    await receive(app, bjStore, {
      productId,
      lot: 'B1',
      expiryDate: '2027-06-30',
      locationId: bj.locations['A-01']!,
      quantity: 7,
    });
    // Receiving into another site's location is refused as if the location did not exist.
    const cross = await receive(app, store, {
      productId,
      lot: 'X',
      expiryDate: null,
      locationId: bj.locations['A-01']!,
      quantity: 1,
    });
    expect(cross.statusCode).toBe(404);
    const mine = (await get(app, '/api/v1/inventory/stock', store.cookie)).json<{ rows: StockRow[] }>();
    expect(mine.rows.map((r) => r.lot)).toEqual(['S1']);
    const theirs = (await get(app, '/api/v1/inventory/stock', bjStore.cookie)).json<{ rows: StockRow[] }>();
    expect(theirs.rows.map((r) => r.lot)).toEqual(['B1']);
  });

  test('GSP-01 a move may not change the quality zone', async () => {
    const { app, store, productId, sh } = await setUp();
    const r = (
      await receive(app, store, {
        productId,
        lot: 'Z1',
        expiryDate: '2027-06-30',
        locationId: sh.locations['Q-01']!,
        quantity: 2,
      })
    ).json<{ lotId: string }>();
    const bad = await post(
      app,
      '/api/v1/inventory/transfers',
      { lotId: r.lotId, fromLocationId: sh.locations['Q-01']!, toLocationId: sh.locations['A-01']!, quantity: 2 },
      store.cookie,
    );
    expect(bad.statusCode).toBe(409);
    const ok = await post(
      app,
      '/api/v1/inventory/transfers',
      { lotId: r.lotId, fromLocationId: sh.locations['Q-01']!, toLocationId: sh.locations['Q-02']!, quantity: 2 },
      store.cookie,
    );
    expect(ok.statusCode, ok.body).toBe(201);
  });

  test('GSP art. 74 a climate reading outside the storage condition is flagged', async () => {
    const { app, store, qa, sh } = await setUp();
    const wh = (await get(app, `/api/v1/master-data/warehouses/${sh.id}`, qa.cookie)).json<{
      warehouse: { areas: { id: string; code: string }[] };
    }>();
    const areaId = wh.warehouse.areas.find((a) => a.code === 'A')!.id;
    const ok = await post(app, '/api/v1/inventory/climate', { areaId, temperature: 22.5, humidity: 55 }, store.cookie);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ record: { outOfRange: boolean; recordedByName: string } }>().record).toMatchObject({
      outOfRange: false,
      recordedByName: STORE.name,
    });
    const hot = await post(app, '/api/v1/inventory/climate', { areaId, temperature: 31.2, humidity: 55 }, store.cookie);
    expect(hot.json<{ record: { outOfRange: boolean } }>().record.outOfRange).toBe(true);
    const list = (await get(app, '/api/v1/inventory/climate', store.cookie)).json<{ records: unknown[] }>();
    expect(list.records).toHaveLength(2);
  });
});
