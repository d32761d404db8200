import {
  BREAK_GLASS_MAX_MINUTES,
  BREAK_GLASS_REVIEW_HOURS,
  type BreakGlassGrantView,
  type BreakGlassRequestInput,
  type BreakGlassReviewInput,
  type UsageRecordView,
} from '@medledger/contract';
import { authorizeFields, usersWithPermission } from '../access/index.js';
import { record } from '../audit/index.js';
import { notifyUser } from '../identity/index.js';
import { AppError } from '../../platform/errors.js';
import { systemCtx, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Runtime } from '../../platform/runtime.js';
import { actorOf, maskIdNumber, PATIENT_FIELDS, patientIdIndex } from './clinical.common.js';
import type { ClBreakGlassTable } from './clinical.tables.js';
import { currentVersion, rowsForGrant, usageView } from './clinical.usage.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

function grantView(ctx: Pick<Ctx, 'now'>, g: ClBreakGlassTable): BreakGlassGrantView {
  const now = ctx.now.getTime();
  const left = Math.max(0, Math.floor((Date.parse(g.expiresAt) - now) / 1000));
  return {
    id: g.id,
    userId: g.userId,
    userName: g.userName,
    reason: g.reason,
    target: g.target,
    recordId: g.recordId,
    patientIdMasked: g.patientIdMasked,
    grantedAt: g.grantedAt,
    expiresAt: g.expiresAt,
    minutes: Number(g.minutes),
    active: now < Date.parse(g.expiresAt),
    secondsLeft: left,
    reads: Number(g.reads),
    review: {
      status: g.reviewStatus,
      dueAt: g.reviewDueAt,
      overdue: g.reviewStatus === 'open' && now >= Date.parse(g.reviewDueAt),
      escalatedAt: g.escalatedAt,
      decision: g.reviewDecision,
      comment: g.reviewComment,
      reviewedByName: g.reviewedByName,
      reviewedAt: g.reviewedAt,
    },
  };
}

/**
 * AC-10: emergency access outside one's scope. The reason is required (checked by the schema), the
 * grant ends by itself after at most {@link BREAK_GLASS_MAX_MINUTES} minutes, the security
 * administrators are notified at once, and a review is due within {@link BREAK_GLASS_REVIEW_HOURS} h.
 */
export async function requestBreakGlass(ctx: Ctx, input: BreakGlassRequestInput): Promise<BreakGlassGrantView> {
  const actor = actorOf(ctx);
  if ((input.recordId === undefined) === (input.patientIdNumber === undefined)) {
    throw new AppError('validation_failed', 'Choose either one usage record or one patient.', [
      { path: 'body.recordId', message: 'give exactly one of recordId and patientIdNumber' },
    ]);
  }
  let recordId: string | null = null;
  let subject: string;
  let idMasked: string | null = null;
  if (input.recordId !== undefined) {
    const row = await currentVersion(ctx, input.recordId);
    if (row === undefined) throw new AppError('not_found', 'No such usage record.');
    recordId = row.recordId;
    subject = row.patientIdIndex;
  } else {
    const idNumber = input.patientIdNumber!.toUpperCase();
    subject = patientIdIndex(ctx, idNumber);
    idMasked = maskIdNumber(idNumber);
  }
  const minutes = Math.min(input.minutes ?? BREAK_GLASS_MAX_MINUTES, BREAK_GLASS_MAX_MINUTES);
  const id = uuidv7(ctx.now.getTime());
  const grant: ClBreakGlassTable = {
    id,
    userId: actor.id,
    userName: actor.name,
    reason: input.reason,
    target: recordId === null ? 'patient' : 'record',
    recordId,
    patientIdIndex: recordId === null ? subject : null,
    patientIdMasked: idMasked,
    minutes,
    grantedAt: ctx.now.toISOString(),
    expiresAt: new Date(ctx.now.getTime() + minutes * MINUTE).toISOString(),
    reads: 0,
    reviewDueAt: new Date(ctx.now.getTime() + BREAK_GLASS_REVIEW_HOURS * HOUR).toISOString(),
    reviewStatus: 'open',
    escalatedAt: null,
    reviewDecision: null,
    reviewComment: null,
    reviewedBy: null,
    reviewedByName: null,
    reviewedAt: null,
  };
  await ctx.db.insertInto('cl_break_glass').values(grant).execute();
  const recipients = (await usersWithPermission(ctx.db, 'clinical.breakGlass.review')).filter((u) => u !== actor.id);
  for (const userId of recipients) {
    await notifyUser(ctx, userId, 'break_glass_used', {
      grantId: id,
      user: actor.name,
      minutes,
      expiresAt: grant.expiresAt,
    });
  }
  await record(ctx, {
    action: 'clinical.breakGlass.granted',
    outcome: 'success',
    reason: input.reason,
    resource: { type: 'cl_break_glass', id },
    data: {
      grantId: id,
      target: grant.target,
      recordId,
      subject,
      minutes,
      expiresAt: grant.expiresAt,
      notified: recipients.length,
    },
  });
  return grantView(ctx, grant);
}

/** The caller's own grant; another person's answers 404 like a missing one. */
async function ownGrant(ctx: Ctx, id: string): Promise<ClBreakGlassTable> {
  const g = await ctx.db.selectFrom('cl_break_glass').selectAll().where('id', '=', id).executeTakeFirst();
  if (g === undefined || g.userId !== actorOf(ctx).id) throw new AppError('not_found', 'No such break-glass grant.');
  return g;
}

