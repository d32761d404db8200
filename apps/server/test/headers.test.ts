import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { route } from '../src/platform/http/route.js';
import { buildTestApp, type TestApp } from './harness.js';

const whoami = route({
  method: 'POST',
  url: '/api/v1/test/ip',
  public: true,
  summary: 'test: echo the resolved client IP',
  response: z.object({ ip: z.string() }),
  handler: (ctx) => Promise.resolve({ ip: ctx.ip }),
});

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ extraRoutes: [whoami] });
});
afterAll(() => t.close());

const SECURITY_HEADERS = [
  'strict-transport-security',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'x-frame-options',
  'permissions-policy',
  'content-security-policy',
  'cache-control',
];

function securityHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(SECURITY_HEADERS.map((h) => [h, headers[h]]));
}

describe('CFG-02 / TLS-03 security headers', () => {
  test('CFG-02 header snapshot of an API response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(securityHeaders(res.headers)).toMatchInlineSnapshot(`
      {
        "cache-control": "no-store",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), publickey-credentials-get=(self), publickey-credentials-create=(self)",
        "referrer-policy": "no-referrer",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
      }
    `);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('CFG-02 errors and 404s carry the same headers', async () => {
    for (const url of ['/api/v1/nope', '/api/v1/system/info']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      for (const h of SECURITY_HEADERS) expect(res.headers[h], `${url} ${h}`).toBeDefined();
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  test('CFG-02 the web page has a strict CSP with a fresh nonce per response and no inline script allowance', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/login' });
    const b = await t.app.inject({ method: 'GET', url: '/' });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(a.headers['content-security-policy']);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp.replace(nonce!, 'N')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-N'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    expect(csp).not.toContain('unsafe-inline');
    expect(a.body).toContain(`nonce="${nonce}"`);
    expect(a.body).not.toContain('__CSP_NONCE__');
    expect(String(b.headers['content-security-policy'])).not.toBe(csp);
    expect(a.headers['cache-control']).toBe('no-store');
  });

  test('ATK-EXPOSE CFG-05 static files are served by exact name only: no source maps, traversal, dotfiles, debug pages, metrics or API docs', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-test.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of [
      '/assets/app-test.js.map',
      '/.git/HEAD',
      '/.env',
      '/package.json',
      '/..%2f..%2fetc%2fpasswd',
      '/server.js.map',
      '/index.html.bak',
      // CFG-05: no debug pages, metrics or API docs; the description is only at /api/v1/openapi.json.
      '/debug',
      '/metrics',
      '/docs',
      '/openapi.json',
      '/api/docs',
      '/swagger',
      '/api-docs',
      '/api/openapi.json',
      '/api/v1/docs',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
    // ATK-PATH: whatever the normalisation, nothing outside the built UI is ever read.
    for (const url of ['/%2e%2e/%2e%2e/etc/passwd', '/assets/../../../../etc/passwd', '/..\\..\\etc\\passwd']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toMatch(/root:|nologin/);
    }
  });
});

describe('CFG-04 only the methods in use', () => {
  test('CFG-04 TRACE is never answered with the request and OPTIONS is not served (no CORS)', async () => {
    for (const method of ['TRACE', 'OPTIONS'] as const) {
      for (const url of ['/api/v1/session', '/api/v1/system/info', '/']) {
        const res = await t.app.inject({ method, url, headers: { cookie: '__Host-sid=secret-cookie-value' } });
        expect([404, 405], `${method} ${url}`).toContain(res.statusCode);
        expect(res.body).not.toContain('secret-cookie-value');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['access-control-allow-methods']).toBeUndefined();
      }
    }
  });
});

describe('CFG-03 / ATK-CSRF same-origin writes; CFG-06 client IP', () => {
  test('ATK-CSRF-1 a cross-site or foreign-origin write is refused before the handler', async () => {
    const cases = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/test/ip', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('cross_origin_rejected');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/ip',
      headers: { origin: 'https://localhost:8443', 'sec-fetch-site': 'same-origin' },
    });
    expect(same.statusCode).toBe(200);
  });

  test('CFG-06 a forged X-Forwarded-For from an untrusted peer is ignored', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/ip',
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' },
      remoteAddress: '198.51.100.7',
    });
    expect(res.json()).toEqual({ ip: '198.51.100.7' });
  });

  test('CFG-06 X-Forwarded-For is honoured only from a listed proxy', async () => {
    const proxied = await buildTestApp({ extraRoutes: [whoami], trustedProxies: ['10.0.0.0/8'] });
    try {
      const viaProxy = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/test/ip',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        remoteAddress: '10.1.2.3',
      });
      expect(viaProxy.json()).toEqual({ ip: '203.0.113.9' });
      const direct = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/test/ip',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        remoteAddress: '198.51.100.7',
      });
      expect(direct.json()).toEqual({ ip: '198.51.100.7' });
    } finally {
      await proxied.close();
    }
  });
});

describe('LOG-02 request logs are redacted', () => {
  test('cookies, authorization headers and query strings do not reach the log', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/healthz?token=abc123secret',
      headers: { cookie: '__Host-sid=supersecret', authorization: 'Bearer supersecret' },
    });
    const text = JSON.stringify(t.logs);
    expect(text).not.toContain('supersecret');
    expect(text).not.toContain('abc123secret');
    expect(t.logs.some((l) => l.msg === 'request' && l.path === '/healthz')).toBe(true);
  });
});
