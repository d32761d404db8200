import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Stocktakes (GSP art. 77) with the book snapshot per lot and location, and in-stock maintenance
 * checks (GSP art. 74). An approved stocktake is frozen; maintenance checks are append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('inv_stocktake')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('areaId', 'text')
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('openedBy', 'text', (c) => c.notNull())
    .addColumn('openedByName', 'text', (c) => c.notNull())
    .addColumn('openedAt', 'text', (c) => c.notNull())
    .addColumn('submittedBy', 'text')
    .addColumn('submittedByName', 'text')
    .addColumn('submittedAt', 'text')
    .addColumn('rejectedByName', 'text')
    .addColumn('rejectedAt', 'text')
    .addColumn('rejectReason', 'text')
    .addColumn('approvedBy', 'text')
    .addColumn('approvedByName', 'text')
    .addColumn('approvedAt', 'text')
    .addColumn('approvalNote', 'text')
    .addColumn('signatureId', 'text')
    .execute();
  await db.schema
    .createIndex('inv_stocktake_warehouse')
    .on('inv_stocktake')
    .columns(['warehouseId', 'status'])
    .execute();

  await db.schema
    .createTable('inv_sequence')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('inv_stocktake_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stocktakeId', 'text', (c) => c.notNull().references('inv_stocktake.id'))
    .addColumn('lineNo', 'integer', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull().references('inv_lot.id'))
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull())
    .addColumn('onBook', 'integer', (c) => c.notNull())
    .addColumn('bookQuantity', 'integer', (c) => c.notNull())
    /** The ledger position the book quantity was read at: later movements make the line stale. */
    .addColumn('baseSeq', 'integer', (c) => c.notNull())
    .addColumn('countedQuantity', 'integer')
    .addColumn('countedBy', 'text')
    .addColumn('countedByName', 'text')
    .addColumn('countedAt', 'text')
    .execute();
  await db.schema
    .createIndex('inv_stocktake_line_position')
    .on('inv_stocktake_line')
    .columns(['stocktakeId', 'lotId', 'locationId'])
    .unique()
    .execute();

  await db.schema
    .createTable('inv_maintenance_check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('areaId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('suspectLots', 'integer', (c) => c.notNull())
    .addColumn('checkedBy', 'text', (c) => c.notNull())
    .addColumn('checkedByName', 'text', (c) => c.notNull())
    .addColumn('checkedAt', 'text', (c) => c.notNull())
    .addColumn('signatureId', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inv_maintenance_check_area')
    .on('inv_maintenance_check')
    .columns(['areaId', 'checkedAt'])
    .execute();
  await db.schema
    .createTable('inv_maintenance_lot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checkId', 'text', (c) => c.notNull().references('inv_maintenance_check.id'))
    .addColumn('lotId', 'text', (c) => c.notNull().references('inv_lot.id'))
    .addColumn('appearanceOk', 'integer', (c) => c.notNull())
    .addColumn('packagingOk', 'integer', (c) => c.notNull())
    .addColumn('expiryOk', 'integer', (c) => c.notNull())
    .addColumn('suspect', 'integer', (c) => c.notNull())
    .addColumn('finding', 'text')
    .execute();
  await db.schema.createIndex('inv_maintenance_lot_check').on('inv_maintenance_lot').columns(['checkId']).execute();

  // Maintenance checks are signed records: append-only. A stocktake is frozen once approved (its
  // lines too); stocktakes are never deleted.
  const appendOnly = ['inv_maintenance_check', 'inv_maintenance_lot'];
  if (pg) {
    for (const table of appendOnly) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    await sql`CREATE TRIGGER inv_stocktake_frozen BEFORE UPDATE ON inv_stocktake
      FOR EACH ROW WHEN (OLD.status = 'approved') EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE FUNCTION medledger_stocktake_line_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT status FROM inv_stocktake WHERE id = OLD."stocktakeId") = 'approved' THEN
          RAISE EXCEPTION 'inv_stocktake_line of an approved stocktake: % refused', TG_OP;
        END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER inv_stocktake_line_frozen BEFORE UPDATE ON inv_stocktake_line
      FOR EACH ROW EXECUTE FUNCTION medledger_stocktake_line_frozen()`.execute(db);
    for (const table of ['inv_stocktake', 'inv_stocktake_line']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
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
    await sql`CREATE TRIGGER inv_stocktake_frozen BEFORE UPDATE ON inv_stocktake WHEN OLD.status = 'approved'
      BEGIN SELECT RAISE(ABORT, 'inv_stocktake is approved: UPDATE refused'); END`.execute(db);
    await sql`CREATE TRIGGER inv_stocktake_line_frozen BEFORE UPDATE ON inv_stocktake_line
      WHEN (SELECT status FROM inv_stocktake WHERE id = OLD.stocktakeId) = 'approved'
      BEGIN SELECT RAISE(ABORT, 'inv_stocktake_line of an approved stocktake: UPDATE refused'); END`.execute(db);
    for (const table of ['inv_stocktake', 'inv_stocktake_line']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is kept: DELETE refused`)}); END`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  // Stocktakes and maintenance checks are GSP records and are never dropped by a migration.
  await Promise.resolve();
}
