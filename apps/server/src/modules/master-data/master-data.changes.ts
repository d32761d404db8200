import type { ChangeView } from '@medledger/contract';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, changedFields, parseJsonArray } from './master-data.common.js';
import type { MdChangeTable } from './master-data.tables.js';

export type Entity = MdChangeTable['entity'];
type Payload = Record<string, unknown>;

/** The content of the version in force (the latest approved change), or null before the first approval. */
export async function approvedPayload(ctx: Pick<Ctx, 'db'>, entityId: string): Promise<Payload | null> {
  const row = await ctx.db
    .selectFrom('md_change')
    .select('payload')
    .where('entityId', '=', entityId)
    .where('status', '=', 'approved')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.payload) as Payload);
}

/** The id of the change waiting for QA on this record, if any. */
export async function pendingChangeIds(
  ctx: Pick<Ctx, 'db'>,
  entityIds: readonly string[],
): Promise<Map<string, string>> {
  if (entityIds.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('md_change')
    .select(['id', 'entityId'])
    .where('status', '=', 'pending')
    .where('entityId', 'in', entityIds)
    .execute();
  return new Map(rows.map((r) => [r.entityId, r.id]));
}

/**
 * Files a proposed version for QA: a first-business file (首营) or a change to a record in force.
 * Only one proposal per record may wait at a time; the version number comes from the server, and
 * a concurrent second proposal fails on the unique (record, version) index.
 */
export async function fileChange(
  ctx: Ctx,
  input: {
    entity: Entity;
    entityId: string;
    code: string;
    firstBusiness: boolean;
    payload: Payload;
    reason: string;
    /** The spreadsheet import filing it, if any. */
    importId?: string | undefined;
  },
): Promise<string> {
  const actor = actorOf(ctx);
  const pending = await pendingChangeIds(ctx, [input.entityId]);
  if (pending.size > 0) {
    throw new AppError(
      'conflict',
      'A proposed change of this record is already waiting for QA review; approve or reject it first.',
    );
  }
  const last = await ctx.db
    .selectFrom('md_change')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('entityId', '=', input.entityId)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const previous = input.firstBusiness ? null : await approvedPayload(ctx, input.entityId);
  const fields = changedFields(previous, input.payload);
  if (fields.length === 0) throw new AppError('validation_failed', 'Nothing differs from the version in force.');
  const id = uuidv7(ctx.now.getTime());
  await ctx.db
    .insertInto('md_change')
    .values({
      id,
      entity: input.entity,
      entityId: input.entityId,
      version,
      firstBusiness: input.firstBusiness ? 1 : 0,
      payload: JSON.stringify(input.payload),
      changedFields: JSON.stringify(fields),
      reason: input.reason,
      status: 'pending',
      requestedBy: actor.id,
      requestedByName: actor.name,
      requestedAt: ctx.now.toISOString(),
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      decisionNote: null,
      signatureId: null,
      importId: input.importId ?? null,
    })
    .execute();
  await record(ctx, {
    action: 'master-data.change.proposed',
    outcome: 'success',
    resource: { type: `md_${input.entity}`, id: input.entityId },
    data: {
      changeId: id,
      entity: input.entity,
      entityId: input.entityId,
      code: input.code,
      version,
      firstBusiness: input.firstBusiness,
      changedFields: fields,
    },
  });
  return id;
}

type ChangeRow = MdChangeTable & { entityCode: string | null; entityName: string | null };

function changeQuery(ctx: Pick<Ctx, 'db'>) {
  return ctx.db
    .selectFrom('md_change as c')
    .leftJoin('md_party as p', (j) => j.onRef('p.id', '=', 'c.entityId').on('c.entity', '=', 'party'))
    .leftJoin('md_product as d', (j) => j.onRef('d.id', '=', 'c.entityId').on('c.entity', '=', 'product'))
    .selectAll('c')
    .select((eb) => [
      eb.fn.coalesce('p.code', 'd.code').as('entityCode'),
      eb.fn.coalesce('p.name', 'd.name').as('entityName'),
    ]);
}

function toView(row: ChangeRow): ChangeView {
  return {
    id: row.id,
    entity: row.entity,
    entityId: row.entityId,
    entityCode: row.entityCode ?? '',
    entityName: row.entityName ?? '',
    version: Number(row.version),
    firstBusiness: Number(row.firstBusiness) === 1,
    reason: row.reason,
    status: row.status,
    requestedByName: row.requestedByName,
    requestedAt: row.requestedAt,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    signatureId: row.signatureId,
    changedFields: parseJsonArray(row.changedFields),
  };
}

/** The QA inbox and record histories: proposals filtered by status, kind and record, newest first. */
export async function listChanges(
  ctx: Ctx,
  filter: { status?: ChangeView['status'] | undefined; entity?: Entity | undefined; entityId?: string | undefined },
): Promise<ChangeView[]> {
  let q = changeQuery(ctx);
  if (filter.status !== undefined) q = q.where('c.status', '=', filter.status);
  if (filter.entity !== undefined) q = q.where('c.entity', '=', filter.entity);
  if (filter.entityId !== undefined) q = q.where('c.entityId', '=', filter.entityId);
  const rows = await q.orderBy('c.requestedAt', 'desc').orderBy('c.version', 'desc').limit(500).execute();
  return rows.map(toView);
}

/** One proposal with its content and the content it would replace. */
export async function loadChange(ctx: Ctx, id: string): Promise<{ row: MdChangeTable; view: ChangeView }> {
  const row = await changeQuery(ctx).where('c.id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such master-data change.');
  return { row, view: toView(row) };
}

/** The version in force before `change` (the latest approved version with a lower number). */
export async function previousPayload(ctx: Pick<Ctx, 'db'>, change: MdChangeTable): Promise<Payload | null> {
  const row = await ctx.db
    .selectFrom('md_change')
    .select('payload')
    .where('entityId', '=', change.entityId)
    .where('status', '=', 'approved')
    .where('version', '<', change.version)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.payload) as Payload);
}

/**
 * One proposal for review: its content and the content in force before it, with representatives'
 * ID numbers masked (AC-03).
 */
export async function changeDetail(ctx: Ctx, id: string, mask: (letterId: string) => Promise<string>) {
  const { row, view } = await loadChange(ctx, id);
  const withMasks = async (payload: Payload | null): Promise<Payload | null> => {
    if (payload === null) return null;
    const reps = payload.repAuthorisations;
    if (!Array.isArray(reps)) return payload;
    const masked = [];
    for (const rep of reps as { id: string }[]) masked.push({ ...rep, idNumberMasked: await mask(rep.id) });
    return { ...payload, repAuthorisations: masked };
  };
  return {
    ...view,
    proposed: (await withMasks(JSON.parse(row.payload) as Payload))!,
    previous: await withMasks(await previousPayload(ctx, row)),
  };
}
