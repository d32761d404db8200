import {
  DisposalListQuery,
  DisposalListResponse,
  LedgerFilterQuery,
  ReturnListQuery,
  ReturnListResponse,
  SupplierReturnListQuery,
  SupplierReturnListResponse,
  SupplierReturnLedgerResponse,
} from '@medledger/contract';
import { ledgerExportRoute, type LedgerLoader } from '../inventory/index.js';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { returnLedger, reviewLedger, salesLedger, supplierReturnLedger } from './sales.ledgers.js';
import { listDisposals, listReturns, listSupplierReturns } from './sales.lists.js';

/**
 * Exports of the sales, outbound review and return ledgers, the return-to-supplier ledger, and
 * the lists of customer returns, supplier returns and disposals (docs/decisions/0026-gsp-ledgers.md).
 */

const sales: LedgerLoader = (ctx, f, limit) => salesLedger(ctx, f, limit);
const reviews: LedgerLoader = (ctx, f, limit) => reviewLedger(ctx, f, limit);
const returns: LedgerLoader = (ctx, f, limit) => returnLedger(ctx, f, limit);
const supplierReturns: LedgerLoader = (ctx, f, limit) => supplierReturnLedger(ctx, f, limit);

export const salesLedgerRoutes: AnyRouteDef[] = [
  ledgerExportRoute('sales', sales),
  ledgerExportRoute('outbound-review', reviews),
  ledgerExportRoute('customer-returns', returns),
  route({
    method: 'GET',
    url: '/api/v1/sales/ledgers/supplier-returns',
    permission: 'sales.ledger.read',
    summary: 'Return-to-supplier record (GSP art. 107) by return date, supplier, product, lot and warehouse',
    query: LedgerFilterQuery,
    response: SupplierReturnLedgerResponse,
    handler: (ctx, { query }) => supplierReturnLedger(ctx, query),
  }),
  ledgerExportRoute('supplier-returns', supplierReturns),
  route({
    method: 'GET',
    url: '/api/v1/sales/returns',
    permission: 'sales.order.read',
    summary: 'Customer returns of my sites by return date, customer, product, warehouse and status (paged)',
    query: ReturnListQuery,
    response: ReturnListResponse,
    handler: (ctx, { query }) => listReturns(ctx, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/sales/supplier-returns',
    permission: 'sales.order.read',
    summary: 'Returns to suppliers of my sites by date, supplier, product and warehouse (paged)',
    query: SupplierReturnListQuery,
    response: SupplierReturnListResponse,
    handler: (ctx, { query }) => listSupplierReturns(ctx, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/sales/disposals',
    permission: 'sales.order.read',
    summary: 'Disposal (destruction) records of my sites by date, product and warehouse (paged)',
    query: DisposalListQuery,
    response: DisposalListResponse,
    handler: (ctx, { query }) => listDisposals(ctx, query),
  }),
];
