import {
  AuditEventDetailResponse,
  AuditSearchResponse,
  AuditStatusResponse,
  type AuditOutcome,
  type AuditSearchQuery,
  type Permission,
} from '@medledger/contract';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiJson } from './client';

/** The permission every audit endpoint requires. */
export const AUDIT_READ_PERMISSION: Permission = 'audit.event.read';

/** The search filters the audit page can set; `from`/`to` are ISO datetimes with an offset. */
export interface AuditFilters {
  actor?: string | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const FILTER_KEYS = [
  'actor',
  'action',
  'outcome',
  'resourceType',
  'resourceId',
  'from',
  'to',
] as const satisfies readonly (keyof AuditSearchQuery & keyof AuditFilters)[];

/**
 * The query string for `GET /api/v1/audit/events`. The server rejects unknown keys and empty
 * values do not mean "any", so only filters that are set are sent, in a fixed order.
 */
export function auditSearchParams(filters: AuditFilters, before?: string | null): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  if (before) params.set('before', before);
  return params;
}

export function searchAuditEvents(filters: AuditFilters, before: string | null, signal?: AbortSignal) {
  const params = auditSearchParams(filters, before).toString();
  return apiJson(`/audit/events${params ? `?${params}` : ''}`, AuditSearchResponse, { signal });
}

export function fetchAuditEvent(id: string, signal?: AbortSignal) {
  return apiJson(`/audit/events/${encodeURIComponent(id)}`, AuditEventDetailResponse, { signal });
}

export function fetchAuditStatus(signal?: AbortSignal) {
  return apiJson('/audit/status', AuditStatusResponse, { signal });
}

export const auditQueryKeys = {
  all: ['audit'] as const,
  events: (filters: AuditFilters) => ['audit', 'events', filters] as const,
  event: (id: string | null) => ['audit', 'event', id] as const,
  status: ['audit', 'status'] as const,
};

/** Newest events first, page by page: each further page starts before the last one's cursor. */
export function useAuditEvents(filters: AuditFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditQueryKeys.events(filters),
    queryFn: ({ pageParam, signal }) => searchAuditEvents(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextBefore ?? undefined,
    placeholderData: keepPreviousData,
    // A refetch on focus would reload every page already shown; the refresh button does it on purpose.
    refetchOnWindowFocus: false,
    enabled,
  });
}

/** One event with its canonical bytes and inclusion proof; `id` null means none is open. */
export function useAuditEvent(id: string | null) {
  return useQuery({
    queryKey: auditQueryKeys.event(id),
    queryFn: ({ signal }) => fetchAuditEvent(id ?? '', signal),
    enabled: id !== null,
  });
}

export function useAuditStatus(enabled = true) {
  return useQuery({
    queryKey: auditQueryKeys.status,
    queryFn: ({ signal }) => fetchAuditStatus(signal),
    enabled,
  });
}
