import type { Kysely } from 'kysely';

/** One-time tokens that allow creating the first administrator. Only a SHA-256 digest is stored. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('setup_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tokenHash', 'text', (c) => c.notNull().unique())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('consumedAt', 'text')
    .addColumn('revokedAt', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setup_token').execute();
}
