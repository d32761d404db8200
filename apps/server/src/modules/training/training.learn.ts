import {
  TRAINING_ATTEMPTS_PER_DAY,
  type AttemptResult,
  type LearnerCourseResponse,
  type MyCertificatesResponse,
  type MyTrainingResponse,
  type SubmitAttemptInput,
  type ValidationIssue,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { addMonths, latestCompletions, requiredCourseCodes, standingOf } from './training.status.js';

const DAY_MS = 86_400_000;

/** The signed-in user; training pages are only for people (not API clients or the system). */
export function learner(ctx: Ctx): { id: string; roles: readonly string[] } {
  if (ctx.actor?.kind !== 'user') throw new AppError('forbidden', 'Training is for signed-in staff.');
  return { id: ctx.actor.id, roles: ctx.actor.roles };
}

type Option = { id: string; textZh: string; textEn: string };

function currentVersions(db: Db) {
  return db
    .selectFrom('training_course as c')
    .innerJoin('training_course_version as v', (j) =>
      j.onRef('v.courseCode', '=', 'c.code').onRef('v.version', '=', 'c.currentVersion'),
    )
    .where('c.active', '=', 1);
}

/** Attempts in the last 24 hours (oldest first), for the attempt limit. */
async function recentAttempts(ctx: Ctx, userId: string, courseCode: string): Promise<string[]> {
  const since = new Date(ctx.now.getTime() - DAY_MS).toISOString();
  const rows = await ctx.db
    .selectFrom('training_attempt')
    .select('submittedAt')
    .where('userId', '=', userId)
    .where('courseCode', '=', courseCode)
    .where('submittedAt', '>', since)
    .orderBy('submittedAt', 'asc')
    .execute();
  return rows.map((r) => r.submittedAt);
}

/** TRN-01: every active course, whether it is required of the caller, and where they stand. */
export async function myTraining(ctx: Ctx): Promise<MyTrainingResponse> {
  const me = learner(ctx);
  const courses = await currentVersions(ctx.db)
    .select(['c.code', 'v.version', 'v.titleZh', 'v.titleEn', 'v.passMark', 'v.validityMonths'])
    .orderBy('c.code')
    .execute();
  const required = await requiredCourseCodes(ctx.db, me.id, me.roles);
  const latest = await latestCompletions(ctx.db, { userIds: [me.id] });
  const since = new Date(ctx.now.getTime() - DAY_MS).toISOString();
  const attempts = await ctx.db
    .selectFrom('training_attempt')
    .select(['courseCode', (eb) => eb.fn.countAll<string | number | bigint>().as('n')])
    .where('userId', '=', me.id)
    .where('submittedAt', '>', since)
    .groupBy('courseCode')
    .execute();
  const used = new Map(attempts.map((a) => [a.courseCode, Number(a.n)]));
  const undertaking = await ctx.db
    .selectFrom('training_undertaking as u')
    .leftJoin('training_undertaking_signature as s', (j) =>
      j.onRef('s.version', '=', 'u.version').on('s.userId', '=', me.id),
    )
    .select(['u.version', 's.signedAt'])
    .where('u.current', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    courses: courses
      .map((c) => ({
        code: c.code,
        version: Number(c.version),
        titleZh: c.titleZh,
        titleEn: c.titleEn,
        passMark: Number(c.passMark),
        validityMonths: Number(c.validityMonths),
        required: required.has(c.code),
        status: standingOf(latest.get(`${me.id}|${c.code}`), ctx.now),
        attemptsLeftToday: Math.max(0, TRAINING_ATTEMPTS_PER_DAY - (used.get(c.code) ?? 0)),
      }))
      // Required courses first, then by code.
      .sort((a, b) => Number(b.required) - Number(a.required) || a.code.localeCompare(b.code)),
    undertaking: { version: undertaking.version, signedAt: undertaking.signedAt ?? null },
  };
}

/** The current version of an active course, its quiz without the answers, and the caller's standing. */
export async function learnerCourse(ctx: Ctx, code: string): Promise<LearnerCourseResponse> {
  const me = learner(ctx);
  const course = await currentVersions(ctx.db)
    .select(['c.code', 'v.version', 'v.titleZh', 'v.titleEn', 'v.bodyZh', 'v.bodyEn', 'v.passMark', 'v.validityMonths'])
    .where('c.code', '=', code)
    .executeTakeFirst();
  if (course === undefined) throw new AppError('not_found', 'There is no such course.');
  // The `correct` column is deliberately not selected: answers never leave the server.
  const questions = await ctx.db
    .selectFrom('training_question')
    .select(['id', 'kind', 'promptZh', 'promptEn', 'options'])
    .where('courseCode', '=', code)
    .where('version', '=', course.version)
    .orderBy('position')
    .execute();
  const latest = await latestCompletions(ctx.db, { userIds: [me.id], courseCodes: [code] });
  const used = (await recentAttempts(ctx, me.id, code)).length;
  return {
    course: {
      code: course.code,
      version: Number(course.version),
      titleZh: course.titleZh,
      titleEn: course.titleEn,
      bodyZh: course.bodyZh,
      bodyEn: course.bodyEn,
      passMark: Number(course.passMark),
      validityMonths: Number(course.validityMonths),
    },
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      promptZh: q.promptZh,
      promptEn: q.promptEn,
      options: (JSON.parse(q.options) as Option[]).map((o) => ({ id: o.id, textZh: o.textZh, textEn: o.textEn })),
    })),
    status: standingOf(latest.get(`${me.id}|${code}`), ctx.now),
    attemptsLeftToday: Math.max(0, TRAINING_ATTEMPTS_PER_DAY - used),
  };
}

