import { TRAINING_REMINDER_DAYS, type TrainingState } from '@medledger/contract';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';

const DAY_MS = 86_400_000;

/**
 * `at` plus whole calendar months (UTC), clamped to the last day of a shorter month
 * (31 January + 1 month = 28 or 29 February): a completion expires on the same date next year.
 */
export function addMonths(at: Date, months: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}

export type CompletionFacts = { version: number; completedAt: string; expiresAt: string; score: number };

export type Standing = {
  state: TrainingState;
  completedVersion: number | null;
  completedAt: string | null;
  expiresAt: string | null;
  score: number | null;
};

/**
 * Where a user stands given their completion with the latest expiry (or none). A completion of an
 * older course version stays valid until it expires (docs/decisions/0016-training.md).
 */
export function standingOf(latest: CompletionFacts | undefined, now: Date): Standing {
  if (latest === undefined) {
    return { state: 'not_started', completedVersion: null, completedAt: null, expiresAt: null, score: null };
  }
  const at = now.toISOString();
  const soon = new Date(now.getTime() + TRAINING_REMINDER_DAYS * DAY_MS).toISOString();
  const state: TrainingState = latest.expiresAt <= at ? 'expired' : latest.expiresAt <= soon ? 'expiring' : 'current';
  return {
    state,
    completedVersion: latest.version,
    completedAt: latest.completedAt,
    expiresAt: latest.expiresAt,
    score: latest.score,
  };
}

/** Each (user, course)'s completion with the latest expiry, keyed `userId|courseCode`. */
export async function latestCompletions(
  db: Db,
  filter: { userIds?: readonly string[]; courseCodes?: readonly string[] },
): Promise<Map<string, CompletionFacts>> {
  if (filter.userIds?.length === 0 || filter.courseCodes?.length === 0) return new Map();
  let query = db
    .selectFrom('training_completion')
    .select(['userId', 'courseCode', 'version', 'completedAt', 'expiresAt', 'score']);
  if (filter.userIds !== undefined) query = query.where('userId', 'in', filter.userIds);
  if (filter.courseCodes !== undefined) query = query.where('courseCode', 'in', filter.courseCodes);
  const rows = await query.execute();
  const out = new Map<string, CompletionFacts>();
  for (const r of rows) {
    const key = `${r.userId}|${r.courseCode}`;
    const seen = out.get(key);
    if (seen === undefined || r.expiresAt > seen.expiresAt) {
      out.set(key, {
        version: Number(r.version),
        completedAt: r.completedAt,
        expiresAt: r.expiresAt,
        score: Number(r.score),
      });
    }
  }
  return out;
}

export type TrainingStatus = {
  /** True while a passed completion of any version of the course has not expired. */
  current: boolean;
  /** When the valid (or the last) completion expires; null if the course was never passed. */
  expiresAt: string | null;
  /** The course, to name it in a denial message. */
  course: { code: string; titleZh: string; titleEn: string };
};

/**
 * TRN-02: is `userId`'s training in `courseCode` current at `now`? Throws `not_found` for a course
 * that does not exist, so a misconfigured requirement fails closed.
 */
export async function trainingStatus(
  ctx: { db: Db },
  userId: string,
  courseCode: string,
  now: Date,
): Promise<TrainingStatus> {
  const course = await ctx.db
    .selectFrom('training_course as c')
    .innerJoin('training_course_version as v', (j) =>
      j.onRef('v.courseCode', '=', 'c.code').onRef('v.version', '=', 'c.currentVersion'),
    )
    .select(['c.code', 'v.titleZh', 'v.titleEn'])
    .where('c.code', '=', courseCode)
    .executeTakeFirst();
  if (course === undefined) throw new AppError('not_found', `There is no training course "${courseCode}".`);
  const latest = (await latestCompletions(ctx.db, { userIds: [userId], courseCodes: [courseCode] })).get(
    `${userId}|${courseCode}`,
  );
  return {
    current: latest !== undefined && latest.expiresAt > now.toISOString(),
    expiresAt: latest?.expiresAt ?? null,
    course: { code: course.code, titleZh: course.titleZh, titleEn: course.titleEn },
  };
}

/** TRN-02: shorthand for `(await trainingStatus(…)).current`. */
export async function isTrainingCurrent(
  ctx: { db: Db },
  userId: string,
  courseCode: string,
  now: Date,
): Promise<boolean> {
  return (await trainingStatus(ctx, userId, courseCode, now)).current;
}

/**
 * The active courses required of a user: assigned to all staff, to one of `roles` (names; the
 * access module resolves which roles a user holds), or to the user directly.
 */
export async function requiredCourseCodes(db: Db, userId: string, roles: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('training_assignment as a')
    .innerJoin('training_course as c', 'c.code', 'a.courseCode')
    .select(['a.courseCode'])
    .where('a.revokedAt', 'is', null)
    .where('c.active', '=', 1)
    .where((eb) =>
      eb.or([
        eb('a.targetKind', '=', 'all'),
        eb.and([eb('a.targetKind', '=', 'user'), eb('a.targetUserId', '=', userId)]),
        ...(roles.length > 0 ? [eb.and([eb('a.targetKind', '=', 'role'), eb('a.targetRole', 'in', roles)])] : []),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.courseCode));
}
