import { TRAINING_REMINDER_DAYS } from '@medledger/contract';
import { record } from '../audit/index.js';
import { notifyUser } from '../identity/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { latestCompletions } from './training.status.js';

/**
 * TRN-01/TRN-02: tells each active user whose training expires within
 * {@link TRAINING_REMINDER_DAYS} days (`training_due`), or has expired (`training_expired`), once
 * per completion and kind. Only the completion with the latest expiry counts, so renewing stops
 * the reminders. Each reminder in its own transaction, audited. Returns how many were sent.
 * The composition root runs it at start-up and every hour.
 */
export async function sendTrainingReminders(ctx: Ctx): Promise<number> {
  const horizon = new Date(ctx.now.getTime() + TRAINING_REMINDER_DAYS * 86_400_000).toISOString();
  const at = ctx.now.toISOString();
  const candidates = await ctx.db
    .selectFrom('training_completion as t')
    .innerJoin('user_account as u', 'u.id', 't.userId')
    .innerJoin('training_course as c', 'c.code', 't.courseCode')
    .select(['t.userId', 't.courseCode'])
    .where('t.expiresAt', '<=', horizon)
    .where('u.status', '=', 'active')
    .where('c.active', '=', 1)
    .distinct()
    .execute();
  if (candidates.length === 0) return 0;
  const latest = await latestCompletions(ctx.db, {
    userIds: [...new Set(candidates.map((c) => c.userId))],
    courseCodes: [...new Set(candidates.map((c) => c.courseCode))],
  });
  let sent = 0;
  for (const { userId, courseCode } of candidates) {
    const facts = latest.get(`${userId}|${courseCode}`);
    if (facts === undefined || facts.expiresAt > horizon) continue;
    const completion = await ctx.db
      .selectFrom('training_completion')
      .select('id')
      .where('userId', '=', userId)
      .where('courseCode', '=', courseCode)
      .where('expiresAt', '=', facts.expiresAt)
      .executeTakeFirstOrThrow();
    const kind = facts.expiresAt <= at ? 'expired' : 'due';
    const done = await ctx.db.transaction().execute(async (tx) => {
      const seen = await tx
        .selectFrom('training_reminder')
        .select('id')
        .where('completionId', '=', completion.id)
        .where('kind', '=', kind)
        .executeTakeFirst();
      if (seen !== undefined) return false;
      await tx
        .insertInto('training_reminder')
        .values({ id: uuidv7(ctx.now.getTime()), completionId: completion.id, kind, sentAt: at })
        .execute();
      const txCtx = { ...ctx, db: tx };
      await notifyUser(txCtx, userId, kind === 'due' ? 'training_due' : 'training_expired', {
        courseCode,
        expiresOn: facts.expiresAt.slice(0, 10),
      });
      await record(txCtx, {
        action: 'training.reminder.sent',
        outcome: 'success',
        resource: { type: 'user_account', id: userId },
        data: { courseCode, kind, expiresAt: facts.expiresAt },
      });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}
