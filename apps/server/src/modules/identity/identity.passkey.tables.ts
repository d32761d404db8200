import type { ColumnType } from 'kysely';

/**
 * AUTH-17: a passkey as the server knows it. The public key (COSE, base64url) and counters only:
 * the fingerprint, face or PIN that unlocks the private key never leaves the user's device.
 */
export type WebauthnCredentialTable = {
  id: string;
  userId: string;
  /** The credential id the authenticator chose (base64url), unique across all users. */
  credentialId: string;
  /** COSE_Key of the credential's public key, base64url. */
  publicKey: string;
  /** The last signature counter seen; non-zero counters must increase (AUTH-16). */
  counter: ColumnType<number | string, number, number>;
  /** JSON array of transport hints, e.g. ["internal","hybrid"]. */
  transports: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
};

/** The ceremony a challenge was issued for; a challenge verifies only the same ceremony. */
export type PasskeyCeremony = 'enrol' | 'add' | 'login' | 'mfa' | 'step_up';

/** AUTH-16: server-generated challenges, single use, short-lived, bound to a ceremony and session. */
export type WebauthnChallengeTable = {
  id: string;
  purpose: PasskeyCeremony;
  challenge: string;
  userId: string | null;
  sessionId: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    webauthn_credential: WebauthnCredentialTable;
    webauthn_challenge: WebauthnChallengeTable;
  }
}
