import {
  AuditEventDetailResponse,
  AuditSearchQuery,
  AuditSearchResponse,
  AuditStatusResponse,
  MyPersonalDataAccessResponse,
  PERSONAL_DATA_ACCESS_ACTIONS,
  type AuditEventView,
} from '@medledger/contract';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http/ctx.js';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import type { AuditEvent } from './audit.record.js';
import { inclusionProof } from './audit.merkle.js';
import { nodeSource } from './audit.export.js';
import * as repo from './audit.repo.js';

function toView(canonical: string, index: number | null): AuditEventView {
  const e = JSON.parse(canonical) as AuditEvent;
  return {
    index,
    id: e.id,
    at: e.at,
    action: e.action,
    outcome: e.outcome,
    reason: e.reason,
    actor: e.actor === null ? null : { kind: e.actor.kind, id: e.actor.id, name: e.actor.name, roles: e.actor.roles },
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    resource: e.resource,
    data: e.data,
    changes: e.changes,
  };
}

export const auditRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/audit/my-personal-data',
    signedIn: true,
    summary: 'LOG-11: who saw or changed your own personal data (the latest 100), from the audit trail',
    response: MyPersonalDataAccessResponse,
    handler: async (ctx) => {
      const me = requireActor(ctx).id;
      const rows = await ctx.db
        .selectFrom('audit_index as i')
        .innerJoin('audit_event as e', 'e.seq', 'i.seq')
        .select(['e.canonical'])
        .where('i.resourceType', '=', 'user_account')
        .where('i.resourceId', '=', me)
        .where('i.action', 'in', [...PERSONAL_DATA_ACCESS_ACTIONS])
        .where('i.outcome', '=', 'success')
        .where((eb) => eb.or([eb('i.actorId', 'is', null), eb('i.actorId', '!=', me)]))
        .orderBy('i.seq', 'desc')
        .limit(100)
        .execute();
      return {
        events: rows.map((r) => {
          const e = JSON.parse(r.canonical) as AuditEvent;
          const data = e.data as { fields?: unknown; purpose?: unknown };
          return {
            at: e.at,
            action: e.action as (typeof PERSONAL_DATA_ACCESS_ACTIONS)[number],
            actor: e.actor === null ? null : { id: e.actor.id, name: e.actor.name },
            fields: Array.isArray(data.fields) ? data.fields.filter((f): f is string => typeof f === 'string') : [],
            purpose: typeof data.purpose === 'string' ? data.purpose : null,
          };
        }),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/events',
    permission: 'audit.event.read',
    summary: 'Search the audit trail by actor, action, outcome, resource and time',
    query: AuditSearchQuery,
    response: AuditSearchResponse,
    handler: async (ctx, { query }) => {
      const limit = Math.min(Math.max(Number(query.limit ?? '50'), 1), 200);
      // Sealed events only: the search columns are written by the sealer, within about a second.
      let q = ctx.db
        .selectFrom('audit_index as i')
        .innerJoin('audit_event as e', 'e.seq', 'i.seq')
        .innerJoin('audit_leaf as l', 'l.eventSeq', 'i.seq')
        .select(['i.seq', 'e.canonical', 'l.leafIndex'])
        .orderBy('i.seq', 'desc')
        .limit(limit + 1);
      if (query.actor !== undefined) {
        const actor = query.actor;
        q = q.where((eb) => eb.or([eb('i.actorId', '=', actor), eb('i.actorName', '=', actor)]));
      }
      if (query.action !== undefined) q = q.where('i.action', '=', query.action);
      if (query.outcome !== undefined) q = q.where('i.outcome', '=', query.outcome);
      if (query.resourceType !== undefined) q = q.where('i.resourceType', '=', query.resourceType);
      if (query.resourceId !== undefined) q = q.where('i.resourceId', '=', query.resourceId);
      if (query.from !== undefined) q = q.where('i.at', '>=', new Date(query.from).toISOString());
      if (query.to !== undefined) q = q.where('i.at', '<', new Date(query.to).toISOString());
      if (query.before !== undefined) q = q.where('i.seq', '<', Number(query.before));
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      return {
        events: page.map((r) => toView(r.canonical, r.leafIndex === null ? null : Number(r.leafIndex))),
        nextBefore: rows.length > limit ? String(page.at(-1)!.seq) : null,
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/events/:id',
    permission: 'audit.event.read',
    summary: 'One audit event with its canonical bytes and inclusion proof',
    params: z.strictObject({ id: z.uuid() }),
    response: AuditEventDetailResponse,
    handler: async (ctx, { params }) => {
      const row = await ctx.db
        .selectFrom('audit_event as e')
        .leftJoin('audit_leaf as l', 'l.eventSeq', 'e.seq')
        .select(['e.canonical', 'l.leafIndex', 'l.leafHash'])
        .where('e.id', '=', params.id)
        .executeTakeFirst();
      if (row === undefined) throw new AppError('not_found', 'No audit event has this id.');
      const index = row.leafIndex === null ? null : Number(row.leafIndex);
      const checkpoint = await repo.latestCheckpoint(ctx.db);
      let proof: AuditEventDetailResponse['proof'] = null;
      if (index !== null && checkpoint !== undefined && index < Number(checkpoint.treeSize)) {
        const size = Number(checkpoint.treeSize);
        const hashes = await inclusionProof(nodeSource(ctx.db), index, size);
        proof = {
          treeSize: size,
          rootHash: checkpoint.rootHash,
          checkpoint: checkpoint.note,
          hashes: hashes.map((h) => h.toString('hex')),
        };
      }
      return {
        event: toView(row.canonical, index),
        canonical: row.canonical,
        leafHash: row.leafHash,
        proof,
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/status',
    permission: 'audit.event.read',
    summary: 'Tree size, latest checkpoint and latest verification result',
    response: AuditStatusResponse,
    handler: async (ctx) => {
      const [size, unsealed, checkpoint, verification] = await Promise.all([
        repo.treeSize(ctx.db),
        repo.countUnsealed(ctx.db),
        repo.latestCheckpoint(ctx.db),
        repo.latestVerification(ctx.db),
      ]);
      return {
        treeSize: size,
        unsealed,
        latestCheckpoint:
          checkpoint === undefined
            ? null
            : { treeSize: Number(checkpoint.treeSize), rootHash: checkpoint.rootHash, at: checkpoint.createdAt },
        lastVerification:
          verification === undefined
            ? null
            : {
                at: verification.at,
                ok: verification.ok === 1,
                treeSize: Number(verification.treeSize),
                firstBadIndex: verification.firstBadIndex === null ? null : Number(verification.firstBadIndex),
                problems: JSON.parse(verification.problems) as string[],
                trigger: verification.trigger,
              },
        publicKey: ctx.runtime.audit.signer.publicKey.toString('base64'),
        origin: ctx.runtime.audit.origin,
      };
    },
  }),
];
