import type { AuthStepResponse, CreateFirstAdminInput, LoginInput } from '@medledger/contract';
import { sql } from 'kysely';
import { record, recordDetached } from '../audit/index.js';
import { open, seal } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { consumeSetupToken } from './identity.actions.js';
import { insertAccount } from './identity.repo.js';
import { passwordRefusal } from './identity.passwords.js';
import {
  HashingBusyError,
  burnPasswordCheck,
  checkPasswordPolicy,
  hashPassword,
  passwordAge,
  verifyPassword,
  type PasswordProfile,
} from './identity.password.js';
import { inactiveReason } from './identity.lifecycle.js';
import { notifyUser, remindPasswordExpiry } from './identity.notify.js';
import { endSession, startSession } from './identity.sessions.js';
import { smsUsableAtSignIn } from './identity.sms-policy.js';
import { checkTotp, newRecoveryCodes, newTotpSecret, recoveryCodeDigest, totpUri } from './identity.totp.js';

/** AUTH-10: one answer for every failed sign-in, whatever the reason. */
const BAD_LOGIN =
  'The login or password is incorrect, or the account is temporarily locked. Check them and try again in a few minutes, or ask an administrator.';
const BAD_CODE = 'The code is not valid. Enter the current code from your authenticator app, or a recovery code.';

/** AUTH-08 parameters (parameter sheet D3). */
export const LOCKOUT = {
  threshold: 5,
  dengbaoLockMs: 30 * 60_000,
  stepMs: 60_000,
  capMs: 900_000,
  resetAfterMs: 12 * 3_600_000,
};
const MFA_ATTEMPTS = 5;

export const loginKeyOf = (login: string): string => login.normalize('NFKC').toLowerCase();

function lockDuration(profile: PasswordProfile, failures: number): number {
  if (failures < LOCKOUT.threshold) return 0;
  if (profile === 'dengbao') return LOCKOUT.dengbaoLockMs;
  // Keycloak-style increasing delay: 60 s × floor(n / 5), at most 15 minutes.
  return Math.min(LOCKOUT.stepMs * Math.floor(failures / LOCKOUT.threshold), LOCKOUT.capMs);
}

export async function methodsOf(ctx: Ctx, userId: string): Promise<AuthStepResponse['methods']> {
  const totp = await ctx.db
    .selectFrom('mfa_totp')
    .select('confirmedAt')
    .where('userId', '=', userId)
    .executeTakeFirst();
  const passkey = await ctx.db
    .selectFrom('webauthn_credential')
    .select('id')
    .where('userId', '=', userId)
    .limit(1)
    .executeTakeFirst();
  const methods: AuthStepResponse['methods'] = [];
  if (passkey !== undefined) methods.push('passkey');
  if (totp?.confirmedAt) methods.push('totp');
  // AUTH-11/15: only for accounts that may use it, enrolled it, and still have a number on record.
  if (await smsUsableAtSignIn(ctx, userId)) methods.push('sms');
  if (methods.length > 0) methods.push('recovery');
  return methods;
}

/**
 * AUTH-01: the one-time setup token creates the first administrator, whose session can do nothing
 * but enrol a strong second factor (AUTH-11: TOTP now, passkeys later; never SMS for this role).
 */
