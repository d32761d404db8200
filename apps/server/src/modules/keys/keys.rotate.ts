import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { systemCtx, type Ctx } from '../../platform/http/ctx.js';
import type { Runtime } from '../../platform/runtime.js';
import { forgetKey } from './keys.aead.js';
import { current, insertKeyVersion, requireAuditor, syncVersions, type SealedColumn } from './keys.ring.js';
import { open, sealAt, sealedPrefix } from './keys.seal.js';
import { KEY_PURPOSES, type KeyPurpose } from './keys.tables.js';

/** What a rewrap run did; `remaining` counts values still not under `toVersion`. */
export type RewrapResult = {
  toVersion: number;
  rewrapped: number;
  /** Values that failed their integrity check (each raised an alert) and were left as they are. */
  failed: number;
  remaining: number;
  columns: number;
  /** True when the run was stopped through its signal before the end; rerun to continue. */
  stopped: boolean;
};

export type RewrapOptions = {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Names the system actor in the audit trail, e.g. `cli:keys rewrap`. */
  actor?: string;
};

export type KeyVersionStatus = {
  version: number;
  state: 'active' | 'retired';
  current: boolean;
  createdAt: string;
  retiredAt: string | null;
  /** field keys only: values in the registered sealed columns under this version. */
  sealedValues?: number;
};

export type KeyStatus = {
  purpose: KeyPurpose;
  versions: KeyVersionStatus[];
  /** field only: non-null values not under the current version (the rewrap completion metric). */
  pendingRewrap?: number;
  /** field only: non-null values under no known version (plaintext or damaged). */
  unrecognised?: number;
};

const MAX_BATCH = 10_000;