/** The caller's grants, newest first. */
export async function myGrants(ctx: Ctx): Promise<BreakGlassGrantView[]> {
  const rows = await ctx.db
    .selectFrom('cl_break_glass')
    .selectAll()
    .where('userId', '=', actorOf(ctx).id)
    .orderBy('grantedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((g) => grantView(ctx, g));
}

/**
 * AC-10: the records a live grant covers, patient identifiers in clear. Refused once the grant has
 * ended (the server clock decides); every read is audited with the grant id.
 */
export async function readUnderGrant(
  ctx: Ctx,
  id: string,
): Promise<{ grant: BreakGlassGrantView; records: UsageRecordView[] }> {
  const g = await ownGrant(ctx, id);
  if (ctx.now.getTime() >= Date.parse(g.expiresAt)) {
    throw new AppError(
      'forbidden',
      `This break-glass grant ended at ${g.expiresAt}; request a new one with a reason if the emergency continues.`,
    );
  }
  // AC-07: the same policy engine as the reveal, the grant's reason being the declared purpose.
  const { level } = await authorizeFields(ctx, PATIENT_FIELDS, 'break-glass', { purpose: g.reason });
  const rows = await rowsForGrant(ctx, g);
  const records: UsageRecordView[] = [];
  for (const row of rows) records.push(await usageView(ctx, row, 'clear'));
  await ctx.db
    .updateTable('cl_break_glass')
    .set((eb) => ({ reads: eb('reads', '+', 1) }))
    .where('id', '=', id)
    .execute();
  await record(ctx, {
    action: 'clinical.breakGlass.read',
    outcome: 'success',
    reason: g.reason,
    resource: { type: 'cl_break_glass', id },
    data: { grantId: id, level, recordIds: records.map((r) => r.id).slice(0, 200) },
  });
  return { grant: grantView(ctx, { ...g, reads: Number(g.reads) + 1 }), records };
}

/** The security administrator's queue: open reviews first (overdue flagged), then closed ones. */
export async function reviewQueue(ctx: Ctx, state: 'open' | 'closed' | undefined): Promise<BreakGlassGrantView[]> {
  let q = ctx.db.selectFrom('cl_break_glass').selectAll();
  if (state !== undefined) q = q.where('reviewStatus', '=', state);
  const rows = await q.orderBy('reviewStatus', 'desc').orderBy('reviewDueAt').orderBy('id').limit(500).execute();
  return rows.map((g) => grantView(ctx, g));
}

/** AC-10: closes a review with a decision and comment; never by the person who used the grant. */
export async function reviewGrant(ctx: Ctx, id: string, input: BreakGlassReviewInput): Promise<BreakGlassGrantView> {
  const actor = actorOf(ctx);
  const g = await ctx.db.selectFrom('cl_break_glass').selectAll().where('id', '=', id).executeTakeFirst();
  if (g === undefined) throw new AppError('not_found', 'No such break-glass grant.');
  if (g.userId === actor.id) {
    throw new AppError('forbidden', 'A break-glass grant is reviewed by someone else: you used this one.');
  }
  if (g.reviewStatus !== 'open') throw new AppError('conflict', 'This break-glass grant has already been reviewed.');
  const now = ctx.now.toISOString();
  const changed = await ctx.db
    .updateTable('cl_break_glass')
    .set({
      reviewStatus: 'closed',
      reviewDecision: input.decision,
      reviewComment: input.comment,
      reviewedBy: actor.id,
      reviewedByName: actor.name,
      reviewedAt: now,
    })
    .where('id', '=', id)
    .where('reviewStatus', '=', 'open')
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) {
    throw new AppError('conflict', 'This break-glass grant has already been reviewed.');
  }
  await record(ctx, {
    action: 'clinical.breakGlass.reviewed',
    outcome: 'success',
    reason: input.comment,
    resource: { type: 'cl_break_glass', id },
    data: { grantId: id, decision: input.decision, requestedBy: g.userId },
  });
  const updated = await ctx.db.selectFrom('cl_break_glass').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return grantView(ctx, updated);
}

/**
 * AC-10 the hourly job: reviews still open after {@link BREAK_GLASS_REVIEW_HOURS} hours are flagged
 * overdue and escalated once — the security administrators are reminded and the audit
 * administrators (the next level, who oversee them) are told; each escalation is audited.
 */
export async function escalateOverdueReviews(runtime: Runtime): Promise<{ escalated: number }> {
  const base = systemCtx(runtime, 'clinical break-glass review escalation');
  return runtime.db.transaction().execute(async (db) => {
    const ctx = { ...base, db };
    const now = ctx.now.toISOString();
    const overdue = await db
      .selectFrom('cl_break_glass')
      .selectAll()
      .where('reviewStatus', '=', 'open')
      .where('reviewDueAt', '<=', now)
      .where('escalatedAt', 'is', null)
      .orderBy('reviewDueAt')
      .execute();
    if (overdue.length === 0) return { escalated: 0 };
    const recipients = [
      ...new Set([
        ...(await usersWithPermission(db, 'clinical.breakGlass.review')),
        ...(await usersWithPermission(db, 'audit.event.read')),
      ]),
    ];
    for (const g of overdue) {
      await db
        .updateTable('cl_break_glass')
        .set({ escalatedAt: now })
        .where('id', '=', g.id)
        .where('escalatedAt', 'is', null)
        .execute();
      for (const userId of recipients) {
        if (userId === g.userId) continue;
        await notifyUser(ctx, userId, 'break_glass_review_overdue', {
          grantId: g.id,
          user: g.userName,
          dueAt: g.reviewDueAt,
        });
      }
      await record(ctx, {
        action: 'clinical.breakGlass.escalated',
        outcome: 'success',
        resource: { type: 'cl_break_glass', id: g.id },
        data: { grantId: g.id, dueAt: g.reviewDueAt, notified: recipients.filter((u) => u !== g.userId).length },
      });
    }
    return { escalated: overdue.length };
  });
}
