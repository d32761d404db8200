import { parseUdi, type ReviewRecord, type ReviewRefusalReason } from '@medledger/contract';
import { usersWithPermission } from '../access/index.js';
import { record } from '../audit/index.js';
import { notifyUser, sign } from '../identity/index.js';
import { assertLotShippable, chinaToday, postMovements } from '../inventory/index.js';
import { firstLocationInZone, productByDi } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, gs1Codes, loadOrder, transition, unitsPerPackage } from './sales.common.js';
import type { SalesOrderTable } from './sales.tables.js';

type Allocation = {
  id: string;
  lineId: string;
  productId: string;
  lotId: string;
  lot: string;
  serial: string | null;
  expiryDate: string | null;
  locationId: string;
  quantity: number;
  refused: number;
  allocatedBy: string;
  productName: string;
};

async function activeAllocations(ctx: Ctx, orderId: string): Promise<Allocation[]> {
  const rows = await ctx.db
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
      'a.locationId',
      'a.quantity',
      'a.refused',
      'a.allocatedBy',
      'l.productName',
    ])
    .where('a.orderId', '=', orderId)
    .where('a.state', '=', 'active')
    .orderBy('a.allocatedAt')
    .orderBy('a.expiryDate')
    .orderBy('a.lot')
    .orderBy('a.serial')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity), refused: Number(r.refused) }));
}

async function scannedUnits(ctx: Ctx, orderId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('sales_review_scan')
    .select(['allocationId', (eb) => eb.fn.sum<number | string>('units').as('units')])
    .where('orderId', '=', orderId)
    .groupBy('allocationId')
    .execute();
  return new Map(rows.map((r) => [r.allocationId, Number(r.units)]));
}

const STEP: Record<string, string> = {
  draft: 'is a draft: confirm and allocate it first',
  confirmed: 'has units still to allocate: allocate them first',
  reviewed: 'has already been reviewed',
  shipped: 'has been shipped',
  cancelled: 'is cancelled',
};

function assertReviewable(order: SalesOrderTable): void {
  if (order.status !== 'allocated') {
    throw new AppError('conflict', `Order ${order.orderNo} ${STEP[order.status] ?? `is ${order.status}`}.`);
  }
}

/** Where the outbound review of an order stands: each active allocation with its counted units. */
export async function reviewProgress(
  ctx: Ctx,
  orderId: string,
  permission: 'sales.order.read' | 'sales.review.perform',
) {
  const order = await loadOrder(ctx, orderId, permission);
  const allocations = await activeAllocations(ctx, orderId);
  const scanned = await scannedUnits(ctx, orderId);
  const list = allocations
    .filter((a) => a.quantity - a.refused > 0)
    .map((a) => ({
      allocationId: a.id,
      productName: a.productName,
      lot: a.lot,
      serial: a.serial,
      quantity: a.quantity - a.refused,
      scanned: scanned.get(a.id) ?? 0,
    }));
  return {
    orderId,
    status: order.status,
    complete: order.status === 'allocated' && list.every((a) => a.scanned === a.quantity),
    allocations: list,
  };
}

/**
 * 出库复核 by scanning (GSP art. 87): each scan is parsed as a UDI; its DI must be a product of the
 * order, its lot (and serial) among the allocated ones, its expiry date that of the lot on file,
 * the lot still shippable; units are counted up to the allocated quantity and a serial only once.
 * All scans of a request are counted, or none (the refusal names the scan).
 */
