import type { GspZone, TransportInput } from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { chinaToday, postMovements } from '../inventory/index.js';
import { loadProductRow, locationInfo } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, inScope, nextNumber } from './sales.common.js';

type StockItem = { lotId: string; locationId: string; quantity: number };
type Permission = 'sales.supplierReturn.create' | 'sales.disposal.create';

/**
 * Checks the stock to take for a return to a supplier or a disposal: each location in the actor's
 * sites (else 404) and in one of the allowed zones, all in one warehouse, lots of known products.
 */
async function resolveItems(ctx: Ctx, items: readonly StockItem[], zones: readonly GspZone[], permission: Permission) {
  const out = [];
  let warehouse: { id: string; code: string; site: string } | null = null;
  for (const [i, item] of items.entries()) {
    const place = await locationInfo(ctx, item.locationId);
    if (!inScope(ctx, permission, place.site)) throw new AppError('not_found', 'No such location.');
    if (!zones.includes(place.zone)) {
      throw new AppError(
        'conflict',
        `Item ${i + 1}: location ${place.locationCode} is in the ${place.zone} zone; only ${zones.join(' or ')} stock can be taken here.`,
      );
    }
    if (warehouse !== null && warehouse.id !== place.warehouseId) {
      throw new AppError('validation_failed', 'All items of one document come from one warehouse.', [
        { path: `body.items.${i}.locationId`, message: `not in warehouse ${warehouse.code}` },
      ]);
    }
    warehouse = { id: place.warehouseId, code: place.warehouseCode, site: place.site };
    const lot = await ctx.db.selectFrom('inv_lot').selectAll().where('id', '=', item.lotId).executeTakeFirst();
    if (lot === undefined) throw new AppError('not_found', 'No such lot.');
    const product = await loadProductRow(ctx, lot.productId);
    out.push({ item, place, lot, product });
  }
  return { lines: out, warehouse: warehouse! };
}

async function writeLines(
  ctx: Ctx,
  docType: 'supplier_return' | 'disposal',
  docId: string,
  lines: Awaited<ReturnType<typeof resolveItems>>['lines'],
) {
  for (const l of lines) {
    await ctx.db
      .insertInto('sales_stock_line')
      .values({
        id: uuidv7(ctx.now.getTime()),
        docType,
        docId,
        productId: l.product.id,
        productName: l.product.name,
        model: l.product.model,
        specification: l.product.specification,
        certificateNo: l.product.certificateNo,
        lotId: l.lot.id,
        lot: l.lot.lot,
        serial: l.lot.serial,
        expiryDate: l.lot.expiryDate,
        locationId: l.item.locationId,
        zone: l.place.zone,
        quantity: l.item.quantity,
      })
      .execute();
  }
}

