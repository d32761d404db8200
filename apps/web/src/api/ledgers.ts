import {
  DisposalListResponse,
  DisposalResponse,
  LEDGERS,
  LedgerRowsResponse,
  ReturnListResponse,
  SupplierReturnListResponse,
  SupplierReturnResponse,
  type LedgerExportFormat,
  type LedgerKind,
  type TransportInput,
} from '@medledger/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { API_BASE, apiJson } from './client';
import { downloadApiFile } from './md-import';
import { search } from './query-string';

/** Every answer of this file lives under the sales or inventory keys, so their changes refresh it. */
export const ledgersKey = ['ledgers'] as const;

export const DISPOSAL_CREATE_PERMISSION = 'sales.disposal.create';
export const SUPPLIER_RETURN_CREATE_PERMISSION = 'sales.supplierReturn.create';
export const STOCK_MOVE_PERMISSION = 'inventory.stock.move';
export const MOVEMENT_REVERSE_PERMISSION = 'inventory.movement.reverse';

export type LedgerRow = z.infer<typeof LedgerRowsResponse>['rows'][number];

/** The shared ledger filters (China calendar days, product, lot, party, warehouse). */
export interface LedgerFilters {
  from?: string | undefined;
  to?: string | undefined;
  productId?: string | undefined;
  lot?: string | undefined;
  partyId?: string | undefined;
  warehouseId?: string | undefined;
}

/** API path of a ledger below `/api/v1`. */
const pathOf = (kind: LedgerKind) => LEDGERS[kind].path.slice(API_BASE.length);

export function useLedgerRows(kind: LedgerKind, filters: LedgerFilters, enabled = true) {
  return useQuery({
    queryKey: [...ledgersKey, kind, filters],
    queryFn: ({ signal }) => apiJson(`${pathOf(kind)}${search({ ...filters })}`, LedgerRowsResponse, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The export URL of a ledger (below `/api/v1`) with the filters and the format. */
export const ledgerExportPath = (kind: LedgerKind, format: LedgerExportFormat, filters: LedgerFilters) =>
  `${pathOf(kind)}/export${search({ format, ...filters })}`;

/** Downloads a ledger export; refusals (row limit, permission) arrive as ApiError. */
export function downloadLedger(kind: LedgerKind, format: LedgerExportFormat, filters: LedgerFilters) {
  return downloadApiFile(ledgerExportPath(kind, format, filters), `${LEDGERS[kind].zh}.${format}`);
}

// ---------------------------------------------------------------------------------------------
// Lists and documents

interface ListFilters {
  from?: string | undefined;
  to?: string | undefined;
  warehouseId?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export function useCustomerReturns(filters: ListFilters & { status?: 'received' | 'inspected' | undefined }) {
  return useQuery({
    queryKey: ['sales', 'returns', filters],
    queryFn: ({ signal }) => apiJson(`/sales/returns${search({ ...filters })}`, ReturnListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSupplierReturns(filters: ListFilters & { supplierId?: string | undefined }) {
  return useQuery({
    queryKey: ['sales', 'supplier-returns', filters],
    queryFn: ({ signal }) =>
      apiJson(`/sales/supplier-returns${search({ ...filters })}`, SupplierReturnListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSupplierReturn(id: string | null) {
  return useQuery({
    queryKey: ['sales', 'supplier-return', id],
    queryFn: ({ signal }) =>
      apiJson(`/sales/supplier-returns/${encodeURIComponent(id ?? '')}`, SupplierReturnResponse, { signal }),
    enabled: id !== null,
  });
}

export type StockItem = { lotId: string; locationId: string; quantity: number };

export function createSupplierReturn(input: {
  supplierId: string;
  reason: string;
  transport: TransportInput;
  items: StockItem[];
}) {
  return apiJson('/sales/supplier-returns', SupplierReturnResponse, { method: 'POST', body: input });
}

export function useDisposals(filters: ListFilters) {
  return useQuery({
    queryKey: ['sales', 'disposals', filters],
    queryFn: ({ signal }) => apiJson(`/sales/disposals${search({ ...filters })}`, DisposalListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDisposal(id: string | null) {
  return useQuery({
    queryKey: ['sales', 'disposal', id],
    queryFn: ({ signal }) => apiJson(`/sales/disposals/${encodeURIComponent(id ?? '')}`, DisposalResponse, { signal }),
    enabled: id !== null,
  });
}

export function createDisposal(input: {
  method: string;
  reason: string;
  witnesses: string[];
  items: StockItem[];
  code?: string;
}) {
  return apiJson('/sales/disposals', DisposalResponse, { method: 'POST', body: input });
}

/** Moves stock between two locations of the same zone. */
export function transferStock(input: {
  lotId: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  note?: string;
}) {
  return apiJson('/inventory/transfers', z.object({ ok: z.literal(true) }), { method: 'POST', body: input });
}

/** Reverses one stock movement with a reason (the original is kept). */
export function reverseMovement(movementId: string, reason: string) {
  return apiJson(
    `/inventory/movements/${encodeURIComponent(movementId)}/reversal`,
    z.object({ reversalId: z.string() }),
    {
      method: 'POST',
      body: { reason },
    },
  );
}
