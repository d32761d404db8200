import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { ADMIN, cookieOf, firstAdmin, onboard, post, signInWithTotp } from '../../../test/identity-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { retireKey, rewrap, rotateKey } from '../keys/index.js';
import { sealOnce } from '../audit/index.js';
import { disableInactiveAccounts } from './identity.lifecycle.js';
import { enableByLogin } from './identity.users.js';
import { totpCodeAt } from './identity.totp.js';

// Synthetic staff only: generated names, phone numbers in the reserved test range 1340000xxxx.
const NURSE = {
  login: 'ward.li',
  name: '李晓梅',
  phone: '13400000017',
  email: 'ward.li@example.test',
  organisation: '器械科',
  employmentEndsOn: null,
};
const NURSE_PASSWORD = 'lantern orchard 七彩 river';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (app: TestApp, url: string, cookie?: string) =>
  app.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });

const json = <T>(res: LightMyRequestResponse) => res.json<T>();

type Created = { user: { id: string; phoneMasked: string | null }; link: { token: string; expiresAt: string } };

/** The administrator creates the nurse's account; returns the invitation token. */
async function createNurse(app: TestApp, adminCookie: string, overrides: Record<string, unknown> = {}) {
  const res = await post(app, '/api/v1/users', { ...NURSE, ...overrides }, adminCookie);
  expect(res.statusCode, res.body).toBe(201);
  return json<Created>(res);
}

/** Invitation → password → sign-in → authenticator enrolment. Returns the nurse's complete session. */
async function onboardNurse(app: TestApp, adminCookie: string) {
  const { user, link } = await createNurse(app, adminCookie);
  return { id: user.id, ...(await onboard(app, link.token, NURSE.login, NURSE_PASSWORD)) };
}

describe('AUTH-01 AUTH-18 accounts created by administrators', () => {
  test('AUTH-18 the invitation link sets the password once; weak passwords are refused with codes and leave it usable', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const { user, link } = await createNurse(t, admin.cookie);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.phoneMasked).toBe('134****0017');
    const stored = await t.db
      .selectFrom('user_account')
      .select(['phoneSealed', 'passwordHash'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.phoneSealed).toMatch(/^mlk1\./);
    expect(stored.passwordHash).toBeNull();
    // Only the digest of the token is stored.
    const links = await t.db.selectFrom('password_link').select('tokenHash').execute();
    expect(links.map((l) => l.tokenHash)).not.toContain(link.token);

    const check = await post(t, '/api/v1/password-link/check', { token: link.token });
    expect(check.json()).toMatchObject({ purpose: 'invite', login: NURSE.login, privileged: false });
    const weak = await post(t, '/api/v1/password-link/use', { token: link.token, password: 'woaini1314woaini1314' });
    expect(weak.statusCode).toBe(400);
    expect(json<{ issues: { code?: string }[] }>(weak).issues.map((i) => i.code)).toContain('password.common');
    const context = await post(t, '/api/v1/password-link/use', { token: link.token, password: 'ward.li 13400000017' });
    expect(json<{ issues: { code?: string }[] }>(context).issues.map((i) => i.code)).toContain('password.context');
    const ok = await post(t, '/api/v1/password-link/use', { token: link.token, password: NURSE_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await post(t, '/api/v1/password-link/use', { token: link.token, password: `${NURSE_PASSWORD}!` });
    expect(again.statusCode).toBe(410);
    expect(json<{ code: string }>(again).code).toBe('link_invalid');
    // The password alone never completes a sign-in: the new account must enrol a second factor.
    const pw = await post(t, '/api/v1/auth/login', { login: NURSE.login, password: NURSE_PASSWORD });
    expect(pw.json()).toEqual({ next: 'enrol_totp', methods: [] });
  });

  test('AUTH-18 a reset link lives 10 minutes, does not skip the second factor, and ends every session', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(200);

    const expired = json<{ token: string; purpose: string }>(
      await post(t, `/api/v1/users/${nurse.id}/password-link`, undefined, admin.cookie),
    );
    expect(expired.purpose).toBe('reset');
    clock.advance(10 * 60_000 + 1);
    expect((await post(t, '/api/v1/password-link/check', { token: expired.token })).statusCode).toBe(410);

    // The administrator's sign-in is now older than five minutes: issuing another link needs a step-up.
    const stale = await post(t, `/api/v1/users/${nurse.id}/password-link`, undefined, admin.cookie);
    expect(stale.statusCode).toBe(401);
    expect(json<{ code: string }>(stale).code).toBe('step_up_required');
    const stepUp = await post(t, '/api/v1/auth/step-up', { code: totpCodeAt(admin.secret, clock.now()) }, admin.cookie);
    expect(stepUp.statusCode, stepUp.body).toBe(200);
    const reset = json<{ token: string }>(
      await post(t, `/api/v1/users/${nurse.id}/password-link`, undefined, admin.cookie),
    );
    const newPassword = 'quiet meadow 蓝色 harbour';
    expect((await post(t, '/api/v1/password-link/use', { token: reset.token, password: newPassword })).statusCode).toBe(
      200,
    );
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(401);
    const pw = await post(t, '/api/v1/auth/login', { login: NURSE.login, password: newPassword });
    expect(pw.json()).toEqual({ next: 'mfa', methods: ['totp', 'recovery'] });
    clock.advance(30_000);
    const back = await signInWithTotp(t, NURSE.login, newPassword, nurse.secret);
    expect(back.next).toBe('done');
    const notes = json<{ notifications: { kind: string }[] }>(await get(t, '/api/v1/auth/notifications', back.cookie!));
    expect(notes.notifications.map((n) => n.kind)).toContain('password_reset');
  });

  test('AC-02 users without the permission cannot list or create accounts; duplicate logins are refused', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    expect((await get(t, '/api/v1/users', nurse.cookie)).statusCode).toBe(403);
    expect((await post(t, '/api/v1/users', { ...NURSE, login: 'x.y.z' }, nurse.cookie)).statusCode).toBe(403);
    const dup = await post(t, '/api/v1/users', { ...NURSE, login: 'WARD.LI' }, admin.cookie);
    expect(dup.statusCode).toBe(409);
    const list = json<{ users: { login: string; phoneMasked: string | null; factors: string[] }[]; total: number }>(
      await get(t, '/api/v1/users?q=ward', admin.cookie),
    );
    expect(list.total).toBe(1);
    expect(list.users[0]).toMatchObject({ login: NURSE.login, phoneMasked: '134****0017', factors: ['totp'] });
    expect(JSON.stringify(list)).not.toContain(NURSE.phone);
  });
});

