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
  createdAt: string;
  updatedAt: string;
};

export type SessionStage = 'password' | 'enrol_totp' | 'complete';

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
  }
}
