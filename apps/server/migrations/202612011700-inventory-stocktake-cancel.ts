import type { Kysely } from 'kysely';

/** A stocktake opened by mistake can be cancelled while counting: who, when and why are kept. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inv_stocktake').addColumn('cancelledByName', 'text').execute();
  await db.schema.alterTable('inv_stocktake').addColumn('cancelledAt', 'text').execute();
  await db.schema.alterTable('inv_stocktake').addColumn('cancelReason', 'text').execute();
}

export async function down(): Promise<void> {
  // Stocktakes are GSP records: their columns are never dropped by a migration.
  await Promise.resolve();
}
