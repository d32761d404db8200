import type { MaintenanceCheckInput, MaintenanceCheckView, MaintenanceDueResponse } from '@medledger/contract';
import { usersWithPermission } from '../access/index.js';
import { record } from '../audit/index.js';
import { notifyUser, sign, verifySignature } from '../identity/index.js';
import { addDays, chinaDay } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { requireActor, siteScope, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { NEAR_EXPIRY_DAYS, setHold } from './inventory.stock.js';

/**
 * Check intervals (GSP art. 74; decision 0025): every storage area monthly; an area with cold-chain
 * storage weekly; an area holding near-expiry stock every 15 days. The shortest that applies wins.
 */
export const MAINTENANCE_INTERVAL_DAYS = { monthly: 30, near_expiry: 15, cold_chain: 7 } as const;

/**
 * Cold-chain areas (2–8 ℃, ≤ −20 ℃) must have automatic temperature monitoring with alarms (GSP
 * art. 44), so the twice-daily manual record is asked for the other (normal) areas only.
 */
const automaticMonitoring = (storage: string) => storage !== 'normal';

type Checklist = MaintenanceCheckInput['checklist'];

async function scopedArea(
  ctx: Ctx,
  areaId: string,
  permission: 'inventory.maintenance.record' | 'inventory.stock.read',
) {
  const area = await ctx.db
    .selectFrom('md_storage_area as a')
    .innerJoin('md_warehouse as w', 'w.id', 'a.warehouseId')
    .select(['a.id', 'a.code', 'a.storage', 'w.id as warehouseId', 'w.code as warehouseCode', 'w.site'])
    .where('a.id', '=', areaId)
    .executeTakeFirst();
  const scope = siteScope(requireActor(ctx), permission);
  if (area === undefined || (scope !== 'all' && !scope.has(area.site))) {
    throw new AppError('not_found', 'No such storage area.');
  }
  return area;
}

/** What the checker signs: the area, the checklist, each lot's findings and the note. */
function checkRecord(
  areaId: string,
  checklist: Checklist,
  lots: readonly {
    lotId: string;
    appearanceOk: boolean;
    packagingOk: boolean;
    expiryOk: boolean;
    suspect: boolean;
    finding: string | null;
  }[],
  note: string | null,
) {
  return {
    areaId,
    checklist,
    lots: [...lots]
      .sort((a, b) => a.lotId.localeCompare(b.lotId))
      .map((l) => ({
        lotId: l.lotId,
        appearanceOk: l.appearanceOk,
        packagingOk: l.packagingOk,
        expiryOk: l.expiryOk,
        suspect: l.suspect,
        finding: l.finding,
      })),
    note,
  };
}

/**
 * GSP art. 74: the in-stock maintenance check of one storage area, signed by the checker (GSP-04).
 * Every lot on hand in the area is checked (appearance, packaging, expiry); a suspect lot is put on
 * quality hold at once (stop sale) and QA is told. Time and checker come from the server.
 */
export async function recordMaintenanceCheck(ctx: Ctx, input: MaintenanceCheckInput): Promise<MaintenanceCheckView> {
  const actor = requireActor(ctx);
  const area = await scopedArea(ctx, input.areaId, 'inventory.maintenance.record');
  if (area.storage !== 'normal' && input.checklist.coldAlarms === null) {
    throw new AppError('validation_failed', 'Check the cold room and its alarms.', [
      { path: 'body.checklist.coldAlarms', message: 'required for a cold-chain area' },
    ]);
  }
  const onHand = await ctx.db
    .selectFrom('inv_balance as b')
    .innerJoin('md_location as loc', 'loc.id', 'b.locationId')
    .innerJoin('inv_lot as l', 'l.id', 'b.lotId')
    .select(['b.lotId', 'l.lot', 'l.holdReason'])
    .distinct()
    .where('loc.areaId', '=', area.id)
    .where('b.quantity', '>', 0)
    .execute();
  const inArea = new Map(onHand.map((r) => [r.lotId, r]));
  const given = new Set(input.lots.map((l) => l.lotId));
  const issues = input.lots
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => !inArea.has(l.lotId))
    .map(({ i }) => ({ path: `body.lots.${i}.lotId`, message: 'no stock of this lot in the area' }));
  if (issues.length > 0) throw new AppError('validation_failed', 'Some lots are not stored in this area.', issues);
  const missing = onHand.filter((r) => !given.has(r.lotId));
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `Every lot in the area is checked: ${missing.length} missing (first: lot ${missing[0]!.lot}).`,
      [{ path: 'body.lots', message: `${missing.length} lot(s) of the area missing` }],
    );
  }
  const id = uuidv7(ctx.now.getTime());
  const note = input.note === undefined || input.note === '' ? null : input.note;
  const lots = input.lots.map((l) => ({
    ...l,
    finding: l.finding === undefined || l.finding === '' ? null : l.finding,
  }));
  const signature = await sign(ctx, {
    meaning: `在库养护检查 / Maintenance check of ${area.warehouseCode} ${area.code}`,
    subject: { type: 'inv_maintenance_check', id },
    recordValue: checkRecord(area.id, input.checklist, lots, note),
    code: input.code,
  });
  const suspects = lots.filter((l) => l.suspect);
  await ctx.db
    .insertInto('inv_maintenance_check')
    .values({
      id,
      areaId: area.id,
      warehouseId: area.warehouseId,
      site: area.site,
      checklist: JSON.stringify(input.checklist),
      note,
      suspectLots: suspects.length,
      checkedBy: actor.id,
      checkedByName: signature.signerName,
      checkedAt: signature.signedAt,
      signatureId: signature.id,
    })
    .execute();
  for (let i = 0; i < lots.length; i += 100) {
    await ctx.db
      .insertInto('inv_maintenance_lot')
      .values(
        lots.slice(i, i + 100).map((l) => ({
          id: uuidv7(ctx.now.getTime()),
          checkId: id,
          lotId: l.lotId,
          appearanceOk: l.appearanceOk ? 1 : 0,
          packagingOk: l.packagingOk ? 1 : 0,
          expiryOk: l.expiryOk ? 1 : 0,
          suspect: l.suspect ? 1 : 0,
          finding: l.finding,
        })),
      )
      .execute();
  }
  // Suspect stock: isolate and stop sale at once (the lot hold), then tell QA (art. 74).
  for (const s of suspects) {
    if (inArea.get(s.lotId)!.holdReason === null) {
      await setHold(ctx, s.lotId, true, `养护检查可疑 / suspect in maintenance check: ${s.finding ?? ''}`.trim());
    }
  }
  if (suspects.length > 0) {
    const first = inArea.get(suspects[0]!.lotId)!;
    for (const userId of await usersWithPermission(ctx.db, 'inventory.lot.hold')) {
      await notifyUser(ctx, userId, 'maintenance_suspect', {
        area: `${area.warehouseCode} ${area.code}`,
        lots: suspects.length,
        lot: first.lot,
      });
    }
  }
  await record(ctx, {
    action: 'inventory.maintenance.recorded',
    outcome: 'success',
    resource: { type: 'inv_maintenance_check', id },
    data: { checkId: id, areaId: area.id, signatureId: signature.id, lots: lots.length, suspectLots: suspects.length },
    ...(note === null ? {} : { reason: note }),
  });
  return getMaintenanceCheck(ctx, id);
}

