import { randomInt, timingSafeEqual } from 'node:crypto';
import {
  SMS_CODE,
  SMS_RISK_NOTICE_VERSION,
  type AuthStepResponse,
  type SmsSendResponse,
  type SmsStatusResponse,
} from '@medledger/contract';
import { sql } from 'kysely';
import { record, recordDetached } from '../audit/index.js';
import { blindIndex, open } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx, SessionRef } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { finishSignIn, mfaFailure, pendingSession } from './identity.login.js';
import type { PasswordProfile } from './identity.password.js';
import { smsEligibility, type SmsAccount, type SmsRefusal } from './identity.sms-policy.js';
import { SmsSendError, maskPhone } from './identity.sms-sender.js';
import type { SmsCodePurpose } from './identity.sms.tables.js';
import { newRecoveryCodes, recoveryCodeDigest } from './identity.totp.js';

/** AUTH-15 parameters (parameter sheet D3), in milliseconds where they are durations. */
export const SMS_LIMITS = {
  ttlMs: SMS_CODE.ttlSeconds * 1000,
  maxAttempts: SMS_CODE.maxAttempts,
  resendMs: SMS_CODE.resendSeconds * 1000,
  perDay: SMS_CODE.maxPerDay,
  dayMs: 24 * 3_600_000,
};

/** AUTH-10: the same answer for every wrong code, like the authenticator step. */
const BAD_SMS_CODE = 'The code is not valid. Enter the 6-digit code from the latest text message.';
const EXPIRED =
  'This code is no longer valid (it expired after 5 minutes, was replaced by a newer one, or was entered wrongly too often). Send a new code.';

const REFUSALS: Record<SmsRefusal, string> = {
  disabled: 'Text-message codes are not available on this server. Use the authenticator app.',
  not_allowed:
    'Text-message codes cannot be used by administrators and other privileged accounts. Use the authenticator app.',
  no_phone:
    'No mobile number is on record for this account. Use the authenticator app, or ask an administrator to add your number.',
  not_enrolled: 'Text-message codes are not set up for this account. Use the authenticator app or a recovery code.',
};

/** The code is bound to the pending sign-in: a keyed hash over (session id, code), never the code. */
function codeDigest(ctx: Pick<Ctx, 'runtime'>, sessionId: string, code: string): string {
  return blindIndex(ctx, 'identity.smsCode', `${sessionId}|${code}`);
}

/** Six digits, uniformly from the CSPRNG. */
export function newSmsCode(): string {
  return String(randomInt(0, 10 ** SMS_CODE.digits)).padStart(SMS_CODE.digits, '0');
}

function smsText(code: string, purpose: SmsCodePurpose): string {
  const minutes = SMS_CODE.ttlSeconds / 60;
  const what = purpose === 'login' ? '登录验证码' : '手机号验证码';
  return `MedLedger ${what}：${code}，${minutes} 分钟内有效，请勿告诉他人。Your MedLedger code is ${code} (valid ${minutes} min); never share it.`;
}

/** A pending sign-in at either stage: `password` (sign in with SMS) or `enrol_totp` (choose SMS). */
function pendingAny(ctx: Ctx): SessionRef & { purpose: SmsCodePurpose } {
  const session = ctx.session;
  if (session?.stage === 'password') return { ...session, purpose: 'login' };
  if (session?.stage === 'enrol_totp') return { ...session, purpose: 'enrol' };
  throw new AppError('unauthenticated', 'Sign in again: this step belongs to a sign-in that has expired or finished.');
}

/** TRN-03 / D2: said when an enrolment step arrives without the acknowledged risk notice. */
const RISK_NOT_ACKNOWLEDGED =
  'Read and acknowledge the notice about the risks of text-message codes before choosing them: codes can be intercepted or redirected (SIM swap, phishing), and a passkey or an authenticator app is stronger.';

async function refuse(
  ctx: Ctx,
  userId: string,
  reason: SmsRefusal | 'cooldown' | 'daily_limit' | 'address_limit' | 'risk_not_acknowledged',
) {
  await recordDetached(
    { ...ctx, actor: null },
    {
      action: 'identity.smsCode.refused',
      outcome: 'denied',
      resource: { type: 'user_account', id: userId },
      data: { reason },
    },
  );
}

async function eligibleOrThrow(ctx: Ctx, userId: string, purpose: SmsCodePurpose): Promise<SmsAccount> {
  const eligible = await smsEligibility(ctx, userId, purpose);
  if (!eligible.ok) {
    await refuse(ctx, userId, eligible.reason);
    throw new AppError('sms_not_allowed', REFUSALS[eligible.reason]);
  }
  return eligible.user;
}

