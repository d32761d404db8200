import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { createDb, type DbHandle } from '../src/platform/db/create-db.js';
import { testDialect } from './harness.js';

/**
 * Two processes on one SQLite file (the server and `medledger demo`, `keys rotate`, `audit verify`…),
 * modelled by two connections. A transaction that has begun must keep its right to write.
 */
const handles: DbHandle[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.runIf(testDialect() === 'sqlite')('SQLite between two processes', () => {
  test('a transaction takes the write lock at BEGIN: another writer waits or is refused, never the one already running', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'medledger-lock-'));
    const file = path.join(dir, 'shared.sqlite');
    const server = createDb({ dialect: 'sqlite', file });
    const cli = createDb({ dialect: 'sqlite', file });
    handles.push(server, cli);
    await sql`create table counter (id integer primary key, n integer not null)`.execute(server.db);
    await sql`insert into counter (id, n) values (1, 0)`.execute(server.db);
    // The other process gives up quickly here (it runs on this same thread, so it cannot wait for us).
    cli.sqlite!.pragma('busy_timeout = 50');

    await server.db.transaction().execute(async (tx) => {
      const before = await sql<{ n: number }>`select n from counter where id = 1`.execute(tx);
      // Meanwhile the other process tries to write: with a deferred BEGIN it would succeed and this
      // transaction would then fail with "database is locked" at its own write.
      expect(() => cli.sqlite!.prepare('update counter set n = n + 100 where id = 1').run()).toThrow(
        /database is locked/,
      );
      await sql`update counter set n = ${before.rows[0]!.n + 1} where id = 1`.execute(tx);
    });
    // Once the first one has committed, the other writes normally.
    cli.sqlite!.prepare('update counter set n = n + 100 where id = 1').run();
    const after = await sql<{ n: number }>`select n from counter where id = 1`.execute(server.db);
    expect(after.rows[0]!.n).toBe(101);
  });
});
