import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

const APPEND_ONLY = [
  'audit_event',
  'audit_leaf',
  'audit_index',
  'audit_node',
  'audit_checkpoint',
  'audit_verification',
];

/**
 * The audit trail (LOG-04/05): events, the Merkle tree over them (leaves and completed subtree
 * nodes), signed checkpoints, and verification results. Every table is append-only: triggers abort
 * UPDATE and DELETE (and TRUNCATE on PostgreSQL) whoever runs them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // The request path writes only this lean row: the canonical bytes and their MAC.
  await db.schema
    .createTable('audit_event')
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
      pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('canonical', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_leaf')
    .addColumn('leafIndex', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('eventSeq', pg ? 'bigint' : 'integer', (c) => c.notNull().unique())
    .addColumn('leafHash', 'text', (c) => c.notNull())
    .addColumn('sealedAt', 'text', (c) => c.notNull())
    .execute();

  // Search columns, extracted from the canonical event by the sealer (off the request path).
  await db.schema
    .createTable('audit_index')
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text')
    .addColumn('actorName', 'text')
    .addColumn('resourceType', 'text')
    .addColumn('resourceId', 'text')
    .execute();
  await db.schema.createIndex('audit_index_at').on('audit_index').column('at').execute();
  await db.schema.createIndex('audit_index_action').on('audit_index').columns(['action', 'seq']).execute();
  await db.schema.createIndex('audit_index_actor').on('audit_index').columns(['actorId', 'seq']).execute();
  await db.schema.createIndex('audit_index_actor_name').on('audit_index').columns(['actorName', 'seq']).execute();
  await db.schema
    .createIndex('audit_index_resource')
    .on('audit_index')
    .columns(['resourceType', 'resourceId', 'seq'])
    .execute();

  await db.schema
    .createTable('audit_node')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_node_pk', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('audit_checkpoint')
    .addColumn('treeSize', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('rootHash', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_verification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('treeSize', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('firstBadIndex', pg ? 'bigint' : 'integer')
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .execute();

  if (pg) {
    await sql`CREATE FUNCTION medledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$`.execute(db);
    for (const table of APPEND_ONLY) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
  } else {
    for (const table of APPEND_ONLY) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only: ${op} refused`)}); END`.execute(db);
      }
    }
  }
}

export async function down(): Promise<void> {
  // The audit trail is never dropped by a migration.
  await Promise.resolve();
}
