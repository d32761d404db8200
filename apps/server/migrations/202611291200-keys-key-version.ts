import type { Kysely } from 'kysely';

/** Data keys, wrapped (AES-256-GCM) by the master key; one row per purpose and version. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('retiredAt', 'text')
    .addUniqueConstraint('key_version_purpose_version', ['purpose', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('key_version').execute();
}
