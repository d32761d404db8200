import type { Kysely } from 'kysely';

/**
 * Passkeys (AUTH-16/17): WebAuthn credentials — the public key only, never biometric data — and the
 * server-side, single-use challenges of each ceremony.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webauthn_credential')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('credentialId', 'text', (c) => c.notNull().unique())
    .addColumn('publicKey', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('deviceType', 'text', (c) => c.notNull())
    .addColumn('backedUp', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('lastUsedAt', 'text')
    .execute();
  await db.schema.createIndex('webauthn_credential_user').on('webauthn_credential').column('userId').execute();

  await db.schema
    .createTable('webauthn_challenge')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull().unique())
    .addColumn('userId', 'text')
    .addColumn('sessionId', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('usedAt', 'text')
    .execute();
  await db.schema.createIndex('webauthn_challenge_expiry').on('webauthn_challenge').column('expiresAt').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['webauthn_challenge', 'webauthn_credential']) await db.schema.dropTable(t).execute();
}
