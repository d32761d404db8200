import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import { buildApp, createRuntime, type AppOptions } from '../src/app.js';
import { systemClock, type Clock } from '../src/platform/clock.js';
import { createDb, type DbHandle } from '../src/platform/db/create-db.js';
import type { Database } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { Actor, Authenticator } from '../src/platform/http/ctx.js';
import type { AnyRouteDef } from '../src/platform/http/route.js';
import { createLogger } from '../src/platform/logger.js';
import type { Permission } from '@medledger/contract';
import type { Runtime } from '../src/platform/runtime.js';
import type { SealedColumn } from '../src/modules/keys/index.js';
import type { SmsSettings } from '../src/modules/identity/index.js';
import type { CompanyProfile } from '../src/modules/sales/index.js';
import type { TlsCertificateInfo } from '../src/platform/http/tls.js';
import { randomBytes as randomKey } from 'node:crypto';
import { routeLogObserver } from './route-log.js';

export type TestDialect = 'sqlite' | 'postgres';

/** A synthetic company profile for delivery slips (invented name and numbers). */
export const TEST_COMPANY: CompanyProfile = {
  name: '示例医疗器械供应链有限公司',
  address: '示例市示例区康健路 9 号',
  licenceNo: '示例药监械经营许20260009号',
  phone: '021-5555 0100',
};

/** The database this test project runs on (set per Vitest project in vitest.config.ts). */
export function testDialect(): TestDialect {
  const d = process.env.MEDLEDGER_TEST_DIALECT ?? 'sqlite';
  if (d !== 'sqlite' && d !== 'postgres') throw new Error(`MEDLEDGER_TEST_DIALECT=${d} is not sqlite or postgres`);
  return d;
}

export const FIXTURE_WEB_DIR = path.join(import.meta.dirname, 'fixtures', 'web');

/**
 * A fresh, empty database of the given dialect: a temporary SQLite file (WAL needs a file), or a
 * new database on the PostgreSQL server named by MEDLEDGER_TEST_DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(dialect: TestDialect = testDialect()): Promise<{
  handle: DbHandle;
  drop: () => Promise<void>;
}> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'medledger-test-'));
    const handle = createDb({ dialect: 'sqlite', file: path.join(dir, 'test.sqlite') });
    return {
      handle,
      drop: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.MEDLEDGER_TEST_DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    throw new Error(
      'MEDLEDGER_TEST_DATABASE_URL is not set: the PostgreSQL test project needs a server (npm test starts one)',
    );
  }
  const name = `medledger_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = createDb({ dialect: 'postgres', url: url.toString() }, { poolSize: 5 });
  return {
    handle,
    drop: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A raw Kysely on a test database, for tests that inspect rows the API must not expose. */
export type TestDb = Kysely<Database>;

export type TestApp = {
  app: FastifyInstance;
  handle: DbHandle;
  runtime: Runtime;
  /** The witness directory of this app's audit trail (a temporary folder). */
  witnessDir: string;
  /** Where this app stores uploaded files (a temporary folder). */
  filesDir: string;
  routes: AnyRouteDef[];
  db: Kysely<Database>;
  dialect: TestDialect;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close: () => Promise<void>;
};

/**
 * Builds the real application on a fresh, migrated database of this project's dialect. Options
 * let platform tests add routes and an authenticator until the identity module provides sessions.
 */
