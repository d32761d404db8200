import { PERMISSIONS, type Permission } from '@medledger/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnyRouteDef } from '../src/platform/http/route.js';
import { buildTestApp, headerAuthenticator, testDialect, type TestApp } from './harness.js';

/**
 * The access matrix, generated from the route table: every route that exists now, and every route
 * added later, is tried anonymously and (for permission routes) by a user holding every permission
 * except the one the route needs. Each attempt must be refused with the right status, and nothing
 * but the audit trail may change in the database.
 */
let t: TestApp;
const ALL = Object.keys(PERMISSIONS) as Permission[];
const SOME_ID = '01900000-0000-7000-8000-0000000000aa';

beforeAll(async () => {
  t = await buildTestApp({ authenticate: headerAuthenticator });
});
afterAll(async () => {
  await t?.close();
});

const urlOf = (r: AnyRouteDef) => r.url.replace(/:[A-Za-z]+/g, SOME_ID).replace('/*', '/some/page');

/** Row counts of every table outside the audit trail (which records the refusals). */
async function snapshot(): Promise<Record<string, number>> {
  const tables =
    testDialect() === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'
          and name not like 'sqlite_%'`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    if (name.startsWith('audit_')) continue;
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(t.db);
    counts[name] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}

describe(`AC-01 AC-02 the access matrix over every route (${testDialect()})`, () => {
  test('AC-01 every route is declared public, signed-in or with a catalogue permission', () => {
    for (const r of t.routes) {
      const kinds = [r.public === true, 'signedIn' in r && r.signedIn === true, r.permission !== undefined];
      expect(kinds.filter(Boolean), `${r.method} ${r.url}`).toHaveLength(1);
    }
  });

  test('AC-01 anonymous requests to every guarded route answer 401 and change nothing', async () => {
    const guarded = t.routes.filter((r) => r.public !== true);
    expect(guarded.length).toBeGreaterThan(10);
    const before = await snapshot();
    for (const r of guarded) {
      const res = await t.app.inject({ method: r.method, url: urlOf(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('unauthenticated');
    }
    expect(await snapshot()).toEqual(before);
  });

  test('AC-01 a user with every other permission gets 403 on each permission route, naming the permission; nothing changes', async () => {
    const withPermission = t.routes.filter((r) => r.permission !== undefined);
    expect(withPermission.length).toBeGreaterThan(5);
    const before = await snapshot();
    for (const r of withPermission) {
      const others = ALL.filter((p) => p !== r.permission).join(',');
      const res = await t.app.inject({
        method: r.method,
        url: urlOf(r),
        payload: {},
        headers: { 'x-test-actor': others },
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json<{ message: string }>().message).toContain(String(r.permission));
    }
    expect(await snapshot()).toEqual(before);
  });

  test('AC-01 LOG-01 each refusal is in the audit trail', async () => {
    const before = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const r = t.routes.find((x) => x.permission !== undefined)!;
    await t.app.inject({ method: r.method, url: urlOf(r), payload: {}, headers: { 'x-test-actor': '' } });
    const after = await t.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  test('AC-04 no mutating route accepts owner, role, scope, status, approver or operator fields: 400 naming them, nothing changes', async () => {
    const withBody = t.routes.filter((r) => r.kind !== 'raw' && 'body' in r && r.body !== undefined);
    expect(withBody.length).toBeGreaterThan(10);
    const forged = {
      role: 'system-admin',
      owner: 'someone',
      scope: 'all',
      status: 'approved',
      approvedBy: 'me',
      operatorName: '王某',
      requestedBy: 'me',
    };
    const before = await snapshot();
    for (const r of withBody) {
      const res = await t.app.inject({
        method: r.method,
        url: urlOf(r),
        payload: forged,
        headers: { 'x-test-actor': ALL.join(',') },
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      const paths = res.json<{ issues?: { path: string }[] }>().issues?.map((i) => i.path) ?? [];
      for (const key of Object.keys(forged)) expect(paths, `${r.method} ${r.url}`).toContain(`body.${key}`);
    }
    expect(await snapshot()).toEqual(before);
  });
});
