import type {
  OrderDecisionInput,
  OrderInput,
  PurchaseOrderStatus,
  PurchaseOrderView,
  Permission,
  PurchaseRecordRow,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { assertTradeAllowed, loadPartyRow, loadProductRow } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, chinaDay, inScope, lockRow, nextNumber, sitesFor } from './procurement.common.js';
import type { PurOrderLineTable, PurOrderTable } from './procurement.tables.js';

const STATUS_TEXT: Record<PurchaseOrderStatus, string> = {
  draft: 'a draft',
  submitted: 'submitted and waiting for approval',
  approved: 'approved',
  receiving: 'being received',
  closed: 'closed',
  cancelled: 'cancelled',
};

/** The order row if it is within the actor's sites for `permission`; `not_found` otherwise (AC-02). */
export async function loadOrder(ctx: Ctx, id: string, permission: Permission): Promise<PurOrderTable> {
  const row = await ctx.db.selectFrom('pur_order').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || !inScope(sitesFor(ctx, permission), row.site)) {
    throw new AppError('not_found', 'No such purchase order.');
  }
  return row;
}

export async function orderLines(ctx: Ctx, orderId: string): Promise<PurOrderLineTable[]> {
  const rows = await ctx.db
    .selectFrom('pur_order_line')
    .selectAll()
    .where('orderId', '=', orderId)
    .orderBy('lineNo')
    .execute();
  return rows.map((r) => ({
    ...r,
    lineNo: Number(r.lineNo),
    quantity: Number(r.quantity),
    unitPriceFen: Number(r.unitPriceFen),
    amountFen: Number(r.amountFen),
  }));
}

/** Units received so far per order line (refusals at the door are not received). */
export async function receivedByLine(ctx: Ctx, orderLineIds: readonly string[]): Promise<Map<string, number>> {
  if (orderLineIds.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('pur_receipt_line')
    .select(['orderLineId', (eb) => eb.fn.sum<number>('quantityReceived').as('qty')])
    .where('orderLineId', 'in', orderLineIds)
    .groupBy('orderLineId')
    .execute();
  return new Map(rows.map((r) => [r.orderLineId, Number(r.qty)]));
}

/** The warehouse of an order, within the actor's sites for `permission`. */
async function warehouseFor(ctx: Ctx, warehouseId: string, permission: Permission) {
  const w = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code', 'site'])
    .where('id', '=', warehouseId)
    .executeTakeFirst();
  if (w === undefined || !inScope(sitesFor(ctx, permission), w.site)) {
    throw new AppError('not_found', 'No such warehouse.', [
      { path: 'body.warehouseId', message: 'no such warehouse in your sites' },
    ]);
  }
  return w;
}

/**
 * GSP arts. 53–57: every line must pass the qualification check (supplier licences and scope,
 * product certificate) — at creation, submission, approval and receipt, since a licence can expire
 * in between. The refusal names the licence or certificate and is audited.
 */
async function assertLinesTradeable(ctx: Ctx, supplierId: string, productIds: readonly string[]): Promise<void> {
  for (const productId of new Set(productIds)) {
    await assertTradeAllowed(ctx, { direction: 'purchase', partyId: supplierId, productId });
  }
}

/** Snapshot rows of the lines: the product as it is now (name, model, certificate, unit…). */
async function snapshotLines(ctx: Ctx, orderId: string, input: OrderInput) {
  const lines: PurOrderLineTable[] = [];
  for (const [i, l] of input.lines.entries()) {
    const p = await loadProductRow(ctx, l.productId).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found'
        ? new AppError('validation_failed', 'No such product.', [
            { path: `body.lines.${i}.productId`, message: 'no such product' },
          ])
        : err;
    });
    const unit = await ctx.db
      .selectFrom('md_product_package')
      .select('unit')
      .where('productId', '=', p.id)
      .where('level', '=', 0)
      .executeTakeFirst();
    lines.push({
      id: uuidv7(ctx.now.getTime()),
      orderId,
      lineNo: i + 1,
      productId: p.id,
      productCode: p.code,
      productName: p.name,
      model: p.model,
      specification: p.specification,
      deviceClass: p.deviceClass,
      registrant: p.registrant,
      registrantLicenceNo: p.registrantLicenceNo,
      contractManufacturer: p.contractManufacturer,
      contractManufacturerLicenceNo: p.contractManufacturerLicenceNo,
      certificateNo: p.certificateNo,
      unit: unit?.unit ?? '',
      storage: p.storage,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.quantity * l.unitPriceFen,
    });
  }
  return lines;
}

