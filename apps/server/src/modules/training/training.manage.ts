import type {
  AssignmentListResponse,
  CourseVersionInput,
  CreateAssignmentInput,
  ManagedCoursesResponse,
  TrainingReportResponse,
  TrainingState,
  ValidationIssue,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { latestCompletions, requiredCourseCodes, standingOf } from './training.status.js';

type ManagedCourse = ManagedCoursesResponse['courses'][number];

async function managedCourses(db: Db, code?: string): Promise<ManagedCourse[]> {
  let query = db
    .selectFrom('training_course as c')
    .innerJoin('training_course_version as v', (j) =>
      j.onRef('v.courseCode', '=', 'c.code').onRef('v.version', '=', 'c.currentVersion'),
    )
    .select((eb) => [
      'c.code',
      'c.active',
      'v.version',
      'v.titleZh',
      'v.titleEn',
      'v.passMark',
      'v.validityMonths',
      'v.publishedAt',
      eb
        .selectFrom('training_question as q')
        .select((e) => e.fn.countAll<string | number | bigint>().as('n'))
        .whereRef('q.courseCode', '=', 'c.code')
        .whereRef('q.version', '=', 'c.currentVersion')
        .as('questionCount'),
    ])
    .orderBy('c.code');
  if (code !== undefined) query = query.where('c.code', '=', code);
  const rows = await query.execute();
  return rows.map((r) => ({
    code: r.code,
    titleZh: r.titleZh,
    titleEn: r.titleEn,
    version: Number(r.version),
    passMark: Number(r.passMark),
    validityMonths: Number(r.validityMonths),
    questionCount: Number(r.questionCount ?? 0),
    active: Number(r.active) === 1,
    publishedAt: r.publishedAt,
  }));
}

/** Every course with its current version (management view; no quiz content). */
export async function listManagedCourses(ctx: Ctx): Promise<ManagedCoursesResponse> {
  return { courses: await managedCourses(ctx.db) };
}

const OPTION_IDS = 'abcdefgh';

/** A single-choice question has exactly one correct option, a multiple-choice one at least one. */
function checkQuestions(input: CourseVersionInput): void {
  const issues: ValidationIssue[] = [];
  input.questions.forEach((q, i) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (q.kind === 'single' && correct !== 1) {
      issues.push({
        path: `body.questions.${i}.options`,
        message: 'a single-choice question needs exactly one correct option',
      });
    }
    if (q.kind === 'multiple' && correct < 1) {
      issues.push({ path: `body.questions.${i}.options`, message: 'mark at least one option correct' });
    }
  });
  if (issues.length > 0) {
    throw new AppError('validation_failed', 'The quiz is not valid; see the listed fields.', issues);
  }
}

async function insertVersion(ctx: Ctx, code: string, version: number, input: CourseVersionInput): Promise<void> {
  checkQuestions(input);
  const at = ctx.now.toISOString();
  await ctx.db
    .insertInto('training_course_version')
    .values({
      courseCode: code,
      version,
      titleZh: input.titleZh,
      titleEn: input.titleEn,
      bodyZh: input.bodyZh,
      bodyEn: input.bodyEn,
      passMark: input.passMark,
      validityMonths: input.validityMonths,
      publishedBy: ctx.actor?.id ?? null,
      publishedAt: at,
    })
    .execute();
  let position = 0;
  for (const q of input.questions) {
    const options = q.options.map((o, i) => ({ id: OPTION_IDS[i]!, textZh: o.textZh, textEn: o.textEn }));
    await ctx.db
      .insertInto('training_question')
      .values({
        id: uuidv7(ctx.now.getTime()),
        courseCode: code,
        version,
        position: position++,
        kind: q.kind,
        promptZh: q.promptZh,
        promptEn: q.promptEn,
        options: JSON.stringify(options),
        correct: JSON.stringify(q.options.flatMap((o, i) => (o.correct ? [OPTION_IDS[i]!] : []))),
      })
      .execute();
  }
  await record(ctx, {
    action: 'training.course.published',
    outcome: 'success',
    resource: { type: 'training_course', id: code },
    data: {
      courseCode: code,
      version,
      questionCount: input.questions.length,
      minimumScore: input.passMark,
      validityMonths: input.validityMonths,
    },
  });
}

