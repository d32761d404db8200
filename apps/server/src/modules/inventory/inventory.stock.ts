import type { LotView, MovementView, StockRow } from '@medledger/contract';
import { sql } from 'kysely';
import { addDays, chinaDay as chinaToday } from '../../platform/clock.js';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Ctx, requireActor } from '../../platform/http/ctx.js';
import { postMovements } from './inventory.ledger.js';

/** Days before expiry at which stock shows as near expiry (GSP art. 76). */
export const NEAR_EXPIRY_DAYS = 90;

/** The China calendar day (UTC+8): expiry dates are calendar days. */
export { chinaDay as chinaToday } from '../../platform/clock.js';

const actorOf = requireActor;

/** Warehouse ids of the actor's sites for `permission`, or 'all'. */
async function warehouseScope(ctx: Ctx, permission: Parameters<typeof siteScope>[1]): Promise<'all' | string[]> {
  const scope = siteScope(actorOf(ctx), permission);
  if (scope === 'all') return 'all';
  if (scope.size === 0) return [];
  const rows = await ctx.db
    .selectFrom('md_warehouse')
    .select('id')
    .where('site', 'in', [...scope])
    .execute();
  return rows.map((r) => r.id);
}

export type Pick = {
  lotId: string;
  lot: string;
  serial: string | null;
  locationId: string;
  expiryDate: string | null;
  quantity: number;
};

/**
 * FEFO allocation (first expiry, first out) of qualified stock of a product in a warehouse: never
 * expired (an expired lot is locked), held or unqualified stock. When the qualified stock does not
 * cover the quantity, the refusal names the expired lots that were passed over, with their dates.
 */
export async function allocateFefo(
  ctx: Ctx,
  input: { productId: string; warehouseId: string; quantity: number },
): Promise<Pick[]> {
  const today = chinaToday(ctx.now);
  const base = () =>
    ctx.db
      .selectFrom('inv_balance as b')
      .innerJoin('inv_lot as l', 'l.id', 'b.lotId')
      .select(['b.lotId', 'l.lot', 'l.serial', 'b.locationId', 'b.expiryDate', 'b.quantity', 'l.holdReason'])
      .where('b.productId', '=', input.productId)
      .where('b.warehouseId', '=', input.warehouseId)
      .where('b.zone', '=', 'qualified')
      .where('b.quantity', '>', 0);
  // Every row holds at least one unit, so `quantity` rows always suffice. Lots without an expiry
  // date go last on both databases (NULL ordering differs between them).
  const rows = await base()
    .where((eb) => eb.or([eb('b.expiryDate', 'is', null), eb('b.expiryDate', '>=', today)]))
    .where('l.holdReason', 'is', null)
    .orderBy(sql`case when ${sql.ref('b.expiryDate')} is null then 1 else 0 end`)
    .orderBy('b.expiryDate')
    .orderBy('b.lotId')
    .orderBy('b.locationId')
    .limit(input.quantity)
    .execute();
  const picks: Pick[] = [];
  let left = input.quantity;
  for (const r of rows) {
    if (left === 0) break;
    const take = Math.min(left, Number(r.quantity));
    picks.push({
      lotId: r.lotId,
      lot: r.lot,
      serial: r.serial,
      locationId: r.locationId,
      expiryDate: r.expiryDate,
      quantity: take,
    });
    left -= take;
  }
  if (left === 0) return picks;
  // Not enough: name the locked stock that was passed over (expired first, then held).
  const locked = await base()
    .where((eb) => eb.or([eb('b.expiryDate', '<', today), eb('l.holdReason', 'is not', null)]))
    .orderBy('b.expiryDate')
    .orderBy('l.lot')
    .limit(20)
    .execute();
  const expired = locked
    .filter((r) => r.expiryDate !== null && r.expiryDate < today)
    .map((r) => `${r.lot}${r.serial === null ? '' : `/${r.serial}`} (expired ${r.expiryDate})`);
  const held = locked
    .filter((r) => !(r.expiryDate !== null && r.expiryDate < today) && r.holdReason !== null)
    .map((r) => `${r.lot} (on hold: ${r.holdReason})`);
  const why = [
    expired.length > 0 ? `expired lots are locked: ${[...new Set(expired)].join(', ')}` : '',
    held.length > 0 ? `held lots: ${[...new Set(held)].join(', ')}` : '',
  ]
    .filter((x) => x !== '')
    .join('; ');
  throw new AppError(
    'conflict',
    `Only ${input.quantity - left} of ${input.quantity} can be allocated from qualified stock${why === '' ? '.' : ` — ${why}.`}`,
  );
}