/** Seconds until this account may be sent another code (0: now). */
async function resendWait(ctx: Pick<Ctx, 'db' | 'now'>, userId: string): Promise<number> {
  const latest = await ctx.db
    .selectFrom('sms_code')
    .select('createdAt')
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) return 0;
  const wait = new Date(latest.createdAt).getTime() + SMS_LIMITS.resendMs - ctx.now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

/** `GET /api/v1/auth/mfa/sms`: whether this pending sign-in can use SMS, the masked number, the wait. */
export async function smsStatus(ctx: Ctx): Promise<SmsStatusResponse> {
  const session = pendingAny(ctx);
  const eligible = await smsEligibility(ctx, session.userId, session.purpose);
  if (!eligible.ok) return { available: false, maskedPhone: null, resendInSeconds: 0 };
  return {
    available: true,
    maskedPhone: maskPhone(eligible.user.phone),
    resendInSeconds: await resendWait(ctx, session.userId),
  };
}

type Issued =
  { ok: true; id: string; code: string } | { ok: false; reason: 'cooldown' | 'daily_limit'; retryAfterSeconds: number };

/**
 * TRN-03 / D2 (ASVS 6.6.1): choosing text-message codes needs the risk notice acknowledged first;
 * refused (and the refusal audited) otherwise.
 */
async function requireRiskAcknowledged(ctx: Ctx, userId: string, acknowledged: boolean): Promise<void> {
  if (acknowledged) return;
  await refuse(ctx, userId, 'risk_not_acknowledged');
  throw new AppError('sms_risk_not_acknowledged', RISK_NOT_ACKNOWLEDGED);
}

/**
 * AUTH-15: sends a new code for this pending sign-in (outside a request transaction: refusals and
 * counters persist). Per account a 60-second cooldown; per account and per number at most 10 codes
 * in 24 hours; per client address 20 an hour. The new code voids the session's earlier ones. At
 * enrolment the SMS risk notice must have been acknowledged (TRN-03).
 */
