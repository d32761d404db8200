import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type Hash,
} from 'node:crypto';
import { once } from 'node:events';
import { accessSync, constants as fsConstants, createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import {
  chmod,
  link,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { migrations } from '../../migrations/index.js';
import { createRuntime } from '../app.js';
import { loadMasterKey } from '../modules/keys/index.js';
import { recordDetached, sealOnce, verifyAndRecord, type VerifyReport } from '../modules/audit/index.js';
import { serverVersion } from '../paths.js';
import { systemClock } from '../platform/clock.js';
import { createDb, type DbHandle } from '../platform/db/create-db.js';
import type { Database, Dialect } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrator.js';
import { systemCtx } from '../platform/http/ctx.js';
import { createLogger } from '../platform/logger.js';
import type { Runtime } from '../platform/runtime.js';
import { every } from '../platform/scheduler.js';

/*
 * Encrypted backups (BCK-01, GSP art. 51(9)). File format and reasoning:
 * docs/decisions/0009-encrypted-backups.md.
 *
 *   "MLBK1\n" ‖ header JSON line "\n" ‖ frame 0 ‖ frame 1 ‖ … ‖ frame n (final)
 *   frame i  = AES-256-GCM(key, nonce = noncePrefix ‖ u32be(i),
 *                          aad = SHA-256(magic ‖ header line ‖ "\n") ‖ u32be(i) ‖ final?1:0)
 *              over at most chunkSize plaintext bytes, 16-byte tag appended
 *   key      = HKDF-SHA256(master key, salt, "medledger-backup/1", 32)
 *
 * The plaintext is the entries of the header, concatenated in order. Every frame is authenticated
 * before any of its bytes are used; the last frame of the file must carry the final flag, so a
 * truncated, reordered or spliced file fails.
 */

const MAGIC = Buffer.from('MLBK1\n', 'latin1');
const FORMAT = 1;
const CHUNK_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const KDF_INFO = 'medledger-backup/1';
const KEY_CHECK_INFO = 'medledger-backup/1 key-check';
/** A header lists every witness file; this bounds what a reader will buffer for it. */
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** RES-01: plaintext work files left behind by a crashed run are removed after this long. */
const STALE_MS = 60 * 60 * 1000;

const BACKUP_FILE = /^medledger-backup-(\d{8}T\d{6}Z)(?:-(\d{1,4}))?\.mlbk$/;
const WORK_DIR_PREFIX = '.medledger-backup-work-';
const PARTIAL = /^\.medledger-backup-\d{8}T\d{6}Z-[0-9a-f]{12}\.partial$/;
const WITNESS_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const ENTRY_NAME =
  /^(?:manifest\.json|database\.sqlite|database\.pgdump|witness\/[A-Za-z0-9][A-Za-z0-9._-]{0,200}|files\/[0-9a-f]{2}\/[0-9a-f]{32})$/;
/** A stored upload's encrypted file under `<data>/files` (see the files module): `<2 hex>/<32 hex>`. */
const STORED_FILE = /^([0-9a-f]{2})\/([0-9a-f]{32})$/;

const databaseEntryName = (dialect: Dialect) => (dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump');

const base64Of = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((v) => Buffer.from(v, 'base64').length === bytes, `must be ${bytes} bytes`);

const EntrySchema = z.strictObject({
  name: z.string().regex(ENTRY_NAME, 'is not a name a MedLedger backup uses'),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const HeaderSchema = z.strictObject({
  format: z.literal(FORMAT),
  createdAt: z.iso.datetime(),
  dialect: z.enum(['sqlite', 'postgres']),
  cipher: z.literal('AES-256-GCM-STREAM'),
  kdf: z.literal('HKDF-SHA256'),
  salt: base64Of(16),
  noncePrefix: base64Of(8),
  keyCheck: base64Of(16),
  chunkSize: z
    .number()
    .int()
    .min(16 * 1024)
    .max(1024 * 1024),
  entries: z.array(EntrySchema).min(2),
});

export type BackupEntry = z.infer<typeof EntrySchema>;
type BackupHeader = z.infer<typeof HeaderSchema>;

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  createdAt: z.string(),
  medledgerVersion: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  databaseVersion: z.string(),
  migrations: z.array(z.string()),
  tables: z.record(z.string(), z.number().int().min(0)),
  audit: z.object({ treeSize: z.number().int().min(0), checkpoint: z.string().nullable() }),
  witnessFiles: z.number().int().min(0),
  /** Encrypted uploaded documents (absent in backups made before documents existed). */
  storedFiles: z.number().int().min(0).optional(),
});

/** What `manifest.json` inside a backup says about the database it holds. */
export type BackupManifest = z.infer<typeof ManifestSchema>;

export type Progress = (done: number, total: number) => void;

// ---------------------------------------------------------------------------------------------
// Cryptography

function deriveKeys(masterKey: Buffer, salt: Buffer): { key: Buffer; check: Buffer } {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  return {
    key: Buffer.from(hkdfSync('sha256', masterKey, salt, KDF_INFO, 32)),
    check: Buffer.from(hkdfSync('sha256', masterKey, salt, KEY_CHECK_INFO, 16)),
  };
}

function frameNonce(prefix: Buffer, counter: number): Buffer {
  if (counter > 0xffffffff) throw new Error('backup too large: more than 2^32 chunks');
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, 8);
  return nonce;
}

function frameAad(headerHash: Buffer, counter: number, final: boolean): Buffer {
  const aad = Buffer.alloc(37);
  headerHash.copy(aad, 0);
  aad.writeUInt32BE(counter, 32);
  aad[36] = final ? 1 : 0;
  return aad;
}

type StreamKeys = { key: Buffer; noncePrefix: Buffer; headerHash: Buffer };

function sealFrame(k: StreamKeys, counter: number, final: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', k.key, frameNonce(k.noncePrefix, counter), { authTagLength: TAG_BYTES });
  cipher.setAAD(frameAad(k.headerHash, counter, final));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext of one frame, or null when it fails authentication. Nothing is released before. */
function openFrame(k: StreamKeys, counter: number, final: boolean, frame: Buffer): Buffer | null {
  if (frame.length < TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', k.key, frameNonce(k.noncePrefix, counter), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(frameAad(k.headerHash, counter, final));
    decipher.setAuthTag(frame.subarray(frame.length - TAG_BYTES));
    return Buffer.concat([decipher.update(frame.subarray(0, frame.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

/** Cuts plaintext into chunkSize frames; a frame is sealed as non-final only once more data follows. */
function frameWriter(k: StreamKeys, chunkSize: number) {
  const stage = Buffer.alloc(chunkSize);
  let fill = 0;
  let counter = 0;
  return {
    push(data: Buffer): Buffer[] {
      const out: Buffer[] = [];
      let off = 0;
      while (off < data.length) {
        if (fill === chunkSize) {
          out.push(sealFrame(k, counter++, false, stage));
          fill = 0;
        }
        const n = Math.min(chunkSize - fill, data.length - off);
        data.copy(stage, fill, off, off + n);
        fill += n;
        off += n;
      }
      return out;
    },
    end(): Buffer {
      const last = sealFrame(k, counter++, true, stage.subarray(0, fill));
      stage.fill(0);
      return last;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a backup file

type OpenedBackup = { header: BackupHeader; headerHash: Buffer; payloadOffset: number; fileSize: number };

async function readHeader(file: string): Promise<{ ok: true; opened: OpenedBackup } | { ok: false; problem: string }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    return { ok: false, problem: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  try {
    const fileSize = (await fh.stat()).size;
    const magic = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await fh.read(magic, 0, MAGIC.length, 0);
    if (bytesRead < MAGIC.length || !magic.equals(MAGIC)) {
      return { ok: false, problem: `${file} is not a MedLedger backup (it does not start with "MLBK1")` };
    }
    const parts: Buffer[] = [];
    let position = MAGIC.length;
    let lineEnd = -1;
    let length = 0;
    while (lineEnd < 0) {
      const buf = Buffer.alloc(64 * 1024);
      const r = await fh.read(buf, 0, buf.length, position);
      if (r.bytesRead === 0) {
        return { ok: false, problem: 'the backup ends inside its header: the file is truncated' };
      }
      const piece = buf.subarray(0, r.bytesRead);
      const nl = piece.indexOf(0x0a);
      if (nl >= 0) {
        parts.push(piece.subarray(0, nl));
        lineEnd = position + nl;
      } else {
        parts.push(piece);
      }
      position += r.bytesRead;
      length += r.bytesRead;
      if (lineEnd < 0 && length > MAX_HEADER_BYTES) {
        return { ok: false, problem: 'the backup header is larger than any MedLedger writes: the file is damaged' };
      }
    }
    const line = Buffer.concat(parts);
    let json: unknown;
    try {
      json = JSON.parse(line.toString('utf8'));
    } catch {
      return { ok: false, problem: 'the backup header is damaged (not valid JSON): the file was altered or corrupted' };
    }
    const parsed = HeaderSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') ?? '';
      return {
        ok: false,
        problem: `the backup header is invalid (${where === '' ? '' : `${where}: `}${issue?.message ?? 'unknown'}): the file was altered, or it was written by a newer MedLedger`,
      };
    }
    const header = parsed.data;
    const names = header.entries.map((e) => e.name);
    const dbName = databaseEntryName(header.dialect);
    if (new Set(names).size !== names.length) {
      return { ok: false, problem: 'the backup header lists an entry twice: the file was altered' };
    }
    if (
      names[0] !== 'manifest.json' ||
      names.at(-1) !== dbName ||
      names.some((n, i) => n.startsWith('database.') && i !== names.length - 1)
    ) {
      return {
        ok: false,
        problem: `the backup header does not list manifest.json first and ${dbName} last: the file was altered`,
      };
    }
    const headerHash = createHash('sha256').update(MAGIC).update(line).update('\n').digest();
    return { ok: true, opened: { header, headerHash, payloadOffset: lineEnd + 1, fileSize } };
  } finally {
    await fh.close();
  }
}

/** Receives one entry's plaintext during decryption. */
type EntrySink = { write: (data: Buffer) => Promise<void> | void; close: () => Promise<void> | void };

/**
 * Decrypts the payload frame by frame, splits it into the header's entries and checks each entry's
 * size and SHA-256. Returns the problems found (empty when the whole file is intact). Stops at the
 * first frame that fails authentication.
 */
async function decryptPayload(
  file: string,
  opened: OpenedBackup,
  keys: StreamKeys,
  openSink: (entry: BackupEntry) => Promise<EntrySink | null> | EntrySink | null,
  onProgress?: Progress,
): Promise<string[]> {
  const { header, payloadOffset, fileSize } = opened;
  const frameSize = header.chunkSize + TAG_BYTES;
  const entries = header.entries;
  const problems: string[] = [];
  const total = entries.reduce((s, e) => s + e.size, 0);
  let done = 0;

  let index = 0;
  let remaining = 0;
  let hash: Hash | null = null;
  let sink: EntrySink | null = null;

  const startEntry = async () => {
    const entry = entries[index]!;
    remaining = entry.size;
    hash = createHash('sha256');
    sink = await openSink(entry);
  };
  const finishEntry = async () => {
    const entry = entries[index]!;
    const digest = hash!.digest('hex');
    if (digest !== entry.sha256) problems.push(`entry ${entry.name}: its SHA-256 does not match the header`);
    await sink?.close();
    sink = null;
    hash = null;
    index++;
  };
  // Zero-length entries complete as soon as they are reached.
  const settle = async () => {
    while (index < entries.length) {
      if (hash === null) await startEntry();
      if (remaining > 0) return;
      await finishEntry();
    }
  };

  const consume = async (plain: Buffer): Promise<boolean> => {
    let off = 0;
    while (off < plain.length) {
      await settle();
      if (index >= entries.length) {
        problems.push('the payload holds more data than the header lists: the file was altered');
        return false;
      }
      const n = Math.min(remaining, plain.length - off);
      const piece = plain.subarray(off, off + n);
      hash!.update(piece);
      await sink?.write(piece);
      remaining -= n;
      off += n;
      done += n;
      if (remaining === 0) await finishEntry();
    }
    onProgress?.(done, total);
    return true;
  };

  if (fileSize <= payloadOffset) {
    return ['the backup ends right after its header: the encrypted payload is missing (truncated file)'];
  }
  const frameCount = Math.ceil((fileSize - payloadOffset) / frameSize);
  const stream = createReadStream(file, { start: payloadOffset, highWaterMark: 1024 * 1024 });
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let counter = 0;
  const take = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    let filled = 0;
    while (filled < n) {
      const head = pending[0]!;
      const k = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, k);
      filled += k;
      if (k === head.length) pending.shift();
      else pending[0] = head.subarray(k);
    }
    pendingBytes -= n;
    return out;
  };
  const handleFrame = async (frame: Buffer, final: boolean): Promise<boolean> => {
    const at = payloadOffset + counter * frameSize;
    const plain = openFrame(keys, counter, final, frame);
    if (plain === null) {
      problems.push(
        final
          ? `the last chunk (${counter} of ${frameCount}, at byte ${at}) failed authentication: the backup is truncated or was altered at its end`
          : `chunk ${counter} of ${frameCount} (at byte ${at}) failed authentication: the file was altered or damaged there`,
      );
      return false;
    }
    counter++;
    const ok = await consume(plain);
    plain.fill(0);
    return ok;
  };

  try {
    let going = true;
    for await (const data of stream as AsyncIterable<Buffer>) {
      pending.push(data);
      pendingBytes += data.length;
      while (going && pendingBytes > frameSize) going = await handleFrame(take(frameSize), false);
      if (!going) break;
    }
    if (going) {
      if (await handleFrame(take(pendingBytes), true)) {
        await settle();
        if (index < entries.length) {
          problems.push(`the payload ends inside entry ${entries[index]!.name}: the backup is truncated`);
        }
      }
    }
  } catch (err) {
    problems.push(`reading or restoring failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    stream.destroy();
    keys.key.fill(0);
  }
  return problems;
}

async function openWithKey(
  file: string,
  masterKey: Buffer,
): Promise<
  { ok: true; opened: OpenedBackup; keys: StreamKeys } | { ok: false; problems: string[]; opened?: OpenedBackup }
> {
  const read = await readHeader(file);
  if (!read.ok) return { ok: false, problems: [read.problem] };
  const { header, headerHash } = read.opened;
  const { key, check } = deriveKeys(masterKey, Buffer.from(header.salt, 'base64'));
  if (!timingSafeEqual(check, Buffer.from(header.keyCheck, 'base64'))) {
    key.fill(0);
    return {
      ok: false,
      opened: read.opened,
      problems: [
        'the master key given does not open this backup: it was made by an installation with another master key, or its header was altered. Use the master key of the installation that made the backup.',
      ],
    };
  }
  return {
    ok: true,
    opened: read.opened,
    keys: { key, noncePrefix: Buffer.from(header.noncePrefix, 'base64'), headerHash },
  };
}

export type VerifyBackupResult = {
  ok: boolean;
  problems: string[];
  entries: BackupEntry[];
  createdAt: string | null;
  dialect: Dialect | null;
};

/**
 * BCK-01: decrypts and authenticates every chunk of a backup, checks the final flag, and every
 * entry's size and SHA-256, without writing any plaintext to disk.
 */
export async function verifyBackup(
  file: string,
  masterKey: Buffer,
  options: { onProgress?: Progress } = {},
): Promise<VerifyBackupResult> {
  const opened = await openWithKey(file, masterKey);
  if (!opened.ok) {
    return {
      ok: false,
      problems: opened.problems,
      entries: opened.opened?.header.entries ?? [],
      createdAt: opened.opened?.header.createdAt ?? null,
      dialect: opened.opened?.header.dialect ?? null,
    };
  }
  const { header } = opened.opened;
  const problems = await decryptPayload(file, opened.opened, opened.keys, () => null, options.onProgress);
  return {
    ok: problems.length === 0,
    problems,
    entries: header.entries,
    createdAt: header.createdAt,
    dialect: header.dialect,
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL client tools

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds pg_dump / pg_restore: `MEDLEDGER_PG_BIN`, then `pg_config --bindir`, then the newest
 * /usr/lib/postgresql/<major>/bin (Debian's layout).
 */
export function findPgTool(tool: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  const override = env.MEDLEDGER_PG_BIN;
  if (override !== undefined && override !== '') {
    const candidate = path.join(override, tool);
    if (isExecutable(candidate)) return candidate;
    throw new Error(`${tool} was not found in MEDLEDGER_PG_BIN=${override}; point it at the folder that holds ${tool}`);
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    const candidate = path.join(dir, tool);
    if (dir !== '' && isExecutable(candidate)) return candidate;
  } catch {
    // no pg_config: try the Debian layout
  }
  try {
    const majors = readdirSync('/usr/lib/postgresql')
      .filter((d) => /^\d+(\.\d+)?$/.test(d))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const major of majors) {
      const candidate = path.join('/usr/lib/postgresql', major, 'bin', tool);
      if (isExecutable(candidate)) return candidate;
    }
  } catch {
    // no /usr/lib/postgresql
  }
  throw new Error(
    `${tool} was not found. Install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client, the server's major version or newer), or set MEDLEDGER_PG_BIN to the folder that holds ${tool}.`,
  );
}

/**
 * The connection for libpq tools: the URL without its password as `--dbname`, the password in
 * PGPASSWORD (environment, not the process list). node-pg's `ssl=true` becomes `sslmode=require`.
 */
function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv; secret: string | null } {
  const u = new URL(url);
  const secret = u.password === '' ? null : decodeURIComponent(u.password);
  u.password = '';
  const ssl = u.searchParams.get('ssl');
  if (ssl !== null) {
    u.searchParams.delete('ssl');
    if ((ssl === 'true' || ssl === '1') && !u.searchParams.has('sslmode')) u.searchParams.set('sslmode', 'require');
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'medledger-backup' };
  if (secret !== null) env.PGPASSWORD = secret;
  return { dbname: u.toString(), env, secret };
}

type Tool = { child: ChildProcess; exited: Promise<number>; stderr: () => string };

function runTool(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  secret: string | null,
  stdin: 'pipe' | 'ignore',
): Tool {
  const child = spawn(bin, args, { env, stdio: [stdin, 'ignore', 'pipe'] });
  let errText = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    if (errText.length < 16 * 1024) errText += s;
  });
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      errText += err.message;
      resolve(-1);
    });
    child.once('close', (code) => resolve(code ?? -1));
  });
  const stderr = () => {
    const text = errText.trim();
    return secret === null || secret === '' ? text : text.split(secret).join('***');
  };
  return { child, exited, stderr };
}

/** A writer onto a child's stdin that honours back-pressure and notices an early exit. */
function childStdinSink(tool: Tool, name: string): EntrySink {
  const stdin = tool.child.stdin as Writable;
  let failure: Error | null = null;
  stdin.on('error', (err) => {
    failure = err;
  });
  const stoppedEarly = () => new Error(`${name} stopped early: ${tool.stderr() || 'no message'}`);
  return {
    write: async (data) => {
      if (failure !== null) throw stoppedEarly();
      // The stream keeps a reference until the pipe takes it; the caller zeroes its buffer after.
      if (stdin.write(Buffer.from(data))) return;
      const outcome = await Promise.race([
        once(stdin, 'drain').then(
          () => 'drained' as const,
          () => 'failed' as const,
        ),
        tool.exited.then(() => 'exited' as const),
      ]);
      if (outcome !== 'drained') throw stoppedEarly();
    },
    close: async () => {
      stdin.end();
      const code = await tool.exited;
      if (code !== 0) throw new Error(`${name} failed (exit ${code}): ${tool.stderr() || 'no message'}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Creating a backup

type Query = (text: string) => Promise<Record<string, unknown>[]>;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table and its row count, the applied migrations, and the newest signed audit checkpoint. */
async function describeContents(
  run: Query,
  dialect: Dialect,
): Promise<Pick<BackupManifest, 'databaseVersion' | 'migrations' | 'tables' | 'audit'>> {
  const tables = await tableCounts(run, dialect);
  const versionRows = await run(
    dialect === 'sqlite' ? 'select sqlite_version() as v' : "select current_setting('server_version') as v",
  );
  const migrationsApplied =
    'schema_migration' in tables
      ? (await run('select name from schema_migration order by name')).map((r) => String(r.name))
      : [];
  let audit: BackupManifest['audit'] = { treeSize: 0, checkpoint: null };
  if ('audit_checkpoint' in tables) {
    const [cp] = await run('select "treeSize" as size, note from audit_checkpoint order by "treeSize" desc limit 1');
    if (cp !== undefined) audit = { treeSize: Number(cp.size), checkpoint: String(cp.note) };
  }
  return {
    databaseVersion: `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${String((versionRows[0]?.v as string | number | undefined) ?? 'unknown')}`,
    migrations: migrationsApplied,
    tables,
    audit,
  };
}

async function tableCounts(run: Query, dialect: Dialect): Promise<Record<string, number>> {
  const names = (
    await run(
      dialect === 'sqlite'
        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name"
        : "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
    )
  ).map((r) => String(r.name));
  const counts: Record<string, number> = {};
  for (const name of names) {
    const from = dialect === 'sqlite' ? quoteIdent(name) : `public.${quoteIdent(name)}`;
    const [row] = await run(`select count(*) as n from ${from}`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

const kyselyQuery =
  (db: Kysely<Database>): Query =>
  async (text) =>
    (await sql.raw<Record<string, unknown>>(text).execute(db)).rows;

type Source = { name: string; size: number; sha256: string } & ({ file: string } | { data: Buffer });

async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_SIZE }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** SQLite: the online backup API into the work directory, then made a single self-contained file. */
async function dumpSqlite(
  database: DbHandle,
  workDir: string,
): Promise<{ file: string; contents: Awaited<ReturnType<typeof describeContents>> }> {
  if (database.sqlite === undefined) throw new Error('the SQLite connection is not available for the backup API');
  const file = path.join(workDir, 'database.sqlite');
  await writeFile(file, '', { mode: 0o600, flag: 'wx' });
  await database.sqlite.backup(file);
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const run: Query = (text) => Promise.resolve(copy.prepare(text).all() as Record<string, unknown>[]);
    const contents = await describeContents(run, 'sqlite');
    return { file, contents };
  } finally {
    copy.close();
  }
}

/**
 * PostgreSQL: pg_dump of one exported snapshot, so that the manifest's row counts describe exactly
 * the dumped data even while the server keeps writing.
 */
async function dumpPostgres(
  database: DbHandle,
  workDir: string,
): Promise<{ file: string; contents: Awaited<ReturnType<typeof describeContents>> }> {
  const url = database.postgresUrl;
  if (url === undefined) throw new Error('the PostgreSQL connection URL is not available for pg_dump');
  const bin = findPgTool('pg_dump');
  const file = path.join(workDir, 'database.pgdump');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = String((await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]?.s);
    const run: Query = async (text) => (await client.query<Record<string, unknown>>(text)).rows;
    const contents = await describeContents(run, 'postgres');
    const conn = libpqConnection(url);
    const tool = runTool(
      bin,
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--snapshot=${snapshot}`,
        `--file=${file}`,
        `--dbname=${conn.dbname}`,
      ],
      conn.env,
      conn.secret,
      'ignore',
    );
    const code = await tool.exited;
    if (code !== 0) throw new Error(`pg_dump failed (exit ${code}): ${tool.stderr() || 'no message'}`);
    await chmod(file, 0o600);
    await client.query('COMMIT');
    return { file, contents };
  } finally {
    await client.end();
  }
}

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Publishes the finished file under its final name without ever replacing an existing backup. */
async function publish(partial: string, dir: string, base: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const file = path.join(dir, n === 1 ? `${base}.mlbk` : `${base}-${n}.mlbk`);
    try {
      await link(partial, file);
      await unlink(partial);
      return file;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // File systems without hard links (e.g. FAT on removable media): check, then rename.
      try {
        await stat(file);
        continue;
      } catch {
        await rename(partial, file);
        return file;
      }
    }
  }
  throw new Error(`too many backups named ${base}*.mlbk in ${dir}`);
}

async function newestMtime(target: string): Promise<number> {
  const s = await stat(target);
  let newest = s.mtimeMs;
  if (s.isDirectory()) {
    for (const name of await readdir(target)) {
      try {
        newest = Math.max(newest, (await stat(path.join(target, name))).mtimeMs);
      } catch {
        // vanished meanwhile
      }
    }
  }
  return newest;
}

/** RES-01: removes plaintext work directories and partial files that a crashed run left behind. */
async function removeStaleWork(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const isWork = entry.isDirectory() && entry.name.startsWith(WORK_DIR_PREFIX);
    const isPartial = entry.isFile() && PARTIAL.test(entry.name);
    if (!isWork && !isPartial) continue;
    const full = path.join(dir, entry.name);
    try {
      if (Date.now() - (await newestMtime(full)) > STALE_MS) await rm(full, { recursive: true, force: true });
    } catch {
      // another run removed it
    }
  }
}

export type BackupResult = { file: string; bytes: number; sha256: string };

/**
 * BCK-01: writes one encrypted backup file `medledger-backup-<UTC time>.mlbk` (mode 0600) into
 * `toDir`: the database (SQLite online backup or pg_dump), every audit witness file, the uploaded
 * documents (as stored: encrypted), and a manifest. Seals the audit trail first so the witness copy covers every event, records
 * `backup.backup.created`, and removes its plaintext work files whatever happens (RES-01).
 */
export async function createBackup(
  runtime: Runtime,
  options: { toDir: string; database: DbHandle; onProgress?: Progress },
): Promise<BackupResult> {
  const { database } = options;
  if (database.dialect !== runtime.dialect) throw new Error('the database handle does not belong to this runtime');
  const toDir = path.resolve(options.toDir);
  const createdAt = runtime.clock.now();
  const base = `medledger-backup-${stamp(createdAt)}`;
  const ctx = systemCtx(runtime, 'backup');
  let workDir: string | null = null;
  let partial: string | null = null;
  try {
    await mkdir(toDir, { recursive: true, mode: 0o700 });
    await removeStaleWork(toDir);
    await sealOnce(runtime, { forceCheckpoint: true });

    // Witness files are written once and never changed, so listing them before the dump gives a
    // set the dumped database covers (its checkpoints are a superset).
    const witnessDir = runtime.audit.witnessDir;
    const witnessNames = (await readdir(witnessDir, { withFileTypes: true }))
      .filter((e) => e.isFile() && WITNESS_FILE.test(e.name) && !e.name.endsWith('.tmp'))
      .map((e) => e.name)
      .sort();

    workDir = await mkdtemp(path.join(toDir, WORK_DIR_PREFIX));
    await chmod(workDir, 0o700);
    const dump =
      runtime.dialect === 'sqlite' ? await dumpSqlite(database, workDir) : await dumpPostgres(database, workDir);

    const sources: Source[] = [];
    for (const name of witnessNames) {
      const file = path.join(witnessDir, name);
      sources.push({ name: `witness/${name}`, file, ...(await hashFile(file)) });
    }
    // Uploaded documents, listed after the dump: a file is written before its row, so every row in
    // the dump has its file here (a file whose row came later is carried along, unused).
    const storedFiles = await listStoredFiles(runtime.files.dir);
    for (const key of storedFiles) {
      const file = path.join(runtime.files.dir!, key);
      sources.push({ name: `files/${key}`, file, ...(await hashFile(file)) });
    }
    sources.push({ name: databaseEntryName(runtime.dialect), file: dump.file, ...(await hashFile(dump.file)) });
    const manifest: BackupManifest = {
      format: FORMAT,
      createdAt: createdAt.toISOString(),
      medledgerVersion: serverVersion(),
      dialect: runtime.dialect,
      ...dump.contents,
      witnessFiles: witnessNames.length,
      storedFiles: storedFiles.length,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    sources.unshift({
      name: 'manifest.json',
      data: manifestBytes,
      size: manifestBytes.length,
      sha256: createHash('sha256').update(manifestBytes).digest('hex'),
    });

    const salt = randomBytes(16);
    const noncePrefix = randomBytes(8);
    const { key, check } = deriveKeys(runtime.keys.master, salt);
    const header: BackupHeader = {
      format: FORMAT,
      createdAt: createdAt.toISOString(),
      dialect: runtime.dialect,
      cipher: 'AES-256-GCM-STREAM',
      kdf: 'HKDF-SHA256',
      salt: salt.toString('base64'),
      noncePrefix: noncePrefix.toString('base64'),
      keyCheck: check.toString('base64'),
      chunkSize: CHUNK_SIZE,
      entries: sources.map((s) => ({ name: s.name, size: s.size, sha256: s.sha256 })),
    };
    const headerLine = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
    const headerHash = createHash('sha256').update(MAGIC).update(headerLine).digest();
    const writer = frameWriter({ key, noncePrefix, headerHash }, CHUNK_SIZE);

    partial = path.join(toDir, `.${base}-${randomBytes(6).toString('hex')}.partial`);
    const out = await open(partial, 'wx', 0o600);
    const fileHash = createHash('sha256');
    let bytes = 0;
    const emit = async (buf: Buffer) => {
      fileHash.update(buf);
      bytes += buf.length;
      await out.write(buf);
    };
    try {
      await emit(MAGIC);
      await emit(headerLine);
      const total = sources.reduce((s, e) => s + e.size, 0);
      let done = 0;
      for (const source of sources) {
        const hash = createHash('sha256');
        const feed = async (chunk: Buffer) => {
          hash.update(chunk);
          done += chunk.length;
          for (const frame of writer.push(chunk)) await emit(frame);
          options.onProgress?.(done, total);
        };
        if ('data' in source) {
          await feed(source.data);
        } else {
          for await (const chunk of createReadStream(source.file, {
            highWaterMark: CHUNK_SIZE,
          }) as AsyncIterable<Buffer>) {
            await feed(chunk);
            chunk.fill(0);
          }
        }
        if (hash.digest('hex') !== source.sha256) {
          throw new Error(`${source.name} changed while it was being backed up`);
        }
      }
      await emit(writer.end());
      await out.sync();
    } finally {
      key.fill(0);
      await out.close();
    }
    const file = await publish(partial, toDir, base);
    partial = null;
    try {
      const dirHandle = await open(toDir, 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    } catch {
      // directory fsync is not supported everywhere
    }
    const result: BackupResult = { file, bytes, sha256: fileHash.digest('hex') };
    await recordDetached(ctx, { action: 'backup.backup.created', outcome: 'success', data: result });
    runtime.log.info({ file, bytes }, 'encrypted backup created');
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    try {
      await recordDetached(ctx, {
        action: 'backup.backup.created',
        outcome: 'failure',
        reason: message.slice(0, 300),
        data: { file: path.join(toDir, `${base}.mlbk`), bytes: 0, sha256: '' },
      });
    } catch (auditErr) {
      runtime.log.error({ err: auditErr }, 'could not record the failed backup');
    }
    throw err;
  } finally {
    if (partial !== null) await rm(partial, { force: true });
    if (workDir !== null) await rm(workDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Restoring

export type RestoreTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export type RestoreResult = {
  dialect: Dialect;
  entries: BackupEntry[];
  manifest: BackupManifest;
  /** Where the database went (the PostgreSQL URL may carry a password: do not print it). */
  database: RestoreTarget;
  witnessDir: string;
  /** `<dataDir>/files`: the uploaded documents, still encrypted. */
  filesDir: string;
};

/** The stored uploads under `dir` as `<2 hex>/<32 hex>` keys, sorted; temporary files are skipped. */
async function listStoredFiles(dir: string | null): Promise<string[]> {
  if (dir === null || !(await exists(dir))) return [];
  const keys: string[] = [];
  for (const shard of await readdir(dir, { withFileTypes: true })) {
    if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
    for (const entry of await readdir(path.join(dir, shard.name), { withFileTypes: true })) {
      const key = `${shard.name}/${entry.name}`;
      if (entry.isFile() && STORED_FILE.test(key)) keys.push(key);
    }
  }
  return keys.sort();
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function publicTableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // pg_catalog, not information_schema: the latter hides tables the connecting role cannot read.
    const r = await client.query<{ n: string | number }>(
      "select count(*) as n from pg_catalog.pg_class c join pg_catalog.pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')",
    );
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** A file sink for one restored entry: exclusive create, mode 0600, fsync on close. */
async function fileSink(file: string, mode: number, openHandles: Set<FileHandle>): Promise<EntrySink> {
  const fh = await open(file, 'wx', mode);
  openHandles.add(fh);
  return {
    write: async (data) => {
      await fh.write(data);
    },
    close: async () => {
      openHandles.delete(fh);
      await fh.sync();
      await fh.close();
    },
  };
}

/**
 * BCK-01: restores a backup into an empty target. Refuses a non-empty target (SQLite: the data
 * directory already holds medledger.sqlite or witness files; PostgreSQL: the database has tables in
 * schema public), verifies the whole file first (a damaged backup is never restored), then writes
 * the database (SQLite file mode 0600, or pg_restore into the empty database in one transaction)
 * the witness files into `<dataDir>/witness` and the uploaded documents into `<dataDir>/files`.
 * The caller then verifies the audit trail
 * ({@link restoreAndVerify} does both).
 */
export async function restoreBackup(
  file: string,
  options: { masterKey: Buffer; dataDir: string; databaseUrl?: string | undefined; onProgress?: Progress },
): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  const read = await readHeader(file);
  if (!read.ok) throw new Error(`Cannot restore ${file}: ${read.problem}`);
  const { dialect } = read.opened.header;
  const url = options.databaseUrl;
  let target: RestoreTarget;
  if (dialect === 'sqlite') {
    if (url !== undefined && !url.startsWith('sqlite:')) {
      throw new Error(
        'This backup holds a SQLite database; it restores into <data dir>/medledger.sqlite. Leave out the PostgreSQL database URL (moving between databases is not a restore).',
      );
    }
    target = {
      dialect: 'sqlite',
      file: url === undefined ? path.join(dataDir, 'medledger.sqlite') : path.resolve(url.slice('sqlite:'.length)),
    };
  } else {
    if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        'This backup holds a PostgreSQL database: give the URL of an empty database to restore into (create one with `createdb`).',
      );
    }
    target = { dialect: 'postgres', url };
  }
  const witnessDir = path.join(dataDir, 'witness');
  const filesDir = path.join(dataDir, 'files');

  // Refuse a non-empty target before spending time on decryption.
  if (target.dialect === 'sqlite') {
    for (const f of [target.file, `${target.file}-wal`, `${target.file}-shm`, `${target.file}.restore-partial`]) {
      if (await exists(f)) {
        throw new Error(
          `The target is not empty: ${f} exists. Restore into a new, empty data directory (or move the existing files away first).`,
        );
      }
    }
  } else if ((await publicTableCount(target.url)) > 0) {
    throw new Error(
      'The target PostgreSQL database is not empty (it has tables in schema public). Create a new, empty database and restore into that.',
    );
  }
  for (const dir of [witnessDir, filesDir]) {
    if (await isNonEmptyDir(dir)) {
      throw new Error(`The target is not empty: ${dir} holds files. Restore into a new, empty data directory.`);
    }
  }

  const check = await verifyBackup(
    file,
    options.masterKey,
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  if (!check.ok) {
    throw new Error(
      `The backup ${file} failed verification and was not restored:\n  - ${check.problems.join('\n  - ')}`,
    );
  }

  const opened = await openWithKey(file, options.masterKey);
  if (!opened.ok) throw new Error(`Cannot restore ${file}: ${opened.problems.join('; ')}`);
  if (!opened.opened.headerHash.equals(read.opened.headerHash)) {
    opened.keys.key.fill(0);
    throw new Error(`${file} changed while it was being restored; nothing was restored`);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(path.join(dataDir, '.medledger-restore-'));
  const workWitness = path.join(work, 'witness');
  await mkdir(workWitness, { mode: 0o700 });
  const workFiles = path.join(work, 'files');
  await mkdir(workFiles, { mode: 0o700 });
  const dbPartial = target.dialect === 'sqlite' ? `${target.file}.restore-partial` : null;
  let restoreTool: Tool | null = null;
  const manifestParts: Buffer[] = [];
  let manifestBytes = 0;
  const openHandles = new Set<FileHandle>();
  try {
    if (dbPartial !== null) await mkdir(path.dirname(dbPartial), { recursive: true, mode: 0o700 });
    const problems = await decryptPayload(
      file,
      opened.opened,
      opened.keys,
      (entry) => {
        if (entry.name === 'manifest.json') {
          return {
            write: (data) => {
              manifestBytes += data.length;
              if (manifestBytes > MAX_MANIFEST_BYTES) throw new Error('manifest.json is implausibly large');
              manifestParts.push(Buffer.from(data));
            },
            close: () => undefined,
          };
        }
        if (entry.name.startsWith('witness/')) {
          return fileSink(path.join(workWitness, entry.name.slice('witness/'.length)), 0o644, openHandles);
        }
        const stored = STORED_FILE.exec(entry.name.slice('files/'.length));
        if (entry.name.startsWith('files/') && stored !== null) {
          return mkdir(path.join(workFiles, stored[1]!), { recursive: true, mode: 0o700 }).then(() =>
            fileSink(path.join(workFiles, stored[0]), 0o600, openHandles),
          );
        }
        if (target.dialect === 'sqlite') return fileSink(dbPartial!, 0o600, openHandles);
        const conn = libpqConnection(target.url);
        restoreTool = runTool(
          findPgTool('pg_restore'),
          ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${conn.dbname}`],
          conn.env,
          conn.secret,
          'pipe',
        );
        return childStdinSink(restoreTool, 'pg_restore');
      },
      options.onProgress,
    );
    if (problems.length > 0) {
      throw new Error(`Restoring ${file} failed; nothing was kept:\n  - ${problems.join('\n  - ')}`);
    }
    const manifest = ManifestSchema.parse(JSON.parse(Buffer.concat(manifestParts).toString('utf8')));
    if (manifest.dialect !== dialect) throw new Error('the manifest and the header name different databases');
    if (dbPartial !== null && target.dialect === 'sqlite') await rename(dbPartial, target.file);
    if (await exists(witnessDir)) await rmdir(witnessDir);
    await rename(workWitness, witnessDir);
    if (await exists(filesDir)) await rmdir(filesDir);
    await rename(workFiles, filesDir);
    return { dialect, entries: read.opened.header.entries, manifest, database: target, witnessDir, filesDir };
  } catch (err) {
    const tool = restoreTool as Tool | null;
    if (tool !== null && tool.child.exitCode === null) tool.child.kill('SIGTERM');
    throw err;
  } finally {
    // Close any file handle a failed run left open, then remove everything temporary.
    for (const fh of openHandles) await fh.close().catch(() => undefined);
    if (dbPartial !== null) await rm(dbPartial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

export type RestoreReport = RestoreResult & {
  ok: boolean;
  /** Audit trail verification of the restored copy (Merkle tree, MACs, checkpoints, witness). */
  audit: VerifyReport;
  /** Row counts per table: as recorded in the backup's manifest, and as found after the restore. */
  rowCounts: { table: string; expected: number; restored: number }[];
  /** Row count mismatches and other problems besides the audit trail's own. */
  problems: string[];
};

/**
 * Restores (see {@link restoreBackup}), then opens the restored database with the same master key
 * and witness directory `<dataDir>/witness`, checks every table's row count against the manifest
 * and that every stored document's file is in `<dataDir>/files`,
 * verifies the audit trail, records `backup.backup.restored` in the restored database and seals it.
 */
export async function restoreAndVerify(
  file: string,
  options: { masterKey: Buffer; dataDir: string; databaseUrl?: string | undefined; onProgress?: Progress },
): Promise<RestoreReport> {
  const restored = await restoreBackup(file, options);
  const handle = createDb(restored.database, { poolSize: 2 });
  try {
    const counts = await tableCounts(kyselyQuery(handle.db), handle.dialect);
    const rowCounts = Object.entries(restored.manifest.tables).map(([table, expected]) => ({
      table,
      expected,
      restored: counts[table] ?? -1,
    }));
    const problems = rowCounts
      .filter((r) => r.expected !== r.restored)
      .map((r) =>
        r.restored < 0
          ? `table ${r.table} is missing after the restore`
          : `table ${r.table}: ${r.expected} rows in the backup, ${r.restored} after the restore`,
      );
    await migrateToLatest(handle.db, migrations);
    const { runtime } = await createRuntime({
      database: handle,
      clock: systemClock,
      logger: createLogger({ level: 'silent' }),
      keys: {
        masterKey: options.masterKey.toString('base64'),
        masterKeyFile: path.join(options.dataDir, 'keys', 'master.key'),
      },
      audit: { witnessDir: restored.witnessDir, checkpointEvents: 1000, checkpointSeconds: 300 },
    });
    // Every stored document's encrypted file came back (rows are checked above by count).
    const storedRows = await handle.db.selectFrom('stored_file').select(['id', 'storageKey']).execute();
    const present = new Set(await listStoredFiles(restored.filesDir));
    for (const row of storedRows) {
      if (!present.has(row.storageKey)) problems.push(`stored file ${row.id} is missing after the restore`);
    }
    const audit = await verifyAndRecord(runtime, 'restore');
    const sha256 = (await hashFile(file)).sha256;
    const ok = audit.ok && problems.length === 0;
    await recordDetached(systemCtx(runtime, 'backup-restore'), {
      action: 'backup.backup.restored',
      outcome: ok ? 'success' : 'failure',
      ...(ok ? {} : { reason: (problems[0] ?? audit.problems[0] ?? 'verification failed').slice(0, 300) }),
      data: { file: path.resolve(file), sha256 },
    });
    await sealOnce(runtime, { forceCheckpoint: true });
    return { ...restored, ok, audit, rowCounts, problems };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Schedule and retention

/**
 * Deletes the oldest `medledger-backup-*.mlbk` files in `dir` beyond the newest `keep`. Touches no
 * other file and no sub-directory. Returns the names removed.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error('keep must be a whole number of at least 1');
  const found = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .flatMap((e) => {
      const m = BACKUP_FILE.exec(e.name);
      return m === null ? [] : [{ name: e.name, at: m[1]!, n: Number(m[2] ?? '1') }];
    })
    .sort((a, b) => (a.at === b.at ? a.n - b.n : a.at < b.at ? -1 : 1));
  const doomed = found.slice(0, Math.max(0, found.length - keep));
  for (const f of doomed) await rm(path.join(dir, f.name), { force: true });
  return doomed.map((f) => f.name);
}

/** One scheduled run: a backup, then retention (only after a successful backup). */
export async function runScheduledBackup(
  runtime: Runtime,
  options: { dir: string; keep: number; database: DbHandle },
): Promise<{ backup: BackupResult; removed: string[] }> {
  const backup = await createBackup(runtime, { toDir: options.dir, database: options.database });
  const removed = await pruneBackups(options.dir, options.keep);
  if (removed.length > 0) runtime.log.info({ removed }, 'old backups removed (retention)');
  return { backup, removed };
}

/**
 * GSP art. 51(9) automatic backup: every `intervalHours`, never two at once. A failure is logged
 * (and audited by createBackup), never thrown. `stop` waits for a running backup to finish.
 */
export function startBackupSchedule(
  runtime: Runtime,
  options: { dir: string; intervalHours: number; keep: number; database: DbHandle },
): { stop: () => Promise<void> } {
  if (!(options.intervalHours > 0)) throw new Error('intervalHours must be positive');
  return every(
    options.intervalHours * 3_600_000,
    () => runScheduledBackup(runtime, options),
    (err: unknown) => runtime.log.error({ err }, 'scheduled backup failed'),
  );
}

// ---------------------------------------------------------------------------------------------
// Command line

/**
 * The master key for `backup verify` and `backup restore`: the `masterKey` setting, or the key file,
 * which must already exist. Unlike start-up, this never generates a key: a new key opens no backup.
 */
export function loadBackupMasterKey(options: { masterKey?: string | undefined; masterKeyFile: string }): Buffer {
  if (options.masterKey === undefined && !existsSync(options.masterKeyFile)) {
    throw new Error(
      `No master key: ${options.masterKeyFile} does not exist. Put the master key of the installation that made the backup there (mode 0600), or set MEDLEDGER_MASTER_KEY.`,
    );
  }
  return loadMasterKey(options).key;
}

/** Where a command writes: normal output and messages/progress. */
export type CommandIo = { out: (s: string) => void; err: (s: string) => void };

function progressBar(io: CommandIo, label: string): Progress | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    io.err(`\r${label} [${bar}] ${pct}%${pct >= 100 ? '\n' : ''}`);
  };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function describeTarget(target: RestoreTarget): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.file}`;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** `medledger backup create --to <dir>`: exit code 0 on success, 1 on failure. */
export async function backupCreateCommand(
  runtime: Runtime,
  io: CommandIo,
  options: { to: string; database: DbHandle },
): Promise<number> {
  try {
    const progress = progressBar(io, 'Encrypting');
    const result = await createBackup(runtime, {
      toDir: options.to,
      database: options.database,
      ...(progress ? { onProgress: progress } : {}),
    });
    await sealOnce(runtime);
    io.out(
      [
        `Encrypted backup written: ${result.file}`,
        `  size ${result.bytes} bytes, SHA-256 ${result.sha256}`,
        'Next: copy it to media kept away from this server, and check the copy with `medledger backup verify <file>`.',
        'The master key is NOT in the backup: without it the backup cannot be restored. Keep a copy of the master key',
        'separately from the backups (for example sealed in a safe).',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    io.err(`Backup failed: ${messageOf(err)}\n`);
    io.err('Nothing was kept. Fix the cause above and run `medledger backup create` again.\n');
    return 1;
  }
}

/** `medledger backup verify <file>`: exit code 0 when every chunk and entry checks out, else 1. */
export async function backupVerifyCommand(
  io: CommandIo,
  options: { file: string; masterKey: Buffer },
): Promise<number> {
  try {
    const progress = progressBar(io, 'Verifying');
    const r = await verifyBackup(options.file, options.masterKey, progress ? { onProgress: progress } : {});
    if (r.ok) {
      const bytes = r.entries.reduce((s, e) => s + e.size, 0);
      io.out(
        `Backup verified: ${options.file}\n  made ${r.createdAt ?? '?'} from ${r.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}; ${r.entries.length} entries, ${bytes} bytes, every chunk and checksum intact.\n`,
      );
      return 0;
    }
    io.err(`BACKUP VERIFICATION FAILED: ${options.file}\n`);
    for (const p of r.problems) io.err(`  - ${p}\n`);
    io.err(
      'Do not rely on this backup. Check that you used the right master key, then make a new backup with `medledger backup create`.\n',
    );
    return 1;
  } catch (err) {
    io.err(`Backup verification failed: ${messageOf(err)}\n`);
    return 1;
  }
}

/**
 * `medledger backup restore <file> --data-dir <dir> [--database-url <url>]`: restores into an empty
 * target, then verifies the restored audit trail; exit code 1 if anything fails.
 */
export async function backupRestoreCommand(
  io: CommandIo,
  options: { file: string; masterKey: Buffer; dataDir: string; databaseUrl?: string | undefined },
): Promise<number> {
  let report: RestoreReport;
  try {
    const progress = progressBar(io, 'Restoring');
    report = await restoreAndVerify(options.file, {
      masterKey: options.masterKey,
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      ...(progress ? { onProgress: progress } : {}),
    });
  } catch (err) {
    io.err(`Restore failed: ${messageOf(err)}\n`);
    return 1;
  }
  const a = report.audit;
  io.out(
    `Restored ${options.file} (made ${report.manifest.createdAt}, MedLedger ${report.manifest.medledgerVersion}) into ${describeTarget(report.database)}; witness files in ${report.witnessDir}, uploaded documents in ${report.filesDir}.\n`,
  );
  if (report.problems.length === 0) {
    io.out(`Row counts match the backup's manifest for all ${report.rowCounts.length} tables.\n`);
  } else {
    io.err(`ROW COUNTS DIFFER FROM THE BACKUP (${report.problems.length}):\n`);
    for (const p of report.problems) io.err(`  - ${p}\n`);
  }
  if (a.ok) {
    io.out(
      `Audit trail intact: ${a.treeSize} sealed events, ${a.checkpoints} signed checkpoints, ${a.witnessCheckpoints} witness copies, ${a.unsealed} not yet sealed.\n`,
    );
  } else {
    io.err(`AUDIT TRAIL VERIFICATION FAILED after the restore (${a.problems.length} problem(s)):\n`);
    for (const p of a.problems) io.err(`  - ${p}\n`);
  }
  if (!report.ok) {
    io.err('Do not put this copy into service. Try an older backup, or keep this one for investigation.\n');
    return 1;
  }
  io.out(
    [
      'Next: make the same master key available to the restored installation (MEDLEDGER_MASTER_KEY, or the key file',
      'at <data dir>/keys/master.key with mode 0600), point MEDLEDGER_DATA_DIR' +
        (report.dialect === 'postgres' ? ' and MEDLEDGER_DATABASE_URL' : '') +
        ' at the restored copy, and start `medledger serve`.',
      '',
    ].join('\n'),
  );
  return 0;
}
