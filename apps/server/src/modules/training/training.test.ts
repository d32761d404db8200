import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import {
  PRIVACY_PIPL,
  SECURITY_BASICS,
  UNDERTAKING_V1,
  type SeedCourse,
} from '../../../migrations/training-seed-data.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { ADMIN, cookieOf, firstAdmin, post } from '../../../test/identity-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { verifySignature } from '../identity/index.js';
import { totpCodeAt } from '../identity/identity.totp.js';
import { isTrainingCurrent, sendTrainingReminders, trainingStatus } from './index.js';

// Synthetic staff only.
const NURSE = {
  login: 'ward.chen',
  name: '陈小雨',
  phone: null,
  email: null,
  organisation: '手术室',
  employmentEndsOn: null,
};
const NURSE_PASSWORD = 'meadow copper 七星 lantern';
const DAY = 86_400_000;
const START = '2026-12-01T02:00:00.000Z';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (app: TestApp, url: string, cookie?: string) =>
  app.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });
const json = <T>(res: LightMyRequestResponse) => res.json<T>();

/** Answers to every question of a seed course: right for the first `right` questions, wrong after. */
function answers(course: SeedCourse, right = course.questions.length) {
  return course.questions.map((q, i) => {
    if (i < right) return { questionId: q.id, optionIds: q.correct };
    const wrong = q.options.find((o) => !q.correct.includes(o.id))!;
    return { questionId: q.id, optionIds: [wrong.id] };
  });
}

async function setup() {
  const clock = manualClock(START);
  t = await buildTestApp({ clock });
  const admin = await firstAdmin(t);
  return { app: t, clock, admin };
}

async function onboardNurse(app: TestApp, adminCookie: string) {
  const created = await post(app, '/api/v1/users', NURSE, adminCookie);
  expect(created.statusCode, created.body).toBe(201);
  const { user, link } = json<{ user: { id: string }; link: { token: string } }>(created);
  const set = await post(app, '/api/v1/password-link/use', { token: link.token, password: NURSE_PASSWORD });
  expect(set.statusCode, set.body).toBe(200);
  const pw = await post(app, '/api/v1/auth/login', { login: NURSE.login, password: NURSE_PASSWORD });
  const enrol = cookieOf(pw);
  const { secret } = json<{ secret: string }>(await post(app, '/api/v1/auth/totp/enrol/start', undefined, enrol));
  const done = await post(
    app,
    '/api/v1/auth/totp/enrol/confirm',
    { code: totpCodeAt(secret, app.runtime.clock.now()) },
    enrol,
  );
  expect(done.statusCode, done.body).toBe(200);
  return { id: user.id, secret, cookie: cookieOf(done) };
}

/** Signs the administrator in again (after the clock moved past the session lifetime). */
async function signInAdmin(app: TestApp, secret: string): Promise<string> {
  const pw = await post(app, '/api/v1/auth/login', { login: ADMIN.login, password: ADMIN.password });
  expect(pw.statusCode, pw.body).toBe(200);
  const done = await post(
    app,
    '/api/v1/auth/mfa/totp',
    { code: totpCodeAt(secret, app.runtime.clock.now()) },
    cookieOf(pw),
  );
  expect(done.statusCode, done.body).toBe(200);
  return cookieOf(done);
}

async function adminId(app: TestApp): Promise<string> {
  const row = await app.db
    .selectFrom('user_account')
    .select('id')
    .where('login', '=', ADMIN.login)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function auditActions(
  app: TestApp,
): Promise<{ action: string; outcome: string; data: Record<string, unknown> }[]> {
  const rows = await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as { action: string; outcome: string; data: Record<string, unknown> });
}

const submit = (app: TestApp, cookie: string, code: string, body: unknown) =>
  post(app, `/api/v1/training/courses/${code}/attempts`, body, cookie);

