import {
  DATA_FIELDS,
  PURPOSE_LEVEL,
  roleDefinition,
  type ClassifiedField,
  type DataField,
  type DataLevel,
  type FieldAction,
  type Permission,
  type TrainingEvidence,
} from '@medledger/contract';
import { trainingStatus } from '../training/index.js';
import { requireActor, type Actor, type Ctx } from '../../platform/http/ctx.js';
import { requireFieldAccess } from '../../platform/http/field-access.js';
import { trainingAdvice } from './access.roles.js';

/**
 * AC-07 (ABAC): `fields` in clear for the caller, decided by the policy engine from the actor's
 * permissions, their training of each level-4 field's course and the declared purpose; a 403 naming
 * what is missing otherwise (audited by the platform). Returns the level the audit event records.
 */
export async function authorizeFields(
  ctx: Ctx,
  fields: readonly DataField[],
  action: FieldAction,
  context: { purpose?: string | null } = {},
): Promise<{ level: DataLevel }> {
  const actor = requireActor(ctx);
  const training = new Map<string, TrainingEvidence>();
  for (const key of fields) {
    const field: ClassifiedField = DATA_FIELDS[key];
    const permission = action === 'break-glass' ? field.breakGlass : field.clear;
    const course = field.training;
    if (field.level < PURPOSE_LEVEL || course === undefined || permission === undefined || permission === null) {
      continue;
    }
    if (training.has(course) || !actor.permissions.has(permission)) continue;
    const evidence = await trainingEvidence(ctx, actor, permission, course);
    if (evidence !== undefined) training.set(course, evidence);
  }
  return requireFieldAccess(actor, fields, action, { ...context, training });
}

/**
 * Whether `course` is current for the actor, who holds `permission`. When every role of the actor
 * that grants the permission requires the course, resolving the roles for this request has already
 * checked it (a lapsed course suspends the role). Otherwise — the initial administrator's
 * all-permission role, API clients, a role without that course — the completion record decides.
 */
async function trainingEvidence(
  ctx: Ctx,
  actor: Actor,
  permission: Permission,
  course: string,
): Promise<TrainingEvidence | undefined> {
  const roles = actor.roles.map((code) => roleDefinition(code));
  const granting = roles.filter((r) => r?.permissions.includes(permission) === true);
  const verifiedByRoles =
    actor.kind === 'user' &&
    granting.length > 0 &&
    roles.every((r) => r !== undefined) &&
    granting.every((r) => r?.requiresTraining?.includes(course) === true);
  if (verifiedByRoles) return { current: true };
  try {
    const status = await trainingStatus(ctx, actor.id, course, ctx.now);
    return status.current ? { current: true } : { current: false, advice: trainingAdvice(status) };
  } catch {
    return undefined; // no such course: not verified, the engine fails closed
  }
}