/** Counts non-null values of a registered column, optionally only those with / without a prefix. */
async function countValues(db: Db, col: SealedColumn, prefix?: { text: string; has: boolean }): Promise<number> {
  const c = sql.ref(col.column);
  const head = prefix === undefined ? sql`` : sql` AND substr(${c}, 1, ${sql.lit(prefix.text.length)})`;
  const filter =
    prefix === undefined ? sql`` : prefix.has ? sql`${head} = ${prefix.text}` : sql`${head} <> ${prefix.text}`;
  const { rows } = await sql<{ n: number | string }>`
    SELECT count(*) AS n FROM ${sql.table(col.table)} WHERE ${c} IS NOT NULL${filter}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

async function countAll(db: Db, cols: readonly SealedColumn[], prefix?: { text: string; has: boolean }) {
  let n = 0;
  for (const col of cols) n += await countValues(db, col, prefix);
  return n;
}

async function activeVersions(db: Db, purpose: KeyPurpose): Promise<{ newest: number | null; highest: number }> {
  const rows = await db.selectFrom('key_version').select(['version', 'state']).where('purpose', '=', purpose).execute();
  const active = rows.filter((r) => r.state === 'active').map((r) => Number(r.version));
  return {
    newest: active.length === 0 ? null : Math.max(...active),
    highest: rows.reduce((max, r) => Math.max(max, Number(r.version)), 0),
  };
}

/**
 * CRY-04: adds version n+1 of the field key, wrapped by the master key, and audits it in the
 * caller's transaction. Make it the last step of that transaction: the version joins this
 * process's ring at once, so if the commit then fails, call `reloadKeys` to drop it again.
 */
export async function rotateKey(ctx: Ctx, purpose: 'field'): Promise<{ fromVersion: number; toVersion: number }> {
  const ring = ctx.runtime.keys;
  const auditor = requireAuditor(ring);
  const { newest, highest } = await activeVersions(ctx.db, purpose);
  if (newest === null) throw new AppError('conflict', `There is no active ${purpose} key to rotate from.`);
  // Retired versions keep their numbers: a number is never reused for other key bytes.
  const toVersion = highest + 1;
  const key = await insertKeyVersion(ctx.db, ring.master, purpose, toVersion, ctx.now);
  await auditor.record(ctx, {
    action: 'keys.key.rotated',
    outcome: 'success',
    resource: { type: 'key_version', id: `${purpose}:${toVersion}` },
    data: { purpose, fromVersion: newest, toVersion },
  });
  const byVersion = ring.versions.get(purpose) ?? new Map<number, Buffer>();
  byVersion.set(toVersion, key);
  ring.versions.set(purpose, byVersion);
  return { fromVersion: newest, toVersion };
}

type PendingRow = { row_id: string | number; sealed_value: string };

async function pendingBatch(
  db: Db,
  col: SealedColumn,
  prefix: string,
  after: string | number | null,
  limit: number,
): Promise<PendingRow[]> {
  const c = sql.ref(col.column);
  const id = sql.ref(col.idColumn);
  // Keyset paging, so values that cannot be opened are passed over instead of read again forever.
  const from = after === null ? sql`` : sql` AND ${id} > ${after}`;
  const { rows } = await sql<PendingRow>`
    SELECT ${id} AS row_id, ${c} AS sealed_value FROM ${sql.table(col.table)}
    WHERE ${c} IS NOT NULL AND substr(${c}, 1, ${sql.lit(prefix.length)}) <> ${prefix}${from}
    ORDER BY ${id} LIMIT ${sql.lit(limit)}`.execute(db);
  return rows;
}

/**
 * Writes re-sealed values in one small transaction. Each write only lands if the value is still
 * the one that was read, so a concurrent writer is never overwritten. Returns the rows written.
 */
export async function writeBack(
  db: Db,
  col: SealedColumn,
  updates: readonly { id: string | number; before: string; after: string }[],
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    let n = 0;
    for (const u of updates) {
      const result = await sql`
        UPDATE ${sql.table(col.table)} SET ${sql.ref(col.column)} = ${u.after}
        WHERE ${sql.ref(col.idColumn)} = ${u.id} AND ${sql.ref(col.column)} = ${u.before}`.execute(tx);
      n += Number(result.numAffectedRows ?? 0n);
    }
    return n;
  });
}

/**
 * CRY-04: re-seals every registered sealed value that is not under the newest field key, in
 * batches of small transactions. Each write is conditional on the value read (`… AND column =
 * old`), so a concurrent writer always wins, and a rerun continues where a stopped run ended.
 * Table and column names come only from the registry. Plaintext never leaves this function.
 */
export async function rewrap(runtime: Runtime, options: RewrapOptions = {}): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
    throw new AppError('validation_failed', `The batch size must be a whole number from 1 to ${MAX_BATCH}.`);
  }
  const ring = runtime.keys;
  requireAuditor(ring);
  // Rewrap towards the newest version any process has created, not just the one this process knows.
  await syncVersions(ring, runtime.db, 'field');
  const newest = current(ring.versions, 'field');
  // A private copy: a concurrent reload may zero the ring's buffer while this job runs (CRY-11).
  const target = { version: newest.version, key: Buffer.from(newest.key) };
  try {
    return await rewrapTo(runtime, target, batchSize, options);
  } finally {
    forgetKey(target.key);
    target.key.fill(0);
  }
}

async function rewrapTo(
  runtime: Runtime,
  target: { version: number; key: Buffer },
  batchSize: number,
  options: RewrapOptions,
): Promise<RewrapResult> {
  const ring = runtime.keys;
  const auditor = requireAuditor(ring);
  const ctx = systemCtx(runtime, options.actor ?? 'keys rewrap');
  const prefix = sealedPrefix(target.version);
  const cols = ring.sealedColumns;
  let total = await countAll(runtime.db, cols, { text: prefix, has: false });
  let done = 0;
  let rewrapped = 0;
  let failed = 0;
  let stopped = false;
  options.onProgress?.(0, total);
  for (const col of cols) {
    let after: string | number | null = null;
    while (!stopped) {
      if (options.signal?.aborted === true) {
        stopped = true;
        break;
      }
      const rows = await pendingBatch(runtime.db, col, prefix, after, batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.row_id;
      const updates: { id: string | number; before: string; after: string }[] = [];
      for (const row of rows) {
        const ref = { table: col.table, column: col.column, rowId: String(row.row_id) };
        try {
          const plaintext = await open(ctx, ref, row.sealed_value);
          updates.push({ id: row.row_id, before: row.sealed_value, after: sealAt(target, ref, plaintext) });
        } catch (err) {
          if (!isAppError(err, 'integrity_failed')) throw err;
          failed++;
        }
      }
      rewrapped += await writeBack(runtime.db, col, updates);
      done += rows.length;
      total = Math.max(total, done);
      options.onProgress?.(done, total);
    }
  }
  const remaining = await countAll(runtime.db, cols, { text: prefix, has: false });
  if (remaining === 0 && !stopped) {
    await auditor.recordDetached(ctx, {
      action: 'keys.rewrap.completed',
      outcome: 'success',
      data: { toVersion: target.version, rewrapped, columns: cols.length },
    });
  }
  return { toVersion: target.version, rewrapped, failed, remaining, columns: cols.length, stopped };
}

/**
 * Every purpose's key versions with their state; for the field key also how many sealed values
 * each version protects, and how many still wait for a rewrap (CRY-04 completion metric).
 */
export async function keyStatus(runtime: Runtime): Promise<KeyStatus[]> {
  const db = runtime.db;
  const rows = await db
    .selectFrom('key_version')
    .select(['purpose', 'version', 'state', 'createdAt', 'retiredAt'])
    .orderBy('purpose')
    .orderBy('version')
    .execute();
  const cols = runtime.keys.sealedColumns;
  const out: KeyStatus[] = [];
  for (const purpose of KEY_PURPOSES) {
    const mine = rows.filter((r) => r.purpose === purpose);
    const active = mine.filter((r) => r.state === 'active').map((r) => Number(r.version));
    const newest = active.length === 0 ? null : Math.max(...active);
    const versions: KeyVersionStatus[] = [];
    for (const r of mine) {
      const version = Number(r.version);
      const v: KeyVersionStatus = {
        version,
        state: r.state,
        current: version === newest,
        createdAt: r.createdAt,
        retiredAt: r.retiredAt,
      };
      if (purpose === 'field') v.sealedValues = await countAll(db, cols, { text: sealedPrefix(version), has: true });
      versions.push(v);
    }
    if (purpose !== 'field') {
      out.push({ purpose, versions });
      continue;
    }
    const all = await countAll(db, cols);
    const known = versions.reduce((n, v) => n + (v.sealedValues ?? 0), 0);
    const onCurrent = versions.find((v) => v.current)?.sealedValues ?? 0;
    out.push({ purpose, versions, pendingRewrap: all - onCurrent, unrecognised: all - known });
  }
  return out;
}

/**
 * CRY-03/04: retires an old field key version once no registered value uses it. Refuses the
 * current version, and any version still in use (run the rewrap first).
 */
export async function retireKey(
  ctx: Ctx,
  purpose: 'field',
  version: number,
): Promise<{ purpose: 'field'; version: number; retiredAt: string }> {
  const ring = ctx.runtime.keys;
  const auditor = requireAuditor(ring);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new AppError('validation_failed', 'The key version must be a positive whole number.');
  }
  const row = await ctx.db
    .selectFrom('key_version')
    .select(['id', 'state'])
    .where('purpose', '=', purpose)
    .where('version', '=', version)
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('not_found', `There is no ${purpose} key v${version}; \`medledger keys status\` lists them.`);
  }
  if (row.state === 'retired') throw new AppError('conflict', `The ${purpose} key v${version} is already retired.`);
  const { newest } = await activeVersions(ctx.db, purpose);
  if (version === newest) {
    throw new AppError(
      'conflict',
      `The ${purpose} key v${version} is the current key and seals every new value; it cannot be retired. Rotate first (\`medledger keys rotate --purpose ${purpose}\`), run \`medledger keys rewrap\`, then retire it.`,
    );
  }
  const inUse = await countAll(ctx.db, ring.sealedColumns, { text: sealedPrefix(version), has: true });
  if (inUse > 0) {
    throw new AppError(
      'conflict',
      `${inUse} sealed value(s) still use the ${purpose} key v${version}; retiring it would make them unreadable. Run \`medledger keys rewrap\` to move them to v${newest}, then retire v${version}.`,
    );
  }
  const retiredAt = ctx.now.toISOString();
  const updated = await ctx.db
    .updateTable('key_version')
    .set({ state: 'retired', retiredAt })
    .where('id', '=', row.id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError(
      'conflict',
      `The ${purpose} key v${version} was changed at the same time; check the status and retry.`,
    );
  }
  await auditor.record(ctx, {
    action: 'keys.key.retired',
    outcome: 'success',
    resource: { type: 'key_version', id: `${purpose}:${version}` },
    data: { purpose, version },
  });
  // Drops (and zeroes) the retired version; a rollback is harmless, `open` reloads on a miss.
  await syncVersions(ring, ctx.db, 'field');
  return { purpose, version, retiredAt };
}

/** Brings this process's field keys in line with the database (another process may have rotated). */
export async function reloadKeys(runtime: Runtime): Promise<number[]> {
  return syncVersions(runtime.keys, runtime.db, 'field');
}
