import {
  CreateUserInput,
  CreateUserResponse,
  DisableUserInput,
  EndedSessionsResponse,
  PasswordLink,
  RevealedContactResponse,
  UpdateUserInput,
  UserListQuery,
  UserListResponse,
  UserResponse,
} from '@medledger/contract';
import { z } from 'zod';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { requireRecentAuthentication } from './identity.signature.js';
import {
  createUser,
  disableUser,
  enableUser,
  endAllSessionsOf,
  issueResetLink,
  revealContact,
  listUsers,
  unlockUser,
  updateUser,
  userSummary,
} from './identity.users.js';

const UserId = z.strictObject({ id: z.uuid() });

/**
 * User administration. Creating accounts, issuing password links and re-enabling accounts need a
 * recent authentication (SESS-09): they hand out access. Every change is audited.
 */
export const userAdminRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/users',
    permission: 'identity.user.read',
    summary: 'List user accounts (phone and e-mail masked)',
    query: UserListQuery,
    response: UserListResponse,
    handler: (ctx, { query }) => listUsers(ctx, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/users/:id',
    permission: 'identity.user.read',
    summary: 'One user account (phone and e-mail masked)',
    params: UserId,
    response: UserResponse,
    handler: async (ctx, { params }) => ({ user: await userSummary(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users',
    audits: 'identity.user.created',
    permission: 'identity.user.manage',
    summary: 'Create a user account; returns a single-use invitation link to set the password (shown once)',
    body: CreateUserInput,
    response: CreateUserResponse,
    status: 201,
    handler: async (ctx, { body }) => {
      await requireRecentAuthentication(ctx);
      return createUser(ctx, body);
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    audits: 'identity.user.updated',
    permission: 'identity.user.manage',
    summary: "Change a user's name, phone, e-mail, organisation or employment end date",
    params: UserId,
    body: UpdateUserInput,
    response: UserResponse,
    handler: async (ctx, { params, body }) => ({ user: await updateUser(ctx, params.id, body) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/disable',
    audits: 'identity.user.disabled',
    permission: 'identity.user.manage',
    summary: 'Disable an account: its sessions and password links end at once (SESS-06)',
    params: UserId,
    body: DisableUserInput,
    response: UserResponse,
    handler: async (ctx, { params, body }) => ({ user: await disableUser(ctx, params.id, body.reason) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/enable',
    audits: 'identity.user.enabled',
    permission: 'identity.user.manage',
    summary: 'Enable a disabled account again (needs a recent authentication)',
    params: UserId,
    response: UserResponse,
    handler: async (ctx, { params }) => {
      await requireRecentAuthentication(ctx);
      return { user: await enableUser(ctx, params.id) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/unlock',
    audits: 'identity.account.unlocked',
    permission: 'identity.user.manage',
    summary: 'Lift a password lock after repeated failures (AUTH-09)',
    params: UserId,
    response: UserResponse,
    handler: async (ctx, { params }) => ({ user: await unlockUser(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/password-link',
    audits: 'identity.passwordLink.issued',
    permission: 'identity.user.manage',
    summary: 'Issue a single-use password link (reset: 10 minutes); the administrator never sees the password',
    params: UserId,
    response: PasswordLink,
    status: 201,
    handler: async (ctx, { params }) => {
      await requireRecentAuthentication(ctx);
      return issueResetLink(ctx, params.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/sessions/end',
    audits: 'identity.sessions.revoked',
    permission: 'identity.user.manage',
    summary: "End all of a user's sessions now (SESS-06)",
    params: UserId,
    response: EndedSessionsResponse,
    handler: async (ctx, { params }) => ({ ended: await endAllSessionsOf(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/reveal',
    audits: 'identity.user.revealed',
    permission: 'identity.user.reveal',
    summary: "Show a user's full phone number and e-mail; each reveal is audited (AC-03)",
    params: UserId,
    response: RevealedContactResponse,
    handler: (ctx, { params }) => revealContact(ctx, params.id),
  }),
];
