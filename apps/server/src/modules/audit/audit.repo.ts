import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  AuditCheckpointTable,
  AuditEventTable,
  AuditIndexTable,
  AuditLeafTable,
  AuditNodeTable,
  AuditVerificationTable,
} from './audit.tables.js';

// Append-only by construction: this repo has inserts and reads, and no update or delete.

const prepared = new WeakMap<SQLite.Database, SQLite.Statement>();

/**
 * Inserts an event row. On SQLite inside a transaction this uses a cached prepared statement on the
 * transaction's own connection (SQLite has exactly one), skipping query building on the hottest
 * write path; everywhere else it goes through Kysely.
 */
export async function insertEvent(db: Db, row: Insertable<AuditEventTable>, sqlite?: SQLite.Database): Promise<void> {
  if (sqlite !== undefined && db.isTransaction) {
    let stmt = prepared.get(sqlite);
    if (stmt === undefined) {
      stmt = sqlite.prepare('insert into "audit_event" ("id", "canonical", "mac") values (?, ?, ?)');
      prepared.set(sqlite, stmt);
    }
    stmt.run(row.id, row.canonical, row.mac);
    return;
  }
  await db.insertInto('audit_event').values(row).execute();
}

export async function insertIndexRows(db: Db, rows: Insertable<AuditIndexTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('audit_index')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function treeSize(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_leaf')
    .select((eb) => eb.fn.max('leafIndex').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/**
 * How far back (in insertion sequence) a sealing round looks for unsealed events. On PostgreSQL
 * transactions commit out of sequence order, but never by this many positions in practice; a full
 * sweep (`from: 0`) runs periodically and before every verification and export to catch stragglers.
 */
export const SEAL_LOOKBACK = 10_000;

/** The lowest sequence number a routine sealing round needs to look at. */
export async function sealLowWater(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_leaf')
    .select((eb) => eb.fn.max('eventSeq').as('max'))
    .executeTakeFirst();
  const max = row?.max === null || row?.max === undefined ? 0 : Number(row.max);
  return Math.max(0, max - SEAL_LOOKBACK);
}

/** Committed events after `afterSeq` that are not yet leaves, oldest insertion first. */
export async function unsealedEvents(
  db: Db,
  afterSeq: number,
  limit: number,
): Promise<{ seq: number; id: string; canonical: string; mac: string }[]> {
  return db
    .selectFrom('audit_event as e')
    .select(['e.seq', 'e.id', 'e.canonical', 'e.mac'])
    .where('e.seq', '>', afterSeq)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('audit_leaf as l').select('l.leafIndex').whereRef('l.eventSeq', '=', 'e.seq'))),
    )
    .orderBy('e.seq')
    .limit(limit)
    .execute();
}

export async function countUnsealed(db: Db): Promise<number> {
  const low = await sealLowWater(db);
  const row = await db
    .selectFrom('audit_event as e')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.seq', '>', low)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('audit_leaf as l').select('l.leafIndex').whereRef('l.eventSeq', '=', 'e.seq'))),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertLeaves(db: Db, rows: Insertable<AuditLeafTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('audit_leaf')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function insertNodes(db: Db, rows: Insertable<AuditNodeTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('audit_node')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function findNode(db: Db, level: number, idx: number): Promise<string | undefined> {
  if (level === 0) {
    const leaf = await db.selectFrom('audit_leaf').select('leafHash').where('leafIndex', '=', idx).executeTakeFirst();
    return leaf?.leafHash;
  }
  const node = await db
    .selectFrom('audit_node')
    .select('hash')
    .where('level', '=', level)
    .where('idx', '=', idx)
    .executeTakeFirst();
  return node?.hash;
}

export async function insertCheckpoint(db: Db, row: AuditCheckpointTable): Promise<void> {
  await db.insertInto('audit_checkpoint').values(row).execute();
}

export async function latestCheckpoint(db: Db): Promise<AuditCheckpointTable | undefined> {
  return db.selectFrom('audit_checkpoint').selectAll().orderBy('treeSize', 'desc').limit(1).executeTakeFirst();
}

export async function listCheckpoints(db: Db): Promise<AuditCheckpointTable[]> {
  return db.selectFrom('audit_checkpoint').selectAll().orderBy('treeSize').execute();
}

export async function insertVerification(db: Db, row: AuditVerificationTable): Promise<void> {
  await db.insertInto('audit_verification').values(row).execute();
}

export async function latestVerification(db: Db): Promise<AuditVerificationTable | undefined> {
  return db
    .selectFrom('audit_verification')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
