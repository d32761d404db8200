import type { GspZone, Permission, StorageCondition } from '@medledger/contract';
import { locationInfo, type LocationInfo } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Ctx, requireActor } from '../../platform/http/ctx.js';

export const actorOf = requireActor;

/** The China calendar day (UTC+8) of an instant: document dates and expiry dates are calendar days. */
export { chinaDay } from '../../platform/clock.js';

/**
 * AC-02: the sites whose documents the actor may touch with `permission`, as a list for `where
 * site in (…)`, or `'all'`. A document outside the list answers 404 like one that does not exist.
 */
export function sitesFor(ctx: Ctx, permission: Permission): 'all' | string[] {
  const scope = siteScope(actorOf(ctx), permission);
  if (scope === 'all') return 'all';
  // An empty list would be invalid SQL; '' is never a site code.
  return scope.size === 0 ? [''] : [...scope];
}

export function inScope(sites: 'all' | string[], site: string): boolean {
  return sites === 'all' || sites.includes(site);
}

/**
 * The next document number of the day: `PO-20261129-0001`. One counter row per prefix and day is
 * bumped by an atomic upsert in the caller's transaction, so numbers are gapless and two documents
 * created at the same moment never share one (the row lock serialises them on PostgreSQL; SQLite
 * runs one write transaction at a time).
 */
export async function nextNumber(ctx: Ctx, prefix: 'PO' | 'RC' | 'YS', day: string): Promise<string> {
  const key = `${prefix}-${day.replaceAll('-', '')}`;
  const row = await ctx.db
    .insertInto('pur_sequence')
    .values({ key, last: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ last: eb('pur_sequence.last', '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${key}-${String(row.last).padStart(4, '0')}`;
}

/**
 * Takes the document's row lock for the rest of the transaction (an update of its lock counter),
 * so two actions on one document run one after the other on PostgreSQL too; the second then sees
 * what the first committed. Returns false when the row no longer matches `where` (e.g. its status).
 */
export async function lockRow(
  ctx: Ctx,
  table: 'pur_order' | 'pur_acceptance',
  id: string,
  status?: string,
): Promise<boolean> {
  let q = ctx.db
    .updateTable(table)
    .set((eb) => ({ lockVersion: eb('lockVersion', '+', 1) }))
    .where('id', '=', id);
  if (status !== undefined) q = q.where('status', '=', status as never);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const ZONE_LABELS: Record<GspZone, string> = {
  quarantine: '待验 (quarantine)',
  qualified: '合格 (qualified)',
  nonconforming: '不合格 (nonconforming)',
  shipping: '发货 (shipping)',
  returns: '退货 (returns)',
};

export const STORAGE_LABELS: Record<StorageCondition, string> = {
  normal: '常温 (normal)',
  cold_2_8: '冷藏 2–8 ℃',
  frozen_minus_20: '冷冻 ≤ −20 ℃',
};

/**
 * A location of the warehouse in `zone` for goods kept at `storage`: the named one (checked: same
 * warehouse, right zone, active, and for cold-chain goods a matching storage condition), or the
 * first active one whose area has exactly that storage condition.
 */
export async function locationFor(
  ctx: Ctx,
  input: {
    warehouseId: string;
    warehouseCode: string;
    zone: GspZone;
    storage: StorageCondition;
    locationId: string | undefined;
    /** Whether the area's storage condition must match (cold-chain goods), or any area will do. */
    strictStorage: boolean;
    field: string;
  },
): Promise<LocationInfo> {
  if (input.locationId !== undefined) {
    const place = await locationInfo(ctx, input.locationId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    });
    const problem =
      place === null || place.warehouseId !== input.warehouseId
        ? `not a location of warehouse ${input.warehouseCode}`
        : !place.active
          ? `location ${place.locationCode} is inactive`
          : place.zone !== input.zone
            ? `location ${place.locationCode} is in the ${ZONE_LABELS[place.zone]} zone, not ${ZONE_LABELS[input.zone]}`
            : input.strictStorage && place.storage !== input.storage
              ? `location ${place.locationCode} is ${STORAGE_LABELS[place.storage]}; these goods need ${STORAGE_LABELS[input.storage]}`
              : null;
    if (problem !== null) {
      throw new AppError('validation_failed', `The location is not suitable: ${problem}.`, [
        { path: input.field, message: problem },
      ]);
    }
    return place!;
  }
  let q = ctx.db
    .selectFrom('md_location as l')
    .innerJoin('md_storage_area as a', 'a.id', 'l.areaId')
    .select('l.id')
    .where('a.warehouseId', '=', input.warehouseId)
    .where('a.zone', '=', input.zone)
    .where('l.active', '=', 1);
  // Cold-chain goods only where the area keeps their temperature; other goods preferably there.
  if (input.strictStorage) q = q.where('a.storage', '=', input.storage);
  else q = q.orderBy((eb) => eb.case().when('a.storage', '=', input.storage).then(0).else(1).end());
  const row = await q.orderBy('a.code').orderBy('l.code').executeTakeFirst();
  if (row === undefined) {
    throw new AppError(
      'conflict',
      `Warehouse ${input.warehouseCode} has no active ${ZONE_LABELS[input.zone]} location${
        input.strictStorage ? ` for ${STORAGE_LABELS[input.storage]} goods` : ''
      }: create one in master data or name a location.`,
    );
  }
  return locationInfo(ctx, row.id);
}
