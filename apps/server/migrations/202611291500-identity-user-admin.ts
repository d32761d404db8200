import { sql, type Kysely } from 'kysely';

/**
 * User administration (AUTH-18/20/23, dengbao AUTH-03): single-use password links, password
 * history, user notifications, and why an account was disabled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_account').addColumn('disabledReason', 'text').execute();
  await db.schema.alterTable('user_account').addColumn('disabledAt', 'text').execute();
  await db.schema.alterTable('user_account').addColumn('createdBy', 'text').execute();
  // AUTH-23: the dormancy clock runs from the later of the last sign-in and this instant (creation
  // or the last re-enabling), so a re-enabled account is not disabled again at once.
  await db.schema.alterTable('user_account').addColumn('activeSince', 'text').execute();
  await sql`UPDATE user_account SET "activeSince" = "createdAt"`.execute(db);

  await db.schema
    .createTable('password_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('tokenHash', 'text', (c) => c.notNull().unique())
    .addColumn('createdBy', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('usedAt', 'text')
    .addColumn('revokedAt', 'text')
    .execute();
  await db.schema.createIndex('password_link_user').on('password_link').column('userId').execute();

  await db.schema
    .createTable('password_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('passwordHash', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('password_history_user')
    .on('password_history')
    .columns(['userId', 'createdAt'])
    .execute();

  await db.schema
    .createTable('user_notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('readAt', 'text')
    .execute();
  await db.schema
    .createIndex('user_notification_user')
    .on('user_notification')
    .columns(['userId', 'createdAt'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_notification').execute();
  await db.schema.dropTable('password_history').execute();
  await db.schema.dropTable('password_link').execute();
  await db.schema.alterTable('user_account').dropColumn('activeSince').execute();
  await db.schema.alterTable('user_account').dropColumn('createdBy').execute();
  await db.schema.alterTable('user_account').dropColumn('disabledAt').execute();
  await db.schema.alterTable('user_account').dropColumn('disabledReason').execute();
}