export async function sendSmsCode(ctx: Ctx, input: { riskAcknowledged: boolean }): Promise<SmsSendResponse> {
  const session = pendingAny(ctx);
  const sender = ctx.runtime.identity.sms.sender;
  const user = await eligibleOrThrow(ctx, session.userId, session.purpose);
  if (session.purpose === 'enrol') await requireRiskAcknowledged(ctx, user.id, input.riskAcknowledged);
  if (sender === null) throw new AppError('sms_not_allowed', REFUSALS.disabled);
  const throttle = ctx.runtime.identity.sms.addressLimiter.hit(ctx.ip, ctx.now.getTime());
  if (!throttle.allowed) {
    await refuse(ctx, user.id, 'address_limit');
    ctx.reply.header('retry-after', String(throttle.retryAfterSeconds));
    throw new AppError(
      'rate_limited',
      `Too many codes were requested from this address. Wait ${throttle.retryAfterSeconds} seconds and try again.`,
    );
  }
  const { phone, phoneIndex } = user;
  const nowIso = ctx.now.toISOString();
  const issued = await ctx.db.transaction().execute(async (tx): Promise<Issued> => {
    // Serialises concurrent sends for one account (a row lock on PostgreSQL; SQLite has one writer).
    await tx
      .updateTable('user_account')
      .set({ updatedAt: sql`"updatedAt"` })
      .where('id', '=', user.id)
      .execute();
    const wait = await resendWait({ db: tx, now: ctx.now }, user.id);
    if (wait > 0) return { ok: false, reason: 'cooldown', retryAfterSeconds: wait };
    const since = new Date(ctx.now.getTime() - SMS_LIMITS.dayMs).toISOString();
    const sent = await tx
      .selectFrom('sms_code')
      .select([(eb) => eb.fn.countAll<string | number | bigint>().as('n'), (eb) => eb.fn.min('createdAt').as('oldest')])
      .where((eb) => eb.or([eb('userId', '=', user.id), eb('phoneIndex', '=', phoneIndex)]))
      .where('createdAt', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(sent.n) >= SMS_LIMITS.perDay) {
      const freeAt = new Date(String(sent.oldest)).getTime() + SMS_LIMITS.dayMs;
      return {
        ok: false,
        reason: 'daily_limit',
        retryAfterSeconds: Math.max(1, Math.ceil((freeAt - ctx.now.getTime()) / 1000)),
      };
    }
    await tx
      .updateTable('sms_code')
      .set({ voidedAt: nowIso })
      .where('sessionId', '=', session.id)
      .where('usedAt', 'is', null)
      .where('voidedAt', 'is', null)
      .execute();
    const code = newSmsCode();
    const id = uuidv7(ctx.now.getTime());
    await tx
      .insertInto('sms_code')
      .values({
        id,
        sessionId: session.id,
        userId: user.id,
        purpose: session.purpose,
        phoneIndex,
        codeHash: codeDigest(ctx, session.id, code),
        attempts: 0,
        createdAt: nowIso,
        expiresAt: new Date(ctx.now.getTime() + SMS_LIMITS.ttlMs).toISOString(),
        usedAt: null,
        voidedAt: null,
      })
      .execute();
    return { ok: true, id, code };
  });
  if (!issued.ok) {
    await refuse(ctx, user.id, issued.reason);
    ctx.reply.header('retry-after', String(issued.retryAfterSeconds));
    if (issued.reason === 'cooldown') {
      throw new AppError(
        'rate_limited',
        `A code was sent moments ago. Wait ${issued.retryAfterSeconds} seconds before asking for another.`,
      );
    }
    throw new AppError(
      'sms_limit_reached',
      'The daily limit of text-message codes for this account has been reached. Use the authenticator app or a recovery code, or try again tomorrow.',
    );
  }
  let providerMessageId: string;
  try {
    providerMessageId = await sender.send(ctx, {
      to: phone,
      text: smsText(issued.code, session.purpose),
      template: 'mfa_code',
      params: { code: issued.code, minutes: String(SMS_CODE.ttlSeconds / 60) },
    });
  } catch (err) {
    // Fail closed: a code that may not have arrived is never usable.
    await ctx.db.updateTable('sms_code').set({ voidedAt: nowIso }).where('id', '=', issued.id).execute();
    const error = err instanceof SmsSendError ? err.message : 'unexpected error';
    ctx.log.error({ err, provider: sender.provider }, 'sending a text message failed');
    await recordDetached(
      { ...ctx, actor: null },
      {
        action: 'identity.smsCode.sendFailed',
        outcome: 'failure',
        resource: { type: 'user_account', id: user.id },
        data: { purpose: session.purpose, provider: sender.provider, error: error.slice(0, 300) },
      },
    );
    throw new AppError(
      'service_unavailable',
      'The text message could not be sent. Try again in a minute, or use the authenticator app or a recovery code.',
    );
  }
  await recordDetached(
    { ...ctx, actor: null },
    {
      action: 'identity.smsCode.sent',
      outcome: 'success',
      resource: { type: 'user_account', id: user.id },
      data: {
        purpose: session.purpose,
        provider: sender.provider,
        providerMessageId: providerMessageId.slice(0, 128),
        ...(session.purpose === 'enrol' ? { riskNoticeVersion: SMS_RISK_NOTICE_VERSION } : {}),
      },
    },
  );
  return {
    maskedPhone: maskPhone(phone),
    expiresInSeconds: SMS_CODE.ttlSeconds,
    resendInSeconds: SMS_CODE.resendSeconds,
  };
}

/**
 * Checks a code against the newest live code of this pending sign-in. Each check uses one of the
 * code's five attempts, counted atomically before the comparison (parallel guesses cannot exceed
 * five). Wrong codes count as sign-in failures (five end the sign-in, ATK-MFA-2).
 */
async function checkSmsCode(ctx: Ctx, session: SessionRef, code: string, profile: PasswordProfile): Promise<string> {
  const nowIso = ctx.now.toISOString();
  const live = await ctx.db
    .selectFrom('sms_code')
    .select(['id', 'codeHash'])
    .where('sessionId', '=', session.id)
    .where('usedAt', 'is', null)
    .where('voidedAt', 'is', null)
    .where('expiresAt', '>', nowIso)
    .where('attempts', '<', SMS_LIMITS.maxAttempts)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  const claimed =
    live === undefined
      ? undefined
      : await ctx.db
          .updateTable('sms_code')
          .set({ attempts: sql<number>`"attempts" + 1` })
          .where('id', '=', live.id)
          .where('attempts', '<', SMS_LIMITS.maxAttempts)
          .where('usedAt', 'is', null)
          .where('voidedAt', 'is', null)
          .returning('attempts')
          .executeTakeFirst();
  // Said from the code's state alone, whatever was entered: it reveals nothing about the code.
  if (live === undefined || claimed === undefined) throw new AppError('sms_code_expired', EXPIRED);
  const expected = Buffer.from(live.codeHash, 'utf8');
  const given = Buffer.from(codeDigest(ctx, session.id, code), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    await mfaFailure(ctx, session.id, session.userId, profile, false, 'sms');
    throw new AppError('invalid_credentials', BAD_SMS_CODE);
  }
  return live.id;
}

