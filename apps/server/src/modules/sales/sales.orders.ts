import type { CreateOrderInput, OrderView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { postMovements } from '../inventory/index.js';
import { assertTradeAllowed, loadProductRow } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  actorOf,
  buyerLicenceNo,
  inScope,
  loadOrder,
  nextNumber,
  productUnit,
  seesPrices,
  sitesFor,
  transition,
} from './sales.common.js';

/**
 * A draft sales order (GSP art. 84): the buyer and every product are checked against the
 * qualification rules (licence, business scope, certificates) before anything is written; each line
 * keeps a snapshot of the product as sold. Amounts are computed here, never taken from input.
 */
export async function createOrder(ctx: Ctx, input: CreateOrderInput): Promise<OrderView> {
  const actor = actorOf(ctx);
  const warehouse = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code', 'site'])
    .where('id', '=', input.warehouseId)
    .executeTakeFirst();
  if (warehouse === undefined || !inScope(ctx, 'sales.order.create', warehouse.site)) {
    throw new AppError('not_found', 'No such warehouse.');
  }
  const party = await ctx.db
    .selectFrom('md_party')
    .select(['id', 'code', 'name', 'customerType', 'address', 'warehouseAddress', 'enterpriseHead'])
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (party === undefined) throw new AppError('not_found', 'No such customer.');
  const seen = new Set<string>();
  for (const [i, line] of input.lines.entries()) {
    if (seen.has(line.productId)) {
      throw new AppError('validation_failed', 'Each product may appear on one line only.', [
        { path: `body.lines.${i}.productId`, message: 'this product is already on another line' },
      ]);
    }
    seen.add(line.productId);
  }
  // Every line is checked before anything is written; the refusal names the licence or scope.
  for (const line of input.lines) {
    await assertTradeAllowed(ctx, { direction: 'sale', partyId: party.id, productId: line.productId });
  }
  const id = uuidv7(ctx.now.getTime());
  const orderNo = await nextNumber(ctx, 'SO');
  const lines = [];
  let total = 0;
  for (const [i, line] of input.lines.entries()) {
    const p = await loadProductRow(ctx, line.productId);
    const { unit, gs1Di } = await productUnit(ctx, p.id);
    const amount = line.quantity * line.unitPrice;
    if (!Number.isSafeInteger(amount)) throw new AppError('validation_failed', 'The amount is too large.');
    total += amount;
    lines.push({
      id: uuidv7(ctx.now.getTime()),
      orderId: id,
      lineNo: i + 1,
      productId: p.id,
      productCode: p.code,
      productName: p.name,
      model: p.model,
      specification: p.specification,
      registrant: p.registrant,
      contractManufacturer: p.contractManufacturer,
      manufacturerLicenceNo: p.contractManufacturer === null ? p.registrantLicenceNo : p.contractManufacturerLicenceNo,
      certificateNo: p.certificateNo,
      unit,
      storage: p.storage,
      gs1Di,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount,
    });
  }
  if (!Number.isSafeInteger(total)) throw new AppError('validation_failed', 'The order total is too large.');
  await ctx.db
    .insertInto('sales_order')
    .values({
      id,
      orderNo,
      customerId: party.id,
      customerCode: party.code,
      customerName: party.name,
      customerLicenceNo: await buyerLicenceNo(ctx, party.id, party.customerType === 'hospital'),
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      site: warehouse.site,
      deliveryAddress: input.delivery?.address ?? party.warehouseAddress ?? party.address,
      deliveryContact: input.delivery?.contact ?? party.enterpriseHead,
      deliveryPhone: input.delivery?.phone ?? null,
      status: 'draft',
      totalAmount: total,
      remarks: input.remarks === undefined || input.remarks === '' ? null : input.remarks,
      createdBy: actor.id,
      createdByName: actor.name,
      createdAt: ctx.now.toISOString(),
      confirmedBy: null,
      confirmedByName: null,
      confirmedAt: null,
      cancelledBy: null,
      cancelledByName: null,
      cancelledAt: null,
      cancelReason: null,
    })
    .execute();
  for (const line of lines) await ctx.db.insertInto('sales_order_line').values(line).execute();
  await record(ctx, {
    action: 'sales.order.created',
    outcome: 'success',
    resource: { type: 'sales_order', id },
    data: { orderId: id, orderNo, customerId: party.id, lines: lines.length },
  });
  return orderView(ctx, id);
}

