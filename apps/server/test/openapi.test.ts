import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMINISTRATIVE_PERMISSIONS, BUILTIN_ROLES, PERMISSIONS } from '@medledger/contract';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { main } from '../src/main.js';
import { jsonSchemaOf, openApiDocument, openApiPath } from '../src/platform/http/openapi.js';
import { auditLabel, FileReplySchema, route, uploadRoute, type AnyRouteDef } from '../src/platform/http/route.js';
import { serverVersion } from '../src/paths.js';
import { buildTestApp, testDialect, type TestApp } from './harness.js';
import { createUserAndOnboard, firstAdmin } from './identity-helpers.js';

type Json = Record<string, unknown>;
type Operation = Json & { responses: Record<string, Json>; parameters?: Json[] };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolves a local JSON pointer (`#/components/schemas/X`) in the document, or undefined. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const v of node) collectRefs(v, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

/**
 * A focused structural check of an OpenAPI 3.1 document: the parts a client generator relies on.
 * Returns the problems found (none for a good document).
 */
function structuralProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push('openapi is not 3.1.x');
  const info = doc.info as Json | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info needs title and version');
  }
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const tagNames = new Set(((doc.tags ?? []) as { name: string }[]).map((t) => t.name));
  const ids = new Set<string>();
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  if (paths === null || typeof paths !== 'object') return [...problems, 'paths missing'];
  for (const [template, item] of Object.entries(paths)) {
    if (!template.startsWith('/')) problems.push(`${template}: a path must start with /`);
    if (template.includes(':')) problems.push(`${template}: a Fastify parameter was left in the path`);
    const inTemplate = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${template}`;
      if (!METHODS.includes(method)) {
        problems.push(`${where}: not an HTTP method`);
        continue;
      }
      if (op.responses === undefined || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^[1-5]\d\d$|^default$/.test(status)) problems.push(`${where}: response key ${status}`);
        if (response.$ref === undefined && typeof response.description !== 'string') {
          problems.push(`${where} ${status}: a response needs a description`);
        }
      }
      if (typeof op.operationId !== 'string') problems.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} repeated`);
      else ids.add(op.operationId);
      const params = op.parameters ?? [];
      const seen = new Set<string>();
      for (const p of params) {
        const key = `${String(p.in)}:${String(p.name)}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} declared twice`);
        seen.add(key);
        if (!['path', 'query', 'header', 'cookie'].includes(String(p.in))) {
          problems.push(`${where}: parameter in ${key}`);
        }
        if (p.schema === undefined && p.content === undefined) {
          problems.push(`${where}: parameter ${key} has no schema`);
        }
        if (p.in === 'path' && p.required !== true) problems.push(`${where}: path parameter ${key} not required`);
        if (p.in === 'path' && !inTemplate.includes(String(p.name))) {
          problems.push(`${where}: path parameter ${String(p.name)} is not in the template`);
        }
      }
      for (const name of inTemplate) {
        if (!params.some((p) => p.in === 'path' && p.name === name)) {
          problems.push(`${where}: {${name}} is not declared as a path parameter`);
        }
      }
      const body = op.requestBody as Json | undefined;
      if (body !== undefined && (body.content === null || typeof body.content !== 'object')) {
        problems.push(`${where}: requestBody without content`);
      }
      if ((method === 'get' || method === 'delete') && body !== undefined) problems.push(`${where}: body on ${method}`);
      for (const requirement of (op.security ?? []) as Json[]) {
        for (const name of Object.keys(requirement)) {
          if (!Object.hasOwn(schemes, name)) problems.push(`${where}: unknown security scheme ${name}`);
        }
      }
      for (const tag of (op.tags ?? []) as string[]) {
        if (!tagNames.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
      }
    }
  }
  for (const ref of collectRefs(doc)) {
    if (resolvePointer(doc, ref) === undefined) problems.push(`$ref ${ref} does not resolve`);
  }
  return problems;
}

let t: TestApp;
let doc: Json;
let adminCookie: string;
let served: { status: number; body: string };

beforeAll(async () => {
  t = await buildTestApp();
  adminCookie = (await firstAdmin(t)).cookie;
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { cookie: adminCookie } });
  served = { status: res.statusCode, body: res.body };
  doc = JSON.parse(res.body) as Json;
});
afterAll(async () => {
  await t?.close();
});

