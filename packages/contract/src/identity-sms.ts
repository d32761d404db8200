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

/** `POST /api/v1/auth/mfa/sms`: the 6-digit code. */
export const SmsCodeInput = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'the code has 6 digits') });

/**
 * TRN-03 / D2 (ASVS 6.6.1): the risk notice a user must acknowledge before choosing text-message
 * codes. The version goes into the audit trail with the acknowledgement; raise it when the notice
 * text changes in substance.
 */
export const SMS_RISK_NOTICE_VERSION = 1;

/**
 * The acknowledgement of the SMS risk notice: `true`, never defaulted. Required when the code is
 * sent for an enrolment and when the enrolment is confirmed; not needed for a sign-in code.
 */
export const SmsRiskAcknowledged = z.literal(true, { error: 'acknowledge the text-message risk notice' });

/** `POST /api/v1/auth/mfa/sms/send`: the body is optional; at enrolment it carries the acknowledgement. */
export const SmsSendInput = z.strictObject({ smsRiskAcknowledged: SmsRiskAcknowledged.optional() }).optional();
export type SmsSendInput = z.infer<typeof SmsSendInput>;

/** `POST /api/v1/auth/sms/enrol/confirm`: the code and the acknowledgement of the risk notice. */
export const SmsEnrolConfirmInput = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'the code has 6 digits'),
  smsRiskAcknowledged: SmsRiskAcknowledged.optional(),
});
export type SmsEnrolConfirmInput = z.infer<typeof SmsEnrolConfirmInput>;

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