/**
 * Refuses to ship or allocate a lot that has expired or is on hold (GSP art. 87): the message names
 * the lot and the date.
 */
export async function assertLotShippable(ctx: Ctx, lotId: string): Promise<void> {
  const lot = await ctx.db
    .selectFrom('inv_lot')
    .select(['lot', 'serial', 'expiryDate', 'holdReason'])
    .where('id', '=', lotId)
    .executeTakeFirst();
  if (lot === undefined) throw new AppError('not_found', 'No such lot.');
  const name = `${lot.lot}${lot.serial === null ? '' : ` serial ${lot.serial}`}`;
  if (lot.expiryDate !== null && lot.expiryDate < chinaToday(ctx.now)) {
    throw new AppError(
      'conflict',
      `Lot ${name} expired on ${lot.expiryDate}: expired stock is locked and cannot be shipped.`,
    );
  }
  if (lot.holdReason !== null) throw new AppError('conflict', `Lot ${name} is on quality hold: ${lot.holdReason}.`);
}

function stateOf(
  zone: string,
  expiryDate: string | null,
  holdReason: string | null,
  today: string,
  nearDay: string,
): StockRow['state'] {
  if (expiryDate !== null && expiryDate < today) return 'expired';
  if (holdReason !== null) return 'held';
  if (zone !== 'qualified' && zone !== 'shipping') return 'not_qualified';
  if (expiryDate !== null && expiryDate <= nearDay) return 'near_expiry';
  return 'available';
}

/** On-hand stock within the actor's sites, by product, lot and location, with its state. */
export async function stockOnHand(
  ctx: Ctx,
  filter: {
    productId?: string | undefined;
    warehouseId?: string | undefined;
    zone?: StockRow['zone'] | undefined;
    state?: StockRow['state'] | undefined;
    lot?: string | undefined;
  },
  limit = 1000,
): Promise<{ today: string; nearExpiryDays: number; rows: StockRow[]; truncated: boolean }> {
  const today = chinaToday(ctx.now);
  const nearDay = addDays(today, NEAR_EXPIRY_DAYS);
  const scope = await warehouseScope(ctx, 'inventory.stock.read');
  let q = ctx.db
    .selectFrom('inv_balance as b')
    .innerJoin('inv_lot as l', 'l.id', 'b.lotId')
    .innerJoin('md_product as p', 'p.id', 'b.productId')
    .innerJoin('md_location as loc', 'loc.id', 'b.locationId')
    .innerJoin('md_warehouse as w', 'w.id', 'b.warehouseId')
    .select([
      'b.productId',
      'p.code as productCode',
      'p.name as productName',
      'b.lotId',
      'l.lot',
      'l.serial',
      'b.expiryDate',
      'b.warehouseId',
      'w.code as warehouseCode',
      'b.locationId',
      'loc.code as locationCode',
      'b.zone',
      'b.quantity',
      'l.holdReason',
    ])
    .where('b.quantity', '>', 0);
  if (scope !== 'all') q = q.where('b.warehouseId', 'in', scope.length === 0 ? [''] : scope);
  if (filter.productId !== undefined) q = q.where('b.productId', '=', filter.productId);
  if (filter.warehouseId !== undefined) q = q.where('b.warehouseId', '=', filter.warehouseId);
  if (filter.zone !== undefined) q = q.where('b.zone', '=', filter.zone);
  if (filter.lot !== undefined && filter.lot !== '') q = q.where('l.lot', '=', filter.lot);
  if (filter.state === 'expired') q = q.where('b.expiryDate', '<', today);
  if (filter.state === 'near_expiry') q = q.where('b.expiryDate', '>=', today).where('b.expiryDate', '<=', nearDay);
  const rows = await q
    .orderBy('p.code')
    .orderBy('b.expiryDate')
    .orderBy('l.lot')
    .limit(limit + 1)
    .execute();
  const out = rows
    .map((r) => ({
      ...r,
      quantity: Number(r.quantity),
      state: stateOf(r.zone, r.expiryDate, r.holdReason, today, nearDay),
    }))
    .filter((r) => filter.state === undefined || r.state === filter.state);
  return { today, nearExpiryDays: NEAR_EXPIRY_DAYS, rows: out.slice(0, limit), truncated: rows.length > limit };
}

