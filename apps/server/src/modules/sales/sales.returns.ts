import { parseUdi, type ReturnView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { chinaToday, postMovements } from '../inventory/index.js';
import { firstLocationInZone, productByDi } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, gs1Codes, inScope, loadOrder, nextNumber, unitsPerPackage } from './sales.common.js';
import { coldLabel, withinCold } from './sales.ship.js';

type ReturnInput = {
  orderId: string;
  reason: string;
  transportConditions: string;
  coldChain?: { temperatureRecordChecked: boolean; minTemperature: number; maxTemperature: number } | undefined;
  items: { scan: string; quantity: number }[];
};

/**
 * A customer return (GSP arts. 106–107) against the original shipment: every scanned lot or serial
 * must have been shipped to this customer on that order, and no more may come back than went out.
 * Cold-chain goods come back only with a temperature record of their time at the customer that
 * stayed within the storage range (GSP art. 67), else the return is refused. The units go to the
 * returns zone and wait for re-inspection.
 */
export async function receiveReturn(ctx: Ctx, input: ReturnInput): Promise<ReturnView> {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, input.orderId, 'sales.return.receive');
  const shipment = await ctx.db
    .selectFrom('sales_shipment')
    .select(['id', 'shipmentNo'])
    .where('orderId', '=', order.id)
    .executeTakeFirst();
  if (shipment === undefined) {
    throw new AppError('conflict', `Order ${order.orderNo} was never shipped: nothing can be returned against it.`);
  }
  // Lock the order row: two returns against the same order are counted one after the other.
  await ctx.db.updateTable('sales_order').set({ status: order.status }).where('id', '=', order.id).execute();
  const returnsLocation = await firstLocationInZone(ctx, order.warehouseId, 'returns');
  if (returnsLocation === null) {
    throw new AppError('conflict', `Warehouse ${order.warehouseCode} has no location in a returns (退货) area.`);
  }
  const shipped = await ctx.db
    .selectFrom('sales_allocation as a')
    .innerJoin('sales_order_line as l', 'l.id', 'a.lineId')
    .select([
      'a.id',
      'a.lineId',
      'a.productId',
      'a.lotId',
      'a.lot',
      'a.serial',
      'a.expiryDate',
      'a.quantity',
      'a.refused',
      'l.productName',
      'l.storage',
      'l.gs1Di',
    ])
    .where('a.orderId', '=', order.id)
    .where('a.state', '=', 'shipped')
    .execute();
  const already = await ctx.db
    .selectFrom('sales_return_line')
    .select(['allocationId', (eb) => eb.fn.sum<number | string>('quantity').as('qty')])
    .where('allocationId', 'in', shipped.length === 0 ? [''] : shipped.map((a) => a.id))
    .groupBy('allocationId')
    .execute();
  const returned = new Map(already.map((r) => [r.allocationId, Number(r.qty)]));
  const lines: { allocation: (typeof shipped)[number]; quantity: number; udi: string | null }[] = [];
  for (const [i, item] of input.items.entries()) {
    const where = `Item ${i + 1}`;
    const parsed = parseUdi(item.scan, { now: ctx.now });
    if (!parsed.ok) {
      throw new AppError('validation_failed', `${where} is not a readable UDI: ${parsed.error.message}`, [
        { path: `body.items.${i}.scan`, message: parsed.error.message, code: parsed.error.code },
      ]);
    }
    const udi = parsed.udi;
    const product = await productByDi(ctx, udi.di);
    const candidates = shipped.filter(
      (a) =>
        product !== null &&
        a.productId === product.productId &&
        (udi.lot === undefined || a.lot === udi.lot) &&
        (a.serial === null || a.serial === udi.serial) &&
        (udi.lot !== undefined || a.serial !== null),
    );
    if (candidates.length === 0) {
      const what = `${udi.lot === undefined ? '' : `lot ${udi.lot}`}${udi.serial === undefined ? '' : ` serial ${udi.serial}`}`;
      throw new AppError(
        'conflict',
        `${where}: ${what.trim() || udi.di} was not shipped to ${order.customerName} on ${shipment.shipmentNo} (${order.orderNo}).`,
      );
    }
    const units = item.quantity * (await unitsPerPackage(ctx, product!.productId, product!.level));
    let left = units;
    for (const a of candidates) {
      if (left === 0) break;
      const out = Number(a.quantity) - Number(a.refused) - (returned.get(a.id) ?? 0);
      const take = Math.min(out, left);
      if (take <= 0) continue;
      lines.push({ allocation: a, quantity: take, udi: gs1Codes(a.gs1Di, a)?.hri ?? udi.normalised });
      returned.set(a.id, (returned.get(a.id) ?? 0) + take);
      left -= take;
    }
    if (left > 0) {
      const first = candidates[0]!;
      const shippedQty = candidates.reduce((n, a) => n + Number(a.quantity) - Number(a.refused), 0);
      throw new AppError(
        'conflict',
        `${where}: ${units} unit(s) of lot ${first.lot}${first.serial === null ? '' : ` serial ${first.serial}`} cannot come back: ${shippedQty} were shipped on ${shipment.shipmentNo} and ${shippedQty - (units - left)} of them are already returned.`,
      );
    }
  }
  const cold = [...new Set(lines.map((l) => l.allocation.storage).filter((s) => s !== 'normal'))];
  if (cold.length > 0) {
    const c = input.coldChain;
    if (c === undefined || !c.temperatureRecordChecked) {
      throw new AppError(
        'conflict',
        `Return refused: cold-chain goods (${cold.map(coldLabel).join(', ')}) come back only with the temperature record of their time at the customer (GSP art. 67).`,
      );
    }
    for (const s of cold) {
      if (!withinCold(s, c.minTemperature) || !withinCold(s, c.maxTemperature)) {
        throw new AppError(
          'conflict',
          `Return refused: the temperature record at the customer (${c.minTemperature} to ${c.maxTemperature} ℃) left the range ${coldLabel(s)}.`,
        );
      }
    }
  }
  const id = uuidv7(ctx.now.getTime());
  const returnNo = await nextNumber(ctx, 'RT');
  await ctx.db
    .insertInto('sales_return')
    .values({
      id,
      returnNo,
      orderId: order.id,
      shipmentId: shipment.id,
      customerId: order.customerId,
      warehouseId: order.warehouseId,
      site: order.site,
      reason: input.reason,
      transportConditions: input.transportConditions,
      coldRecordChecked: input.coldChain === undefined ? null : input.coldChain.temperatureRecordChecked ? 1 : 0,
      coldMinTenths: input.coldChain === undefined ? null : Math.round(input.coldChain.minTemperature * 10),
      coldMaxTenths: input.coldChain === undefined ? null : Math.round(input.coldChain.maxTemperature * 10),
      status: 'received',
      returnDate: chinaToday(ctx.now),
      receivedAt: ctx.now.toISOString(),
      receivedBy: actor.id,
      receivedByName: actor.name,
      inspectorId: null,
      inspectorName: null,
      inspectedAt: null,
      signatureId: null,
      note: null,
    })
    .execute();
  for (const l of lines) {
    const a = l.allocation;
    await ctx.db
      .insertInto('sales_return_line')
      .values({
        id: uuidv7(ctx.now.getTime()),
        returnId: id,
        allocationId: a.id,
        orderLineId: a.lineId,
        productId: a.productId,
        lotId: a.lotId,
        lot: a.lot,
        serial: a.serial,
        expiryDate: a.expiryDate,
        udi: l.udi,
        locationId: returnsLocation,
        quantity: l.quantity,
        qualified: null,
        nonconforming: null,
      })
      .execute();
  }
  await postMovements(
    ctx,
    lines.map((l) => ({
      kind: 'return_in' as const,
      lotId: l.allocation.lotId,
      locationId: returnsLocation,
      quantity: l.quantity,
      docType: 'sales_return',
      docId: id,
    })),
    'sales.return.receive',
  );
  await record(ctx, {
    action: 'sales.return.received',
    outcome: 'success',
    resource: { type: 'sales_return', id },
    reason: input.reason,
    data: { returnId: id, returnNo, orderId: order.id, units: lines.reduce((n, l) => n + l.quantity, 0) },
  });
  return returnView(ctx, id, 'sales.return.receive');
}

