import type { DisposalSummary, ReturnSummary, SupplierReturnSummary } from '@medledger/contract';
import type { Ctx } from '../../platform/http/ctx.js';
import { sitesFor } from './sales.common.js';

/**
 * Lists of customer returns, returns to suppliers and disposals within the actor's sites
 * (`sales.order.read`, AC-02), newest first, with a total for paging.
 */

type Paging = { page?: string | undefined; pageSize?: string | undefined };

function paging(query: Paging) {
  const pageSize = Number(query.pageSize ?? '50');
  return { limit: pageSize, offset: (Number(query.page ?? '1') - 1) * pageSize };
}

function scope(ctx: Ctx): string[] | 'all' {
  const sites = sitesFor(ctx, 'sales.order.read');
  return sites === 'all' ? 'all' : sites.length === 0 ? [''] : sites;
}

/** Units per document, from its lines. */
async function unitsOf(ctx: Ctx, table: 'return' | 'stock', ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows =
    table === 'return'
      ? await ctx.db
          .selectFrom('sales_return_line')
          .select(['returnId as docId', (eb) => eb.fn.sum<number>('quantity').as('n')])
          .where('returnId', 'in', [...ids])
          .groupBy('returnId')
          .execute()
      : await ctx.db
          .selectFrom('sales_stock_line')
          .select(['docId', (eb) => eb.fn.sum<number>('quantity').as('n')])
          .where('docId', 'in', [...ids])
          .groupBy('docId')
          .execute();
  return new Map(rows.map((r) => [r.docId, Number(r.n)]));
}

export async function listReturns(
  ctx: Ctx,
  query: Paging & {
    from?: string | undefined;
    to?: string | undefined;
    customerId?: string | undefined;
    productId?: string | undefined;
    warehouseId?: string | undefined;
    status?: 'received' | 'inspected' | undefined;
    returnNo?: string | undefined;
  },
): Promise<{ total: number; returns: ReturnSummary[] }> {
  const sites = scope(ctx);
  let q = ctx.db
    .selectFrom('sales_return as r')
    .innerJoin('sales_order as o', 'o.id', 'r.orderId')
    .innerJoin('sales_shipment as s', 's.id', 'r.shipmentId');
  if (sites !== 'all') q = q.where('r.site', 'in', sites);
  if (query.from !== undefined) q = q.where('r.returnDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('r.returnDate', '<=', query.to);
  if (query.customerId !== undefined) q = q.where('r.customerId', '=', query.customerId);
  if (query.warehouseId !== undefined) q = q.where('r.warehouseId', '=', query.warehouseId);
  if (query.status !== undefined) q = q.where('r.status', '=', query.status);
  if (query.returnNo !== undefined && query.returnNo !== '') q = q.where('r.returnNo', '=', query.returnNo);
  if (query.productId !== undefined) {
    const productId = query.productId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('sales_return_line as rl')
          .select('rl.id')
          .whereRef('rl.returnId', '=', 'r.id')
          .where('rl.productId', '=', productId),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const { limit, offset } = paging(query);
  const rows = await q
    .select([
      'r.id',
      'r.returnNo',
      'r.returnDate',
      'r.status',
      'o.customerName',
      'o.orderNo',
      's.shipmentNo',
      'o.warehouseCode',
      'r.reason',
      'r.receivedByName',
      'r.inspectorName',
    ])
    .orderBy('r.returnDate', 'desc')
    .orderBy('r.returnNo', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const units = await unitsOf(
    ctx,
    'return',
    rows.map((r) => r.id),
  );
  return {
    total: Number(total?.n ?? 0),
    returns: rows.map((r) => ({ ...r, units: units.get(r.id) ?? 0 })),
  };
}

export async function listSupplierReturns(
  ctx: Ctx,
  query: Paging & {
    from?: string | undefined;
    to?: string | undefined;
    supplierId?: string | undefined;
    productId?: string | undefined;
    warehouseId?: string | undefined;
  },
): Promise<{ total: number; supplierReturns: SupplierReturnSummary[] }> {
  const sites = scope(ctx);
  let q = ctx.db.selectFrom('sales_supplier_return as r');
  if (sites !== 'all') q = q.where('r.site', 'in', sites);
  if (query.from !== undefined) q = q.where('r.returnDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('r.returnDate', '<=', query.to);
  if (query.supplierId !== undefined) q = q.where('r.supplierId', '=', query.supplierId);
  if (query.warehouseId !== undefined) q = q.where('r.warehouseId', '=', query.warehouseId);
  if (query.productId !== undefined) {
    const productId = query.productId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('sales_stock_line as l')
          .select('l.id')
          .whereRef('l.docId', '=', 'r.id')
          .where('l.productId', '=', productId),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const { limit, offset } = paging(query);
  const rows = await q
    .select([
      'r.id',
      'r.returnNo',
      'r.returnDate',
      'r.supplierName',
      'r.warehouseCode',
      'r.reason',
      'r.mode',
      'r.returnedByName',
    ])
    .orderBy('r.returnDate', 'desc')
    .orderBy('r.returnNo', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const units = await unitsOf(
    ctx,
    'stock',
    rows.map((r) => r.id),
  );
  return {
    total: Number(total?.n ?? 0),
    supplierReturns: rows.map((r) => ({ ...r, units: units.get(r.id) ?? 0 })),
  };
}

export async function listDisposals(
  ctx: Ctx,
  query: Paging & {
    from?: string | undefined;
    to?: string | undefined;
    productId?: string | undefined;
    warehouseId?: string | undefined;
  },
): Promise<{ total: number; disposals: DisposalSummary[] }> {
  const sites = scope(ctx);
  let q = ctx.db.selectFrom('sales_disposal as d');
  if (sites !== 'all') q = q.where('d.site', 'in', sites);
  if (query.from !== undefined) q = q.where('d.disposalDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('d.disposalDate', '<=', query.to);
  if (query.warehouseId !== undefined) q = q.where('d.warehouseId', '=', query.warehouseId);
  if (query.productId !== undefined) {
    const productId = query.productId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('sales_stock_line as l')
          .select('l.id')
          .whereRef('l.docId', '=', 'd.id')
          .where('l.productId', '=', productId),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const { limit, offset } = paging(query);
  const rows = await q
    .select(['d.id', 'd.disposalNo', 'd.disposalDate', 'd.warehouseCode', 'd.method', 'd.reason', 'd.signerName'])
    .orderBy('d.disposalDate', 'desc')
    .orderBy('d.disposalNo', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const units = await unitsOf(
    ctx,
    'stock',
    rows.map((r) => r.id),
  );
  return {
    total: Number(total?.n ?? 0),
    disposals: rows.map((r) => ({ ...r, units: units.get(r.id) ?? 0 })),
  };
}
