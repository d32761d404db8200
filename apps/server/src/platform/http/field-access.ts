import {
  decideFieldsAccess,
  type DataField,
  type DataLevel,
  type FieldAction,
  type FieldDecision,
  type FieldDenial,
  type TrainingEvidence,
} from '@medledger/contract';
import type { ErrorCode } from '@medledger/contract';
import { AppError } from '../errors.js';
import type { Actor } from './ctx.js';

/** The error each denial of the AC-07 policy engine answers with (all 403). */
export const FIELD_DENIAL_CODES: Readonly<Record<FieldDenial, ErrorCode>> = {
  never_in_clear: 'forbidden',
  permission_missing: 'forbidden',
  permission_suspended: 'training_required',
  training_lapsed: 'training_required',
  training_unverified: 'training_required',
  purpose_missing: 'purpose_required',
  purpose_too_short: 'purpose_required',
};

/** The AC-07 decision for `actor` on `fields` (no throw): the subject is the actor's attributes. */
export function fieldDecision(
  actor: Actor,
  fields: readonly DataField[],
  action: FieldAction,
  context: { purpose?: string | null; training?: ReadonlyMap<string, TrainingEvidence> } = {},
): FieldDecision {
  return decideFieldsAccess(
    {
      permissions: actor.permissions,
      ...(actor.suspended === undefined ? {} : { suspended: actor.suspended }),
      ...(context.training === undefined ? {} : { training: context.training }),
      ...(context.purpose === undefined ? {} : { purpose: context.purpose }),
    },
    fields,
    action,
  );
}

/**
 * AC-07: `fields` in clear for `actor`, or a 403 whose message says what is missing (permission,
 * training naming the course, purpose); the platform audits the refusal. Returns the level the
 * caller's audit event records. Without `training`, level-4 fields fail closed: only the access
 * module establishes training (see its `authorizeFields`).
 */
export function requireFieldAccess(
  actor: Actor,
  fields: readonly DataField[],
  action: FieldAction,
  context: { purpose?: string | null; training?: ReadonlyMap<string, TrainingEvidence> } = {},
): { level: DataLevel } {
  const decision = fieldDecision(actor, fields, action, context);
  if (!decision.allow) throw new AppError(FIELD_DENIAL_CODES[decision.reason], decision.message);
  return { level: decision.level };
}
