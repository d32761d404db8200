import type { OrderView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { allocateFefo, postMovements, type Pick } from '../inventory/index.js';
import { firstLocationInZone } from '../master-data/index.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, loadOrder, transition } from './sales.common.js';
import { orderView } from './sales.orders.js';

/**
 * Allocates what the order still lacks, first expiry first out, from the qualified zone of the
 * order's warehouse, and moves the picked units into the shipping zone in the same transaction.
 * The move is a ledger posting that takes stock only while the balance covers it, so two orders
 * competing for the last unit cannot both get it. Expired and held lots are never picked (the
 * refusal names the expired lot and its date). All lines are allocated, or none.
 */
export async function allocateOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.order.allocate');
  if (order.status !== 'confirmed') {
    const why: Record<string, string> = {
      draft: 'is a draft: confirm it first',
      allocated: 'is already fully allocated',
      reviewed: 'has been reviewed',
      shipped: 'has been shipped',
      cancelled: 'is cancelled',
    };
    throw new AppError('conflict', `Order ${order.orderNo} ${why[order.status] ?? `is ${order.status}`}.`);
  }
  await transition(ctx, order, ['confirmed'], 'allocated');
  const shipping = await firstLocationInZone(ctx, order.warehouseId, 'shipping');
  if (shipping === null) {
    throw new AppError('conflict', `Warehouse ${order.warehouseCode} has no location in a shipping (发货) area.`);
  }
  const lines = await ctx.db
    .selectFrom('sales_order_line')
    .selectAll()
    .where('orderId', '=', orderId)
    .orderBy('lineNo')
    .execute();
  const current = await ctx.db
    .selectFrom('sales_allocation')
    .select(['lineId', 'quantity', 'refused'])
    .where('orderId', '=', orderId)
    .where('state', '=', 'active')
    .execute();
  let allocations = 0;
  let units = 0;
  const planned: { line: (typeof lines)[number]; pick: Pick; productionDate: string | null }[] = [];
  for (const line of lines) {
    const have = current
      .filter((a) => a.lineId === line.id)
      .reduce((n, a) => n + Number(a.quantity) - Number(a.refused), 0);
    const missing = Number(line.quantity) - have;
    if (missing <= 0) continue;
    const picks = await allocateFefo(ctx, {
      productId: line.productId,
      warehouseId: order.warehouseId,
      quantity: missing,
    }).catch((err: unknown) => {
      throw isAppError(err, 'conflict')
        ? new AppError('conflict', `${line.productName} ${line.model} (line ${line.lineNo}): ${err.message}`)
        : err;
    });
    const lots = await ctx.db
      .selectFrom('inv_lot')
      .select(['id', 'productionDate'])
      .where(
        'id',
        'in',
        picks.map((p) => p.lotId),
      )
      .execute();
    for (const p of picks) {
      planned.push({ line, pick: p, productionDate: lots.find((l) => l.id === p.lotId)?.productionDate ?? null });
    }
  }
  // Rows are taken in one global order (lot, location): two concurrent allocations never wait on
  // each other crosswise (no deadlock), one of them simply finds the stock gone.
  planned.sort(
    (a, b) => a.pick.lotId.localeCompare(b.pick.lotId) || a.pick.locationId.localeCompare(b.pick.locationId),
  );
  for (const { line, pick: p, productionDate } of planned) {
    const base = { kind: 'pick' as const, lotId: p.lotId, docType: 'sales_order', docId: orderId };
    await postMovements(
      ctx,
      [
        { ...base, locationId: p.locationId, quantity: -p.quantity },
        { ...base, locationId: shipping, quantity: p.quantity },
      ],
      'sales.order.allocate',
    );
    await ctx.db
      .insertInto('sales_allocation')
      .values({
        id: uuidv7(ctx.now.getTime()),
        orderId,
        lineId: line.id,
        productId: line.productId,
        lotId: p.lotId,
        lot: p.lot,
        serial: p.serial,
        productionDate,
        expiryDate: p.expiryDate,
        fromLocationId: p.locationId,
        locationId: shipping,
        quantity: p.quantity,
        refused: 0,
        state: 'active',
        allocatedBy: actor.id,
        allocatedByName: actor.name,
        allocatedAt: ctx.now.toISOString(),
      })
      .execute();
    allocations += 1;
    units += p.quantity;
  }
  await record(ctx, {
    action: 'sales.order.allocated',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    data: { orderId, orderNo: order.orderNo, allocations, units },
  });
  return orderView(ctx, orderId);
}
