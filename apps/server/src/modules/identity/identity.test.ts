import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { manualClock } from '../../platform/clock.js';
import { randomPooled } from '../../platform/ids.js';
import { ADMIN, cookieOf, firstAdmin, post } from '../../../test/identity-helpers.js';
import { issueSetupToken } from './identity.actions.js';
import { z } from 'zod';
import { route } from '../../platform/http/route.js';
import { requireRecentAuthentication, sign, verifySignature } from './identity.signature.js';
import { totpCodeAt } from './identity.totp.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('AUTH-01 first run', () => {
  test('AUTH-01 a fresh install has no account: default credentials all fail the same way', async () => {
    t = await buildTestApp();
    const answers = new Set<string>();
    for (const [login, password] of [
      ['admin', 'admin'],
      ['root', 'root'],
      ['sa', ''],
      ['test', 'test123456'],
      ['administrator', '123456'],
    ] as const) {
      const res = await post(t, '/api/v1/auth/login', { login, password: password || 'x' });
      expect(res.statusCode).toBe(401);
      const { code, message } = res.json<{ code: string; message: string }>();
      answers.add(`${code}|${message}`);
    }
    expect(answers.size).toBe(1);
    expect((await t.db.selectFrom('user_account').selectAll().execute()).length).toBe(0);
  });

  test('AUTH-01 the setup link creates the first administrator once, who must enrol a second factor first', async () => {
    t = await buildTestApp();
    const { token } = await issueSetupToken({ db: t.db, now: t.runtime.clock.now() }, 60);
    const weak = await post(t, '/api/v1/setup/admin', { token, login: 'boss', name: '王芳', password: 'woaini1314' });
    expect(weak.statusCode).toBe(400);
    const created = await post(t, '/api/v1/setup/admin', { token, ...ADMIN });
    expect(created.statusCode, created.body).toBe(201);
    const again = await post(t, '/api/v1/setup/admin', { token, ...ADMIN, login: 'second' });
    expect(again.statusCode).toBe(410);
    const enrolCookie = cookieOf(created);
    // AUTH-12: before the factor is enrolled the session reaches nothing.
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: enrolCookie } });
    expect(session.statusCode).toBe(401);
    const stored = await t.db
      .selectFrom('user_account')
      .select(['passwordHash', 'bootstrapRole'])
      .executeTakeFirstOrThrow();
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(stored.bootstrapRole).toBe('administrator');
  });
});

