import type { ReturnLedgerRow } from '@medledger/contract';
import type { z } from 'zod';
import { chinaToday } from '../inventory/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { dayRange, seesPrices, sitesFor } from './sales.common.js';

/** Rows per ledger answer; `truncated` says when more exist (narrow the dates). */
const LIMIT = 2000;

type LedgerFilter = {
  from?: string | undefined;
  to?: string | undefined;
  /** The customer (sales, reviews, customer returns) or supplier (supplier returns). */
  partyId?: string | undefined;
  /** Older name of `partyId` for the customer ledgers. */
  customerId?: string | undefined;
  productId?: string | undefined;
  lot?: string | undefined;
  warehouseId?: string | undefined;
};

const partyOf = (f: LedgerFilter) => f.partyId ?? f.customerId;

function scoped(ctx: Ctx): string[] | 'all' {
  const sites = sitesFor(ctx, 'sales.ledger.read');
  return sites === 'all' ? 'all' : sites.length === 0 ? [''] : sites;
}

/** The sales record (GSP art. 84): one row per product, lot and serial shipped. */
export async function salesLedger(ctx: Ctx, f: LedgerFilter, limit = LIMIT) {
  const sites = scoped(ctx);
  let q = ctx.db
    .selectFrom('sales_shipment as s')
    .innerJoin('sales_order as o', 'o.id', 's.orderId')
    .innerJoin('sales_allocation as a', 'a.orderId', 'o.id')
    .innerJoin('sales_order_line as l', 'l.id', 'a.lineId')
    .select([
      's.shipDate as saleDate',
      'o.orderNo',
      's.shipmentNo',
      'o.customerName',
      's.customerLicenceNo',
      's.consigneeAddress as deliveryAddress',
      's.consigneeContact as contact',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.manufacturerLicenceNo',
      'l.certificateNo',
      'a.lot',
      'a.serial',
      'a.expiryDate',
      'l.unit',
      'a.quantity',
      'a.refused',
      'l.unitPrice',
    ])
    .where('a.state', '=', 'shipped');
  if (sites !== 'all') q = q.where('s.site', 'in', sites);
  if (f.from !== undefined) q = q.where('s.shipDate', '>=', f.from);
  if (f.to !== undefined) q = q.where('s.shipDate', '<=', f.to);
  if (partyOf(f) !== undefined) q = q.where('o.customerId', '=', partyOf(f)!);
  if (f.productId !== undefined) q = q.where('a.productId', '=', f.productId);
  if (f.lot !== undefined) q = q.where('a.lot', '=', f.lot);
  if (f.warehouseId !== undefined) q = q.where('o.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('s.shipDate')
    .orderBy('s.shipmentNo')
    .orderBy('l.lineNo')
    .orderBy('a.allocatedAt')
    .orderBy('a.expiryDate')
    .orderBy('a.lot')
    .orderBy('a.serial')
    .limit(limit + 1)
    .execute();
  const prices = seesPrices(ctx);
  const out = rows
    .filter((r) => Number(r.quantity) - Number(r.refused) > 0)
    .map(({ refused, unitPrice, quantity, ...r }) => {
      const qty = Number(quantity) - Number(refused);
      return {
        ...r,
        quantity: qty,
        unitPrice: prices ? Number(unitPrice) : null,
        amount: prices ? qty * Number(unitPrice) : null,
      };
    });
  return { rows: out.slice(0, limit), truncated: rows.length > limit };
}

type ReviewContentLine = {
  productId: string;
  productName: string;
  model: string;
  specification: string;
  registrant: string;
  contractManufacturer: string | null;
  certificateNo: string;
  lot: string;
  serial: string | null;
  expiryDate: string | null;
  unit: string;
  quantity: number;
  udi: string | null;
};

/** The outbound review record (GSP art. 88): signed reviews line by line, and refused units. */
export async function reviewLedger(ctx: Ctx, f: LedgerFilter, limit = LIMIT) {
  const sites = scoped(ctx);
  let q = ctx.db
    .selectFrom('sales_review as r')
    .innerJoin('sales_order as o', 'o.id', 'r.orderId')
    .select(['r.reviewedAt', 'r.outboundDate', 'r.reviewerName', 'r.content', 'o.orderNo', 'o.customerName']);
  if (sites !== 'all') q = q.where('o.site', 'in', sites);
  if (f.from !== undefined) q = q.where('r.outboundDate', '>=', f.from);
  if (f.to !== undefined) q = q.where('r.outboundDate', '<=', f.to);
  if (partyOf(f) !== undefined) q = q.where('o.customerId', '=', partyOf(f)!);
  if (f.warehouseId !== undefined) q = q.where('o.warehouseId', '=', f.warehouseId);
  const reviews = await q
    .orderBy('r.reviewedAt')
    .orderBy('r.id')
    .limit(limit + 1)
    .execute();
  const passed = reviews.flatMap((r) =>
    (JSON.parse(r.content) as { lines: ReviewContentLine[] }).lines
      .filter((l) => f.productId === undefined || l.productId === f.productId)
      .filter((l) => f.lot === undefined || l.lot === f.lot)
      .map(({ productId: _p, ...l }) => ({
        reviewedAt: r.reviewedAt,
        outboundDate: r.outboundDate,
        orderNo: r.orderNo,
        buyerName: r.customerName,
        ...l,
        conclusion: 'passed' as const,
        refusalReason: null,
        reviewerName: r.reviewerName,
      })),
  );
  const range = dayRange(f.from, f.to);
  let rq = ctx.db
    .selectFrom('sales_review_refusal as x')
    .innerJoin('sales_allocation as a', 'a.id', 'x.allocationId')
    .innerJoin('sales_order_line as l', 'l.id', 'a.lineId')
    .innerJoin('sales_order as o', 'o.id', 'x.orderId')
    .select([
      'x.refusedAt',
      'x.reason',
      'x.quantity',
      'x.refusedByName',
      'o.orderNo',
      'o.customerName',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.certificateNo',
      'l.unit',
      'a.lot',
      'a.serial',
      'a.expiryDate',
    ]);
  if (sites !== 'all') rq = rq.where('o.site', 'in', sites);
  if (range.start !== undefined) rq = rq.where('x.refusedAt', '>=', range.start);
  if (range.end !== undefined) rq = rq.where('x.refusedAt', '<', range.end);
  if (partyOf(f) !== undefined) rq = rq.where('o.customerId', '=', partyOf(f)!);
  if (f.productId !== undefined) rq = rq.where('a.productId', '=', f.productId);
  if (f.lot !== undefined) rq = rq.where('a.lot', '=', f.lot);
  if (f.warehouseId !== undefined) rq = rq.where('o.warehouseId', '=', f.warehouseId);
  const refused = (
    await rq
      .orderBy('x.refusedAt')
      .orderBy('x.id')
      .limit(limit + 1)
      .execute()
  ).map((x) => ({
    reviewedAt: x.refusedAt,
    outboundDate: chinaToday(new Date(x.refusedAt)),
    orderNo: x.orderNo,
    buyerName: x.customerName,
    productName: x.productName,
    model: x.model,
    specification: x.specification,
    registrant: x.registrant,
    contractManufacturer: x.contractManufacturer,
    certificateNo: x.certificateNo,
    lot: x.lot,
    serial: x.serial,
    expiryDate: x.expiryDate,
    unit: x.unit,
    quantity: Number(x.quantity),
    udi: null,
    conclusion: 'refused' as const,
    refusalReason: x.reason,
    reviewerName: x.refusedByName,
  }));
  const rows = [...passed, ...refused].sort((a, b) => a.reviewedAt.localeCompare(b.reviewedAt));
  return {
    rows: rows.slice(0, limit),
    truncated: rows.length > limit || reviews.length > limit,
  };
}

/** The return record (GSP art. 107): one row per returned lot and quality status. */
export async function returnLedger(ctx: Ctx, f: LedgerFilter, limit = LIMIT) {
  const sites = scoped(ctx);
  let q = ctx.db
    .selectFrom('sales_return as r')
    .innerJoin('sales_order as o', 'o.id', 'r.orderId')
    .innerJoin('sales_shipment as s', 's.id', 'r.shipmentId')
    .innerJoin('sales_return_line as rl', 'rl.returnId', 'r.id')
    .innerJoin('sales_order_line as l', 'l.id', 'rl.orderLineId')
    .select([
      'r.returnDate',
      'r.returnNo',
      's.shipmentNo as originalOutboundNo',
      'o.customerName as returningParty',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.certificateNo',
      'r.transportConditions',
      'rl.lot',
      'rl.serial',
      'rl.expiryDate',
      'rl.udi',
      'r.reason',
      'rl.quantity',
      'rl.qualified',
      'rl.nonconforming',
      'r.inspectorName',
    ]);
  if (sites !== 'all') q = q.where('r.site', 'in', sites);
  if (f.from !== undefined) q = q.where('r.returnDate', '>=', f.from);
  if (f.to !== undefined) q = q.where('r.returnDate', '<=', f.to);
  if (partyOf(f) !== undefined) q = q.where('r.customerId', '=', partyOf(f)!);
  if (f.productId !== undefined) q = q.where('rl.productId', '=', f.productId);
  if (f.lot !== undefined) q = q.where('rl.lot', '=', f.lot);
  if (f.warehouseId !== undefined) q = q.where('r.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('r.returnDate')
    .orderBy('r.returnNo')
    .orderBy('rl.id')
    .limit(limit + 1)
    .execute();
  const out = rows.flatMap(({ quantity, qualified, nonconforming, ...r }): z.infer<typeof ReturnLedgerRow>[] => {
    if (qualified === null) return [{ ...r, qualityStatus: 'pending' as const, quantity: Number(quantity) }];
    return [
      ...(Number(qualified) > 0 ? [{ ...r, qualityStatus: 'qualified' as const, quantity: Number(qualified) }] : []),
      ...(Number(nonconforming) > 0
        ? [{ ...r, qualityStatus: 'nonconforming' as const, quantity: Number(nonconforming) }]
        : []),
    ];
  });
  return { rows: out.slice(0, limit), truncated: rows.length > limit || out.length > limit };
}

/** The return-to-supplier record (GSP art. 107): one row per lot returned, with the transport. */
export async function supplierReturnLedger(ctx: Ctx, f: LedgerFilter, limit = LIMIT) {
  const sites = scoped(ctx);
  let q = ctx.db
    .selectFrom('sales_supplier_return as r')
    .innerJoin('sales_stock_line as l', (join) =>
      join.onRef('l.docId', '=', 'r.id').on('l.docType', '=', 'supplier_return'),
    )
    .select([
      'r.returnDate',
      'r.returnNo',
      'r.supplierName',
      'r.warehouseCode',
      'l.productName',
      'l.model',
      'l.specification',
      'l.certificateNo',
      'l.lot',
      'l.serial',
      'l.expiryDate',
      'l.zone',
      'l.quantity',
      'r.reason',
      'r.mode',
      'r.carrier',
      'r.waybillNo',
      'r.vehiclePlate',
      'r.driver',
      'r.returnedByName',
    ]);
  if (sites !== 'all') q = q.where('r.site', 'in', sites);
  if (f.from !== undefined) q = q.where('r.returnDate', '>=', f.from);
  if (f.to !== undefined) q = q.where('r.returnDate', '<=', f.to);
  if (f.partyId !== undefined) q = q.where('r.supplierId', '=', f.partyId);
  if (f.productId !== undefined) q = q.where('l.productId', '=', f.productId);
  if (f.lot !== undefined) q = q.where('l.lot', '=', f.lot);
  if (f.warehouseId !== undefined) q = q.where('r.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('r.returnDate')
    .orderBy('r.returnNo')
    .orderBy('l.id')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map(({ mode, carrier, waybillNo, vehiclePlate, driver, quantity, ...r }) => ({
      ...r,
      quantity: Number(quantity),
      transport:
        mode === 'carrier'
          ? `委托承运 ${carrier ?? ''} ${waybillNo ?? ''}`.trim()
          : `自有车辆 ${vehiclePlate ?? ''} ${driver ?? ''}`.trim(),
    })),
  };
}
