import {
  createCipheriv,
  createDecipheriv,
  hash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import type { AuditEventData, AuditOutcome } from '@medledger/contract';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../platform/db/database.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { forgetKey } from './keys.aead.js';
import { KEY_PURPOSES, type KeyPurpose } from './keys.tables.js';

/** A column whose values are sealed by `keys.seal`; the rewrap job walks these. */
export type SealedColumn = { table: string; column: string; idColumn: string };

type KeysAction = 'keys.key.rotated' | 'keys.key.retired' | 'keys.rewrap.completed' | 'keys.integrity.failed';

/** An audit event the keys module records. */
export type KeysAuditInput = {
  [A in KeysAction]: {
    action: A;
    outcome: AuditOutcome;
    reason?: string;
    resource?: { type: string; id: string };
    data: AuditEventData<A>;
  };
}[KeysAction];

/**
 * The audit module's `record` and `recordDetached`. audit and keys are both layer 1, so neither
 * imports the other: the composition root hands keys these functions, as it hands audit the MAC
 * and signer from keys.
 */
export type KeysAuditor = {
  record: (ctx: Ctx, input: KeysAuditInput) => Promise<unknown>;
  recordDetached: (ctx: Omit<Ctx, 'db'>, input: KeysAuditInput) => Promise<unknown>;
};

/**
 * The unwrapped data keys of this installation, held in memory only by the keys module. Other
 * modules never see key bytes: they call seal/open/blindIndex, or receive the narrow functions the
 * composition root hands them (the audit MAC and checkpoint signer).
 */
export type KeyRing = {
  /** version → key bytes, per purpose; only active versions. */
  readonly versions: Map<KeyPurpose, Map<number, Buffer>>;
  readonly master: Buffer;
  readonly sealedColumns: SealedColumn[];
  /** Null until the composition root wires the audit trail; keys then refuses to change keys. */
  readonly auditor: KeysAuditor | null;
  /** Audit MAC over a 32-byte leaf hash: SHA-256(key ‖ leafHash), hex (fixed-length input). */
  auditMac: (leafHash: Buffer) => string;
  auditSigner: { publicKey: Buffer; sign: (message: Buffer) => Buffer };
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    keys: KeyRing;
  }
}

const wrapAad = (purpose: KeyPurpose, version: number) => Buffer.from(`medledger-key/1|${purpose}|${version}`, 'utf8');

export function wrapKey(master: Buffer, purpose: KeyPurpose, version: number, key: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, nonce);
  cipher.setAAD(wrapAad(purpose, version));
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64url');
}

export function unwrapKey(master: Buffer, purpose: KeyPurpose, version: number, wrapped: string): Buffer {
  const raw = Buffer.from(wrapped, 'base64url');
  if (raw.length < 12 + 16 + 1) throw new Error('wrapped key is truncated');
  const decipher = createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12));
  decipher.setAAD(wrapAad(purpose, version));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

/** Fresh key material for a purpose: 32 random bytes, or an Ed25519 private key (PKCS#8 DER). */
export function newKeyMaterial(purpose: KeyPurpose): Buffer {
  if (purpose === 'audit-signing') {
    return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  }
  return randomBytes(32);
}

/** Inserts version `version` of a purpose's key, wrapped by the master key. */
export async function insertKeyVersion(
  db: Kysely<Database>,
  master: Buffer,
  purpose: KeyPurpose,
  version: number,
  at: Date,
): Promise<Buffer> {
  const key = newKeyMaterial(purpose);
  await db
    .insertInto('key_version')
    .values({
      id: uuidv7(at.getTime()),
      purpose,
      version,
      wrapped: wrapKey(master, purpose, version, key),
      state: 'active',
      createdAt: at.toISOString(),
      retiredAt: null,
    })
    .execute();
  return key;
}

function ed25519(privateDer: Buffer): { privateKey: KeyObject; publicKey: Buffer } {
  const privateKey = createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: spki.subarray(spki.length - 32) };
}

/**
 * Loads the key ring: creates version 1 of any purpose that has no key yet (reported in `created`
 * so the caller can audit it once the audit trail is available), then unwraps every active version.
 * A master key that does not match the database is refused with a readable error.
 */
