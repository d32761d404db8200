import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkSetupToken, consumeSetupToken, isSetupComplete, issueSetupToken } from '../src/modules/identity/index.js';
import { isAppError } from '../src/platform/errors.js';
import { buildTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const at = (iso: string) => ({ db: t.db, now: new Date(iso) });
const check = (token: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/setup/token/check', payload: { token } });

describe('AUTH-01 one-time setup token for the first administrator', () => {
  test('a token is 256 random bits, printed once, and only its SHA-256 digest is stored', async () => {
    const { token } = await issueSetupToken(at('2026-11-29T10:00:00.000Z'), 60);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.selectFrom('setup_token').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.at(-1)?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the check endpoint accepts a valid token without consuming it and refuses others with 410', async () => {
    const { token, expiresAt } = await issueSetupToken({ db: t.db, now: new Date() }, 60);
    const ok = await check(token);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valid: true, expiresAt });
    expect((await check(token)).statusCode).toBe(200);
    const wrong = await check('A'.repeat(43));
    expect(wrong.statusCode).toBe(410);
    expect(wrong.json<{ code: string }>().code).toBe('setup_token_invalid');
    expect((await check('short')).statusCode).toBe(400);
  });

  test('issuing a new token revokes the previous one', async () => {
    const first = await issueSetupToken({ db: t.db, now: new Date() }, 60);
    const second = await issueSetupToken({ db: t.db, now: new Date() }, 60);
    expect((await check(first.token)).statusCode).toBe(410);
    expect((await check(second.token)).statusCode).toBe(200);
  });

  test('an expired token is refused', async () => {
    const { token } = await issueSetupToken(at('2026-01-01T00:00:00.000Z'), 30);
    await expect(checkSetupToken(at('2026-01-01T00:29:59.000Z'), token)).resolves.toBeDefined();
    await expect(checkSetupToken(at('2026-01-01T00:30:00.000Z'), token)).rejects.toSatisfy((e) =>
      isAppError(e, 'setup_token_invalid'),
    );
  });

  test('a token is consumed exactly once, even by concurrent callers', async () => {
    const now = new Date();
    const { token } = await issueSetupToken({ db: t.db, now }, 60);
    expect(await isSetupComplete({ db: t.db })).toBe(false);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => t.db.transaction().execute((tx) => consumeSetupToken({ db: tx, now }, token))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(7);
    expect(await isSetupComplete({ db: t.db })).toBe(true);
    expect((await check(token)).statusCode).toBe(410);
  });
});
