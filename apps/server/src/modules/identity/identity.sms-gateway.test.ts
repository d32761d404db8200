import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureTlsMaterial } from '../../platform/http/tls.js';
import { SmsSendError, gatewayClient, type GatewayMessage } from './identity.sms-gateway.js';
import { httpSender } from './identity.sms-sender.js';

/**
 * The adapter against a real HTTPS server on loopback. The server checks the signature with its
 * own implementation of the documented scheme (docs/operations/sms-gateway.md), as a bridge would.
 */
const SECRET = 'synthetic-test-secret-0123456789abcdef';
// Synthetic test number (1340000xxxx block, never a real subscriber in these tests).
const PHONE = '13400000001';

type Received = { headers: IncomingMessage['headers']; body: Buffer; path: string };
type Mode = 'ok' | 'hang' | '503' | 'not-json' | 'extra-field' | 'redirect';

let dir: string;
let server: https.Server;
let port: number;
let ca: Buffer;
let mode: Mode = 'ok';
const received: Received[] = [];
const seenNonces = new Set<string>();

/** The bridge's check, written from the documentation, not from the adapter's code. */
function verify(req: Received): string | null {
  const h = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : '';
  };
  const timestamp = h('x-medledger-timestamp');
  const nonce = h('x-medledger-nonce');
  const keyId = h('x-medledger-key-id');
  const bodySha = createHash('sha256').update(req.body).digest('hex');
  if (bodySha !== h('x-medledger-content-sha256')) return 'body hash mismatch';
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'stale timestamp';
  const canonical = `MEDLEDGER-HMAC-SHA256\nPOST\n${req.path}\n${timestamp}\n${nonce}\n${keyId}\n${bodySha}`;
  const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(canonical).digest('hex')}`);
  const given = Buffer.from(h('x-medledger-signature'));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad signature';
  if (seenNonces.has(nonce)) return 'replayed nonce';
  seenNonces.add(nonce);
  return null;
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const got: Received = { headers: req.headers, body: Buffer.concat(chunks), path: req.url ?? '' };
    received.push(got);
    if (mode === 'hang') return;
    if (mode === '503') return void res.writeHead(503).end('{"messageId":"x"}');
    if (mode === 'redirect') return void res.writeHead(302, { location: 'https://127.0.0.1/elsewhere' }).end();
    const problem = verify(got);
    if (problem !== null) return void res.writeHead(401, { 'content-type': 'application/json' }).end(problem);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (mode === 'not-json') return void res.end('accepted');
    if (mode === 'extra-field') return void res.end('{"messageId":"gw-2","debug":"x"}');
    res.end(JSON.stringify({ messageId: `gw-${received.length}` }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'medledger-gw-'));
  const tls = await ensureTlsMaterial({ dataDir: dir, now: new Date() });
  ca = tls.cert;
  server = https.createServer({ key: tls.key, cert: tls.cert }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `https://127.0.0.1:${port}/sms/send?v=1`;
const client = (timeoutMs = 2000, secret = SECRET) =>
  gatewayClient({ url: url(), secret: Buffer.from(secret), keyId: 'medledger-1', timeoutMs, ca });
const message: GatewayMessage = {
  id: '01900000-0000-7000-8000-000000000001',
  to: `+86${PHONE}`,
  template: 'mfa_code',
  params: { code: '123456', minutes: '5' },
  text: 'MedLedger code 123456',
};

