import {
  AuthStepResponse,
  CheckSetupTokenInput,
  CheckSetupTokenResponse,
  CreateFirstAdminInput,
  LoginInput,
  OkResponse,
  OneTimeCodeInput,
  SessionListResponse,
  SessionResponse,
  TotpEnrolConfirmResponse,
  TotpEnrolStartResponse,
} from '@medledger/contract';
import { AppError } from '../../platform/errors.js';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { checkSetupToken } from './identity.actions.js';
import {
  completeWithRecoveryCode,
  completeWithTotp,
  confirmTotpEnrolment,
  createFirstAdministrator,
  signInWithPassword,
  signOut,
  startTotpEnrolment,
} from './identity.login.js';
import { SESSION_LIMITS, endSession, listOwnSessions } from './identity.sessions.js';
import { record } from '../audit/index.js';
import { z } from 'zod';
import { requireRecentAuthentication, stepUp } from './identity.signature.js';
import { countUnread } from './identity.notify.js';
import { passwordAge } from './identity.password.js';
import { accountRoutes } from './identity.account.routes.js';
import { userAdminRoutes } from './identity.users.routes.js';
import { smsRoutes } from './identity.sms.routes.js';

// The sign-in steps are public routes: they are reached before a complete session exists, and each
// checks the stage of the session it belongs to. Everything else needs a complete session (AUTH-12).
export const identityRoutes: AnyRouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/setup/token/check',
    audits: 'none',
    public: true,
    summary: 'Check a one-time setup token (not consumed)',
    body: CheckSetupTokenInput,
    response: CheckSetupTokenResponse,
    handler: async (ctx, { body }) => {
      const { expiresAt } = await checkSetupToken(ctx, body.token);
      return { valid: true as const, expiresAt };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/setup/admin',
    audits: 'identity.admin.created',
    public: true,
    summary: 'Create the first administrator with the one-time setup token',
    body: CreateFirstAdminInput,
    response: AuthStepResponse,
    status: 201,
    handler: (ctx, { body }) => createFirstAdministrator(ctx, body, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/login',
    audits: 'none',
    public: true,
    transaction: false,
    summary: 'Sign in, step 1: login and password',
    body: LoginInput,
    response: AuthStepResponse,
    handler: (ctx, { body }) => signInWithPassword(ctx, body, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp',
    audits: 'identity.login.succeeded',
    public: true,
    transaction: false,
    summary: 'Sign in, step 2: authenticator code',
    body: OneTimeCodeInput,
    response: AuthStepResponse,
    handler: (ctx, { body }) => completeWithTotp(ctx, body.code, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/mfa/recovery',
    audits: 'identity.login.succeeded',
    public: true,
    transaction: false,
    summary: 'Sign in, step 2: a recovery code instead',
    body: OneTimeCodeInput,
    response: AuthStepResponse,
    handler: (ctx, { body }) => completeWithRecoveryCode(ctx, body.code, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/totp/enrol/start',
    audits: 'none',
    public: true,
    summary: 'Authenticator enrolment: a new secret to scan',
    response: TotpEnrolStartResponse,
    handler: (ctx) => startTotpEnrolment(ctx),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/totp/enrol/confirm',
    audits: 'identity.totp.enrolled',
    public: true,
    transaction: false,
    summary: 'Authenticator enrolment: confirm with a first code; returns recovery codes once',
    body: OneTimeCodeInput,
    response: TotpEnrolConfirmResponse,
    handler: (ctx, { body }) => confirmTotpEnrolment(ctx, body.code, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/step-up',
    audits: 'identity.stepUp.succeeded',
    signedIn: true,
    transaction: false,
    summary: 'Confirm identity again (authenticator code) before a sensitive action',
    body: OneTimeCodeInput,
    response: OkResponse,
    handler: async (ctx, { body }) => {
      await stepUp(ctx, body.code);
      return { ok: true as const };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/sessions',
    signedIn: true,
    summary: "The signed-in user's live sessions",
    response: SessionListResponse,
    handler: async (ctx) => {
      if (ctx.actor?.kind !== 'user') throw new AppError('unauthenticated', 'Sign in to continue.');
      return { sessions: await listOwnSessions(ctx, ctx.actor.id) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/sessions/:id/end',
    audits: 'identity.session.ended',
    signedIn: true,
    summary: 'End one of your own sessions (needs a recent authentication)',
    params: z.strictObject({ id: z.uuid() }),
    response: OkResponse,
    handler: async (ctx, { params }) => {
      if (ctx.actor?.kind !== 'user') throw new AppError('unauthenticated', 'Sign in to continue.');
      await requireRecentAuthentication(ctx);
      const own = await ctx.db
        .selectFrom('auth_session')
        .select('id')
        .where('id', '=', params.id)
        .where('userId', '=', ctx.actor.id)
        .where('endedAt', 'is', null)
        .executeTakeFirst();
      // Someone else's session, or an ended one: the same answer as a missing one (AC-02).
      if (own === undefined) throw new AppError('not_found', 'No such session.');
      await endSession(ctx.db, own.id, ctx.now, 'ended by the user');
      await record(ctx, {
        action: 'identity.session.ended',
        outcome: 'success',
        resource: { type: 'auth_session', id: own.id },
        data: { reason: 'ended by the user' },
      });
      return { ok: true as const };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    audits: { optional: 'identity.session.ended' },
    public: true,
    summary: 'Sign out: end the session',
    response: OkResponse,
    handler: async (ctx) => {
      await signOut(ctx);
      return { ok: true as const };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/session',
    signedIn: true,
    summary: 'The signed-in user and their permissions (401 unless the session is complete)',
    response: SessionResponse,
    handler: async (ctx) => {
      const actor = ctx.actor;
      if (actor?.kind !== 'user') throw new AppError('unauthenticated', 'Sign in to continue.');
      const user = await ctx.db
        .selectFrom('user_account')
        .select(['id', 'name', 'login', 'passwordChangedAt'])
        .where('id', '=', actor.id)
        .executeTakeFirstOrThrow();
      const privileged = actor.roles.length > 0;
      const age =
        user.passwordChangedAt === null
          ? null
          : passwordAge(ctx.runtime.identity.passwordProfile, new Date(user.passwordChangedAt), ctx.now);
      return {
        user: { id: user.id, name: user.name, login: user.login },
        permissions: [...actor.permissions].sort(),
        idleTimeoutSeconds: (privileged ? SESSION_LIMITS.idlePrivilegedMs : SESSION_LIMITS.idleMs) / 1000,
        passwordExpiresSoon: age?.remind === true ? (age.expiresAt?.toISOString() ?? null) : null,
        unreadNotifications: await countUnread(ctx, actor.id),
      };
    },
  }),
  ...accountRoutes,
  ...userAdminRoutes,
  ...smsRoutes,
];
