import {
  BreakGlassGrantListResponse,
  BreakGlassGrantResponse,
  BreakGlassRecordsResponse,
  PatientRevealResponse,
  UsageRecordListResponse,
  UsageRecordResponse,
  type AmendUsageInput,
  type BreakGlassRequestInput,
  type BreakGlassReviewInput,
  type RecordUsageInput,
  type UsageListQuery,
} from '@medledger/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiJson } from './client';
import { search } from './query-string';

export const USAGE_READ_PERMISSION = 'clinical.usage.read';
export const USAGE_RECORD_PERMISSION = 'clinical.usage.record';
export const PATIENT_READ_PERMISSION = 'clinical.patient.read';
export const PATIENT_REVEAL_PERMISSION = 'clinical.patient.reveal';
export const BREAK_GLASS_PERMISSION = 'clinical.breakGlass.use';
export const BREAK_GLASS_REVIEW_PERMISSION = 'clinical.breakGlass.review';

/** Every clinical answer lives under this key; any change refreshes all of them. */
export const clinicalKey = ['clinical'] as const;

const enc = encodeURIComponent;
const BASE = '/clinical';

export function useUsageRecords(filters: UsageListQuery) {
  return useQuery({
    queryKey: [...clinicalKey, 'usage', filters],
    queryFn: ({ signal }) =>
      apiJson(`${BASE}/usage-records${search({ ...filters })}`, UsageRecordListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useUsageRecord(id: string) {
  return useQuery({
    queryKey: [...clinicalKey, 'usage-record', id],
    queryFn: ({ signal }) => apiJson(`${BASE}/usage-records/${enc(id)}`, UsageRecordResponse, { signal }),
    retry: false,
  });
}

/** Records a procedure's devices by their raw scans; operator and time come from the server. */
export function recordUsage(input: RecordUsageInput) {
  return apiJson(`${BASE}/usage-records`, UsageRecordResponse, { method: 'POST', body: input });
}

/** The patient identifiers in clear, for a stated purpose; the server audits every reveal. */
export function revealPatient(id: string, purpose: string) {
  return apiJson(`${BASE}/usage-records/${enc(id)}/patient-reveal`, PatientRevealResponse, {
    method: 'POST',
    body: { purpose },
  });
}

/** Exact match on the ID or record number (sent in the body, never in the address). */
export function searchPatient(input: { idNumber?: string; medicalRecordNo?: string }) {
  return apiJson(`${BASE}/patient-search`, UsageRecordListResponse, { method: 'POST', body: input });
}

export function requestBreakGlass(input: BreakGlassRequestInput) {
  return apiJson(`${BASE}/break-glass`, BreakGlassGrantResponse, { method: 'POST', body: input });
}

export function useMyBreakGlass(enabled: boolean) {
  return useQuery({
    queryKey: [...clinicalKey, 'break-glass', 'mine'],
    queryFn: ({ signal }) => apiJson(`${BASE}/break-glass/mine`, BreakGlassGrantListResponse, { signal }),
    enabled,
  });
}

/** Records under a live grant (patient in clear); each load is audited with the grant id. */
export function useBreakGlassRecords(id: string) {
  return useQuery({
    queryKey: [...clinicalKey, 'break-glass', id, 'records'],
    queryFn: ({ signal }) => apiJson(`${BASE}/break-glass/${enc(id)}/records`, BreakGlassRecordsResponse, { signal }),
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export function useBreakGlassReviews(state: 'open' | 'closed' | undefined) {
  return useQuery({
    queryKey: [...clinicalKey, 'break-glass', 'reviews', state],
    queryFn: ({ signal }) =>
      apiJson(`${BASE}/break-glass/reviews${search({ state })}`, BreakGlassGrantListResponse, { signal }),
  });
}

export function reviewBreakGlass(id: string, input: BreakGlassReviewInput) {
  return apiJson(`${BASE}/break-glass/${enc(id)}/review`, BreakGlassGrantResponse, { method: 'POST', body: input });
}

/** A correction as a new version with its reason; parts left out stay as they were. */
export function amendUsage(id: string, input: AmendUsageInput) {
  return apiJson(`${BASE}/usage-records/${enc(id)}/amendments`, UsageRecordResponse, { method: 'POST', body: input });
}
