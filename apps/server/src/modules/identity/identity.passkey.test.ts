import {
  AUDIT_EVENTS,
  type PasskeyAuthenticationOptions,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationOptions,
} from '@medledger/contract';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { SoftAuthenticator } from '../../../test/soft-authenticator.js';
import { manualClock } from '../../platform/clock.js';
import { uuidv7 } from '../../platform/ids.js';
import { issueSetupToken } from './identity.actions.js';
import { hashPassword } from './identity.password.js';
import { relyingPartyOf } from './identity.passkey.js';

const ORIGIN = 'https://localhost:8443';
const ADMIN = { login: 'qa.zhang', name: '张卫国', password: 'correct horse battery staple 医疗' };
const CLERK = { login: 'li.na', name: '李娜', password: 'tulips under the winter bridge 仓库' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function cookieOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const token = /__Host-sid=([A-Za-z0-9_-]{43})/.exec(header ?? '')?.[1];
  if (token === undefined) throw new Error(`no session cookie in ${String(header)}: ${res.body}`);
  return `__Host-sid=${token}`;
}

const post = (app: TestApp, url: string, payload?: unknown, cookie?: string) =>
  app.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: cookie === undefined ? {} : { cookie },
  });

const get = (app: TestApp, url: string, cookie?: string) =>
  app.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });

async function events(app: TestApp): Promise<{ action: string; data: Record<string, unknown> }[]> {
  const rows = await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as { action: string; data: Record<string, unknown> });
}

async function newApp() {
  const clock = manualClock(new Date());
  t = await buildTestApp({ clock });
  return { app: t, clock };
}

