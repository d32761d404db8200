/** An account that confirmed its phone with a code and signs in with text-message codes (AUTH-15). */
export type MfaSmsTable = {
  userId: string;
  /** Keyed blind index of the number the code was sent to: another number on record is not verified. */
  phoneIndex: string;
  confirmedAt: string;
};

export type SmsCodePurpose = 'login' | 'enrol';

/**
 * One text-message code, bound to the pending sign-in (auth_session) it was sent for. Only a keyed
 * hash of (session id, code) is stored; the code itself exists only in the message.
 */
export type SmsCodeTable = {
  id: string;
  sessionId: string;
  userId: string;
  purpose: SmsCodePurpose;
  /** Keyed blind index of the phone number: the daily limit counts per number as well as per account. */
  phoneIndex: string;
  codeHash: string;
  attempts: number;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  /** Set when a newer code replaced this one, or when sending it failed. */
  voidedAt: string | null;
};

/** The development outbox: messages the `outbox` provider "sent". Recipient and text are sealed. */
export type SmsOutboxTable = {
  id: string;
  toMasked: string;
  toSealed: string;
  textSealed: string;
  createdAt: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    mfa_sms: MfaSmsTable;
    sms_code: SmsCodeTable;
    sms_outbox: SmsOutboxTable;
  }
}