export async function createFirstAdministrator(
  ctx: Ctx,
  input: CreateFirstAdminInput,
  profile: PasswordProfile,
): Promise<AuthStepResponse> {
  await consumeSetupToken(ctx, input.token);
  const problems = checkPasswordPolicy(input.password, {
    profile,
    privileged: true,
    context: { login: input.login, name: input.name },
  });
  if (problems.length > 0) {
    throw passwordRefusal(problems, 'body.password');
  }
  const now = ctx.now.toISOString();
  const id = uuidv7(ctx.now.getTime());
  await insertAccount(
    ctx.db,
    {
      id,
      login: input.login,
      loginKey: loginKeyOf(input.login),
      name: input.name,
      email: null,
      phoneSealed: null,
      organisation: null,
      employmentEndsAt: null,
      bootstrapRole: 'administrator',
      createdBy: null,
      passwordHash: await hashPassword(input.password),
    },
    now,
  );
  const user = { id, bootstrapRole: 'administrator' };
  const session = await startSession(ctx, user, 'enrol_totp', 'password');
  await record(
    {
      ...ctx,
      actor: {
        kind: 'user',
        id,
        name: input.name,
        roles: ['administrator'],
        permissions: new Set(),
        sessionHash: session.tokenHash,
      },
    },
    {
      action: 'identity.admin.created',
      outcome: 'success',
      resource: { type: 'user_account', id },
      data: { login: input.login },
    },
  );
  return { next: 'enrol_totp', methods: [] };
}

/**
 * The password step (runs outside a request transaction so failure counters persist). Unknown
 * logins, wrong passwords and locked accounts get the same answer after the same amount of work.
 */
export async function signInWithPassword(
  ctx: Ctx,
  input: LoginInput,
  profile: PasswordProfile,
): Promise<AuthStepResponse> {
  // AUTH-08 per-IP throttle, before any work; the per-account counters below do not depend on IP.
  const throttle = ctx.runtime.identity.loginLimiter.hit(ctx.ip, ctx.now.getTime());
  if (!throttle.allowed) {
    ctx.reply.header('retry-after', String(throttle.retryAfterSeconds));
    throw new AppError(
      'rate_limited',
      `Too many sign-in attempts from this address. Wait ${throttle.retryAfterSeconds} seconds and try again.`,
    );
  }
  const user = await ctx.db
    .selectFrom('user_account')
    .select([
      'id',
      'name',
      'status',
      'passwordHash',
      'lockedUntil',
      'bootstrapRole',
      'employmentEndsAt',
      'lastLoginAt',
      'activeSince',
    ])
    .where('loginKey', '=', loginKeyOf(input.login))
    .executeTakeFirst();
  const nowIso = ctx.now.toISOString();
  // AUTH-23: a dormant or expired account is refused even before the hourly job disables it.
  const usable =
    user !== undefined &&
    user.status === 'active' &&
    user.passwordHash !== null &&
    inactiveReason(user, ctx.now, ctx.runtime.identity.dormantDays) === null;
  let verified = { ok: false, needsRehash: false };
  try {
    if (usable) verified = await verifyPassword(user.passwordHash!, input.password);
    else await burnPasswordCheck(input.password);
  } catch (err) {
    if (err instanceof HashingBusyError) {
      throw new AppError('service_unavailable', 'The server is busy; try again in a moment.');
    }
    throw err;
  }
  const locked = user?.lockedUntil !== null && user?.lockedUntil !== undefined && user.lockedUntil > nowIso;
  if (!usable || !verified.ok || locked) {
    if (user !== undefined) await countFailure(ctx, user.id, profile, 'password');
    throw new AppError('invalid_credentials', BAD_LOGIN);
  }
  return ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    // The failure count is reset only when the sign-in completes, so the user can be told about
    // the failed attempts before it (AUTH-20) and wrong codes add to wrong passwords (AUTH-08).
    if (verified.needsRehash) {
      await tx
        .updateTable('user_account')
        .set({ passwordHash: await hashPassword(input.password) })
        .where('id', '=', user.id)
        .execute();
    }
    const methods = await methodsOf(txCtx, user.id);
    const stage = methods.length > 0 ? 'password' : 'enrol_totp';
    await startSession(txCtx, user, stage, 'password');
    return { next: methods.length > 0 ? ('mfa' as const) : ('enrol_totp' as const), methods };
  });
}