/**
 * Re-inspection of a customer return by acceptance staff (GSP art. 106), signed electronically:
 * each line splits into units back to qualified stock and units to the nonconforming zone. Expired
 * units never go back to stock; the inspector is not the person who received the return.
 */
export async function inspectReturn(
  ctx: Ctx,
  returnId: string,
  input: {
    lines: { lineId: string; qualified: number; nonconforming: number }[];
    note: string;
    code?: string | undefined;
  },
): Promise<ReturnView> {
  const actor = actorOf(ctx);
  const ret = await ctx.db.selectFrom('sales_return').selectAll().where('id', '=', returnId).executeTakeFirst();
  if (ret === undefined || !inScope(ctx, 'sales.return.inspect', ret.site)) {
    throw new AppError('not_found', 'No such return.');
  }
  if (ret.status !== 'received') throw new AppError('conflict', `Return ${ret.returnNo} has already been inspected.`);
  if (ret.receivedBy === actor.id) {
    throw new AppError(
      'forbidden',
      'The re-inspection is done by someone other than the person who received the return.',
    );
  }
  const lines = await ctx.db.selectFrom('sales_return_line').selectAll().where('returnId', '=', returnId).execute();
  const decided = new Map(input.lines.map((l) => [l.lineId, l]));
  if (decided.size !== input.lines.length || lines.length !== decided.size || lines.some((l) => !decided.has(l.id))) {
    throw new AppError('validation_failed', 'Decide every line of the return exactly once.', [
      { path: 'body.lines', message: `one entry for each of the ${lines.length} line(s)` },
    ]);
  }
  const today = chinaToday(ctx.now);
  for (const [i, l] of lines.entries()) {
    const d = decided.get(l.id)!;
    if (d.qualified + d.nonconforming !== Number(l.quantity)) {
      throw new AppError(
        'validation_failed',
        `Lot ${l.lot}: ${Number(l.quantity)} unit(s) came back; decide each of them.`,
        [{ path: `body.lines.${i}`, message: `qualified + nonconforming must be ${Number(l.quantity)}` }],
      );
    }
    if (d.qualified > 0 && l.expiryDate !== null && l.expiryDate < today) {
      throw new AppError(
        'conflict',
        `Lot ${l.lot}${l.serial === null ? '' : ` serial ${l.serial}`} expired on ${l.expiryDate}: it cannot go back to qualified stock.`,
      );
    }
  }
  const updated = await ctx.db
    .updateTable('sales_return')
    .set({ status: 'inspected' })
    .where('id', '=', returnId)
    .where('status', '=', 'received')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'The return was inspected meanwhile.');
  const qualifiedLoc = await firstLocationInZone(ctx, ret.warehouseId, 'qualified');
  const nonconformingLoc = await firstLocationInZone(ctx, ret.warehouseId, 'nonconforming');
  const decisions = lines.map((l) => ({ line: l, ...decided.get(l.id)! }));
  if (decisions.some((d) => d.qualified > 0) && qualifiedLoc === null) {
    throw new AppError('conflict', 'The warehouse has no location in a qualified (合格) area.');
  }
  if (decisions.some((d) => d.nonconforming > 0) && nonconformingLoc === null) {
    throw new AppError('conflict', 'The warehouse has no location in a nonconforming (不合格) area.');
  }
  const signature = await sign(ctx, {
    meaning: `退货验收 / Return re-inspected: ${ret.returnNo}`,
    subject: { type: 'sales_return', id: returnId },
    recordValue: {
      returnNo: ret.returnNo,
      lines: decisions.map((d) => ({
        lot: d.line.lot,
        serial: d.line.serial,
        quantity: Number(d.line.quantity),
        qualified: d.qualified,
        nonconforming: d.nonconforming,
      })),
      note: input.note,
    },
    code: input.code,
  });
  const postings = [];
  for (const d of decisions) {
    const base = {
      kind: 'transfer' as const,
      lotId: d.line.lotId,
      docType: 'sales_return_inspection',
      docId: returnId,
    };
    if (d.qualified > 0) {
      postings.push(
        { ...base, locationId: d.line.locationId, quantity: -d.qualified },
        { ...base, locationId: qualifiedLoc!, quantity: d.qualified },
      );
    }
    if (d.nonconforming > 0) {
      postings.push(
        { ...base, locationId: d.line.locationId, quantity: -d.nonconforming },
        { ...base, locationId: nonconformingLoc!, quantity: d.nonconforming },
      );
    }
    await ctx.db
      .updateTable('sales_return_line')
      .set({ qualified: d.qualified, nonconforming: d.nonconforming })
      .where('id', '=', d.line.id)
      .execute();
  }
  await postMovements(ctx, postings, 'sales.return.inspect');
  await ctx.db
    .updateTable('sales_return')
    .set({
      inspectorId: actor.id,
      inspectorName: signature.signerName,
      inspectedAt: signature.signedAt,
      signatureId: signature.id,
      note: input.note === '' ? null : input.note,
    })
    .where('id', '=', returnId)
    .execute();
  const qualified = decisions.reduce((n, d) => n + d.qualified, 0);
  await record(ctx, {
    action: 'sales.return.inspected',
    outcome: 'success',
    resource: { type: 'sales_return', id: returnId },
    data: {
      returnId,
      signatureId: signature.id,
      qualified,
      nonconforming: decisions.reduce((n, d) => n + d.nonconforming, 0),
    },
  });
  return returnView(ctx, returnId, 'sales.return.inspect');
}

