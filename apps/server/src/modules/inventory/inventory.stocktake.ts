import {
  parseUdi,
  type Permission,
  type StocktakeLineView,
  type StocktakeView,
  type ValidationIssue,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign, verifySignature } from '../identity/index.js';
import { locationInfo, productByDi } from '../master-data/index.js';
import { chinaDay } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { requireActor, siteScope, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { ensureLots, postMovements, type Posting } from './inventory.ledger.js';
import type { InvStocktakeLineTable, InvStocktakeTable } from './inventory.stocktake.tables.js';

/** More positions than this in one stocktake are refused: count by area instead. */
export const MAX_STOCKTAKE_LINES = 5000;

const inScope = (ctx: Ctx, permission: Permission, site: string) => {
  const scope = siteScope(requireActor(ctx), permission);
  return scope === 'all' || scope.has(site);
};

/** AC-02: the stocktake in the actor's sites for `permission`, else 404 (as if it did not exist). */
async function loadStocktake(ctx: Ctx, id: string, permission: Permission): Promise<InvStocktakeTable> {
  const row = await ctx.db.selectFrom('inv_stocktake').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || !inScope(ctx, permission, row.site)) throw new AppError('not_found', 'No such stocktake.');
  return row;
}

/**
 * Takes the stocktake's row lock for the rest of the transaction when it is in `status` (so two
 * people acting on it run one after the other on PostgreSQL too), or refuses naming its status.
 */
async function lockIn(ctx: Ctx, id: string, permission: Permission, status: InvStocktakeTable['status'], what: string) {
  const row = await loadStocktake(ctx, id, permission);
  const locked = await ctx.db
    .updateTable('inv_stocktake')
    .set({ status })
    .where('id', '=', id)
    .where('status', '=', status)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1) {
    throw new AppError('conflict', `Stocktake ${row.number} is ${row.status}: it cannot be ${what} now.`);
  }
  return (await loadStocktake(ctx, id, permission)) satisfies InvStocktakeTable;
}