const paths = () => doc.paths as Record<string, Record<string, Operation>>;

describe(`the OpenAPI description of the API (${testDialect()})`, () => {
  test('the administrator reads GET /api/v1/openapi.json: an OpenAPI 3.1 document of this server', () => {
    expect(served.status, served.body).toBe(200);
    expect(doc).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'MedLedger', version: serverVersion() },
      servers: [{ url: 'https://localhost:8443' }],
    });
  });

  test('the document is structurally valid OpenAPI 3.1: responses everywhere, every $ref resolves, path templates declared', () => {
    expect(structuralProblems(doc)).toEqual([]);
    expect(collectRefs(doc).length).toBeGreaterThan(10);
  });

  test('the document validates against the OpenAPI 3.1 schema (offline validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors ?? []).slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // And it notices a broken document.
    const broken = structuredClone(doc) as Json & { paths: Record<string, Record<string, Json>> };
    delete broken.paths['/healthz']!.get!.responses;
    broken.info = { title: 'MedLedger' };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  test('the structural check finds what it looks for', () => {
    const broken: Json = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: {
        '/a/{id}': { get: { operationId: 'a', responses: {} } },
        '/b/:id': {
          post: {
            operationId: 'a',
            responses: { '200': { $ref: '#/components/responses/Nope' } },
            parameters: [{ name: 'x', in: 'path', required: true, schema: {} }],
          },
        },
      },
    };
    expect(structuralProblems(broken)).toEqual([
      'openapi is not 3.1.x',
      'GET /a/{id}: no responses',
      'GET /a/{id}: {id} is not declared as a path parameter',
      '/b/:id: a Fastify parameter was left in the path',
      'POST /b/:id: operationId a repeated',
      'POST /b/:id: path parameter x is not in the template',
      '$ref #/components/responses/Nope does not resolve',
    ]);
  });

  test('every route of the application appears exactly once, with its method, permission and audit declaration', () => {
    const raw = t.routes.filter((r) => r.kind === 'raw');
    // Only the web UI's catch-all and root are left out.
    expect(raw.map((r) => r.url).sort()).toEqual(['/', '/*']);
    const described = t.routes.filter((r) => r.kind !== 'raw');
    const operations = Object.values(paths()).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(described.length);
    for (const r of described) {
      const op = paths()[openApiPath(r.url)]?.[r.method.toLowerCase()];
      const where = `${r.method} ${r.url}`;
      expect(op, where).toBeDefined();
      expect(op!.summary, where).toBe(r.summary);
      expect(op!['x-medledger-audits'], where).toBe(auditLabel(r));
      const access = r.public === true ? 'public' : r.permission === undefined ? 'signed-in' : 'permission';
      expect(op!['x-medledger-access'], where).toBe(access);
      expect(op!['x-medledger-permission'], where).toBe(r.permission);
      expect(op!.security, where).toEqual(r.public === true ? [] : [{ session: [] }]);
      expect(op!.tags, where).toHaveLength(1);
      if (r.public !== true) expect(Object.keys(op!.responses), where).toContain('401');
      if (r.permission !== undefined) expect(Object.keys(op!.responses), where).toContain('403');
    }
    expect(paths()['/api/v1/openapi.json']?.get).toMatchObject({
      'x-medledger-permission': 'system.apiDocs.read',
      'x-medledger-audits': 'none',
      'x-medledger-administrative': true,
      tags: ['system'],
    });
  });

  test('the session cookie is the security scheme; public routes need none', () => {
    expect((doc.components as Json).securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: '__Host-sid' },
    });
    expect(paths()['/healthz']?.get?.security).toEqual([]);
    expect(paths()['/api/v1/auth/login']?.post?.security).toEqual([]);
    expect(Object.keys(paths()['/api/v1/auth/login']!.post!.responses)).toContain('429');
  });

  test('VAL-01 a strict input schema stays strict in the document (additionalProperties: false)', () => {
    const body = paths()['/api/v1/users']?.post?.requestBody as Json;
    expect(body).toMatchObject({ required: true });
    const schema = ((body.content as Json)['application/json'] as Json).schema as Json;
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.required).toEqual(expect.arrayContaining(['login', 'name']));
  });

  test('path parameters, query parameters, uploads, downloads and error bodies are described', () => {
    const withId = Object.entries(paths()).filter(([p]) => p.includes('{id}'));
    expect(withId.length).toBeGreaterThan(5);
    for (const [p, item] of withId) {
      for (const op of Object.values(item)) {
        expect(
          op.parameters?.find((x) => x.in === 'path' && x.name === 'id'),
          p,
        ).toBeDefined();
        expect(Object.keys(op.responses), p).toContain('404');
      }
    }
    const withQuery = Object.values(paths())
      .flatMap((item) => Object.values(item))
      .filter((op) => op.parameters?.some((x) => x.in === 'query'));
    expect(withQuery.length).toBeGreaterThan(3);
    // Every query schema is an object whose fields become query parameters, one each.
    for (const r of t.routes) {
      if (r.kind === 'raw' || r.query === undefined) continue;
      const schema = jsonSchemaOf(r.query, 'input');
      expect(schema.type, `${r.method} ${r.url}`).toBe('object');
      const declared = Object.keys(schema.properties as Json).sort();
      const op = paths()[openApiPath(r.url)]![r.method.toLowerCase()]!;
      const listed = (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => String(x.name));
      expect(listed.sort(), `${r.method} ${r.url}`).toEqual(declared);
    }
    const uploads = t.routes.filter((r) => r.kind === 'upload');
    expect(uploads.length).toBeGreaterThan(0);
    for (const r of uploads) {
      const op = paths()[openApiPath(r.url)]![r.method.toLowerCase()]!;
      expect(op.requestBody).toMatchObject({
        required: true,
        content: { 'application/pdf': {}, 'image/png': {}, 'application/octet-stream': {} },
        'x-medledger-max-bytes': 10 * 1024 * 1024,
      });
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'x-file-name', in: 'header' }));
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '413', '415']));
    }
    const downloads = t.routes.filter((r) => r.kind === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    for (const r of downloads) {
      const ok = paths()[openApiPath(r.url)]!.get!.responses['200']!;
      expect(Object.keys(ok.content as Json).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    }
    const errors = (doc.components as Json).schemas as Json;
    expect(errors.ErrorResponse).toMatchObject({
      type: 'object',
      required: ['code', 'message', 'requestId'],
    });
  });

  test('the document is deterministic: built twice, it is the same text; paths are sorted', () => {
    const settings = {
      version: serverVersion(),
      publicUrl: 'https://localhost:8443',
      uploadMaxBytes: 10 * 1024 * 1024,
    };
    const a = JSON.stringify(openApiDocument(t.routes, settings));
    const b = JSON.stringify(openApiDocument([...t.routes].reverse(), settings));
    expect(a).toBe(b);
    expect(a).toBe(served.body);
    const keys = Object.keys(paths());
    expect(keys).toEqual([...keys].sort());
  });

  test('schemas JSON Schema cannot express (custom checks, transforms) are described as any value, not a crash', () => {
    const routes: AnyRouteDef[] = [
      route({
        method: 'POST',
        url: '/api/v1/test/things/:id',
        permission: 'system.info.read',
        summary: 'test',
        audits: 'none',
        params: z.strictObject({ id: z.uuid() }),
        query: z.strictObject({ limit: z.string().regex(/^\d+$/).transform(Number).optional() }),
        body: z.strictObject({ when: z.string(), odd: z.custom<string>((v) => typeof v === 'string') }),
        response: z.object({ at: z.string().transform((s) => new Date(s)) }),
        handler: () => Promise.resolve({ at: '2026-01-01' }),
      }),
      route({
        method: 'GET',
        url: '/api/v1/test/file',
        permission: 'system.info.read',
        summary: 'test file',
        response: FileReplySchema,
        handler: () => Promise.reject(new Error('not called')),
      }),
      uploadRoute({
        method: 'POST',
        url: '/api/v1/test/upload',
        permission: 'system.info.read',
        summary: 'test upload',
        audits: 'none',
        upload: { maxBytes: 1024 },
        response: z.object({ ok: z.boolean() }),
        handler: () => Promise.resolve({ ok: true }),
      }),
    ];
    const out = openApiDocument(routes, { version: '1', publicUrl: 'https://erp.example/' });
    expect(out.servers).toEqual([{ url: 'https://erp.example' }]);
    const p = out.paths as Record<string, Record<string, Operation>>;
    const op = p['/api/v1/test/things/{id}']!.post!;
    expect(op.operationId).toBe('postTestThingsById');
    expect(op.parameters).toMatchObject([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    const body = ((op.requestBody as Json).content as Record<string, Json>)['application/json']!.schema as Json;
    expect(body).toMatchObject({ additionalProperties: false, properties: { odd: {} } });
    expect(op.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { properties: { at: {} } } } },
    });
    expect(Object.keys(p['/api/v1/test/file']!.get!.responses['200']!.content as Json)).toContain('application/pdf');
    expect(p['/api/v1/test/upload']!.post!.requestBody).toMatchObject({ 'x-medledger-max-bytes': 1024 });
    expect(structuralProblems(out)).toEqual([]);
  });
});

