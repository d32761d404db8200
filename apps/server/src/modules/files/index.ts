/**
 * files (layer 2): document uploads and downloads for other modules' records (FILE-01, FILE-02),
 * e.g. the scans of a supplier's licences. Content is checked by magic bytes and structure,
 * encrypted at rest with `keys` and kept outside the web root; every upload and download is
 * audited. The owning module checks permission and scope first. See
 * docs/decisions/0020-document-uploads.md.
 */
import './files.tables.js';
import './files.runtime.js';

/**
 * `storeUpload(ctx, { bytes, fileName, declaredType, owner })`: checks (type by content, name and
 * declared type agree, no polyglot or active content, size), encrypts, stores and audits a file for
 * `owner` in the caller's transaction; returns its record.
 */
export { storeUpload } from './files.store.js';
/**
 * `readStoredFile(ctx, owner, id)`: decrypts one of `owner`'s files and audits the download; the
 * result can be returned as is from a `downloadRoute` handler. Another owner's id is `not_found`.
 */
export { readStoredFile } from './files.store.js';
/** `listFiles(ctx, owner)`: the records of `owner`'s files, oldest first (no content read, not audited). */
export { listFiles } from './files.store.js';
/** `fileInfo(ctx, owner, id)`: the record of one of `owner`'s files, or `not_found`. */
export { fileInfo } from './files.store.js';
/** The owner of a file, an upload to store, and an opened file. */
export type { FileOwner, NewUpload, StoredFileContent } from './files.store.js';
/** The type-and-safety check on its own (no storage): throws the same errors as `storeUpload`. */
export { inspectFile, MAX_PIXELS, type Inspection } from './files.inspect.js';
/** What the composition root supplies: the files folder and the upload limit. */
export type { FilesRuntime } from './files.runtime.js';
/** The column holding each file's sealed data key, for key rotation (rewrap) and retirement. */
export const FILES_SEALED_COLUMNS = [{ table: 'stored_file', column: 'sealedKey', idColumn: 'id' }] as const;