/** Confirms a draft: the buyer's licences and scope are checked again (they may have expired since). */
export async function confirmOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.order.create');
  if (order.status !== 'draft') {
    throw new AppError('conflict', `Order ${order.orderNo} is ${order.status}, not a draft.`);
  }
  await transition(ctx, order, ['draft'], 'confirmed', {
    confirmedBy: actor.id,
    confirmedByName: actor.name,
    confirmedAt: ctx.now.toISOString(),
  });
  const lines = await ctx.db
    .selectFrom('sales_order_line')
    .select('productId')
    .where('orderId', '=', orderId)
    .execute();
  for (const line of lines) {
    await assertTradeAllowed(ctx, { direction: 'sale', partyId: order.customerId, productId: line.productId });
  }
  await record(ctx, {
    action: 'sales.order.confirmed',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    data: { orderId, orderNo: order.orderNo },
  });
  return orderView(ctx, orderId);
}

/**
 * Cancels an order before shipment, with a reason; picked stock goes back from the shipping zone
 * to the locations it came from. The order, its allocations and any review stay on file.
 */
export async function cancelOrder(ctx: Ctx, orderId: string, reason: string): Promise<OrderView> {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.order.cancel');
  if (order.status === 'shipped') {
    throw new AppError('conflict', `Order ${order.orderNo} has been shipped: it is corrected by a customer return.`);
  }
  if (order.status === 'cancelled') throw new AppError('conflict', `Order ${order.orderNo} is already cancelled.`);
  await transition(ctx, order, ['draft', 'confirmed', 'allocated', 'reviewed'], 'cancelled', {
    cancelledBy: actor.id,
    cancelledByName: actor.name,
    cancelledAt: ctx.now.toISOString(),
    cancelReason: reason,
  });
  const released = await releaseAllocations(ctx, orderId);
  await record(ctx, {
    action: 'sales.order.cancelled',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    reason,
    data: { orderId, orderNo: order.orderNo, releasedUnits: released },
  });
  return orderView(ctx, orderId);
}

/** Moves the picked units of every active allocation back to where they came from. */
async function releaseAllocations(ctx: Ctx, orderId: string): Promise<number> {
  const allocations = await ctx.db
    .selectFrom('sales_allocation')
    .selectAll()
    .where('orderId', '=', orderId)
    .where('state', '=', 'active')
    .execute();
  let units = 0;
  const postings = [];
  for (const a of allocations) {
    const qty = Number(a.quantity) - Number(a.refused);
    if (qty === 0) continue;
    units += qty;
    const base = { kind: 'pick' as const, lotId: a.lotId, docType: 'sales_order_cancel', docId: orderId };
    postings.push(
      { ...base, locationId: a.locationId, quantity: -qty },
      { ...base, locationId: a.fromLocationId, quantity: qty },
    );
  }
  if (postings.length > 0) await postMovements(ctx, postings, 'sales.order.cancel');
  await ctx.db
    .updateTable('sales_allocation')
    .set({ state: 'released' })
    .where('orderId', '=', orderId)
    .where('state', '=', 'active')
    .execute();
  return units;
}

