import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { randomPooled } from '../../platform/ids.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { fieldAead } from './keys.aead.js';
import { current, syncVersions } from './keys.ring.js';

/** Where a sealed value lives. Bound into the AAD, so a value cannot be moved elsewhere (CRY-02). */
export type SealRef = { table: string; column: string; rowId: string };

/**
 * What `open` needs: the runtime, and who and where for the integrity alert. Pass the request's
 * `db` when calling inside a transaction: a key reload then reads through it.
 */
export type OpenCtx = Omit<Ctx, 'db'> & { db?: Db };

const FORMAT = 'mlk1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// Exact shape (CRY-03): version without leading zeros, a 12-byte nonce (16 chars), then at least a
// tag (22 chars or more). The body's alphabet is checked by its canonical round trip in `parse`
// (cheaper than matching ~150 characters with a pattern on every open).
const SEALED_HEAD = /^mlk1\.([1-9][0-9]{0,8})\.([A-Za-z0-9_-]{16})\./;
const MIN_BODY_CHARS = 22;

const PUBLIC_MESSAGE =
  'A protected value failed its integrity check and was not used. The incident has been recorded for the security administrator; quote the request id when reporting it.';

/** `mlk1.<version>.`: every value sealed under `version` starts with it. */
export function sealedPrefix(version: number): string {
  return `${FORMAT}.${version}.`;
}

/**
 * Unambiguous encoding of several strings: 4-byte big-endian length, then the UTF-8 bytes, each.
 * Built in one allocation (this runs for every seal and open); the parts are names, not secrets.
 * ASCII parts (table and column names, ids, versions) are copied by character: one native string
 * write per part would cost more than the encryption of a small value.
 */
export function lengthPrefixed(parts: readonly string[]): Buffer {
  let total = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      if (part.charCodeAt(i) > 0x7f) return lengthPrefixedUtf8(parts);
    }
    total += 4 + part.length;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const part of parts) {
    const n = part.length;
    out[offset] = n >>> 24;
    out[offset + 1] = (n >>> 16) & 0xff;
    out[offset + 2] = (n >>> 8) & 0xff;
    out[offset + 3] = n & 0xff;
    offset += 4;
    for (let i = 0; i < n; i++) out[offset + i] = part.charCodeAt(i);
    offset += n;
  }
  return out;
}

function lengthPrefixedUtf8(parts: readonly string[]): Buffer {
  let total = 0;
  for (const part of parts) total += 4 + Buffer.byteLength(part, 'utf8');
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const part of parts) {
    const written = out.write(part, offset + 4, 'utf8');
    out.writeUInt32BE(written, offset);
    offset += 4 + written;
  }
  return out;
}

// CRY-02: the key version is in the AAD too, so rewriting the prefix cannot pass the tag check.
const fieldAad = (ref: SealRef, version: number) =>
  lengthPrefixed(['field', ref.table, ref.column, ref.rowId, String(version)]);