async function linesOf(ctx: Ctx, docId: string) {
  const rows = await ctx.db
    .selectFrom('sales_stock_line')
    .select([
      'productName',
      'model',
      'specification',
      'certificateNo',
      'lot',
      'serial',
      'expiryDate',
      'zone',
      'quantity',
    ])
    .where('docId', '=', docId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/**
 * Returns qualified or nonconforming stock to a supplier (purchase return), with the reason and
 * the transport record; the stock is posted out of the warehouse.
 */
export async function returnToSupplier(
  ctx: Ctx,
  input: { supplierId: string; reason: string; transport: TransportInput; items: StockItem[] },
) {
  const actor = actorOf(ctx);
  const supplier = await ctx.db
    .selectFrom('md_party')
    .select(['id', 'code', 'name', 'isSupplier', 'isManufacturer', 'status'])
    .where('id', '=', input.supplierId)
    .executeTakeFirst();
  if (supplier === undefined) throw new AppError('not_found', 'No such supplier.');
  if (Number(supplier.isSupplier) !== 1 && Number(supplier.isManufacturer) !== 1) {
    throw new AppError('conflict', `${supplier.name} (${supplier.code}) is not a supplier or manufacturer.`);
  }
  const { lines, warehouse } = await resolveItems(
    ctx,
    input.items,
    ['qualified', 'nonconforming'],
    'sales.supplierReturn.create',
  );
  const id = uuidv7(ctx.now.getTime());
  const returnNo = await nextNumber(ctx, 'SR');
  const t = input.transport;
  await ctx.db
    .insertInto('sales_supplier_return')
    .values({
      id,
      returnNo,
      supplierId: supplier.id,
      supplierCode: supplier.code,
      supplierName: supplier.name,
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      site: warehouse.site,
      reason: input.reason,
      mode: t.mode,
      carrier: t.mode === 'carrier' ? t.carrier : null,
      waybillNo: t.mode === 'carrier' ? t.waybillNo : null,
      vehiclePlate: t.mode === 'own_fleet' ? t.vehiclePlate : null,
      driver: t.mode === 'own_fleet' ? t.driver : null,
      returnDate: chinaToday(ctx.now),
      returnedAt: ctx.now.toISOString(),
      returnedBy: actor.id,
      returnedByName: actor.name,
    })
    .execute();
  await writeLines(ctx, 'supplier_return', id, lines);
  await postMovements(
    ctx,
    lines.map((l) => ({
      kind: 'return_out' as const,
      lotId: l.lot.id,
      locationId: l.item.locationId,
      quantity: -l.item.quantity,
      docType: 'sales_supplier_return',
      docId: id,
    })),
    'sales.supplierReturn.create',
  );
  await record(ctx, {
    action: 'sales.supplierReturn.created',
    outcome: 'success',
    resource: { type: 'sales_supplier_return', id },
    reason: input.reason,
    data: {
      supplierReturnId: id,
      returnNo,
      supplierId: supplier.id,
      units: lines.reduce((n, l) => n + l.item.quantity, 0),
    },
  });
  return supplierReturnView(ctx, id, 'sales.supplierReturn.create');
}

export async function supplierReturnView(
  ctx: Ctx,
  id: string,
  permission: 'sales.order.read' | 'sales.supplierReturn.create' = 'sales.order.read',
) {
  const r = await ctx.db.selectFrom('sales_supplier_return').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined || !inScope(ctx, permission, r.site)) throw new AppError('not_found', 'No such supplier return.');
  return {
    id: r.id,
    returnNo: r.returnNo,
    supplier: { id: r.supplierId, code: r.supplierCode, name: r.supplierName },
    warehouseCode: r.warehouseCode,
    reason: r.reason,
    transport: {
      mode: r.mode,
      carrier: r.carrier,
      waybillNo: r.waybillNo,
      vehiclePlate: r.vehiclePlate,
      driver: r.driver,
    },
    returnedAt: r.returnedAt,
    returnDate: r.returnDate,
    returnedByName: r.returnedByName,
    lines: await linesOf(ctx, id),
  };
}

/**
 * Destruction of nonconforming stock (GSP arts. 69, 76): method, reason and witnesses, signed by QA
 * with an electronic signature; the date comes from the server and the stock leaves the
 * nonconforming zone.
 */
export async function recordDisposal(
  ctx: Ctx,
  input: { method: string; reason: string; witnesses: string[]; items: StockItem[]; code?: string | undefined },
) {
  const { lines, warehouse } = await resolveItems(ctx, input.items, ['nonconforming'], 'sales.disposal.create');
  const id = uuidv7(ctx.now.getTime());
  const disposalNo = await nextNumber(ctx, 'DP');
  const disposalDate = chinaToday(ctx.now);
  const signature = await sign(ctx, {
    meaning: `不合格品销毁 / Nonconforming stock destroyed: ${disposalNo}`,
    subject: { type: 'sales_disposal', id },
    recordValue: {
      disposalNo,
      warehouse: warehouse.code,
      method: input.method,
      reason: input.reason,
      witnesses: input.witnesses,
      disposalDate,
      lines: lines.map((l) => ({
        lot: l.lot.lot,
        serial: l.lot.serial,
        product: l.product.code,
        quantity: l.item.quantity,
      })),
    },
    code: input.code,
  });
  await ctx.db
    .insertInto('sales_disposal')
    .values({
      id,
      disposalNo,
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      site: warehouse.site,
      method: input.method,
      reason: input.reason,
      witnesses: JSON.stringify(input.witnesses),
      disposalDate,
      disposedAt: ctx.now.toISOString(),
      signerId: signature.signerId,
      signerName: signature.signerName,
      signatureId: signature.id,
    })
    .execute();
  await writeLines(ctx, 'disposal', id, lines);
  await postMovements(
    ctx,
    lines.map((l) => ({
      kind: 'disposal' as const,
      lotId: l.lot.id,
      locationId: l.item.locationId,
      quantity: -l.item.quantity,
      docType: 'sales_disposal',
      docId: id,
    })),
    'sales.disposal.create',
  );
  await record(ctx, {
    action: 'sales.disposal.recorded',
    outcome: 'success',
    resource: { type: 'sales_disposal', id },
    reason: input.reason,
    data: {
      disposalId: id,
      disposalNo,
      signatureId: signature.id,
      units: lines.reduce((n, l) => n + l.item.quantity, 0),
    },
  });
  return disposalView(ctx, id, 'sales.disposal.create');
}

export async function disposalView(
  ctx: Ctx,
  id: string,
  permission: 'sales.order.read' | 'sales.disposal.create' = 'sales.order.read',
) {
  const r = await ctx.db.selectFrom('sales_disposal').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined || !inScope(ctx, permission, r.site)) throw new AppError('not_found', 'No such disposal.');
  return {
    id: r.id,
    disposalNo: r.disposalNo,
    warehouseCode: r.warehouseCode,
    method: r.method,
    reason: r.reason,
    witnesses: JSON.parse(r.witnesses) as string[],
    disposalDate: r.disposalDate,
    disposedAt: r.disposedAt,
    signerName: r.signerName,
    signatureId: r.signatureId,
    lines: await linesOf(ctx, id),
  };
}
