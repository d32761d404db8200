import type { StoredFileMediaType } from '@medledger/contract';

/**
 * One stored file (FILE-02). The bytes live encrypted on disk under `storageKey`, a random name
 * in the files folder; `sealedKey` is the file's data key, sealed by `keys` (AAD binds the row id),
 * and is the only column ever updated (by key rotation's rewrap).
 */
export type StoredFileTable = {
  id: string;
  /** The module and kind of record the file belongs to, e.g. `master-data.party`. */
  ownerKind: string;
  /** That record's id. */
  ownerId: string;
  /** As uploaded, checked (no path separators, no control characters); for display and downloads only. */
  fileName: string;
  /** Detected from the content, never from the request. */
  mediaType: StoredFileMediaType;
  size: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
  /** `<2 hex>/<32 hex>`, relative to the files folder. */
  storageKey: string;
  sealedKey: string;
  uploadedBy: string;
  uploadedByName: string;
  uploadedAt: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    stored_file: StoredFileTable;
  }
}