export async function recordScans(ctx: Ctx, orderId: string, scans: readonly string[]) {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.review.perform');
  assertReviewable(order);
  const allocations = await activeAllocations(ctx, orderId);
  const scanned = await scannedUnits(ctx, orderId);
  const serialsSeen = new Set(
    (
      await ctx.db
        .selectFrom('sales_review_scan')
        .select('serialGuard')
        .where('orderId', '=', orderId)
        .where('serialGuard', 'is not', null)
        .execute()
    ).map((r) => r.serialGuard!),
  );
  let units = 0;
  for (const [i, raw] of scans.entries()) {
    const where = `Scan ${i + 1}`;
    const parsed = parseUdi(raw, { now: ctx.now });
    if (!parsed.ok) {
      throw new AppError('validation_failed', `${where} is not a readable UDI: ${parsed.error.message}`, [
        { path: `body.scans.${i}`, message: parsed.error.message, code: parsed.error.code },
      ]);
    }
    const udi = parsed.udi;
    const product = await productByDi(ctx, udi.di);
    const mine = product === null ? [] : allocations.filter((a) => a.productId === product.productId);
    if (product === null || mine.length === 0) {
      throw new AppError(
        'conflict',
        `${where}: the UDI-DI ${udi.di} is not a product allocated to order ${order.orderNo}.`,
      );
    }
    if (udi.lot === undefined && udi.serial === undefined) {
      throw new AppError('conflict', `${where}: the code carries no lot or serial number; scan the full UDI.`);
    }
    const matches = mine.filter(
      (a) =>
        (udi.lot === undefined || a.lot === udi.lot) &&
        (a.serial === null || a.serial === udi.serial) &&
        (udi.lot !== undefined || a.serial !== null),
    );
    if (matches.length === 0) {
      const label =
        `${udi.lot === undefined ? '' : `lot ${udi.lot}`}${udi.serial === undefined ? '' : ` serial ${udi.serial}`}`.trim();
      const allocated = [...new Set(mine.map((a) => (a.serial === null ? a.lot : `${a.lot}/${a.serial}`)))].join(', ');
      throw new AppError(
        'conflict',
        `${where}: ${label} of ${mine[0]!.productName} is not allocated to order ${order.orderNo} (allocated: ${allocated}).`,
      );
    }
    const first = matches[0]!;
    if (udi.expiryDate !== undefined && first.expiryDate !== null && udi.expiryDate !== first.expiryDate) {
      throw new AppError(
        'conflict',
        `${where}: the label says expiry ${udi.expiryDate} but lot ${first.lot} is on file with ${first.expiryDate}: refuse the unit (label mismatch).`,
      );
    }
    await assertLotShippable(ctx, first.lotId);
    const serialised = first.serial !== null;
    if (serialised && serialsSeen.has(first.lotId)) {
      throw new AppError('conflict', `${where}: serial ${first.serial} of lot ${first.lot} has already been counted.`);
    }
    const perPackage = await unitsPerPackage(ctx, product.productId, product.level);
    if (serialised && perPackage !== 1) {
      throw new AppError(
        'conflict',
        `${where}: lot ${first.lot} is serialised; scan each unit, not the outer package.`,
      );
    }
    const target = matches.find((a) => a.quantity - a.refused - (scanned.get(a.id) ?? 0) >= perPackage);
    if (target === undefined) {
      const left = matches.reduce((n, a) => n + a.quantity - a.refused - (scanned.get(a.id) ?? 0), 0);
      throw new AppError(
        'conflict',
        `${where}: counts ${perPackage} unit(s) of lot ${first.lot}, but only ${left} of the allocated units remain to be counted.`,
      );
    }
    await ctx.db
      .insertInto('sales_review_scan')
      .values({
        id: uuidv7(ctx.now.getTime()),
        orderId,
        allocationId: target.id,
        serialGuard: serialised ? target.lotId : null,
        raw,
        udi: udi.normalised,
        units: perPackage,
        scannedBy: actor.id,
        scannedByName: actor.name,
        scannedAt: ctx.now.toISOString(),
      })
      .execute();
    scanned.set(target.id, (scanned.get(target.id) ?? 0) + perPackage);
    if (serialised) serialsSeen.add(target.lotId);
    units += perPackage;
  }
  await record(ctx, {
    action: 'sales.review.scanned',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    data: { orderId, scans: scans.length, units },
  });
  return reviewProgress(ctx, orderId, 'sales.review.perform');
}

/**
 * Refuses units that fail the review (GSP art. 87: damaged, contaminated or broken packaging, a
 * missing, illegible or wrong label, expiry, other anomalies): they move from the shipping zone to
 * the nonconforming zone, QA is told, and the order goes back to allocation for the missing units.
 * Only units not yet counted can be refused.
 */