describe('AC-03 masked by default, revealed on purpose', () => {
  test('AC-03 LOG-01 the full phone and e-mail come only from the reveal route, which is audited without the values', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const { user } = await createNurse(t, admin.cookie);
    const listed = await get(t, `/api/v1/users/${user.id}`, admin.cookie);
    expect(listed.body).not.toContain(NURSE.phone);
    expect(listed.body).not.toContain(NURSE.email);
    const revealed = await post(t, `/api/v1/users/${user.id}/reveal`, undefined, admin.cookie);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ phone: NURSE.phone, email: NURSE.email });
    await sealOnce(t.runtime, { fullSweep: true });
    const events = await t.db
      .selectFrom('audit_event as e')
      .innerJoin('audit_index as i', 'i.seq', 'e.seq')
      .select('e.canonical')
      .where('i.action', '=', 'identity.user.revealed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.canonical).toContain('"fields":["phone","email"]');
    expect(events[0]!.canonical).not.toContain(NURSE.phone);
    expect(events[0]!.canonical).not.toContain(NURSE.email);
  });
});

describe('SESS-06 AUTH-09 administrators disable, enable and unlock accounts', () => {
  test('SESS-06 disabling a user ends their open session at once; enabling needs a step-up and is audited', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(200);
    const adminRow = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('loginKey', '=', ADMIN.login)
      .executeTakeFirstOrThrow();
    const self = await post(t, `/api/v1/users/${adminRow.id}/disable`, { reason: 'test' }, admin.cookie);
    expect(self.statusCode).toBe(409);
    const disabled = await post(t, `/api/v1/users/${nurse.id}/disable`, { reason: '离职交接' }, admin.cookie);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(json<{ user: { status: string } }>(disabled).user.status).toBe('disabled');
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(401);
    clock.advance(30_000);
    expect((await signInWithTotp(t, NURSE.login, NURSE_PASSWORD, nurse.secret)).status).toBe(401);

    clock.advance(6 * 60_000);
    const stale = await post(t, `/api/v1/users/${nurse.id}/enable`, undefined, admin.cookie);
    expect(json<{ code: string }>(stale).code).toBe('step_up_required');
    await post(t, '/api/v1/auth/step-up', { code: totpCodeAt(admin.secret, clock.now()) }, admin.cookie);
    expect((await post(t, `/api/v1/users/${nurse.id}/enable`, undefined, admin.cookie)).statusCode).toBe(200);
    clock.advance(30_000);
    expect((await signInWithTotp(t, NURSE.login, NURSE_PASSWORD, nurse.secret)).next).toBe('done');
    await sealOnce(t.runtime, { fullSweep: true });
    const actions = await t.db.selectFrom('audit_index').select('action').where('resourceId', '=', nurse.id).execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['identity.user.created', 'identity.user.disabled', 'identity.user.enabled']),
    );
  });

  test('SESS-06 an administrator ends all of a user’s sessions', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    const ended = await post(t, `/api/v1/users/${nurse.id}/sessions/end`, undefined, admin.cookie);
    expect(ended.json()).toEqual({ ended: 1 });
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(401);
  });

  test('AUTH-09 ATK-AUTHN-4 a locked password path is lifted by an administrator, and the user is told', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    for (let i = 0; i < 5; i++) {
      expect(
        (await post(t, '/api/v1/auth/login', { login: NURSE.login, password: `wrong guess ${i}` })).statusCode,
      ).toBe(401);
    }
    const listed = json<{ user: { locked: boolean } }>(await get(t, `/api/v1/users/${nurse.id}`, admin.cookie));
    expect(listed.user.locked).toBe(true);
    expect((await post(t, '/api/v1/auth/login', { login: NURSE.login, password: NURSE_PASSWORD })).statusCode).toBe(
      401,
    );
    const unlocked = await post(t, `/api/v1/users/${nurse.id}/unlock`, undefined, admin.cookie);
    expect(json<{ user: { locked: boolean } }>(unlocked).user.locked).toBe(false);
    const pw = await post(t, '/api/v1/auth/login', { login: NURSE.login, password: NURSE_PASSWORD });
    expect(pw.statusCode).toBe(200);
  });
});

