import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { migrations } from '../migrations/index.js';
import { buildApp, createRuntime } from '../src/app.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { systemClock } from '../src/platform/clock.js';
import { createRedirectServer } from '../src/platform/http/redirect.js';
import { ensureTlsMaterial, tlsServerOptions } from '../src/platform/http/tls.js';
import { createLogger } from '../src/platform/logger.js';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, FIXTURE_WEB_DIR, testDialect } from './harness.js';

const run = promisify(execFile);

/** The only TLS 1.2 suites an ECDSA server may agree to (TLS-02: ECDHE + AEAD). */
const EXPECTED_TLS12 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
];

let app: FastifyInstance;
let port: number;
let ca: Buffer;
let dir: string;
let dropDb: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'medledger-tls-'));
  const material = await ensureTlsMaterial({ dataDir: dir, now: new Date() });
  ca = material.cert;
  const { handle, drop } = await createTestDatabase();
  dropDb = drop;
  await migrateToLatest(handle.db, migrations);
  const { runtime } = await createRuntime({
    database: handle,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    keys: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: path.join(dir, 'unused.key') },
    audit: { witnessDir: path.join(dir, 'witness'), checkpointEvents: 1000, checkpointSeconds: 300 },
  });
  ({ app } = await buildApp({
    runtime,
    settings: {
      bodyLimitBytes: 1024,
      trustedProxies: [],
      publicUrl: 'https://localhost:8443',
      webDir: FIXTURE_WEB_DIR,
    },
    tls: tlsServerOptions(material),
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await dropDb();
  rmSync(dir, { recursive: true, force: true });
});

type Attempt = { ok: true; protocol: string | null; cipher: string } | { ok: false; error: string };

/** One handshake. The client verifies the server certificate against the self-signed CA. */
function handshake(options: tls.ConnectionOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...options }, () => {
      const result: Attempt = { ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', (err: Error) => resolve({ ok: false, error: err.message }));
  });
}

describe('TLS-01 / TLS-02 protocol versions and cipher suites', () => {
  test('TLS-01 the self-signed certificate is ECDSA P-256 for localhost and its key is private to the owner', async () => {
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(ca);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const keyFile = path.join(dir, 'tls', 'localhost-key.pem');
    const { statSync } = await import('node:fs');
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    // A second start reuses the same certificate.
    const again = await ensureTlsMaterial({ dataDir: dir, now: new Date() });
    expect(again.generated).toBe(false);
    expect(again.cert.equals(ca)).toBe(true);
  });

  test('TLS-01 SSL 3, TLS 1.0 and TLS 1.1 are refused', async () => {
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      const r = await handshake({ minVersion: version, maxVersion: version, ciphers: 'ALL:@SECLEVEL=0' });
      expect(r.ok, version).toBe(false);
    }
  });

  test('TLS-01 TLS 1.3 is accepted with an AEAD suite', async () => {
    const r = await handshake({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect(r).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
    expect(r.ok && r.cipher).toMatch(/^TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)$/);
  });

  test('TLS-02 every TLS 1.2 suite the client knows is tried alone: only ECDHE + AEAD suites succeed', async () => {
    const candidates = tls
      .getCiphers()
      .map((c) => c.toUpperCase())
      .filter((c) => !c.startsWith('TLS_'));
    expect(candidates.length).toBeGreaterThan(20);
    const accepted: string[] = [];
    for (const cipher of candidates) {
      const r = await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: `${cipher}:@SECLEVEL=0` });
      if (r.ok) accepted.push(r.cipher);
    }
    expect(accepted.sort()).toEqual(EXPECTED_TLS12);
  });

  test('TLS-03 HSTS is sent over HTTPS', async () => {
    const res = await fetch(`https://127.0.0.1:${port}/healthz`).catch((e: unknown) => e);
    // Node's fetch rejects the self-signed certificate (TLS-05: verification is never turned off).
    expect(res).toBeInstanceOf(Error);
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      import('node:https')
        .then(({ request }) => {
          const req = request({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', ca }, (r) => {
            r.resume();
            resolve(r.headers);
          });
          req.on('error', reject);
          req.end();
        })
        .catch(reject);
    });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('TLS-01 the optional HTTP port only redirects pages', () => {
  test('pages get a 301 to HTTPS; API calls and writes are refused, never redirected', async () => {
    const server = createRedirectServer('https://localhost:8443');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const httpPort = (server.address() as { port: number }).port;
    try {
      const page = await fetch(`http://127.0.0.1:${httpPort}/login`, { redirect: 'manual' });
      expect(page.status).toBe(301);
      expect(page.headers.get('location')).toBe('https://localhost:8443/login');
      const api = await fetch(`http://127.0.0.1:${httpPort}/api/v1/system/info`, { redirect: 'manual' });
      expect(api.status).toBe(403);
      const post = await fetch(`http://127.0.0.1:${httpPort}/login`, { method: 'POST', body: 'x', redirect: 'manual' });
      expect(post.status).toBe(403);
      const open = await fetch(`http://127.0.0.1:${httpPort}//evil.example/`, { redirect: 'manual' });
      expect(open.status).toBe(403);
    } finally {
      server.close();
    }
  });
});

const testssl = ['/usr/bin/testssl', '/usr/bin/testssl.sh'].find((p) => existsSync(p));
const requireTestssl = process.env.MEDLEDGER_REQUIRE_TESTSSL === '1';

describe.runIf(testDialect() === 'sqlite')('TLS-01 / TLS-02 external check with testssl', () => {
  test.runIf(testssl !== undefined || requireTestssl)(
    'ATK-TLS testssl sees only TLS 1.2 and 1.3, forward secrecy, AEAD suites',
    async () => {
      expect(testssl, 'testssl is required here (apt-get install testssl.sh)').toBeDefined();
      const out = path.join(dir, 'testssl.json');
      await run(
        testssl!,
        ['--quiet', '--color', '0', '--warnings', 'batch', '-p', '-e', '--fs', '--jsonfile', out, `127.0.0.1:${port}`],
        { timeout: 170_000 },
      ).catch((err: { code?: number }) => {
        // testssl exits non-zero for findings such as the self-signed chain; the JSON is judged below.
        if (!existsSync(out)) throw err;
      });
      const findings = JSON.parse(readFileSync(out, 'utf8')) as { id: string; finding: string; severity: string }[];
      const byId = new Map(findings.map((f) => [f.id, f.finding]));
      for (const id of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) expect(byId.get(id), id).toMatch(/not offered/);
      expect(byId.get('TLS1_2')).toMatch(/^offered/);
      expect(byId.get('TLS1_3')).toMatch(/^offered/);
      const ciphers = findings.filter((f) => f.id.startsWith('cipher_x')).map((f) => f.finding.split(/\s+/)[1]);
      expect(ciphers.sort()).toEqual(
        [...EXPECTED_TLS12, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'].sort(),
      );
      expect(byId.get('PFS')).toBe('offered');
      expect(byId.get('PFS_ECDHE_curves')?.split(' ').sort()).toEqual(['X25519', 'prime256v1', 'secp384r1']);
    },
    180_000,
  );
});