/** Seals under an explicit key version (the rewrap job pins its target version). */
export function sealAt(target: { version: number; key: Buffer }, ref: SealRef, plaintext: string): string {
  // CRY-05: a fresh random 96-bit nonce per value; keys are rotated long before 2^32 seals.
  const nonce = randomPooled(NONCE_BYTES);
  const data = Buffer.from(plaintext, 'utf8');
  // The native addon once it passed its self-test, else node:crypto: the same bytes (decision 0029).
  const body = fieldAead().seal(target.key, nonce, fieldAad(ref, target.version), data);
  data.fill(0);
  return `${sealedPrefix(target.version)}${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/** CRY-01/03: AES-256-GCM under the newest active field key, in the versioned text format. */
export function seal(ctx: Pick<Ctx, 'runtime'>, ref: SealRef, plaintext: string): string {
  return sealAt(current(ctx.runtime.keys.versions, 'field'), ref, plaintext);
}

type Parsed = { version: number; nonce: Buffer; body: Buffer } | { reason: string };

/** Splits a sealed value into version, nonce and body, or says why it is not one (exported for tests). */
export function parse(sealed: unknown): Parsed {
  if (typeof sealed !== 'string') return { reason: 'not a string' };
  const m = SEALED_HEAD.exec(sealed);
  if (m === null) {
    return { reason: sealed.startsWith(`${FORMAT}.`) ? 'malformed sealed value' : 'not in the sealed format' };
  }
  const [version, nonceText] = [m[1]!, m[2]!];
  const bodyText = sealed.slice(m[0].length);
  if (bodyText.length < MIN_BODY_CHARS) return { reason: 'malformed sealed value' };
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  // Node's base64 decoder skips junk and ignores trailing bits; only the canonical text is accepted.
  // The encoder writes only [A-Za-z0-9_-], so the round trip also refuses any other character.
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES || body.toString('base64url') !== bodyText) {
    return { reason: 'malformed sealed value' };
  }
  return { version: Number(version), nonce, body };
}

function decrypt(key: Buffer, version: number, nonce: Buffer, body: Buffer, ref: SealRef): string | null {
  // CRY-08: the tag comparison happens inside OpenSSL, in constant time, in either engine.
  const data = fieldAead().open(key, nonce, fieldAad(ref, version), body);
  if (data === null) return null;
  const text = data.toString('utf8');
  data.fill(0);
  return text;
}

/**
 * ATK-CRYPTO: records `keys.integrity.failed` in its own transaction, so the alert survives the
 * rollback of the request, then fails closed.
 */
async function integrityFailure(ctx: OpenCtx, ref: SealRef, reason: string): Promise<never> {
  const { runtime } = ctx;
  runtime.log.error(
    { table: ref.table, column: ref.column, rowId: ref.rowId, reason },
    'sealed value failed its integrity check',
  );
  const alert = (async () => {
    const auditor = runtime.keys.auditor;
    if (auditor === null) throw new Error('no audit recorder is wired into the keys module');
    const { db: _db, ...detached } = ctx;
    await auditor.recordDetached(detached, {
      action: 'keys.integrity.failed',
      outcome: 'failure',
      resource: { type: ref.table, id: ref.rowId },
      data: { table: ref.table, column: ref.column, rowId: ref.rowId, reason },
    });
  })().catch((err: unknown) => runtime.log.error({ err }, 'the integrity alert could not be recorded'));
  // SQLite has one connection: a detached write waits for the caller's transaction to end, so it
  // is queued instead of awaited (awaiting it here would deadlock).
  const queued = runtime.dialect === 'sqlite' && ctx.db?.isTransaction === true;
  if (!queued) await alert;
  throw new AppError('integrity_failed', PUBLIC_MESSAGE);
}

/**
 * Opens a value sealed for `ref`. Any failure (damaged, moved, downgraded, unknown format, retired
 * key) raises an alert and throws AppError('integrity_failed'): the value is never used.
 */
export async function open(ctx: OpenCtx, ref: SealRef, sealed: string): Promise<string> {
  const parsed = parse(sealed);
  if ('reason' in parsed) return integrityFailure(ctx, ref, parsed.reason);
  const ring = ctx.runtime.keys;
  let key = ring.versions.get('field')?.get(parsed.version);
  if (key === undefined) {
    // Another process may have rotated since this one loaded its keys: look once more (CRY-04).
    await syncVersions(ring, ctx.db ?? ctx.runtime.db, 'field');
    key = ring.versions.get('field')?.get(parsed.version);
  }
  if (key === undefined) return integrityFailure(ctx, ref, `key version ${parsed.version} is retired or unknown`);
  const text = decrypt(key, parsed.version, parsed.nonce, parsed.body, ref);
  if (text === null) return integrityFailure(ctx, ref, 'authentication failed: altered, moved or wrong key');
  return text;
}

/**
 * CRY-09: keyed blind index for exact-match search. HMAC-SHA-256 under the blind-index key over
 * (purpose, value), truncated to 16 bytes, base64url. `purpose` names the index (e.g.
 * `patient.idNumber`), so equal values in different fields do not share an index.
 */
export function blindIndex(ctx: Pick<Ctx, 'runtime'>, purpose: string, value: string): string {
  const { key } = current(ctx.runtime.keys.versions, 'blind-index');
  const input = lengthPrefixed([purpose, value]);
  const digest = createHmac('sha256', key).update(input).digest();
  input.fill(0);
  const index = digest.subarray(0, 16).toString('base64url');
  digest.fill(0);
  return index;
}

// Whole files (envelope encryption): each blob has its own random data key; the data key is sealed
// like any field value, so rotation, rewrap and retirement reach it through the registered column.
const BLOB_MAGIC = Buffer.from('mlb1', 'latin1');
const BLOB_KEY_BYTES = 32;
const blobAad = (ref: SealRef) => lengthPrefixed(['blob', ref.table, ref.column, ref.rowId]);

/**
 * CRY-01/02 for files: encrypts `bytes` under a fresh 256-bit data key with AES-256-GCM (AAD binds
 * table, column and row id, so a blob moved to another row fails), and seals the data key with
 * {@link seal} under `ref`. Store `sealedKey` in `ref`'s column (registered as a sealed column)
 * and `blob` wherever the bytes go. Blob layout: "mlb1" ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag.
 */
export function sealBlob(ctx: Pick<Ctx, 'runtime'>, ref: SealRef, bytes: Buffer): { sealedKey: string; blob: Buffer } {
  const key = randomBytes(BLOB_KEY_BYTES);
  const nonce = randomPooled(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(blobAad(ref));
  const blob = Buffer.concat([BLOB_MAGIC, nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
  const keyText = key.toString('base64url');
  key.fill(0);
  return { sealedKey: seal(ctx, ref, keyText), blob };
}

/**
 * Opens a blob made by {@link sealBlob}. A damaged, swapped or truncated blob, or a data key that
 * does not open, raises the integrity alert and throws `integrity_failed`: no byte is returned.
 */
export async function openBlob(ctx: OpenCtx, ref: SealRef, sealedKey: string, blob: Buffer): Promise<Buffer> {
  const keyText = await open(ctx, ref, sealedKey);
  const key = Buffer.from(keyText, 'base64url');
  try {
    const head = BLOB_MAGIC.length + NONCE_BYTES;
    if (key.length !== BLOB_KEY_BYTES) return await integrityFailure(ctx, ref, 'malformed file key');
    if (blob.length < head + TAG_BYTES || !blob.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) {
      return await integrityFailure(ctx, ref, 'file is not in the sealed format');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(BLOB_MAGIC.length, head), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(blobAad(ref));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    const data = decipher.update(blob.subarray(head, blob.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      data.fill(0);
      return await integrityFailure(ctx, ref, 'file authentication failed: altered, moved or wrong key');
    }
    return data;
  } finally {
    key.fill(0);
  }
}
