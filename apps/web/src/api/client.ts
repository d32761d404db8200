import {
  ErrorResponse,
  FILE_NAME_HEADER,
  STORED_FILE_MEDIA_TYPES,
  type ErrorCode,
  type ValidationIssue,
} from '@medledger/contract';
import type { z } from 'zod';

export const API_BASE = '/api/v1';

/** `network`: the server could not be reached; `unknown`: the answer was not a MedLedger API response. */
export type ApiErrorCode = ErrorCode | 'network' | 'unknown';

/** A failed API call. `status` is 0 when no HTTP response arrived. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly requestId: string | undefined;
  readonly issues: ValidationIssue[];

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    message: string;
    requestId?: string | undefined;
    issues?: ValidationIssue[] | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.issues = init.issues ?? [];
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Sent as JSON. Leave out for requests without a body. */
  body?: unknown;
  /** A file sent as the raw body of an upload route (instead of `body`); the server checks its content. */
  upload?: { data: Blob; fileName: string };
  signal?: AbortSignal;
}

/**
 * The Content-Type an upload is sent with: the browser's guess when it is one the server accepts,
 * else `application/octet-stream` (which claims nothing; the server decides from the content).
 */
export function uploadContentType(data: Blob): string {
  return (STORED_FILE_MEDIA_TYPES as readonly string[]).includes(data.type) ? data.type : 'application/octet-stream';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Calls `/api/v1{path}` on the same origin and returns the parsed JSON body; throws {@link ApiError}. */
export async function apiRequest(path: string, options: RequestOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'same-origin', headers };
  if (options.upload !== undefined) {
    headers['content-type'] = uploadContentType(options.upload.data);
    headers[FILE_NAME_HEADER] = encodeURIComponent(options.upload.fileName);
    init.body = options.upload.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network', message: 'network error' });
  }

  const body = await readJson(response);
  if (response.ok) return body;

  const parsed = ErrorResponse.safeParse(body);
  if (parsed.success) {
    const { code, message, requestId, issues } = parsed.data;
    throw new ApiError({ status: response.status, code, message, requestId, issues });
  }
  throw new ApiError({ status: response.status, code: 'unknown', message: `HTTP ${response.status}` });
}

/** Like {@link apiRequest}, and checks the success body against `schema`. */
export async function apiJson<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T> {
  const body = await apiRequest(path, options);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError({ status: 200, code: 'unknown', message: 'unexpected response body' });
  return parsed.data;
}

/**
 * Uploads one file (a `File` from an input or a drop) to an upload route with POST and checks the
 * answer against `schema`. Refusals arrive as {@link ApiError} with codes such as
 * `upload_type_refused`, `upload_too_large`, `upload_malformed` or `upload_unsafe`.
 */
export function apiUpload<T>(path: string, file: File, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return apiJson(path, schema, {
    method: 'POST',
    upload: { data: file, fileName: file.name },
    ...(signal ? { signal } : {}),
  });
}
