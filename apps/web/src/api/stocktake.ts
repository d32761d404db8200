import {
  MaintenanceCheckListResponse,
  MaintenanceCheckResponse,
  MaintenanceDueResponse,
  StocktakeListResponse,
  StocktakeResponse,
  type MaintenanceCheckInput,
  type StocktakeStatus,
} from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiJson } from './client';
import { inventoryKey } from './inventory';
import { search } from './query-string';

export const STOCKTAKE_COUNT_PERMISSION = 'inventory.stocktake.count';
export const STOCKTAKE_APPROVE_PERMISSION = 'inventory.stocktake.approve';
export const MAINTENANCE_RECORD_PERMISSION = 'inventory.maintenance.record';

export type StocktakeSummary = z.infer<typeof StocktakeListResponse>['stocktakes'][number];
export type MaintenanceCheckSummary = z.infer<typeof MaintenanceCheckListResponse>['checks'][number];

const BASE = '/inventory/stocktakes';
const enc = encodeURIComponent;

export function useStocktakes(filters: { status?: StocktakeStatus | undefined }) {
  return useQuery({
    queryKey: [...inventoryKey, 'stocktakes', filters],
    queryFn: ({ signal }) => apiJson(`${BASE}${search({ ...filters })}`, StocktakeListResponse, { signal }),
  });
}

export function useStocktake(id: string) {
  return useQuery({
    queryKey: [...inventoryKey, 'stocktake', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/${enc(id)}`, StocktakeResponse, { signal }),
  });
}

export function openStocktake(input: { warehouseId: string; areaId?: string; note?: string }) {
  return apiJson(BASE, StocktakeResponse, { method: 'POST', body: input });
}

export function scanStocktake(id: string, locationId: string, scans: string[]) {
  return apiJson(`${BASE}/${enc(id)}/scans`, StocktakeResponse, { method: 'POST', body: { locationId, scans } });
}

export function countStocktakeLine(id: string, lineId: string, countedQuantity: number) {
  return apiJson(`${BASE}/${enc(id)}/counts`, StocktakeResponse, {
    method: 'POST',
    body: { lineId, countedQuantity },
  });
}

export function addFoundStock(
  id: string,
  input: {
    productId: string;
    lot: string;
    serial: string | null;
    expiryDate: string | null;
    locationId: string;
    countedQuantity: number;
  },
) {
  return apiJson(`${BASE}/${enc(id)}/found`, StocktakeResponse, { method: 'POST', body: input });
}

export function submitStocktake(id: string) {
  return apiJson(`${BASE}/${enc(id)}/submit`, StocktakeResponse, { method: 'POST' });
}

export function approveStocktake(id: string, input: { note?: string; code?: string | undefined }) {
  return apiJson(`${BASE}/${enc(id)}/approve`, StocktakeResponse, { method: 'POST', body: input });
}

export function cancelStocktake(id: string, reason: string) {
  return apiJson(`${BASE}/${enc(id)}/cancel`, StocktakeResponse, { method: 'POST', body: { reason } });
}

export function rejectStocktake(id: string, reason: string) {
  return apiJson(`${BASE}/${enc(id)}/reject`, StocktakeResponse, { method: 'POST', body: { reason } });
}

export function useMaintenanceDue() {
  return useQuery({
    queryKey: [...inventoryKey, 'maintenance', 'due'],
    queryFn: ({ signal }) => apiJson('/inventory/maintenance-checks/due', MaintenanceDueResponse, { signal }),
  });
}

export function useMaintenanceChecks() {
  return useQuery({
    queryKey: [...inventoryKey, 'maintenance', 'checks'],
    queryFn: ({ signal }) => apiJson('/inventory/maintenance-checks', MaintenanceCheckListResponse, { signal }),
  });
}

export function recordMaintenanceCheck(input: MaintenanceCheckInput) {
  return apiJson('/inventory/maintenance-checks', MaintenanceCheckResponse, { method: 'POST', body: input });
}