/** Total on-hand of a product in the actor's sites, by zone. */
export async function onHandTotals(ctx: Ctx, productId: string): Promise<Record<string, number>> {
  const scope = await warehouseScope(ctx, 'inventory.stock.read');
  let q = ctx.db
    .selectFrom('inv_balance')
    .select(['zone', (eb) => eb.fn.sum<number>('quantity').as('qty')])
    .where('productId', '=', productId);
  if (scope !== 'all') q = q.where('warehouseId', 'in', scope.length === 0 ? [''] : scope);
  const rows = await q.groupBy('zone').execute();
  return Object.fromEntries(rows.map((r) => [r.zone, Number(r.qty)]));
}

/** The ledger of a product, lot or document (newest last), within the actor's sites. */
export async function listMovements(
  ctx: Ctx,
  filter: { productId?: string | undefined; lotId?: string | undefined; docId?: string | undefined },
): Promise<MovementView[]> {
  if (filter.productId === undefined && filter.lotId === undefined && filter.docId === undefined) {
    throw new AppError('validation_failed', 'Name a product, lot or document.');
  }
  const scope = await warehouseScope(ctx, 'inventory.stock.read');
  let q = ctx.db
    .selectFrom('inv_movement as m')
    .innerJoin('inv_lot as l', 'l.id', 'm.lotId')
    .innerJoin('md_location as loc', 'loc.id', 'm.locationId')
    .leftJoin('inv_movement as r', 'r.reversalOf', 'm.id')
    .select([
      'm.seq',
      'm.id',
      'm.at',
      'm.kind',
      'm.productId',
      'm.lotId',
      'l.lot',
      'l.serial',
      'm.locationId',
      'loc.code as locationCode',
      'm.zone',
      'm.quantity',
      'm.docType',
      'm.docId',
      'm.reversalOf',
      'r.id as reversedBy',
      'm.actorName',
      'm.note',
    ]);
  if (scope !== 'all') q = q.where('m.warehouseId', 'in', scope.length === 0 ? [''] : scope);
  if (filter.productId !== undefined) q = q.where('m.productId', '=', filter.productId);
  if (filter.lotId !== undefined) q = q.where('m.lotId', '=', filter.lotId);
  if (filter.docId !== undefined) q = q.where('m.docId', '=', filter.docId);
  const rows = await q.orderBy('m.seq').limit(2000).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), quantity: Number(r.quantity) }));
}

