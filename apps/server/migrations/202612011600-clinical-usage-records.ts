import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Hospital implant / interventional device usage records (SY art. 14: kept permanently; TL art.
 * 51). Each correction is a new version row; versions and their devices are append-only. Patient
 * identifiers live sealed in `cl_usage_patient` (one row per version; rewrapped on key rotation,
 * never deleted) with keyed blind indexes on the version for exact-match search. Break-glass grants
 * carry their post-hoc review.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .createTable('cl_usage_record')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recordId', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`"version" >= 1`))
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('procedureDate', 'text', (c) => c.notNull())
    .addColumn('procedureName', 'text', (c) => c.notNull())
    .addColumn('surgeon', 'text', (c) => c.notNull())
    .addColumn('bodySite', 'text')
    .addColumn('note', 'text')
    .addColumn('patientSex', 'text', (c) => c.notNull())
    .addColumn('patientIdIndex', 'text', (c) => c.notNull())
    .addColumn('patientMrnIndex', 'text', (c) => c.notNull())
    .addColumn('amendReason', 'text')
    .addColumn('recordedBy', 'text', (c) => c.notNull())
    .addColumn('recordedByName', 'text', (c) => c.notNull())
    .addColumn('recordedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cl_usage_record_version')
    .on('cl_usage_record')
    .columns(['recordId', 'version'])
    .unique()
    .execute();
  await db.schema
    .createIndex('cl_usage_record_scope')
    .on('cl_usage_record')
    .columns(['site', 'department', 'procedureDate'])
    .execute();
  await db.schema.createIndex('cl_usage_record_patient').on('cl_usage_record').columns(['patientIdIndex']).execute();
  await db.schema.createIndex('cl_usage_record_mrn').on('cl_usage_record').columns(['patientMrnIndex']).execute();

  await db.schema
    .createTable('cl_usage_patient')
    .addColumn('id', 'text', (c) => c.primaryKey().references('cl_usage_record.id'))
    .addColumn('nameSealed', 'text', (c) => c.notNull())
    .addColumn('idNumberSealed', 'text', (c) => c.notNull())
    .addColumn('mrnSealed', 'text', (c) => c.notNull())
    .addColumn('birthDateSealed', 'text', (c) => c.notNull())
    .addColumn('phoneSealed', 'text')
    .execute();

  await db.schema
    .createTable('cl_usage_device')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('versionId', 'text', (c) => c.notNull().references('cl_usage_record.id'))
    .addColumn('lineNo', 'integer', (c) => c.notNull())
    .addColumn('rawScan', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('di', 'text', (c) => c.notNull())
    .addColumn('lot', 'text')
    .addColumn('serial', 'text')
    .addColumn('productionDate', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('productCode', 'text', (c) => c.notNull())
    .addColumn('productName', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('certificateNo', 'text', (c) => c.notNull())
    .addColumn('registrant', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cl_usage_device_line')
    .on('cl_usage_device')
    .columns(['versionId', 'lineNo'])
    .unique()
    .execute();
  await db.schema.createIndex('cl_usage_device_di').on('cl_usage_device').columns(['di', 'lot', 'serial']).execute();

  await db.schema
    .createTable('cl_break_glass')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.notNull())
    .addColumn('userName', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('recordId', 'text')
    .addColumn('patientIdIndex', 'text')
    .addColumn('patientIdMasked', 'text')
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('grantedAt', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'text', (c) => c.notNull())
    .addColumn('reads', 'integer', (c) => c.notNull())
    .addColumn('reviewDueAt', 'text', (c) => c.notNull())
    .addColumn('reviewStatus', 'text', (c) => c.notNull())
    .addColumn('escalatedAt', 'text')
    .addColumn('reviewDecision', 'text')
    .addColumn('reviewComment', 'text')
    .addColumn('reviewedBy', 'text')
    .addColumn('reviewedByName', 'text')
    .addColumn('reviewedAt', 'text')
    .execute();
  await db.schema.createIndex('cl_break_glass_user').on('cl_break_glass').columns(['userId', 'grantedAt']).execute();
  await db.schema
    .createIndex('cl_break_glass_review')
    .on('cl_break_glass')
    .columns(['reviewStatus', 'reviewDueAt'])
    .execute();

  // Usage records are kept permanently and corrected only by new versions.
  const appendOnly = ['cl_usage_record', 'cl_usage_device'];
  // Sealed identifiers are rewrapped on key rotation (UPDATE) but never deleted; grants likewise.
  const noDelete = ['cl_usage_patient', 'cl_break_glass'];
  if (pg) {
    for (const table of appendOnly) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    for (const table of noDelete) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    for (const table of [...appendOnly, ...noDelete]) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
  } else {
    for (const table of appendOnly) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only: ${op} refused`)}); END`.execute(db);
      }
    }
    for (const table of noDelete) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} records are never deleted: DELETE refused`)}); END`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  // Implant usage records are kept permanently (SY art. 14) and are never dropped by a migration.
  await Promise.resolve();
}
