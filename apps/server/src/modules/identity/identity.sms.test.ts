import type { LightMyRequestResponse } from 'fastify';
import { SMS_RISK_NOTICE_VERSION } from '@medledger/contract';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { manualClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { blindIndex, open, seal } from '../keys/index.js';
import { e164 } from './identity.sms-sender.js';
import { issueSetupToken } from './identity.actions.js';
import { hashPassword } from './identity.password.js';
import { totpCodeAt } from './identity.totp.js';

// Synthetic test numbers from the 1340000xxxx block; no real subscriber is ever messaged by these tests.
const PHONE_1 = '13400000001';
const PHONE_2 = '13400000002';
const PASSWORD = 'synthetic sign-in phrase 测试 2026';
const ADMIN = { login: 'qa.zhang', name: '张卫国', password: 'correct horse battery staple 医疗' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const outbox = () => buildTestApp({ sms: { provider: 'outbox' }, clock: manualClock(new Date()) });
const clockOf = (app: TestApp) => app.runtime.clock as ReturnType<typeof manualClock>;

function cookieOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const token = /__Host-sid=([A-Za-z0-9_-]{43})/.exec(header ?? '')?.[1];
  if (token === undefined) throw new Error(`no session cookie in ${String(header)}: ${res.body}`);
  return `__Host-sid=${token}`;
}

const post = (app: TestApp, url: string, payload?: unknown, cookie?: string, remoteAddress?: string) =>
  app.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: cookie === undefined ? {} : { cookie },
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
const get = (app: TestApp, url: string, cookie: string) => app.app.inject({ method: 'GET', url, headers: { cookie } });

/**
 * An account created straight in the test database (user administration is another module's job):
 * non-privileged unless a bootstrap role is given, with the phone number sealed like the real column.
 */
async function createUser(
  app: TestApp,
  login: string,
  options: { phone?: string | null; role?: string | null; smsEnrolled?: boolean } = {},
): Promise<string> {
  const id = uuidv7(Date.now());
  const now = app.runtime.clock.now().toISOString();
  const phone = options.phone === undefined ? PHONE_1 : options.phone;
  await app.db
    .insertInto('user_account')
    .values({
      id,
      login,
      loginKey: login.toLowerCase(),
      name: `测试用户 ${login}`,
      email: null,
      phoneSealed:
        phone === null
          ? null
          : seal({ runtime: app.runtime }, { table: 'user_account', column: 'phoneSealed', rowId: id }, phone),
      organisation: null,
      employmentEndsAt: null,
      bootstrapRole: options.role ?? null,
      status: 'active',
      passwordHash: await hashPassword(PASSWORD),
      passwordChangedAt: now,
      lastFailedLoginAt: null,
      lockedUntil: null,
      lastLoginAt: null,
      disabledReason: null,
      disabledAt: null,
      createdBy: null,
      activeSince: now,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  if (options.smsEnrolled === true && phone !== null) {
    const phoneIndex = blindIndex({ runtime: app.runtime }, 'identity.phone', e164(phone));
    await app.db.insertInto('mfa_sms').values({ userId: id, phoneIndex, confirmedAt: now }).execute();
  }
  return id;
}

async function signIn(app: TestApp, login: string) {
  const res = await post(app, '/api/v1/auth/login', { login, password: PASSWORD });
  expect(res.statusCode, res.body).toBe(200);
  return { answer: res.json<{ next: string; methods: string[] }>(), cookie: cookieOf(res) };
}

/** The code in an outbox message (opened with the server's keys, as the outbox page does). */
async function codeIn(app: TestApp, row: { id: string; textSealed: string }): Promise<string> {
  const text = await open(
    systemCtx(app.runtime, 'test'),
    { table: 'sms_outbox', column: 'textSealed', rowId: row.id },
    row.textSealed,
  );
  const code = /(\d{6})/.exec(text)?.[1];
  if (code === undefined) throw new Error(`no code in ${text}`);
  return code;
}

const outboxIds = async (app: TestApp) =>
  new Set((await app.db.selectFrom('sms_outbox').select('id').execute()).map((r) => r.id));

/** Asks for a code for this pending sign-in and reads it from the message that request added. */
async function sendCode(app: TestApp, cookie: string, body?: object): Promise<string> {
  const before = await outboxIds(app);
  const res = await post(app, '/api/v1/auth/mfa/sms/send', body, cookie);
  expect(res.statusCode, res.body).toBe(200);
  const added = (await app.db.selectFrom('sms_outbox').selectAll().execute()).filter((r) => !before.has(r.id));
  expect(added).toHaveLength(1);
  return codeIn(app, added[0]!);
}

/** TRN-03: the acknowledgement of the SMS risk notice, sent with the enrolment steps. */
const ACK = { smsRiskAcknowledged: true } as const;

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

type Event = { action: string; data: Record<string, unknown>; resource: { id: string } | null };
async function eventsOf(app: TestApp, action: string): Promise<Event[]> {
  const rows = await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as Event).filter((e) => e.action === action);
}

async function auditEvents(app: TestApp) {
  return (await app.db.selectFrom('audit_event').select('canonical').execute()).map((r) => r.canonical);
}

/** Setup link → first administrator → authenticator enrolled; returns the complete session. */
async function firstAdmin(app: TestApp) {
  const { token } = await issueSetupToken({ db: app.db, now: app.runtime.clock.now() }, 60);
  const enrolCookie = cookieOf(await post(app, '/api/v1/setup/admin', { token, ...ADMIN }));
  const { secret } = (await post(app, '/api/v1/auth/totp/enrol/start', undefined, enrolCookie)).json<{
    secret: string;
  }>();
  const confirm = await post(
    app,
    '/api/v1/auth/totp/enrol/confirm',
    { code: totpCodeAt(secret, app.runtime.clock.now()) },
    enrolCookie,
  );
  expect(confirm.statusCode, confirm.body).toBe(200);
  return cookieOf(confirm);
}

describe('AUTH-15 text-message codes: enrolment and sign-in', () => {
  test('AUTH-11 AUTH-15 a non-privileged user with a phone enrols SMS: the code proves the number, recovery codes once, later sign-ins offer sms', async () => {
    t = await outbox();
    await createUser(t, 'li.na');
    const { answer, cookie } = await signIn(t, 'li.na');
    expect(answer).toEqual({ next: 'enrol_totp', methods: [] });
    const status = await get(t, '/api/v1/auth/mfa/sms', cookie);
    expect(status.json()).toEqual({ available: true, maskedPhone: '134****0001', resendInSeconds: 0 });
    const sent = await post(t, '/api/v1/auth/mfa/sms/send', ACK, cookie);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ maskedPhone: '134****0001', expiresInSeconds: 300, resendInSeconds: 60 });
    const code = await codeIn(t, await t.db.selectFrom('sms_outbox').selectAll().executeTakeFirstOrThrow());
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await post(t, '/api/v1/auth/sms/enrol/confirm', { code: otherCode(code), ...ACK }, cookie);
    expect(wrong.statusCode).toBe(401);
    expect(await t.db.selectFrom('mfa_sms').selectAll().execute()).toHaveLength(0);
    const done = await post(t, '/api/v1/auth/sms/enrol/confirm', { code, ...ACK }, cookie);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    const complete = cookieOf(done);
    expect((await get(t, '/api/v1/session', complete)).statusCode).toBe(200);
    expect(await t.db.selectFrom('mfa_sms').selectAll().execute()).toHaveLength(1);
    await post(t, '/api/v1/auth/logout', undefined, complete);
    const again = await signIn(t, 'li.na');
    expect(again.answer).toEqual({ next: 'mfa', methods: ['sms', 'recovery'] });
    const events = await auditEvents(t);
    expect(events.filter((e) => e.includes('"identity.sms.enrolled"'))).toHaveLength(1);
  });

  test('TRN-03 D2 choosing SMS needs the risk notice acknowledged: no code is sent and no enrolment happens without it', async () => {
    t = await outbox();
    const userId = await createUser(t, 'li.na');
    const { cookie } = await signIn(t, 'li.na');
    for (const body of [undefined, {}]) {
      const refused = await post(t, '/api/v1/auth/mfa/sms/send', body, cookie);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json<{ code: string; message: string }>()).toMatchObject({
        code: 'sms_risk_not_acknowledged',
        message: expect.stringContaining('SIM swap') as string,
      });
    }
    // Bad input: anything but `true` is invalid, and unknown keys are rejected.
    for (const body of [{ smsRiskAcknowledged: false }, { smsRiskAcknowledged: 'yes' }, { acknowledged: true }]) {
      expect((await post(t, '/api/v1/auth/mfa/sms/send', body, cookie)).statusCode).toBe(400);
    }
    expect(await t.db.selectFrom('sms_outbox').selectAll().execute()).toHaveLength(0);
    expect(await t.db.selectFrom('sms_code').selectAll().execute()).toHaveLength(0);
    const refusals = await eventsOf(t, 'identity.smsCode.refused');
    expect(refusals.map((e) => [e.data, e.resource?.id])).toContainEqual([{ reason: 'risk_not_acknowledged' }, userId]);

    const code = await sendCode(t, cookie, ACK);
    const [sent] = await eventsOf(t, 'identity.smsCode.sent');
    expect(sent?.data).toMatchObject({ purpose: 'enrol', riskNoticeVersion: SMS_RISK_NOTICE_VERSION });
    // The code alone does not enrol: the confirmation carries the acknowledgement too.
    const bare = await post(t, '/api/v1/auth/sms/enrol/confirm', { code }, cookie);
    expect(bare.statusCode, bare.body).toBe(400);
    expect(bare.json<{ code: string }>().code).toBe('sms_risk_not_acknowledged');
    expect(await t.db.selectFrom('mfa_sms').selectAll().execute()).toHaveLength(0);
    const done = await post(t, '/api/v1/auth/sms/enrol/confirm', { code, ...ACK }, cookie);
    expect(done.statusCode, done.body).toBe(200);
    const [enrolled] = await eventsOf(t, 'identity.sms.enrolled');
    expect(enrolled?.data).toEqual({
      codesIssued: 10,
      riskNoticeAcknowledged: true,
      riskNoticeVersion: SMS_RISK_NOTICE_VERSION,
    });
  });

  test('TRN-03 a sign-in code needs no acknowledgement (the notice belongs to choosing SMS)', async () => {
    t = await outbox();
    await createUser(t, 'wang.er', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'wang.er');
    const res = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(res.statusCode, res.body).toBe(200);
  });

  test('AUTH-15 sign-in with a code: 6 digits, stored only as a keyed hash, single use; the audit trail holds neither code nor number', async () => {
    t = await outbox();
    const userId = await createUser(t, 'wang.wu', { smsEnrolled: true });
    const { answer, cookie } = await signIn(t, 'wang.wu');
    expect(answer).toEqual({ next: 'mfa', methods: ['sms', 'recovery'] });
    const code = await sendCode(t, cookie);
    const stored = await t.db.selectFrom('sms_code').selectAll().executeTakeFirstOrThrow();
    expect(stored.userId).toBe(userId);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.codeHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const done = await post(t, '/api/v1/auth/mfa/sms', { code }, cookie);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ next: 'done', methods: [] });
    const me = await get(t, '/api/v1/session', cookieOf(done));
    expect(me.statusCode).toBe(200);
    const security = await get(t, '/api/v1/auth/security', cookieOf(done));
    expect(security.json<{ factors: string[] }>().factors).toEqual(['sms']);
    // The pending session is gone and the code is spent.
    expect((await post(t, '/api/v1/auth/mfa/sms', { code }, cookie)).statusCode).toBe(401);
    const used = await t.db.selectFrom('sms_code').select('usedAt').executeTakeFirstOrThrow();
    expect(used.usedAt).not.toBeNull();
    const events = await auditEvents(t);
    expect(events.some((e) => e.includes('"identity.smsCode.sent"'))).toBe(true);
    expect(events.some((e) => e.includes('"password+sms"'))).toBe(true);
    for (const e of events) {
      expect(e).not.toContain(code);
      expect(e).not.toContain(PHONE_1);
      expect(e).not.toContain(PHONE_1.slice(-4));
    }
  });

  test('AUTH-15 ATK-MFA-4 a code expires after 5 minutes', async () => {
    t = await outbox();
    await createUser(t, 'zhao.liu', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'zhao.liu');
    const code = await sendCode(t, cookie);
    clockOf(t).advance(5 * 60_000 + 1000);
    const late = await post(t, '/api/v1/auth/mfa/sms', { code }, cookie);
    expect(late.statusCode).toBe(410);
    expect(late.json<{ code: string }>().code).toBe('sms_code_expired');
    // A new code for the same sign-in works.
    const fresh = await sendCode(t, cookie);
    expect((await post(t, '/api/v1/auth/mfa/sms', { code: fresh }, cookie)).statusCode).toBe(200);
  });

  test('AUTH-15 ATK-MFA-2 five attempts per code: the sixth, even the right code, is refused', async () => {
    t = await outbox();
    await createUser(t, 'sun.qi', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'sun.qi');
    const code = await sendCode(t, cookie);
    const answers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await post(t, '/api/v1/auth/mfa/sms', { code: otherCode(String(Number(code) + i)) }, cookie);
      expect(res.statusCode).toBe(401);
      answers.add(res.json<{ message: string }>().message);
    }
    expect(answers.size).toBe(1);
    const sixth = await post(t, '/api/v1/auth/mfa/sms', { code }, cookie);
    expect(sixth.statusCode).toBe(401);
    const row = await t.db.selectFrom('sms_code').select(['attempts', 'usedAt']).executeTakeFirstOrThrow();
    expect(Number(row.attempts)).toBe(5);
    expect(row.usedAt).toBeNull();
    const failures = (await auditEvents(t)).filter((e) => e.includes('"identity.login.failed"'));
    expect(failures).toHaveLength(5);
    expect(failures.every((e) => e.includes('"sms"'))).toBe(true);
  });

  test('ATK-MFA-2 twenty parallel guesses on one code are counted atomically: at most five are checked', async () => {
    t = await outbox();
    await createUser(t, 'zhou.ba', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'zhou.ba');
    const code = await sendCode(t, cookie);
    const app = t;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(app, '/api/v1/auth/mfa/sms', { code: otherCode(String(Number(code) + i)) }, cookie),
      ),
    );
    expect(results.every((r) => r.statusCode !== 200)).toBe(true);
    expect(results.filter((r) => r.json<{ code: string }>().code === 'invalid_credentials').length).toBeLessThanOrEqual(
      5,
    );
    const row = await t.db.selectFrom('sms_code').select('attempts').executeTakeFirstOrThrow();
    expect(Number(row.attempts)).toBe(5);
  });

  test('AUTH-15 ATK-MFA-4 acceptance: the code of sign-in A does not complete sign-in B (same user or another user)', async () => {
    t = await outbox();
    await createUser(t, 'chen.a', { smsEnrolled: true });
    await createUser(t, 'chen.b', { smsEnrolled: true, phone: PHONE_2 });
    const a = await signIn(t, 'chen.a');
    const codeA = await sendCode(t, a.cookie);
    // A second sign-in of the same user, before it has a code of its own.
    const b = await signIn(t, 'chen.a');
    const noCode = await post(t, '/api/v1/auth/mfa/sms', { code: codeA }, b.cookie);
    expect(noCode.statusCode).toBe(410);
    clockOf(t).advance(61_000);
    const codeB = await sendCode(t, b.cookie);
    if (codeB !== codeA) {
      const crossed = await post(t, '/api/v1/auth/mfa/sms', { code: codeA }, b.cookie);
      expect(crossed.statusCode).toBe(401);
      expect(crossed.json<{ code: string }>().code).toBe('invalid_credentials');
    }
    // Another user's sign-in.
    const other = await signIn(t, 'chen.b');
    const otherCodeSent = await sendCode(t, other.cookie);
    if (otherCodeSent !== codeA) {
      expect((await post(t, '/api/v1/auth/mfa/sms', { code: codeA }, other.cookie)).statusCode).toBe(401);
    }
    // Each code still completes its own sign-in.
    for (const [code, cookie] of [
      [codeA, a.cookie],
      [codeB, b.cookie],
      [otherCodeSent, other.cookie],
    ] as const) {
      const res = await post(t, '/api/v1/auth/mfa/sms', { code }, cookie);
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  test('AUTH-15 a new code voids the previous one', async () => {
    t = await outbox();
    await createUser(t, 'wu.jiu', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'wu.jiu');
    const first = await sendCode(t, cookie);
    clockOf(t).advance(61_000);
    const second = await sendCode(t, cookie);
    const rows = await t.db.selectFrom('sms_code').select(['voidedAt', 'createdAt']).orderBy('createdAt').execute();
    expect(rows[0]!.voidedAt).not.toBeNull();
    expect(rows[1]!.voidedAt).toBeNull();
    if (first !== second) expect((await post(t, '/api/v1/auth/mfa/sms', { code: first }, cookie)).statusCode).toBe(401);
    expect((await post(t, '/api/v1/auth/mfa/sms', { code: second }, cookie)).statusCode).toBe(200);
  });
});

describe('AUTH-15 send throttles (SMS pumping)', () => {
  test('AUTH-15 a 60-second cooldown between codes and at most 10 codes a day: the 11th is refused', async () => {
    t = await outbox();
    await createUser(t, 'zheng.shi', { smsEnrolled: true });
    let { cookie } = await signIn(t, 'zheng.shi');
    expect((await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie)).statusCode).toBe(200);
    const soon = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(soon.statusCode).toBe(429);
    expect(soon.json<{ code: string }>().code).toBe('rate_limited');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(soon.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A new sign-in does not reset the cooldown.
    const fresh = await signIn(t, 'zheng.shi');
    expect((await post(t, '/api/v1/auth/mfa/sms/send', undefined, fresh.cookie)).statusCode).toBe(429);
    for (let i = 2; i <= 10; i++) {
      clockOf(t).advance(61_000);
      if (i % 5 === 0) ({ cookie } = await signIn(t, 'zheng.shi'));
      const res = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
      expect(res.statusCode, `send ${i}: ${res.body}`).toBe(200);
    }
    clockOf(t).advance(61_000);
    ({ cookie } = await signIn(t, 'zheng.shi'));
    const eleventh = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json<{ code: string }>().code).toBe('sms_limit_reached');
    expect(await t.db.selectFrom('sms_outbox').selectAll().execute()).toHaveLength(10);
    const refused = (await auditEvents(t)).filter((e) => e.includes('"identity.smsCode.refused"'));
    expect(refused.some((e) => e.includes('"daily_limit"'))).toBe(true);
    expect(refused.some((e) => e.includes('"cooldown"'))).toBe(true);
    // A day after the first code, one more may be sent.
    clockOf(t).advance(24 * 3_600_000 - 9 * 61_000);
    ({ cookie } = await signIn(t, 'zheng.shi'));
    expect((await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie)).statusCode).toBe(200);
  }, 60_000);

  test('AUTH-15 at most 20 code requests an hour from one client address', async () => {
    t = await outbox();
    await createUser(t, 'feng.yi', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'feng.yi');
    const from = (ip: string) => post(t!, '/api/v1/auth/mfa/sms/send', undefined, cookie, ip);
    for (let i = 0; i < 20; i++) expect((await from('198.51.100.7')).statusCode).not.toBe(500);
    const limited = await from('198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ message: string }>().message).toMatch(/from this address/);
    expect((await from('198.51.100.8')).json<{ message: string }>().message).not.toMatch(/from this address/);
  });
});

