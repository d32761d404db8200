import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { ADMIN, createUserAndOnboard, firstAdmin, post, signInWithTotp } from '../../../test/identity-helpers.js';
import { passCourse } from '../../../test/training-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { sealOnce } from '../audit/index.js';

// Synthetic staff only.
const SECURITY = { login: 'sec.wang', name: '王安全', password: 'granite lighthouse 青松 orbit' };
const AUDITOR = { login: 'audit.zhao', name: '赵审计', password: 'meadow compass 白云 lantern' };
const SYSADMIN = { login: 'sys.qian', name: '钱系统', password: 'harbour violin 红叶 quarry' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (app: TestApp, url: string, cookie: string) => app.app.inject({ method: 'GET', url, headers: { cookie } });

type Assignment = { id: string; status: string; roleCode: string };

async function grant(app: TestApp, cookie: string, userId: string, roleCode: string, site: string | null = null) {
  return post(app, '/api/v1/access/assignments', { userId, roleCode, site, reason: '岗位任命' }, cookie);
}

/** First admin, plus a security administrator appointed directly (no second person exists yet). */
async function withSecurityAdmin(app: TestApp, clock: ReturnType<typeof manualClock>) {
  const admin = await firstAdmin(app);
  const sec = await createUserAndOnboard(app, admin.cookie, SECURITY);
  const granted = await grant(app, admin.cookie, sec.id, 'security-admin');
  expect(granted.statusCode, granted.body).toBe(201);
  expect(granted.json<{ assignment: Assignment }>().assignment.status).toBe('active');
  // The grant ended the security administrator's session: the new rights come with a new one.
  expect((await get(app, '/api/v1/session', sec.cookie)).statusCode).toBe(401);
  clock.advance(30_000);
  const again = await signInWithTotp(app, SECURITY.login, SECURITY.password, sec.secret);
  expect(again.next).toBe('done');
  // TRN-02: administrator permissions work only with current security training.
  await passCourse(app, again.cookie!, 'security-basics');
  return { admin, sec: { ...sec, cookie: again.cookie! } };
}

describe('AC-05 AC-06 roles, separation of duties and two-person approval', () => {
  test('AC-05 AC-06 the initial administrator appoints a security administrator directly; later high-risk grants wait in the second person’s inbox', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin, sec } = await withSecurityAdmin(t, clock);
    const me = (await get(t, '/api/v1/session', sec.cookie)).json<{ permissions: string[] }>();
    expect(me.permissions).toEqual(expect.arrayContaining(['access.role.assign', 'access.assignment.approve']));
    expect(me.permissions).not.toContain('audit.event.read');

    const auditor = await createUserAndOnboard(t, admin.cookie, AUDITOR);
    const pending = await grant(t, admin.cookie, auditor.id, 'audit-admin');
    expect(pending.statusCode, pending.body).toBe(201);
    const { assignment } = pending.json<{ assignment: Assignment }>();
    expect(assignment.status).toBe('pending');
    expect((await get(t, '/api/v1/session', auditor.cookie)).statusCode).toBe(200);
    // AC-05: the second person's approval inbox lists the pending grant, with who asked for it.
    const inbox = await get(t, '/api/v1/access/assignments?status=pending', sec.cookie);
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.json<{ assignments: unknown[] }>().assignments).toEqual([
      expect.objectContaining({
        id: assignment.id,
        userId: auditor.id,
        userLogin: AUDITOR.login,
        userName: AUDITOR.name,
        roleCode: 'audit-admin',
        site: null,
        status: 'pending',
        reason: '岗位任命',
        requestedByName: ADMIN.name,
        decidedBy: null,
        decidedAt: null,
      }),
    ]);
    const byUser = await get(t, `/api/v1/access/assignments?userId=${sec.id}`, sec.cookie);
    expect(byUser.statusCode, byUser.body).toBe(200);
    expect(byUser.json<{ assignments: Assignment[] }>().assignments).toEqual([
      expect.objectContaining({ userId: sec.id, roleCode: 'security-admin', status: 'active' }),
    ]);
    // The requester cannot approve their own request.
    const own = await post(t, `/api/v1/access/assignments/${assignment.id}/approve`, { reason: 'ok' }, admin.cookie);
    expect(own.statusCode).toBe(403);
    const approved = await post(
      t,
      `/api/v1/access/assignments/${assignment.id}/approve`,
      { reason: '审计岗位' },
      sec.cookie,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<{ assignment: Assignment }>().assignment.status).toBe('active');
    expect((await get(t, '/api/v1/session', auditor.cookie)).statusCode).toBe(401);
    clock.advance(30_000);
    const audit = await signInWithTotp(t, AUDITOR.login, AUDITOR.password, auditor.secret);
    await passCourse(t, audit.cookie!, 'security-basics');
    expect((await get(t, '/api/v1/audit/events', audit.cookie!)).statusCode).toBe(200);
    await sealOnce(t.runtime, { fullSweep: true });
    const actions = await t.db
      .selectFrom('audit_index')
      .select('action')
      .where('resourceId', '=', auditor.id)
      .where('action', 'like', 'access.%')
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['access.role.approved', 'access.role.assigned']);
  });

  test('AC-05 AC-06 acceptance: the audit-administrator role is refused to a system administrator, who gets 403 on the audit API; a queued grant is rejected by the second person', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin, sec } = await withSecurityAdmin(t, clock);
    const sys = await createUserAndOnboard(t, admin.cookie, SYSADMIN);
    const pending = (await grant(t, admin.cookie, sys.id, 'system-admin')).json<{ assignment: Assignment }>();
    await post(t, `/api/v1/access/assignments/${pending.assignment.id}/approve`, { reason: '系统运维' }, sec.cookie);
    clock.advance(30_000);
    const signedIn = await signInWithTotp(t, SYSADMIN.login, SYSADMIN.password, sys.secret);
    await passCourse(t, signedIn.cookie!, 'security-basics');
    expect((await get(t, '/api/v1/users', signedIn.cookie!)).statusCode).toBe(200);
    expect((await get(t, '/api/v1/audit/events', signedIn.cookie!)).statusCode).toBe(403);
    const sod = await grant(t, admin.cookie, sys.id, 'audit-admin');
    expect(sod.statusCode).toBe(409);
    expect(sod.json<{ message: string }>().message).toMatch(/Separation of duties/);
    // Pending grants count too: a second separated role cannot be queued behind the first.
    const other = await createUserAndOnboard(t, admin.cookie, { ...AUDITOR, login: 'other.sun', name: '孙某' });
    const queued = await grant(t, admin.cookie, other.id, 'audit-admin');
    expect(queued.statusCode).toBe(201);
    expect((await grant(t, admin.cookie, other.id, 'system-admin')).statusCode).toBe(409);
    // AC-05: the second person rejects the queued grant; it never takes effect and no longer blocks.
    const queuedId = queued.json<{ assignment: Assignment }>().assignment.id;
    const rejected = await post(t, `/api/v1/access/assignments/${queuedId}/reject`, { reason: '岗位未定' }, sec.cookie);
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(
      rejected.json<{ assignment: Assignment & { decidedBy: string; decidedAt: string } }>().assignment,
    ).toMatchObject({
      id: queuedId,
      userId: other.id,
      roleCode: 'audit-admin',
      status: 'rejected',
      decidedBy: sec.id,
      decidedAt: expect.any(String) as string,
    });
    expect(
      (await post(t, `/api/v1/access/assignments/${queuedId}/approve`, { reason: '再议' }, sec.cookie)).statusCode,
      'a decided grant stays decided',
    ).toBe(409);
    expect(
      (await get(t, `/api/v1/access/users/${other.id}/effective`, admin.cookie)).json<{ roles: unknown[] }>().roles,
    ).toEqual([]);
    await sealOnce(t.runtime, { fullSweep: true });
    const rejection = await t.db
      .selectFrom('audit_index')
      .select(['action', 'outcome', 'actorId'])
      .where('resourceId', '=', other.id)
      .where('action', '=', 'access.role.rejected')
      .execute();
    expect(rejection).toEqual([{ action: 'access.role.rejected', outcome: 'success', actorId: sec.id }]);
    // And the initial administrator holds all three for now, so never also one of them.
    const adminRow = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('loginKey', '=', ADMIN.login)
      .executeTakeFirstOrThrow();
    expect((await grant(t, sec.cookie, adminRow.id, 'audit-admin')).statusCode).toBe(403);
  });

  test('AC-06 the initial administrator gives up the all-permission role only once three other people hold the administrator roles in force', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin, sec } = await withSecurityAdmin(t, clock);
    const retire = (cookie: string, reason = '三权分立已就位') =>
      post(t!, '/api/v1/access/bootstrap/retirement', { reason }, cookie);
    const status = async (cookie: string) =>
      (await get(t!, '/api/v1/access/bootstrap', cookie)).json<{
        holder: { login: string } | null;
        administrators: { roleCode: string; holders: { login: string }[] }[];
        ready: boolean;
      }>();
    expect(await status(admin.cookie)).toMatchObject({
      holder: { login: ADMIN.login },
      ready: false,
      administrators: [
        { roleCode: 'system-admin', holders: [] },
        { roleCode: 'security-admin', holders: [{ login: SECURITY.login }] },
        { roleCode: 'audit-admin', holders: [] },
      ],
    });
    // Too early: the refusal names the roles still to appoint.
    const early = await retire(admin.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toMatch(/System administrator, Audit administrator first/);
    // Nobody else can retire it for them.
    expect((await retire(sec.cookie)).statusCode).toBe(403);

    // The audit and system administrators, approved by the security administrator.
    const appoint = async (person: typeof AUDITOR, roleCode: string, train: boolean) => {
      const user = await createUserAndOnboard(t!, admin.cookie, person);
      const { assignment } = (await grant(t!, admin.cookie, user.id, roleCode)).json<{ assignment: Assignment }>();
      const ok = await post(
        t!,
        `/api/v1/access/assignments/${assignment.id}/approve`,
        { reason: '岗位任命' },
        sec.cookie,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      clock.advance(30_000);
      const signedIn = await signInWithTotp(t!, person.login, person.password, user.secret);
      if (train) await passCourse(t!, signedIn.cookie!, 'security-basics');
      return { ...user, cookie: signedIn.cookie! };
    };
    await appoint(AUDITOR, 'audit-admin', true);
    const sys = await appoint(SYSADMIN, 'system-admin', false);
    // TRN-02: a system administrator whose training is not current does not count yet.
    const untrained = await retire(admin.cookie);
    expect(untrained.statusCode).toBe(409);
    expect(untrained.json<{ message: string }>().message).toMatch(/Appoint the System administrator first/);
    await passCourse(t, sys.cookie, 'security-basics');
    expect((await status(admin.cookie)).ready).toBe(true);

    // SESS-09: an old sign-in must be confirmed again first.
    const stale = await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret);
    clock.advance(4 * 60_000);
    expect((await get(t, '/api/v1/session', stale.cookie!)).statusCode).toBe(200);
    clock.advance(4 * 60_000);
    expect((await retire(stale.cookie!)).json<{ code: string }>().code).toBe('step_up_required');
    clock.advance(30_000);
    const fresh = await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret);
    expect((await retire(fresh.cookie!, 'x')).statusCode).toBe(400);
    const done = await retire(fresh.cookie!);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<{ holder: unknown }>().holder).toBeNull();

    // Its sessions ended; signed in again, the account has no permission left (no roles granted).
    expect((await get(t, '/api/v1/session', fresh.cookie!)).statusCode).toBe(401);
    clock.advance(30_000);
    const after = await signInWithTotp(t, ADMIN.login, ADMIN.password, admin.secret);
    const me = (await get(t, '/api/v1/session', after.cookie!)).json<{ permissions: string[] }>();
    expect(me.permissions).toEqual([]);
    expect((await get(t, '/api/v1/audit/events', after.cookie!)).statusCode).toBe(403);
    expect((await get(t, '/api/v1/users', after.cookie!)).statusCode).toBe(403);
    expect((await retire(after.cookie!)).statusCode).toBe(403);
    expect((await status(sec.cookie)).holder).toBeNull();

    await sealOnce(t.runtime, { fullSweep: true });
    const events = await t.db
      .selectFrom('audit_index')
      .select(['action', 'outcome'])
      .where('action', '=', 'access.bootstrap.retired')
      .execute();
    expect(events).toEqual([{ action: 'access.bootstrap.retired', outcome: 'success' }]);
  });

  test('AC-05 no escalation: nobody grants a permission they lack (patient data included), nor to themselves; the role catalogue names each role’s permissions', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin, sec } = await withSecurityAdmin(t, clock);
    const auditor = await createUserAndOnboard(t, admin.cookie, AUDITOR);
    // The security administrator holds access.role.assign but not audit.event.read.
    const escalate = await grant(t, sec.cookie, auditor.id, 'audit-admin');
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json<{ message: string }>().message).toContain('audit.event.read');
    const head = await grant(t, sec.cookie, auditor.id, 'enterprise-head');
    expect(head.json<{ message: string }>().message).toContain('system.info.read');
    const secRow = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('loginKey', '=', SECURITY.login)
      .executeTakeFirstOrThrow();
    const self = await grant(t, sec.cookie, secRow.id, 'purchasing');
    expect(self.statusCode).toBe(403);
    expect(self.json<{ message: string }>().message).toMatch(/yourself/);
    // A business role is granted at once, in a site scope: the security administrator delegates
    // business permissions without holding them, but never the never-delegated ones (above).
    const buyer = await grant(t, sec.cookie, auditor.id, 'purchasing', 'WH-SH-01');
    expect(buyer.statusCode, buyer.body).toBe(201);
    expect(buyer.json<{ assignment: Assignment & { site: string } }>().assignment).toMatchObject({
      status: 'active',
      roleCode: 'purchasing',
      site: 'WH-SH-01',
    });
    const qa = await grant(t, sec.cookie, auditor.id, 'qa-manager');
    expect(qa.statusCode, qa.body).toBe(201);
    const mine = await get(t, '/api/v1/master-data/parties', sec.cookie);
    expect(mine.statusCode, 'delegating is not holding').toBe(403);
    // Acceptance 3: assigning roles does not reach patient data. The security administrator lacks
    // the clinical patient permissions, so the role that carries them is refused and nothing is granted.
    const clinical = await grant(t, sec.cookie, auditor.id, 'clinical-use', 'H1.CARD');
    expect(clinical.statusCode).toBe(403);
    expect(clinical.json<{ message: string }>().message).toContain('clinical.patient.read');
    expect(clinical.json<{ message: string }>().message).toContain('clinical.patient.reveal');
    const rows = await t.db
      .selectFrom('access_assignment')
      .select('id')
      .where('userId', '=', auditor.id)
      .where('roleCode', '=', 'clinical-use')
      .execute();
    expect(rows).toEqual([]);
    // AC-05: the role catalogue the grantor chooses from names each role's permissions and risk.
    const roles = await get(t, '/api/v1/access/roles', sec.cookie);
    expect(roles.statusCode, roles.body).toBe(200);
    const catalogue = roles.json<{
      roles: { code: string; adminClass: string | null; highRisk: boolean; permissions: string[]; zh: string }[];
    }>().roles;
    expect(catalogue.find((r) => r.code === 'audit-admin')).toMatchObject({
      adminClass: 'audit',
      highRisk: true,
      permissions: expect.arrayContaining(['audit.event.read']) as string[],
    });
    expect(catalogue.find((r) => r.code === 'security-admin')).toMatchObject({
      adminClass: 'security',
      permissions: expect.arrayContaining(['access.role.assign', 'access.assignment.approve']) as string[],
    });
    expect(catalogue.find((r) => r.code === 'purchasing')).toMatchObject({ adminClass: null });
    expect(catalogue.every((r) => r.zh.length > 0)).toBe(true);
  });

  test('SESS-06 revoking a role ends the user’s sessions and the permission stops at once', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin } = await withSecurityAdmin(t, clock);
    const head = await createUserAndOnboard(t, admin.cookie, AUDITOR);
    const granted = (await grant(t, admin.cookie, head.id, 'enterprise-head')).json<{ assignment: Assignment }>();
    expect(granted.assignment.status).toBe('active');
    clock.advance(30_000);
    const signedIn = await signInWithTotp(t, AUDITOR.login, AUDITOR.password, head.secret);
    expect((await get(t, '/api/v1/system/info', signedIn.cookie!)).statusCode).toBe(200);
    const revoked = await post(
      t,
      `/api/v1/access/assignments/${granted.assignment.id}/revoke`,
      { reason: '岗位调整' },
      admin.cookie,
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await get(t, '/api/v1/system/info', signedIn.cookie!)).statusCode).toBe(401);
    clock.advance(30_000);
    const back = await signInWithTotp(t, AUDITOR.login, AUDITOR.password, head.secret);
    expect((await get(t, '/api/v1/system/info', back.cookie!)).statusCode).toBe(403);
  });

  test('AC-04 grant input never takes the grantor, status or approver from the client', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin } = await withSecurityAdmin(t, clock);
    const user = await createUserAndOnboard(t, admin.cookie, AUDITOR);
    for (const extra of [{ status: 'active' }, { requestedBy: 'x' }, { decidedBy: 'x' }, { approvedBy: 'x' }]) {
      const res = await post(
        t,
        '/api/v1/access/assignments',
        { userId: user.id, roleCode: 'audit-admin', site: null, reason: '岗位任命', ...extra },
        admin.cookie,
      );
      expect(res.statusCode).toBe(400);
    }
    expect(await t.db.selectFrom('access_assignment').select('id').where('userId', '=', user.id).execute()).toEqual([]);
  });

  test('TRN-02 acceptance: administrator permissions stop when the training lapses; the denial names the course and is audited', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const { admin, sec } = await withSecurityAdmin(t, clock);
    const auditor = await createUserAndOnboard(t, admin.cookie, AUDITOR);
    const pending = (await grant(t, admin.cookie, auditor.id, 'audit-admin')).json<{ assignment: Assignment }>();
    await post(t, `/api/v1/access/assignments/${pending.assignment.id}/approve`, { reason: '审计岗位' }, sec.cookie);
    clock.advance(30_000);
    let session = await signInWithTotp(t, AUDITOR.login, AUDITOR.password, auditor.secret);
    const untrained = await get(t, '/api/v1/audit/events', session.cookie!);
    expect(untrained.statusCode).toBe(403);
    expect(untrained.json<{ code: string; message: string }>()).toMatchObject({
      code: 'training_required',
      message: expect.stringContaining('信息安全') as string,
    });
    const effective = await get(t, `/api/v1/access/users/${auditor.id}/effective`, admin.cookie);
    expect(effective.json<{ permissions: string[]; suspended: { permission: string; reason: string }[] }>()).toEqual({
      roles: [{ code: 'audit-admin', site: null }],
      permissions: [],
      suspended: [{ permission: 'audit.event.read', reason: expect.stringContaining('security') as string }],
      bootstrap: false,
    });
    await passCourse(t, session.cookie!, 'security-basics');
    expect((await get(t, '/api/v1/audit/events', session.cookie!)).statusCode).toBe(200);
    expect(
      (await get(t, `/api/v1/access/users/${auditor.id}/effective`, admin.cookie)).json<{ permissions: string[] }>()
        .permissions,
    ).toEqual(['audit.event.read']);
    // A year and a day later the completion has expired: the next request is refused again.
    clock.advance(366 * 86_400_000);
    await t.db.updateTable('user_account').set({ activeSince: clock.now().toISOString() }).execute();
    session = await signInWithTotp(t, AUDITOR.login, AUDITOR.password, auditor.secret);
    const lapsed = await get(t, '/api/v1/audit/events', session.cookie!);
    expect(lapsed.statusCode).toBe(403);
    expect(lapsed.json<{ code: string; message: string }>().message).toMatch(/expired on/);
    await sealOnce(t.runtime, { fullSweep: true });
    const denials = await t.db
      .selectFrom('audit_index')
      .select('seq')
      .where('action', '=', 'http.request.denied')
      .where('actorId', '=', auditor.id)
      .execute();
    expect(denials.length).toBeGreaterThanOrEqual(2);
  });
});
