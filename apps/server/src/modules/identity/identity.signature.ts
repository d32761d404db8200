import { createHash } from 'node:crypto';
import { canonicalJson, record } from '../audit/index.js';
import { open } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { sql } from 'kysely';
import { endSession } from './identity.sessions.js';
import { checkTotp } from './identity.totp.js';

/** SESS-09: sensitive operations need an authentication no older than this. */
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;

const BAD_CODE = 'The code is not valid. Enter the current code from your authenticator app.';

function signedInUser(ctx: Ctx): { id: string; sessionId: string } {
  if (ctx.actor?.kind !== 'user' || ctx.session === null || ctx.session.stage !== 'complete') {
    throw new AppError('unauthenticated', 'Sign in to continue.');
  }
  return { id: ctx.actor.id, sessionId: ctx.session.id };
}

/**
 * ATK-MFA-2: a wrong re-authentication code (step-up or e-signature) counts on the session once the
 * request has rolled back; the fifth ends the session.
 */
function wrongCode(ctx: Ctx, sessionId: string): AppError {
  const error = new AppError('step_up_required', BAD_CODE);
  const { runtime, now } = ctx;
  error.afterRollback = async () => {
    const row = await runtime.db
      .updateTable('auth_session')
      .set({ mfaFailures: sql<number>`"mfaFailures" + 1` })
      .where('id', '=', sessionId)
      .returning(['mfaFailures'])
      .executeTakeFirst();
    if (row !== undefined && Number(row.mfaFailures) >= 5) {
      await endSession(runtime.db, sessionId, now, 'too many wrong codes');
    }
  };
  return error;
}

/**
 * Re-authentication with the authenticator app: the code is checked (single use, like at sign-in)
 * and the session's authentication time moves to now. Used by `stepUp` and by e-signatures.
 */
async function reauthenticate(ctx: Ctx, code: string): Promise<void> {
  const user = signedInUser(ctx);
  const factor = await ctx.db
    .selectFrom('mfa_totp')
    .select(['secretSealed', 'lastStep', 'confirmedAt'])
    .where('userId', '=', user.id)
    .executeTakeFirst();
  if (factor === undefined || factor.confirmedAt === null) {
    throw new AppError('step_up_required', 'Set up an authenticator app first.');
  }
  const secret = await open(ctx, { table: 'mfa_totp', column: 'secretSealed', rowId: user.id }, factor.secretSealed);
  const check = checkTotp(secret, code, ctx.now, Number(factor.lastStep));
  if (!check.ok) throw wrongCode(ctx, user.sessionId);
  const claimed = await ctx.db
    .updateTable('mfa_totp')
    .set({ lastStep: check.step })
    .where('userId', '=', user.id)
    .where('lastStep', '<', check.step)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw wrongCode(ctx, user.sessionId);
  await ctx.db
    .updateTable('auth_session')
    .set({ authenticatedAt: ctx.now.toISOString(), reauthMethod: 'totp' })
    .where('id', '=', user.sessionId)
    .execute();
}

/** A passkey confirmation stands for one signature within this long. */
export const PASSKEY_SIGNING_WINDOW_MS = 2 * 60_000;

/**
 * GSP-04 for accounts that confirm with a passkey: a passkey step-up from the last two minutes is
 * used up by exactly one signature (a conditional update, so two requests cannot share it).
 */
async function consumePasskeyConfirmation(ctx: Ctx): Promise<void> {
  const user = signedInUser(ctx);
  const since = new Date(ctx.now.getTime() - PASSKEY_SIGNING_WINDOW_MS).toISOString();
  const used = await ctx.db
    .updateTable('auth_session')
    .set({ reauthMethod: null })
    .where('id', '=', user.sessionId)
    .where('reauthMethod', '=', 'passkey')
    .where('authenticatedAt', '>=', since)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) {
    throw new AppError(
      'step_up_required',
      'Confirm your identity for this signature: enter a code from your authenticator app, or confirm with your passkey first.',
    );
  }
}

/**
 * SESS-09: confirms the signed-in user's identity again (authenticator code). Runs outside a request
 * transaction: wrong codes are counted on the session, and the fifth ends it (ATK-MFA-2).
 */
export async function stepUp(ctx: Ctx, code: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    await reauthenticate(txCtx, code);
    await record(txCtx, { action: 'identity.stepUp.succeeded', outcome: 'success', data: { method: 'totp' } });
  });
}

/**
 * SESS-09: throws `step_up_required` unless the signed-in user authenticated within the last five
 * minutes. Sensitive actions (role grants, bulk exports, key rotation, master-data changes) call it
 * first; the client then asks for a code, calls step-up, and retries.
 */