describe('AUTH-11/12/13 sign-in with password and authenticator', () => {
  test('AUTH-12 ATK-MFA-1 with only a password (or mid-enrolment) every guarded route answers 401', async () => {
    t = await buildTestApp();
    const { enrolCookie, secret } = await firstAdmin(t);
    await post(t, '/api/v1/auth/logout');
    const pw = await post(t, '/api/v1/auth/login', { login: ADMIN.login, password: ADMIN.password });
    expect(pw.json()).toEqual({ next: 'mfa', methods: ['totp', 'recovery'] });
    const pending = cookieOf(pw);
    const guarded = t.routes.filter((r) => r.public !== true);
    expect(guarded.length).toBeGreaterThan(2);
    for (const cookie of [pending, enrolCookie]) {
      for (const r of guarded) {
        const url = r.url.replace(':id', '01900000-0000-7000-8000-000000000000');
        const res = await t.app.inject({ method: r.method, url, headers: { cookie } });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(401);
      // Public-declared routes that still need a complete session.
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie } })).statusCode,
      ).toBe(401);
      expect((await post(t, '/api/v1/auth/step-up', { code: '123456' }, cookie)).statusCode).toBe(401);
      expect(
        (await post(t, '/api/v1/auth/sessions/01900000-0000-7000-8000-000000000000/end', undefined, cookie)).statusCode,
      ).toBe(401);
    }
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  });

  test('AUTH-13 SESS-03 a TOTP code completes the sign-in with a new session id; the pre-MFA id is dead', async () => {
    t = await buildTestApp();
    const { secret } = await firstAdmin(t);
    const pw = await post(t, '/api/v1/auth/login', { login: 'QA.Zhang', password: ADMIN.password });
    const pending = cookieOf(pw);
    const wrong = await post(t, '/api/v1/auth/mfa/totp', { code: '000000' }, pending);
    expect(wrong.statusCode).toBe(401);
    const done = await post(
      t,
      '/api/v1/auth/mfa/totp',
      { code: totpCodeAt(secret, new Date(Date.now() + 30_000)) },
      pending,
    );
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ next: 'done', methods: [] });
    const complete = cookieOf(done);
    expect(complete).not.toBe(pending);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: complete } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { login: 'qa.zhang', name: ADMIN.name },
      permissions: expect.arrayContaining(['system.info.read']) as string[],
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: pending } })).statusCode,
    ).toBe(401);
    const info = await t.app.inject({ method: 'GET', url: '/api/v1/system/info', headers: { cookie: complete } });
    expect(info.statusCode).toBe(200);
  });

  test('AUTH-14 ATK-MFA-3 a TOTP code works once; the replay is refused, alerted and looks like any wrong code', async () => {
    t = await buildTestApp();
    const { secret } = await firstAdmin(t);
    const code = totpCodeAt(secret, new Date(Date.now() + 30_000));
    const first = await post(
      t,
      '/api/v1/auth/mfa/totp',
      { code },
      cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN)),
    );
    expect(first.statusCode).toBe(200);
    const second = await post(
      t,
      '/api/v1/auth/mfa/totp',
      { code },
      cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN)),
    );
    expect(second.statusCode).toBe(401);
    const wrong = await post(
      t,
      '/api/v1/auth/mfa/totp',
      { code: '123456' },
      cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN)),
    );
    expect(second.json<{ message: string }>().message).toBe(wrong.json<{ message: string }>().message);
    const events = (await t.db.selectFrom('audit_event').select('canonical').execute()).map(
      (r) => JSON.parse(r.canonical) as { action: string },
    );
    expect(events.some((e) => e.action === 'identity.mfa.replayed')).toBe(true);
  });

  test('AUTH-19 a recovery code signs in once', async () => {
    t = await buildTestApp();
    const { recoveryCodes } = await firstAdmin(t);
    expect(recoveryCodes).toHaveLength(10);
    const code = recoveryCodes[3]!;
    const ok = await post(
      t,
      '/api/v1/auth/mfa/recovery',
      { code },
      cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN)),
    );
    expect(ok.statusCode).toBe(200);
    const reused = await post(
      t,
      '/api/v1/auth/mfa/recovery',
      { code },
      cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN)),
    );
    expect(reused.statusCode).toBe(401);
    const stored = JSON.stringify(await t.db.selectFrom('recovery_code').selectAll().execute());
    for (const c of recoveryCodes) expect(stored).not.toContain(c);
  });

  test('ATK-MFA-2 five wrong codes end the sign-in attempt', async () => {
    t = await buildTestApp();
    const { secret } = await firstAdmin(t);
    const pending = cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN));
    for (let i = 0; i < 5; i++) {
      expect((await post(t, '/api/v1/auth/mfa/totp', { code: `00000${i}` }, pending)).statusCode).toBe(401);
    }
    const late = await post(
      t,
      '/api/v1/auth/mfa/totp',
      { code: totpCodeAt(secret, new Date(Date.now() + 30_000)) },
      pending,
    );
    expect(late.statusCode).toBe(401);
    expect(late.json<{ code: string }>().code).toBe('unauthenticated');
  });
});

const ADMIN_LOGIN = { login: ADMIN.login, password: ADMIN.password };

