import type { Insertable } from 'kysely';
import type { GspZone, MovementKind } from '@medledger/contract';
import type { Database } from '../../platform/db/database.js';
import { locationInfo, type LocationInfo } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Ctx, requireActor } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';

/** Lot identity and dates as received (from the acceptance scan or the delivery slip). */
export type LotInput = {
  productId: string;
  lot: string;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  sterilisationBatch?: string | null;
};

const actorOf = requireActor;

/**
 * The lot row for (product, lot, serial), created on first receipt. Dates are fixed by the first
 * receipt: a later scan of the same lot with another expiry date is refused (a label mismatch is
 * a quality problem, GSP art. 87).
 */
export async function ensureLot(ctx: Ctx, input: LotInput): Promise<string> {
  const serialKey = input.serial ?? '';
  const existing = await ctx.db
    .selectFrom('inv_lot')
    .select(['id', 'expiryDate'])
    .where('productId', '=', input.productId)
    .where('lot', '=', input.lot)
    .where('serialKey', '=', serialKey)
    .executeTakeFirst();
  if (existing !== undefined) {
    if (existing.expiryDate !== input.expiryDate) {
      throw new AppError(
        'conflict',
        `Lot ${input.lot}${input.serial === null ? '' : ` serial ${input.serial}`} is on file with expiry ${existing.expiryDate ?? '(none)'}, not ${input.expiryDate ?? '(none)'}: check the label.`,
      );
    }
    return existing.id;
  }
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('inv_lot')
    .values({
      id,
      productId: input.productId,
      lot: input.lot,
      serial: input.serial,
      serialKey,
      productionDate: input.productionDate,
      expiryDate: input.expiryDate,
      sterilisationBatch: input.sterilisationBatch ?? null,
      holdReason: null,
      heldAt: null,
      createdAt: ctx.now.toISOString(),
    })
    .execute();
  return id;
}

const lotKey = (productId: string, lot: string, serialKey: string) => `${productId}\u0000${lot}\u0000${serialKey}`;

/**
 * {@link ensureLot} for many lots at once (an acceptance scan batch): one lookup per 300 lots and one
 * insert per 100 new ones instead of two statements per lot. Returns the ids in input order. A lot
 * created meanwhile by another transaction is taken as found (insert or ignore, then read), and the
 * same label-mismatch rule applies: a known lot with another expiry date is refused, naming it.
 */
export async function ensureLots(ctx: Ctx, inputs: readonly LotInput[]): Promise<string[]> {
  const found = new Map<string, { id: string; expiryDate: string | null }>();
  const lookup = async (items: readonly LotInput[]) => {
    for (let i = 0; i < items.length; i += 300) {
      const part = items.slice(i, i + 300);
      const rows = await ctx.db
        .selectFrom('inv_lot')
        .select(['id', 'productId', 'lot', 'serialKey', 'expiryDate'])
        .where('productId', 'in', [...new Set(part.map((x) => x.productId))])
        .where('lot', 'in', [...new Set(part.map((x) => x.lot))])
        .where('serialKey', 'in', [...new Set(part.map((x) => x.serial ?? ''))])
        .execute();
      for (const r of rows) found.set(lotKey(r.productId, r.lot, r.serialKey), { id: r.id, expiryDate: r.expiryDate });
    }
  };
  const distinct = new Map<string, LotInput>();
  for (const input of inputs) distinct.set(lotKey(input.productId, input.lot, input.serial ?? ''), input);
  await lookup([...distinct.values()]);
  const missing = [...distinct.entries()].filter(([key]) => !found.has(key)).map(([, input]) => input);
  if (missing.length > 0) {
    const at = ctx.now.toISOString();
    for (let i = 0; i < missing.length; i += 100) {
      await ctx.db
        .insertInto('inv_lot')
        .values(
          missing.slice(i, i + 100).map((input) => ({
            id: uuidv7(ctx.now.getTime()),
            productId: input.productId,
            lot: input.lot,
            serial: input.serial,
            serialKey: input.serial ?? '',
            productionDate: input.productionDate,
            expiryDate: input.expiryDate,
            sterilisationBatch: input.sterilisationBatch ?? null,
            holdReason: null,
            heldAt: null,
            createdAt: at,
          })),
        )
        .onConflict((oc) => oc.columns(['productId', 'lot', 'serialKey']).doNothing())
        .execute();
    }
    await lookup(missing);
  }
  return inputs.map((input) => {
    const lot = found.get(lotKey(input.productId, input.lot, input.serial ?? ''))!;
    if (lot.expiryDate !== input.expiryDate) {
      throw new AppError(
        'conflict',
        `Lot ${input.lot}${input.serial === null ? '' : ` serial ${input.serial}`} is on file with expiry ${lot.expiryDate ?? '(none)'}, not ${input.expiryDate ?? '(none)'}: check the label.`,
      );
    }
    return lot.id;
  });
}

/** One ledger entry to post: a positive quantity adds to the location, a negative one takes from it. */
export type Posting = {
  kind: MovementKind;
  lotId: string;
  locationId: string;
  quantity: number;
  docType: string;
  docId: string;
  note?: string | null;
  reversalOf?: string | null;
};

