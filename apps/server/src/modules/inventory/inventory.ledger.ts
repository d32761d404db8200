import type { GspZone, MovementKind } from '@medledger/contract';
import { locationInfo, type LocationInfo } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Actor, type Ctx } from '../../platform/http/ctx.js';
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

function actorOf(ctx: Ctx): Actor {
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

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
    let lot = lots.get(p.lotId);
    if (lot === undefined) {
      const row = await ctx.db
        .selectFrom('inv_lot')
        .select(['productId', 'expiryDate', 'lot'])
        .where('id', '=', p.lotId)
        .executeTakeFirst();
      if (row === undefined) throw new AppError('not_found', 'No such lot.');
      lot = row;
      lots.set(p.lotId, lot);
    }
    const id = uuidv7(ctx.now.getTime());
    await ctx.db
      .insertInto('inv_movement')
      .values({
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
      })
      .execute();
    if (p.quantity > 0) {
      await ctx.db
        .insertInto('inv_balance')
        .values({
          lotId: p.lotId,
          locationId: p.locationId,
          productId: lot.productId,
          warehouseId: place.warehouseId,
          zone: place.zone,
          expiryDate: lot.expiryDate,
          quantity: p.quantity,
        })
        .onConflict((oc) =>
          oc
            .columns(['lotId', 'locationId'])
            .doUpdateSet((eb) => ({ quantity: eb('inv_balance.quantity', '+', p.quantity) })),
        )
        .execute();
    } else {
      const taken = await ctx.db
        .updateTable('inv_balance')
        .set((eb) => ({ quantity: eb('quantity', '-', -p.quantity) }))
        .where('lotId', '=', p.lotId)
        .where('locationId', '=', p.locationId)
        .where('quantity', '>=', -p.quantity)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) {
        throw new AppError(
          'conflict',
          `Not enough stock of lot ${lot.lot} at location ${place.locationCode}: ${-p.quantity} needed. Someone may have taken it meanwhile; refresh and try again.`,
        );
      }
    }
    ids.push(id);
  }
  return ids;
}

/** The zone a location is in (for checks such as "only from the quarantine zone"). */
export async function zoneOf(ctx: Ctx, locationId: string): Promise<GspZone> {
  return (await locationInfo(ctx, locationId)).zone;
}
