import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StoredFileMediaType, StoredFileView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { openBlob, sealBlob, type SealRef } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { checkFileNameText, formatSize } from '../../platform/http/route.js';
import { uuidv7 } from '../../platform/ids.js';
import { inspectFile } from './files.inspect.js';
import type { StoredFileTable } from './files.tables.js';
import './files.runtime.js';

/** The record a file belongs to, named by the module that owns it: `{ kind: 'master-data.party', id }`. */
export type FileOwner = { kind: string; id: string };

/** An upload to store: the bytes, the name the user gave it, what the request claimed, the owner. */
export type NewUpload = {
  bytes: Buffer;
  fileName: string;
  /** The request's Content-Type; `application/octet-stream` (or none) claims nothing. */
  declaredType?: string | undefined;
  owner: FileOwner;
};

/** A stored file opened for download: what a download route returns, plus the file's record. */
export type StoredFileContent = {
  bytes: Buffer;
  fileName: string;
  mediaType: StoredFileMediaType;
  file: StoredFileView;
};

const OWNER_KIND = /^[a-z][a-z0-9-]*(\.[a-z][A-Za-z0-9-]*)+$/;
const OWNER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STORAGE_KEY = /^([0-9a-f]{2})\/([0-9a-f]{32})$/;

const EXTENSIONS: Readonly<Record<StoredFileMediaType, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/png': ['png'],
};
const LABELS: Readonly<Record<StoredFileMediaType, string>> = {
  'application/pdf': 'a PDF document',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
};

const sealRef = (id: string): SealRef => ({ table: 'stored_file', column: 'sealedKey', rowId: id });

function checkOwner(owner: FileOwner): void {
  // The owner comes from the calling module, never from a request: a bad one is a programming error.
  if (!OWNER_KIND.test(owner.kind) || owner.kind.length > 64 || !OWNER_ID.test(owner.id)) {
    throw new Error(
      `invalid file owner ${JSON.stringify(owner)}: kind "module.entity", id of letters, digits, . _ : -`,
    );
  }
}

function storageDir(ctx: Pick<Ctx, 'runtime'>): string {
  const dir = ctx.runtime.files.dir;
  if (dir === null) throw new Error('file storage is not configured in this process');
  return dir;
}

function view(row: StoredFileTable): StoredFileView {
  return {
    id: row.id,
    fileName: row.fileName,
    mediaType: row.mediaType,
    size: Number(row.size),
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedByName: row.uploadedByName,
    uploadedAt: row.uploadedAt,
  };
}

/**
 * FILE-01 checks that need the name and the claim: the extension and the declared Content-Type
 * must agree with what the content is.
 */
function checkAgreement(fileName: string, declaredType: string | undefined, detected: StoredFileMediaType): void {
  const dot = fileName.lastIndexOf('.');
  const extension = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  if (!EXTENSIONS[detected].includes(extension)) {
    throw new AppError(
      'upload_type_refused',
      extension === ''
        ? `The file is ${LABELS[detected]} but its name has no extension; name it .${EXTENSIONS[detected][0]} and upload again.`
        : `The file is ${LABELS[detected]} but its name ends in .${extension}; the name and the content must agree.`,
    );
  }
  if (declaredType !== undefined && declaredType !== 'application/octet-stream' && declaredType !== detected) {
    throw new AppError(
      'upload_type_refused',
      `The file was sent as ${declaredType} but it is ${LABELS[detected]}; the type and the content must agree.`,
    );
  }
}