export async function buildTestApp(
  options: {
    dialect?: TestDialect;
    authenticate?: Authenticator;
    extraRoutes?: readonly AnyRouteDef[];
    clock?: Clock;
    trustedProxies?: string[];
    /** AC-11 management networks; loopback (the default) unless given. */
    adminNetworks?: string[];
    adminMfa?: 'any' | 'passkey';
    webDir?: string;
    checkpointEvents?: number;
    /** Columns sealed by `keys` in test tables (create them in beforeBuild). */
    sealedColumns?: SealedColumn[];
    /** A fixed master key (base64), e.g. to reopen the same database later. */
    masterKey?: string;
    beforeBuild?: (db: Kysely<Database>) => Promise<void>;
    /** Text-message provider (AUTH-15); off unless given. */
    sms?: SmsSettings;
    /** FILE-01 upload limit in bytes (MEDLEDGER_UPLOAD_MAX_MB); 10 MiB unless given. */
    uploadMaxBytes?: number;
    /** Our company on delivery slips; a synthetic one unless given (`null`: not configured). */
    company?: CompanyProfile | null;
    /** TRN-03: the served certificate shown in the system information (none unless given). */
    tlsCertificate?: TlsCertificateInfo;
  } = {},
): Promise<TestApp> {
  const dialect = options.dialect ?? testDialect();
  const { handle, drop } = await createTestDatabase(dialect);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      cb();
    },
  });
  const witnessDir = mkdtempSync(path.join(tmpdir(), 'medledger-witness-'));
  const filesDir = mkdtempSync(path.join(tmpdir(), 'medledger-files-'));
  const removeDirs = () => {
    rmSync(witnessDir, { recursive: true, force: true });
    rmSync(filesDir, { recursive: true, force: true });
  };
  const uploadMaxBytes = options.uploadMaxBytes ?? 10 * 1024 * 1024;
  try {
    await migrateToLatest(handle.db, migrations);
    await options.beforeBuild?.(handle.db);
    const { runtime } = await createRuntime({
      database: handle,
      clock: options.clock ?? systemClock,
      logger: createLogger({ level: 'info', destination: sink }),
      keys: {
        masterKey: options.masterKey ?? randomKey(32).toString('base64'),
        masterKeyFile: path.join(witnessDir, 'unused.key'),
      },
      audit: { witnessDir, checkpointEvents: options.checkpointEvents ?? 1000, checkpointSeconds: 300 },
      files: { dir: filesDir, maxBytes: uploadMaxBytes },
      company: options.company === undefined ? TEST_COMPANY : options.company,
      ...(options.sealedColumns ? { sealedColumns: options.sealedColumns } : {}),
      ...(options.sms ? { sms: options.sms } : {}),
    });
    const appOptions: AppOptions = {
      runtime,
      settings: {
        bodyLimitBytes: 1024 * 1024,
        trustedProxies: options.trustedProxies ?? [],
        ...(options.adminNetworks ? { adminNetworks: options.adminNetworks } : {}),
        ...(options.adminMfa ? { adminMfa: options.adminMfa } : {}),
        publicUrl: 'https://localhost:8443',
        webDir: options.webDir ?? FIXTURE_WEB_DIR,
        uploadMaxBytes,
      },
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
      ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
      ...(options.tlsCertificate ? { tlsCertificate: options.tlsCertificate } : {}),
    };
    const observeResponse = routeLogObserver(runtime, dialect);
    if (observeResponse !== undefined) appOptions.observeResponse = observeResponse;
    const { app, routes } = await buildApp(appOptions);
    return {
      app,
      routes,
      runtime,
      handle,
      witnessDir,
      filesDir,
      db: handle.db,
      dialect,
      logs,
      close: async () => {
        await app.close();
        await drop();
        removeDirs();
      },
    };
  } catch (err) {
    await drop();
    removeDirs();
    throw err;
  }
}

/**
 * Test authenticator: the `x-test-actor` header names a permission list (`x-test-sites`, optional,
 * the sites every one of them is limited to). It exists only in the
 * test harness, to exercise the platform's permission check before real sessions exist.
 */
export const headerAuthenticator: Authenticator = (request) => {
  const raw = request.headers['x-test-actor'];
  if (typeof raw !== 'string') return Promise.resolve({ actor: null, session: null });
  const permissions = raw === '' ? [] : (raw.split(',') as Permission[]);
  // `x-test-sites` limits every permission to the listed sites (AC-02 data scope).
  const sitesHeader = request.headers['x-test-sites'];
  const sites = typeof sitesHeader === 'string' ? new Set(sitesHeader.split(',')) : null;
  const actor: Actor = {
    kind: 'user',
    id: 'test-user',
    name: 'Test User',
    roles: [],
    permissions: new Set(permissions),
    ...(sites === null ? {} : { sites: new Map(permissions.map((p) => [p, sites])) }),
  };
  return Promise.resolve({ actor, session: null });
};
