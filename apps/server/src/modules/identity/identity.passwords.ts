import { createHash } from 'node:crypto';
import type { CheckPasswordLinkResponse, PasswordLink } from '@medledger/contract';
import { record } from '../audit/index.js';
import { open } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { randomToken, uuidv7 } from '../../platform/ids.js';
import { notifyUser } from './identity.notify.js';
import {
  DENGBAO_RULES,
  HashingBusyError,
  checkPasswordPolicy,
  hashPassword,
  isInHistory,
  passwordProblem,
  verifyPassword,
  type PasswordProblem,
  type PasswordProfile,
} from './identity.password.js';
import { endUserSessions, isPrivileged, startSession } from './identity.sessions.js';
import type { PasswordLinkPurpose, UserAccountTable } from './identity.tables.js';

/** AUTH-18: a reset link lives 10 minutes; an invitation for a new account one day. */
export const PASSWORD_LINK_TTL_MS: Readonly<Record<PasswordLinkPurpose, number>> = {
  reset: 10 * 60_000,
  invite: 24 * 3_600_000,
};

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const LINK_INVALID =
  'This password link is not valid: it was already used, replaced by a newer one, or has expired. Ask your administrator for a new link.';

/** Refuses a password with every policy problem listed, each with a code the UI translates. */
export function passwordRefusal(problems: readonly PasswordProblem[], path: string): AppError {
  return new AppError(
    'validation_failed',
    'Choose a stronger password.',
    problems.map((p) => ({ path, message: p.en, code: `password.${p.code}` })),
  );
}

type PasswordOwner = Pick<
  UserAccountTable,
  'id' | 'login' | 'name' | 'email' | 'organisation' | 'phoneSealed' | 'bootstrapRole' | 'passwordHash'
>;

/**
 * AUTH-02/03/04 for a password an existing account is about to get: the profile's rules with the
 * account's own words as context, and under `dengbao` none of the last five passwords (AUTH-03).
 */
async function checkNewPassword(
  ctx: Ctx,
  user: PasswordOwner,
  password: string,
  profile: PasswordProfile,
  path: string,
): Promise<void> {
  const phone =
    user.phoneSealed === null
      ? null
      : await open(ctx, { table: 'user_account', column: 'phoneSealed', rowId: user.id }, user.phoneSealed);
  const problems = checkPasswordPolicy(password, {
    profile,
    privileged: isPrivileged(user),
    context: { login: user.login, name: user.name, phone, email: user.email, organisation: user.organisation },
  });
  if (problems.length > 0) throw passwordRefusal(problems, path);
  if (profile !== 'dengbao') return;
  const history = await ctx.db
    .selectFrom('password_history')
    .select('passwordHash')
    .where('userId', '=', user.id)
    .orderBy('createdAt', 'desc')
    .limit(DENGBAO_RULES.historyCount - 1)
    .execute();
  const previous = [...(user.passwordHash === null ? [] : [user.passwordHash]), ...history.map((h) => h.passwordHash)];
  if (await busyAware(isInHistory(password, previous.slice(0, DENGBAO_RULES.historyCount)))) {
    throw passwordRefusal([passwordProblem('reused', 0)], path);
  }
}

async function busyAware<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof HashingBusyError) {
      throw new AppError('service_unavailable', 'The server is busy; try again in a moment.');
    }
    throw err;
  }
}

/**
 * Stores the new password (already checked and hashed) in the caller's transaction: the old hash
 * goes to the history, the lock is cleared, sessions end (all, or all but `keepSessionId`), the
 * user is notified and the change is audited.
 */
async function storePassword(
  ctx: Ctx,
  user: PasswordOwner,
  newHash: string,
  via: 'invite' | 'reset' | 'change' | 'expired',
  keepSessionId: string | null,
): Promise<void> {
  const now = ctx.now.toISOString();
  if (user.passwordHash !== null) {
    await ctx.db
      .insertInto('password_history')
      .values({ id: uuidv7(ctx.now.getTime()), userId: user.id, passwordHash: user.passwordHash, createdAt: now })
      .execute();
  }
  await ctx.db
    .updateTable('user_account')
    .set({ passwordHash: newHash, passwordChangedAt: now, failedLogins: 0, lockedUntil: null, updatedAt: now })
    .where('id', '=', user.id)
    .execute();
  const ended =
    keepSessionId === null
      ? await endUserSessions(ctx.db, user.id, ctx.now, `password ${via === 'invite' ? 'set' : via}`)
      : Number(
          (
            await ctx.db
              .updateTable('auth_session')
              .set({ endedAt: now, endReason: 'password changed' })
              .where('userId', '=', user.id)
              .where('id', '<>', keepSessionId)
              .where('endedAt', 'is', null)
              .executeTakeFirst()
          ).numUpdatedRows,
        );
  if (via !== 'invite') await notifyUser(ctx, user.id, via === 'reset' ? 'password_reset' : 'password_changed');
  await record(ctx, {
    action: 'identity.password.set',
    outcome: 'success',
    resource: { type: 'user_account', id: user.id },
    data: { via, sessionsEnded: ended },
  });
}

/**
 * AUTH-18: issues a single-use password link (256-bit token, only its digest stored), revoking the
 * user's earlier open links. The token is returned once, to the administrator who asked for it.
 */