/** The order with its lines, allocations, review and shipment; prices only for `sales.price.read`. */
export async function orderView(ctx: Ctx, orderId: string): Promise<OrderView> {
  const order = await ctx.db.selectFrom('sales_order').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
  const prices = seesPrices(ctx);
  const lines = await ctx.db
    .selectFrom('sales_order_line')
    .selectAll()
    .where('orderId', '=', orderId)
    .orderBy('lineNo')
    .execute();
  const allocations = await ctx.db
    .selectFrom('sales_allocation as a')
    .innerJoin('md_location as l', 'l.id', 'a.locationId')
    .selectAll('a')
    .select('l.code as locationCode')
    .where('a.orderId', '=', orderId)
    .orderBy('a.allocatedAt')
    .orderBy('a.expiryDate')
    .orderBy('a.lot')
    .orderBy('a.serial')
    .orderBy('a.id')
    .execute();
  const scans = await ctx.db
    .selectFrom('sales_review_scan')
    .select(['allocationId', (eb) => eb.fn.sum<number | string>('units').as('units')])
    .where('orderId', '=', orderId)
    .groupBy('allocationId')
    .execute();
  const scanned = new Map(scans.map((s) => [s.allocationId, Number(s.units)]));
  const review = await ctx.db
    .selectFrom('sales_review')
    .select(['id', 'reviewerName', 'reviewedAt', 'signatureId'])
    .where('orderId', '=', orderId)
    .executeTakeFirst();
  const shipment = await ctx.db
    .selectFrom('sales_shipment')
    .select(['id', 'shipmentNo', 'shipDate'])
    .where('orderId', '=', orderId)
    .executeTakeFirst();
  const activeQty = (a: (typeof allocations)[number]) =>
    a.state === 'released' ? 0 : Number(a.quantity) - Number(a.refused);
  return {
    id: order.id,
    orderNo: order.orderNo,
    status: order.status,
    customer: { id: order.customerId, code: order.customerCode, name: order.customerName },
    warehouse: { id: order.warehouseId, code: order.warehouseCode, site: order.site },
    delivery: { address: order.deliveryAddress, contact: order.deliveryContact, phone: order.deliveryPhone },
    lines: lines.map((l) => {
      const mine = allocations.filter((a) => a.lineId === l.id);
      return {
        id: l.id,
        lineNo: Number(l.lineNo),
        productId: l.productId,
        productCode: l.productCode,
        productName: l.productName,
        model: l.model,
        specification: l.specification,
        registrant: l.registrant,
        contractManufacturer: l.contractManufacturer,
        manufacturerLicenceNo: l.manufacturerLicenceNo,
        certificateNo: l.certificateNo,
        unit: l.unit,
        storage: l.storage,
        quantity: Number(l.quantity),
        unitPrice: prices ? Number(l.unitPrice) : null,
        amount: prices ? Number(l.amount) : null,
        allocated: mine.reduce((n, a) => n + activeQty(a), 0),
        scanned: mine.reduce((n, a) => n + (scanned.get(a.id) ?? 0), 0),
      };
    }),
    totalAmount: prices ? Number(order.totalAmount) : null,
    allocations: allocations.map((a) => ({
      id: a.id,
      lineId: a.lineId,
      lotId: a.lotId,
      lot: a.lot,
      serial: a.serial,
      productionDate: a.productionDate,
      expiryDate: a.expiryDate,
      locationId: a.locationId,
      locationCode: a.locationCode,
      quantity: Number(a.quantity),
      refused: Number(a.refused),
      scanned: scanned.get(a.id) ?? 0,
      state: a.state,
    })),
    remarks: order.remarks,
    createdByName: order.createdByName,
    createdAt: order.createdAt,
    confirmedByName: order.confirmedByName,
    confirmedAt: order.confirmedAt,
    review: review ?? null,
    shipment: shipment ?? null,
    cancelledAt: order.cancelledAt,
    cancelledByName: order.cancelledByName,
    cancelReason: order.cancelReason,
  };
}

/** One order within the reader's sites. */
export async function getOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  await loadOrder(ctx, orderId, 'sales.order.read');
  return orderView(ctx, orderId);
}

/** Orders of the reader's sites, newest first (at most 500). */
export async function listOrders(
  ctx: Ctx,
  filter: { status?: OrderView['status'] | undefined; customerId?: string | undefined; orderNo?: string | undefined },
) {
  const sites = sitesFor(ctx, 'sales.order.read');
  let q = ctx.db
    .selectFrom('sales_order')
    .select(['id', 'orderNo', 'status', 'customerName', 'warehouseCode', 'createdAt', 'totalAmount']);
  if (sites !== 'all') q = q.where('site', 'in', sites.length === 0 ? [''] : sites);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.customerId !== undefined) q = q.where('customerId', '=', filter.customerId);
  if (filter.orderNo !== undefined && filter.orderNo !== '') q = q.where('orderNo', '=', filter.orderNo);
  const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(500).execute();
  const prices = seesPrices(ctx);
  return rows.map((r) => ({ ...r, totalAmount: prices ? Number(r.totalAmount) : null }));
}
