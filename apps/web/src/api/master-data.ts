import {
  ChangeListResponse,
  ChangeResponse,
  ExpiryResponse,
  PartyListResponse,
  PartyResponse,
  ProductListResponse,
  ProductResponse,
  TradeCheckResponse,
  WarehouseListResponse,
  WarehouseResponse,
  type DecideChangeInput,
  type DeviceClass,
  type GspZone,
  type ProposePartyInput,
  type ProposeProductInput,
  type RecordStatus,
  type StorageCondition,
} from '@medledger/contract';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiJson } from './client';

export const MD_READ_PERMISSION = 'master-data.record.read';
export const MD_EDIT_PERMISSION = 'master-data.record.edit';
export const MD_APPROVE_PERMISSION = 'master-data.change.approve';
export const MD_WAREHOUSE_PERMISSION = 'master-data.warehouse.manage';

/** Every master-data answer lives under this key; a proposal or a decision refreshes all of them. */
export const masterDataKey = ['masterData'] as const;

export type PartyRole = 'supplier' | 'manufacturer' | 'customer';
export type PartyFilters = {
  q?: string | undefined;
  role?: PartyRole | undefined;
  status?: RecordStatus | undefined;
  page: number;
  pageSize: number;
};
export type ProductFilters = {
  q?: string | undefined;
  deviceClass?: DeviceClass | undefined;
  status?: RecordStatus | undefined;
  page: number;
  pageSize: number;
};
export type ChangeFilters = {
  status?: 'pending' | 'approved' | 'rejected' | undefined;
  entity?: 'party' | 'product' | undefined;
  entityId?: string | undefined;
};

export type ChangeDetail = z.infer<typeof ChangeResponse>['change'];
export type ExpiryAnswer = z.infer<typeof ExpiryResponse>;
export type TradeDirection = 'purchase' | 'sale';

const enc = encodeURIComponent;

/** `?a=1&b=2` from the defined values, or '' when there are none. */
function search(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function partyListQuery(filters: PartyFilters) {
  return queryOptions({
    queryKey: [...masterDataKey, 'parties', filters],
    queryFn: ({ signal }) => apiJson(`/master-data/parties${search(filters)}`, PartyListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export const useParties = (filters: PartyFilters, enabled = true) => useQuery({ ...partyListQuery(filters), enabled });

export function useParty(id: string) {
  return useQuery({
    queryKey: [...masterDataKey, 'party', id],
    queryFn: ({ signal }) => apiJson(`/master-data/parties/${enc(id)}`, PartyResponse, { signal }),
  });
}

/** Files a new party (首营企业): it stays unusable until QA approves it. */
export function proposeParty(input: ProposePartyInput) {
  return apiJson('/master-data/parties', ChangeResponse, { method: 'POST', body: input });
}

/** Proposes a change to a party; the version in force stays until QA approves the change. */
export function proposePartyChange(id: string, input: ProposePartyInput) {
  return apiJson(`/master-data/parties/${enc(id)}/changes`, ChangeResponse, { method: 'POST', body: input });
}

export function productListQuery(filters: ProductFilters) {
  return queryOptions({
    queryKey: [...masterDataKey, 'products', filters],
    queryFn: ({ signal }) => apiJson(`/master-data/products${search(filters)}`, ProductListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export const useProducts = (filters: ProductFilters, enabled = true) =>
  useQuery({ ...productListQuery(filters), enabled });

export function useProduct(id: string) {
  return useQuery({
    queryKey: [...masterDataKey, 'product', id],
    queryFn: ({ signal }) => apiJson(`/master-data/products/${enc(id)}`, ProductResponse, { signal }),
  });
}

export function proposeProduct(input: ProposeProductInput) {
  return apiJson('/master-data/products', ChangeResponse, { method: 'POST', body: input });
}

export function proposeProductChange(id: string, input: ProposeProductInput) {
  return apiJson(`/master-data/products/${enc(id)}/changes`, ChangeResponse, { method: 'POST', body: input });
}

/** Records that the regulator cancelled the registration certificate: the product is blocked at once. */
export function cancelCertificate(id: string, reason: string) {
  return apiJson(`/master-data/products/${enc(id)}/certificate-cancellation`, ProductResponse, {
    method: 'POST',
    body: { reason },
  });
}

/** The QA inbox (`status: 'pending'`) and a record's history (`entityId`). */
export function useChanges(filters: ChangeFilters, enabled = true) {
  return useQuery({
    queryKey: [...masterDataKey, 'changes', filters],
    queryFn: ({ signal }) => apiJson(`/master-data/changes${search(filters)}`, ChangeListResponse, { signal }),
    enabled,
  });
}

export function useChange(id: string | null) {
  return useQuery({
    queryKey: [...masterDataKey, 'change', id],
    queryFn: ({ signal }) => apiJson(`/master-data/changes/${enc(id ?? '')}`, ChangeResponse, { signal }),
    enabled: id !== null,
  });
}

/**
 * QA's decision with an electronic signature: an authenticator `code`, or (left out) a passkey
 * confirmation made just before.
 */
export function decideChange(id: string, input: DecideChangeInput) {
  return apiJson(`/master-data/changes/${enc(id)}/decision`, ChangeResponse, { method: 'POST', body: input });
}

export function checkTrade(input: { direction: TradeDirection; partyId: string; productId: string }) {
  return apiJson('/master-data/trade-check', TradeCheckResponse, { method: 'POST', body: input });
}

export function useExpiry() {
  return useQuery({
    queryKey: [...masterDataKey, 'expiry'],
    queryFn: ({ signal }) => apiJson('/master-data/expiry', ExpiryResponse, { signal }),
  });
}

export function useWarehouses() {
  return useQuery({
    queryKey: [...masterDataKey, 'warehouses'],
    queryFn: ({ signal }) => apiJson('/master-data/warehouses', WarehouseListResponse, { signal }),
  });
}

export function createWarehouse(input: { code: string; name: string; site: string; address: string }) {
  return apiJson('/master-data/warehouses', WarehouseResponse, { method: 'POST', body: input });
}

export function createArea(
  warehouseId: string,
  input: { code: string; name: string; zone: GspZone; storage: StorageCondition },
) {
  return apiJson(`/master-data/warehouses/${enc(warehouseId)}/areas`, WarehouseResponse, {
    method: 'POST',
    body: input,
  });
}

export function createLocation(areaId: string, input: { code: string }) {
  return apiJson(`/master-data/areas/${enc(areaId)}/locations`, WarehouseResponse, { method: 'POST', body: input });
}