async function supplierFor(ctx: Ctx, supplierId: string) {
  return loadPartyRow(ctx, supplierId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found'
      ? new AppError('validation_failed', 'No such supplier.', [
          { path: 'body.supplierId', message: 'no such supplier' },
        ])
      : err;
  });
}

/**
 * Drafts a purchase order (GSP art. 55). The number, date, amounts and the product snapshot come
 * from the server; the supplier and every product must pass the qualification check already.
 */
export async function createOrder(ctx: Ctx, input: OrderInput): Promise<PurchaseOrderView> {
  const actor = actorOf(ctx);
  const warehouse = await warehouseFor(ctx, input.warehouseId, 'procurement.order.edit');
  const supplier = await supplierFor(ctx, input.supplierId);
  const id = uuidv7(ctx.now.getTime());
  const lines = await snapshotLines(ctx, id, input);
  await assertLinesTradeable(
    ctx,
    supplier.id,
    lines.map((l) => l.productId),
  );
  const day = chinaDay(ctx.now);
  const number = await nextNumber(ctx, 'PO', day);
  const totalFen = lines.reduce((n, l) => n + l.amountFen, 0);
  await ctx.db
    .insertInto('pur_order')
    .values({
      id,
      number,
      orderDate: day,
      status: 'draft',
      supplierId: supplier.id,
      supplierCode: supplier.code,
      supplierName: supplier.name,
      supplierContact: input.supplierContact,
      warehouseId: warehouse.id,
      site: warehouse.site,
      note: input.note === undefined || input.note === '' ? null : input.note,
      totalFen,
      createdBy: actor.id,
      createdByName: actor.name,
      createdAt: ctx.now.toISOString(),
      submittedBy: null,
      submittedByName: null,
      submittedAt: null,
      approvedBy: null,
      approvedByName: null,
      approvedAt: null,
      approvedDate: null,
      approvalNote: null,
      approvalSignatureId: null,
      returnedByName: null,
      returnedAt: null,
      returnNote: null,
      cancelledByName: null,
      cancelledAt: null,
      cancelReason: null,
      closedByName: null,
      closedAt: null,
      closeReason: null,
      lockVersion: 0,
    })
    .execute();
  await ctx.db.insertInto('pur_order_line').values(lines).execute();
  await record(ctx, {
    action: 'procurement.order.created',
    outcome: 'success',
    resource: { type: 'pur_order', id },
    data: { orderId: id, number, supplierId: supplier.id, warehouseId: warehouse.id, lines: lines.length, totalFen },
  });
  return getOrder(ctx, id, 'procurement.order.edit');
}

/** Loads the order for a change, takes its lock, and refuses unless it is in one of `allowed`. */
async function lockForChange(
  ctx: Ctx,
  id: string,
  permission: Permission,
  allowed: readonly PurchaseOrderStatus[],
  doing: string,
): Promise<PurOrderTable> {
  await loadOrder(ctx, id, permission);
  await lockRow(ctx, 'pur_order', id);
  const row = await loadOrder(ctx, id, permission);
  if (!allowed.includes(row.status)) {
    throw new AppError(
      'conflict',
      `Purchase order ${row.number} is ${STATUS_TEXT[row.status]}: it cannot be ${doing}.`,
    );
  }
  return row;
}

/** Replaces the content of a draft (returned orders are drafts again). Never after submission. */
export async function reviseOrder(ctx: Ctx, id: string, input: OrderInput): Promise<PurchaseOrderView> {
  const row = await lockForChange(ctx, id, 'procurement.order.edit', ['draft'], 'edited (only a draft can)');
  const warehouse = await warehouseFor(ctx, input.warehouseId, 'procurement.order.edit');
  const supplier = await supplierFor(ctx, input.supplierId);
  const lines = await snapshotLines(ctx, id, input);
  await assertLinesTradeable(
    ctx,
    supplier.id,
    lines.map((l) => l.productId),
  );
  const totalFen = lines.reduce((n, l) => n + l.amountFen, 0);
  await ctx.db.deleteFrom('pur_order_line').where('orderId', '=', id).execute();
  await ctx.db.insertInto('pur_order_line').values(lines).execute();
  await ctx.db
    .updateTable('pur_order')
    .set({
      supplierId: supplier.id,
      supplierCode: supplier.code,
      supplierName: supplier.name,
      supplierContact: input.supplierContact,
      warehouseId: warehouse.id,
      site: warehouse.site,
      note: input.note === undefined || input.note === '' ? null : input.note,
      totalFen,
    })
    .where('id', '=', row.id)
    .execute();
  await record(ctx, {
    action: 'procurement.order.revised',
    outcome: 'success',
    resource: { type: 'pur_order', id },
    data: { orderId: id, lines: lines.length, totalFen },
  });
  return getOrder(ctx, id, 'procurement.order.edit');
}

