import { chinaTime, ledgerExportRoute, ledgerSites, ledgerViewRoute, type LedgerLoader } from '../inventory/index.js';
import type { AnyRouteDef } from '../../platform/http/route.js';

/**
 * The purchase record (GSP art. 58) and the acceptance record (GSP art. 65) as GSP ledgers with
 * the shared filters and exports (docs/decisions/0026-gsp-ledgers.md).
 */

/** Purchase record: one row per line of every approved (or later) order, by purchase date. */
export const purchaseLedger: LedgerLoader = async (ctx, f, limit) => {
  const sites = ledgerSites(ctx, 'procurement.record.read');
  let q = ctx.db
    .selectFrom('pur_order_line as l')
    .innerJoin('pur_order as o', 'o.id', 'l.orderId')
    .innerJoin('md_warehouse as w', 'w.id', 'o.warehouseId')
    .select([
      'o.approvedDate',
      'o.number as orderNumber',
      'o.supplierName',
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.certificateNo',
      'l.unit',
      'l.quantity',
      'l.unitPriceFen',
      'l.amountFen',
      'w.code as warehouseCode',
    ])
    .where('o.status', 'in', ['approved', 'receiving', 'closed']);
  if (sites !== 'all') q = q.where('o.site', 'in', sites);
  if (f.from !== undefined) q = q.where('o.approvedDate', '>=', f.from);
  if (f.to !== undefined) q = q.where('o.approvedDate', '<=', f.to);
  if (f.partyId !== undefined) q = q.where('o.supplierId', '=', f.partyId);
  if (f.productId !== undefined) q = q.where('l.productId', '=', f.productId);
  if (f.warehouseId !== undefined) q = q.where('o.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('o.approvedDate')
    .orderBy('o.number')
    .orderBy('l.lineNo')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map(({ approvedDate, unitPriceFen, amountFen, quantity, ...r }) => ({
      purchaseDate: approvedDate ?? '',
      ...r,
      quantity: Number(quantity),
      unitPrice: Number(unitPriceFen),
      amount: Number(amountFen),
    })),
  };
};

/**
 * Acceptance record: one row per lot (or serial) accepted or rejected in a concluded acceptance,
 * with the product, registrant, supplier (address and contact), quantities, conclusion and the
 * inspector from the electronic signature; by acceptance date (China day of the signature).
 */
export const acceptanceLedger: LedgerLoader = async (ctx, f, limit) => {
  const sites = ledgerSites(ctx, 'procurement.record.read');
  let q = ctx.db
    .selectFrom('pur_acceptance_lot as al')
    .innerJoin('pur_acceptance as a', 'a.id', 'al.acceptanceId')
    .innerJoin('pur_receipt_line as rl', 'rl.id', 'al.receiptLineId')
    .innerJoin('pur_order_line as ol', 'ol.id', 'rl.orderLineId')
    .innerJoin('inv_lot as l', 'l.id', 'al.lotId')
    .leftJoin('pur_acceptance_line as line', (join) =>
      join.onRef('line.acceptanceId', '=', 'a.id').onRef('line.receiptLineId', '=', 'rl.id'),
    )
    .select([
      'a.concludedAt',
      'a.number as acceptanceNumber',
      'a.purchaseDate',
      'ol.productName',
      'ol.model',
      'ol.specification',
      'ol.certificateNo',
      'ol.registrant',
      'ol.contractManufacturer',
      'l.lot',
      'l.serial',
      'l.expiryDate',
      'a.supplierName',
      'a.supplierAddress',
      'a.supplierContact',
      'al.accepted',
      'al.rejected',
      'line.conclusion',
      'a.inspectorName',
    ])
    .where('a.status', '=', 'concluded');
  if (sites !== 'all') q = q.where('a.site', 'in', sites);
  // concludedAt is an ISO instant; the China day is compared through its first characters
  // after shifting: filter on the instant range of the days instead.
  if (f.from !== undefined) q = q.where('a.concludedAt', '>=', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to !== undefined) {
    q = q.where('a.concludedAt', '<', new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86_400_000).toISOString());
  }
  if (f.partyId !== undefined) q = q.where('a.supplierId', '=', f.partyId);
  if (f.productId !== undefined) q = q.where('rl.productId', '=', f.productId);
  if (f.lot !== undefined) q = q.where('l.lot', '=', f.lot);
  if (f.warehouseId !== undefined) q = q.where('a.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('a.concludedAt')
    .orderBy('a.number')
    .orderBy('al.id')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map(({ concludedAt, accepted, rejected, conclusion, ...r }) => ({
      acceptedDate: concludedAt === null ? '' : chinaTime(new Date(concludedAt)).slice(0, 10),
      ...r,
      accepted: Number(accepted),
      rejected: Number(rejected),
      conclusion: conclusion ?? null,
    })),
  };
};

/** The ledger routes of the procurement module. */
export const procurementLedgerRoutes: AnyRouteDef[] = [
  ledgerViewRoute('purchase', 'Purchase record (GSP art. 58) with the shared ledger filters', purchaseLedger),
  ledgerExportRoute('purchase', purchaseLedger),
  ledgerViewRoute(
    'acceptance',
    'Acceptance record (GSP art. 65) per lot, with the shared ledger filters',
    acceptanceLedger,
  ),
  ledgerExportRoute('acceptance', acceptanceLedger),
];