describe('AUTH-11 who may use SMS', () => {
  test('AUTH-11 an account privileged by an assigned administrator role is refused SMS too', async () => {
    t = await outbox();
    const id = await createUser(t, 'sys.ops', { smsEnrolled: true });
    const now = t.runtime.clock.now().toISOString();
    await t.db
      .insertInto('access_assignment')
      .values({
        id: uuidv7(Date.now()),
        userId: id,
        roleCode: 'system-admin',
        site: null,
        status: 'active',
        reason: '岗位任命',
        requestedBy: 'someone',
        decidedBy: 'someone-else',
        decisionReason: '同意',
        decidedAt: now,
        revokedBy: null,
        revokedAt: null,
        createdAt: now,
      })
      .execute();
    const { cookie } = await signIn(t, 'sys.ops');
    const send = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(send.statusCode).toBe(403);
    expect(send.json<{ code: string }>().code).toBe('sms_not_allowed');
    expect(await t.db.selectFrom('sms_outbox').selectAll().execute()).toHaveLength(0);
  });

  test('AUTH-11 ATK-MFA-6 a privileged account is refused SMS at enrolment and at sign-in, even with a number and an SMS row', async () => {
    t = await outbox();
    const adminId = await createUser(t, 'sec.admin', { role: 'administrator', smsEnrolled: true });
    const { answer, cookie } = await signIn(t, 'sec.admin');
    expect(answer).toEqual({ next: 'enrol_totp', methods: [] });
    expect((await get(t, '/api/v1/auth/mfa/sms', cookie)).json()).toEqual({
      available: false,
      maskedPhone: null,
      resendInSeconds: 0,
    });
    const send = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(send.statusCode).toBe(403);
    expect(send.json<{ code: string; message: string }>()).toMatchObject({
      code: 'sms_not_allowed',
      message: expect.stringMatching(/privileged/) as string,
    });
    expect((await post(t, '/api/v1/auth/sms/enrol/confirm', { code: '123456' }, cookie)).statusCode).toBe(403);
    // With an authenticator enrolled, the sign-in step does not offer SMS and refuses it.
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await t.db
      .insertInto('mfa_totp')
      .values({
        userId: adminId,
        secretSealed: seal(
          { runtime: t.runtime },
          { table: 'mfa_totp', column: 'secretSealed', rowId: adminId },
          secret,
        ),
        confirmedAt: t.runtime.clock.now().toISOString(),
        createdAt: t.runtime.clock.now().toISOString(),
      })
      .execute();
    const pw = await signIn(t, 'sec.admin');
    expect(pw.answer).toEqual({ next: 'mfa', methods: ['totp', 'recovery'] });
    expect((await post(t, '/api/v1/auth/mfa/sms/send', undefined, pw.cookie)).statusCode).toBe(403);
    const forced = await post(t, '/api/v1/auth/mfa/sms', { code: '123456' }, pw.cookie);
    expect(forced.statusCode).toBe(403);
    expect(await t.db.selectFrom('sms_outbox').selectAll().execute()).toHaveLength(0);
    const refused = (await auditEvents(t)).filter((e) => e.includes('"identity.smsCode.refused"'));
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((e) => e.includes('"not_allowed"'))).toBe(true);
  });

  test('AUTH-15 codes go only to the verified number: after the number on record changes, SMS must be enrolled again', async () => {
    t = await outbox();
    const id = await createUser(t, 'tang.qi', { smsEnrolled: true });
    expect((await signIn(t, 'tang.qi')).answer.methods).toEqual(['sms', 'recovery']);
    await t.db
      .updateTable('user_account')
      .set({
        phoneSealed: seal({ runtime: t.runtime }, { table: 'user_account', column: 'phoneSealed', rowId: id }, PHONE_2),
      })
      .where('id', '=', id)
      .execute();
    const { answer, cookie } = await signIn(t, 'tang.qi');
    expect(answer).toEqual({ next: 'enrol_totp', methods: [] });
    // Enrolling again verifies the new number.
    expect((await get(t, '/api/v1/auth/mfa/sms', cookie)).json<{ maskedPhone: string }>().maskedPhone).toBe(
      '134****0002',
    );
  });

  test('AUTH-11 no phone on record: no sms method, and no code is sent', async () => {
    t = await outbox();
    await createUser(t, 'he.er', { phone: null, smsEnrolled: true });
    const { answer, cookie } = await signIn(t, 'he.er');
    expect(answer).toEqual({ next: 'enrol_totp', methods: [] });
    expect((await get(t, '/api/v1/auth/mfa/sms', cookie)).json<{ available: boolean }>().available).toBe(false);
    const send = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(send.statusCode).toBe(403);
    expect(send.json<{ message: string }>().message).toMatch(/No mobile number/);
  });

  test('AUTH-15 with SMS off nothing offers it, and the development outbox does not exist', async () => {
    t = await buildTestApp();
    await createUser(t, 'ma.san', { smsEnrolled: true });
    const { answer, cookie } = await signIn(t, 'ma.san');
    expect(answer).toEqual({ next: 'enrol_totp', methods: [] });
    expect((await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie)).statusCode).toBe(403);
    const admin = await firstAdmin(t);
    expect((await get(t, '/api/v1/dev/sms-outbox', admin)).statusCode).toBe(404);
  });
});

