import { z } from 'zod';

/**
 * Every error code the API can answer with. The web UI and the CLI branch on `code`, never on the
 * message text, and translate it for the user. Codes are snake_case and never renamed.
 */
export const ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'upload_type_refused',
  'upload_too_large',
  'upload_malformed',
  'upload_unsafe',
  'unauthenticated',
  'forbidden',
  'training_required',
  'admin_network_refused',
  'admin_passkey_required',
  'purpose_required',
  'cross_origin_rejected',
  'not_found',
  'method_not_allowed',
  'conflict',
  'qualification_blocked',
  'setup_token_invalid',
  'link_invalid',
  'invalid_credentials',
  'step_up_required',
  'sms_not_allowed',
  'sms_code_expired',
  'sms_limit_reached',
  'sms_risk_not_acknowledged',
  'integrity_failed',
  'rate_limited',
  'service_unavailable',
  'internal',
  'export_too_large',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each error code; the server's error handler uses this table only. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  upload_type_refused: 415,
  upload_too_large: 413,
  upload_malformed: 400,
  upload_unsafe: 400,
  unauthenticated: 401,
  forbidden: 403,
  training_required: 403,
  admin_network_refused: 403,
  admin_passkey_required: 403,
  purpose_required: 403,
  cross_origin_rejected: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  qualification_blocked: 409,
  setup_token_invalid: 410,
  link_invalid: 410,
  invalid_credentials: 401,
  step_up_required: 401,
  sms_not_allowed: 403,
  sms_code_expired: 410,
  sms_limit_reached: 429,
  sms_risk_not_acknowledged: 400,
  integrity_failed: 500,
  rate_limited: 429,
  service_unavailable: 503,
  internal: 500,
  export_too_large: 422,
};

/** A field-level validation problem: where (`path`, dot-joined) and what is wrong. */
export const ValidationIssue = z.object({
  /** `body`, `query` or `params`, followed by the field path, e.g. `body.items.0.qty`. */
  path: z.string(),
  message: z.string(),
  /** A stable reason the UI can translate (e.g. a password-policy problem: `too_short`, `common`). */
  code: z.string().optional(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** The body of every error response. Never contains stack traces, SQL or file paths. */
export const ErrorResponse = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  requestId: z.string(),
  issues: z.array(ValidationIssue).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