/** AUTH-08: atomic failure counting, progressive lock, audited (in its own transaction). */
export async function countFailure(
  ctx: Ctx,
  userId: string,
  profile: PasswordProfile,
  step: 'password' | 'totp' | 'sms' | 'recovery' | 'passkey',
) {
  const now = ctx.now;
  const resetBefore = new Date(now.getTime() - LOCKOUT.resetAfterMs).toISOString();
  const row = await ctx.runtime.db
    .updateTable('user_account')
    .set({
      failedLogins: sql<number>`case when "lastFailedLoginAt" is null or "lastFailedLoginAt" < ${resetBefore} then 1 else "failedLogins" + 1 end`,
      lastFailedLoginAt: now.toISOString(),
    })
    .where('id', '=', userId)
    .returning(['failedLogins'])
    .executeTakeFirstOrThrow();
  const failures = Number(row.failedLogins);
  const auditCtx = { ...ctx, actor: null };
  await recordDetached(auditCtx, {
    action: 'identity.login.failed',
    outcome: 'failure',
    resource: { type: 'user_account', id: userId },
    data: { step, failures },
  });
  const lockMs = lockDuration(profile, failures);
  if (lockMs > 0 && failures % LOCKOUT.threshold === 0) {
    const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
    await ctx.runtime.db.updateTable('user_account').set({ lockedUntil }).where('id', '=', userId).execute();
    await recordDetached(auditCtx, {
      action: 'identity.account.locked',
      outcome: 'success',
      resource: { type: 'user_account', id: userId },
      data: { failures, lockedUntil },
    });
  }
}

export function pendingSession(ctx: Ctx, stage: 'password' | 'enrol_totp') {
  const session = ctx.session;
  if (session === null || session.stage !== stage) {
    throw new AppError(
      'unauthenticated',
      'Sign in again: this step belongs to a sign-in that has expired or finished.',
    );
  }
  return session;
}

/**
 * AUTH-13/14: the TOTP step (outside a request transaction, so failure counts persist). A replayed
 * code is refused like any wrong code, and alerted.
 */
export async function completeWithTotp(ctx: Ctx, code: string, profile: PasswordProfile): Promise<AuthStepResponse> {
  const session = pendingSession(ctx, 'password');
  const factor = await ctx.db
    .selectFrom('mfa_totp as t')
    .innerJoin('user_account as u', 'u.id', 't.userId')
    .select(['t.secretSealed', 't.lastStep', 't.confirmedAt', 'u.id', 'u.name', 'u.bootstrapRole'])
    .where('t.userId', '=', session.userId)
    .executeTakeFirst();
  if (factor === undefined || factor.confirmedAt === null) throw new AppError('unauthenticated', 'Sign in again.');
  const secret = await open(ctx, { table: 'mfa_totp', column: 'secretSealed', rowId: factor.id }, factor.secretSealed);
  const check = checkTotp(secret, code, ctx.now, Number(factor.lastStep));
  if (!check.ok) {
    await mfaFailure(ctx, session.id, factor.id, profile, check.replay);
    throw new AppError('invalid_credentials', BAD_CODE);
  }
  const done = await ctx.db.transaction().execute(async (tx) => {
    // Single use even under concurrency: only one request can move lastStep past its old value.
    const claimed = await tx
      .updateTable('mfa_totp')
      .set({ lastStep: check.step })
      .where('userId', '=', factor.id)
      .where('lastStep', '<', check.step)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    return finishSignIn({ ...ctx, db: tx }, factor, 'password+totp');
  });
  if (done === null) {
    await mfaFailure(ctx, session.id, factor.id, profile, true);
    throw new AppError('invalid_credentials', BAD_CODE);
  }
  return done;
}

