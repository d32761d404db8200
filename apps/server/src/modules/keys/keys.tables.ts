export type KeyPurpose = 'field' | 'blind-index' | 'audit-mac' | 'audit-signing';
export const KEY_PURPOSES: readonly KeyPurpose[] = ['field', 'blind-index', 'audit-mac', 'audit-signing'];

export type KeyVersionTable = {
  id: string;
  purpose: KeyPurpose;
  version: number;
  /** base64url(nonce ‖ ciphertext ‖ tag) under the master key; AAD binds purpose and version. */
  wrapped: string;
  state: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    key_version: KeyVersionTable;
  }
}
