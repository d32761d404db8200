import { PostgresAdapter, type Kysely } from 'kysely';

// Migrations are frozen in time: they import kysely and this file only, never application code.

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
