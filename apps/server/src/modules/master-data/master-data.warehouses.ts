import type { WarehouseView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf } from './master-data.common.js';
import type { MdStorageAreaTable } from './master-data.tables.js';

/**
 * AC-02: the warehouses the actor may see with `permission`: all, or those of their sites. Lookups
 * outside the scope answer 404, exactly like a warehouse that does not exist.
 */
function scoped(ctx: Ctx, permission: 'master-data.record.read' | 'master-data.warehouse.manage') {
  const scope = siteScope(actorOf(ctx), permission);
  const q = ctx.db.selectFrom('md_warehouse').selectAll();
  return scope === 'all' ? q : q.where('site', 'in', scope.size === 0 ? [''] : [...scope]);
}

async function views(ctx: Ctx, rows: { id: string; code: string; name: string; site: string; address: string }[]) {
  const ids = rows.map((r) => r.id);
  const areas =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('md_storage_area')
          .selectAll()
          .where('warehouseId', 'in', ids)
          .orderBy('code')
          .execute();
  const areaIds = areas.map((a) => a.id);
  const locations =
    areaIds.length === 0
      ? []
      : await ctx.db.selectFrom('md_location').selectAll().where('areaId', 'in', areaIds).orderBy('code').execute();
  return rows.map((w): WarehouseView => ({
    id: w.id,
    code: w.code,
    name: w.name,
    site: w.site,
    address: w.address,
    areas: areas
      .filter((a) => a.warehouseId === w.id)
      .map((a) => ({
        id: a.id,
        code: a.code,
        name: a.name,
        zone: a.zone,
        storage: a.storage,
        locations: locations
          .filter((l) => l.areaId === a.id)
          .map((l) => ({ id: l.id, code: l.code, active: Number(l.active) === 1 })),
      })),
  }));
}

export async function listWarehouses(ctx: Ctx): Promise<WarehouseView[]> {
  return views(ctx, await scoped(ctx, 'master-data.record.read').orderBy('code').execute());
}

export async function getWarehouse(
  ctx: Ctx,
  id: string,
  permission: 'master-data.record.read' | 'master-data.warehouse.manage' = 'master-data.record.read',
): Promise<WarehouseView> {
  const row = await scoped(ctx, permission).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such warehouse.');
  const [view] = await views(ctx, [row]);
  return view!;
}

/** A warehouse of a site; only someone who may manage warehouses of that site can create it. */
export async function createWarehouse(
  ctx: Ctx,
  input: { code: string; name: string; site: string; address: string },
): Promise<WarehouseView> {
  const scope = siteScope(actorOf(ctx), 'master-data.warehouse.manage');
  if (scope !== 'all' && !scope.has(input.site)) {
    throw new AppError('forbidden', `You manage warehouses only for the sites ${[...scope].join(', ')}.`);
  }
  const taken = await ctx.db.selectFrom('md_warehouse').select('id').where('code', '=', input.code).executeTakeFirst();
  if (taken !== undefined) throw new AppError('conflict', `A warehouse with the code ${input.code} already exists.`);
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('md_warehouse')
    .values({ id, ...input, createdAt: ctx.now.toISOString() })
    .execute();
  await record(ctx, {
    action: 'master-data.warehouse.created',
    outcome: 'success',
    resource: { type: 'md_warehouse', id },
    data: { warehouseId: id, code: input.code, site: input.site },
  });
  return getWarehouse(ctx, id, 'master-data.warehouse.manage');
}

/** A storage area in one GSP colour zone (待验, 合格, 不合格, 发货, 退货). */
export async function createArea(
  ctx: Ctx,
  warehouseId: string,
  input: { code: string; name: string; zone: MdStorageAreaTable['zone']; storage: MdStorageAreaTable['storage'] },
): Promise<WarehouseView> {
  await getWarehouse(ctx, warehouseId, 'master-data.warehouse.manage');
  const taken = await ctx.db
    .selectFrom('md_storage_area')
    .select('id')
    .where('warehouseId', '=', warehouseId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken !== undefined) throw new AppError('conflict', `This warehouse already has an area ${input.code}.`);
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('md_storage_area')
    .values({ id, warehouseId, ...input })
    .execute();
  await record(ctx, {
    action: 'master-data.area.created',
    outcome: 'success',
    resource: { type: 'md_warehouse', id: warehouseId },
    data: { warehouseId, areaId: id, code: input.code, zone: input.zone },
  });
  return getWarehouse(ctx, warehouseId, 'master-data.warehouse.manage');
}

/** A location (货位) in a storage area. */
export async function createLocation(ctx: Ctx, areaId: string, input: { code: string }): Promise<WarehouseView> {
  const area = await ctx.db
    .selectFrom('md_storage_area')
    .select(['id', 'warehouseId'])
    .where('id', '=', areaId)
    .executeTakeFirst();
  if (area === undefined) throw new AppError('not_found', 'No such storage area.');
  await getWarehouse(ctx, area.warehouseId, 'master-data.warehouse.manage').catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found'
      ? new AppError('not_found', 'No such storage area.')
      : err;
  });
  const taken = await ctx.db
    .selectFrom('md_location')
    .select('id')
    .where('areaId', '=', areaId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken !== undefined) throw new AppError('conflict', `This area already has a location ${input.code}.`);
  const id = uuidv7(ctx.now.getTime());
  await ctx.db.insertInto('md_location').values({ id, areaId, code: input.code, active: 1 }).execute();
  await record(ctx, {
    action: 'master-data.location.created',
    outcome: 'success',
    resource: { type: 'md_warehouse', id: area.warehouseId },
    data: { areaId, locationId: id, code: input.code },
  });
  return getWarehouse(ctx, area.warehouseId, 'master-data.warehouse.manage');
}

/** Where a location is: its area's GSP zone and storage condition, the warehouse and its site. */
export type LocationInfo = {
  locationId: string;
  locationCode: string;
  active: boolean;
  areaId: string;
  zone: MdStorageAreaTable['zone'];
  storage: MdStorageAreaTable['storage'];
  warehouseId: string;
  warehouseCode: string;
  site: string;
};

/** A location with its zone and warehouse (not scoped: callers check the site). `not_found` if unknown. */
export async function locationInfo(ctx: Pick<Ctx, 'db'>, locationId: string): Promise<LocationInfo> {
  const row = await ctx.db
    .selectFrom('md_location as l')
    .innerJoin('md_storage_area as a', 'a.id', 'l.areaId')
    .innerJoin('md_warehouse as w', 'w.id', 'a.warehouseId')
    .select([
      'l.id as locationId',
      'l.code as locationCode',
      'l.active',
      'a.id as areaId',
      'a.zone',
      'a.storage',
      'w.id as warehouseId',
      'w.code as warehouseCode',
      'w.site',
    ])
    .where('l.id', '=', locationId)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such location.');
  return { ...row, active: Number(row.active) === 1 };
}

/** The first active location of a warehouse in a GSP zone (for postings that only name the zone), or null. */
export async function firstLocationInZone(
  ctx: Pick<Ctx, 'db'>,
  warehouseId: string,
  zone: MdStorageAreaTable['zone'],
): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('md_location as l')
    .innerJoin('md_storage_area as a', 'a.id', 'l.areaId')
    .select('l.id')
    .where('a.warehouseId', '=', warehouseId)
    .where('a.zone', '=', zone)
    .where('l.active', '=', 1)
    .orderBy('a.code')
    .orderBy('l.code')
    .executeTakeFirst();
  return row?.id ?? null;
}