/** The next stocktake number of the China day, `PD-20261129-0001`, from an atomic per-day counter. */
async function nextNumber(ctx: Ctx): Promise<string> {
  const key = `PD-${chinaDay(ctx.now).replaceAll('-', '')}`;
  const row = await ctx.db
    .insertInto('inv_sequence')
    .values({ key, last: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ last: eb('inv_sequence.last', '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${key}-${String(row.last).padStart(4, '0')}`;
}

async function ledgerHead(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .selectFrom('inv_movement')
    .select((eb) => eb.fn.max<number | string | null>('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Balances of (lot, location) pairs now. */
async function balancesOf(ctx: Ctx, pairs: readonly { lotId: string; locationId: string }[]) {
  const out = new Map<string, number>();
  const lotIds = [...new Set(pairs.map((p) => p.lotId))];
  for (let i = 0; i < lotIds.length; i += 300) {
    const rows = await ctx.db
      .selectFrom('inv_balance')
      .select(['lotId', 'locationId', 'quantity'])
      .where('lotId', 'in', lotIds.slice(i, i + 300))
      .execute();
    for (const r of rows) out.set(`${r.lotId}|${r.locationId}`, Number(r.quantity));
  }
  return out;
}

/**
 * GSP art. 77: opens a stocktake of a warehouse (or one storage area) and takes the book — every
 * lot / serial with stock at each location, with its quality zone and hold — at the ledger position
 * of the moment. Only one open stocktake may cover a given area at a time.
 */
export async function openStocktake(
  ctx: Ctx,
  input: { warehouseId: string; areaId?: string | undefined; note?: string | undefined },
): Promise<StocktakeView> {
  const actor = requireActor(ctx);
  const warehouse = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code', 'site'])
    .where('id', '=', input.warehouseId)
    .executeTakeFirst();
  if (warehouse === undefined || !inScope(ctx, 'inventory.stocktake.count', warehouse.site)) {
    throw new AppError('not_found', 'No such warehouse.');
  }
  if (input.areaId !== undefined) {
    const area = await ctx.db
      .selectFrom('md_storage_area')
      .select('id')
      .where('id', '=', input.areaId)
      .where('warehouseId', '=', warehouse.id)
      .executeTakeFirst();
    if (area === undefined) {
      throw new AppError('validation_failed', 'That storage area is not in this warehouse.', [
        { path: 'body.areaId', message: 'not an area of the warehouse' },
      ]);
    }
  }
  // The day's number first: its counter row serialises two openings on PostgreSQL, so the second
  // sees the first's stocktake in the overlap check below.
  const number = await nextNumber(ctx);
  const open = await ctx.db
    .selectFrom('inv_stocktake')
    .select(['number', 'areaId'])
    .where('warehouseId', '=', warehouse.id)
    .where('status', 'in', ['counting', 'submitted'])
    .execute();
  const overlap = open.find((o) => o.areaId === null || input.areaId === undefined || o.areaId === input.areaId);
  if (overlap !== undefined) {
    throw new AppError(
      'conflict',
      `Stocktake ${overlap.number} of this warehouse is still open: finish it before opening another over the same stock.`,
    );
  }
  const head = await ledgerHead(ctx);
  let q = ctx.db
    .selectFrom('inv_balance as b')
    .innerJoin('md_location as loc', 'loc.id', 'b.locationId')
    .innerJoin('inv_lot as l', 'l.id', 'b.lotId')
    .select(['b.lotId', 'b.locationId', 'b.productId', 'b.zone', 'b.quantity', 'l.holdReason'])
    .where('b.warehouseId', '=', warehouse.id)
    .where('b.quantity', '>', 0);
  if (input.areaId !== undefined) q = q.where('loc.areaId', '=', input.areaId);
  const book = await q
    .orderBy('b.locationId')
    .orderBy('b.productId')
    .orderBy('b.lotId')
    .limit(MAX_STOCKTAKE_LINES + 1)
    .execute();
  if (book.length > MAX_STOCKTAKE_LINES) {
    throw new AppError(
      'conflict',
      `More than ${MAX_STOCKTAKE_LINES} stock positions: open one stocktake per storage area instead.`,
    );
  }
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('inv_stocktake')
    .values({
      id,
      number,
      status: 'counting',
      warehouseId: warehouse.id,
      areaId: input.areaId ?? null,
      site: warehouse.site,
      note: input.note ?? null,
      round: 0,
      openedBy: actor.id,
      openedByName: actor.name,
      openedAt: ctx.now.toISOString(),
      submittedBy: null,
      submittedByName: null,
      submittedAt: null,
      rejectedByName: null,
      rejectedAt: null,
      rejectReason: null,
      cancelledByName: null,
      cancelledAt: null,
      cancelReason: null,
      approvedBy: null,
      approvedByName: null,
      approvedAt: null,
      approvalNote: null,
      signatureId: null,
    })
    .execute();
  const lines: InvStocktakeLineTable[] = book.map((b, i) => ({
    id: uuidv7(ctx.now.getTime()),
    stocktakeId: id,
    lineNo: i + 1,
    productId: b.productId,
    lotId: b.lotId,
    locationId: b.locationId,
    zone: b.zone,
    held: b.holdReason === null ? 0 : 1,
    onBook: 1,
    bookQuantity: Number(b.quantity),
    baseSeq: head,
    countedQuantity: null,
    countedBy: null,
    countedByName: null,
    countedAt: null,
  }));
  for (let i = 0; i < lines.length; i += 100) {
    await ctx.db
      .insertInto('inv_stocktake_line')
      .values(lines.slice(i, i + 100))
      .execute();
  }
  await record(ctx, {
    action: 'inventory.stocktake.opened',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id },
    data: { stocktakeId: id, number, lines: lines.length },
  });
  return getStocktake(ctx, id, 'inventory.stocktake.count');
}

/** A location of the stocktake's warehouse (and area), else a validation error naming the field. */
async function countedLocation(ctx: Ctx, st: InvStocktakeTable, locationId: string, path: string) {
  const place = await locationInfo(ctx, locationId).catch(() => null);
  if (place === null || place.warehouseId !== st.warehouseId || (st.areaId !== null && place.areaId !== st.areaId)) {
    throw new AppError('validation_failed', 'That location is not in the stock being counted.', [
      { path, message: 'not a location of this stocktake' },
    ]);
  }
  return place;
}

/** Lines of the stocktake, keyed by lot and location. */
async function linesOf(ctx: Ctx, stocktakeId: string) {
  return ctx.db
    .selectFrom('inv_stocktake_line')
    .selectAll()
    .where('stocktakeId', '=', stocktakeId)
    .orderBy('lineNo')
    .execute();
}

/** Lines whose book moved since it was read: a later movement at the position, or a balance that differs. */
async function staleLines(ctx: Ctx, st: InvStocktakeTable, lines: readonly InvStocktakeLineTable[]) {
  if (lines.length === 0) return new Set<string>();
  const minBase = Math.min(...lines.map((l) => Number(l.baseSeq)));
  const moved = await ctx.db
    .selectFrom('inv_movement')
    .select(['lotId', 'locationId', (eb) => eb.fn.max<number | string>('seq').as('seq')])
    .where('warehouseId', '=', st.warehouseId)
    .where('seq', '>', minBase)
    .where('docId', '!=', st.id)
    .groupBy(['lotId', 'locationId'])
    .execute();
  const last = new Map(moved.map((m) => [`${m.lotId}|${m.locationId}`, Number(m.seq)]));
  const balances = await balancesOf(ctx, lines);
  const stale = new Set<string>();
  for (const l of lines) {
    const key = `${l.lotId}|${l.locationId}`;
    if ((last.get(key) ?? 0) > Number(l.baseSeq) || (balances.get(key) ?? 0) !== Number(l.bookQuantity)) {
      stale.add(l.id);
    }
  }
  return stale;
}

/** Stock that arrived in the counted scope after the book was taken, at positions with no line. */
async function unlistedArrivals(ctx: Ctx, st: InvStocktakeTable, lines: readonly InvStocktakeLineTable[]) {
  const minBase = lines.length === 0 ? await openingHead(ctx, st) : Math.min(...lines.map((l) => Number(l.baseSeq)));
  let q = ctx.db
    .selectFrom('inv_movement as m')
    .innerJoin('md_location as loc', 'loc.id', 'm.locationId')
    .innerJoin('inv_balance as b', (j) => j.onRef('b.lotId', '=', 'm.lotId').onRef('b.locationId', '=', 'm.locationId'))
    .innerJoin('inv_lot as l', 'l.id', 'm.lotId')
    .select(['m.lotId', 'm.locationId', 'l.lot', 'loc.code as locationCode'])
    .distinct()
    .where('m.warehouseId', '=', st.warehouseId)
    .where('m.seq', '>', minBase)
    .where('m.docId', '!=', st.id)
    .where('b.quantity', '>', 0);
  if (st.areaId !== null) q = q.where('loc.areaId', '=', st.areaId);
  const rows = await q.limit(200).execute();
  const listed = new Set(lines.map((l) => `${l.lotId}|${l.locationId}`));
  return rows.filter((r) => !listed.has(`${r.lotId}|${r.locationId}`));
}

/** The ledger head at opening, for a stocktake of an empty scope (from its audit-free opening time). */
async function openingHead(ctx: Ctx, st: InvStocktakeTable): Promise<number> {
  const row = await ctx.db
    .selectFrom('inv_movement')
    .select((eb) => eb.fn.max<number | string | null>('seq').as('seq'))
    .where('at', '<=', st.openedAt)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * Counting by scanning at one location: each UDI (GS1, MA or AHM, any FNC1 form) names the product
 * by its DI and the lot / serial by its PI; a case counts its units. A scan adds to the line of that
 * lot at that location, or opens a "found" line when the position was not on the book. Unreadable
 * scans are refused together, with the index and reason of each; nothing is counted then.
 */
export async function scanCount(
  ctx: Ctx,
  stocktakeId: string,
  input: { locationId: string; scans: readonly string[] },
): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.count', 'counting', 'counted');
  await countedLocation(ctx, st, input.locationId, 'body.locationId');
  const issues: ValidationIssue[] = [];
  const items: {
    productId: string;
    lot: string;
    serial: string | null;
    productionDate: string | null;
    expiryDate: string | null;
    level: number;
  }[] = [];
  const dis = new Map<string, { productId: string; level: number } | null>();
  for (const [index, raw] of input.scans.entries()) {
    const parsed = parseUdi(raw, { now: ctx.now });
    if (!parsed.ok) {
      issues.push({
        path: `body.scans.${index}`,
        message: `Scan ${index}: ${parsed.error.message}`,
        code: parsed.error.code,
      });
      continue;
    }
    const udi = parsed.udi;
    let hit = dis.get(udi.di);
    if (hit === undefined) {
      hit = await productByDi(ctx, udi.di);
      dis.set(udi.di, hit);
    }
    if (hit === null) {
      issues.push({
        path: `body.scans.${index}`,
        message: `Scan ${index}: the UDI-DI ${udi.di} is not on file for any product.`,
      });
      continue;
    }
    if ((udi.lot ?? '') === '' && (udi.serial ?? null) === null) {
      issues.push({ path: `body.scans.${index}`, message: `Scan ${index}: the UDI carries no lot or serial number.` });
      continue;
    }
    items.push({
      productId: hit.productId,
      lot: udi.lot ?? '',
      serial: udi.serial ?? null,
      productionDate: udi.productionDate ?? null,
      expiryDate: udi.expiryDate ?? null,
      level: hit.level,
    });
  }
  if (issues.length > 0) {
    throw new AppError(
      'validation_failed',
      `${issues.length} of ${input.scans.length} scans could not be counted; nothing was counted. ${issues[0]!.message}`,
      issues,
    );
  }
  const lotIds = await ensureLots(ctx, items);
  const units = await unitsPerLevel(ctx, [...new Set(items.map((i) => i.productId))]);
  const add = new Map<string, { lotId: string; productId: string; units: number }>();
  items.forEach((it, i) => {
    const lotId = lotIds[i]!;
    const n = units.get(it.productId)?.get(it.level) ?? 1;
    const before = add.get(lotId);
    add.set(lotId, { lotId, productId: it.productId, units: (before?.units ?? 0) + n });
  });
  const lines = await linesOf(ctx, st.id);
  const stale = await staleLines(ctx, st, lines);
  let total = 0;
  let lineCount = lines.length;
  for (const a of add.values()) {
    const line = lines.find((l) => l.lotId === a.lotId && l.locationId === input.locationId);
    total += a.units;
    if (line === undefined) {
      await addFoundLine(
        ctx,
        st,
        { productId: a.productId, lotId: a.lotId, locationId: input.locationId },
        a.units,
        lineCount,
      );
      lineCount += 1;
      continue;
    }
    if (stale.has(line.id)) {
      throw new AppError(
        'conflict',
        `Line ${line.lineNo}: stock of this lot at this location moved after the book was taken; enter its recount by hand.`,
      );
    }
    await ctx.db
      .updateTable('inv_stocktake_line')
      .set({
        countedQuantity: (line.countedQuantity === null ? 0 : Number(line.countedQuantity)) + a.units,
        countedBy: requireActor(ctx).id,
        countedByName: requireActor(ctx).name,
        countedAt: ctx.now.toISOString(),
      })
      .where('id', '=', line.id)
      .execute();
  }
  await record(ctx, {
    action: 'inventory.stocktake.counted',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, method: 'scan', lines: add.size, units: total },
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.count');
}

async function unitsPerLevel(ctx: Ctx, productIds: readonly string[]): Promise<Map<string, Map<number, number>>> {
  const rows =
    productIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('md_product_package')
          .select(['productId', 'level', 'quantity'])
          .where('productId', 'in', [...productIds])
          .orderBy('level')
          .execute();
  const out = new Map<string, Map<number, number>>();
  for (const id of productIds) {
    const units = new Map<number, number>([[0, 1]]);
    let n = 1;
    for (const l of rows.filter((r) => r.productId === id)) {
      if (Number(l.level) === 0) continue;
      n *= Number(l.quantity);
      units.set(Number(l.level), n);
    }
    out.set(id, units);
  }
  return out;
}

/** A line for a position not on the book; its book is read now (usually nothing). */
async function addFoundLine(
  ctx: Ctx,
  st: InvStocktakeTable,
  pos: { productId: string; lotId: string; locationId: string },
  counted: number,
  lineCount: number,
) {
  const actor = requireActor(ctx);
  const place = await locationInfo(ctx, pos.locationId);
  const balance = (await balancesOf(ctx, [pos])).get(`${pos.lotId}|${pos.locationId}`) ?? 0;
  const lot = await ctx.db
    .selectFrom('inv_lot')
    .select('holdReason')
    .where('id', '=', pos.lotId)
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('inv_stocktake_line')
    .values({
      id: uuidv7(ctx.now.getTime()),
      stocktakeId: st.id,
      lineNo: lineCount + 1,
      productId: pos.productId,
      lotId: pos.lotId,
      locationId: pos.locationId,
      zone: place.zone,
      held: lot.holdReason === null ? 0 : 1,
      onBook: 0,
      bookQuantity: balance,
      baseSeq: await ledgerHead(ctx),
      countedQuantity: counted,
      countedBy: actor.id,
      countedByName: actor.name,
      countedAt: ctx.now.toISOString(),
    })
    .execute();
}

/**
 * The counted quantity of a line, typed. A count replaces the earlier one and takes the line's book
 * afresh (a recount after stock moved: the variance is then against the book as it is now).
 */
export async function typeCount(
  ctx: Ctx,
  stocktakeId: string,
  input: { lineId: string; countedQuantity: number },
): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.count', 'counting', 'counted');
  const actor = requireActor(ctx);
  const line = await ctx.db
    .selectFrom('inv_stocktake_line')
    .selectAll()
    .where('id', '=', input.lineId)
    .where('stocktakeId', '=', st.id)
    .executeTakeFirst();
  if (line === undefined) {
    throw new AppError('validation_failed', 'Not a line of this stocktake.', [
      { path: 'body.lineId', message: 'not a line of this stocktake' },
    ]);
  }
  const balance = (await balancesOf(ctx, [line])).get(`${line.lotId}|${line.locationId}`) ?? 0;
  await ctx.db
    .updateTable('inv_stocktake_line')
    .set({
      countedQuantity: input.countedQuantity,
      countedBy: actor.id,
      countedByName: actor.name,
      countedAt: ctx.now.toISOString(),
      bookQuantity: balance,
      baseSeq: await ledgerHead(ctx),
    })
    .where('id', '=', line.id)
    .execute();
  await record(ctx, {
    action: 'inventory.stocktake.counted',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, method: 'typed', lines: 1, units: input.countedQuantity },
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.count');
}

/** Stock found that was not on the book, typed (a product without a UDI, or a label read by eye). */
export async function addFound(
  ctx: Ctx,
  stocktakeId: string,
  input: {
    productId: string;
    lot: string;
    serial: string | null;
    expiryDate: string | null;
    locationId: string;
    countedQuantity: number;
  },
): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.count', 'counting', 'counted');
  await countedLocation(ctx, st, input.locationId, 'body.locationId');
  if (input.serial !== null && input.countedQuantity !== 1) {
    throw new AppError('validation_failed', 'A serial number identifies one unit.', [
      { path: 'body.countedQuantity', message: 'must be 1 with a serial number' },
    ]);
  }
  const product = await ctx.db
    .selectFrom('md_product')
    .select('id')
    .where('id', '=', input.productId)
    .executeTakeFirst();
  if (product === undefined) {
    throw new AppError('validation_failed', 'No such product.', [
      { path: 'body.productId', message: 'unknown product' },
    ]);
  }
  const [lotId] = await ensureLots(ctx, [
    {
      productId: input.productId,
      lot: input.lot,
      serial: input.serial,
      productionDate: null,
      expiryDate: input.expiryDate,
    },
  ]);
  const lines = await linesOf(ctx, st.id);
  const existing = lines.find((l) => l.lotId === lotId && l.locationId === input.locationId);
  if (existing !== undefined) {
    throw new AppError(
      'conflict',
      `Line ${existing.lineNo} already counts this lot at this location: enter its count there.`,
    );
  }
  await addFoundLine(
    ctx,
    st,
    { productId: input.productId, lotId: lotId!, locationId: input.locationId },
    input.countedQuantity,
    lines.length,
  );
  await record(ctx, {
    action: 'inventory.stocktake.counted',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, method: 'found', lines: 1, units: input.countedQuantity },
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.count');
}

/** Hands the count to QA: every line must be counted (type 0 for a position found empty). */
export async function submitStocktake(ctx: Ctx, stocktakeId: string): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.count', 'counting', 'submitted');
  const actor = requireActor(ctx);
  const lines = await linesOf(ctx, st.id);
  const uncounted = lines.filter((l) => l.countedQuantity === null);
  if (uncounted.length > 0) {
    throw new AppError(
      'conflict',
      `${uncounted.length} line(s) not counted yet (first: line ${uncounted[0]!.lineNo}); enter 0 for a position found empty.`,
    );
  }
  const { gain, loss } = variances(lines);
  await ctx.db
    .updateTable('inv_stocktake')
    .set({
      status: 'submitted',
      submittedBy: actor.id,
      submittedByName: actor.name,
      submittedAt: ctx.now.toISOString(),
    })
    .where('id', '=', st.id)
    .execute();
  await record(ctx, {
    action: 'inventory.stocktake.submitted',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, gain, loss },
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.count');
}

function variances(lines: readonly InvStocktakeLineTable[]) {
  let gain = 0;
  let loss = 0;
  for (const l of lines) {
    if (l.countedQuantity === null) continue;
    const v = Number(l.countedQuantity) - Number(l.bookQuantity);
    if (v > 0) gain += v;
    else loss -= v;
  }
  return { gain, loss };
}

/** Separation of duties: whoever opened, counted or submitted the stocktake cannot decide it. */
function assertNotCounter(ctx: Ctx, st: InvStocktakeTable, lines: readonly InvStocktakeLineTable[]) {
  const actor = requireActor(ctx);
  if (st.openedBy === actor.id || st.submittedBy === actor.id || lines.some((l) => l.countedBy === actor.id)) {
    throw new AppError(
      'forbidden',
      `You opened, counted or submitted stocktake ${st.number}: another person (QA) must decide its variances.`,
    );
  }
}

/** What the approver signs: the stocktake and each line's book, count and variance. */
function stocktakeRecord(st: InvStocktakeTable, lines: readonly InvStocktakeLineTable[], note: string | null) {
  return {
    stocktake: {
      id: st.id,
      number: st.number,
      warehouseId: st.warehouseId,
      areaId: st.areaId,
      round: Number(st.round),
    },
    lines: lines.map((l) => ({
      lineNo: Number(l.lineNo),
      lotId: l.lotId,
      locationId: l.locationId,
      book: Number(l.bookQuantity),
      counted: l.countedQuantity === null ? null : Number(l.countedQuantity),
    })),
    note,
  };
}

/**
 * QA approves the variances with an electronic signature (GSP-04) and they post to the ledger as
 * `stocktake_gain` / `stocktake_loss` movements. Refused while any line's book moved after it was
 * read (the lines are named: recount them) or stock arrived at a position with no line, and to
 * anyone who opened, counted or submitted the stocktake.
 */
export async function approveStocktake(
  ctx: Ctx,
  stocktakeId: string,
  input: { note?: string | undefined; code?: string | undefined },
): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.approve', 'submitted', 'approved');
  const lines = await linesOf(ctx, st.id);
  assertNotCounter(ctx, st, lines);
  const stale = await staleLines(ctx, st, lines);
  if (stale.size > 0) {
    const names = lines
      .filter((l) => stale.has(l.id))
      .slice(0, 10)
      .map((l) => l.lineNo)
      .join(', ');
    throw new AppError(
      'conflict',
      `Stock moved after the book was taken on line(s) ${names}: send the stocktake back for a recount of those lines.`,
    );
  }
  const arrivals = await unlistedArrivals(ctx, st, lines);
  if (arrivals.length > 0) {
    throw new AppError(
      'conflict',
      `Stock arrived after the book was taken and is not counted: ${arrivals
        .slice(0, 10)
        .map((a) => `lot ${a.lot} at ${a.locationCode}`)
        .join(', ')}. Send the stocktake back so it is counted.`,
    );
  }
  const note = input.note === undefined || input.note === '' ? null : input.note;
  const signature = await sign(ctx, {
    meaning: `盘点差异审核通过 / Stocktake ${st.number} variances approved`,
    subject: { type: 'inv_stocktake', id: st.id },
    recordValue: stocktakeRecord(st, lines, note),
    code: input.code,
  });
  const postings: Posting[] = [];
  for (const l of lines) {
    const v = Number(l.countedQuantity ?? 0) - Number(l.bookQuantity);
    if (v === 0) continue;
    postings.push({
      kind: v > 0 ? 'stocktake_gain' : 'stocktake_loss',
      lotId: l.lotId,
      locationId: l.locationId,
      quantity: v,
      docType: 'stocktake',
      docId: st.id,
      note: `${st.number} line ${l.lineNo}`,
    });
  }
  const ids = postings.length === 0 ? [] : await postMovements(ctx, postings, 'inventory.stocktake.approve');
  const { gain, loss } = variances(lines);
  await ctx.db
    .updateTable('inv_stocktake')
    .set({
      status: 'approved',
      approvedBy: requireActor(ctx).id,
      approvedByName: signature.signerName,
      approvedAt: signature.signedAt,
      approvalNote: note,
      signatureId: signature.id,
    })
    .where('id', '=', st.id)
    .where('status', '=', 'submitted')
    .execute();
  await record(ctx, {
    action: 'inventory.stocktake.approved',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: {
      stocktakeId: st.id,
      signatureId: signature.id,
      recordHash: signature.recordHash,
      movements: ids.length,
      gain,
      loss,
    },
    ...(note === null ? {} : { reason: note }),
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.approve');
}

/** QA sends the count back with a reason; the counters recount (changed lines first) and submit again. */
export async function rejectStocktake(ctx: Ctx, stocktakeId: string, reason: string): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.approve', 'submitted', 'sent back');
  const lines = await linesOf(ctx, st.id);
  assertNotCounter(ctx, st, lines);
  const actor = requireActor(ctx);
  const round = Number(st.round) + 1;
  await ctx.db
    .updateTable('inv_stocktake')
    .set({
      status: 'counting',
      round,
      rejectedByName: actor.name,
      rejectedAt: ctx.now.toISOString(),
      rejectReason: reason,
      submittedBy: null,
      submittedByName: null,
      submittedAt: null,
    })
    .where('id', '=', st.id)
    .execute();
  await record(ctx, {
    action: 'inventory.stocktake.rejected',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, round },
    reason,
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.approve');
}

/**
 * A stocktake opened by mistake (wrong area, wrong day) is cancelled while counting, with a reason:
 * nothing is posted, its counts stay on record, and the stock it covered can be counted again.
 */
export async function cancelStocktake(ctx: Ctx, stocktakeId: string, reason: string): Promise<StocktakeView> {
  const st = await lockIn(ctx, stocktakeId, 'inventory.stocktake.count', 'counting', 'cancelled');
  const lines = await linesOf(ctx, st.id);
  const actor = requireActor(ctx);
  await ctx.db
    .updateTable('inv_stocktake')
    .set({ status: 'cancelled', cancelledByName: actor.name, cancelledAt: ctx.now.toISOString(), cancelReason: reason })
    .where('id', '=', st.id)
    .execute();
  await record(ctx, {
    action: 'inventory.stocktake.cancelled',
    outcome: 'success',
    resource: { type: 'inv_stocktake', id: st.id },
    data: { stocktakeId: st.id, number: st.number, countedLines: lines.filter((l) => l.countedBy !== null).length },
    reason,
  });
  return getStocktake(ctx, st.id, 'inventory.stocktake.count');
}

/** The stocktake with its lines, variances, changed-book flags and the approval signature checked. */
export async function getStocktake(
  ctx: Ctx,
  id: string,
  permission: Permission = 'inventory.stock.read',
): Promise<StocktakeView> {
  const st = await loadStocktake(ctx, id, permission);
  const lines = await linesOf(ctx, st.id);
  const stale =
    st.status === 'approved' || st.status === 'cancelled' ? new Set<string>() : await staleLines(ctx, st, lines);
  const names = await ctx.db
    .selectFrom('md_warehouse as w')
    .leftJoin('md_storage_area as a', (j) => j.on('a.id', '=', st.areaId ?? ''))
    .select(['w.code as warehouseCode', 'a.code as areaCode'])
    .where('w.id', '=', st.warehouseId)
    .executeTakeFirstOrThrow();
  const details =
    lines.length === 0
      ? []
      : await ctx.db
          .selectFrom('inv_stocktake_line as s')
          .innerJoin('inv_lot as l', 'l.id', 's.lotId')
          .innerJoin('md_product as p', 'p.id', 's.productId')
          .innerJoin('md_location as loc', 'loc.id', 's.locationId')
          .select([
            's.id',
            'l.lot',
            'l.serial',
            'l.expiryDate',
            'p.code as productCode',
            'p.name as productName',
            'loc.code as locationCode',
          ])
          .where('s.stocktakeId', '=', st.id)
          .execute();
  const byId = new Map(details.map((d) => [d.id, d]));
  const views: StocktakeLineView[] = lines.map((l) => {
    const d = byId.get(l.id)!;
    const counted = l.countedQuantity === null ? null : Number(l.countedQuantity);
    return {
      id: l.id,
      lineNo: Number(l.lineNo),
      productId: l.productId,
      productCode: d.productCode,
      productName: d.productName,
      lotId: l.lotId,
      lot: d.lot,
      serial: d.serial,
      expiryDate: d.expiryDate,
      locationId: l.locationId,
      locationCode: d.locationCode,
      zone: l.zone,
      held: Number(l.held) === 1,
      onBook: Number(l.onBook) === 1,
      bookQuantity: Number(l.bookQuantity),
      countedQuantity: counted,
      variance: counted === null ? null : counted - Number(l.bookQuantity),
      countedByName: l.countedByName,
      countedAt: l.countedAt,
      bookChanged: stale.has(l.id),
    };
  });
  let approved: StocktakeView['approved'] = null;
  if (st.status === 'approved' && st.signatureId !== null) {
    const check = await verifySignature(ctx, st.signatureId, stocktakeRecord(st, lines, st.approvalNote));
    const sig = await ctx.db
      .selectFrom('e_signature')
      .select('recordHash')
      .where('id', '=', st.signatureId)
      .executeTakeFirst();
    approved = {
      name: st.approvedByName ?? '',
      at: st.approvedAt ?? '',
      signatureId: st.signatureId,
      recordHash: sig?.recordHash ?? '',
      signatureValid: check.valid,
    };
  }
  const { gain, loss } = variances(lines);
  return {
    id: st.id,
    number: st.number,
    status: st.status,
    warehouseId: st.warehouseId,
    warehouseCode: names.warehouseCode,
    areaId: st.areaId,
    areaCode: names.areaCode ?? null,
    site: st.site,
    note: st.note,
    round: Number(st.round),
    opened: { name: st.openedByName, at: st.openedAt },
    submitted:
      st.submittedByName === null || st.submittedAt === null ? null : { name: st.submittedByName, at: st.submittedAt },
    rejected:
      st.rejectedByName === null || st.rejectedAt === null
        ? null
        : { name: st.rejectedByName, at: st.rejectedAt, reason: st.rejectReason ?? '' },
    cancelled:
      st.cancelledByName === null || st.cancelledAt === null
        ? null
        : { name: st.cancelledByName, at: st.cancelledAt, reason: st.cancelReason ?? '' },
    approved,
    lines: views,
    totals: {
      lines: views.length,
      counted: views.filter((v) => v.countedQuantity !== null).length,
      gain,
      loss,
      changed: stale.size,
    },
  };
}

/** Stocktakes of the actor's sites, newest first. */
export async function listStocktakes(
  ctx: Ctx,
  filter: { status?: InvStocktakeTable['status'] | undefined; warehouseId?: string | undefined },
) {
  const scope = siteScope(requireActor(ctx), 'inventory.stock.read');
  let q = ctx.db
    .selectFrom('inv_stocktake as s')
    .innerJoin('md_warehouse as w', 'w.id', 's.warehouseId')
    .leftJoin('md_storage_area as a', 'a.id', 's.areaId')
    .select([
      's.id',
      's.number',
      's.status',
      'w.code as warehouseCode',
      'a.code as areaCode',
      's.openedByName',
      's.openedAt',
      's.round',
    ]);
  if (scope !== 'all') q = q.where('s.site', 'in', scope.size === 0 ? [''] : [...scope]);
  if (filter.status !== undefined) q = q.where('s.status', '=', filter.status);
  if (filter.warehouseId !== undefined) q = q.where('s.warehouseId', '=', filter.warehouseId);
  const rows = await q.orderBy('s.openedAt', 'desc').orderBy('s.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, areaCode: r.areaCode ?? null, round: Number(r.round) }));
}
