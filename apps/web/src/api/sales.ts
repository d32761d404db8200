import {
  DeliverySlip,
  OrderListResponse,
  OrderResponse,
  ReturnResponse,
  ReviewProgressResponse,
  ReviewRecordResponse,
  ShipmentResponse,
  type CreateOrderInput,
  type OrderStatus,
  type ReviewRefusalReason,
  type ShipInput,
} from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { API_BASE, apiJson } from './client';
import { search } from './query-string';

export const SALES_READ_PERMISSION = 'sales.order.read';
export const SO_CREATE_PERMISSION = 'sales.order.create';
export const SO_CANCEL_PERMISSION = 'sales.order.cancel';
export const SO_ALLOCATE_PERMISSION = 'sales.order.allocate';
export const REVIEW_PERMISSION = 'sales.review.perform';
export const SHIP_PERMISSION = 'sales.shipment.create';
export const RETURN_RECEIVE_PERMISSION = 'sales.return.receive';
export const RETURN_INSPECT_PERMISSION = 'sales.return.inspect';

/** Every sales answer lives under this key; any change refreshes all of them. */
export const salesKey = ['sales'] as const;

export type SalesOrderView = z.infer<typeof OrderResponse>['order'];
export type SalesOrderSummary = z.infer<typeof OrderListResponse>['orders'][number];
export type ReviewProgress = z.infer<typeof ReviewProgressResponse>['review'];
export type ReviewRecord = z.infer<typeof ReviewRecordResponse>['review'];
export type ShipmentView = z.infer<typeof ShipmentResponse>['shipment'];
export type ReturnView = z.infer<typeof ReturnResponse>['return'];
export type CustomerReturnInput = {
  orderId: string;
  reason: string;
  transportConditions: string;
  coldChain?: { temperatureRecordChecked: boolean; minTemperature: number; maxTemperature: number };
  items: { scan: string; quantity: number }[];
};
export type InspectReturnInput = {
  lines: { lineId: string; qualified: number; nonconforming: number }[];
  note: string;
  code?: string;
};

export interface SalesOrderFilters {
  status?: OrderStatus | undefined;
  orderNo?: string | undefined;
}

const enc = encodeURIComponent;
const BASE = '/sales';

export function useSalesOrders(filters: SalesOrderFilters) {
  return useQuery({
    queryKey: [...salesKey, 'orders', filters],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders${search({ ...filters })}`, OrderListResponse, { signal }),
  });
}

export function useSalesOrder(id: string) {
  return useQuery({
    queryKey: [...salesKey, 'order', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders/${enc(id)}`, OrderResponse, { signal }),
  });
}

/** A draft order; prices in 分, quantities in minimum sales units (customer qualification checked per line). */
export function createSalesOrder(input: CreateOrderInput) {
  return apiJson(`${BASE}/orders`, OrderResponse, { method: 'POST', body: input });
}

export function confirmSalesOrder(id: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/confirmation`, OrderResponse, { method: 'POST' });
}

export function cancelSalesOrder(id: string, reason: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/cancellation`, OrderResponse, { method: 'POST', body: { reason } });
}

/** FEFO allocation: all lines or none; picked units move into the shipping zone. */
export function allocateSalesOrder(id: string) {
  return apiJson(`${BASE}/orders/${enc(id)}/allocation`, OrderResponse, { method: 'POST' });
}

export function useReviewProgress(orderId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...salesKey, 'review', orderId],
    queryFn: ({ signal }) => apiJson(`${BASE}/reviews/${enc(orderId)}`, ReviewProgressResponse, { signal }),
    enabled,
  });
}

/** Raw scans exactly as the scanner sent them; all are counted or none. */
export function postReviewScans(orderId: string, scans: string[]) {
  return apiJson(`${BASE}/reviews/${enc(orderId)}/scans`, ReviewProgressResponse, {
    method: 'POST',
    body: { scans },
  });
}

export function refuseReviewUnits(
  orderId: string,
  input: { allocationId: string; quantity: number; reason: ReviewRefusalReason; note: string },
) {
  return apiJson(`${BASE}/reviews/${enc(orderId)}/refusals`, ReviewProgressResponse, { method: 'POST', body: input });
}

export function concludeReview(orderId: string, input: { note?: string; code?: string }) {
  return apiJson(`${BASE}/reviews/${enc(orderId)}/conclusion`, ReviewRecordResponse, {
    method: 'POST',
    body: input,
  });
}

export function useReviewRecord(orderId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...salesKey, 'review', orderId, 'record'],
    queryFn: ({ signal }) => apiJson(`${BASE}/reviews/${enc(orderId)}/record`, ReviewRecordResponse, { signal }),
    enabled,
  });
}

export function shipSalesOrder(id: string, input: ShipInput) {
  return apiJson(`${BASE}/orders/${enc(id)}/shipment`, ShipmentResponse, { method: 'POST', body: input });
}

export function useShipment(orderId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...salesKey, 'order', orderId, 'shipment'],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders/${enc(orderId)}/shipment`, ShipmentResponse, { signal }),
    enabled,
  });
}

export function useDeliverySlip(orderId: string) {
  return useQuery({
    queryKey: [...salesKey, 'order', orderId, 'slip'],
    queryFn: ({ signal }) => apiJson(`${BASE}/orders/${enc(orderId)}/delivery-slip`, DeliverySlip, { signal }),
  });
}

/** The printable PDF of the delivery slip: a plain link, the browser downloads it with the session cookie. */
export const deliverySlipPdfUrl = (orderId: string) => `${API_BASE}${BASE}/orders/${enc(orderId)}/delivery-slip.pdf`;

export function receiveCustomerReturn(input: CustomerReturnInput) {
  return apiJson(`${BASE}/returns`, ReturnResponse, { method: 'POST', body: input });
}

export function useCustomerReturn(id: string) {
  return useQuery({
    queryKey: [...salesKey, 'return', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/returns/${enc(id)}`, ReturnResponse, { signal }),
  });
}

export function inspectCustomerReturn(id: string, input: InspectReturnInput) {
  return apiJson(`${BASE}/returns/${enc(id)}/inspection`, ReturnResponse, { method: 'POST', body: input });
}