const base = (ctx: Ctx) =>
  ctx.db
    .selectFrom('inv_maintenance_check as c')
    .innerJoin('md_storage_area as a', 'a.id', 'c.areaId')
    .innerJoin('md_warehouse as w', 'w.id', 'c.warehouseId')
    .select([
      'c.id',
      'c.areaId',
      'a.code as areaCode',
      'c.warehouseId',
      'w.code as warehouseCode',
      'a.storage',
      'c.checklist',
      'c.note',
      'c.checkedByName',
      'c.checkedAt',
      'c.signatureId',
      'c.suspectLots',
      'c.site',
    ]);

/** A maintenance check with its lots and the signature checked against the stored record. */
export async function getMaintenanceCheck(ctx: Ctx, id: string): Promise<MaintenanceCheckView> {
  const row = await base(ctx).where('c.id', '=', id).executeTakeFirst();
  const scope = siteScope(requireActor(ctx), 'inventory.stock.read');
  if (row === undefined || (scope !== 'all' && !scope.has(row.site))) {
    throw new AppError('not_found', 'No such maintenance check.');
  }
  const lots = await ctx.db
    .selectFrom('inv_maintenance_lot as m')
    .innerJoin('inv_lot as l', 'l.id', 'm.lotId')
    .innerJoin('md_product as p', 'p.id', 'l.productId')
    .select([
      'm.lotId',
      'p.code as productCode',
      'p.name as productName',
      'l.lot',
      'l.serial',
      'l.expiryDate',
      'm.appearanceOk',
      'm.packagingOk',
      'm.expiryOk',
      'm.suspect',
      'm.finding',
    ])
    .where('m.checkId', '=', id)
    .orderBy('p.code')
    .orderBy('l.lot')
    .execute();
  const views = lots.map((l) => ({
    ...l,
    appearanceOk: Number(l.appearanceOk) === 1,
    packagingOk: Number(l.packagingOk) === 1,
    expiryOk: Number(l.expiryOk) === 1,
    suspect: Number(l.suspect) === 1,
  }));
  const checklist = JSON.parse(row.checklist) as Checklist;
  const check = await verifySignature(ctx, row.signatureId, checkRecord(row.areaId, checklist, views, row.note));
  return {
    id: row.id,
    areaId: row.areaId,
    areaCode: row.areaCode,
    warehouseId: row.warehouseId,
    warehouseCode: row.warehouseCode,
    storage: row.storage,
    checklist,
    note: row.note,
    checkedByName: row.checkedByName,
    checkedAt: row.checkedAt,
    signatureId: row.signatureId,
    signatureValid: check.valid,
    suspectLots: Number(row.suspectLots),
    lots: views,
  };
}

