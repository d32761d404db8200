import { z } from 'zod';

/** `GET /healthz`: deliberately minimal, no versions or internals. */
export const HealthResponse = z.object({ status: z.enum(['ok', 'degraded']) });
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `GET /api/v1/system/info` (permission `system.info.read`). */
export const SystemInfoResponse = z.object({
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  migrations: z.object({ applied: z.number().int(), pending: z.number().int() }),
  startedAt: z.string(),
  /**
   * TRN-03: the server's TLS certificate (null when this process does not terminate TLS itself);
   * `expiresSoon` from 30 days before notAfter, when system administrators are warned.
   */
  tls: z
    .object({
      subject: z.string(),
      notAfter: z.string(),
      configured: z.boolean(),
      daysLeft: z.number().int(),
      expiresSoon: z.boolean(),
      expired: z.boolean(),
    })
    .nullable(),
});
export type SystemInfoResponse = z.infer<typeof SystemInfoResponse>;

/** A one-time setup token: 32 random bytes, base64url without padding (43 characters). */
export const SetupToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 43-character setup token printed by the server');

/** `POST /api/v1/setup/token/check`: is this setup token valid? It is not consumed. */
export const CheckSetupTokenInput = z.strictObject({ token: SetupToken });
export type CheckSetupTokenInput = z.infer<typeof CheckSetupTokenInput>;

export const CheckSetupTokenResponse = z.object({
  valid: z.literal(true),
  expiresAt: z.string(),
});
export type CheckSetupTokenResponse = z.infer<typeof CheckSetupTokenResponse>;

/** The languages of the UI and of user-facing messages. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