/**
 * The one way stock changes: appends ledger entries and adjusts the balances in the caller's
 * transaction. A taking entry succeeds only while the balance covers it — checked by the database
 * in the same statement (`quantity >= n`), so two people taking the last unit at the same moment
 * cannot both succeed. The location must be in a warehouse of the actor's sites for
 * `permission`. Returns the new movement ids.
 */
export async function postMovements(
  ctx: Ctx,
  postings: readonly Posting[],
  permission: Parameters<typeof siteScope>[1],
): Promise<string[]> {
  const actor = actorOf(ctx);
  const scope = siteScope(actor, permission);
  const places = new Map<string, LocationInfo>();
  const lots = new Map<string, { productId: string; expiryDate: string | null; lot: string }>();
  const ids: string[] = [];
  // The lots of all postings in one lookup per 500 (a scan batch posts hundreds of new lots).
  const lotIds = [...new Set(postings.map((p) => p.lotId))];
  for (let i = 0; i < lotIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('inv_lot')
      .select(['id', 'productId', 'expiryDate', 'lot'])
      .where('id', 'in', lotIds.slice(i, i + 500))
      .execute();
    for (const r of rows) lots.set(r.id, { productId: r.productId, expiryDate: r.expiryDate, lot: r.lot });
  }
  type Added = {
    lotId: string;
    locationId: string;
    productId: string;
    warehouseId: string;
    zone: GspZone;
    expiryDate: string | null;
    quantity: number;
  };
  const movements: Insertable<Database['inv_movement']>[] = [];
  const steps: (
    | { add: Added }
    | { take: { lotId: string; locationId: string; quantity: number; lot: string; locationCode: string } }
  )[] = [];
  for (const p of postings) {
    if (!Number.isInteger(p.quantity) || p.quantity === 0) {
      throw new AppError('validation_failed', 'A movement moves a whole, non-zero quantity.');
    }
    let place = places.get(p.locationId);
    if (place === undefined) {
      place = await locationInfo(ctx, p.locationId);
      if (scope !== 'all' && !scope.has(place.site)) throw new AppError('not_found', 'No such location.');
      places.set(p.locationId, place);
    }
    const lot = lots.get(p.lotId);
    if (lot === undefined) throw new AppError('not_found', 'No such lot.');
    const id = uuidv7(ctx.now.getTime());
    movements.push({
      id,
      at: ctx.now.toISOString(),
      kind: p.kind,
      productId: lot.productId,
      lotId: p.lotId,
      locationId: p.locationId,
      warehouseId: place.warehouseId,
      zone: place.zone,
      quantity: p.quantity,
      docType: p.docType,
      docId: p.docId,
      reversalOf: p.reversalOf ?? null,
      actorId: actor.id,
      actorName: actor.name,
      note: p.note ?? null,
    });
    steps.push(
      p.quantity > 0
        ? {
            add: {
              lotId: p.lotId,
              locationId: p.locationId,
              productId: lot.productId,
              warehouseId: place.warehouseId,
              zone: place.zone,
              expiryDate: lot.expiryDate,
              quantity: p.quantity,
            },
          }
        : {
            take: {
              lotId: p.lotId,
              locationId: p.locationId,
              quantity: -p.quantity,
              lot: lot.lot,
              locationCode: place.locationCode,
            },
          },
    );
    ids.push(id);
  }
  // Ledger entries in posting order (a multi-row insert keeps the order of its rows in `seq`).
  for (let i = 0; i < movements.length; i += 100) {
    await ctx.db
      .insertInto('inv_movement')
      .values(movements.slice(i, i + 100))
      .execute();
  }
  // Balances in posting order: runs of additions are summed per lot and location and upserted
  // together; each taking is its own conditional update, after the additions posted before it.
  const pending = new Map<string, Added>();
  const flush = async () => {
    const rows = [...pending.values()];
    pending.clear();
    for (let i = 0; i < rows.length; i += 100) {
      await ctx.db
        .insertInto('inv_balance')
        .values(rows.slice(i, i + 100))
        .onConflict((oc) =>
          oc
            .columns(['lotId', 'locationId'])
            .doUpdateSet((eb) => ({ quantity: eb('inv_balance.quantity', '+', eb.ref('excluded.quantity')) })),
        )
        .execute();
    }
  };
  for (const step of steps) {
    if ('add' in step) {
      const key = `${step.add.lotId}|${step.add.locationId}`;
      const before = pending.get(key);
      pending.set(
        key,
        before === undefined ? { ...step.add } : { ...before, quantity: before.quantity + step.add.quantity },
      );
      continue;
    }
    await flush();
    const t = step.take;
    const taken = await ctx.db
      .updateTable('inv_balance')
      .set((eb) => ({ quantity: eb('quantity', '-', t.quantity) }))
      .where('lotId', '=', t.lotId)
      .where('locationId', '=', t.locationId)
      .where('quantity', '>=', t.quantity)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      throw new AppError(
        'conflict',
        `Not enough stock of lot ${t.lot} at location ${t.locationCode}: ${t.quantity} needed. Someone may have taken it meanwhile; refresh and try again.`,
      );
    }
  }
  await flush();
  return ids;
}

/** The zone a location is in (for checks such as "only from the quarantine zone"). */
export async function zoneOf(ctx: Ctx, locationId: string): Promise<GspZone> {
  return (await locationInfo(ctx, locationId)).zone;
}
