import type { Kysely } from 'kysely';

/**
 * How the session last confirmed its user again (step-up): `totp` or `passkey`. A passkey
 * confirmation can then stand for one electronic signature (GSP-04) instead of a typed code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('auth_session').addColumn('reauthMethod', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('auth_session').dropColumn('reauthMethod').execute();
}
