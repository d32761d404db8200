import type { z } from 'zod';
import type { ClimateView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import { siteScope, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';

/**
 * Temperature ranges of the storage conditions in tenths of a degree: 常温 0–30 ℃, 冷藏 2–8 ℃,
 * 冷冻 ≤ −20 ℃; relative humidity above 75 % is out of range unless a label says otherwise.
 */
const RANGES = {
  normal: [0, 300],
  cold_2_8: [20, 80],
  frozen_minus_20: [-600, -200],
} as const;
const HUMIDITY_MAX_TENTHS = 750;

type View = z.infer<typeof ClimateView>;

function toView(r: {
  id: string;
  areaId: string;
  at: string;
  temperatureTenths: number;
  humidityTenths: number;
  outOfRange: number;
  recordedByName: string;
  note: string | null;
}): View {
  return {
    id: r.id,
    areaId: r.areaId,
    at: r.at,
    temperature: Number(r.temperatureTenths) / 10,
    humidity: Number(r.humidityTenths) / 10,
    outOfRange: Number(r.outOfRange) === 1,
    recordedByName: r.recordedByName,
    note: r.note,
  };
}

async function scopedArea(ctx: Ctx, areaId: string, permission: 'inventory.climate.record' | 'inventory.stock.read') {
  const area = await ctx.db
    .selectFrom('md_storage_area as a')
    .innerJoin('md_warehouse as w', 'w.id', 'a.warehouseId')
    .select(['a.id', 'a.storage', 'w.id as warehouseId', 'w.site'])
    .where('a.id', '=', areaId)
    .executeTakeFirst();
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  const scope = siteScope(ctx.actor, permission);
  if (area === undefined || (scope !== 'all' && !scope.has(area.site))) {
    throw new AppError('not_found', 'No such storage area.');
  }
  return area;
}

/**
 * GSP art. 74: a temperature / humidity reading of a storage area, time and recorder from the
 * session and the server clock; flagged when outside the area's storage condition.
 */
export async function recordClimate(
  ctx: Ctx,
  input: { areaId: string; temperature: number; humidity: number; note?: string | undefined },
): Promise<View> {
  const area = await scopedArea(ctx, input.areaId, 'inventory.climate.record');
  const t = Math.round(input.temperature * 10);
  const h = Math.round(input.humidity * 10);
  const [lo, hi] = RANGES[area.storage];
  const outOfRange = t < lo || t > hi || h > HUMIDITY_MAX_TENTHS;
  const row = {
    id: uuidv7(ctx.now.getTime()),
    areaId: area.id,
    warehouseId: area.warehouseId,
    at: ctx.now.toISOString(),
    temperatureTenths: t,
    humidityTenths: h,
    outOfRange: outOfRange ? 1 : 0,
    recordedBy: ctx.actor!.id,
    recordedByName: ctx.actor!.name,
    note: input.note ?? null,
  };
  await ctx.db.insertInto('inv_climate').values(row).execute();
  await record(ctx, {
    action: 'inventory.climate.recorded',
    outcome: 'success',
    resource: { type: 'md_storage_area', id: area.id },
    data: { areaId: area.id, temperature: t / 10, humidity: h / 10, outOfRange },
  });
  return toView(row);
}

/** Climate records of the actor's sites (the temperature ledger), newest first. */
export async function listClimate(
  ctx: Ctx,
  filter: { areaId?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<View[]> {
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  const scope = siteScope(ctx.actor, 'inventory.stock.read');
  let q = ctx.db
    .selectFrom('inv_climate as c')
    .innerJoin('md_warehouse as w', 'w.id', 'c.warehouseId')
    .select([
      'c.id',
      'c.areaId',
      'c.at',
      'c.temperatureTenths',
      'c.humidityTenths',
      'c.outOfRange',
      'c.recordedByName',
      'c.note',
    ]);
  if (scope !== 'all') q = q.where('w.site', 'in', scope.size === 0 ? [''] : [...scope]);
  if (filter.areaId !== undefined) q = q.where('c.areaId', '=', filter.areaId);
  if (filter.from !== undefined) q = q.where('c.at', '>=', new Date(`${filter.from}T00:00:00+08:00`).toISOString());
  if (filter.to !== undefined) q = q.where('c.at', '<=', new Date(`${filter.to}T23:59:59.999+08:00`).toISOString());
  const rows = await q.orderBy('c.at', 'desc').limit(1000).execute();
  return rows.map(toView);
}
