import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { route } from '../src/platform/http/route.js';
import { buildTestApp, type TestApp } from './harness.js';

type ItemDb = { test_item: { id: string; name: string; qty: number } };
const items = (db: unknown) => db as Kysely<ItemDb>;

const CreateItem = z.strictObject({ name: z.string().min(1).max(50), qty: z.number().int().min(1) });
const ListQuery = z.strictObject({ name: z.string().max(50).optional() });

const createItem = route({
  method: 'POST',
  url: '/api/v1/test/items',
  public: true,
  summary: 'test: create an item',
  body: CreateItem,
  response: z.object({ id: z.string(), name: z.string(), qty: z.number() }),
  status: 201,
  handler: async (ctx, { body }) => {
    const row = { id: `${Date.now()}-${body.name}`, name: body.name, qty: body.qty };
    await items(ctx.db).insertInto('test_item').values(row).execute();
    // The response schema must drop fields it does not declare.
    return { ...row, internalSecret: 'must-not-leak' };
  },
});

const failAfterWrite = route({
  method: 'POST',
  url: '/api/v1/test/items-then-fail',
  public: true,
  summary: 'test: write then fail',
  body: CreateItem,
  response: z.object({ id: z.string() }),
  handler: async (ctx, { body }) => {
    await items(ctx.db).insertInto('test_item').values({ id: 'doomed', name: body.name, qty: body.qty }).execute();
    throw new Error('SQLITE_CONSTRAINT: insert into secret_table at /srv/medledger/src/x.ts:12');
  },
});

const listItems = route({
  method: 'GET',
  url: '/api/v1/test/items',
  public: true,
  summary: 'test: list items',
  query: ListQuery,
  response: z.object({ count: z.number() }),
  handler: async (ctx, { query }) => {
    let q = items(ctx.db)
      .selectFrom('test_item')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (query.name !== undefined) q = q.where('name', '=', query.name);
    const row = await q.executeTakeFirstOrThrow();
    return { count: Number(row.n) };
  },
});

let t: TestApp;
const count = async () => {
  const row = await items(t.db)
    .selectFrom('test_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};
const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });

beforeAll(async () => {
  t = await buildTestApp({
    extraRoutes: [createItem, failAfterWrite, listItems],
    beforeBuild: async (db) => {
      await (db as unknown as Kysely<ItemDb>).schema
        .createTable('test_item')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('qty', 'integer', (c) => c.notNull())
        .execute();
    },
  });
});
afterAll(() => t.close());