describe('ATK-MFA-2 enrolment codes are limited too', () => {
  test('ATK-MFA-2 five wrong codes while enrolling end the session', async () => {
    t = await buildTestApp();
    const { token } = await issueSetupToken({ db: t.db, now: t.runtime.clock.now() }, 60);
    const cookie = cookieOf(await post(t, '/api/v1/setup/admin', { token, ...ADMIN }));
    const { secret } = (await post(t, '/api/v1/auth/totp/enrol/start', undefined, cookie)).json<{ secret: string }>();
    for (let i = 0; i < 5; i++) {
      expect((await post(t, '/api/v1/auth/totp/enrol/confirm', { code: `11111${i}` }, cookie)).statusCode).toBe(401);
    }
    const late = await post(
      t,
      '/api/v1/auth/totp/enrol/confirm',
      { code: totpCodeAt(secret, t.runtime.clock.now()) },
      cookie,
    );
    expect(late.statusCode).toBe(401);
    expect(late.json<{ code: string }>().code).toBe('unauthenticated');
    const failures = (await t.db.selectFrom('audit_event').select('canonical').execute()).filter((r) =>
      r.canonical.includes('identity.login.failed'),
    );
    expect(failures).toHaveLength(5);
  });
});

describe('AUTH-08 / AUTH-10 brute force and enumeration', () => {
  test('AUTH-08 ATK-AUTHN-2 50 parallel wrong passwords are counted exactly and lock the account; forged X-Forwarded-For changes nothing', async () => {
    t = await buildTestApp();
    await firstAdmin(t);
    const app = t;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { login: ADMIN.login, password: `wrong password number ${i}` },
          // Distinct clients, so the per-IP throttle stays out of the way of the per-account count.
          remoteAddress: `198.51.100.${i + 1}`,
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        }),
      ),
    );
    expect(results.every((r) => r.statusCode === 401)).toBe(true);
    const user = await t.db
      .selectFrom('user_account')
      .select(['failedLogins', 'lockedUntil'])
      .executeTakeFirstOrThrow();
    expect(Number(user.failedLogins)).toBe(50);
    expect(user.lockedUntil).not.toBeNull();
    const correct = await post(t, '/api/v1/auth/login', ADMIN_LOGIN);
    expect(correct.statusCode).toBe(401);
    expect(correct.json<{ message: string }>().message).toBe(results[0]!.json<{ message: string }>().message);
  }, 60_000);

  test('AUTH-08 ATK-AUTHN-3 more than 20 attempts a minute from one address are throttled; forged X-Forwarded-For does not help', async () => {
    t = await buildTestApp();
    const from = (ip: string, xff?: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: `user${ip.length}`, password: 'password spraying' },
        remoteAddress: ip,
        ...(xff === undefined ? {} : { headers: { 'x-forwarded-for': xff } }),
      });
    for (let i = 0; i < 20; i++) expect((await from('198.51.100.9', `203.0.113.${i}`)).statusCode).toBe(401);
    const limited = await from('198.51.100.9', '203.0.113.200');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ code: string }>().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('198.51.100.10')).statusCode).toBe(401);
  });

  test('AUTH-10 ATK-AUTHN-5 unknown login and wrong password get byte-identical answers apart from the request id', async () => {
    t = await buildTestApp();
    await firstAdmin(t);
    const unknown = await post(t, '/api/v1/auth/login', { login: 'nobody.here', password: 'some password 1' });
    const wrong = await post(t, '/api/v1/auth/login', { login: ADMIN.login, password: 'some password 1' });
    const strip = (r: LightMyRequestResponse) => ({
      status: r.statusCode,
      body: { ...r.json<Record<string, unknown>>(), requestId: 'x' },
    });
    expect(strip(unknown)).toEqual(strip(wrong));
  });
});