export async function refuseUnits(
  ctx: Ctx,
  orderId: string,
  input: { allocationId: string; quantity: number; reason: ReviewRefusalReason; note: string },
) {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.review.perform');
  if (order.status !== 'allocated' && order.status !== 'confirmed') {
    throw new AppError('conflict', `Order ${order.orderNo} ${STEP[order.status] ?? `is ${order.status}`}.`);
  }
  if (input.reason === 'other' && input.note.length < 2) {
    throw new AppError('validation_failed', 'Describe the anomaly for QA.', [
      { path: 'body.note', message: 'required when the reason is other' },
    ]);
  }
  const allocation = (await activeAllocations(ctx, orderId)).find((a) => a.id === input.allocationId);
  if (allocation === undefined) throw new AppError('not_found', 'No such allocation on this order.');
  const counted = (await scannedUnits(ctx, orderId)).get(allocation.id) ?? 0;
  const open = allocation.quantity - allocation.refused - counted;
  if (input.quantity > open) {
    throw new AppError(
      'conflict',
      `Only ${open} unit(s) of lot ${allocation.lot} are allocated and not yet counted; refuse at most those.`,
    );
  }
  const nonconforming = await firstLocationInZone(ctx, order.warehouseId, 'nonconforming');
  if (nonconforming === null) {
    throw new AppError(
      'conflict',
      `Warehouse ${order.warehouseCode} has no location in a nonconforming (不合格) area.`,
    );
  }
  const updated = await ctx.db
    .updateTable('sales_allocation')
    .set((eb) => ({ refused: eb('refused', '+', input.quantity) }))
    .where('id', '=', allocation.id)
    .where('state', '=', 'active')
    .where('refused', '=', allocation.refused)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError('conflict', 'The allocation was changed meanwhile; refresh and try again.');
  }
  const base = { kind: 'transfer' as const, lotId: allocation.lotId, docType: 'sales_review_refusal', docId: orderId };
  const note = `${input.reason}${input.note === '' ? '' : `: ${input.note}`}`;
  await postMovements(
    ctx,
    [
      { ...base, locationId: allocation.locationId, quantity: -input.quantity, note },
      { ...base, locationId: nonconforming, quantity: input.quantity, note },
    ],
    'sales.review.perform',
  );
  await ctx.db
    .insertInto('sales_review_refusal')
    .values({
      id: uuidv7(ctx.now.getTime()),
      orderId,
      allocationId: allocation.id,
      lotId: allocation.lotId,
      quantity: input.quantity,
      reason: input.reason,
      note: input.note === '' ? null : input.note,
      toLocationId: nonconforming,
      refusedBy: actor.id,
      refusedByName: actor.name,
      refusedAt: ctx.now.toISOString(),
    })
    .execute();
  if (order.status === 'allocated') await transition(ctx, order, ['allocated'], 'confirmed');
  for (const userId of await usersWithPermission(ctx.db, 'sales.disposal.create')) {
    await notifyUser(ctx, userId, 'outbound_anomaly', {
      orderNo: order.orderNo,
      lot: allocation.lot,
      quantity: input.quantity,
      reason: input.reason,
    });
  }
  await record(ctx, {
    action: 'sales.review.refused',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    ...(input.note === '' ? {} : { reason: input.note }),
    data: {
      orderId,
      allocationId: allocation.id,
      lotId: allocation.lotId,
      quantity: input.quantity,
      refusal: input.reason,
    },
  });
  return reviewProgress(ctx, orderId, 'sales.review.perform');
}

/**
 * Concludes the outbound review with the reviewer's electronic signature (GSP-04) over the art. 88
 * record. Every allocated unit must have been counted, no lot may have expired or gone on hold
 * since allocation, and the reviewer is not the person who picked the goods.
 */