/** A question is right only when exactly the correct options were chosen. */
function isRight(chosen: readonly string[], correct: readonly string[]): boolean {
  const set = new Set(chosen);
  return set.size === correct.length && correct.every((id) => set.has(id));
}

/**
 * TRN-01: grades a quiz on the server. Every question of the version must be answered once; the
 * score is the share of questions answered exactly right; passing records a completion valid for
 * the course's months. At most {@link TRAINING_ATTEMPTS_PER_DAY} attempts in any 24 hours, and the
 * answer says only the score, never which questions were wrong (no answer harvesting).
 */
export async function submitAttempt(ctx: Ctx, code: string, input: SubmitAttemptInput): Promise<AttemptResult> {
  const me = learner(ctx);
  const course = await currentVersions(ctx.db)
    .select(['c.code', 'v.version', 'v.passMark', 'v.validityMonths'])
    .where('c.code', '=', code)
    .executeTakeFirst();
  if (course === undefined) throw new AppError('not_found', 'There is no such course.');
  if (Number(course.version) !== input.version) {
    throw new AppError('conflict', 'A new version of this course was published; read it again and retake the quiz.');
  }
  const recent = await recentAttempts(ctx, me.id, code);
  if (recent.length >= TRAINING_ATTEMPTS_PER_DAY) {
    const freeAt = new Date(recent[recent.length - TRAINING_ATTEMPTS_PER_DAY]!).getTime() + DAY_MS;
    ctx.reply.header('retry-after', String(Math.max(1, Math.ceil((freeAt - ctx.now.getTime()) / 1000))));
    throw new AppError(
      'rate_limited',
      `At most ${TRAINING_ATTEMPTS_PER_DAY} attempts in 24 hours; read the course again and try later.`,
    );
  }
  const questions = await ctx.db
    .selectFrom('training_question')
    .select(['id', 'kind', 'options', 'correct'])
    .where('courseCode', '=', code)
    .where('version', '=', input.version)
    .orderBy('position')
    .execute();

  const issues: ValidationIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answered = new Map<string, string[]>();
  input.answers.forEach((answer, i) => {
    const q = byId.get(answer.questionId);
    const path = `body.answers.${i}`;
    if (q === undefined) {
      return void issues.push({ path: `${path}.questionId`, message: 'not a question of this quiz' });
    }
    if (answered.has(q.id)) return void issues.push({ path: `${path}.questionId`, message: 'answered twice' });
    const options = new Set((JSON.parse(q.options) as Option[]).map((o) => o.id));
    if (new Set(answer.optionIds).size !== answer.optionIds.length) {
      return void issues.push({ path: `${path}.optionIds`, message: 'an option is chosen twice' });
    }
    if (answer.optionIds.some((id) => !options.has(id))) {
      return void issues.push({ path: `${path}.optionIds`, message: 'not an option of this question' });
    }
    if (q.kind === 'single' && answer.optionIds.length !== 1) {
      return void issues.push({ path: `${path}.optionIds`, message: 'choose exactly one option' });
    }
    answered.set(q.id, answer.optionIds);
  });
  const missing = questions.filter((q) => !answered.has(q.id)).length;
  if (issues.length === 0 && missing > 0) {
    issues.push({ path: 'body.answers', message: `${missing} question(s) not answered; answer every question` });
  }
  if (issues.length > 0) throw new AppError('validation_failed', 'The answers are not complete or not valid.', issues);

  const correctCount = questions.filter((q) => isRight(answered.get(q.id)!, JSON.parse(q.correct) as string[])).length;
  const questionCount = questions.length;
  const passMark = Number(course.passMark);
  // Integer arithmetic: 8 of 10 at 80% passes, 2 of 3 (66.7%) at 67% does not.
  const passed = correctCount * 100 >= passMark * questionCount;
  const score = Math.floor((correctCount * 100) / questionCount);
  const at = ctx.now.toISOString();
  const attemptId = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('training_attempt')
    .values({
      id: attemptId,
      userId: me.id,
      courseCode: code,
      version: input.version,
      correctCount,
      questionCount,
      score,
      passed: passed ? 1 : 0,
      submittedAt: at,
    })
    .execute();
  let completion: AttemptResult['completion'] = null;
  if (passed) {
    const expiresAt = addMonths(ctx.now, Number(course.validityMonths)).toISOString();
    const id = uuidv7(ctx.now.getTime());
    await ctx.db
      .insertInto('training_completion')
      .values({
        id,
        userId: me.id,
        courseCode: code,
        version: input.version,
        attemptId,
        score,
        completedAt: at,
        expiresAt,
      })
      .execute();
    completion = { id, completedAt: at, expiresAt };
    await record(ctx, {
      action: 'training.course.completed',
      outcome: 'success',
      resource: { type: 'training_completion', id },
      data: { courseCode: code, version: input.version, attemptId, score, completedAt: at, expiresAt },
    });
  } else {
    await record(ctx, {
      action: 'training.quiz.failed',
      outcome: 'failure',
      resource: { type: 'training_attempt', id: attemptId },
      data: { courseCode: code, version: input.version, attemptId, score },
    });
  }
  return {
    attemptId,
    score,
    correctCount,
    questionCount,
    passMark,
    passed,
    attemptsLeftToday: Math.max(0, TRAINING_ATTEMPTS_PER_DAY - recent.length - 1),
    completion,
  };
}

/** The caller's passed completions, newest first, for the printable certificate view. */
export async function myCertificates(ctx: Ctx): Promise<MyCertificatesResponse> {
  const me = learner(ctx);
  const rows = await ctx.db
    .selectFrom('training_completion as t')
    .innerJoin('training_course_version as v', (j) =>
      j.onRef('v.courseCode', '=', 't.courseCode').onRef('v.version', '=', 't.version'),
    )
    .innerJoin('user_account as u', 'u.id', 't.userId')
    .select([
      't.id',
      't.courseCode',
      't.version',
      't.score',
      't.completedAt',
      't.expiresAt',
      'v.titleZh',
      'v.titleEn',
      'u.name',
      'u.login',
    ])
    .where('t.userId', '=', me.id)
    .orderBy('t.completedAt', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  const at = ctx.now.toISOString();
  return {
    certificates: rows.map((r) => ({
      id: r.id,
      code: r.courseCode,
      titleZh: r.titleZh,
      titleEn: r.titleEn,
      version: Number(r.version),
      score: Number(r.score),
      completedAt: r.completedAt,
      expiresAt: r.expiresAt,
      current: r.expiresAt > at,
      holderName: r.name,
      holderLogin: r.login,
    })),
  };
}