describe('AUTH-23 dormant and expired accounts', () => {
  test('AUTH-23 day 91 without a sign-in: login refused, the job disables the account and ends its sessions', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    clock.advance(89 * 86_400_000);
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(0);
    clock.advance(2 * 86_400_000);
    expect((await signInWithTotp(t, NURSE.login, NURSE_PASSWORD, nurse.secret)).status).toBe(401);
    // Both accounts are dormant by now; the job disables them and says why.
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(2);
    const row = await t.db
      .selectFrom('user_account')
      .select(['status', 'disabledReason'])
      .where('id', '=', nurse.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'disabled', disabledReason: 'dormant' });
    const live = await t.db
      .selectFrom('auth_session')
      .select('id')
      .where('userId', '=', nurse.id)
      .where('endedAt', 'is', null)
      .execute();
    expect(live).toEqual([]);
    await sealOnce(t.runtime, { fullSweep: true });
    const events = await t.db
      .selectFrom('audit_index')
      .select('resourceId')
      .where('action', '=', 'identity.account.dormant')
      .execute();
    expect(events.map((e) => e.resourceId)).toContain(nurse.id);
    // Running again changes nothing.
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(0);
  });

  test('AUTH-23 an employment end date that has passed disables the account; enabling needs a new date', async () => {
    const clock = manualClock('2026-11-29T02:00:00Z');
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const { user } = await createNurse(t, admin.cookie, { employmentEndsOn: '2026-11-30' });
    clock.set('2026-11-30T15:59:00Z');
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(0);
    clock.set('2026-11-30T16:00:00Z'); // midnight in China
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(1);
    const row = await t.db
      .selectFrom('user_account')
      .select(['status', 'disabledReason', 'employmentEndsAt'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'disabled',
      disabledReason: 'employment_ended',
      employmentEndsAt: '2026-11-30T15:59:59.999Z',
    });
    const fresh = await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret);
    const refused = await post(t, `/api/v1/users/${user.id}/enable`, undefined, fresh.cookie!);
    expect(refused.statusCode).toBe(409);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { employmentEndsOn: '2027-12-31' },
      headers: { cookie: fresh.cookie! },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const enabled = await post(t, `/api/v1/users/${user.id}/enable`, undefined, fresh.cookie!);
    expect(json<{ user: { status: string; employmentEndsOn: string } }>(enabled).user).toMatchObject({
      status: 'active',
      employmentEndsOn: '2027-12-31',
    });
  });
});