export async function concludeReview(
  ctx: Ctx,
  orderId: string,
  input: { note?: string | undefined; code?: string | undefined },
) {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.review.perform');
  assertReviewable(order);
  const allocations = (await activeAllocations(ctx, orderId)).filter((a) => a.quantity - a.refused > 0);
  const scanned = await scannedUnits(ctx, orderId);
  const open = allocations.filter((a) => (scanned.get(a.id) ?? 0) !== a.quantity - a.refused);
  if (open.length > 0 || allocations.length === 0) {
    throw new AppError(
      'conflict',
      `Not every allocated unit has been checked: ${open
        .map(
          (a) =>
            `lot ${a.lot}${a.serial === null ? '' : `/${a.serial}`} ${scanned.get(a.id) ?? 0} of ${a.quantity - a.refused}`,
        )
        .join(', ')}.`,
    );
  }
  if (allocations.some((a) => a.allocatedBy === actor.id)) {
    throw new AppError(
      'forbidden',
      'The outbound review is done by someone other than the person who picked the goods.',
    );
  }
  for (const a of allocations) await assertLotShippable(ctx, a.lotId);
  await transition(ctx, order, ['allocated'], 'reviewed');
  const note = input.note === undefined || input.note === '' ? null : input.note;
  const content = { ...(await reviewContent(ctx, order, chinaToday(ctx.now))), note };
  const signature = await sign(ctx, {
    meaning: `出库复核合格 / Outbound review passed: ${order.orderNo}`,
    subject: { type: 'sales_order', id: orderId },
    recordValue: content,
    code: input.code,
  });
  const reviewId = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('sales_review')
    .values({
      id: reviewId,
      orderId,
      reviewerId: actor.id,
      reviewerName: signature.signerName,
      reviewedAt: signature.signedAt,
      outboundDate: content.outboundDate,
      signatureId: signature.id,
      recordHash: signature.recordHash,
      note,
      content: JSON.stringify(content),
    })
    .execute();
  await record(ctx, {
    action: 'sales.review.signed',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    data: { orderId, reviewId, signatureId: signature.id, recordHash: signature.recordHash },
  });
  return reviewRecord(ctx, orderId);
}

/** The art. 88 content of the review: what the reviewer signs and what the record shows. */
async function reviewContent(ctx: Ctx, order: SalesOrderTable, outboundDate: string) {
  const rows = await ctx.db
    .selectFrom('sales_allocation as a')
    .innerJoin('sales_order_line as l', 'l.id', 'a.lineId')
    .select([
      'l.productId',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.certificateNo',
      'l.unit',
      'l.gs1Di',
      'a.lot',
      'a.serial',
      'a.expiryDate',
      'a.quantity',
      'a.refused',
    ])
    .where('a.orderId', '=', order.id)
    .where('a.state', '!=', 'released')
    .orderBy('l.lineNo')
    .orderBy('a.allocatedAt')
    .orderBy('a.expiryDate')
    .orderBy('a.lot')
    .orderBy('a.serial')
    .orderBy('a.id')
    .execute();
  return {
    orderNo: order.orderNo,
    buyer: { code: order.customerCode, name: order.customerName },
    outboundDate,
    lines: rows
      .filter((r) => Number(r.quantity) - Number(r.refused) > 0)
      .map((r) => ({
        productId: r.productId,
        productName: r.productName,
        model: r.model,
        specification: r.specification,
        registrant: r.registrant,
        contractManufacturer: r.contractManufacturer,
        certificateNo: r.certificateNo,
        lot: r.lot,
        serial: r.serial,
        expiryDate: r.expiryDate,
        unit: r.unit,
        quantity: Number(r.quantity) - Number(r.refused),
        udi: gs1Codes(r.gs1Di, r)?.hri ?? null,
      })),
  };
}

type ReviewContent = Awaited<ReturnType<typeof reviewContent>> & { note: string | null };

/** The signed outbound review record (GSP art. 88) of an order, with the refused units. */
export async function reviewRecord(ctx: Ctx, orderId: string): Promise<ReviewRecord> {
  const order = await loadOrder(ctx, orderId, 'sales.order.read');
  const review = await ctx.db.selectFrom('sales_review').selectAll().where('orderId', '=', orderId).executeTakeFirst();
  if (review === undefined) throw new AppError('conflict', `Order ${order.orderNo} has no signed outbound review yet.`);
  const content = JSON.parse(review.content) as ReviewContent;
  const refusals = await ctx.db
    .selectFrom('sales_review_refusal as r')
    .innerJoin('sales_allocation as a', 'a.id', 'r.allocationId')
    .select(['a.lot', 'a.serial', 'r.quantity', 'r.reason', 'r.note', 'r.refusedByName', 'r.refusedAt'])
    .where('r.orderId', '=', orderId)
    .orderBy('r.refusedAt')
    .orderBy('r.id')
    .execute();
  return {
    reviewId: review.id,
    orderId,
    orderNo: order.orderNo,
    buyer: content.buyer,
    outboundDate: review.outboundDate,
    reviewerName: review.reviewerName,
    reviewedAt: review.reviewedAt,
    signatureId: review.signatureId,
    note: review.note,
    lines: content.lines,
    refusals: refusals.map((r) => ({ ...r, quantity: Number(r.quantity) })),
  };
}
