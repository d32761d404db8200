import {
  AcceptanceResponse,
  PurchaseOrderListResponse,
  PurchaseOrderResponse,
  ReceiptResponse,
  ScanListResponse,
  ScanResponse,
  type ConcludeInput,
  type OrderDecisionInput,
  type OrderInput,
  type PurchaseOrderStatus,
  type ReceiptInput,
} from '@medledger/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiJson } from './client';
import { search } from './query-string';

export const PROCUREMENT_READ_PERMISSION = 'procurement.record.read';
export const PO_EDIT_PERMISSION = 'procurement.order.edit';
export const PO_APPROVE_PERMISSION = 'procurement.order.approve';
export const RECEIPT_PERMISSION = 'procurement.receipt.record';
export const ACCEPTANCE_SCAN_PERMISSION = 'procurement.acceptance.scan';
export const ACCEPTANCE_CONCLUDE_PERMISSION = 'procurement.acceptance.conclude';

/** Every procurement answer lives under this key; any change refreshes all of them. */
export const procurementKey = ['procurement'] as const;

export type PurchaseOrderSummary = z.infer<typeof PurchaseOrderListResponse>['orders'][number];
export type AcceptanceView = z.infer<typeof AcceptanceResponse>['acceptance'];
export type ScanView = z.infer<typeof ScanListResponse>['scans'][number];
export type ScanAnswer = z.infer<typeof ScanResponse>;

export interface PurchaseOrderFilters {
  status?: PurchaseOrderStatus | undefined;
  page: number;
  pageSize: number;
}

const enc = encodeURIComponent;
const BASE = '/procurement';

export function usePurchaseOrders(filters: PurchaseOrderFilters) {
  return useQuery({
    queryKey: [...procurementKey, 'orders', filters],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders${search({ ...filters })}`, PurchaseOrderListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePurchaseOrder(id: string) {
  return useQuery({
    queryKey: [...procurementKey, 'order', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders/${enc(id)}`, PurchaseOrderResponse, { signal }),
  });
}

/** Drafts a purchase order: numbers, dates, amounts and the product snapshot come from the server. */
export function createPurchaseOrder(input: OrderInput) {
  return apiJson(`${BASE}/orders`, PurchaseOrderResponse, { method: 'POST', body: input });
}

/** Replaces the content of a draft (only while it is a draft). */
export function revisePurchaseOrder(id: string, input: OrderInput) {
  return apiJson(`${BASE}/orders/${enc(id)}`, PurchaseOrderResponse, { method: 'PUT', body: input });
}

export function submitPurchaseOrder(id: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/submit`, PurchaseOrderResponse, { method: 'POST' });
}

/** Approve or return with an electronic signature (`code` left out after a passkey confirmation). */
export function decidePurchaseOrder(id: string, input: OrderDecisionInput) {
  return apiJson(`${BASE}/orders/${enc(id)}/decision`, PurchaseOrderResponse, { method: 'POST', body: input });
}

export function cancelPurchaseOrder(id: string, reason: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/cancel`, PurchaseOrderResponse, { method: 'POST', body: { reason } });
}

export function closePurchaseOrder(id: string, reason: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/close`, PurchaseOrderResponse, { method: 'POST', body: { reason } });
}

export function recordReceipt(orderId: string, input: ReceiptInput) {
  return apiJson(`${BASE}/orders/${enc(orderId)}/receipts`, ReceiptResponse, { method: 'POST', body: input });
}

export function useReceipt(id: string | null) {
  return useQuery({
    queryKey: [...procurementKey, 'receipt', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/receipts/${enc(id ?? '')}`, ReceiptResponse, { signal }),
    enabled: id !== null,
  });
}

export function useAcceptance(id: string) {
  return useQuery({
    queryKey: [...procurementKey, 'acceptance', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/acceptances/${enc(id)}`, AcceptanceResponse, { signal }),
  });
}

export function useAcceptanceScans(id: string) {
  return useQuery({
    queryKey: [...procurementKey, 'acceptance', id, 'scans'],
    queryFn: ({ signal }) => apiJson(`${BASE}/acceptances/${enc(id)}/scans`, ScanListResponse, { signal }),
  });
}

/** Raw scans exactly as the scanner sent them; all are taken or none. */
export function postAcceptanceScans(id: string, scans: string[]) {
  return apiJson(`${BASE}/acceptances/${enc(id)}/scans`, ScanResponse, { method: 'POST', body: { scans } });
}

export function voidAcceptanceScan(id: string, scanId: string, reason: string) {
  return apiJson(`${BASE}/acceptances/${enc(id)}/scans/${enc(scanId)}/void`, AcceptanceResponse, {
    method: 'POST',
    body: { reason },
  });
}

export function concludeAcceptance(id: string, input: ConcludeInput) {
  return apiJson(`${BASE}/acceptances/${enc(id)}/conclude`, AcceptanceResponse, { method: 'POST', body: input });
}
