import {
  ClimateListResponse,
  ClimateResponse,
  LotResponse,
  MovementListResponse,
  StockResponse,
  type GspZone,
  type StockRow,
} from '@medledger/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiJson } from './client';
import { search } from './query-string';

export const STOCK_READ_PERMISSION = 'inventory.stock.read';
export const LOT_HOLD_PERMISSION = 'inventory.lot.hold';
export const CLIMATE_RECORD_PERMISSION = 'inventory.climate.record';

/** Every inventory answer lives under this key. */
export const inventoryKey = ['inventory'] as const;

export type StockState = StockRow['state'];
export type ClimateView = z.infer<typeof ClimateListResponse>['records'][number];
export type MovementView = z.infer<typeof MovementListResponse>['movements'][number];

export interface StockFilters {
  productId?: string | undefined;
  warehouseId?: string | undefined;
  zone?: GspZone | undefined;
  state?: StockState | undefined;
  lot?: string | undefined;
}

const enc = encodeURIComponent;

export function useStock(filters: StockFilters) {
  return useQuery({
    queryKey: [...inventoryKey, 'stock', filters],
    queryFn: ({ signal }) => apiJson(`/inventory/stock${search({ ...filters })}`, StockResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useLotMovements(lotId: string | null) {
  return useQuery({
    queryKey: [...inventoryKey, 'movements', lotId],
    queryFn: ({ signal }) =>
      apiJson(`/inventory/movements${search({ lotId: lotId ?? '' })}`, MovementListResponse, { signal }),
    enabled: lotId !== null,
  });
}

/** Quality hold (stop sale) or release of a lot, with a reason. */
export function setLotHold(lotId: string, hold: boolean, reason: string) {
  return apiJson(`/inventory/lots/${enc(lotId)}/${hold ? 'hold' : 'release'}`, LotResponse, {
    method: 'POST',
    body: { reason },
  });
}

export function useClimate(filters: {
  areaId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}) {
  return useQuery({
    queryKey: [...inventoryKey, 'climate', filters],
    queryFn: ({ signal }) => apiJson(`/inventory/climate${search({ ...filters })}`, ClimateListResponse, { signal }),
  });
}

export function recordClimate(input: { areaId: string; temperature: number; humidity: number; note?: string }) {
  return apiJson('/inventory/climate', ClimateResponse, { method: 'POST', body: input });
}
