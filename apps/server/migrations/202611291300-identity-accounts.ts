import type { Kysely } from 'kysely';

/** Accounts, server-side sessions, TOTP factors and recovery codes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_account')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('loginKey', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phoneSealed', 'text')
    .addColumn('organisation', 'text')
    .addColumn('employmentEndsAt', 'text')
    .addColumn('bootstrapRole', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('passwordHash', 'text')
    .addColumn('passwordChangedAt', 'text')
    .addColumn('failedLogins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lastFailedLoginAt', 'text')
    .addColumn('lockedUntil', 'text')
    .addColumn('lastLoginAt', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('updatedAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tokenHash', 'text', (c) => c.notNull().unique())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('authMethod', 'text')
    .addColumn('privileged', 'integer', (c) => c.notNull())
    .addColumn('mfaFailures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('userAgent', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('lastSeenAt', 'text', (c) => c.notNull())
    .addColumn('authenticatedAt', 'text')
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('endedAt', 'text')
    .addColumn('endReason', 'text')
    .execute();
  await db.schema.createIndex('auth_session_user').on('auth_session').columns(['userId', 'endedAt']).execute();

  await db.schema
    .createTable('mfa_totp')
    .addColumn('userId', 'text', (c) => c.primaryKey().references('user_account.id'))
    .addColumn('secretSealed', 'text', (c) => c.notNull())
    .addColumn('lastStep', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmedAt', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('codeHash', 'text', (c) => c.notNull().unique())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('usedAt', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['recovery_code', 'mfa_totp', 'auth_session', 'user_account']) await db.schema.dropTable(t).execute();
}
