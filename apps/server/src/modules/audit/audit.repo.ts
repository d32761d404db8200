import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  AuditCheckpointTable,
  AuditEventTable,
  AuditLeafTable,
  AuditNodeTable,
  AuditVerificationTable,
} from './audit.tables.js';

// Append-only by construction: this repo has inserts and reads, and no update or delete.

export async function insertEvent(db: Db, row: Insertable<AuditEventTable>): Promise<void> {
  await db.insertInto('audit_event').values(row).execute();
}

export async function treeSize(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_leaf')
    .select((eb) => eb.fn.max('leafIndex').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/** Committed events that are not yet leaves, oldest insertion first. */
export async function unsealedEvents(db: Db, limit: number): Promise<{ id: string; canonical: string; mac: string }[]> {
  return db
    .selectFrom('audit_event as e')
    .leftJoin('audit_leaf as l', 'l.eventId', 'e.id')
    .select(['e.id', 'e.canonical', 'e.mac'])
    .where('l.eventId', 'is', null)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
}

export async function countUnsealed(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_event as e')
    .leftJoin('audit_leaf as l', 'l.eventId', 'e.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.eventId', 'is', null)
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