/** Publishes a new course (version 1). */
export async function createCourse(ctx: Ctx, input: CourseVersionInput & { code: string }): Promise<ManagedCourse> {
  const { code, ...content } = input;
  const exists = await ctx.db.selectFrom('training_course').select('code').where('code', '=', code).executeTakeFirst();
  if (exists !== undefined) throw new AppError('conflict', `A course with the code "${code}" already exists.`);
  const at = ctx.now.toISOString();
  await ctx.db
    .insertInto('training_course')
    .values({ code, currentVersion: 1, active: 1, createdAt: at, updatedAt: at })
    .execute();
  await insertVersion(ctx, code, 1, content);
  return (await managedCourses(ctx.db, code))[0]!;
}

/**
 * Publishes a new version of a course: from now on learners read and take this version. Completions
 * of earlier versions stay valid until they expire (docs/decisions/0016-training.md).
 */
export async function publishVersion(ctx: Ctx, code: string, input: CourseVersionInput): Promise<ManagedCourse> {
  const course = await ctx.db
    .selectFrom('training_course')
    .select(['currentVersion'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (course === undefined) throw new AppError('not_found', 'There is no such course.');
  const version = Number(course.currentVersion) + 1;
  await insertVersion(ctx, code, version, input);
  const updated = await ctx.db
    .updateTable('training_course')
    .set({ currentVersion: version, updatedAt: ctx.now.toISOString() })
    .where('code', '=', code)
    .where('currentVersion', '=', version - 1)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'The course changed meanwhile; try again.');
  return (await managedCourses(ctx.db, code))[0]!;
}

type Assignment = AssignmentListResponse['assignments'][number];

async function assignments(db: Db, id?: string): Promise<Assignment[]> {
  let query = db
    .selectFrom('training_assignment as a')
    .innerJoin('training_course as c', 'c.code', 'a.courseCode')
    .innerJoin('training_course_version as v', (j) =>
      j.onRef('v.courseCode', '=', 'c.code').onRef('v.version', '=', 'c.currentVersion'),
    )
    .leftJoin('user_account as u', 'u.id', 'a.targetUserId')
    .select([
      'a.id',
      'a.courseCode',
      'a.targetKind',
      'a.targetRole',
      'a.createdAt',
      'v.titleZh',
      'v.titleEn',
      'u.id as userId',
      'u.login as userLogin',
      'u.name as userName',
    ])
    .where('a.revokedAt', 'is', null)
    .orderBy('a.courseCode')
    .orderBy('a.createdAt');
  if (id !== undefined) query = query.where('a.id', '=', id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    courseCode: r.courseCode,
    titleZh: r.titleZh,
    titleEn: r.titleEn,
    targetKind: r.targetKind,
    targetRole: r.targetRole,
    targetUser:
      r.userId === null || r.userLogin === null || r.userName === null
        ? null
        : { id: r.userId, login: r.userLogin, name: r.userName },
    createdAt: r.createdAt,
  }));
}

/** The assignments in force. */
export async function listAssignments(ctx: Ctx): Promise<AssignmentListResponse> {
  return { assignments: await assignments(ctx.db) };
}