/** Maintenance checks of the actor's sites, newest first. */
export async function listMaintenanceChecks(ctx: Ctx, filter: { areaId?: string | undefined }) {
  const scope = siteScope(requireActor(ctx), 'inventory.stock.read');
  let q = base(ctx);
  if (scope !== 'all') q = q.where('c.site', 'in', scope.size === 0 ? [''] : [...scope]);
  if (filter.areaId !== undefined) q = q.where('c.areaId', '=', filter.areaId);
  const rows = await q.orderBy('c.checkedAt', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    areaId: r.areaId,
    areaCode: r.areaCode,
    warehouseId: r.warehouseId,
    warehouseCode: r.warehouseCode,
    storage: r.storage,
    note: r.note,
    checkedByName: r.checkedByName,
    checkedAt: r.checkedAt,
    signatureId: r.signatureId,
    suspectLots: Number(r.suspectLots),
  }));
}

/** The start of a China calendar day (00:00 UTC+8) as an instant. */
const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/**
 * The due-list of the actor's sites: when each storage area's next maintenance check is due (see
 * {@link MAINTENANCE_INTERVAL_DAYS}), and the morning / afternoon manual climate records missing in
 * the last `days` China days for areas without automatic monitoring. A slot counts as missing once
 * it is over: the morning (00:00–12:00 China time) at noon, the afternoon at midnight.
 */
