import {
  RoleAssignmentListQuery,
  RoleAssignmentListResponse,
  RoleAssignmentResponse,
  AssignRoleInput,
  BUILTIN_ROLES,
  DecideAssignmentInput,
  EffectiveAccessResponse,
  PERMISSIONS,
  type Permission,
  RoleListResponse,
  BootstrapStatusResponse,
  RetireBootstrapInput,
} from '@medledger/contract';
import { z } from 'zod';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { AppError } from '../../platform/errors.js';
import {
  assignRole,
  bootstrapStatus,
  decideAssignment,
  listAssignments,
  resolveRoles,
  retireBootstrap,
  revokeAssignment,
} from './access.roles.js';

const AssignmentId = z.strictObject({ id: z.uuid() });

/** Roles, role assignments with data scopes, and the approval of high-risk grants (AC-05/06). */
export const accessRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/access/roles',
    permission: 'access.role.read',
    summary: 'The roles and the permissions each carries',
    response: RoleListResponse,
    handler: () =>
      Promise.resolve({
        roles: BUILTIN_ROLES.map((r) => ({
          code: r.code,
          zh: r.zh,
          en: r.en,
          descriptionZh: r.descriptionZh,
          descriptionEn: r.descriptionEn,
          adminClass: 'adminClass' in r ? r.adminClass : null,
          highRisk: r.highRisk,
          permissions: [...r.permissions],
        })),
      }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/access/assignments',
    permission: 'access.role.read',
    summary: 'Role assignments, by user or status (pending: the approval inbox)',
    query: RoleAssignmentListQuery,
    response: RoleAssignmentListResponse,
    handler: async (ctx, { query }) => ({ assignments: await listAssignments(ctx, query) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/access/assignments',
    audits: 'access.role.assigned',
    permission: 'access.role.assign',
    summary: 'Grant a role in a data scope; high-risk roles wait for a second approver',
    body: AssignRoleInput,
    response: RoleAssignmentResponse,
    status: 201,
    handler: async (ctx, { body }) => ({ assignment: await assignRole(ctx, body) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/access/assignments/:id/approve',
    audits: 'access.role.approved',
    permission: 'access.assignment.approve',
    summary: 'Approve a pending high-risk grant (a second person; needs a recent authentication)',
    params: AssignmentId,
    body: DecideAssignmentInput,
    response: RoleAssignmentResponse,
    handler: async (ctx, { params, body }) => ({
      assignment: await decideAssignment(ctx, params.id, 'approve', body.reason),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/access/assignments/:id/reject',
    audits: 'access.role.rejected',
    permission: 'access.assignment.approve',
    summary: 'Reject a pending high-risk grant',
    params: AssignmentId,
    body: DecideAssignmentInput,
    response: RoleAssignmentResponse,
    handler: async (ctx, { params, body }) => ({
      assignment: await decideAssignment(ctx, params.id, 'reject', body.reason),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/access/assignments/:id/revoke',
    audits: 'access.role.revoked',
    permission: 'access.role.assign',
    summary: "Revoke a role; the user's sessions end at once (SESS-06)",
    params: AssignmentId,
    body: DecideAssignmentInput,
    response: RoleAssignmentResponse,
    handler: async (ctx, { params, body }) => ({ assignment: await revokeAssignment(ctx, params.id, body.reason) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/access/users/:id/effective',
    permission: 'access.role.read',
    summary: 'What a user can do now: roles with scopes, permissions, and permissions suspended for lapsed training',
    params: z.strictObject({ id: z.uuid() }),
    response: EffectiveAccessResponse,
    handler: async (ctx, { params }) => {
      const user = await ctx.db
        .selectFrom('user_account')
        .select(['id', 'bootstrapRole'])
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (user === undefined) throw new AppError('not_found', 'No such user.');
      const resolved = await resolveRoles(ctx.db, user.id, ctx.now);
      const active = await listAssignments(ctx, { userId: user.id, status: 'active' });
      const bootstrap = user.bootstrapRole === 'administrator';
      const permissions = bootstrap ? (Object.keys(PERMISSIONS) as Permission[]) : [...resolved.permissions];
      return {
        roles: active.map((a) => ({ code: a.roleCode, site: a.site })),
        permissions: permissions.sort(),
        suspended: bootstrap ? [] : [...resolved.suspended].map(([permission, reason]) => ({ permission, reason })),
        bootstrap,
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/access/bootstrap',
    permission: 'access.role.read',
    summary:
      'Whether the initial administrator still holds every permission, and who holds the three administrator roles',
    response: BootstrapStatusResponse,
    handler: (ctx) => bootstrapStatus(ctx),
  }),
  route({
    method: 'POST',
    url: '/api/v1/access/bootstrap/retirement',
    audits: 'access.bootstrap.retired',
    // Only the initial administrator's own account can do this (checked in the action).
    signedIn: true,
    summary: 'The initial administrator gives up the all-permission role once the three administrators are appointed',
    body: RetireBootstrapInput,
    response: BootstrapStatusResponse,
    handler: (ctx, { body }) => retireBootstrap(ctx, body.reason),
  }),
];