describe('TRN-01 courses and quizzes', () => {
  test('TRN-01 the seed courses exist in both languages; the learner view never contains the correct answers', async () => {
    const { app, admin } = await setup();
    const my = await get(app, '/api/v1/training/my', admin.cookie);
    expect(my.statusCode, my.body).toBe(200);
    const body = json<{
      courses: { code: string; required: boolean; status: { state: string } }[];
      undertaking: { version: string; signedAt: null };
    }>(my);
    expect(body.courses.map((c) => [c.code, c.required, c.status.state])).toEqual([
      ['security-basics', true, 'not_started'],
      ['privacy-pipl', false, 'not_started'],
    ]);
    expect(body.undertaking).toEqual({ version: UNDERTAKING_V1.version, signedAt: null });

    for (const seed of [SECURITY_BASICS, PRIVACY_PIPL]) {
      const res = await get(app, `/api/v1/training/courses/${seed.code}`, admin.cookie);
      expect(res.statusCode, res.body).toBe(200);
      const course = json<{
        course: { bodyZh: string; bodyEn: string; passMark: number };
        questions: Record<string, unknown>[];
      }>(res);
      expect(course.course.passMark).toBe(80);
      expect(course.course.bodyZh).toContain('个人信息保护法');
      expect(course.course.bodyEn).toContain('PIPL');
      expect(course.questions).toHaveLength(seed.questions.length);
      for (const q of course.questions) {
        expect(Object.keys(q).sort()).toEqual(['id', 'kind', 'options', 'promptEn', 'promptZh']);
      }
      expect(res.body).not.toContain('"correct"');
      // The answers are in the database, on the server only.
      const stored = await app.db
        .selectFrom('training_question')
        .select('correct')
        .where('courseCode', '=', seed.code)
        .execute();
      expect(stored).toHaveLength(seed.questions.length);
    }
    expect(SECURITY_BASICS.questions).toHaveLength(10);
    for (const heading of ['## 一', '## 二', '## 三', '## 四', '## 五', '## 六', '## 七']) {
      expect(SECURITY_BASICS.bodyZh).toContain(heading);
    }
    for (let i = 1; i <= 7; i++) expect(SECURITY_BASICS.bodyEn).toContain(`## ${i}.`);
    const unknown = await get(app, '/api/v1/training/courses/no-such-course', admin.cookie);
    expect(unknown.statusCode).toBe(404);
  });

  test('TRN-01 grading on the server: all right passes with a 12-month completion, audited; 8/10 passes, 7/10 fails', async () => {
    const { app, admin, clock } = await setup();
    const seven = await submit(app, admin.cookie, 'security-basics', {
      version: 1,
      answers: answers(SECURITY_BASICS, 7),
    });
    expect(seven.statusCode, seven.body).toBe(201);
    expect(json(seven)).toMatchObject({
      score: 70,
      correctCount: 7,
      questionCount: 10,
      passed: false,
      completion: null,
      attemptsLeftToday: 4,
    });
    // The result never says which answers were wrong.
    expect(Object.keys(json<object>(seven)).sort()).toEqual(
      [
        'attemptId',
        'attemptsLeftToday',
        'completion',
        'correctCount',
        'passMark',
        'passed',
        'questionCount',
        'score',
      ].sort(),
    );
    clock.advance(60_000);
    const eight = await submit(app, admin.cookie, 'security-basics', {
      version: 1,
      answers: answers(SECURITY_BASICS, 8),
    });
    expect(json(eight)).toMatchObject({ score: 80, passed: true });
    clock.advance(60_000);
    const all = await submit(app, admin.cookie, 'security-basics', { version: 1, answers: answers(SECURITY_BASICS) });
    const result = json<{ score: number; passed: boolean; completion: { completedAt: string; expiresAt: string } }>(
      all,
    );
    expect(result.score).toBe(100);
    expect(result.completion).toMatchObject({
      completedAt: '2026-12-01T02:02:00.000Z',
      expiresAt: '2027-12-01T02:02:00.000Z',
    });

    const events = await auditActions(app);
    expect(events.filter((e) => e.action === 'training.quiz.failed').map((e) => e.data.score)).toEqual([70]);
    expect(events.filter((e) => e.action === 'training.course.completed').map((e) => e.data.score)).toEqual([80, 100]);
    const certs = await get(app, '/api/v1/training/certificates', admin.cookie);
    expect(
      json<{ certificates: { score: number; current: boolean; holderName: string }[] }>(certs).certificates,
    ).toMatchObject([
      { score: 100, current: true, holderName: ADMIN.name },
      { score: 80, current: true },
    ]);
    const my = json<{ courses: { code: string; status: { state: string; score: number } }[] }>(
      await get(app, '/api/v1/training/my', admin.cookie),
    );
    expect(my.courses.find((c) => c.code === 'security-basics')?.status).toMatchObject({
      state: 'current',
      score: 100,
    });
  });

  test('TRN-01 incomplete, duplicate, foreign and malformed answers are refused with 400 and no attempt is recorded', async () => {
    const { app, admin } = await setup();
    const full = answers(SECURITY_BASICS);
    const cases: unknown[] = [
      { version: 1, answers: full.slice(1) },
      { version: 1, answers: [...full, full[0]] },
      { version: 1, answers: [...full.slice(1), { questionId: 'pp1-q01', optionIds: ['b'] }] },
      { version: 1, answers: [{ ...full[0], optionIds: ['z'] }, ...full.slice(1)] },
      { version: 1, answers: [{ ...full[0], optionIds: ['a', 'b'] }, ...full.slice(1)] },
      { version: 1, answers: full, score: 100 },
      { version: '1', answers: full },
    ];
    for (const body of cases) {
      const res = await submit(app, admin.cookie, 'security-basics', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const attempts = await app.db.selectFrom('training_attempt').select('id').execute();
    expect(attempts).toEqual([]);
  });

  test('TRN-01 a pass mark boundary of 67% with 3 questions: 2 right (66.7%) fails, 3 right passes', async () => {
    const { app, admin } = await setup();
    const question = (n: number) => ({
      kind: 'single',
      promptZh: `问题 ${n}`,
      promptEn: `Question ${n}`,
      options: [
        { textZh: '对', textEn: 'Right', correct: true },
        { textZh: '错', textEn: 'Wrong', correct: false },
      ],
    });
    const content = {
      code: 'boundary-check',
      titleZh: '边界测试',
      titleEn: 'Boundary check',
      bodyZh: '正文',
      bodyEn: 'Body',
      passMark: 67,
      validityMonths: 12,
      questions: [question(1), question(2), question(3)],
    };
    const bad = await post(
      app,
      '/api/v1/training/admin/courses',
      {
        ...content,
        questions: [{ ...question(1), options: question(1).options.map((o) => ({ ...o, correct: true })) }],
      },
      admin.cookie,
    );
    expect(bad.statusCode).toBe(400);
    const created = await post(app, '/api/v1/training/admin/courses', content, admin.cookie);
    expect(created.statusCode, created.body).toBe(201);
    const again = await post(app, '/api/v1/training/admin/courses', content, admin.cookie);
    expect(again.statusCode).toBe(409);
    const view = json<{ questions: { id: string; options: { id: string }[] }[] }>(
      await get(app, '/api/v1/training/courses/boundary-check', admin.cookie),
    );
    const pick = (rightCount: number) =>
      view.questions.map((q, i) => ({ questionId: q.id, optionIds: [i < rightCount ? 'a' : 'b'] }));
    const two = await submit(app, admin.cookie, 'boundary-check', { version: 1, answers: pick(2) });
    expect(json(two)).toMatchObject({ score: 66, passed: false, passMark: 67 });
    const three = await submit(app, admin.cookie, 'boundary-check', { version: 1, answers: pick(3) });
    expect(json(three)).toMatchObject({ score: 100, passed: true });
  });

  test('TRN-01 at most 5 attempts in 24 hours: the sixth is refused with 429 and not recorded; a day later it is allowed', async () => {
    const { app, admin, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      const res = await submit(app, admin.cookie, 'security-basics', {
        version: 1,
        answers: answers(SECURITY_BASICS, 0),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(json<{ attemptsLeftToday: number }>(res).attemptsLeftToday).toBe(4 - i);
    }
    const sixth = await submit(app, admin.cookie, 'security-basics', { version: 1, answers: answers(SECURITY_BASICS) });
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(await app.db.selectFrom('training_attempt').select('id').execute()).toHaveLength(5);
    expect(await app.db.selectFrom('training_completion').select('id').execute()).toHaveLength(0);
    // Other courses have their own count.
    const other = await submit(app, admin.cookie, 'privacy-pipl', { version: 1, answers: answers(PRIVACY_PIPL) });
    expect(other.statusCode).toBe(201);

    clock.advance(DAY);
    const cookie = await signInAdmin(app, admin.secret);
    const later = await submit(app, cookie, 'security-basics', { version: 1, answers: answers(SECURITY_BASICS) });
    expect(later.statusCode, later.body).toBe(201);
    expect(json(later)).toMatchObject({ passed: true });
  });
});

describe('TRN-02 expiry, reminders and versions', () => {
  test('TRN-02 a completion is current on day 364 and expired on day 366; reminders 30 days ahead and on expiry, once each', async () => {
    const { app, admin, clock } = await setup();
    const id = await adminId(app);
    expect(await isTrainingCurrent(app, id, 'security-basics', clock.now())).toBe(false);
    const passed = await submit(app, admin.cookie, 'security-basics', {
      version: 1,
      answers: answers(SECURITY_BASICS),
    });
    expect(passed.statusCode).toBe(201);
    const start = new Date(START).getTime();
    const at = (days: number) => new Date(start + days * DAY);
    expect(await trainingStatus(app, id, 'security-basics', at(364))).toEqual({
      current: true,
      expiresAt: '2027-12-01T02:00:00.000Z',
      course: { code: 'security-basics', titleZh: SECURITY_BASICS.titleZh, titleEn: SECURITY_BASICS.titleEn },
    });
    expect(await isTrainingCurrent(app, id, 'security-basics', at(366))).toBe(false);
    expect(await isTrainingCurrent(app, id, 'privacy-pipl', at(1))).toBe(false);
    await expect(trainingStatus(app, id, 'no-such-course', at(1))).rejects.toThrow(/no training course/);

    const remind = async (days: number) => {
      clock.set(at(days));
      return sendTrainingReminders(systemCtx(app.runtime, 'training.reminders'));
    };
    const notifications = () =>
      app.db
        .selectFrom('user_notification')
        .select(['kind', 'data'])
        .where('userId', '=', id)
        .where('kind', 'like', 'training_%')
        .execute();
    expect(await remind(300)).toBe(0);
    expect(await remind(334)).toBe(0);
    expect(await remind(336)).toBe(1);
    expect(await remind(340)).toBe(0);
    expect(await notifications()).toEqual([
      { kind: 'training_due', data: JSON.stringify({ courseCode: 'security-basics', expiresOn: '2027-12-01' }) },
    ]);
    expect(await remind(366)).toBe(1);
    expect(await remind(367)).toBe(0);
    expect((await notifications()).map((n) => n.kind)).toEqual(['training_due', 'training_expired']);
    const events = (await auditActions(app)).filter((e) => e.action === 'training.reminder.sent');
    expect(events.map((e) => e.data.kind)).toEqual(['due', 'expired']);

    // Renewing (a newer completion, inserted here as the learner's session is long gone) stops reminders.
    const renewedAt = clock.now().toISOString();
    await app.db
      .insertInto('training_attempt')
      .values({
        id: 'renewal-attempt',
        userId: id,
        courseCode: 'security-basics',
        version: 1,
        correctCount: 10,
        questionCount: 10,
        score: 100,
        passed: 1,
        submittedAt: renewedAt,
      })
      .execute();
    await app.db
      .insertInto('training_completion')
      .values({
        id: 'renewal',
        userId: id,
        courseCode: 'security-basics',
        version: 1,
        attemptId: 'renewal-attempt',
        score: 100,
        completedAt: renewedAt,
        expiresAt: '2028-12-02T02:00:00.000Z',
      })
      .execute();
    expect(await isTrainingCurrent(app, id, 'security-basics', clock.now())).toBe(true);
    expect(await remind(400)).toBe(0);
    expect(await remind(710)).toBe(1);
  });

  test('TRN-01 a new version: the management list shows it, new takers get it, an answer to the old version is a conflict, the old completion runs to its expiry', async () => {
    const { app, admin, clock } = await setup();
    const id = await adminId(app);
    await submit(app, admin.cookie, 'security-basics', { version: 1, answers: answers(SECURITY_BASICS) });
    const v2 = {
      titleZh: SECURITY_BASICS.titleZh,
      titleEn: SECURITY_BASICS.titleEn,
      bodyZh: `${SECURITY_BASICS.bodyZh}\n\n## 补充\n\n新增内容。`,
      bodyEn: `${SECURITY_BASICS.bodyEn}\n\n## Addendum\n\nNew material.`,
      passMark: 100,
      validityMonths: 12,
      questions: [
        {
          kind: 'multiple',
          promptZh: '哪些是第二因素？',
          promptEn: 'Which are second factors?',
          options: [
            { textZh: '通行密钥', textEn: 'Passkey', correct: true },
            { textZh: '验证器', textEn: 'Authenticator app', correct: true },
            { textZh: '生日', textEn: 'Birthday', correct: false },
          ],
        },
      ],
    };
    const published = await post(app, '/api/v1/training/admin/courses/security-basics/versions', v2, admin.cookie);
    expect(published.statusCode, published.body).toBe(201);
    expect(json(published)).toMatchObject({ course: { version: 2, questionCount: 1, passMark: 100 } });
    expect((await auditActions(app)).filter((e) => e.action === 'training.course.published')).toHaveLength(1);
    // The management list shows each course at its current version; other courses are untouched.
    const managed = await get(app, '/api/v1/training/admin/courses', admin.cookie);
    expect(managed.statusCode, managed.body).toBe(200);
    const courses = json<{ courses: { code: string }[] }>(managed).courses;
    expect(courses.map((c) => c.code)).toEqual([...courses.map((c) => c.code)].sort());
    expect(courses.find((c) => c.code === 'security-basics')).toEqual({
      code: 'security-basics',
      titleZh: SECURITY_BASICS.titleZh,
      titleEn: SECURITY_BASICS.titleEn,
      version: 2,
      passMark: 100,
      validityMonths: 12,
      questionCount: 1,
      active: true,
      publishedAt: clock.now().toISOString(),
    });
    expect(courses.find((c) => c.code === 'privacy-pipl')).toMatchObject({
      version: 1,
      passMark: PRIVACY_PIPL.passMark,
      questionCount: PRIVACY_PIPL.questions.length,
      active: true,
    });
    // Management reads never carry quiz content, let alone the answers.
    expect(managed.body).not.toContain('correct');
    expect(managed.body).not.toContain('通行密钥');

    const view = json<{
      course: { version: number };
      questions: { id: string }[];
      status: { state: string; completedVersion: number };
    }>(await get(app, '/api/v1/training/courses/security-basics', admin.cookie));
    expect(view.course.version).toBe(2);
    expect(view.status).toMatchObject({ state: 'current', completedVersion: 1 });
    const stale = await submit(app, admin.cookie, 'security-basics', { version: 1, answers: answers(SECURITY_BASICS) });
    expect(stale.statusCode).toBe(409);
    expect(await isTrainingCurrent(app, id, 'security-basics', new Date(clock.now().getTime() + 200 * DAY))).toBe(true);

    const partial = await submit(app, admin.cookie, 'security-basics', {
      version: 2,
      answers: [{ questionId: view.questions[0]!.id, optionIds: ['a'] }],
    });
    expect(json(partial)).toMatchObject({ passed: false, score: 0 });
    clock.advance(60_000);
    const right = await submit(app, admin.cookie, 'security-basics', {
      version: 2,
      answers: [{ questionId: view.questions[0]!.id, optionIds: ['b', 'a'] }],
    });
    expect(json(right)).toMatchObject({ passed: true, score: 100 });
    const certs = json<{ certificates: { version: number }[] }>(
      await get(app, '/api/v1/training/certificates', admin.cookie),
    );
    expect(certs.certificates.map((c) => c.version)).toEqual([2, 1]);
  });
});

describe('TRN-01 confidentiality undertaking', () => {
  test('TRN-01 the undertaking is signed with an electronic signature (fresh code), audited, verifiable, once per version', async () => {
    const { app, admin, clock } = await setup();
    const before = json<{ version: string; textZh: string; signature: null }>(
      await get(app, '/api/v1/training/undertaking', admin.cookie),
    );
    expect(before).toMatchObject({ version: UNDERTAKING_V1.version, textZh: UNDERTAKING_V1.textZh, signature: null });

    const wrong = await post(
      app,
      '/api/v1/training/undertaking/sign',
      { version: UNDERTAKING_V1.version, code: '000000' },
      admin.cookie,
    );
    expect(wrong.statusCode).toBe(401);
    expect(json<{ code: string }>(wrong).code).toBe('step_up_required');
    const stale = await post(
      app,
      '/api/v1/training/undertaking/sign',
      { version: '2020-1', code: '123456' },
      admin.cookie,
    );
    expect(stale.statusCode).toBe(409);
    expect(await app.db.selectFrom('training_undertaking_signature').select('id').execute()).toEqual([]);

    clock.advance(30_000);
    const signed = await post(
      app,
      '/api/v1/training/undertaking/sign',
      { version: UNDERTAKING_V1.version, code: totpCodeAt(admin.secret, clock.now()) },
      admin.cookie,
    );
    expect(signed.statusCode, signed.body).toBe(201);
    const signature = json<{ signature: { id: string; signerName: string; signedAt: string } }>(signed).signature;
    expect(signature).toMatchObject({ signerName: ADMIN.name, signedAt: clock.now().toISOString() });
    const check = await verifySignature(app, signature.id, {
      version: UNDERTAKING_V1.version,
      textZh: UNDERTAKING_V1.textZh,
      textEn: UNDERTAKING_V1.textEn,
    });
    expect(check.valid).toBe(true);
    const actions = (await auditActions(app)).map((e) => e.action);
    expect(actions).toContain('identity.signature.applied');
    expect(actions).toContain('training.undertaking.signed');

    clock.advance(30_000);
    const twice = await post(
      app,
      '/api/v1/training/undertaking/sign',
      { version: UNDERTAKING_V1.version, code: totpCodeAt(admin.secret, clock.now()) },
      admin.cookie,
    );
    expect(twice.statusCode).toBe(409);
    const my = json<{ undertaking: { signedAt: string | null } }>(await get(app, '/api/v1/training/my', admin.cookie));
    expect(my.undertaking.signedAt).toBe(signature.signedAt);
  });
});

describe('TRN-01 access to management and the team report', () => {
  test('TRN-01 anonymous callers get 401; a user without training permissions gets 403 on the report and management but can learn', async () => {
    const { app, admin } = await setup();
    const nurse = await onboardNurse(app, admin.cookie);
    for (const url of ['/api/v1/training/my', '/api/v1/training/report', '/api/v1/training/certificates']) {
      expect((await get(app, url)).statusCode, url).toBe(401);
    }
    expect((await get(app, '/api/v1/training/report', nurse.cookie)).statusCode).toBe(403);
    expect((await get(app, '/api/v1/training/admin/assignments', nurse.cookie)).statusCode).toBe(403);
    const assign = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'all' } },
      nurse.cookie,
    );
    expect(assign.statusCode).toBe(403);
    expect(await app.db.selectFrom('training_assignment').select('id').execute()).toHaveLength(1);

    const my = await get(app, '/api/v1/training/my', nurse.cookie);
    expect(my.statusCode).toBe(200);
    const passed = await submit(app, nurse.cookie, 'security-basics', {
      version: 1,
      answers: answers(SECURITY_BASICS),
    });
    expect(json(passed)).toMatchObject({ passed: true });
    // Certificates are one's own only.
    const adminCerts = json<{ certificates: unknown[] }>(await get(app, '/api/v1/training/certificates', admin.cookie));
    expect(adminCerts.certificates).toEqual([]);

    const report = await get(app, '/api/v1/training/report', admin.cookie);
    expect(report.statusCode, report.body).toBe(200);
    const rows = json<{ rows: { user: { login: string }; course: { code: string }; status: { state: string } }[] }>(
      report,
    ).rows;
    expect(rows.map((r) => [r.user.login, r.course.code, r.status.state])).toEqual([
      [ADMIN.login, 'security-basics', 'not_started'],
      [NURSE.login, 'security-basics', 'current'],
    ]);
    const notStarted = json<{ rows: { user: { login: string } }[] }>(
      await get(app, '/api/v1/training/report?state=not_started', admin.cookie),
    );
    expect(notStarted.rows.map((r) => r.user.login)).toEqual([ADMIN.login]);
    expect((await get(app, '/api/v1/training/report?state=lapsed', admin.cookie)).statusCode).toBe(400);
  });

  test('TRN-01 assignments to a role name, a user or all staff; duplicates conflict, extra fields are refused, revoking ends them', async () => {
    const { app, admin } = await setup();
    const nurse = await onboardNurse(app, admin.cookie);
    const toUser = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'user', userId: nurse.id } },
      admin.cookie,
    );
    expect(toUser.statusCode, toUser.body).toBe(201);
    const assignment = json<{ assignment: { id: string; targetUser: { login: string } } }>(toUser).assignment;
    expect(assignment.targetUser.login).toBe(NURSE.login);
    const toRole = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'role', role: 'administrator' } },
      admin.cookie,
    );
    expect(toRole.statusCode).toBe(201);
    const dup = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'role', role: 'administrator' } },
      admin.cookie,
    );
    expect(dup.statusCode).toBe(409);
    const extra = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'all' }, createdBy: nurse.id },
      admin.cookie,
    );
    expect(extra.statusCode).toBe(400);
    const ghost = await post(
      app,
      '/api/v1/training/admin/assignments',
      { courseCode: 'privacy-pipl', target: { kind: 'user', userId: '0192f4c0-0000-7000-8000-00000000dead' } },
      admin.cookie,
    );
    expect(ghost.statusCode).toBe(404);

    const nurseMy = json<{ courses: { code: string; required: boolean }[] }>(
      await get(app, '/api/v1/training/my', nurse.cookie),
    );
    expect(nurseMy.courses.filter((c) => c.required).map((c) => c.code)).toEqual(['privacy-pipl', 'security-basics']);
    // The administrator holds the bootstrap role "administrator".
    const adminMy = json<{ courses: { code: string; required: boolean }[] }>(
      await get(app, '/api/v1/training/my', admin.cookie),
    );
    expect(adminMy.courses.filter((c) => c.required).map((c) => c.code)).toEqual(['privacy-pipl', 'security-basics']);

    const revoked = await post(
      app,
      `/api/v1/training/admin/assignments/${assignment.id}/revoke`,
      undefined,
      admin.cookie,
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(
      (await post(app, `/api/v1/training/admin/assignments/${assignment.id}/revoke`, undefined, admin.cookie))
        .statusCode,
    ).toBe(404);
    const after = json<{ courses: { code: string; required: boolean }[] }>(
      await get(app, '/api/v1/training/my', nurse.cookie),
    );
    expect(after.courses.filter((c) => c.required).map((c) => c.code)).toEqual(['security-basics']);
    const list = json<{ assignments: { targetKind: string }[] }>(
      await get(app, '/api/v1/training/admin/assignments', admin.cookie),
    );
    expect(list.assignments.map((a) => a.targetKind).sort()).toEqual(['all', 'role']);
    const actions = (await auditActions(app)).map((e) => e.action);
    expect(actions.filter((a) => a === 'training.assignment.created')).toHaveLength(2);
    expect(actions).toContain('training.assignment.revoked');
  });
});
