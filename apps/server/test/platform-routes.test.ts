import { sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  downloadRoute,
  registerRoutes,
  route,
  uploadRoute,
  routeTable,
  auditLabel,
  RouteDeclarationError,
  type AnyRouteDef,
} from '../src/platform/http/route.js';
import { createHttpApp } from '../src/platform/http/server.js';
import { createLogger } from '../src/platform/logger.js';
import { buildTestApp, headerAuthenticator, type TestApp } from './harness.js';

const ok = z.object({ ok: z.literal(true) });

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('AC-01 deny by default: route declarations', () => {
  test('AC-01 the server refuses to start when a route declares neither a permission nor public', async () => {
    const undeclared = {
      method: 'GET',
      url: '/api/v1/undeclared',
      summary: 'no access declaration',
      response: ok,
      handler: () => Promise.resolve({ ok: true }),
    } as unknown as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [undeclared] })).rejects.toThrow(RouteDeclarationError);
    await expect(buildTestApp({ extraRoutes: [undeclared] })).rejects.toThrow(
      /declares neither a permission nor public/,
    );
  });

  test('AC-01 a route with both a permission and public: true is refused', async () => {
    const both = {
      ...route({
        method: 'GET',
        url: '/x',
        public: true,
        summary: 'x',
        response: ok,
        handler: () => Promise.resolve({ ok: true as const }),
      }),
      permission: 'system.info.read',
    } as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [both] })).rejects.toThrow(/both a permission and public/);
  });

  test('AC-01 AUTH-12 a signed-in route needs a complete session but no permission; signedIn with public is refused', async () => {
    const mine = route({
      method: 'GET',
      url: '/api/v1/test/mine',
      signedIn: true,
      summary: 'test: own data',
      response: ok,
      handler: () => Promise.resolve({ ok: true as const }),
    });
    t = await buildTestApp({ extraRoutes: [mine], authenticate: headerAuthenticator });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test/mine' })).statusCode).toBe(401);
    const asUser = await t.app.inject({ method: 'GET', url: '/api/v1/test/mine', headers: { 'x-test-actor': '' } });
    expect(asUser.statusCode, asUser.body).toBe(200);
    expect(routeTable(t.routes)).toContain('GET /api/v1/test/mine signed-in audits=none');
    const both = { ...mine, public: true } as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [both] })).rejects.toThrow(
      /more than one of permission, signedIn and public/,
    );
  });

  test('AC-01 a permission outside the catalogue is refused', async () => {
    const unknownPermission = {
      ...route({
        method: 'GET',
        url: '/x',
        permission: 'system.info.read',
        summary: 'x',
        response: ok,
        handler: () => Promise.resolve({ ok: true as const }),
      }),
      permission: 'system.everything.do',
    } as unknown as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [unknownPermission] })).rejects.toThrow(/not in the catalogue/);
  });

  test('AC-01 a route registered directly on Fastify (bypassing route()) aborts start-up', async () => {
    t = await buildTestApp();
    expect(() => t!.app.get('/sneaky', () => 'hi')).toThrow();
  });

  test('AC-01 removing the permission (or signed-in declaration) from any real route makes the server refuse to start', async () => {
    t = await buildTestApp();
    const guarded = t.routes.filter((r) => r.public !== true);
    expect(guarded.length).toBeGreaterThan(0);
    for (const victim of guarded) {
      const stripped = t.routes.map((r) =>
        r === victim ? ({ ...r, permission: undefined, signedIn: undefined } as unknown as AnyRouteDef) : r,
      );
      const app = createHttpApp({
        logger: createLogger({ level: 'silent' }),
        authenticate: headerAuthenticator,
        bodyLimitBytes: 1024,
        trustedProxies: [],
        publicOrigin: 'https://localhost:8443',
      });
      expect(() => registerRoutes(app, stripped, { runtime: t!.runtime }), `${victim.method} ${victim.url}`).toThrow(
        RouteDeclarationError,
      );
      await app.close();
    }
  });

  test('AC-01 LOG-01 route table snapshot: METHOD url permission|signed-in|public audits=…', async () => {
    t = await buildTestApp();
    await expect(routeTable(t.routes).join('\n') + '\n').toMatchFileSnapshot('./route-table.txt');
  });

  test('LOG-01 every route that changes something declares the audit events its success writes', async () => {
    t = await buildTestApp();
    const undeclared = t.routes.filter((r) => auditLabel(r) === 'undeclared').map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    // Reads declare nothing unless they are audited (downloads, exports, prints, reveals).
    expect(auditLabel({ method: 'GET' })).toBe('none');
    expect(auditLabel({ method: 'POST' })).toBe('undeclared');
    expect(auditLabel({ method: 'POST', audits: { each: 'procurement.acceptance.scanned' } })).toBe(
      'each:procurement.acceptance.scanned',
    );
    expect(auditLabel({ method: 'POST', audits: ['master-data.change.approved', 'master-data.change.rejected'] })).toBe(
      'master-data.change.approved|master-data.change.rejected',
    );
  });
});