describe(`CFG-05 ATK-EXPOSE the API description is an administrative interface (${testDialect()})`, () => {
  test('CFG-05 only the system administrator role holds system.apiDocs.read, so it is administrative (AC-11)', () => {
    const holders = BUILTIN_ROLES.filter((r) => (r.permissions as readonly string[]).includes('system.apiDocs.read'));
    expect(holders.map((r) => r.code)).toEqual(['system-admin']);
    expect(ADMINISTRATIVE_PERMISSIONS.has('system.apiDocs.read')).toBe(true);
    expect(PERMISSIONS['system.apiDocs.read'].zh).toMatch(/接口/);
  });

  test('ATK-EXPOSE anonymous → 401, a signed-in user without the permission → 403', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'unauthenticated' });
    expect(anonymous.body).not.toContain('openapi');
    const clerk = await createUserAndOnboard(t, adminCookie, {
      login: 'wh.sun',
      name: '孙仓管',
      password: 'copper kettle 绿竹 meridian',
    });
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { cookie: clerk.cookie },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'forbidden' });
    expect(refused.json<{ message: string }>().message).toContain('system.apiDocs.read');
  });

  test('CFG-05 AC-11 from outside the management networks even the administrator is refused (admin_network_refused)', async () => {
    const app = await buildTestApp({ adminNetworks: ['10.20.0.0/16'] });
    try {
      const { cookie } = await firstAdmin(app);
      const get = (from: string) =>
        app.app.inject({ method: 'GET', url: '/api/v1/openapi.json', remoteAddress: from, headers: { cookie } });
      const outside = await get('198.51.100.23');
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ code: 'admin_network_refused' });
      expect(outside.body).not.toContain('"paths"');
      const inside = await get('10.20.3.4');
      expect(inside.statusCode, inside.body).toBe(200);
      expect(inside.json<Json>().openapi).toBe('3.1.0');
    } finally {
      await app.close();
    }
  });
});