describe('AUTH-15 providers', () => {
  test('AUTH-15 the development outbox lists messages to administrators only, with the number masked', async () => {
    t = await outbox();
    await createUser(t, 'lu.si', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'lu.si');
    const code = await sendCode(t, cookie);
    const done = await post(t, '/api/v1/auth/mfa/sms', { code }, cookie);
    const user = cookieOf(done);
    expect((await get(t, '/api/v1/dev/sms-outbox', user)).statusCode).toBe(403);
    const admin = await firstAdmin(t);
    const list = await get(t, '/api/v1/dev/sms-outbox', admin);
    expect(list.statusCode, list.body).toBe(200);
    const { messages } = list.json<{ messages: { to: string; text: string }[] }>();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to).toBe('134****0001');
    expect(messages[0]!.text).toContain(code);
    const row = await t.db.selectFrom('sms_outbox').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(PHONE_1);
    expect(row.textSealed).not.toContain(code);
  });

  test('AUTH-15 fail closed: when the gateway cannot be reached no usable code exists and the failure is audited', async () => {
    t = await buildTestApp({
      clock: manualClock(new Date()),
      sms: {
        provider: 'http',
        // Nothing listens on port 9 of the loopback address.
        url: 'https://127.0.0.1:9/sms',
        secret: Buffer.from('synthetic-test-secret-0123456789abcdef'),
        keyId: 'medledger-1',
        timeoutMs: 1000,
      },
    });
    await createUser(t, 'gao.wu', { smsEnrolled: true });
    const { cookie } = await signIn(t, 'gao.wu');
    const send = await post(t, '/api/v1/auth/mfa/sms/send', undefined, cookie);
    expect(send.statusCode).toBe(503);
    expect(send.json<{ code: string }>().code).toBe('service_unavailable');
    const row = await t.db.selectFrom('sms_code').select('voidedAt').executeTakeFirstOrThrow();
    expect(row.voidedAt).not.toBeNull();
    expect((await post(t, '/api/v1/auth/mfa/sms', { code: '123456' }, cookie)).statusCode).toBe(410);
    const failed = (await auditEvents(t)).filter((e) => e.includes('"identity.smsCode.sendFailed"'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('could not be reached');
  });
});