async function registrationOptions(app: TestApp, url: string, cookie: string): Promise<PasskeyRegistrationOptions> {
  const res = await post(app, url, undefined, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PasskeyRegistrationOptions>();
}

async function authOptions(app: TestApp, url: string, cookie?: string): Promise<PasskeyAuthenticationOptions> {
  const res = await post(app, url, undefined, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PasskeyAuthenticationOptions>();
}

/** Setup link → first administrator → a passkey instead of an authenticator app. */
async function adminWithPasskey(app: TestApp, authenticator = new SoftAuthenticator(ORIGIN)) {
  const { token } = await issueSetupToken({ db: app.db, now: app.runtime.clock.now() }, 60);
  const created = await post(app, '/api/v1/setup/admin', { token, ...ADMIN });
  expect(created.statusCode, created.body).toBe(201);
  const enrolCookie = cookieOf(created);
  const options = await registrationOptions(app, '/api/v1/auth/passkey/enrol/options', enrolCookie);
  const confirm = await post(
    app,
    '/api/v1/auth/passkey/enrol/confirm',
    { name: '办公室电脑', response: authenticator.register(options) },
    enrolCookie,
  );
  expect(confirm.statusCode, JSON.stringify(app.logs.filter((l) => l.msg === 'request failed'))).toBe(200);
  const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
  return { authenticator, options, recoveryCodes, cookie: cookieOf(confirm), enrolCookie };
}

/** A second, ordinary account, written straight into the table (no administrator session needed here). */
async function addClerk(app: TestApp): Promise<string> {
  const now = app.runtime.clock.now().toISOString();
  const id = uuidv7();
  await app.db
    .insertInto('user_account')
    .values({
      id,
      login: CLERK.login,
      loginKey: CLERK.login,
      name: CLERK.name,
      email: null,
      phoneSealed: null,
      organisation: null,
      employmentEndsAt: null,
      bootstrapRole: null,
      status: 'active',
      disabledReason: null,
      disabledAt: null,
      createdBy: null,
      activeSince: now,
      passwordHash: await hashPassword(CLERK.password),
      passwordChangedAt: now,
      lastFailedLoginAt: null,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

/** The clerk signs in with the password and enrols a passkey as their second factor. */
async function clerkWithPasskey(app: TestApp) {
  const id = await addClerk(app);
  const authenticator = new SoftAuthenticator(ORIGIN);
  const pw = await post(app, '/api/v1/auth/login', { login: CLERK.login, password: CLERK.password });
  expect(pw.json()).toEqual({ next: 'enrol_totp', methods: [] });
  const cookie = cookieOf(pw);
  const options = await registrationOptions(app, '/api/v1/auth/passkey/enrol/options', cookie);
  const confirm = await post(
    app,
    '/api/v1/auth/passkey/enrol/confirm',
    { name: 'phone', response: authenticator.register(options) },
    cookie,
  );
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { id, authenticator, cookie: cookieOf(confirm) };
}

async function passwordless(app: TestApp, authenticator: SoftAuthenticator, forge = {}) {
  const options = await authOptions(app, '/api/v1/auth/passkey/login/options');
  return post(app, '/api/v1/auth/passkey/login', { response: authenticator.assert(options, forge) });
}

const ADMIN_LOGIN = { login: ADMIN.login, password: ADMIN.password };

describe('AUTH-16 passkey enrolment and sign-in', () => {
  test('AUTH-16 AUTH-11 the first administrator enrols a passkey instead of an authenticator app: strict options, recovery codes once, signed in, audited', async () => {
    const { app } = await newApp();
    const { options, recoveryCodes, cookie, enrolCookie } = await adminWithPasskey(app);
    expect(options.rp).toEqual({ name: 'MedLedger', id: 'localhost' });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.attestation).toBe('none');
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-8, -7, -257]);
    expect(options.excludeCredentials).toEqual([]);
    expect(options.timeout).toBe(120_000);
    // The user handle is the account id, no personal data.
    const account = await app.db.selectFrom('user_account').select('id').executeTakeFirstOrThrow();
    expect(Buffer.from(options.user.id, 'base64url').toString('utf8')).toBe(account.id);
    expect(recoveryCodes).toHaveLength(10);
    const me = await get(app, '/api/v1/session', cookie);
    expect(me.statusCode).toBe(200);
    expect((await get(app, '/api/v1/session', enrolCookie)).statusCode).toBe(401);
    const session = await app.db
      .selectFrom('auth_session')
      .select('authMethod')
      .where('stage', '=', 'complete')
      .executeTakeFirstOrThrow();
    expect(session.authMethod).toBe('password+passkey');
    const log = await events(app);
    expect(log.find((e) => e.action === 'identity.passkey.enrolled')?.data).toMatchObject({
      name: '办公室电脑',
      codesIssued: 10,
    });
    expect(log.find((e) => e.action === 'identity.login.succeeded')?.data).toEqual({ method: 'password+passkey' });
  });

  test('AUTH-16 passwordless sign-in with a discoverable passkey completes the session; the counter moves forward', async () => {
    const { app } = await newApp();
    const { authenticator, cookie } = await adminWithPasskey(app);
    await post(app, '/api/v1/auth/logout', undefined, cookie);
    const options = await authOptions(app, '/api/v1/auth/passkey/login/options');
    expect(options.allowCredentials).toEqual([]);
    expect(options.userVerification).toBe('required');
    expect(options.rpId).toBe('localhost');
    const done = await post(app, '/api/v1/auth/passkey/login', { response: authenticator.assert(options) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ next: 'done', methods: [] });
    const me = await get(app, '/api/v1/session', cookieOf(done));
    expect(me.json<{ user: { login: string } }>().user.login).toBe(ADMIN.login);
    const row = await app.db
      .selectFrom('webauthn_credential')
      .select(['counter', 'lastUsedAt'])
      .executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(1);
    expect(row.lastUsedAt).toBe(app.runtime.clock.now().toISOString());
    const log = await events(app);
    expect(log.filter((e) => e.action === 'identity.login.succeeded').map((e) => e.data.method)).toEqual([
      'password+passkey',
      'passkey',
    ]);
  });

  test('AUTH-11 a passkey is offered and accepted as the second factor after the password', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    const pw = await post(app, '/api/v1/auth/login', ADMIN_LOGIN);
    expect(pw.json()).toEqual({ next: 'mfa', methods: ['passkey', 'recovery'] });
    const pending = cookieOf(pw);
    const options = await authOptions(app, '/api/v1/auth/passkey/mfa/options', pending);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([
      Buffer.from(authenticator.keys[0]!.credentialId).toString('base64url'),
    ]);
    const done = await post(app, '/api/v1/auth/passkey/mfa', { response: authenticator.assert(options) }, pending);
    expect(done.statusCode, done.body).toBe(200);
    expect((await get(app, '/api/v1/session', cookieOf(done))).statusCode).toBe(200);
    expect((await get(app, '/api/v1/session', pending)).statusCode).toBe(401);
    const method = await app.db
      .selectFrom('auth_session')
      .select('authMethod')
      .where('stage', '=', 'complete')
      .where('endedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    expect(method.authMethod).toBe('password+passkey');
    // The passkey step needs the pending sign-in: without it the options are refused.
    expect((await post(app, '/api/v1/auth/passkey/mfa/options')).statusCode).toBe(401);
  });
});

describe('AUTH-16 ATK-MFA-7 tampered ceremonies are refused', () => {
  test('AUTH-16 ATK-MFA-7 a challenge verifies at most once: replayed assertions and registrations are refused', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    const options = await authOptions(app, '/api/v1/auth/passkey/login/options');
    const response = authenticator.assert(options);
    expect((await post(app, '/api/v1/auth/passkey/login', { response })).statusCode).toBe(200);
    const replay = await post(app, '/api/v1/auth/passkey/login', { response });
    expect(replay.statusCode).toBe(401);
    expect(replay.json<{ code: string }>().code).toBe('invalid_credentials');
    // A fresh signature (higher counter) over the used challenge is refused just the same.
    const resigned = await post(app, '/api/v1/auth/passkey/login', { response: authenticator.assert(options) });
    expect(resigned.statusCode).toBe(401);
    // Twenty parallel submissions of one fresh assertion: exactly one signs in.
    const fresh = authenticator.assert(await authOptions(app, '/api/v1/auth/passkey/login/options'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(app, '/api/v1/auth/passkey/login', { response: fresh })),
    );
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const refused = (await events(app)).filter((e) => e.action === 'identity.passkey.refused');
    expect(refused.some((e) => e.data.reason === 'challenge')).toBe(true);
  });

  test('AUTH-16 ATK-MFA-7 a challenge issued for one ceremony or session does not verify another, nor after 120 seconds', async () => {
    const { app, clock } = await newApp();
    const { authenticator, cookie } = await adminWithPasskey(app);
    // A step-up challenge of a signed-in session is not a sign-in challenge.
    const stepUp = await authOptions(app, '/api/v1/auth/passkey/step-up/options', cookie);
    const asLogin = await post(app, '/api/v1/auth/passkey/login', {
      response: authenticator.assert({ ...stepUp, allowCredentials: [] }),
    });
    expect(asLogin.statusCode).toBe(401);
    // A second-factor challenge belongs to its pending sign-in only.
    const first = cookieOf(await post(app, '/api/v1/auth/login', ADMIN_LOGIN));
    const options = await authOptions(app, '/api/v1/auth/passkey/mfa/options', first);
    const second = cookieOf(await post(app, '/api/v1/auth/login', ADMIN_LOGIN));
    const crossed = await post(app, '/api/v1/auth/passkey/mfa', { response: authenticator.assert(options) }, second);
    expect(crossed.statusCode).toBe(401);
    // Expired.
    const late = await authOptions(app, '/api/v1/auth/passkey/login/options');
    clock.advance(121_000);
    expect((await post(app, '/api/v1/auth/passkey/login', { response: authenticator.assert(late) })).statusCode).toBe(
      401,
    );
    expect((await passwordless(app, authenticator)).statusCode).toBe(200);
  });

  test('AUTH-16 ATK-MFA-7 wrong origin, wrong RP ID, a missing UV flag and a forged type are each refused at sign-in', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    for (const forge of [
      { origin: 'https://evil.example' },
      { origin: 'https://localhost:9443' },
      { origin: 'http://localhost:8443' },
      { rpId: 'evil.example' },
      { rpId: 'localhost.evil.example' },
      { uv: false },
      { type: 'webauthn.create' },
    ]) {
      const res = await passwordless(app, authenticator, forge);
      expect(res.statusCode, JSON.stringify(forge)).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('invalid_credentials');
    }
    expect((await passwordless(app, authenticator)).statusCode).toBe(200);
    const reasons = (await events(app))
      .filter((e) => e.action === 'identity.passkey.refused')
      .map((e) => e.data.reason);
    expect(reasons).toEqual(Array(7).fill('verification'));
  });

  test('AUTH-16 ATK-MFA-7 ATK-MFA-2 wrong origin, wrong RP ID or no UV at enrolment are refused and counted; the fifth ends the enrolment', async () => {
    const { app } = await newApp();
    const { token } = await issueSetupToken({ db: app.db, now: app.runtime.clock.now() }, 60);
    const cookie = cookieOf(await post(app, '/api/v1/setup/admin', { token, ...ADMIN }));
    const authenticator = new SoftAuthenticator(ORIGIN);
    for (const forge of [
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { uv: false },
      { type: 'webauthn.get' },
    ]) {
      const options = await registrationOptions(app, '/api/v1/auth/passkey/enrol/options', cookie);
      const res = await post(
        app,
        '/api/v1/auth/passkey/enrol/confirm',
        { name: 'x', response: authenticator.register(options, forge) },
        cookie,
      );
      expect(res.statusCode, JSON.stringify(forge)).toBe(401);
    }
    expect(await app.db.selectFrom('webauthn_credential').selectAll().execute()).toEqual([]);
    const options = await registrationOptions(app, '/api/v1/auth/passkey/enrol/options', cookie);
    const good = authenticator.register(options);
    // A registration response for a challenge the server never issued.
    const forged = await post(
      app,
      '/api/v1/auth/passkey/enrol/confirm',
      { name: 'x', response: authenticator.register(options, { challenge: 'A'.repeat(43) }) },
      cookie,
    );
    expect(forged.statusCode).toBe(401);
    // Five refusals: this enrolment is over, even with a good response.
    const late = await post(app, '/api/v1/auth/passkey/enrol/confirm', { name: 'x', response: good }, cookie);
    expect(late.statusCode).toBe(401);
    expect(late.json<{ code: string }>().code).toBe('unauthenticated');
    const failures = (await events(app)).filter((e) => e.action === 'identity.login.failed');
    expect(failures.map((e) => e.data.step)).toEqual(Array(5).fill('passkey'));
  });

  test('AUTH-16 ATK-MFA-7 a counter that goes backwards is refused and alerted as a possible clone; zero counters stay allowed', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    expect((await passwordless(app, authenticator, { counter: 5 })).statusCode).toBe(200);
    expect((await passwordless(app, authenticator, { counter: 5 })).statusCode).toBe(401);
    expect((await passwordless(app, authenticator, { counter: 3 })).statusCode).toBe(401);
    expect((await passwordless(app, authenticator, { counter: 0 })).statusCode).toBe(401);
    expect((await passwordless(app, authenticator, { counter: 6 })).statusCode).toBe(200);
    const clones = (await events(app)).filter((e) => e.action === 'identity.passkey.cloneSuspected');
    expect(clones.map((e) => [e.data.storedCounter, e.data.receivedCounter])).toEqual([
      [5, 5],
      [5, 3],
      [5, 0],
    ]);
    // An alert event: shown to security and audit administrators at once.
    expect(AUDIT_EVENTS['identity.passkey.cloneSuspected'].alert).toBe(true);

    // An authenticator that never counts (counter always 0) keeps working.
    await post(app, '/api/v1/auth/logout');
    const { authenticator: flat } = await clerkWithPasskey(app);
    const zero = new SoftAuthenticator(ORIGIN, false);
    zero.keys.push(...flat.keys);
    for (let i = 0; i < 3; i++) expect((await passwordless(app, zero)).statusCode).toBe(200);
  });

  test("ATK-MFA-7 ATK-MFA-4 another user's passkey is refused: as the second factor, and under a forged user handle", async () => {
    const { app } = await newApp();
    const admin = await adminWithPasskey(app);
    const clerk = await clerkWithPasskey(app);
    // The clerk's passkey answers the administrator's second-factor challenge.
    const pending = cookieOf(await post(app, '/api/v1/auth/login', ADMIN_LOGIN));
    const options = await authOptions(app, '/api/v1/auth/passkey/mfa/options', pending);
    const theirs = clerk.authenticator.assert(options, {}, clerk.authenticator.keys[0]);
    const res = await post(app, '/api/v1/auth/passkey/mfa', { response: theirs }, pending);
    expect(res.statusCode).toBe(401);
    const session = await app.db
      .selectFrom('auth_session')
      .select('mfaFailures')
      .where('stage', '=', 'password')
      .where('endedAt', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(session.mfaFailures)).toBe(1);
    // Passwordless with the clerk's key but the administrator's user handle.
    const login = await authOptions(app, '/api/v1/auth/passkey/login/options');
    const forged = clerk.authenticator.assert(login, { userHandle: admin.options.user.id });
    expect((await post(app, '/api/v1/auth/passkey/login', { response: forged })).statusCode).toBe(401);
    // And a discoverable assertion without any user handle.
    const anonymous = await passwordless(app, admin.authenticator, { userHandle: null });
    expect(anonymous.statusCode).toBe(401);
    const reasons = (await events(app))
      .filter((e) => e.action === 'identity.passkey.refused')
      .map((e) => e.data.reason);
    expect(reasons).toEqual(['wrong_user', 'wrong_user', 'wrong_user']);
    // An unknown credential.
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.register({ ...admin.options, challenge: login.challenge });
    expect((await passwordless(app, stranger)).statusCode).toBe(401);
  });

  test('AUTH-23 SESS-06 a disabled account, or one past its employment end, cannot sign in with a passkey', async () => {
    const { app, clock } = await newApp();
    await adminWithPasskey(app);
    const clerk = await clerkWithPasskey(app);
    await app.db.updateTable('user_account').set({ status: 'disabled' }).where('id', '=', clerk.id).execute();
    expect((await passwordless(app, clerk.authenticator)).statusCode).toBe(401);
    const ends = new Date(clock.now().getTime() + 60_000).toISOString();
    await app.db
      .updateTable('user_account')
      .set({ status: 'active', employmentEndsAt: ends })
      .where('id', '=', clerk.id)
      .execute();
    expect((await passwordless(app, clerk.authenticator)).statusCode).toBe(200);
    clock.advance(61_000);
    expect((await passwordless(app, clerk.authenticator)).statusCode).toBe(401);
    const reasons = (await events(app))
      .filter((e) => e.action === 'identity.passkey.refused')
      .map((e) => e.data.reason);
    expect(reasons).toEqual(['account_inactive', 'account_inactive']);
  });
});