describe('medledger openapi', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'medledger-openapi-'));
    for (const k of Object.keys(process.env)) {
      if (k.startsWith('MEDLEDGER_') && !k.startsWith('MEDLEDGER_TEST_') && !k.startsWith('MEDLEDGER_REQUIRE_')) {
        delete process.env[k];
      }
    }
    process.env.MEDLEDGER_DATA_DIR = path.join(dir, 'data');
    process.env.MEDLEDGER_PUBLIC_URL = 'https://localhost:8443';
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'medledger', ...args], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  test('--out writes the same document the route serves, without a database or a server', async () => {
    const file = path.join(dir, 'openapi.json');
    const started = Date.now();
    const res = await run('openapi', '--out', file);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/Wrote the OpenAPI description \(\d+ operations\) to .*openapi\.json/);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual(doc);
    // Same keys in the same order: the served body is the file's JSON without indentation.
    expect(JSON.stringify(JSON.parse(text))).toBe(served.body);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Nothing was created in the data directory: no database was opened.
    expect(() => readFileSync(path.join(dir, 'data', 'medledger.db'))).toThrow();
  });

  test('without --out it prints the JSON to standard output', async () => {
    const res = await run('openapi');
    expect(res.code, res.err).toBe(0);
    expect(JSON.stringify(JSON.parse(res.out))).toBe(served.body);
  });
});