describe('SESS sessions', () => {
  test('SESS-02 the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/ and has no Domain', async () => {
    t = await buildTestApp();
    const { token } = await issueSetupToken({ db: t.db, now: t.runtime.clock.now() }, 60);
    const created = await post(t, '/api/v1/setup/admin', { token, ...ADMIN });
    const header = String(created.headers['set-cookie']);
    expect(header).toMatch(/^__Host-sid=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    expect(header).not.toMatch(/Domain/i);
  });

  test('SESS-01 session ids are 256 random bits (43 base64url characters), unique, opaque (no JWT), and stored only as a digest', async () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => randomPooled(32).toString('base64url')));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    t = await buildTestApp();
    const { cookie } = await firstAdmin(t);
    const token = cookie.slice('__Host-sid='.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('.'); // not a JWT: nothing a client could decode or forge
    const rows = await t.db.selectFrom('auth_session').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
    const { createHash } = await import('node:crypto');
    expect(rows.map((r) => r.tokenHash)).toContain(createHash('sha256').update(token).digest('hex'));
  });

  test('SESS-03 ATK-SESS-1 a planted session cookie is never adopted', async () => {
    t = await buildTestApp();
    await firstAdmin(t);
    const planted = `__Host-sid=${'A'.repeat(43)}`;
    const pw = await post(t, '/api/v1/auth/login', ADMIN_LOGIN, planted);
    expect(cookieOf(pw)).not.toBe(planted);
  });

  test('SESS-05 sign-out ends the session in the store and sends Clear-Site-Data', async () => {
    t = await buildTestApp();
    const { cookie } = await firstAdmin(t);
    const out = await post(t, '/api/v1/auth/logout', undefined, cookie);
    expect(out.statusCode).toBe(200);
    expect(out.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(401);
  });

  test('SESS-04 idle timeout (15 minutes for an administrator) and 12-hour absolute limit, enforced by the server', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { cookie } = await firstAdmin(t);
    const me = () => t!.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    clock.advance(14 * 60_000);
    expect((await me()).statusCode).toBe(200);
    clock.advance(14 * 60_000);
    expect((await me()).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1000);
    expect((await me()).statusCode).toBe(401);
    const ended = await t.db
      .selectFrom('auth_session')
      .select('endReason')
      .where('endReason', '=', 'expired')
      .execute();
    expect(ended.length).toBeGreaterThan(0);
  });
});

const signRoute = route({
  method: 'POST',
  url: '/api/v1/test/sign',
  public: true,
  summary: 'test: sign a record',
  body: z.strictObject({ record: z.record(z.string(), z.unknown()), meaning: z.string(), code: z.string() }),
  response: z.object({ id: z.string(), signerLogin: z.string(), signedAt: z.string(), recordHash: z.string() }),
  handler: (ctx, { body }) =>
    sign(ctx, {
      meaning: body.meaning,
      subject: { type: 'test_record', id: 'r1' },
      recordValue: body.record,
      code: body.code,
    }),
});
const sensitiveRoute = route({
  method: 'POST',
  url: '/api/v1/test/sensitive',
  public: true,
  summary: 'test: a sensitive action',
  response: z.object({ ok: z.literal(true) }),
  handler: async (ctx) => {
    await requireRecentAuthentication(ctx);
    return { ok: true as const };
  },
});