export async function maintenanceDue(ctx: Ctx, days = 7): Promise<MaintenanceDueResponse> {
  const scope = siteScope(requireActor(ctx), 'inventory.stock.read');
  const today = chinaDay(ctx.now);
  let q = ctx.db
    .selectFrom('md_storage_area as a')
    .innerJoin('md_warehouse as w', 'w.id', 'a.warehouseId')
    .select(['a.id', 'a.code', 'a.name', 'a.storage', 'w.code as warehouseCode', 'w.createdAt']);
  if (scope !== 'all') q = q.where('w.site', 'in', scope.size === 0 ? [''] : [...scope]);
  const areas = await q.orderBy('w.code').orderBy('a.code').limit(2000).execute();
  if (areas.length === 0) return { today, areas: [], climateGaps: [] };
  const ids = areas.map((a) => a.id);
  const last = await ctx.db
    .selectFrom('inv_maintenance_check')
    .select(['areaId', (eb) => eb.fn.max<string>('checkedAt').as('at')])
    .where('areaId', 'in', ids)
    .groupBy('areaId')
    .execute();
  const lastAt = new Map(last.map((r) => [r.areaId, r.at]));
  const near = await ctx.db
    .selectFrom('inv_balance as b')
    .innerJoin('md_location as loc', 'loc.id', 'b.locationId')
    .select('loc.areaId')
    .distinct()
    .where('loc.areaId', 'in', ids)
    .where('b.quantity', '>', 0)
    .where('b.expiryDate', '<=', addDays(today, NEAR_EXPIRY_DAYS))
    .execute();
  const nearAreas = new Set(near.map((r) => r.areaId));
  const out: MaintenanceDueResponse['areas'] = areas.map((a) => {
    const reason = a.storage !== 'normal' ? 'cold_chain' : nearAreas.has(a.id) ? 'near_expiry' : 'monthly';
    const interval = MAINTENANCE_INTERVAL_DAYS[reason];
    const at = lastAt.get(a.id) ?? null;
    const dueDate = at === null ? today : addDays(chinaDay(new Date(at)), interval);
    return {
      areaId: a.id,
      areaCode: a.code,
      areaName: a.name,
      warehouseCode: a.warehouseCode,
      storage: a.storage,
      intervalDays: interval,
      reason,
      lastCheckedAt: at,
      dueDate,
      due: dueDate <= today,
      automaticMonitoring: automaticMonitoring(a.storage),
    };
  });
  out.sort((x, y) => x.dueDate.localeCompare(y.dueDate) || x.warehouseCode.localeCompare(y.warehouseCode));

  const manual = areas.filter((a) => !automaticMonitoring(a.storage));
  const first = addDays(today, -(Math.min(Math.max(days, 1), 31) - 1));
  const gaps: MaintenanceDueResponse['climateGaps'] = [];
  if (manual.length > 0) {
    const readings = await ctx.db
      .selectFrom('inv_climate')
      .select(['areaId', 'at'])
      .where(
        'areaId',
        'in',
        manual.map((a) => a.id),
      )
      .where('at', '>=', chinaMidnight(first).toISOString())
      .execute();
    const slotsWith = new Set(
      readings.map((r) => {
        const at = new Date(r.at);
        const hour = new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
        return `${r.areaId}|${chinaDay(at)}|${hour < 12 ? 'morning' : 'afternoon'}`;
      }),
    );
    for (const a of manual) {
      const since = new Date(a.createdAt);
      for (let day = first; day <= today; day = addDays(day, 1)) {
        const noon = new Date(chinaMidnight(day).getTime() + 12 * 3_600_000);
        const end = chinaMidnight(addDays(day, 1));
        for (const [slot, start, over] of [
          ['morning', chinaMidnight(day), noon],
          ['afternoon', noon, end],
        ] as const) {
          // Only slots wholly after the warehouse was set up, and only once they are over.
          if (start < since || ctx.now < over) continue;
          if (!slotsWith.has(`${a.id}|${day}|${slot}`)) {
            gaps.push({ areaId: a.id, areaCode: a.code, warehouseCode: a.warehouseCode, day, slot });
          }
        }
      }
    }
  }
  return { today, areas: out, climateGaps: gaps };
}
