import type { Kysely } from 'kysely';

/** Text-message codes as a second factor (AUTH-15): the enrolled factor, the codes, the development outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mfa_sms')
    .addColumn('userId', 'text', (c) => c.primaryKey().references('user_account.id'))
    .addColumn('phoneIndex', 'text', (c) => c.notNull())
    .addColumn('confirmedAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sms_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sessionId', 'text', (c) => c.notNull().references('auth_session.id'))
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('phoneIndex', 'text', (c) => c.notNull())
    .addColumn('codeHash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('usedAt', 'text')
    .addColumn('voidedAt', 'text')
    .execute();
  await db.schema.createIndex('sms_code_session').on('sms_code').columns(['sessionId', 'createdAt']).execute();
  await db.schema.createIndex('sms_code_user').on('sms_code').columns(['userId', 'createdAt']).execute();
  await db.schema.createIndex('sms_code_phone').on('sms_code').columns(['phoneIndex', 'createdAt']).execute();

  await db.schema
    .createTable('sms_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('toMasked', 'text', (c) => c.notNull())
    .addColumn('toSealed', 'text', (c) => c.notNull())
    .addColumn('textSealed', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sms_outbox').execute();
  await db.schema.dropTable('sms_code').execute();
  await db.schema.dropTable('mfa_sms').execute();
}
