import { AUDIT_EVENTS, type AuditAction, type AuditEventData, type AuditOutcome } from '@medledger/contract';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { canonicalJson } from './audit.canonical.js';
import { leafHashOf } from './audit.merkle.js';
import { insertEvent } from './audit.repo.js';

/** A changed field. Sensitive values are never stored: only the fact that they changed. */
export type AuditChange = { field: string; before?: unknown; after?: unknown; sensitive?: boolean };

export type AuditInput<A extends AuditAction = AuditAction> = {
  action: A;
  outcome: AuditOutcome;
  reason?: string;
  resource?: { type: string; id: string };
  data?: AuditEventData<A>;
  changes?: AuditChange[];
};

/** The canonical event: what is hashed into the tree and shown to auditors (LOG-02 fields). */
export type AuditEvent = {
  v: 1;
  id: string;
  at: string;
  action: string;
  outcome: AuditOutcome;
  reason: string | null;
  actor: {
    kind: string;
    id: string;
    name: string;
    roles: string[];
    sessionHash: string | null;
    authMethod: string | null;
  } | null;
  ip: string;
  userAgent: string;
  requestId: string;
  resource: { type: string; id: string } | null;
  data: Record<string, unknown>;
  changes: { field: string; before: unknown; after: unknown }[];
};

const SECRET_KEY = /pass(word|phrase)?|secret|token|otp|totp|recovery_?code|private_?key/i;
// Bounded by anything but ASCII letters and digits: a number inside Chinese text or after "tel:" is
// found, while a digit run inside a hex digest or UUID (e.g. a backup's SHA-256) is not a number.
const ID_NUMBER = /(^|[^0-9A-Za-z])\d{17}[\dXx]([^0-9A-Za-z]|$)/;
const MOBILE = /(^|[^0-9A-Za-z])1[3-9]\d{9}([^0-9A-Za-z]|$)/;

/**
 * LOG-02: an event never carries credentials, one-time codes, tokens, full ID numbers or phone
 * numbers. A violation is a programming error; the write fails (and with it the business change).
 */
function assertNoSecrets(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (ID_NUMBER.test(value) || MOBILE.test(value)) {
      throw new Error(`audit event field ${path} looks like an ID or phone number; mask it before recording`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoSecrets(v, `${path}.${i}`));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) throw new Error(`audit event field ${path}.${k} would record a secret`);
      assertNoSecrets(v, `${path}.${k}`);
    }
  }
}

/** Builds the event and its canonical bytes; validates `data` against the catalogue. */
export function buildEvent(
  ctx: Pick<Ctx, 'actor' | 'now' | 'ip' | 'userAgent' | 'requestId'>,
  input: AuditInput,
): {
  event: AuditEvent;
  canonical: string;
} {
  const spec = AUDIT_EVENTS[input.action];
  const data = spec.data.parse(input.data ?? {}) as Record<string, unknown>;
  const changes = (input.changes ?? []).map((c) =>
    c.sensitive === true
      ? { field: c.field, before: '[masked]', after: '[masked]' }
      : { field: c.field, before: c.before ?? null, after: c.after ?? null },
  );
  const actor = ctx.actor;
  const event: AuditEvent = {
    v: 1,
    id: uuidv7(ctx.now.getTime()),
    at: ctx.now.toISOString(),
    action: input.action,
    outcome: input.outcome,
    reason: input.reason ?? null,
    actor:
      actor === null
        ? null
        : {
            kind: actor.kind,
            id: actor.id,
            name: actor.name,
            roles: [...actor.roles],
            sessionHash: actor.sessionHash ?? null,
            authMethod: actor.authMethod ?? null,
          },
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    resource: input.resource ?? null,
    data,
    changes,
  };
  assertNoSecrets(event.data, 'data');
  assertNoSecrets(event.changes, 'changes');
  assertNoSecrets(event.reason, 'reason');
  return { event, canonical: canonicalJson(event) };
}

/** What recording needs from a context: who, when, from where, and the executor. */
export type AuditCtx = Pick<Ctx, 'actor' | 'now' | 'ip' | 'userAgent' | 'requestId' | 'runtime' | 'db'>;

async function write(ctx: AuditCtx, input: AuditInput): Promise<string> {
  const { event, canonical } = buildEvent(ctx, input);
  await insertEvent(
    ctx.db,
    { id: event.id, canonical, mac: ctx.runtime.audit.mac(leafHashOf(canonical)) },
    ctx.runtime.sqlite,
  );
  return event.id;
}

/**
 * Records an audit event in the caller's transaction (LOG-07: if this fails, the business change
 * rolls back with it). Returns the event id.
 */
export async function record<A extends AuditAction>(ctx: AuditCtx, input: AuditInput<A>): Promise<string | null> {
  if (ctx.runtime.audit.disabledForBenchmark === true) return null;
  return write(ctx, input);
}

/**
 * Records an event in its own transaction, independent of the caller's: for denials, failures and
 * integrity alerts, which must survive the rollback of the request that caused them.
 */
export async function recordDetached<A extends AuditAction>(
  ctx: Omit<AuditCtx, 'db'>,
  input: AuditInput<A>,
): Promise<string> {
  return ctx.runtime.db.transaction().execute((tx) => write({ ...ctx, db: tx }, input));
}
