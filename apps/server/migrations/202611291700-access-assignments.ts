import type { Kysely } from 'kysely';

/** Role assignments with a data scope, and the two-person approval of high-risk grants (AC-05/06). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('access_assignment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('roleCode', 'text', (c) => c.notNull())
    .addColumn('site', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requestedBy', 'text', (c) => c.notNull())
    .addColumn('decidedBy', 'text')
    .addColumn('decisionReason', 'text')
    .addColumn('decidedAt', 'text')
    .addColumn('revokedBy', 'text')
    .addColumn('revokedAt', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_assignment_user').on('access_assignment').columns(['userId', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('access_assignment').execute();
}