describe('AUTH-09 lockout is not a denial of service', () => {
  test('AUTH-09 a password path locked by failures does not lock out passkey sign-in; the lock is audited', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    for (let i = 0; i < 5; i++) {
      expect((await post(app, '/api/v1/auth/login', { login: ADMIN.login, password: `wrong ${i}` })).statusCode).toBe(
        401,
      );
    }
    expect((await post(app, '/api/v1/auth/login', ADMIN_LOGIN)).statusCode).toBe(401);
    const locked = await app.db.selectFrom('user_account').select('lockedUntil').executeTakeFirstOrThrow();
    expect(locked.lockedUntil).not.toBeNull();
    expect((await events(app)).some((e) => e.action === 'identity.account.locked')).toBe(true);
    const res = await passwordless(app, authenticator);
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(app, '/api/v1/session', cookieOf(res))).statusCode).toBe(200);
  });
});

describe('AUTH-17 no biometric data', () => {
  test('AUTH-17 the server stores only the public key: no biometric template, no private key', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    const row = await app.db.selectFrom('webauthn_credential').selectAll().executeTakeFirstOrThrow();
    expect(Object.keys(row).sort()).toEqual(
      [
        'id',
        'userId',
        'credentialId',
        'publicKey',
        'counter',
        'transports',
        'deviceType',
        'backedUp',
        'name',
        'createdAt',
        'lastUsedAt',
      ].sort(),
    );
    const cose = isoCBOR.decodeFirst<Map<number, unknown>>(new Uint8Array(Buffer.from(row.publicKey, 'base64url')));
    const jwk = authenticator.keys[0]!.privateKey.export({ format: 'jwk' });
    expect([...cose.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 1, 3]);
    expect(Buffer.from(cose.get(-2) as Uint8Array).toString('base64url')).toBe(jwk.x);
    expect(Buffer.from(cose.get(-3) as Uint8Array).toString('base64url')).toBe(jwk.y);
    const everything = JSON.stringify(row);
    expect(everything).not.toContain(jwk.d);
    expect(row.transports).toBe('["internal","hybrid"]');
    // No column anywhere in the passkey tables could hold a biometric sample.
    for (const table of ['webauthn_credential', 'webauthn_challenge'] as const) {
      const columns = Object.keys((await app.db.selectFrom(table).selectAll().executeTakeFirst()) ?? {});
      for (const c of columns) expect(c).not.toMatch(/finger|biometric|template|image|face/i);
    }
  });
});