/** Sends a captured request again, with changes, straight to the server. */
function resend(req: Received, change: { body?: Buffer; headers?: Record<string, string> }) {
  const body = change.body ?? req.body;
  const headers = { ...req.headers, ...change.headers, 'content-length': String(body.length) };
  return new Promise<number>((resolve, reject) => {
    const r = https.request(`https://127.0.0.1:${port}${req.path}`, { method: 'POST', headers, ca, agent: false });
    r.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe('AUTH-15 API-02 signed HTTPS SMS gateway', () => {
  test('AUTH-15 the adapter signs each request so the gateway can verify it; the answer gives the message id', async () => {
    mode = 'ok';
    received.length = 0;
    const ctx = { now: new Date(), runtime: {} as never };
    const sender = httpSender({ url: url(), secret: Buffer.from(SECRET), keyId: 'medledger-1', timeoutMs: 2000, ca });
    const id = await sender.send(ctx, {
      to: PHONE,
      text: 'MedLedger 登录验证码：654321',
      template: 'mfa_code',
      params: { code: '654321', minutes: '5' },
    });
    expect(id).toBe('gw-1');
    const req = received[0]!;
    expect(req.path).toBe('/sms/send?v=1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-medledger-key-id']).toBe('medledger-1');
    expect(req.headers['x-medledger-nonce']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.parse(req.body.toString('utf8'))).toMatchObject({
      to: '+8613400000001',
      template: 'mfa_code',
      params: { code: '654321', minutes: '5' },
      text: 'MedLedger 登录验证码：654321',
    });
    // Two sends never share a nonce.
    await sender.send(ctx, { to: PHONE, text: 't', template: 'mfa_code', params: { code: '000001', minutes: '5' } });
    expect(received[1]!.headers['x-medledger-nonce']).not.toBe(req.headers['x-medledger-nonce']);
  });

  test('API-02 a changed body, a changed timestamp, a wrong secret or a replayed nonce fails verification', async () => {
    mode = 'ok';
    received.length = 0;
    await client().send(message);
    const original = received[0]!;
    const altered = Buffer.from(original.body.toString('utf8').replace('123456', '999999'));
    expect(await resend(original, { body: altered })).toBe(401);
    // Altered body with a matching hash header: the signature still covers the original hash.
    const alteredSha = createHash('sha256').update(altered).digest('hex');
    expect(await resend(original, { body: altered, headers: { 'x-medledger-content-sha256': alteredSha } })).toBe(401);
    const ts = String(Number(original.headers['x-medledger-timestamp']) + 1);
    expect(await resend(original, { headers: { 'x-medledger-timestamp': ts } })).toBe(401);
    expect(await resend(original, { headers: { 'x-medledger-key-id': 'other-key' } })).toBe(401);
    // The unchanged request was accepted once already: a replay is refused.
    expect(await resend(original, {})).toBe(401);
    await expect(client(2000, 'another-secret-of-at-least-32-bytes!!').send(message)).rejects.toThrow(
      'the SMS gateway answered HTTP 401',
    );
  });

  test('AUTH-15 fail closed: timeout, 5xx, redirect, an answer that is not exactly {messageId} are errors', async () => {
    mode = 'hang';
    const started = Date.now();
    await expect(client(300).send(message)).rejects.toThrow(
      new SmsSendError('the SMS gateway did not answer within 300 ms'),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    mode = '503';
    await expect(client().send(message)).rejects.toThrow('the SMS gateway answered HTTP 503');
    mode = 'redirect';
    await expect(client().send(message)).rejects.toThrow('the SMS gateway answered HTTP 302');
    mode = 'not-json';
    await expect(client().send(message)).rejects.toThrow('the SMS gateway answer is not JSON');
    mode = 'extra-field';
    await expect(client().send(message)).rejects.toThrow('the SMS gateway answer is not {"messageId": "…"}');
    mode = 'ok';
  });

  test('CRY API-02 only https:// with a verified certificate, and a secret of at least 32 bytes', async () => {
    expect(() =>
      gatewayClient({ url: `http://127.0.0.1:${port}/sms`, secret: Buffer.from(SECRET), keyId: 'k', timeoutMs: 1000 }),
    ).toThrow('https://');
    expect(() => gatewayClient({ url: url(), secret: Buffer.from('short'), keyId: 'k', timeoutMs: 1000 })).toThrow(
      '32 bytes',
    );
    // Without the private CA the self-signed certificate is not trusted.
    const untrusted = gatewayClient({ url: url(), secret: Buffer.from(SECRET), keyId: 'k', timeoutMs: 2000 });
    await expect(untrusted.send(message)).rejects.toThrow(/could not be reached/);
  });
});
