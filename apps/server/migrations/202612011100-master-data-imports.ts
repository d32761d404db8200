import type { Kysely } from 'kysely';

/**
 * Spreadsheet imports of master data: the import job (status, progress, capped row errors), the
 * validated rows staged for the commit, and the link from each filed proposal to its import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('md_import')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fileSha256', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull())
    .addColumn('valid', 'integer', (c) => c.notNull())
    .addColumn('errorCount', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('reason', 'text')
    .addColumn('createdBy', 'text', (c) => c.notNull())
    .addColumn('createdByName', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('updatedAt', 'text', (c) => c.notNull())
    .addColumn('committedBy', 'text')
    .addColumn('committedByName', 'text')
    .addColumn('committedAt', 'text')
    .execute();
  await db.schema.createIndex('md_import_created').on('md_import').column('createdAt').execute();

  await db.schema
    .createTable('md_import_row')
    .addColumn('importId', 'text', (c) => c.notNull().references('md_import.id'))
    .addColumn('rowNo', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('md_import_row_pk', ['importId', 'rowNo'])
    .execute();

  await db.schema.alterTable('md_change').addColumn('importId', 'text').execute();
  await db.schema.createIndex('md_change_import').on('md_change').columns(['importId', 'status']).execute();
  // A scanned or imported DI is looked up without its issuer; the primary key (issuer, di) cannot serve that.
  await db.schema.createIndex('md_udi_di_di').on('md_udi_di').column('di').execute();
  // "Is a proposal of this record pending?" is asked for every proposal; with thousands pending
  // (an import) the (status, requestedAt) index would make each question a scan.
  await db.schema.createIndex('md_change_entity_status').on('md_change').columns(['entityId', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('md_change_entity_status').execute();
  await db.schema.dropIndex('md_udi_di_di').execute();
  await db.schema.dropIndex('md_change_import').execute();
  await db.schema.alterTable('md_change').dropColumn('importId').execute();
  await db.schema.dropTable('md_import_row').execute();
  await db.schema.dropTable('md_import').execute();
}