describe('VAL-01 / AC-04 strict request validation', () => {
  test('a valid body is accepted and undeclared response fields are dropped', async () => {
    const res = await post('/api/v1/test/items', JSON.stringify({ name: 'stent', qty: 2 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: expect.any(String) as string, name: 'stent', qty: 2 });
    expect(res.body).not.toContain('must-not-leak');
  });

  test('AC-04 an extra key such as role is rejected with 400, named, and nothing changes', async () => {
    const before = await count();
    for (const extra of [
      { role: 'system-admin' },
      { status: 'approved' },
      { operatorName: 'QA 王' },
      { approvedBy: 'me' },
    ]) {
      const res = await post('/api/v1/test/items', JSON.stringify({ name: 'x', qty: 1, ...extra }));
      expect(res.statusCode).toBe(400);
      const body = res.json<{ code: string; issues: { path: string }[] }>();
      expect(body.code).toBe('validation_failed');
      expect(body.issues.map((i) => i.path)).toEqual([`body.${Object.keys(extra)[0]}`]);
    }
    expect(await count()).toBe(before);
  });

  test('VAL-09 wrong types are rejected, never coerced (ids and amounts stay as sent)', async () => {
    const before = await count();
    for (const body of [
      { name: 'x', qty: '5' },
      { name: 5, qty: 1 },
      { name: 'x', qty: 1.5 },
      { name: 'x', qty: [1] },
      { name: 'x', qty: { $gt: 0 } },
    ]) {
      const res = await post('/api/v1/test/items', JSON.stringify(body));
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ issues: { path: string; message: string }[] }>().issues[0]?.path).toMatch(/^body\./);
    }
    expect(await count()).toBe(before);
  });

  test('VAL-08 ATK-PROTO __proto__ and constructor.prototype payloads are rejected and pollute nothing', async () => {
    const before = await count();
    for (const payload of [
      '{"name":"x","qty":1,"__proto__":{"polluted":true}}',
      '{"name":"x","qty":1,"constructor":{"prototype":{"polluted":true}}}',
      '{"name":"x","qty":1,"nested":{"__proto__":{"polluted":true}}}',
    ]) {
      const res = await post('/api/v1/test/items', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('invalid_json');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await count()).toBe(before);
  });

  test('VAL-09 ATK-HPP duplicated query keys, unknown query keys and bracket keys are rejected', async () => {
    const dup = await t.app.inject({ method: 'GET', url: '/api/v1/test/items?name=a&name=b' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json<{ issues: { path: string; message: string }[] }>().issues).toEqual([
      { path: 'query.name', message: expect.stringContaining('more than once') as string },
    ]);
    for (const qs of ['extra=1', '__proto__=x', 'name[]=a', 'a[__proto__][x]=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/test/items?${qs}` });
      expect(res.statusCode, qs).toBe(400);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test/items?name=a' })).statusCode).toBe(200);
  });

  test('VAL-02 ATK-SQLI-1 injection strings in filters are plain values', async () => {
    for (const payload of ["' OR '1'='1", "1' AND pg_sleep(5)--", "' UNION SELECT NULL,NULL--", '＇ OR 1=1--']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/test/items?name=${encodeURIComponent(payload)}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ count: 0 });
    }
  });

  test('VAL-01 a body sent where none is accepted, and a missing body, are 400', async () => {
    const res = await post('/api/v1/setup/token/check', '{}');
    expect(res.statusCode).toBe(400);
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/items',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
  });

  test('VAL-01 a body that is not application/json is refused with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await post('/api/v1/test/items', '{"name":"x","qty":1}', { 'content-type': type });
      expect(res.statusCode, type).toBe(415);
      expect(res.json<{ code: string }>().code).toBe('unsupported_media_type');
    }
  });

  test('VAL-08 ATK-DOS depth and size limits: deep JSON → 400, oversized body → 413, both fast', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await post('/api/v1/test/items', deep);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/nested deeper/);
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), qty: 1 });
    const big = await post('/api/v1/test/items', huge);
    expect(big.statusCode).toBe(413);
    expect(big.json<{ code: string }>().code).toBe('payload_too_large');
  });

  test('malformed JSON is a 400 with no parser internals in the message', async () => {
    const res = await post('/api/v1/test/items', '{"name": "x", qty: 1}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'invalid_json',
      message: 'The request body is not valid JSON.',
      requestId: expect.any(String) as string,
    });
  });
});

describe('one transaction per mutating request; CFG-01 generic errors', () => {
  test('CFG-08 a handler that fails after writing leaves nothing behind', async () => {
    const before = await count();
    const res = await post('/api/v1/test/items-then-fail', JSON.stringify({ name: 'x', qty: 1 }));
    expect(res.statusCode).toBe(500);
    expect(await count()).toBe(before);
  });

  test('CFG-01 a 500 carries a request id but no stack, SQL or path; the log has the detail', async () => {
    const res = await post('/api/v1/test/items-then-fail', JSON.stringify({ name: 'y', qty: 1 }));
    const body = res.json<{ code: string; message: string; requestId: string }>();
    expect(body.code).toBe('internal');
    expect(res.body).not.toMatch(/SQLITE|secret_table|\/srv\/|\.ts:|at /);
    expect(res.headers['x-request-id']).toBe(body.requestId);
    const logged = t.logs.find((l) => l.reqId === body.requestId && l.msg === 'request failed');
    expect(JSON.stringify(logged)).toContain('secret_table');
  });
});