/** Moves stock between two locations of the same GSP zone (zone changes are quality decisions). */
export async function transferStock(
  ctx: Ctx,
  input: { lotId: string; fromLocationId: string; toLocationId: string; quantity: number; note?: string | undefined },
): Promise<void> {
  if (input.fromLocationId === input.toLocationId) throw new AppError('validation_failed', 'Choose another location.');
  const zones = await ctx.db
    .selectFrom('md_location as l')
    .innerJoin('md_storage_area as a', 'a.id', 'l.areaId')
    .select(['l.id', 'a.zone'])
    .where('l.id', 'in', [input.fromLocationId, input.toLocationId])
    .execute();
  const from = zones.find((z) => z.id === input.fromLocationId);
  const to = zones.find((z) => z.id === input.toLocationId);
  if (from === undefined || to === undefined) throw new AppError('not_found', 'No such location.');
  if (from.zone !== to.zone) {
    throw new AppError(
      'conflict',
      `A move may not change the quality zone (${from.zone} → ${to.zone}): that needs acceptance, review or a QA decision.`,
    );
  }
  const docId = `transfer:${ctx.requestId}`;
  const note = input.note ?? null;
  await postMovements(
    ctx,
    [
      {
        kind: 'transfer',
        lotId: input.lotId,
        locationId: input.fromLocationId,
        quantity: -input.quantity,
        docType: 'transfer',
        docId,
        note,
      },
      {
        kind: 'transfer',
        lotId: input.lotId,
        locationId: input.toLocationId,
        quantity: input.quantity,
        docType: 'transfer',
        docId,
        note,
      },
    ],
    'inventory.stock.move',
  );
  await record(ctx, {
    action: 'inventory.stock.transferred',
    outcome: 'success',
    resource: { type: 'inv_lot', id: input.lotId },
    data: {
      lotId: input.lotId,
      fromLocationId: input.fromLocationId,
      toLocationId: input.toLocationId,
      quantity: input.quantity,
    },
  });
}

/**
 * GSP-01: corrects a posted movement by a reversal entry of the opposite quantity; the original
 * stays. A movement is reversed at most once (unique index), and only while the stock is there.
 */
export async function reverseMovement(ctx: Ctx, movementId: string, reason: string): Promise<string> {
  const m = await ctx.db.selectFrom('inv_movement').selectAll().where('id', '=', movementId).executeTakeFirst();
  if (m === undefined) throw new AppError('not_found', 'No such movement.');
  const scope = await warehouseScope(ctx, 'inventory.movement.reverse');
  if (scope !== 'all' && !scope.includes(m.warehouseId)) throw new AppError('not_found', 'No such movement.');
  if (m.reversalOf !== null) {
    throw new AppError('conflict', 'A reversal is not reversed; post the correct movement instead.');
  }
  const already = await ctx.db
    .selectFrom('inv_movement')
    .select('id')
    .where('reversalOf', '=', movementId)
    .executeTakeFirst();
  if (already !== undefined) throw new AppError('conflict', 'This movement has already been reversed.');
  const [id] = await postMovements(
    ctx,
    [
      {
        kind: 'reversal',
        lotId: m.lotId,
        locationId: m.locationId,
        quantity: -Number(m.quantity),
        docType: m.docType,
        docId: m.docId,
        note: reason,
        reversalOf: m.id,
      },
    ],
    'inventory.movement.reverse',
  );
  await record(ctx, {
    action: 'inventory.movement.reversed',
    outcome: 'success',
    resource: { type: 'inv_movement', id: movementId },
    data: { movementId, reversalId: id!, quantity: -Number(m.quantity) },
    reason,
  });
  return id!;
}

async function lotView(ctx: Ctx, lotId: string): Promise<LotView> {
  const row = await ctx.db
    .selectFrom('inv_lot')
    .select(['id', 'productId', 'lot', 'serial', 'productionDate', 'expiryDate', 'sterilisationBatch', 'holdReason'])
    .where('id', '=', lotId)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such lot.');
  return row;
}

/** Quality hold (stop sale) of a lot in every warehouse, or its release; audited with the reason. */
export async function setHold(ctx: Ctx, lotId: string, hold: boolean, reason: string): Promise<LotView> {
  const lot = await lotView(ctx, lotId);
  if (hold === (lot.holdReason !== null)) {
    throw new AppError('conflict', hold ? 'The lot is already on hold.' : 'The lot is not on hold.');
  }
  await ctx.db
    .updateTable('inv_lot')
    .set(hold ? { holdReason: reason, heldAt: ctx.now.toISOString() } : { holdReason: null, heldAt: null })
    .where('id', '=', lotId)
    .execute();
  await record(ctx, {
    action: hold ? 'inventory.lot.held' : 'inventory.lot.released',
    outcome: 'success',
    resource: { type: 'inv_lot', id: lotId },
    data: { lotId, lot: lot.lot },
    reason,
  });
  return lotView(ctx, lotId);
}
