import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/** Electronic signatures on GSP records (GSP-04): append-only, like the audit trail they are recorded in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('e_signature')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull().references('user_account.id'))
    .addColumn('signerName', 'text', (c) => c.notNull())
    .addColumn('signerLogin', 'text', (c) => c.notNull())
    .addColumn('meaning', 'text', (c) => c.notNull())
    .addColumn('subjectType', 'text', (c) => c.notNull())
    .addColumn('subjectId', 'text', (c) => c.notNull())
    .addColumn('recordHash', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('signedAt', 'text', (c) => c.notNull())
    .addColumn('auditEventId', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('e_signature_subject').on('e_signature').columns(['subjectType', 'subjectId']).execute();
  if (isPostgres(db)) {
    await sql`CREATE TRIGGER e_signature_append_only BEFORE UPDATE OR DELETE ON e_signature
      FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
  } else {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`e_signature_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON e_signature
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`e_signature is append-only: ${op} refused`)}); END`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  // Signatures are records; a migration never drops them.
  await Promise.resolve();
}