/** Assigns a course to all staff, a role (by name) or one user; the same assignment twice is a conflict. */
export async function createAssignment(ctx: Ctx, input: CreateAssignmentInput): Promise<Assignment> {
  const course = await ctx.db
    .selectFrom('training_course')
    .select('code')
    .where('code', '=', input.courseCode)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (course === undefined) throw new AppError('not_found', 'There is no such course.');
  const { target } = input;
  const targetRole = target.kind === 'role' ? target.role : null;
  const targetUserId = target.kind === 'user' ? target.userId : null;
  if (targetUserId !== null) {
    const user = await ctx.db.selectFrom('user_account').select('id').where('id', '=', targetUserId).executeTakeFirst();
    if (user === undefined) throw new AppError('not_found', 'There is no such user.');
  }
  let dup = ctx.db
    .selectFrom('training_assignment')
    .select('id')
    .where('courseCode', '=', input.courseCode)
    .where('targetKind', '=', target.kind)
    .where('revokedAt', 'is', null);
  if (targetRole !== null) dup = dup.where('targetRole', '=', targetRole);
  if (targetUserId !== null) dup = dup.where('targetUserId', '=', targetUserId);
  if ((await dup.executeTakeFirst()) !== undefined) {
    throw new AppError('conflict', 'This course is already assigned to them.');
  }
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('training_assignment')
    .values({
      id,
      courseCode: input.courseCode,
      targetKind: target.kind,
      targetRole,
      targetUserId,
      createdBy: ctx.actor?.id ?? null,
      createdAt: ctx.now.toISOString(),
      revokedBy: null,
      revokedAt: null,
    })
    .execute();
  await record(ctx, {
    action: 'training.assignment.created',
    outcome: 'success',
    resource: { type: 'training_assignment', id },
    data: { courseCode: input.courseCode, targetKind: target.kind, targetRole, targetUserId },
  });
  return (await assignments(ctx.db, id))[0]!;
}

/** Ends an assignment (kept, marked revoked: records are never deleted). */
export async function revokeAssignment(ctx: Ctx, id: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('training_assignment')
    .select(['courseCode', 'targetKind'])
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'There is no such assignment.');
  await ctx.db
    .updateTable('training_assignment')
    .set({ revokedAt: ctx.now.toISOString(), revokedBy: ctx.actor?.id ?? null })
    .where('id', '=', id)
    .execute();
  await record(ctx, {
    action: 'training.assignment.revoked',
    outcome: 'success',
    resource: { type: 'training_assignment', id },
    data: { courseCode: row.courseCode, targetKind: row.targetKind },
  });
}

/**
 * Which roles each user holds, for resolving role assignments in the report: identity's bootstrap
 * role plus the roles the access module assigns (through the resolver the composition root gives
 * identity's runtime, so this layer never imports access).
 */
export type RoleSource = (db: Db, userIds: readonly string[]) => Promise<Map<string, readonly string[]>>;

export const bootstrapRoleSource: RoleSource = async (db, userIds) => {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('user_account').select(['id', 'bootstrapRole']).where('id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.id, r.bootstrapRole === null ? [] : [r.bootstrapRole]]));
};

/** The bootstrap role and the assigned roles of each user. */
export function runtimeRoleSource(ctx: Pick<Ctx, 'runtime'>): RoleSource {
  return async (db, userIds) => {
    const roles = await bootstrapRoleSource(db, userIds);
    const resolve = ctx.runtime.identity.roles;
    if (resolve === undefined) return roles;
    for (const id of userIds) {
      const assigned = await resolve(db, id);
      roles.set(id, [...(roles.get(id) ?? []), ...assigned.roles]);
    }
    return roles;
  };
}

/** Required training per active user × course, optionally only those in one state. */
export async function trainingReport(
  ctx: Ctx,
  state: 'all' | TrainingState = 'all',
  roleSource: RoleSource = runtimeRoleSource(ctx),
): Promise<TrainingReportResponse> {
  const users = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'login', 'name'])
    .where('status', '=', 'active')
    .orderBy('login')
    .execute();
  const courses = await managedCourses(ctx.db);
  const byCode = new Map(courses.filter((c) => c.active).map((c) => [c.code, c]));
  const roles = await roleSource(
    ctx.db,
    users.map((u) => u.id),
  );
  const latest = await latestCompletions(ctx.db, {});
  const rows: TrainingReportResponse['rows'] = [];
  for (const user of users) {
    const required = await requiredCourseCodes(ctx.db, user.id, roles.get(user.id) ?? []);
    for (const code of [...required].sort()) {
      const course = byCode.get(code);
      if (course === undefined) continue;
      const status = standingOf(latest.get(`${user.id}|${code}`), ctx.now);
      if (state !== 'all' && status.state !== state) continue;
      rows.push({
        user: { id: user.id, login: user.login, name: user.name },
        course: { code, titleZh: course.titleZh, titleEn: course.titleEn },
        status,
      });
    }
  }
  return { rows };
}