/** Marks the code used, exactly once under concurrency. */
async function claimCode(db: Ctx['db'], codeId: string, at: string): Promise<boolean> {
  const used = await db
    .updateTable('sms_code')
    .set({ usedAt: at })
    .where('id', '=', codeId)
    .where('usedAt', 'is', null)
    .where('voidedAt', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** AUTH-15 sign-in step 2 with a text-message code (outside a request transaction). */
export async function completeWithSms(ctx: Ctx, code: string, profile: PasswordProfile): Promise<AuthStepResponse> {
  const session = pendingSession(ctx, 'password');
  // AUTH-11 / ATK-MFA-6: checked again at use, not only when the code was sent.
  const user = await eligibleOrThrow(ctx, session.userId, 'login');
  const codeId = await checkSmsCode(ctx, session, code, profile);
  const done = await ctx.db.transaction().execute(async (tx) => {
    if (!(await claimCode(tx, codeId, ctx.now.toISOString()))) return null;
    return finishSignIn({ ...ctx, db: tx }, user, 'password+sms');
  });
  if (done === null) {
    await mfaFailure(ctx, session.id, session.userId, profile, false, 'sms');
    throw new AppError('invalid_credentials', BAD_SMS_CODE);
  }
  return done;
}

/**
 * SMS as the enrolled second factor (accounts allowed to use it, with a number on record): the
 * code proves the number; recovery codes are issued once and the sign-in completes. The risk notice
 * must be acknowledged again with the code (TRN-03); the acknowledgement is in the audit event.
 */
export async function confirmSmsEnrolment(
  ctx: Ctx,
  input: { code: string; riskAcknowledged: boolean },
  profile: PasswordProfile,
): Promise<{ next: 'done'; recoveryCodes: string[] }> {
  const { code } = input;
  const session = pendingSession(ctx, 'enrol_totp');
  const user = await eligibleOrThrow(ctx, session.userId, 'enrol');
  await requireRiskAcknowledged(ctx, user.id, input.riskAcknowledged);
  const codeId = await checkSmsCode(ctx, session, code, profile);
  const codes = newRecoveryCodes();
  const done = await ctx.db.transaction().execute(async (tx) => {
    if (!(await claimCode(tx, codeId, ctx.now.toISOString()))) return false;
    const txCtx = { ...ctx, db: tx };
    const at = ctx.now.toISOString();
    await tx.deleteFrom('mfa_sms').where('userId', '=', user.id).execute();
    await tx.insertInto('mfa_sms').values({ userId: user.id, phoneIndex: user.phoneIndex, confirmedAt: at }).execute();
    await tx.deleteFrom('recovery_code').where('userId', '=', user.id).execute();
    await tx
      .insertInto('recovery_code')
      .values(
        codes.map((c) => ({
          id: uuidv7(ctx.now.getTime()),
          userId: user.id,
          codeHash: recoveryCodeDigest(c),
          createdAt: at,
          usedAt: null,
        })),
      )
      .execute();
    await record(txCtx, {
      action: 'identity.sms.enrolled',
      outcome: 'success',
      resource: { type: 'user_account', id: user.id },
      data: {
        codesIssued: codes.length,
        riskNoticeAcknowledged: true,
        riskNoticeVersion: SMS_RISK_NOTICE_VERSION,
      },
    });
    await finishSignIn(txCtx, user, 'password+sms');
    return true;
  });
  if (!done) {
    await mfaFailure(ctx, session.id, session.userId, profile, false, 'sms');
    throw new AppError('invalid_credentials', BAD_SMS_CODE);
  }
  return { next: 'done', recoveryCodes: codes };
}

/** The development outbox, newest first (only when the `outbox` provider is on). */
export async function listSmsOutbox(
  ctx: Ctx,
): Promise<{ messages: { id: string; to: string; text: string; createdAt: string }[] }> {
  if (ctx.runtime.identity.sms.sender?.provider !== 'outbox') {
    throw new AppError('not_found', 'The SMS outbox exists only when MEDLEDGER_SMS_PROVIDER=outbox (development).');
  }
  const rows = await ctx.db
    .selectFrom('sms_outbox')
    .select(['id', 'toMasked', 'textSealed', 'createdAt'])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const messages = [];
  for (const r of rows) {
    const text = await open(ctx, { table: 'sms_outbox', column: 'textSealed', rowId: r.id }, r.textSealed);
    messages.push({ id: r.id, to: r.toMasked, text, createdAt: r.createdAt });
  }
  return { messages };
}