export async function openKeyRing(
  db: Kysely<Database>,
  master: Buffer,
  now: Date,
  sealedColumns: SealedColumn[] = [],
  auditor: KeysAuditor | null = null,
): Promise<{ ring: KeyRing; created: { purpose: KeyPurpose; version: number }[] }> {
  const created: { purpose: KeyPurpose; version: number }[] = [];
  for (const purpose of KEY_PURPOSES) {
    const existing = await db.selectFrom('key_version').select('id').where('purpose', '=', purpose).executeTakeFirst();
    if (existing === undefined) {
      await insertKeyVersion(db, master, purpose, 1, now);
      created.push({ purpose, version: 1 });
    }
  }
  const versions = await loadVersions(db, master);
  const macKey = current(versions, 'audit-mac').key;
  const macInput = Buffer.alloc(64);
  const signing = ed25519(current(versions, 'audit-signing').key);
  const ring: KeyRing = {
    versions,
    master,
    sealedColumns,
    auditor,
    auditMac: (leafHash) => {
      macKey.copy(macInput, 0);
      leafHash.copy(macInput, 32);
      const digest = hash('sha256', macInput, 'hex');
      macInput.fill(0);
      return digest;
    },
    auditSigner: { publicKey: signing.publicKey, sign: (message) => sign(null, message, signing.privateKey) },
  };
  return { ring, created };
}

/** Unwraps all active key versions. */
export async function loadVersions(db: Db, master: Buffer): Promise<Map<KeyPurpose, Map<number, Buffer>>> {
  const rows = await db.selectFrom('key_version').selectAll().where('state', '=', 'active').execute();
  const versions = new Map<KeyPurpose, Map<number, Buffer>>();
  for (const row of rows) {
    const key = unwrapOrExplain(master, row);
    const byVersion = versions.get(row.purpose) ?? new Map<number, Buffer>();
    byVersion.set(row.version, key);
    versions.set(row.purpose, byVersion);
  }
  return versions;
}

function unwrapOrExplain(master: Buffer, row: { purpose: KeyPurpose; version: number; wrapped: string }): Buffer {
  try {
    return unwrapKey(master, row.purpose, row.version, row.wrapped);
  } catch {
    throw new Error(
      `the master key does not open data key ${row.purpose} v${row.version}: this database was set up with another master key`,
    );
  }
}

/**
 * Brings one purpose's versions in memory in line with the database: adds versions another process
 * created, drops (and zeroes, CRY-11) versions that are retired or were never committed. Returns
 * the active versions.
 */
export async function syncVersions(ring: KeyRing, db: Db, purpose: 'field'): Promise<number[]> {
  const rows = await db
    .selectFrom('key_version')
    .select(['purpose', 'version', 'wrapped'])
    .where('purpose', '=', purpose)
    .where('state', '=', 'active')
    .execute();
  const byVersion = ring.versions.get(purpose) ?? new Map<number, Buffer>();
  const active = new Set(rows.map((r) => Number(r.version)));
  for (const row of rows) {
    const version = Number(row.version);
    if (!byVersion.has(version)) byVersion.set(version, unwrapOrExplain(ring.master, { ...row, version }));
  }
  for (const [version, key] of byVersion) {
    if (active.has(version)) continue;
    byVersion.delete(version);
    forgetKey(key);
    key.fill(0);
  }
  ring.versions.set(purpose, byVersion);
  return [...active].sort((a, b) => a - b);
}

/** The audit recorder, or a readable error when the composition root has not wired one. */
export function requireAuditor(ring: KeyRing): KeysAuditor {
  if (ring.auditor !== null) return ring.auditor;
  throw new Error(
    'the keys module has no audit recorder: the composition root must pass { record, recordDetached } from the audit module to openKeyRing',
  );
}

/** The newest active version of a purpose's key. */
export function current(
  versions: Map<KeyPurpose, Map<number, Buffer>>,
  purpose: KeyPurpose,
): { version: number; key: Buffer } {
  const byVersion = versions.get(purpose);
  if (byVersion === undefined || byVersion.size === 0) throw new Error(`no active ${purpose} key`);
  // A loop, not Math.max(...keys()): this runs on every seal.
  let version = 0;
  for (const v of byVersion.keys()) if (v > version) version = v;
  return { version, key: byVersion.get(version)! };
}