/** Writes `bytes` to `dir/key` so that the file appears complete or not at all (temp file, fsync, rename). */
async function writeAtomically(dir: string, key: string, bytes: Buffer): Promise<void> {
  const final = path.join(dir, key);
  const folder = path.dirname(final);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temp = path.join(folder, `.${path.basename(final)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await openFile(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, final);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  // The rename itself survives a crash only once the folder is synced.
  const folderHandle = await openFile(folder, 'r');
  try {
    await folderHandle.sync();
  } finally {
    await folderHandle.close();
  }
}

/**
 * Checks and stores an uploaded file for `owner`, in the caller's transaction, and audits it
 * (`files.file.uploaded`). The caller has already checked that the actor may attach files to the
 * owner. Throws `upload_malformed`, `upload_type_refused`, `upload_unsafe` or `upload_too_large`
 * with a message the user can act on; nothing is stored then.
 */
export async function storeUpload(ctx: Ctx, upload: NewUpload): Promise<StoredFileView> {
  checkOwner(upload.owner);
  const dir = storageDir(ctx);
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  const { bytes } = upload;
  if (bytes.length === 0) throw new AppError('upload_malformed', 'The file is empty.');
  const maxBytes = ctx.runtime.files.maxBytes;
  if (bytes.length > maxBytes) {
    throw new AppError(
      'upload_too_large',
      `The file is larger than ${formatSize(maxBytes)}, the most accepted. Compress it or split it, then upload again.`,
    );
  }
  const name = checkFileNameText(upload.fileName);
  if (!name.ok) {
    throw new AppError('validation_failed', 'The file name is not acceptable.', [
      { path: 'fileName', message: name.message },
    ]);
  }
  const { mediaType } = inspectFile(bytes);
  checkAgreement(name.name, upload.declaredType, mediaType);

  const id = uuidv7(ctx.now.getTime());
  const random = randomBytes(16).toString('hex');
  const storageKey = `${random.slice(0, 2)}/${random}`;
  const { sealedKey, blob } = sealBlob(ctx, sealRef(id), bytes);
  // The file first, the row second: the SQLite write lock is then held only briefly. Should the
  // transaction roll back later, the orphaned file cannot be decrypted (its key was in the row).
  await writeAtomically(dir, storageKey, blob);
  const row: StoredFileTable = {
    id,
    ownerKind: upload.owner.kind,
    ownerId: upload.owner.id,
    fileName: name.name,
    mediaType,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    storageKey,
    sealedKey,
    uploadedBy: ctx.actor.id,
    uploadedByName: ctx.actor.name,
    uploadedAt: ctx.now.toISOString(),
  };
  await ctx.db.insertInto('stored_file').values(row).execute();
  await record(ctx, {
    action: 'files.file.uploaded',
    outcome: 'success',
    resource: { type: 'stored_file', id },
    data: eventData(row),
  });
  return view(row);
}

function eventData(row: StoredFileTable) {
  // Never the name: users put personal names and ID numbers into file names.
  return {
    fileId: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.mediaType,
    ownerKind: row.ownerKind,
    ownerId: row.ownerId,
  };
}

async function findRow(ctx: Pick<Ctx, 'db'>, owner: FileOwner, id: string): Promise<StoredFileTable> {
  checkOwner(owner);
  const row = FILE_ID.test(id)
    ? await ctx.db
        .selectFrom('stored_file')
        .selectAll()
        .where('id', '=', id)
        .where('ownerKind', '=', owner.kind)
        .where('ownerId', '=', owner.id)
        .executeTakeFirst()
    : undefined;
  // Another owner's file is as absent as a file that never existed (AC-02: 404, never 403).
  if (row === undefined) throw new AppError('not_found', 'There is no such file.');
  return row;
}

/** The record of one of `owner`'s files; `not_found` when the id is not one of them. */
export async function fileInfo(ctx: Pick<Ctx, 'db'>, owner: FileOwner, id: string): Promise<StoredFileView> {
  return view(await findRow(ctx, owner, id));
}

/** `owner`'s files, oldest first. Only records: no content is read. */
export async function listFiles(ctx: Pick<Ctx, 'db'>, owner: FileOwner): Promise<StoredFileView[]> {
  checkOwner(owner);
  const rows = await ctx.db
    .selectFrom('stored_file')
    .selectAll()
    .where('ownerKind', '=', owner.kind)
    .where('ownerId', '=', owner.id)
    .orderBy('uploadedAt')
    .orderBy('id')
    .execute();
  return rows.map(view);
}

/**
 * FILE-02: reads and decrypts one of `owner`'s files and audits the access
 * (`files.file.downloaded`). Call it only after the route's permission and the owning module's
 * scope check. A file of another owner is `not_found`; damaged or swapped content raises the
 * integrity alert and fails closed (`integrity_failed`).
 */
export async function readStoredFile(ctx: Ctx, owner: FileOwner, id: string): Promise<StoredFileContent> {
  const row = await findRow(ctx, owner, id);
  const dir = storageDir(ctx);
  const key = STORAGE_KEY.exec(row.storageKey);
  if (key === null || key[2]!.slice(0, 2) !== key[1]) {
    throw new Error(`stored_file ${row.id} has an invalid storage key`);
  }
  const blob = await readFile(path.join(dir, row.storageKey));
  const bytes = await openBlob(ctx, sealRef(row.id), row.sealedKey, blob);
  if (bytes.length !== Number(row.size) || createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
    throw new Error(`stored_file ${row.id}: the content does not match its recorded size and SHA-256`);
  }
  await record(ctx, {
    action: 'files.file.downloaded',
    outcome: 'success',
    resource: { type: 'stored_file', id: row.id },
    data: eventData(row),
  });
  return { bytes, fileName: row.fileName, mediaType: row.mediaType, file: view(row) };
}
