import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import type { Database, Dialect } from './database.js';

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken at BEGIN, where the busy timeout
 * applies, so a second process (the CLI beside the server, or the server's sealer beside a CLI
 * command) waits its turn. A deferred BEGIN would take a read snapshot first and then fail with
 * "database is locked" (SQLITE_BUSY_SNAPSHOT) at its first write if the other process wrote in
 * between — the busy timeout cannot help there.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export type DbHandle = {
  db: Kysely<Database>;
  dialect: Dialect;
  close: () => Promise<void>;
  /** The SQLite connection itself (online backup API); absent on PostgreSQL. */
  sqlite?: SQLite.Database;
  /** The PostgreSQL connection URL (for pg_dump); absent on SQLite. */
  postgresUrl?: string;
};

/**
 * Opens the configured database. SQLite is the embedded default: WAL journal, foreign keys on,
 * a busy timeout so a second process (a CLI command next to the server) waits instead of failing.
 */
export function createDb(target: DatabaseTarget, options: { poolSize?: number } = {}): DbHandle {
  if (target.dialect === 'sqlite') {
    mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', close: () => db.destroy(), sqlite };
  }
  // int8 (counts, bigint ids) as JS numbers; MedLedger's counters stay far below 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
  // An idle pooled connection can be closed by the server (restart, failover, admin action); pg
  // reports that on the pool, and an unhandled 'error' event would crash the process.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL connection lost while idle: ${err.message}`, 'MedLedgerDatabaseWarning');
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy(), postgresUrl: target.url };
}
