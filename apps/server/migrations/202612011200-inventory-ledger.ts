import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Stock (GSP arts. 69–77): lots and serial numbers, the append-only movement ledger, balances per
 * lot and location that can never go negative, and the climate record of storage areas.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('inv_lot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('serialKey', 'text', (c) => c.notNull())
    .addColumn('productionDate', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('sterilisationBatch', 'text')
    .addColumn('holdReason', 'text')
    .addColumn('heldAt', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inv_lot_identity')
    .on('inv_lot')
    .columns(['productId', 'lot', 'serialKey'])
    .unique()
    .execute();

  await db.schema
    .createTable('inv_movement')
    .addColumn('seq', 'integer', (c) =>
      pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull().references('inv_lot.id'))
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('docType', 'text', (c) => c.notNull())
    .addColumn('docId', 'text', (c) => c.notNull())
    .addColumn('reversalOf', 'text', (c) => c.unique())
    .addColumn('actorId', 'text', (c) => c.notNull())
    .addColumn('actorName', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('inv_movement_lot').on('inv_movement').columns(['lotId', 'seq']).execute();
  await db.schema.createIndex('inv_movement_doc').on('inv_movement').columns(['docId', 'seq']).execute();
  await db.schema.createIndex('inv_movement_product').on('inv_movement').columns(['productId', 'seq']).execute();

  await db.schema
    .createTable('inv_balance')
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('expiryDate', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" >= 0`))
    .addPrimaryKeyConstraint('inv_balance_pk', ['lotId', 'locationId'])
    .execute();
  await db.schema
    .createIndex('inv_balance_fefo')
    .on('inv_balance')
    .columns(['productId', 'zone', 'expiryDate', 'lotId'])
    .execute();
  await db.schema.createIndex('inv_balance_warehouse').on('inv_balance').columns(['warehouseId', 'zone']).execute();

  await db.schema
    .createTable('inv_climate')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('areaId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('temperatureTenths', 'integer', (c) => c.notNull())
    .addColumn('humidityTenths', 'integer', (c) => c.notNull())
    .addColumn('outOfRange', 'integer', (c) => c.notNull())
    .addColumn('recordedBy', 'text', (c) => c.notNull())
    .addColumn('recordedByName', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('inv_climate_area').on('inv_climate').columns(['areaId', 'at']).execute();

  // The ledger and the climate record are never edited: corrections are new entries.
  if (pg) {
    for (const table of ['inv_movement', 'inv_climate']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
  } else {
    for (const table of ['inv_movement', 'inv_climate']) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only: ${op} refused`)}); END`.execute(db);
      }
    }
  }
}

export async function down(): Promise<void> {
  // The stock ledger is a GSP record and is never dropped by a migration.
  await Promise.resolve();
}