describe('SESS-09 step-up and GSP-04 electronic signatures', () => {
  test('SESS-09 a sensitive action needs an authentication from the last five minutes; step-up renews it', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock, extraRoutes: [sensitiveRoute] });
    const { cookie, secret } = await firstAdmin(t);
    expect((await post(t, '/api/v1/test/sensitive', undefined, cookie)).statusCode).toBe(200);
    clock.advance(6 * 60_000);
    const stale = await post(t, '/api/v1/test/sensitive', undefined, cookie);
    expect(stale.statusCode).toBe(401);
    expect(stale.json<{ code: string }>().code).toBe('step_up_required');
    expect((await post(t, '/api/v1/auth/step-up', { code: '000000' }, cookie)).statusCode).toBe(401);
    const up = await post(t, '/api/v1/auth/step-up', { code: totpCodeAt(secret, clock.now()) }, cookie);
    expect(up.statusCode, up.body).toBe(200);
    expect((await post(t, '/api/v1/test/sensitive', undefined, cookie)).statusCode).toBe(200);
  });

  test('ATK-MFA-2 GSP-04 wrong codes at signing count like step-up codes: the fifth ends the session', async () => {
    t = await buildTestApp({ extraRoutes: [signRoute] });
    const { cookie } = await firstAdmin(t);
    const record = { lot: 'L2026-11-002', qty: 5 };
    for (let i = 0; i < 4; i++) {
      const wrong = await post(t, '/api/v1/test/sign', { record, meaning: '复核 / reviewed', code: '000000' }, cookie);
      expect(wrong.json<{ code: string }>().code).toBe('step_up_required');
    }
    expect((await post(t, '/api/v1/auth/step-up', { code: '111111' }, cookie)).statusCode).toBe(401);
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(session.statusCode).toBe(401);
  });

  test('GSP-04 a signature binds signer, meaning, server time and record hash; a changed record no longer verifies', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock, extraRoutes: [signRoute] });
    const { cookie, secret } = await firstAdmin(t);
    clock.advance(60_000);
    const record = { lot: 'L2026-11-001', qty: 40, conclusion: '合格', operatorName: 'forged name' };
    const wrong = await post(
      t,
      '/api/v1/test/sign',
      { record, meaning: '验收合格 / accepted', code: '000000' },
      cookie,
    );
    expect(wrong.statusCode).toBe(401);
    expect(await t.db.selectFrom('e_signature').selectAll().execute()).toHaveLength(0);
    const res = await post(
      t,
      '/api/v1/test/sign',
      { record, meaning: '验收合格 / accepted', code: totpCodeAt(secret, clock.now()) },
      cookie,
    );
    expect(res.statusCode, res.body).toBe(200);
    const sig = res.json<{ id: string; signerLogin: string; signedAt: string; recordHash: string }>();
    expect(sig.signerLogin).toBe('qa.zhang');
    expect(sig.signedAt).toBe(clock.now().toISOString());
    const ok = await verifySignature({ db: t.db }, sig.id, record);
    expect(ok).toMatchObject({ valid: true, signature: { signerName: ADMIN.name, meaning: '验收合格 / accepted' } });
    const changed = await verifySignature({ db: t.db }, sig.id, { ...record, qty: 41 });
    expect(changed).toEqual({ valid: false, reason: 'the record has changed since it was signed' });
    await expect(t.db.updateTable('e_signature').set({ meaning: 'x' }).execute()).rejects.toThrow(/append-only/);
    const events = (await t.db.selectFrom('audit_event').select('canonical').execute()).map(
      (r) => JSON.parse(r.canonical) as { action: string },
    );
    expect(events.filter((e) => e.action === 'identity.signature.applied')).toHaveLength(1);
  });
});

describe('SESS-07 / SESS-08 own sessions and the concurrent-session limit', () => {
  test('SESS-08 a fourth sign-in ends the oldest session; SESS-07 users list and end their own sessions', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { cookie: first, secret } = await firstAdmin(t);
    const cookies = [first];
    for (let i = 1; i <= 3; i++) {
      clock.advance(31_000);
      const pending = cookieOf(await post(t, '/api/v1/auth/login', ADMIN_LOGIN));
      const done = await post(t, '/api/v1/auth/mfa/totp', { code: totpCodeAt(secret, clock.now()) }, pending);
      expect(done.statusCode, done.body).toBe(200);
      cookies.push(cookieOf(done));
    }
    const me = (cookie: string) => t!.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect((await me(cookies[0]!)).statusCode).toBe(401);
    for (const c of cookies.slice(1)) expect((await me(c)).statusCode).toBe(200);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: cookies[3]! } });
    const sessions = list.json<{ sessions: { id: string; current: boolean }[] }>().sessions;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const other = sessions.find((s) => !s.current)!;
    const ended = await post(t, `/api/v1/auth/sessions/${other.id}/end`, undefined, cookies[3]);
    expect(ended.statusCode, ended.body).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: cookies[3]! } });
    expect(after.json<{ sessions: unknown[] }>().sessions).toHaveLength(2);
    const missing = await post(
      t,
      '/api/v1/auth/sessions/01900000-0000-7000-8000-000000000000/end',
      undefined,
      cookies[3],
    );
    expect(missing.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions' });
    expect(anonymous.statusCode).toBe(401);
  });
});
