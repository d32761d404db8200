import { z } from 'zod';

/**
 * Text-message (SMS) codes as a second factor (AUTH-15), offered only to accounts that may use them
 * (AUTH-11: never to privileged accounts) and that have a phone number on record.
 */

/** Parameters of the SMS code (parameter sheet D3); the web UI shows the countdowns from them. */
export const SMS_CODE = { digits: 6, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60, maxPerDay: 10 } as const;

/** `GET /api/v1/auth/mfa/sms`: can this pending sign-in use a text-message code, and to which number. */
export const SmsStatusResponse = z.object({
  available: z.boolean(),
  /** The number on record with its middle digits hidden (138****0000); null when unavailable. */
  maskedPhone: z.string().nullable(),
  /** Seconds until another code may be sent (0: now). */
  resendInSeconds: z.number().int().min(0),
});
export type SmsStatusResponse = z.infer<typeof SmsStatusResponse>;

/** `POST /api/v1/auth/mfa/sms/send`: a code was sent; the previous one no longer works. */
export const SmsSendResponse = z.object({
  maskedPhone: z.string(),
  expiresInSeconds: z.number().int(),
  resendInSeconds: z.number().int(),
});
export type SmsSendResponse = z.infer<typeof SmsSendResponse>;

/** `POST /api/v1/auth/mfa/sms` and `/api/v1/auth/sms/enrol/confirm`: the 6-digit code. */
export const SmsCodeInput = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'the code has 6 digits') });

/** `GET /api/v1/dev/sms-outbox`: the development outbox (only when the outbox provider is on). */
export const SmsOutboxResponse = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      text: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type SmsOutboxResponse = z.infer<typeof SmsOutboxResponse>;