describe('SESS-09 ATK-MFA-6 managing your own passkeys', () => {
  test('GSP-04 a passkey confirmation signs once: without it (or after use) the signature is refused', async () => {
    const { app, clock } = await newApp();
    const { authenticator, cookie } = await adminWithPasskey(app);
    clock.advance(6 * 60_000);
    const sign = () => post(app, '/api/v1/training/undertaking/sign', { version: '2026-1' }, cookie);
    const unconfirmed = await sign();
    expect(unconfirmed.statusCode).toBe(401);
    expect(unconfirmed.json<{ code: string }>().code).toBe('step_up_required');
    const stepOptions = await authOptions(app, '/api/v1/auth/passkey/step-up/options', cookie);
    const stepped = await post(
      app,
      '/api/v1/auth/passkey/step-up',
      { response: authenticator.assert(stepOptions) },
      cookie,
    );
    expect(stepped.statusCode, stepped.body).toBe(200);
    const signed = await sign();
    expect(signed.statusCode, signed.body).toBe(201);
    const rows = await app.db.selectFrom('e_signature').select(['method', 'signerLogin']).execute();
    expect(rows).toEqual([{ method: 'passkey', signerLogin: 'qa.zhang' }]);
    // The confirmation is used up by that one signature.
    const session = await app.db
      .selectFrom('auth_session')
      .select('reauthMethod')
      .where('stage', '=', 'complete')
      .where('endedAt', 'is', null)
      .execute();
    expect(session.map((s) => s.reauthMethod)).not.toContain('passkey');
  });

  test('SESS-09 ATK-MFA-6 adding and removing a passkey need a recent authentication; the last strong factor stays', async () => {
    const { app, clock } = await newApp();
    const { authenticator, cookie } = await adminWithPasskey(app);
    clock.advance(6 * 60_000);
    const stale = await post(app, '/api/v1/auth/passkeys/options', undefined, cookie);
    expect(stale.statusCode).toBe(401);
    expect(stale.json<{ code: string }>().code).toBe('step_up_required');
    // Step-up with the passkey itself.
    const stepOptions = await authOptions(app, '/api/v1/auth/passkey/step-up/options', cookie);
    const stepped = await post(
      app,
      '/api/v1/auth/passkey/step-up',
      { response: authenticator.assert(stepOptions) },
      cookie,
    );
    expect(stepped.statusCode, stepped.body).toBe(200);
    const options = await registrationOptions(app, '/api/v1/auth/passkeys/options', cookie);
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([
      Buffer.from(authenticator.keys[0]!.credentialId).toString('base64url'),
    ]);
    const second = new SoftAuthenticator(ORIGIN);
    const added = await post(
      app,
      '/api/v1/auth/passkeys',
      { name: '手机', response: second.register(options) },
      cookie,
    );
    expect(added.statusCode, added.body).toBe(201);
    const list = (await get(app, '/api/v1/auth/passkeys', cookie)).json<{
      passkeys: { id: string; name: string; deviceType: string; backedUp: boolean }[];
      totpEnrolled: boolean;
    }>();
    expect(list.passkeys.map((p) => p.name)).toEqual(['办公室电脑', '手机']);
    expect(list.totpEnrolled).toBe(false);
    expect(list.passkeys[0]).toMatchObject({ deviceType: 'multiDevice', backedUp: true });
    expect(JSON.stringify(list)).not.toContain('publicKey');
    const first = list.passkeys[0]!;
    const phone = list.passkeys[1]!;

    const renamed = await post(app, `/api/v1/auth/passkeys/${phone.id}/rename`, { name: '我的手机' }, cookie);
    expect(renamed.statusCode).toBe(200);

    clock.advance(6 * 60_000);
    const removeStale = await post(app, `/api/v1/auth/passkeys/${phone.id}/remove`, undefined, cookie);
    expect(removeStale.json<{ code: string }>().code).toBe('step_up_required');
    const again = await authOptions(app, '/api/v1/auth/passkey/step-up/options', cookie);
    expect(
      (await post(app, '/api/v1/auth/passkey/step-up', { response: second.assert(again) }, cookie)).statusCode,
    ).toBe(200);
    expect((await post(app, `/api/v1/auth/passkeys/${phone.id}/remove`, undefined, cookie)).statusCode).toBe(200);
    const last = await post(app, `/api/v1/auth/passkeys/${first.id}/remove`, undefined, cookie);
    expect(last.statusCode).toBe(409);
    expect(last.json<{ message: string }>().message).toMatch(/only passkey/);
    expect((await get(app, '/api/v1/auth/passkeys', cookie)).json<{ passkeys: unknown[] }>().passkeys).toHaveLength(1);
    const actions = (await events(app)).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith('identity.passkey.'))).toEqual([
      'identity.passkey.enrolled',
      'identity.passkey.enrolled',
      'identity.passkey.renamed',
      'identity.passkey.removed',
    ]);
    expect(actions.filter((a) => a === 'identity.stepUp.succeeded')).toHaveLength(2);
  });

  test("AC-02 another user's passkey cannot be seen, renamed or removed; wrong step-up passkeys are counted", async () => {
    const { app } = await newApp();
    const admin = await adminWithPasskey(app);
    const clerk = await clerkWithPasskey(app);
    const theirs = await app.db
      .selectFrom('webauthn_credential')
      .select('id')
      .where('userId', '=', clerk.id)
      .executeTakeFirstOrThrow();
    expect(
      (await post(app, `/api/v1/auth/passkeys/${theirs.id}/rename`, { name: 'mine now' }, admin.cookie)).statusCode,
    ).toBe(404);
    expect((await post(app, `/api/v1/auth/passkeys/${theirs.id}/remove`, undefined, admin.cookie)).statusCode).toBe(
      404,
    );
    const list = (await get(app, '/api/v1/auth/passkeys', admin.cookie)).json<{ passkeys: { id: string }[] }>();
    expect(list.passkeys.map((p) => p.id)).not.toContain(theirs.id);
    // The clerk's passkey does not confirm the administrator's identity.
    const options = await authOptions(app, '/api/v1/auth/passkey/step-up/options', admin.cookie);
    const wrong = clerk.authenticator.assert(options, {}, clerk.authenticator.keys[0]);
    expect((await post(app, '/api/v1/auth/passkey/step-up', { response: wrong }, admin.cookie)).statusCode).toBe(401);
    const session = await app.db
      .selectFrom('auth_session')
      .select('mfaFailures')
      .where('userId', '!=', clerk.id)
      .where('stage', '=', 'complete')
      .where('endedAt', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(session.mfaFailures)).toBe(1);
  });

  test('AUTH-12 ATK-MFA-1 the passkey management routes need a complete session', async () => {
    const { app } = await newApp();
    const { enrolCookie } = await adminWithPasskey(app);
    const pending = cookieOf(await post(app, '/api/v1/auth/login', ADMIN_LOGIN));
    const someId = '01900000-0000-7000-8000-000000000000';
    for (const cookie of [undefined, pending, enrolCookie]) {
      expect((await get(app, '/api/v1/auth/passkeys', cookie)).statusCode).toBe(401);
      for (const url of [
        '/api/v1/auth/passkeys/options',
        '/api/v1/auth/passkey/step-up/options',
        `/api/v1/auth/passkeys/${someId}/remove`,
      ]) {
        expect((await post(app, url, undefined, cookie)).statusCode, url).toBe(401);
      }
      expect((await post(app, `/api/v1/auth/passkeys/${someId}/rename`, { name: 'x' }, cookie)).statusCode).toBe(401);
    }
    // Enrolment options belong to the enrolment stage only.
    expect((await post(app, '/api/v1/auth/passkey/enrol/options', undefined, pending)).statusCode).toBe(401);
  });

  test('AC-04 assertion bodies are validated strictly: unknown fields and non-base64url values are rejected', async () => {
    const { app } = await newApp();
    const { authenticator } = await adminWithPasskey(app);
    const options = await authOptions(app, '/api/v1/auth/passkey/login/options');
    const response: PasskeyAuthenticationResponse = authenticator.assert(options);
    for (const body of [
      { response, mfaVerified: true },
      { response: { ...response, extra: 1 } },
      { response: { ...response, response: { ...response.response, signature: 'not base64url!' } } },
      { response: { ...response, type: 'password' } },
    ]) {
      expect((await post(app, '/api/v1/auth/passkey/login', body)).statusCode).toBe(400);
    }
    // None of that used up the challenge.
    expect((await post(app, '/api/v1/auth/passkey/login', { response })).statusCode).toBe(200);
  });
});

describe('AUTH-08 throttling and the relying party', () => {
  test('AUTH-08 passkey sign-in options are throttled per client address', async () => {
    const { app } = await newApp();
    for (let i = 0; i < 20; i++) {
      expect((await post(app, '/api/v1/auth/passkey/login/options')).statusCode).toBe(200);
    }
    const limited = await post(app, '/api/v1/auth/passkey/login/options');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('AUTH-16 the RP ID is the public host name; an IP address cannot be one', () => {
    expect(relyingPartyOf('https://erp.example-hospital.cn')).toEqual({
      id: 'erp.example-hospital.cn',
      origin: 'https://erp.example-hospital.cn',
      name: 'MedLedger',
    });
    expect(relyingPartyOf('https://localhost:8443')).toMatchObject({ id: 'localhost', origin: ORIGIN });
    expect(relyingPartyOf('https://127.0.0.1:8443')).toBeNull();
    expect(relyingPartyOf('https://[::1]:8443')).toBeNull();
  });
});