describe('AUTH-21 host-side recovery', () => {
  test('AUTH-21 medledger admin enable re-enables and unlocks a dormant administrator, audited as the CLI', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    clock.advance(91 * 86_400_000);
    expect(await disableInactiveAccounts(systemCtx(t.runtime, 'test'), 90)).toBe(1);
    expect((await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret)).status).toBe(401);
    const app = t;
    const user = await app.db
      .transaction()
      .execute((tx) => enableByLogin(systemCtx(app.runtime, 'cli:admin enable', tx), 'QA.Zhang'));
    expect(user).toMatchObject({ status: 'active', locked: false });
    expect((await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret)).next).toBe('done');
    await sealOnce(t.runtime, { fullSweep: true });
    const enabled = await t.db
      .selectFrom('audit_index')
      .select(['actorName'])
      .where('action', '=', 'identity.user.enabled')
      .execute();
    expect(enabled).toEqual([{ actorName: 'cli:admin enable' }]);
  });
});

describe('AUTH-05 AUTH-03 password change and expiry', () => {
  test('AUTH-05 changing the password needs the current one; other sessions end, this one stays', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    clock.advance(30_000);
    const second = await signInWithTotp(t, NURSE.login, NURSE_PASSWORD, nurse.secret);
    const newPassword = 'silver kettle 晚霞 tundra';
    const missing = await post(t, '/api/v1/auth/password', { newPassword }, nurse.cookie);
    expect(missing.statusCode).toBe(400);
    const wrong = await post(
      t,
      '/api/v1/auth/password',
      { currentPassword: 'not my password', newPassword },
      nurse.cookie,
    );
    expect(wrong.statusCode).toBe(400);
    expect(json<{ issues: { path: string }[] }>(wrong).issues[0]?.path).toBe('body.currentPassword');
    const failures = await t.db
      .selectFrom('user_account')
      .select('failedLogins')
      .where('id', '=', nurse.id)
      .executeTakeFirstOrThrow();
    expect(Number(failures.failedLogins)).toBe(1);
    const done = await post(t, '/api/v1/auth/password', { currentPassword: NURSE_PASSWORD, newPassword }, nurse.cookie);
    expect(done.statusCode, done.body).toBe(200);
    expect((await get(t, '/api/v1/session', nurse.cookie)).statusCode).toBe(200);
    expect((await get(t, '/api/v1/session', second.cookie!)).statusCode).toBe(401);
    expect((await post(t, '/api/v1/auth/login', { login: NURSE.login, password: newPassword })).statusCode).toBe(200);
  });

  test('AUTH-03 dengbao: at day 91 the sign-in must change the password first; the last five are refused', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    t.runtime.identity.passwordProfile = 'dengbao';
    t.runtime.identity.dormantDays = 365;
    // dengbao needs 3 of 4 classes; the onboarding password has lower case and other only: change it.
    const first = 'Lantern-Orchard-7彩-River';
    const changed = await post(
      t,
      '/api/v1/auth/password',
      { currentPassword: NURSE_PASSWORD, newPassword: first },
      nurse.cookie,
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(
      json<{ passwordExpiresSoon: string | null }>(await get(t, '/api/v1/session', nurse.cookie)).passwordExpiresSoon,
    ).toBeNull();
    clock.advance(91 * 86_400_000);
    const signIn = await signInWithTotp(t, NURSE.login, first, nurse.secret);
    expect(signIn.next).toBe('change_password');
    // AUTH-12: that session reaches nothing but the password change.
    expect((await get(t, '/api/v1/session', signIn.cookie!)).statusCode).toBe(401);
    expect((await get(t, '/api/v1/users', signIn.cookie!)).statusCode).toBe(401);
    const same = await post(t, '/api/v1/auth/password', { currentPassword: first, newPassword: first }, signIn.cookie!);
    expect(json<{ issues: { code?: string }[] }>(same).issues.map((i) => i.code)).toContain('password.reused');
    const next = 'Harbour-Quiet-9蓝-Meadow';
    const done = await post(t, '/api/v1/auth/password', { currentPassword: first, newPassword: next }, signIn.cookie!);
    expect(done.statusCode, done.body).toBe(200);
    const complete = cookieOf(done);
    expect(complete).not.toBe(signIn.cookie);
    expect((await get(t, '/api/v1/session', complete)).statusCode).toBe(200);
    expect((await get(t, '/api/v1/session', signIn.cookie!)).statusCode).toBe(401);
    // The history: going back to the first password is refused.
    const back = await post(t, '/api/v1/auth/password', { currentPassword: next, newPassword: first }, complete);
    expect(json<{ issues: { code?: string }[] }>(back).issues.map((i) => i.code)).toContain('password.reused');
    // Reminder: from 14 days before the 90-day limit the session says when the password expires.
    clock.advance(77 * 86_400_000);
    clock.advance(30_000);
    const later = await signInWithTotp(t, NURSE.login, next, nurse.secret);
    expect(later.next).toBe('done');
    const session = json<{ passwordExpiresSoon: string | null }>(await get(t, '/api/v1/session', later.cookie!));
    expect(session.passwordExpiresSoon).not.toBeNull();
  }, 60_000);
});

