import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { createRuntime } from '../../app.js';
import { systemClock } from '../../platform/clock.js';
import { createDb } from '../../platform/db/create-db.js';
import { migrateToLatest, migrationStatus } from '../../platform/db/migrator.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { createLogger } from '../../platform/logger.js';
import { testDialect } from '../../../test/harness.js';
import { record, sealOnce, verifyAuditTrail } from './index.js';

const DOC = path.resolve(import.meta.dirname, '../../../../../docs/operations/postgresql-roles.md');

/** The owner's grant statements from the operations document, for the given role names. */
function documentedGrants(owner: string, app: string): string[] {
  const block = readFileSync(DOC, 'utf8').split('```sql')[1]!.split('```')[0]!;
  const ownerPart = block.split('-- as medledger_owner')[1]!;
  return ownerPart
    .split('\n')
    .slice(1)
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .replaceAll('medledger_owner', owner)
    .replaceAll('medledger_app', app)
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
}

const exec = (db: { executeQuery: (q: never) => Promise<unknown> }, sqlText: string) =>
  db.executeQuery({ sql: sqlText, parameters: [], query: { kind: 'RawNode' } } as never);

describe.runIf(testDialect() === 'postgres')('AC-12 least-privilege PostgreSQL roles', () => {
  test('LOG-04 / AC-12 the application role can append and read audit events but not change or remove them', async () => {
    const adminUrl = process.env.MEDLEDGER_TEST_DATABASE_URL!;
    const suffix = randomBytes(4).toString('hex');
    const dbName = `medledger_roles_${suffix}`;
    const owner = `medledger_owner_${suffix}`;
    const app = `medledger_app_${suffix}`;
    const password = randomBytes(12).toString('hex');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const urlFor = (user: string) => {
      const u = new URL(adminUrl);
      u.username = user;
      u.password = password;
      u.pathname = `/${dbName}`;
      return u.toString();
    };
    const dbUrl = (() => {
      const u = new URL(adminUrl);
      u.pathname = `/${dbName}`;
      return u.toString();
    })();
    try {
      await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${password}'`);
      await admin.query(`CREATE ROLE ${app} LOGIN PASSWORD '${password}'`);
      await admin.query(`CREATE DATABASE ${dbName} OWNER ${owner}`);
      const inDb = new pg.Client({ connectionString: dbUrl });
      await inDb.connect();
      await inDb.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
      await inDb.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
      await inDb.query(`GRANT CREATE ON SCHEMA public TO ${owner}`);
      await inDb.end();

      // The owner migrates and applies the documented grants.
      const ownerDb = createDb({ dialect: 'postgres', url: urlFor(owner) });
      await migrateToLatest(ownerDb.db, migrations);
      const ownerClient = new pg.Client({ connectionString: urlFor(owner) });
      await ownerClient.connect();
      for (const statement of documentedGrants(owner, app)) await ownerClient.query(statement);
      await ownerClient.end();
      await ownerDb.close();

      // The application role: no pending migrations, so start-up needs no DDL.
      const appDb = createDb({ dialect: 'postgres', url: urlFor(app) });
      try {
        expect((await migrationStatus(appDb.db, migrations)).pending).toEqual([]);
        const { runtime } = await createRuntime({
          database: appDb,
          clock: systemClock,
          logger: createLogger({ level: 'silent' }),
          keys: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: '/nonexistent' },
          audit: {
            witnessDir: path.join('/tmp', `medledger-witness-${suffix}`),
            checkpointEvents: 5,
            checkpointSeconds: 300,
          },
        });
        await appDb.db.transaction().execute((tx) =>
          record(systemCtx(runtime, 'test', tx), {
            action: 'keys.key.created',
            outcome: 'success',
            data: { purpose: 'x', version: 1 },
          }),
        );
        await sealOnce(runtime, { forceCheckpoint: true });
        expect((await verifyAuditTrail(runtime)).problems).toEqual([]);
        const columns: Record<string, string> = {
          audit_event: 'canonical',
          audit_leaf: 'leafHash',
          audit_index: 'action',
          audit_checkpoint: 'note',
        };
        for (const [table, column] of Object.entries(columns)) {
          await expect(exec(appDb.db, `update ${table} set "${column}" = 'x'`), table).rejects.toThrow(
            /permission denied/,
          );
          await expect(exec(appDb.db, `delete from ${table}`), table).rejects.toThrow(/permission denied/);
          await expect(exec(appDb.db, `truncate ${table}`), table).rejects.toThrow(/permission denied/);
        }
        await expect(exec(appDb.db, 'create table evil (x int)')).rejects.toThrow(/permission denied/);
      } finally {
        await appDb.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${app}`);
      await admin.query(`DROP ROLE IF EXISTS ${owner}`);
      await admin.end();
    }
  });
});
