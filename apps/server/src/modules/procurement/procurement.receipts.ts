import type { ColdChainInput, Permission, ReceiptInput, ReceiptView, StorageCondition } from '@medledger/contract';
import { record } from '../audit/index.js';
import { assertTradeAllowed, loadProductRow } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  actorOf,
  chinaDay,
  inScope,
  locationFor,
  lockRow,
  nextNumber,
  sitesFor,
  STORAGE_LABELS,
} from './procurement.common.js';
import { loadOrder, orderLines, receivedByLine } from './procurement.orders.js';
import type { PurReceiptLineTable, PurReceiptTable } from './procurement.tables.js';

const COLD: readonly StorageCondition[] = ['cold_2_8', 'frozen_minus_20'];

const tenths = (c: number) => Math.round(c * 10);
const celsius = (t: number | null) => (t === null ? null : Number(t) / 10);
const show = (c: number) => `${c.toFixed(1)} ℃`;

/**
 * GSP arts. 63, 67: cold-chain goods arrive with their transport record; an arrival or in-transit
 * temperature outside the product's range means the goods are refused at the door (recorded as
 * refused with the reason) or isolated — they are not received into stock.
 */
function coldChainProblems(c: ColdChainInput, storage: StorageCondition, product: string): string[] {
  const within = (t: number) => (storage === 'cold_2_8' ? t >= 2 && t <= 8 : t <= -20);
  const range = storage === 'cold_2_8' ? '2–8 ℃' : '≤ −20 ℃';
  const problems: string[] = [];
  if (!within(c.arrivalC)) {
    problems.push(
      `到货温度 ${show(c.arrivalC)} 超出 ${product} 要求的 ${range} / The arrival temperature ${show(c.arrivalC)} is outside the ${range} that ${product} requires`,
    );
  }
  if (!within(c.transitMinC) || !within(c.transitMaxC)) {
    problems.push(
      `运输途中温度 ${show(c.transitMinC)}…${show(c.transitMaxC)} 超出 ${range} / In transit the temperature ranged ${show(c.transitMinC)}…${show(c.transitMaxC)}, outside ${range}`,
    );
  }
  return problems;
}

/** The receipt row within the actor's sites for `permission`; `not_found` otherwise (AC-02). */
export async function loadReceipt(ctx: Ctx, id: string, permission: Permission): Promise<PurReceiptTable> {
  const row = await ctx.db.selectFrom('pur_receipt').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || !inScope(sitesFor(ctx, permission), row.site)) {
    throw new AppError('not_found', 'No such receipt.');
  }
  return row;
}

/**
 * Receiving (GSP arts. 60–63) against an approved order and the supplier's delivery slip: per order
 * line the quantity taken in (never more than is still open) and the quantity refused at the door
 * with the reason; the transport mode; for 2–8 ℃ / ≤ −20 ℃ goods the cold-chain record, refused
 * when a temperature is out of range. The supplier and products pass the qualification check
 * again. Goods taken in wait in the chosen 待验 location for acceptance, which opens here; they
 * enter the stock ledger as each unit is identified by its scan.
 */
