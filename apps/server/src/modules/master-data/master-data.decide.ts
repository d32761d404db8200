import type { DecideChangeInput } from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { loadChange, previousPayload } from './master-data.changes.js';
import { actorOf } from './master-data.common.js';
import { applyParty, rejectFirstParty, type PartyPayload } from './master-data.parties.js';
import { applyProduct, rejectFirstProduct, type ProductPayload } from './master-data.products.js';

/**
 * QA review of a first-business file or a change (GSP arts. 53, 54; GSPI ※5.51 check 3): approve
 * or reject with an electronic signature (GSP-04) that binds the proposed content. Approval puts
 * the version in force; rejection keeps the version in force (a first-business record stays
 * unusable). The decision, its signature and note are kept with the proposal.
 */
export async function decideChange(ctx: Ctx, changeId: string, input: DecideChangeInput) {
  const actor = actorOf(ctx);
  const { row } = await loadChange(ctx, changeId);
  if (row.status !== 'pending') throw new AppError('conflict', `This proposal was already ${row.status}.`);
  if (input.decision === 'reject' && input.note.length < 2) {
    throw new AppError('validation_failed', 'Say why the proposal is rejected.', [
      { path: 'body.note', message: 'required when rejecting' },
    ]);
  }
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const approve = input.decision === 'approve';
  const signature = await sign(ctx, {
    meaning: approve
      ? `质量审核通过 / QA approved ${row.entity} version ${row.version}`
      : `质量审核驳回 / QA rejected ${row.entity} version ${row.version}`,
    subject: { type: `md_${row.entity}`, id: row.entityId },
    recordValue: {
      changeId: row.id,
      entity: row.entity,
      version: row.version,
      payload,
      decision: input.decision,
      note: input.note,
    },
    code: input.code,
  });
  // The version must still be the next one: a concurrent decision of the same proposal loses here.
  const updated = await ctx.db
    .updateTable('md_change')
    .set({
      status: approve ? 'approved' : 'rejected',
      decidedBy: actor.id,
      decidedByName: actor.name,
      decidedAt: ctx.now.toISOString(),
      decisionNote: input.note === '' ? null : input.note,
      signatureId: signature.id,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'This proposal was decided meanwhile.');
  const firstBusiness = Number(row.firstBusiness) === 1;
  if (approve) {
    if (row.entity === 'party') await applyParty(ctx, row.entityId, payload as PartyPayload, row.version, actor.name);
    else await applyProduct(ctx, row.entityId, payload as ProductPayload, row.version, actor.name);
  } else if (firstBusiness && (await previousPayload(ctx, row)) === null) {
    if (row.entity === 'party') await rejectFirstParty(ctx, row.entityId);
    else await rejectFirstProduct(ctx, row.entityId);
  }
  await record(ctx, {
    action: approve ? 'master-data.change.approved' : 'master-data.change.rejected',
    outcome: 'success',
    resource: { type: `md_${row.entity}`, id: row.entityId },
    data: approve
      ? {
          changeId: row.id,
          entity: row.entity,
          entityId: row.entityId,
          version: row.version,
          signatureId: signature.id,
          recordHash: signature.recordHash,
        }
      : {
          changeId: row.id,
          entity: row.entity,
          entityId: row.entityId,
          version: row.version,
          signatureId: signature.id,
        },
    ...(input.note === '' ? {} : { reason: input.note }),
  });
  return changeId;
}

/**
 * `medledger demo` only: puts a synthetic demo record in force without a signature. Refused for any
 * actor but the host's `cli:demo` system actor (a person always signs, GSP-04); the approval names
 * itself as demo data in the decision note and the audit trail.
 */
export async function approveDemoChange(ctx: Ctx, changeId: string): Promise<void> {
  if (ctx.actor?.kind !== 'system' || ctx.actor.name !== 'cli:demo') {
    throw new AppError('forbidden', 'Only `medledger demo` loads demo data.');
  }
  const { row } = await loadChange(ctx, changeId);
  if (row.status !== 'pending') throw new AppError('conflict', `This proposal was already ${row.status}.`);
  const note = '演示数据（medledger demo 载入，无电子签名）/ demo data loaded by medledger demo, not signed';
  await ctx.db
    .updateTable('md_change')
    .set({
      status: 'approved',
      decidedBy: ctx.actor.id,
      decidedByName: ctx.actor.name,
      decidedAt: ctx.now.toISOString(),
      decisionNote: note,
      signatureId: null,
    })
    .where('id', '=', row.id)
    .execute();
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.entity === 'party') await applyParty(ctx, row.entityId, payload as PartyPayload, row.version, ctx.actor.name);
  else await applyProduct(ctx, row.entityId, payload as ProductPayload, row.version, ctx.actor.name);
  await record(ctx, {
    action: 'master-data.change.approved',
    outcome: 'success',
    resource: { type: `md_${row.entity}`, id: row.entityId },
    data: {
      changeId: row.id,
      entity: row.entity,
      entityId: row.entityId,
      version: Number(row.version),
      signatureId: 'none (demo data)',
      recordHash: 'none (demo data)',
    },
    reason: note,
  });
}