/** AUTH-19: a recovery code instead of the authenticator; each works once. */
export async function completeWithRecoveryCode(
  ctx: Ctx,
  code: string,
  profile: PasswordProfile,
): Promise<AuthStepResponse> {
  const session = pendingSession(ctx, 'password');
  const done = await ctx.db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('recovery_code')
      .set({ usedAt: ctx.now.toISOString() })
      .where('userId', '=', session.userId)
      .where('codeHash', '=', recoveryCodeDigest(code))
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return null;
    const user = await tx
      .selectFrom('user_account')
      .select(['id', 'name', 'bootstrapRole'])
      .where('id', '=', session.userId)
      .executeTakeFirstOrThrow();
    return finishSignIn({ ...ctx, db: tx }, user, 'password+recovery');
  });
  if (done === null) {
    await mfaFailure(ctx, session.id, session.userId, profile, false, 'recovery');
    throw new AppError('invalid_credentials', BAD_CODE);
  }
  return done;
}

export async function mfaFailure(
  ctx: Ctx,
  sessionId: string,
  userId: string,
  profile: PasswordProfile,
  replay: boolean,
  step: 'totp' | 'sms' | 'recovery' | 'passkey' = 'totp',
) {
  // The request's transaction rolls back with the error; these records must outlive it.
  const row = await ctx.runtime.db
    .updateTable('auth_session')
    .set({ mfaFailures: sql<number>`"mfaFailures" + 1` })
    .where('id', '=', sessionId)
    .returning(['mfaFailures'])
    .executeTakeFirst();
  if (replay) {
    await recordDetached(
      { ...ctx, actor: null },
      {
        action: 'identity.mfa.replayed',
        outcome: 'denied',
        resource: { type: 'user_account', id: userId },
        data: { factor: 'totp' },
      },
    );
  }
  await countFailure(ctx, userId, profile, step);
  // ATK-MFA-2: five wrong codes end this sign-in attempt.
  if (row !== undefined && Number(row.mfaFailures) >= MFA_ATTEMPTS) {
    await endSession(ctx.runtime.db, sessionId, ctx.now, 'too many wrong codes');
  }
}

/**
 * The second factor has been proven: a new session (SESS-03), the sign-in audited, and the user told
 * about a sign-in from a new device or after failed attempts (AUTH-20). A password that has expired
 * under the `dengbao` profile (AUTH-03) must be changed first: the session then reaches only that.
 */
