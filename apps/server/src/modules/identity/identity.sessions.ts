import { createHash, timingSafeEqual } from 'node:crypto';
import type { Permission } from '@medledger/contract';
import { PERMISSIONS } from '@medledger/contract';
import type { Db } from '../../platform/db/database.js';
import type { Actor, Authenticator, Ctx, SessionRef } from '../../platform/http/ctx.js';
import { readSessionToken } from '../../platform/http/cookies.js';
import { randomPooled, uuidv7 } from '../../platform/ids.js';
import type { Runtime } from '../../platform/runtime.js';
import type { SessionStage, UserAccountTable } from './identity.tables.js';

/** SESS-08: at most this many complete sessions per user; signing in again ends the oldest. */
export const MAX_SESSIONS_PER_USER = 3;

/** SESS-04: idle 15 min for privileged roles, 30 min otherwise; 12 h absolute. */
export const SESSION_LIMITS = { idlePrivilegedMs: 15 * 60_000, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
/** A session that is not complete (password checked, factor pending) lives at most this long. */
const PENDING_MS = 10 * 60_000;
/** lastSeenAt is written at most this often (idle accuracy vs one write per request). */
const TOUCH_MS = 30_000;

export const tokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Until role assignments exist (the access module), the first administrator's bootstrap role
 * carries every permission of the catalogue. Privileged: the shorter idle timeout applies.
 */
export function permissionsOf(user: Pick<UserAccountTable, 'bootstrapRole'>): Set<Permission> {
  if (user.bootstrapRole === 'administrator') return new Set(Object.keys(PERMISSIONS) as Permission[]);
  return new Set();
}

export const isPrivileged = (user: Pick<UserAccountTable, 'bootstrapRole'>): boolean => user.bootstrapRole !== null;

/**
 * Privileged by the bootstrap role or by an assigned role (administrators, high-risk grants): the
 * shorter idle timeout, the 15-character password minimum and no SMS factor apply (AUTH-02/11).
 */
export async function isPrivilegedAccount(
  ctx: Pick<Ctx, 'db' | 'runtime'>,
  user: Pick<UserAccountTable, 'id' | 'bootstrapRole'>,
): Promise<boolean> {
  if (isPrivileged(user)) return true;
  const assigned = await ctx.runtime.identity.roles?.(ctx.db, user.id);
  return assigned?.privileged ?? false;
}

/**
 * AUTH-11: may this account use text-message codes as its second factor? Never privileged accounts
 * (the bootstrap role, administrator and other high-risk roles); roles that read patient data join
 * them when they exist. The one place that decides, at enrolment and at every sign-in.
 */
export async function smsAllowedFor(
  ctx: Pick<Ctx, 'db' | 'runtime'>,
  user: Pick<UserAccountTable, 'id' | 'bootstrapRole'>,
): Promise<boolean> {
  return !(await isPrivilegedAccount(ctx, user));
}

/**
 * SESS-01/03: a new session with a fresh 256-bit token (only its digest is stored). Any session the
 * request already carried is ended first, so a planted cookie never becomes a signed-in one.
 */
export async function startSession(
  ctx: Pick<Ctx, 'db' | 'now' | 'ip' | 'userAgent' | 'session' | 'reply' | 'runtime'>,
  user: Pick<UserAccountTable, 'id' | 'bootstrapRole'>,
  stage: SessionStage,
  authMethod: string | null,
): Promise<SessionRef> {
  if (ctx.session !== null) await endSession(ctx.db, ctx.session.id, ctx.now, 'replaced');
  const token = randomPooled(32).toString('base64url');
  const now = ctx.now.toISOString();
  const complete = stage === 'complete';
  const ref: SessionRef = { id: uuidv7(ctx.now.getTime()), userId: user.id, stage, tokenHash: tokenDigest(token) };
  await ctx.db
    .insertInto('auth_session')
    .values({
      id: ref.id,
      tokenHash: ref.tokenHash,
      userId: user.id,
      stage,
      authMethod,
      privileged: (await isPrivilegedAccount(ctx, user)) ? 1 : 0,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      createdAt: now,
      lastSeenAt: now,
      authenticatedAt: complete ? now : null,
      reauthMethod: null,
      expiresAt: new Date(ctx.now.getTime() + (complete ? SESSION_LIMITS.absoluteMs : PENDING_MS)).toISOString(),
      endedAt: null,
      endReason: null,
    })
    .execute();
  ctx.reply.setSessionCookie(token);
  if (complete) await enforceSessionLimit(ctx.db, user.id, ctx.now);
  return ref;
}

/** SESS-08: ends the oldest complete sessions beyond the per-user limit. */
async function enforceSessionLimit(db: Db, userId: string, at: Date): Promise<void> {
  const live = await db
    .selectFrom('auth_session')
    .select('id')
    .where('userId', '=', userId)
    .where('stage', '=', 'complete')
    .where('endedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  for (const old of live.slice(MAX_SESSIONS_PER_USER)) await endSession(db, old.id, at, 'session limit reached');
}

/** SESS-07: the user's live, complete sessions (newest first). */
export async function listOwnSessions(ctx: Pick<Ctx, 'db' | 'session'>, userId: string) {
  const rows = await ctx.db
    .selectFrom('auth_session')
    .select(['id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'])
    .where('userId', '=', userId)
    .where('stage', '=', 'complete')
    .where('endedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, current: r.id === ctx.session?.id }));
}

export async function endSession(db: Db, sessionId: string, at: Date, reason: string): Promise<void> {
  await db
    .updateTable('auth_session')
    .set({ endedAt: at.toISOString(), endReason: reason })
    .where('id', '=', sessionId)
    .where('endedAt', 'is', null)
    .execute();
}

/** SESS-06: ends every live session of a user (disabled, roles changed, password reset). */
export async function endUserSessions(db: Db, userId: string, at: Date, reason: string): Promise<number> {
  const result = await db
    .updateTable('auth_session')
    .set({ endedAt: at.toISOString(), endReason: reason })
    .where('userId', '=', userId)
    .where('endedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function idleLimit(privileged: number): number {
  return privileged === 1 ? SESSION_LIMITS.idlePrivilegedMs : SESSION_LIMITS.idleMs;
}

/**
 * The authenticator for browser sessions: reads `__Host-sid`, finds the live session by digest,
 * enforces absolute and idle lifetimes server-side (SESS-04), and yields the actor only for a
 * complete session whose account is active. Expired sessions are ended on sight.
 */
export function sessionAuthenticator(runtime: Runtime): Authenticator {
  const none = { actor: null, session: null };
  return async (request) => {
    const token = readSessionToken(request);
    if (token === null) return none;
    const digest = tokenDigest(token);
    const now = runtime.clock.now();
    const row = await runtime.db
      .selectFrom('auth_session as s')
      .innerJoin('user_account as u', 'u.id', 's.userId')
      .select([
        's.id',
        's.tokenHash',
        's.userId',
        's.stage',
        's.authMethod',
        's.privileged',
        's.lastSeenAt',
        's.expiresAt',
        'u.name',
        'u.login',
        'u.status',
        'u.bootstrapRole',
        'u.employmentEndsAt',
      ])
      .where('s.tokenHash', '=', digest)
      .where('s.endedAt', 'is', null)
      .executeTakeFirst();
    if (row === undefined) return none;
    // Defence in depth: the lookup was by digest; compare it again in constant time.
    if (!timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(digest, 'hex'))) return none;
    const idleFor = now.getTime() - new Date(row.lastSeenAt).getTime();
    const expired = now.toISOString() >= row.expiresAt || idleFor >= idleLimit(row.privileged);
    const inactive =
      row.status !== 'active' || (row.employmentEndsAt !== null && row.employmentEndsAt <= now.toISOString());
    if (expired || inactive) {
      await endSession(runtime.db, row.id, now, expired ? 'expired' : 'account inactive');
      return none;
    }
    if (idleFor >= TOUCH_MS) {
      await runtime.db
        .updateTable('auth_session')
        .set({ lastSeenAt: now.toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
    const session: SessionRef = { id: row.id, userId: row.userId, stage: row.stage, tokenHash: row.tokenHash };
    if (row.stage !== 'complete') return { actor: null, session };
    // Assignments are read on every request: a revoked role stops working on the next one (SESS-06).
    const assigned = await runtime.identity.roles?.(runtime.db, row.userId, now);
    const permissions = permissionsOf(row);
    // Permissions of the bootstrap role are organisation-wide; the rest keep their sites (AC-02).
    const sites = new Map(assigned?.sites ?? []);
    for (const p of permissions) sites.delete(p);
    for (const p of assigned?.permissions ?? []) permissions.add(p);
    const actor: Actor = {
      kind: 'user',
      id: row.userId,
      name: row.name,
      roles: [...(row.bootstrapRole === null ? [] : [row.bootstrapRole]), ...(assigned?.roles ?? [])],
      permissions,
      ...(assigned?.suspended !== undefined && assigned.suspended.size > 0 ? { suspended: assigned.suspended } : {}),
      ...(sites.size > 0 ? { sites } : {}),
      sessionHash: row.tokenHash,
      ...(row.authMethod === null ? {} : { authMethod: row.authMethod }),
    };
    return { actor, session };
  };
}