/** Submits a draft for approval after the qualification check of every line. */
export async function submitOrder(ctx: Ctx, id: string): Promise<PurchaseOrderView> {
  const actor = actorOf(ctx);
  const row = await lockForChange(ctx, id, 'procurement.order.edit', ['draft'], 'submitted');
  const lines = await orderLines(ctx, id);
  await assertLinesTradeable(
    ctx,
    row.supplierId,
    lines.map((l) => l.productId),
  );
  await ctx.db
    .updateTable('pur_order')
    .set({
      status: 'submitted',
      submittedBy: actor.id,
      submittedByName: actor.name,
      submittedAt: ctx.now.toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
  await record(ctx, {
    action: 'procurement.order.submitted',
    outcome: 'success',
    resource: { type: 'pur_order', id },
    data: { orderId: id, number: row.number },
  });
  return getOrder(ctx, id, 'procurement.order.edit');
}

/** What an approver signs: the order's content as it stands (GSP-04). */
function orderRecord(row: PurOrderTable, lines: PurOrderLineTable[]) {
  return {
    number: row.number,
    orderDate: row.orderDate,
    supplierId: row.supplierId,
    supplierName: row.supplierName,
    warehouseId: row.warehouseId,
    totalFen: Number(row.totalFen),
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      productId: l.productId,
      productCode: l.productCode,
      certificateNo: l.certificateNo,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
    })),
  };
}

/**
 * The approver's decision with an electronic signature: approve (after the qualification check
 * again) or return the order to the purchaser as a draft with a note. Whoever drafted or submitted
 * the order cannot decide it (ATK-LOGIC: no self-approval).
 */
export async function decideOrder(ctx: Ctx, id: string, input: OrderDecisionInput): Promise<PurchaseOrderView> {
  const actor = actorOf(ctx);
  const row = await lockForChange(ctx, id, 'procurement.order.approve', ['submitted'], 'decided');
  if (row.createdBy === actor.id || row.submittedBy === actor.id) {
    throw new AppError(
      'forbidden',
      `You drafted or submitted purchase order ${row.number}: another person must approve it.`,
    );
  }
  const approve = input.decision === 'approve';
  if (!approve && input.note.length < 2) {
    throw new AppError('validation_failed', 'Say why the order is returned.', [
      { path: 'body.note', message: 'required when returning an order' },
    ]);
  }
  const lines = await orderLines(ctx, id);
  if (approve) {
    await assertLinesTradeable(
      ctx,
      row.supplierId,
      lines.map((l) => l.productId),
    );
  }
  const signature = await sign(ctx, {
    meaning: approve
      ? `采购订单审批通过 / Purchase order ${row.number} approved`
      : `采购订单退回 / Purchase order ${row.number} returned`,
    subject: { type: 'pur_order', id },
    recordValue: { order: orderRecord(row, lines), decision: input.decision, note: input.note },
    code: input.code,
  });
  const note = input.note === '' ? null : input.note;
  const updated = await ctx.db
    .updateTable('pur_order')
    .set(
      approve
        ? {
            status: 'approved',
            approvedBy: actor.id,
            approvedByName: signature.signerName,
            approvedAt: signature.signedAt,
            approvedDate: chinaDay(new Date(signature.signedAt)),
            approvalNote: note,
            approvalSignatureId: signature.id,
          }
        : {
            status: 'draft',
            returnedByName: signature.signerName,
            returnedAt: signature.signedAt,
            returnNote: note,
            submittedBy: null,
            submittedByName: null,
            submittedAt: null,
          },
    )
    .where('id', '=', id)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'The order was decided meanwhile.');
  if (approve) {
    await record(ctx, {
      action: 'procurement.order.approved',
      outcome: 'success',
      resource: { type: 'pur_order', id },
      data: { orderId: id, number: row.number, signatureId: signature.id, recordHash: signature.recordHash },
      ...(note === null ? {} : { reason: note }),
    });
  } else {
    await record(ctx, {
      action: 'procurement.order.returned',
      outcome: 'success',
      resource: { type: 'pur_order', id },
      data: { orderId: id, number: row.number, signatureId: signature.id },
      reason: input.note,
    });
  }
  return getOrder(ctx, id, 'procurement.order.approve');
}

/**
 * GSP-01: an order is corrected by cancelling it with a reason — a draft, a submitted order, or an
 * approved one before any goods arrived. Received goods are never "un-ordered": close the order.
 */
