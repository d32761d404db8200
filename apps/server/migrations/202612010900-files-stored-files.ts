import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Stored documents (FILE-01, FILE-02): one row per uploaded file; the encrypted bytes are kept in
 * the data directory's files folder under `storageKey`. Rows are never deleted, and only
 * `sealedKey` may change (key rotation rewraps it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stored_file')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ownerKind', 'text', (c) => c.notNull())
    .addColumn('ownerId', 'text', (c) => c.notNull())
    .addColumn('fileName', 'text', (c) => c.notNull())
    .addColumn('mediaType', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storageKey', 'text', (c) => c.notNull().unique())
    .addColumn('sealedKey', 'text', (c) => c.notNull())
    .addColumn('uploadedBy', 'text', (c) => c.notNull())
    .addColumn('uploadedByName', 'text', (c) => c.notNull())
    .addColumn('uploadedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stored_file_owner')
    .on('stored_file')
    .columns(['ownerKind', 'ownerId', 'uploadedAt'])
    .execute();

  const frozen = [
    'id',
    'ownerKind',
    'ownerId',
    'fileName',
    'mediaType',
    'size',
    'sha256',
    'storageKey',
    'uploadedBy',
    'uploadedByName',
    'uploadedAt',
  ];
  const columns = sql.join(frozen.map((c) => sql.ref(c)));
  if (isPostgres(db)) {
    // medledger_append_only() (audit trail migration) raises whatever the operation.
    await sql`CREATE TRIGGER stored_file_no_delete BEFORE DELETE ON stored_file
      FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE TRIGGER stored_file_no_truncate BEFORE TRUNCATE ON stored_file
      FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE TRIGGER stored_file_frozen BEFORE UPDATE OF ${columns} ON stored_file
      FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER stored_file_no_delete BEFORE DELETE ON stored_file
      BEGIN SELECT RAISE(ABORT, 'stored_file rows are kept: DELETE refused'); END`.execute(db);
    await sql`CREATE TRIGGER stored_file_frozen BEFORE UPDATE OF ${columns} ON stored_file
      BEGIN SELECT RAISE(ABORT, 'stored_file: only the sealed key may change'); END`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stored_file').execute();
}