export async function recordReceipt(ctx: Ctx, orderId: string, input: ReceiptInput): Promise<ReceiptView> {
  const actor = actorOf(ctx);
  await loadOrder(ctx, orderId, 'procurement.receipt.record');
  await lockRow(ctx, 'pur_order', orderId);
  const order = await loadOrder(ctx, orderId, 'procurement.receipt.record');
  if (order.status !== 'approved' && order.status !== 'receiving') {
    const why =
      order.status === 'draft' || order.status === 'submitted'
        ? 'is not approved yet: goods cannot be received against it'
        : `is ${order.status}: no more goods can be received against it`;
    throw new AppError('conflict', `Purchase order ${order.number} ${why}.`);
  }
  const today = chinaDay(ctx.now);
  if (input.deliverySlipDate > today) {
    throw new AppError('validation_failed', 'The delivery slip is dated in the future.', [
      { path: 'body.deliverySlipDate', message: `after today (${today})` },
    ]);
  }
  if (input.coldChain !== undefined && Date.parse(input.coldChain.arrivedAt) > ctx.now.getTime() + 10 * 60_000) {
    throw new AppError('validation_failed', 'The goods cannot have arrived in the future.', [
      { path: 'body.coldChain.arrivedAt', message: 'after the server time' },
    ]);
  }
  const warehouse = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code'])
    .where('id', '=', order.warehouseId)
    .executeTakeFirstOrThrow();
  const lines = await orderLines(ctx, orderId);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const received = await receivedByLine(
    ctx,
    lines.map((l) => l.id),
  );
  const rows: PurReceiptLineTable[] = [];
  const receiptId = uuidv7(ctx.now.getTime());
  const coldProblems: string[] = [];
  for (const [i, l] of input.lines.entries()) {
    const line = byId.get(l.orderLineId);
    if (line === undefined) {
      throw new AppError('validation_failed', 'Not a line of this order.', [
        { path: `body.lines.${i}.orderLineId`, message: `not a line of purchase order ${order.number}` },
      ]);
    }
    const open = line.quantity - (received.get(line.id) ?? 0);
    if (l.quantityReceived > open) {
      throw new AppError(
        'conflict',
        `Line ${line.lineNo} (${line.productCode}): ${l.quantityReceived} ${line.unit} would exceed what is still open — ${open} of ${line.quantity} ordered.`,
      );
    }
    const product = await loadProductRow(ctx, line.productId);
    const cold = COLD.includes(product.storage);
    if (cold) {
      if (input.coldChain === undefined) {
        throw new AppError(
          'validation_failed',
          `${product.name} (${product.code}) is kept at ${STORAGE_LABELS[product.storage]}: the cold-chain record (departure and arrival time, in-transit and arrival temperatures) is required.`,
          [{ path: 'body.coldChain', message: 'required for cold-chain goods' }],
        );
      }
      if (l.quantityReceived > 0) {
        coldProblems.push(...coldChainProblems(input.coldChain, product.storage, `${product.name}（${product.code}）`));
      }
    }
    let quarantineLocationId: string | null = null;
    if (l.quantityReceived > 0) {
      await assertTradeAllowed(ctx, { direction: 'purchase', partyId: order.supplierId, productId: line.productId });
      const place = await locationFor(ctx, {
        warehouseId: warehouse.id,
        warehouseCode: warehouse.code,
        zone: 'quarantine',
        storage: product.storage,
        locationId: l.quarantineLocationId,
        strictStorage: cold,
        field: `body.lines.${i}.quarantineLocationId`,
      });
      quarantineLocationId = place.locationId;
    }
    rows.push({
      id: uuidv7(ctx.now.getTime()),
      receiptId,
      orderLineId: line.id,
      productId: line.productId,
      quantityReceived: l.quantityReceived,
      quantityRefused: l.quantityRefused,
      refusalReason: l.refusalReason ?? null,
      quarantineLocationId,
    });
  }
  if (coldProblems.length > 0) {
    throw new AppError(
      'conflict',
      `${coldProblems.join('; ')}. 冷链货物温度不符合要求，应拒收（按拒收数量和原因登记）或隔离 / Goods outside their temperature range are refused at the door (record them as refused with the reason) or isolated, not received.`,
    );
  }
  const number = await nextNumber(ctx, 'RC', today);
  const c = input.coldChain;
  const t = input.transport;
  await ctx.db
    .insertInto('pur_receipt')
    .values({
      id: receiptId,
      number,
      orderId,
      warehouseId: order.warehouseId,
      site: order.site,
      supplierId: order.supplierId,
      deliverySlipNo: input.deliverySlipNo,
      deliverySlipDate: input.deliverySlipDate,
      transportMode: t.mode,
      carrier: t.mode === 'own_vehicle' ? null : t.carrier,
      waybillNo: t.mode === 'own_vehicle' ? null : t.waybillNo,
      vehicle: t.mode === 'own_vehicle' ? (t.vehicle ?? null) : null,
      coldDepartedAt: c === undefined ? null : new Date(c.departedAt).toISOString(),
      coldArrivedAt: c === undefined ? null : new Date(c.arrivedAt).toISOString(),
      coldTransitMinTenths: c === undefined ? null : tenths(c.transitMinC),
      coldTransitMaxTenths: c === undefined ? null : tenths(c.transitMaxC),
      coldArrivalTenths: c === undefined ? null : tenths(c.arrivalC),
      coldDevice: c?.device ?? null,
      note: input.note === undefined || input.note === '' ? null : input.note,
      receivedAt: ctx.now.toISOString(),
      receivedDate: today,
      receivedBy: actor.id,
      receivedByName: actor.name,
    })
    .execute();
  await ctx.db.insertInto('pur_receipt_line').values(rows).execute();
  const totalReceived = rows.reduce((n, r) => n + r.quantityReceived, 0);
  const totalRefused = rows.reduce((n, r) => n + r.quantityRefused, 0);
  let acceptanceId: string | null = null;
  if (totalReceived > 0) {
    acceptanceId = uuidv7(ctx.now.getTime());
    await ctx.db
      .insertInto('pur_acceptance')
      .values({
        id: acceptanceId,
        number: await nextNumber(ctx, 'YS', today),
        receiptId,
        orderId,
        warehouseId: order.warehouseId,
        site: order.site,
        supplierId: order.supplierId,
        purchaseDate: today,
        status: 'open',
        createdAt: ctx.now.toISOString(),
        lockVersion: 0,
        supplierName: null,
        supplierAddress: null,
        supplierContact: null,
        note: null,
        inspectorId: null,
        inspectorName: null,
        concludedAt: null,
        signatureId: null,
        recordHash: null,
      })
      .execute();
  }
  // Fully received: no more deliveries are expected.
  const after = new Map(received);
  for (const r of rows) after.set(r.orderLineId, (after.get(r.orderLineId) ?? 0) + r.quantityReceived);
  const complete = lines.every((l) => (after.get(l.id) ?? 0) >= l.quantity);
  await ctx.db
    .updateTable('pur_order')
    .set(
      complete
        ? {
            status: 'closed',
            closedByName: actor.name,
            closedAt: ctx.now.toISOString(),
            closeReason: '全部到货 / fully received',
          }
        : { status: 'receiving' },
    )
    .where('id', '=', orderId)
    .execute();
  await record(ctx, {
    action: 'procurement.receipt.recorded',
    outcome: 'success',
    resource: { type: 'pur_receipt', id: receiptId },
    data: {
      receiptId,
      number,
      orderId,
      received: totalReceived,
      refused: totalRefused,
      coldChain: c !== undefined,
      acceptanceId,
    },
  });
  if (complete) {
    await record(ctx, {
      action: 'procurement.order.closed',
      outcome: 'success',
      resource: { type: 'pur_order', id: orderId },
      data: { orderId, number: order.number, complete: true },
    });
  }
  return getReceipt(ctx, receiptId, 'procurement.receipt.record');
}

