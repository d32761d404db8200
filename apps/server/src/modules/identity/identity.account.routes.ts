import {
  ChangePasswordInput,
  CheckPasswordLinkInput,
  CheckPasswordLinkResponse,
  MySecurityResponse,
  NotificationListResponse,
  OkResponse,
  UsePasswordLinkInput,
} from '@medledger/contract';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { countFailure } from './identity.login.js';
import { dismissNotification, listNotifications, markAllRead } from './identity.notify.js';
import { passwordAge } from './identity.password.js';
import { changeOwnPassword, checkPasswordLink, usePasswordLink } from './identity.passwords.js';
import { isPrivilegedAccount } from './identity.sessions.js';
import { factorsOf } from './identity.users.js';

function signedIn(ctx: Ctx): string {
  if (ctx.actor?.kind !== 'user') throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.id;
}

/** Per-IP throttle on the public password-link routes (the same budget as sign-in, AUTH-08). */
function throttle(ctx: Ctx): void {
  const hit = ctx.runtime.identity.loginLimiter.hit(ctx.ip, ctx.now.getTime());
  if (!hit.allowed) {
    ctx.reply.header('retry-after', String(hit.retryAfterSeconds));
    throw new AppError('rate_limited', `Too many attempts from this address. Wait ${hit.retryAfterSeconds} seconds.`);
  }
}

/** Self-service: password links, password change, the user's own security overview. */
export const accountRoutes: AnyRouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/password-link/check',
    audits: 'none',
    public: true,
    summary: 'Check a single-use password link (not used up)',
    body: CheckPasswordLinkInput,
    response: CheckPasswordLinkResponse,
    handler: (ctx, { body }) => {
      throttle(ctx);
      return checkPasswordLink(ctx, body.token);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/password-link/use',
    audits: 'identity.password.set',
    public: true,
    transaction: false,
    summary: 'Set the password with a single-use link; every session of the account ends (AUTH-18)',
    body: UsePasswordLinkInput,
    response: OkResponse,
    handler: async (ctx, { body }) => {
      throttle(ctx);
      await usePasswordLink(ctx, body.token, body.password, ctx.runtime.identity.passwordProfile);
      return { ok: true as const };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/password',
    audits: 'identity.password.set',
    public: true,
    transaction: false,
    summary: 'Change your password (the current one is required); also the step for an expired password',
    body: ChangePasswordInput,
    response: z.object({ next: z.literal('done') }),
    handler: async (ctx, { body }) => {
      const profile = ctx.runtime.identity.passwordProfile;
      await changeOwnPassword(ctx, body, profile, (c, userId) => countFailure(c, userId, profile, 'password'));
      return { next: 'done' as const };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/security',
    signedIn: true,
    summary: 'Your own security overview: factors, password age, recent sign-ins',
    response: MySecurityResponse,
    handler: async (ctx) => {
      const userId = signedIn(ctx);
      const user = await ctx.db
        .selectFrom('user_account')
        .select(['login', 'name', 'passwordChangedAt', 'bootstrapRole'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      const codes = await ctx.db
        .selectFrom('recovery_code')
        .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .executeTakeFirstOrThrow();
      const logins = await ctx.db
        .selectFrom('auth_session')
        .select(['createdAt', 'authMethod', 'ip', 'userAgent', 'endedAt'])
        .where('userId', '=', userId)
        .where('stage', '=', 'complete')
        .orderBy('createdAt', 'desc')
        .limit(10)
        .execute();
      const profile = ctx.runtime.identity.passwordProfile;
      const age =
        user.passwordChangedAt === null ? null : passwordAge(profile, new Date(user.passwordChangedAt), ctx.now);
      return {
        login: user.login,
        name: user.name,
        factors: (await factorsOf(ctx, [userId])).get(userId) ?? [],
        recoveryCodesLeft: Number(codes.n),
        passwordChangedAt: user.passwordChangedAt,
        passwordExpiresAt: age?.expiresAt?.toISOString() ?? null,
        passwordProfile: profile,
        privileged: await isPrivilegedAccount(ctx, { id: userId, bootstrapRole: user.bootstrapRole }),
        recentLogins: logins.map((l) => ({
          at: l.createdAt,
          method: l.authMethod,
          ip: l.ip,
          userAgent: l.userAgent,
          live: l.endedAt === null,
        })),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/notifications',
    signedIn: true,
    summary: 'Your account notifications, newest first',
    response: NotificationListResponse,
    handler: async (ctx) => ({ notifications: await listNotifications(ctx, signedIn(ctx)) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/notifications/read',
    audits: 'none',
    signedIn: true,
    summary: 'Mark all your notifications read',
    response: OkResponse,
    handler: async (ctx) => {
      await markAllRead(ctx, signedIn(ctx));
      return { ok: true as const };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/notifications/:id/dismiss',
    audits: 'identity.notification.dismissed',
    signedIn: true,
    summary: 'Dismiss one of your notifications (e.g. the new-device sign-in warning): marked read, audited',
    params: z.strictObject({ id: z.uuid() }),
    response: OkResponse,
    handler: async (ctx, { params }) => {
      await dismissNotification(ctx, signedIn(ctx), params.id);
      return { ok: true as const };
    },
  }),
];
