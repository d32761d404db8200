import { z } from 'zod';

/**
 * Stored documents (FILE-01, FILE-02): scans and certificates that a business record keeps, such
 * as a supplier's business licence. The owning module decides who may upload and download; this
 * package only fixes what a stored file looks like and what is audited.
 */

/** The only media types a document upload may have (decided from the content, never from headers). */
export const STORED_FILE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type StoredFileMediaType = (typeof STORED_FILE_MEDIA_TYPES)[number];

/**
 * The request header carrying an uploaded file's name: UTF-8, percent-encoded as by
 * `encodeURIComponent` (or RFC 5987 `UTF-8''…`). The body is the file itself.
 */
export const FILE_NAME_HEADER = 'x-file-name';

/** Longest accepted file name, in characters. */
export const FILE_NAME_MAX_LENGTH = 200;

/** A stored file as the API shows it. Never the bytes, never where they are kept. */
export const StoredFileView = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.enum(STORED_FILE_MEDIA_TYPES),
  size: z.number().int(),
  /** SHA-256 of the file as uploaded, hex. */
  sha256: z.string(),
  /** The uploader's user id, and their name at the time. */
  uploadedBy: z.string(),
  uploadedByName: z.string(),
  uploadedAt: z.string(),
});
export type StoredFileView = z.infer<typeof StoredFileView>;

const fileEventData = z.strictObject({
  fileId: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.enum(STORED_FILE_MEDIA_TYPES),
  ownerKind: z.string(),
  ownerId: z.string(),
});

/** Audit events of stored files, merged into the audit catalogue. Never file content or names of keys. */
export const FILES_AUDIT_EVENTS = {
  'files.file.uploaded': {
    zh: '上传文件（扫描件、证照等）',
    en: 'File uploaded (scan, certificate or similar)',
    category: 'business',
    data: fileEventData,
  },
  'files.file.downloaded': {
    zh: '下载文件',
    en: 'File downloaded',
    category: 'security',
    data: fileEventData,
  },
} as const;