export async function cancelOrder(ctx: Ctx, id: string, reason: string): Promise<PurchaseOrderView> {
  const actor = actorOf(ctx);
  const row = await lockForChange(
    ctx,
    id,
    'procurement.order.edit',
    ['draft', 'submitted', 'approved'],
    'cancelled (once goods are received, close it instead)',
  );
  await ctx.db
    .updateTable('pur_order')
    .set({ status: 'cancelled', cancelledByName: actor.name, cancelledAt: ctx.now.toISOString(), cancelReason: reason })
    .where('id', '=', id)
    .execute();
  await record(ctx, {
    action: 'procurement.order.cancelled',
    outcome: 'success',
    resource: { type: 'pur_order', id },
    data: { orderId: id, number: row.number, previousStatus: row.status },
    reason,
  });
  return getOrder(ctx, id, 'procurement.order.edit');
}

/** Closes an order being received when no more goods are expected (the rest will not come). */
export async function closeOrder(ctx: Ctx, id: string, reason: string): Promise<PurchaseOrderView> {
  const actor = actorOf(ctx);
  const row = await lockForChange(ctx, id, 'procurement.order.edit', ['receiving'], 'closed');
  await ctx.db
    .updateTable('pur_order')
    .set({ status: 'closed', closedByName: actor.name, closedAt: ctx.now.toISOString(), closeReason: reason })
    .where('id', '=', id)
    .execute();
  await record(ctx, {
    action: 'procurement.order.closed',
    outcome: 'success',
    resource: { type: 'pur_order', id },
    data: { orderId: id, number: row.number, complete: false },
    reason,
  });
  return getOrder(ctx, id, 'procurement.order.edit');
}

function header(row: PurOrderTable, warehouseCode: string) {
  return {
    id: row.id,
    number: row.number,
    orderDate: row.orderDate,
    status: row.status,
    supplierId: row.supplierId,
    supplierCode: row.supplierCode,
    supplierName: row.supplierName,
    supplierContact: row.supplierContact,
    warehouseId: row.warehouseId,
    warehouseCode,
    site: row.site,
    note: row.note,
    totalFen: Number(row.totalFen),
    created: { name: row.createdByName, at: row.createdAt },
    submitted:
      row.submittedByName === null || row.submittedAt === null
        ? null
        : { name: row.submittedByName, at: row.submittedAt },
    approved:
      row.approvedByName === null || row.approvedAt === null || row.approvalSignatureId === null
        ? null
        : {
            name: row.approvedByName,
            at: row.approvedAt,
            signatureId: row.approvalSignatureId,
            note: row.approvalNote,
          },
    returned:
      row.returnedByName === null || row.returnedAt === null
        ? null
        : { name: row.returnedByName, at: row.returnedAt, note: row.returnNote ?? '' },
    cancelled:
      row.cancelledByName === null || row.cancelledAt === null
        ? null
        : { name: row.cancelledByName, at: row.cancelledAt, reason: row.cancelReason ?? '' },
    closed:
      row.closedByName === null || row.closedAt === null
        ? null
        : { name: row.closedByName, at: row.closedAt, reason: row.closeReason ?? '' },
  };
}

async function warehouseCodes(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** A purchase order with its lines, the quantities received so far and its receipts. */
export async function getOrder(
  ctx: Ctx,
  id: string,
  permission: Permission = 'procurement.record.read',
): Promise<PurchaseOrderView> {
  const row = await loadOrder(ctx, id, permission);
  const lines = await orderLines(ctx, id);
  const received = await receivedByLine(
    ctx,
    lines.map((l) => l.id),
  );
  const receipts = await ctx.db
    .selectFrom('pur_receipt as r')
    .leftJoin('pur_acceptance as a', 'a.receiptId', 'r.id')
    .select(['r.id', 'r.number', 'r.receivedAt', 'a.id as acceptanceId'])
    .where('r.orderId', '=', id)
    .orderBy('r.number')
    .execute();
  const codes = await warehouseCodes(ctx, [row.warehouseId]);
  return {
    ...header(row, codes.get(row.warehouseId) ?? ''),
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      productId: l.productId,
      productCode: l.productCode,
      productName: l.productName,
      model: l.model,
      specification: l.specification,
      deviceClass: l.deviceClass,
      registrant: l.registrant,
      registrantLicenceNo: l.registrantLicenceNo,
      contractManufacturer: l.contractManufacturer,
      contractManufacturerLicenceNo: l.contractManufacturerLicenceNo,
      certificateNo: l.certificateNo,
      unit: l.unit,
      storage: l.storage,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      receivedQuantity: received.get(l.id) ?? 0,
    })),
    receipts: receipts.map((r) => ({ ...r, acceptanceId: r.acceptanceId ?? null })),
  };
}

