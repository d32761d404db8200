import {
  ApproveImportResponse,
  CSV_MEDIA_TYPE,
  ErrorResponse,
  ImportResponse,
  XLSX_MEDIA_TYPE,
  type ImportKind,
  type ImportView,
  type SheetFormat,
} from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { API_BASE, ApiError, apiJson } from './client';

export const MD_IMPORT_EDIT_PERMISSION = 'master-data.record.edit';
export const MD_IMPORT_APPROVE_PERMISSION = 'master-data.change.approve';

/** Under the master-data key, so a commit or an approval refreshes every master-data list too. */
export const mdImportKey = ['masterData', 'imports'] as const;

/** How often a running validation or commit is asked for its progress. */
export const IMPORT_POLL_MS = 700;

export const isRunning = (view: ImportView | undefined): boolean =>
  view?.status === 'validating' || view?.status === 'committing';

/** One import; polled while its validation or commit runs. */
export function useImport(importId: string | null) {
  return useQuery({
    queryKey: [...mdImportKey, importId],
    queryFn: async ({ signal }) =>
      (await apiJson(`/master-data/imports/${encodeURIComponent(importId!)}`, ImportResponse, { signal })).import,
    enabled: importId !== null,
    refetchInterval: (query) => (isRunning(query.state.data) ? IMPORT_POLL_MS : false),
  });
}

async function failure(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text()) as unknown;
  } catch {
    body = undefined;
  }
  const parsed = ErrorResponse.safeParse(body);
  if (parsed.success) {
    const { code, message, requestId, issues } = parsed.data;
    return new ApiError({ status: response.status, code, message, requestId, issues });
  }
  return new ApiError({ status: response.status, code: 'unknown', message: `HTTP ${response.status}` });
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${API_BASE}${path}`, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError({ status: 0, code: 'network', message: 'network error' });
  }
}

/** The spreadsheet format of a chosen file, by its name; null for anything else. */
export function formatOfFile(name: string): SheetFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Sends the file itself as the request body; the server checks it and answers with the import. */
export async function uploadImport(kind: ImportKind, file: File): Promise<ImportView> {
  const format = formatOfFile(file.name);
  if (format === null) throw new ApiError({ status: 415, code: 'unsupported_media_type', message: 'not xlsx or csv' });
  const response = await send(`/master-data/imports?kind=${kind}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': format === 'xlsx' ? XLSX_MEDIA_TYPE : CSV_MEDIA_TYPE },
    body: file,
  });
  if (!response.ok) throw await failure(response);
  const parsed = ImportResponse.safeParse(await response.json());
  if (!parsed.success) throw new ApiError({ status: 200, code: 'unknown', message: 'unexpected response body' });
  return parsed.data.import;
}

export async function commitImport(importId: string, reason: string): Promise<ImportView> {
  const { import: view } = await apiJson(
    `/master-data/imports/${encodeURIComponent(importId)}/commit`,
    ImportResponse,
    {
      method: 'POST',
      body: { reason },
    },
  );
  return view;
}

/** One signature for every pending proposal of the import: a code, or (left out) a passkey confirmation just made. */
export function approveImport(importId: string, note: string, code?: string) {
  return apiJson(`/master-data/imports/${encodeURIComponent(importId)}/approve`, ApproveImportResponse, {
    method: 'POST',
    body: code === undefined ? { note } : { note, code },
  });
}

/** The file name of a download, from `filename*=UTF-8''…` when the server sent one. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return fallback;
    }
  }
  return fallback;
}

/** How long the object URL outlives the click. */
const REVOKE_DELAY_MS = 1000;

/**
 * Downloads a file answer of the API (a template or an export) and saves it; the object URL exists
 * only for this one download.
 */
export async function downloadApiFile(path: string, fallbackName: string): Promise<void> {
  const response = await send(path, { method: 'GET' });
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
  }
}

export const templatePath = (kind: ImportKind, format: SheetFormat) =>
  `/master-data/import/template?kind=${kind}&format=${format}`;
export const exportPath = (kind: ImportKind, format: SheetFormat) => `/master-data/${kind}/export?format=${format}`;