export async function issuePasswordLink(ctx: Ctx, userId: string, purpose: PasswordLinkPurpose): Promise<PasswordLink> {
  const token = randomToken(32);
  const now = ctx.now.toISOString();
  const expiresAt = new Date(ctx.now.getTime() + PASSWORD_LINK_TTL_MS[purpose]).toISOString();
  await ctx.db
    .updateTable('password_link')
    .set({ revokedAt: now })
    .where('userId', '=', userId)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .execute();
  await ctx.db
    .insertInto('password_link')
    .values({
      id: uuidv7(ctx.now.getTime()),
      userId,
      purpose,
      tokenHash: digest(token),
      createdBy: ctx.actor?.id ?? 'system',
      createdAt: now,
      expiresAt,
      usedAt: null,
      revokedAt: null,
    })
    .execute();
  await record(ctx, {
    action: 'identity.passwordLink.issued',
    outcome: 'success',
    resource: { type: 'user_account', id: userId },
    data: { purpose, expiresAt },
  });
  return { token, purpose, expiresAt };
}

async function usableLink(ctx: Pick<Ctx, 'db' | 'now'>, token: string) {
  const row = await ctx.db
    .selectFrom('password_link as l')
    .innerJoin('user_account as u', 'u.id', 'l.userId')
    .select([
      'l.id as linkId',
      'l.purpose',
      'l.expiresAt',
      'u.id',
      'u.login',
      'u.name',
      'u.email',
      'u.organisation',
      'u.phoneSealed',
      'u.bootstrapRole',
      'u.passwordHash',
      'u.status',
    ])
    .where('l.tokenHash', '=', digest(token))
    .where('l.usedAt', 'is', null)
    .where('l.revokedAt', 'is', null)
    .where('l.expiresAt', '>', ctx.now.toISOString())
    .executeTakeFirst();
  if (row === undefined || row.status !== 'active') throw new AppError('link_invalid', LINK_INVALID);
  return row;
}

/** Checks a password link without using it (the page shows whose password is being set). */
export async function checkPasswordLink(ctx: Ctx, token: string): Promise<CheckPasswordLinkResponse> {
  const link = await usableLink(ctx, token);
  return {
    purpose: link.purpose,
    login: link.login,
    name: link.name,
    expiresAt: link.expiresAt,
    privileged: isPrivileged(link),
  };
}

/**
 * AUTH-18: sets the password with a link, exactly once (a second use answers 410). Restores only
 * the password: the second factor is still required at the next sign-in, and every session of the
 * account ends. Runs outside a request transaction: hashing happens before the short write.
 */
export async function usePasswordLink(
  ctx: Ctx,
  token: string,
  password: string,
  profile: PasswordProfile,
): Promise<void> {
  const link = await usableLink(ctx, token);
  await checkNewPassword(ctx, link, password, profile, 'body.password');
  const newHash = await busyAware(hashPassword(password));
  await ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const used = await tx
      .updateTable('password_link')
      .set({ usedAt: ctx.now.toISOString() })
      .where('id', '=', link.linkId)
      .where('usedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', ctx.now.toISOString())
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('link_invalid', LINK_INVALID);
    await storePassword(txCtx, link, newHash, link.purpose, null);
  });
}

/**
 * AUTH-05: the signed-in user changes their password; the current one is required. Also the step
 * a sign-in with an expired password (dengbao, AUTH-03) must pass before the session is complete.
 * Other sessions end; this one stays. Wrong current passwords count towards the lock (AUTH-08).
 */
export async function changeOwnPassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
  profile: PasswordProfile,
  onWrongPassword: (ctx: Ctx, userId: string) => Promise<void>,
): Promise<{ via: 'change' | 'expired' }> {
  const session = ctx.session;
  const expired = session?.stage === 'change_password';
  if (session === null || (session.stage !== 'complete' && !expired)) {
    throw new AppError('unauthenticated', 'Sign in to continue.');
  }
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'login', 'name', 'email', 'organisation', 'phoneSealed', 'bootstrapRole', 'passwordHash'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  const current =
    user.passwordHash === null
      ? { ok: false }
      : await busyAware(verifyPassword(user.passwordHash, input.currentPassword));
  if (!current.ok) {
    await onWrongPassword(ctx, user.id);
    throw new AppError('validation_failed', 'The current password is not correct.', [
      { path: 'body.currentPassword', message: 'The current password is not correct.', code: 'password.current_wrong' },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw passwordRefusal([passwordProblem('reused', 0)], 'body.newPassword');
  }
  await checkNewPassword(ctx, user, input.newPassword, profile, 'body.newPassword');
  const newHash = await busyAware(hashPassword(input.newPassword));
  const via = expired ? 'expired' : 'change';
  await ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    await storePassword(txCtx, user, newHash, via, session.id);
    if (expired) {
      // The sign-in completes now, with a new session id (SESS-03); the pending one ends.
      const pending = await tx
        .selectFrom('auth_session')
        .select('authMethod')
        .where('id', '=', session.id)
        .executeTakeFirstOrThrow();
      await startSession(txCtx, user, 'complete', pending.authMethod);
    }
  });
  return { via };
}