/** The return record (GSP art. 107) within the reader's sites. */
export async function returnView(
  ctx: Ctx,
  returnId: string,
  permission: 'sales.order.read' | 'sales.return.receive' | 'sales.return.inspect' = 'sales.order.read',
): Promise<ReturnView> {
  const r = await ctx.db
    .selectFrom('sales_return as r')
    .innerJoin('sales_order as o', 'o.id', 'r.orderId')
    .innerJoin('sales_shipment as s', 's.id', 'r.shipmentId')
    .selectAll('r')
    .select(['o.orderNo', 'o.customerCode', 'o.customerName', 's.shipmentNo'])
    .where('r.id', '=', returnId)
    .executeTakeFirst();
  if (r === undefined || !inScope(ctx, permission, r.site)) throw new AppError('not_found', 'No such return.');
  const lines = await ctx.db
    .selectFrom('sales_return_line as rl')
    .innerJoin('sales_order_line as l', 'l.id', 'rl.orderLineId')
    .select([
      'rl.id',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.certificateNo',
      'l.unit',
      'rl.lot',
      'rl.serial',
      'rl.expiryDate',
      'rl.udi',
      'rl.quantity',
      'rl.qualified',
      'rl.nonconforming',
    ])
    .where('rl.returnId', '=', returnId)
    .orderBy('rl.id')
    .execute();
  return {
    id: r.id,
    returnNo: r.returnNo,
    returnDate: r.returnDate,
    orderId: r.orderId,
    orderNo: r.orderNo,
    originalOutboundNo: r.shipmentNo,
    returningParty: { id: r.customerId, code: r.customerCode, name: r.customerName },
    reason: r.reason,
    transportConditions: r.transportConditions,
    coldChain:
      r.coldRecordChecked === null
        ? null
        : {
            temperatureRecordChecked: Number(r.coldRecordChecked) === 1,
            minTemperature: Number(r.coldMinTenths) / 10,
            maxTemperature: Number(r.coldMaxTenths) / 10,
          },
    status: r.status,
    receivedByName: r.receivedByName,
    inspectorName: r.inspectorName,
    inspectedAt: r.inspectedAt,
    signatureId: r.signatureId,
    note: r.note,
    lines: lines.map((l) => {
      const qualified = Number(l.qualified ?? 0);
      const nonconforming = Number(l.nonconforming ?? 0);
      return {
        ...l,
        quantity: Number(l.quantity),
        qualified,
        nonconforming,
        qualityStatus: l.qualified === null ? 'pending' : nonconforming > 0 ? 'nonconforming' : 'qualified',
      };
    }),
  };
}