describe('AC-01 permission check before the handler runs', () => {
  let calls = 0;
  const guarded = route({
    method: 'GET',
    url: '/api/v1/test/guarded',
    permission: 'system.info.read',
    summary: 'test',
    response: ok,
    handler: () => {
      calls++;
      return Promise.resolve({ ok: true as const });
    },
  });

  test('AC-01 no credentials → 401, wrong permission → 403, right permission → 200', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator, extraRoutes: [guarded] });
    calls = 0;
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/test/guarded' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'unauthenticated' });
    const wrong = await t.app.inject({ method: 'GET', url: '/api/v1/test/guarded', headers: { 'x-test-actor': '' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'forbidden' });
    expect(calls).toBe(0);
    const right = await t.app.inject({
      method: 'GET',
      url: '/api/v1/test/guarded',
      headers: { 'x-test-actor': 'system.info.read' },
    });
    expect(right.statusCode).toBe(200);
    expect(calls).toBe(1);
  });

  test('AC-01 the real system info route answers 401 without a session and works with its permission', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/system/info' })).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/system/info',
      headers: { 'x-test-actor': 'system.info.read' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ database: t.dialect, migrations: { pending: 0 } });
  });

  test('healthz is public and minimal', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    await sql`select 1`.execute(t.db);
  });

  test('AC-01 HEAD requests follow the same access rules as GET', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator });
    expect((await t.app.inject({ method: 'HEAD', url: '/api/v1/system/info' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'HEAD', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'HEAD', url: '/login' })).statusCode).toBe(200);
  });

  test('unknown API paths answer 404 JSON, TRACE and OPTIONS are not served', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
    for (const method of ['TRACE', 'OPTIONS', 'DELETE'] as const) {
      const r = await t.app.inject({ method, url: '/healthz' });
      expect([404, 405]).toContain(r.statusCode);
    }
  });
});

describe('FILE-01 FILE-02 upload and download route declarations', () => {
  const file = { bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), fileName: 'a.pdf', mediaType: 'application/pdf' as const };

  test('FILE-01 an upload route needs an access declaration like any route, and a positive whole maxBytes', async () => {
    const undeclared = {
      ...uploadRoute({
        method: 'POST',
        url: '/api/v1/test/up',
        public: true,
        summary: 'x',
        upload: {},
        response: ok,
        handler: () => Promise.resolve({ ok: true as const }),
      }),
      public: undefined,
    } as unknown as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [undeclared] })).rejects.toThrow(/declares neither a permission/);
    for (const maxBytes of [0, -1, 1.5]) {
      const bad = uploadRoute({
        method: 'POST',
        url: '/api/v1/test/up',
        permission: 'system.info.read',
        summary: 'x',
        upload: { maxBytes },
        response: ok,
        handler: () => Promise.resolve({ ok: true as const }),
      });
      await expect(buildTestApp({ extraRoutes: [bad] }), String(maxBytes)).rejects.toThrow(
        /upload.maxBytes must be a positive whole number/,
      );
    }
  });

  test('FILE-01 a route’s own limit never exceeds the configured one; the handler gets bytes, name and declared type', async () => {
    let seen: unknown;
    const up = uploadRoute({
      method: 'POST',
      url: '/api/v1/test/up',
      permission: 'system.info.read',
      summary: 'x',
      upload: { maxBytes: 10_000_000 },
      response: ok,
      handler: (_ctx, input) => {
        seen = input.file;
        return Promise.resolve({ ok: true as const });
      },
    });
    t = await buildTestApp({ extraRoutes: [up], authenticate: headerAuthenticator, uploadMaxBytes: 100 });
    const send = (bytes: Buffer) =>
      t!.app.inject({
        method: 'POST',
        url: '/api/v1/test/up',
        payload: bytes,
        headers: {
          'content-type': 'image/png',
          'x-file-name': 'scan%20%E4%B8%80.png',
          'x-test-actor': 'system.info.read',
        },
      });
    const big = await send(Buffer.alloc(101));
    expect(big.statusCode).toBe(413);
    expect(big.json<{ code: string }>().code).toBe('upload_too_large');
    const fits = await send(Buffer.alloc(100, 7));
    expect(fits.statusCode, fits.body).toBe(201);
    expect(seen).toEqual({ bytes: Buffer.alloc(100, 7), fileName: 'scan 一.png', declaredType: 'image/png' });
  });

  test('FILE-02 a download route serves only the allowlisted types, with the download headers', async () => {
    const serve = (mediaType: string) =>
      downloadRoute({
        method: 'GET',
        url: `/api/v1/test/down/${mediaType.replace('/', '-')}`,
        permission: 'system.info.read',
        summary: 'x',
        handler: () => Promise.resolve({ ...file, mediaType } as typeof file),
      });
    t = await buildTestApp({
      extraRoutes: [serve('application/pdf'), serve('text/html')],
      authenticate: headerAuthenticator,
    });
    const get = (url: string) => t!.app.inject({ method: 'GET', url, headers: { 'x-test-actor': 'system.info.read' } });
    const pdf = await get('/api/v1/test/down/application-pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(String(pdf.headers['content-security-policy'])).toMatch(/sandbox/);
    const html = await get('/api/v1/test/down/text-html');
    expect(html.statusCode).toBe(500);
    expect(html.body).not.toContain('%PDF');
    expect(routeTable(t.routes)).toContain('GET /api/v1/test/down/application-pdf system.info.read audits=none');
  });
});
