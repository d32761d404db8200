import type { Generated } from 'kysely';

export type SetupTokenTable = {
  id: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  consumedAt: string | null;
  revokedAt: string | null;
};

export type UserStatus = 'active' | 'disabled';

export type UserAccountTable = {
  id: string;
  /** As entered, for display. */
  login: string;
  /** Lower-cased, NFKC-normalised login: the unique key (no look-alike duplicates). */
  loginKey: string;
  name: string;
  email: string | null;
  /** Sealed by `keys` (PI). */
  phoneSealed: string | null;
  organisation: string | null;
  employmentEndsAt: string | null;
  /** Until role assignments exist (access module), the first administrator's bootstrap role. */
  bootstrapRole: string | null;
  status: UserStatus;
  passwordHash: string | null;
  passwordChangedAt: string | null;
  failedLogins: Generated<number>;
  lastFailedLoginAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  /** Why the account was disabled (an administrator's reason, `dormant`, `employment ended`). */
  disabledReason: string | null;
  disabledAt: string | null;
  /** The administrator who created the account; null for the first administrator. */
  createdBy: string | null;
  /** AUTH-23: creation or the last re-enabling; dormancy counts from this or the last sign-in. */
  activeSince: string;
  createdAt: string;
  updatedAt: string;
};

export type PasswordLinkPurpose = 'invite' | 'reset';

/** AUTH-18: a single-use link to set a password; only the token's SHA-256 is stored. */
export type PasswordLinkTable = {
  id: string;
  userId: string;
  purpose: PasswordLinkPurpose;
  tokenHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
};

/** dengbao AUTH-03: earlier password hashes, so the last five are not reused. */
export type PasswordHistoryTable = {
  id: string;
  userId: string;
  passwordHash: string;
  createdAt: string;
};

/** AUTH-20: what the user is told about their account (new device, factor changes, resets…). */
export type UserNotificationTable = {
  id: string;
  userId: string;
  kind: string;
  /** JSON object with the details (never secrets). */
  data: string;
  createdAt: string;
  readAt: string | null;
};

export type SessionStage = 'password' | 'enrol_totp' | 'change_password' | 'complete';

export type AuthSessionTable = {
  id: string;
  /** SHA-256 (hex) of the 256-bit session token; the token lives only in the cookie. */
  tokenHash: string;
  userId: string;
  stage: SessionStage;
  authMethod: string | null;
  privileged: number;
  mfaFailures: Generated<number>;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  authenticatedAt: string | null;
  /** How the last step-up confirmed the user (`totp`, `passkey`); a passkey one signs once. */
  reauthMethod: string | null;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
};

export type MfaTotpTable = {
  userId: string;
  /** The 20-byte secret (base32), sealed by `keys`. */
  secretSealed: string;
  /** The last accepted time step: a code is usable once (AUTH-13). */
  lastStep: Generated<number>;
  confirmedAt: string | null;
  createdAt: string;
};

export type RecoveryCodeTable = {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: string;
  usedAt: string | null;
};

/** GSP-04: who signed what, meaning what, when; the record itself is bound by its hash. */
export type ESignatureTable = {
  id: string;
  userId: string;
  signerName: string;
  signerLogin: string;
  meaning: string;
  subjectType: string;
  subjectId: string;
  /** SHA-256 (hex) of the record's canonical JSON at signing time. */
  recordHash: string;
  method: string;
  signedAt: string;
  /** The audit event that records the signature in the tamper-evident trail. */
  auditEventId: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    setup_token: SetupTokenTable;
    user_account: UserAccountTable;
    auth_session: AuthSessionTable;
    mfa_totp: MfaTotpTable;
    recovery_code: RecoveryCodeTable;
    e_signature: ESignatureTable;
    password_link: PasswordLinkTable;
    password_history: PasswordHistoryTable;
    user_notification: UserNotificationTable;
  }
}

/** Columns sealed by `keys` in this module; key rotation rewraps them (the id column names the row). */
export const IDENTITY_SEALED_COLUMNS = [
  { table: 'user_account', column: 'phoneSealed', idColumn: 'id' },
  { table: 'mfa_totp', column: 'secretSealed', idColumn: 'userId' },
  { table: 'sms_outbox', column: 'toSealed', idColumn: 'id' },
  { table: 'sms_outbox', column: 'textSealed', idColumn: 'id' },
] as const;
