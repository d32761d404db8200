export type SetupTokenTable = {
  id: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  consumedAt: string | null;
  revokedAt: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    setup_token: SetupTokenTable;
  }
}