export type LedgerQuery = {
  from?: string | undefined;
  to?: string | undefined;
  supplierId?: string | undefined;
  productId?: string | undefined;
  page?: string | undefined;
  pageSize?: string | undefined;
};

export function paging(query: { page?: string | undefined; pageSize?: string | undefined }) {
  const page = Number(query.page ?? '1');
  const pageSize = Number(query.pageSize ?? '50');
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

/** Purchase orders of my sites, newest first, filtered by order date, supplier, product and status. */
export async function listOrders(ctx: Ctx, query: LedgerQuery & { status?: PurchaseOrderStatus | undefined }) {
  const sites = sitesFor(ctx, 'procurement.record.read');
  let q = ctx.db.selectFrom('pur_order as o');
  if (sites !== 'all') q = q.where('o.site', 'in', sites);
  if (query.from !== undefined) q = q.where('o.orderDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('o.orderDate', '<=', query.to);
  if (query.supplierId !== undefined) q = q.where('o.supplierId', '=', query.supplierId);
  if (query.status !== undefined) q = q.where('o.status', '=', query.status);
  if (query.productId !== undefined) {
    const productId = query.productId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('pur_order_line as l')
          .select('l.id')
          .whereRef('l.orderId', '=', 'o.id')
          .where('l.productId', '=', productId),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const { limit, offset } = paging(query);
  const rows = await q
    .selectAll('o')
    .select((eb) =>
      eb
        .selectFrom('pur_order_line as c')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('c.orderId', '=', 'o.id')
        .as('lineCount'),
    )
    .orderBy('o.number', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const codes = await warehouseCodes(
    ctx,
    rows.map((r) => r.warehouseId),
  );
  return {
    total: Number(total?.n ?? 0),
    orders: rows.map((r) => ({ ...header(r, codes.get(r.warehouseId) ?? ''), lineCount: Number(r.lineCount ?? 0) })),
  };
}

/**
 * The purchase record of GSP art. 58: every line of every approved order (also those being
 * received or closed) with the product snapshot, unit, quantity, price, amount, supplier and
 * purchase date (the day of approval), filtered by that date, supplier and product.
 */
export async function purchaseRecords(
  ctx: Ctx,
  query: LedgerQuery,
): Promise<{ total: number; rows: PurchaseRecordRow[] }> {
  const sites = sitesFor(ctx, 'procurement.record.read');
  let q = ctx.db
    .selectFrom('pur_order_line as l')
    .innerJoin('pur_order as o', 'o.id', 'l.orderId')
    .innerJoin('md_warehouse as w', 'w.id', 'o.warehouseId')
    .where('o.status', 'in', ['approved', 'receiving', 'closed']);
  if (sites !== 'all') q = q.where('o.site', 'in', sites);
  if (query.from !== undefined) q = q.where('o.approvedDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('o.approvedDate', '<=', query.to);
  if (query.supplierId !== undefined) q = q.where('o.supplierId', '=', query.supplierId);
  if (query.productId !== undefined) q = q.where('l.productId', '=', query.productId);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const { limit, offset } = paging(query);
  const rows = await q
    .selectAll('l')
    .select([
      'o.number as orderNumber',
      'o.status',
      'o.approvedDate',
      'o.supplierId',
      'o.supplierName',
      'w.code as warehouseCode',
    ])
    .orderBy('o.approvedDate', 'desc')
    .orderBy('o.number', 'desc')
    .orderBy('l.lineNo')
    .limit(limit)
    .offset(offset)
    .execute();
  const received = await receivedByLine(
    ctx,
    rows.map((r) => r.id),
  );
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      orderId: r.orderId,
      orderNumber: r.orderNumber,
      status: r.status,
      purchaseDate: r.approvedDate ?? '',
      supplierId: r.supplierId,
      supplierName: r.supplierName,
      warehouseCode: r.warehouseCode,
      productId: r.productId,
      productCode: r.productCode,
      productName: r.productName,
      model: r.model,
      specification: r.specification,
      deviceClass: r.deviceClass,
      registrant: r.registrant,
      registrantLicenceNo: r.registrantLicenceNo,
      contractManufacturer: r.contractManufacturer,
      contractManufacturerLicenceNo: r.contractManufacturerLicenceNo,
      certificateNo: r.certificateNo,
      unit: r.unit,
      storage: r.storage,
      quantity: Number(r.quantity),
      unitPriceFen: Number(r.unitPriceFen),
      amountFen: Number(r.amountFen),
      receivedQuantity: received.get(r.id) ?? 0,
    })),
  };
}