export async function requireRecentAuthentication(ctx: Ctx): Promise<void> {
  const user = signedInUser(ctx);
  const row = await ctx.db
    .selectFrom('auth_session')
    .select('authenticatedAt')
    .where('id', '=', user.sessionId)
    .executeTakeFirst();
  const at =
    row?.authenticatedAt === null || row?.authenticatedAt === undefined ? 0 : new Date(row.authenticatedAt).getTime();
  if (ctx.now.getTime() - at > STEP_UP_MAX_AGE_MS) {
    throw new AppError('step_up_required', 'Confirm your identity again with a code from your authenticator app.');
  }
}

/** SHA-256 (hex) of a record's RFC 8785 canonical JSON: what a signature binds. */
export function recordHash(recordValue: unknown): string {
  return createHash('sha256').update(canonicalJson(recordValue), 'utf8').digest('hex');
}

export type SignatureInput = {
  /** What the signature means, stated to the signer (e.g. "验收合格 / accepted as conforming"). */
  meaning: string;
  subject: { type: string; id: string };
  /** The record as signed; its canonical hash is stored, never the record itself. */
  recordValue: unknown;
  /**
   * A fresh authenticator code — or, left out, a passkey confirmation (step-up) from the last two
   * minutes that this signature uses up. Either way the signer re-authenticates for every signature.
   */
  code?: string | undefined;
};

export type Signature = {
  id: string;
  signerId: string;
  signerName: string;
  signerLogin: string;
  meaning: string;
  signedAt: string;
  recordHash: string;
};

/**
 * GSP-02/04: an electronic signature. The signer re-authenticates, the meaning is stated, and the
 * signature binds the signer's identity, the server time and the record's hash. It is stored
 * append-only and recorded in the tamper-evident audit trail in the same transaction. Operator
 * names and times on signed records must come from the returned value, never from input.
 */
export async function sign(ctx: Ctx, input: SignatureInput): Promise<Signature> {
  const meaning = input.meaning.trim();
  if (meaning.length === 0 || meaning.length > 200) {
    throw new AppError('validation_failed', 'State what the signature means (at most 200 characters).');
  }
  const method = input.code === undefined ? 'passkey' : 'totp';
  if (input.code === undefined) await consumePasskeyConfirmation(ctx);
  else await reauthenticate(ctx, input.code);
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'name', 'login'])
    .where('id', '=', signedInUser(ctx).id)
    .executeTakeFirstOrThrow();
  const id = uuidv7(ctx.now.getTime());
  const hash = recordHash(input.recordValue);
  const signedAt = ctx.now.toISOString();
  const auditEventId = await record(ctx, {
    action: 'identity.signature.applied',
    outcome: 'success',
    resource: { type: input.subject.type, id: input.subject.id },
    data: {
      signatureId: id,
      meaning,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      recordHash: hash,
      signerLogin: user.login,
    },
  });
  await ctx.db
    .insertInto('e_signature')
    .values({
      id,
      userId: user.id,
      signerName: user.name,
      signerLogin: user.login,
      meaning,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      recordHash: hash,
      method,
      signedAt,
      auditEventId: auditEventId ?? '',
    })
    .execute();
  return { id, signerId: user.id, signerName: user.name, signerLogin: user.login, meaning, signedAt, recordHash: hash };
}

export type SignatureCheck = { valid: true; signature: Signature } | { valid: false; reason: string };

/**
 * Verifies a signature against the record as it is now: the hash must match, and the stored
 * signature must agree with its audit event (which the audit trail protects against editing).
 */
export async function verifySignature(
  ctx: Pick<Ctx, 'db'>,
  signatureId: string,
  recordValue: unknown,
): Promise<SignatureCheck> {
  const row = await ctx.db.selectFrom('e_signature').selectAll().where('id', '=', signatureId).executeTakeFirst();
  if (row === undefined) return { valid: false, reason: 'no such signature' };
  if (recordHash(recordValue) !== row.recordHash) {
    return { valid: false, reason: 'the record has changed since it was signed' };
  }
  const event = await ctx.db
    .selectFrom('audit_event')
    .select('canonical')
    .where('id', '=', row.auditEventId)
    .executeTakeFirst();
  const data =
    event === undefined
      ? undefined
      : (JSON.parse(event.canonical) as { at: string; data: Record<string, unknown>; actor: { id: string } | null });
  if (
    data === undefined ||
    data.data.signatureId !== row.id ||
    data.data.recordHash !== row.recordHash ||
    data.data.meaning !== row.meaning ||
    data.actor?.id !== row.userId ||
    data.at !== row.signedAt
  ) {
    return { valid: false, reason: 'the stored signature does not match its audit record' };
  }
  return {
    valid: true,
    signature: {
      id: row.id,
      signerId: row.userId,
      signerName: row.signerName,
      signerLogin: row.signerLogin,
      meaning: row.meaning,
      signedAt: row.signedAt,
      recordHash: row.recordHash,
    },
  };
}
