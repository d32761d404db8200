import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Database, Dialect } from './db/database.js';

/**
 * The application's long-lived services, reachable from every action as `ctx.runtime`: the root
 * database handle (for writes that must survive a rolled-back request, such as a denial or an
 * integrity alert), the clock, the logger, and whatever modules add by declaration merging:
 *
 *   declare module '../../platform/runtime.js' {
 *     interface Runtime { keys: KeyRing }
 *   }
 *
 * One Runtime per application instance, so tests can run several apps in one process.
 */
export interface Runtime {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
  /** The SQLite connection behind `db` (for prepared statements on hot paths); absent on PostgreSQL. */
  sqlite?: SQLite.Database;
}
