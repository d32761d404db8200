import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrations } from '../migrations/index.js';
import type { DbHandle } from '../src/platform/db/create-db.js';
import { migrateToLatest, migrationStatus } from '../src/platform/db/migrator.js';
import { createTestDatabase, testDialect } from './harness.js';

let handle: DbHandle;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ handle, drop } = await createTestDatabase());
});
afterAll(() => drop());

describe(`migrations on ${testDialect()}`, () => {
  test('migrations run up from an empty database, then are a no-op', async () => {
    const before = await migrationStatus(handle.db, migrations);
    expect(before.applied).toEqual([]);
    expect(before.pending).toEqual(Object.keys(migrations));
    const applied = await migrateToLatest(handle.db, migrations);
    expect(applied).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(handle.db, migrations)).toEqual([]);
    const after = await migrationStatus(handle.db, migrations);
    expect(after.pending).toEqual([]);
  });

  test('migration names are ordered and follow <yyyymmddHHMM>-<module>-<change>', () => {
    const names = Object.keys(migrations);
    expect([...names].sort()).toEqual(names);
    for (const n of names) expect(n).toMatch(/^\d{12}-[a-z-]+-[a-z0-9-]+$/);
  });

  test('SQLite runs with WAL and foreign keys on', async () => {
    if (handle.dialect !== 'sqlite') return;
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(handle.db);
    expect(journal.rows[0]?.journal_mode).toBe('wal');
    expect(fk.rows[0]?.foreign_keys).toBe(1);
  });
});