describe('AUTH-20 notifications', () => {
  test('AUTH-20 a sign-in from a new device after failed attempts is reported to the user', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    for (let i = 0; i < 3; i++) await post(t, '/api/v1/auth/login', { login: NURSE.login, password: `guess ${i}` });
    clock.advance(30_000);
    const fresh = await signInWithTotp(t, NURSE.login, NURSE_PASSWORD, nurse.secret, '198.51.100.77');
    expect(fresh.next).toBe('done');
    const notes = json<{ notifications: { kind: string; data: Record<string, unknown> }[] }>(
      await get(t, '/api/v1/auth/notifications', fresh.cookie!),
    );
    const kinds = notes.notifications.map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['new_device', 'login_after_failures']));
    expect(notes.notifications.find((n) => n.kind === 'login_after_failures')?.data.failures).toBe(3);
    const me = json<{ unreadNotifications: number }>(await get(t, '/api/v1/session', fresh.cookie!));
    expect(me.unreadNotifications).toBeGreaterThanOrEqual(2);
    await post(t, '/api/v1/auth/notifications/read', undefined, fresh.cookie!);
    expect(
      json<{ unreadNotifications: number }>(await get(t, '/api/v1/session', fresh.cookie!)).unreadNotifications,
    ).toBe(0);
    const security = json<{ recentLogins: { ip: string }[]; factors: string[]; recoveryCodesLeft: number }>(
      await get(t, '/api/v1/auth/security', fresh.cookie!),
    );
    expect(security.factors).toEqual(['totp']);
    expect(security.recoveryCodesLeft).toBe(10);
    expect(security.recentLogins[0]?.ip).toBe('198.51.100.77');
  });
});

describe('CRY-03 key rotation covers the identity module', () => {
  test('CRY-03 after rotate, rewrap and retire, phone numbers and authenticator secrets still open', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await onboardNurse(t, admin.cookie);
    const app = t;
    await app.db.transaction().execute((tx) => rotateKey(systemCtx(app.runtime, 'test', tx), 'field'));
    await rewrap(app.runtime);
    await app.db.transaction().execute((tx) => retireKey(systemCtx(app.runtime, 'test', tx), 'field', 1));
    clock.advance(30_000);
    const again = await signInWithTotp(app, NURSE.login, NURSE_PASSWORD, nurse.secret);
    expect(again.next).toBe('done');
    const asAdmin = await signInWithTotp(app, ADMIN.login, ADMIN.password, admin.secret, '198.51.100.5');
    clock.advance(30_000);
    const list = json<{ users: { login: string; phoneMasked: string | null }[] }>(
      await get(app, '/api/v1/users', asAdmin.cookie!),
    );
    expect(list.users.find((u) => u.login === NURSE.login)?.phoneMasked).toBe('134****0017');
  });
});