export async function finishSignIn(
  ctx: Ctx,
  user: { id: string; name: string; bootstrapRole: string | null },
  method: string,
): Promise<AuthStepResponse> {
  const account = await ctx.db
    .selectFrom('user_account')
    .select(['failedLogins', 'passwordChangedAt'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  const seenBefore = await ctx.db
    .selectFrom('auth_session')
    .select(['ip', 'userAgent'])
    .where('userId', '=', user.id)
    .where('stage', '=', 'complete')
    .orderBy('createdAt', 'desc')
    .limit(50)
    .execute();
  const age = passwordAge(ctx.runtime.identity.passwordProfile, new Date(account.passwordChangedAt ?? 0), ctx.now);
  const expired = method.startsWith('password') && age.expired;
  const session = await startSession(ctx, user, expired ? 'change_password' : 'complete', method);
  await ctx.db
    .updateTable('user_account')
    .set({ lastLoginAt: ctx.now.toISOString(), failedLogins: 0, lockedUntil: null })
    .where('id', '=', user.id)
    .execute();
  if (seenBefore.length > 0 && !seenBefore.some((s) => s.ip === ctx.ip && s.userAgent === ctx.userAgent)) {
    await notifyUser(ctx, user.id, 'new_device', { ip: ctx.ip, userAgent: ctx.userAgent.slice(0, 200), method });
  }
  // TRN-03: the reminder before the password expires (dengbao profile), once per level.
  if (account.passwordChangedAt !== null) await remindPasswordExpiry(ctx, user.id, age, account.passwordChangedAt);
  const failures = Number(account.failedLogins);
  if (failures > 0) await notifyUser(ctx, user.id, 'login_after_failures', { failures, ip: ctx.ip, method });
  await record(
    {
      ...ctx,
      actor: {
        kind: 'user',
        id: user.id,
        name: user.name,
        roles: user.bootstrapRole === null ? [] : [user.bootstrapRole],
        permissions: new Set(),
        sessionHash: session.tokenHash,
        authMethod: method,
      },
    },
    {
      action: 'identity.login.succeeded',
      outcome: 'success',
      resource: { type: 'user_account', id: user.id },
      data: { method },
    },
  );
  return { next: expired ? 'change_password' : 'done', methods: [] };
}

/** TOTP enrolment, step 1: a new secret (sealed at rest), shown once as a QR code. */
export async function startTotpEnrolment(ctx: Ctx): Promise<{ secret: string; otpauthUri: string }> {
  const session = pendingSession(ctx, 'enrol_totp');
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'login'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  const secret = newTotpSecret();
  const secretSealed = seal(ctx, { table: 'mfa_totp', column: 'secretSealed', rowId: user.id }, secret);
  await ctx.db.deleteFrom('mfa_totp').where('userId', '=', user.id).where('confirmedAt', 'is', null).execute();
  await ctx.db
    .insertInto('mfa_totp')
    .values({ userId: user.id, secretSealed, confirmedAt: null, createdAt: ctx.now.toISOString() })
    .execute();
  return { secret, otpauthUri: totpUri(secret, user.login) };
}

/**
 * TOTP enrolment, step 2 (outside a request transaction): the first code confirms the app and
 * recovery codes are issued (shown once). Wrong codes count like sign-in codes: five end the session.
 */
export async function confirmTotpEnrolment(
  ctx: Ctx,
  code: string,
  profile: PasswordProfile,
): Promise<{ next: 'done'; recoveryCodes: string[] }> {
  const session = pendingSession(ctx, 'enrol_totp');
  const factor = await ctx.db
    .selectFrom('mfa_totp as t')
    .innerJoin('user_account as u', 'u.id', 't.userId')
    .select(['t.secretSealed', 't.confirmedAt', 'u.id', 'u.name', 'u.bootstrapRole'])
    .where('t.userId', '=', session.userId)
    .executeTakeFirst();
  if (factor === undefined || factor.confirmedAt !== null) {
    throw new AppError('conflict', 'Start the authenticator enrolment first.');
  }
  const secret = await open(ctx, { table: 'mfa_totp', column: 'secretSealed', rowId: factor.id }, factor.secretSealed);
  const check = checkTotp(secret, code, ctx.now, 0);
  if (!check.ok) {
    await mfaFailure(ctx, session.id, factor.id, profile, false);
    throw new AppError('invalid_credentials', BAD_CODE);
  }
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    await tx
      .updateTable('mfa_totp')
      .set({ confirmedAt: ctx.now.toISOString(), lastStep: check.step })
      .where('userId', '=', factor.id)
      .execute();
    await tx.deleteFrom('recovery_code').where('userId', '=', factor.id).execute();
    await tx
      .insertInto('recovery_code')
      .values(
        codes.map((c) => ({
          id: uuidv7(ctx.now.getTime()),
          userId: factor.id,
          codeHash: recoveryCodeDigest(c),
          createdAt: ctx.now.toISOString(),
          usedAt: null,
        })),
      )
      .execute();
    await record(txCtx, {
      action: 'identity.totp.enrolled',
      outcome: 'success',
      resource: { type: 'user_account', id: factor.id },
      data: { codesIssued: codes.length },
    });
    await finishSignIn(txCtx, factor, 'password+totp');
  });
  return { next: 'done', recoveryCodes: codes };
}

/** SESS-05: logout ends the session in the store and tells the browser to forget everything. */
export async function signOut(ctx: Ctx): Promise<void> {
  if (ctx.session !== null) {
    await endSession(ctx.db, ctx.session.id, ctx.now, 'signed out');
    await record(ctx, { action: 'identity.session.ended', outcome: 'success', data: { reason: 'signed out' } });
  }
  ctx.reply.clearSessionCookie();
  ctx.reply.header('clear-site-data', '"cache", "cookies", "storage"');
}