/** A receipt with its lines (product snapshot from the order), transport and cold-chain record. */
export async function getReceipt(
  ctx: Ctx,
  id: string,
  permission: Permission = 'procurement.record.read',
): Promise<ReceiptView> {
  const r = await loadReceipt(ctx, id, permission);
  const order = await ctx.db
    .selectFrom('pur_order')
    .select(['number', 'supplierName'])
    .where('id', '=', r.orderId)
    .executeTakeFirstOrThrow();
  const lines = await ctx.db
    .selectFrom('pur_receipt_line as rl')
    .innerJoin('pur_order_line as ol', 'ol.id', 'rl.orderLineId')
    .select([
      'rl.id',
      'rl.orderLineId',
      'rl.productId',
      'ol.productCode',
      'ol.productName',
      'ol.model',
      'ol.specification',
      'ol.unit',
      'rl.quantityReceived',
      'rl.quantityRefused',
      'rl.refusalReason',
      'rl.quarantineLocationId',
      'ol.lineNo',
    ])
    .where('rl.receiptId', '=', id)
    .orderBy('ol.lineNo')
    .execute();
  const acceptance = await ctx.db
    .selectFrom('pur_acceptance')
    .select('id')
    .where('receiptId', '=', id)
    .executeTakeFirst();
  return {
    id: r.id,
    number: r.number,
    orderId: r.orderId,
    orderNumber: order.number,
    supplierId: r.supplierId,
    supplierName: order.supplierName,
    warehouseId: r.warehouseId,
    deliverySlipNo: r.deliverySlipNo,
    deliverySlipDate: r.deliverySlipDate,
    transportMode: r.transportMode,
    carrier: r.carrier,
    waybillNo: r.waybillNo,
    vehicle: r.vehicle,
    coldChain: coldChainView(r),
    note: r.note,
    receivedAt: r.receivedAt,
    receivedByName: r.receivedByName,
    lines: lines.map(({ lineNo: _lineNo, ...l }) => ({
      ...l,
      quantityReceived: Number(l.quantityReceived),
      quantityRefused: Number(l.quantityRefused),
    })),
    acceptanceId: acceptance?.id ?? null,
  };
}

export function coldChainView(r: PurReceiptTable) {
  return r.coldDepartedAt === null || r.coldArrivedAt === null
    ? null
    : {
        departedAt: r.coldDepartedAt,
        arrivedAt: r.coldArrivedAt,
        transitMinC: celsius(r.coldTransitMinTenths) ?? 0,
        transitMaxC: celsius(r.coldTransitMaxTenths) ?? 0,
        arrivalC: celsius(r.coldArrivalTenths) ?? 0,
        device: r.coldDevice,
      };
}
