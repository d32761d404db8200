import {
  DELEGABLE_BUSINESS_PERMISSIONS,
  BUILTIN_ROLES,
  roleDefinition,
  type RoleAssignmentView,
  type Permission,
  type RoleDefinition,
  type BootstrapStatusResponse,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import { endUserSessions, requireRecentAuthentication, retireBootstrapRole } from '../identity/index.js';
import { trainingStatus, type TrainingStatus } from '../training/index.js';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { requireActor, type Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import type { AccessAssignmentTable } from './access.tables.js';

const BUILTIN_ROLE_LIST: readonly RoleDefinition[] = BUILTIN_ROLES;

/**
 * The roles and permissions a user holds now: their active assignments. A role whose required
 * training has lapsed (TRN-02) gives no permissions; they are reported as suspended, naming the
 * course, unless another role grants them. The identity module's authenticator calls this on every
 * request (wired in by the composition root).
 */
export async function resolveRoles(
  db: Db,
  userId: string,
  now: Date = new Date(),
): Promise<{
  roles: string[];
  permissions: Set<Permission>;
  privileged: boolean;
  suspended: Map<Permission, string>;
  sites: Map<Permission, Set<string>>;
}> {
  const rows = await db
    .selectFrom('access_assignment')
    .select(['roleCode', 'site'])
    .where('userId', '=', userId)
    .where('status', '=', 'active')
    .execute();
  const roles = [...new Set(rows.map((r) => r.roleCode))].sort();
  const permissions = new Set<Permission>();
  const suspended = new Map<Permission, string>();
  let privileged = false;
  const current = new Set<string>();
  for (const code of roles) {
    const def = roleDefinition(code);
    if (def === undefined) continue;
    if (def.highRisk || def.adminClass !== undefined) privileged = true;
    const lapsed = await lapsedTraining(db, userId, def.requiresTraining ?? [], now);
    if (lapsed === null) {
      for (const p of def.permissions) permissions.add(p);
      current.add(code);
    } else {
      for (const p of def.permissions) suspended.set(p, lapsed);
    }
  }
  for (const p of permissions) suspended.delete(p);
  return {
    roles,
    permissions,
    privileged,
    suspended,
    sites: sitesOf(
      rows.filter((r) => current.has(r.roleCode)),
      permissions,
    ),
  };
}

/**
 * AC-02: for each permission, the sites it is held for — unless one of the assignments granting it
 * covers the whole organisation (`site` null), in which case it is left out (organisation-wide).
 */
function sitesOf(
  rows: { roleCode: string; site: string | null }[],
  held: Set<Permission>,
): Map<Permission, Set<string>> {
  const sites = new Map<Permission, Set<string>>();
  const orgWide = new Set<Permission>();
  for (const row of rows) {
    for (const p of roleDefinition(row.roleCode)?.permissions ?? []) {
      if (!held.has(p)) continue;
      if (row.site === null) {
        orgWide.add(p);
        continue;
      }
      const set = sites.get(p) ?? new Set<string>();
      set.add(row.site);
      sites.set(p, set);
    }
  }
  for (const p of orgWide) sites.delete(p);
  return sites;
}

/** Advice naming the first required course that is not current, or null when all are. */
async function lapsedTraining(db: Db, userId: string, courses: readonly string[], now: Date): Promise<string | null> {
  for (const code of courses) {
    let status;
    try {
      status = await trainingStatus({ db }, userId, code, now);
    } catch {
      // A required course that does not exist: fail closed.
      return `This permission needs the training course ${code}, which is not available; ask your administrator.`;
    }
    if (!status.current) return trainingAdvice(status);
  }
  return null;
}

/** TRN-02: what to do about a course that is not current, naming it in both languages. */
export function trainingAdvice(status: TrainingStatus): string {
  const { titleZh, titleEn } = status.course;
  return status.expiresAt === null
    ? `Take the training course “${titleEn}” (${titleZh}) in the Training centre to use this permission.`
    : `Your training “${titleEn}” (${titleZh}) expired on ${status.expiresAt.slice(0, 10)}: take it again in the Training centre to use this permission.`;
}

async function securityAdminExists(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('access_assignment')
    .select('id')
    .where('roleCode', '=', 'security-admin')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

const actorOf = requireActor;

async function view(ctx: Ctx, id: string): Promise<RoleAssignmentView> {
  const [one] = await listAssignments(ctx, { id });
  if (one === undefined) throw new AppError('not_found', 'No such role assignment.');
  return one;
}

export async function listAssignments(
  ctx: Ctx,
  filter: { id?: string; userId?: string; status?: AccessAssignmentTable['status'] },
): Promise<RoleAssignmentView[]> {
  let q = ctx.db
    .selectFrom('access_assignment as a')
    .innerJoin('user_account as u', 'u.id', 'a.userId')
    .leftJoin('user_account as r', 'r.id', 'a.requestedBy')
    .select([
      'a.id',
      'a.userId',
      'u.login as userLogin',
      'u.name as userName',
      'a.roleCode',
      'a.site',
      'a.status',
      'a.reason',
      'a.requestedBy',
      'r.name as requestedByName',
      'a.decidedBy',
      'a.decidedAt',
      'a.createdAt',
    ])
    .orderBy('a.createdAt', 'desc')
    .orderBy('a.id', 'desc')
    .limit(500);
  if (filter.id !== undefined) q = q.where('a.id', '=', filter.id);
  if (filter.userId !== undefined) q = q.where('a.userId', '=', filter.userId);
  if (filter.status !== undefined) q = q.where('a.status', '=', filter.status);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, requestedByName: r.requestedByName ?? r.requestedBy }));
}

/**
 * AC-05/06: grants a role, limited to a data scope.
 * - nobody grants to themselves;
 * - nobody grants a permission they do not hold themselves (no escalation);
 * - no account holds two of the three separated administrator roles (pending grants count);
 * - high-risk roles wait for a second person's approval; others take effect at once.
 * The user's sessions end when a grant takes effect, so the new rights come with a new session id.
 */
export async function assignRole(
  ctx: Ctx,
  input: { userId: string; roleCode: string; site: string | null; reason: string },
): Promise<RoleAssignmentView> {
  const actor = actorOf(ctx);
  const role = roleDefinition(input.roleCode);
  if (role === undefined) throw new AppError('validation_failed', 'No such role.');
  if (input.userId === actor.id) throw new AppError('forbidden', 'You cannot grant a role to yourself.');
  // AC-05: held permissions, plus business permissions for a role that delegates them.
  const delegates =
    actor.permissions.has('access.role.assign') &&
    actor.roles.some((code) => roleDefinition(code)?.delegatesBusinessRoles === true);
  const missing = role.permissions.filter(
    (p) => !actor.permissions.has(p) && !(delegates && DELEGABLE_BUSINESS_PERMISSIONS.has(p)),
  );
  if (missing.length > 0) {
    throw new AppError(
      'forbidden',
      `You cannot grant a role with permissions you do not hold yourself: ${missing.join(', ')}.`,
    );
  }
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'status', 'bootstrapRole'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (user === undefined) throw new AppError('not_found', 'No such user.');
  if (user.status !== 'active') throw new AppError('conflict', 'Enable the account before granting it a role.');
  const held = await ctx.db
    .selectFrom('access_assignment')
    .select(['roleCode', 'site', 'status'])
    .where('userId', '=', input.userId)
    .where('status', 'in', ['pending', 'active'])
    .execute();
  if (held.some((h) => h.roleCode === role.code && h.site === input.site)) {
    throw new AppError('conflict', 'The user already has (or is waiting for) this role in this scope.');
  }
  if (role.adminClass !== undefined) {
    const conflicting = held
      .map((h) => roleDefinition(h.roleCode))
      .find((d) => d?.adminClass !== undefined && d.adminClass !== role.adminClass);
    if (conflicting !== undefined || (user.bootstrapRole !== null && role.adminClass !== undefined)) {
      throw new AppError(
        'conflict',
        `Separation of duties: this account already holds ${conflicting?.en ?? 'the initial administrator role'}; the system, security and audit administrators must be three different people.`,
      );
    }
    await requireRecentAuthentication(ctx);
  }
  const now = ctx.now.toISOString();
  const id = uuidv7(ctx.now.getTime());
  // Nobody can be the second person before a security administrator exists: until then the
  // initial administrator's grants take effect directly (audited as such), so the three
  // separated administrators can be appointed.
  const bootstrap = actor.roles.includes('administrator') && !(await securityAdminExists(ctx.db));
  const status = role.highRisk && !bootstrap ? 'pending' : 'active';
  await ctx.db
    .insertInto('access_assignment')
    .values({
      id,
      userId: input.userId,
      roleCode: role.code,
      site: input.site,
      status,
      reason: input.reason,
      requestedBy: actor.id,
      decidedBy: null,
      decisionReason: null,
      decidedAt: null,
      revokedBy: null,
      revokedAt: null,
      createdAt: now,
    })
    .execute();
  const sessionsEnded = status === 'active' ? await endUserSessions(ctx.db, input.userId, ctx.now, 'roles changed') : 0;
  await record(ctx, {
    action: 'access.role.assigned',
    outcome: 'success',
    resource: { type: 'user_account', id: input.userId },
    reason: input.reason,
    data: { assignmentId: id, roleCode: role.code, site: input.site, status, bootstrap, sessionsEnded },
  });
  return view(ctx, id);
}

/** AC-05: a second person approves or rejects a pending high-risk grant — never the requester or the grantee. */
export async function decideAssignment(
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'reject',
  reason: string,
): Promise<RoleAssignmentView> {
  const actor = actorOf(ctx);
  const row = await ctx.db.selectFrom('access_assignment').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such role assignment.');
  if (row.status !== 'pending') throw new AppError('conflict', 'This grant has already been decided.');
  if (row.requestedBy === actor.id || row.userId === actor.id) {
    throw new AppError('forbidden', 'A high-risk grant needs a second person: you requested it or would receive it.');
  }
  // The grantor already had to hold every permission of the role; the approver is the second pair
  // of eyes (the security administrator, who must not hold the audit administrator's rights).
  await requireRecentAuthentication(ctx);
  const now = ctx.now.toISOString();
  const status = decision === 'approve' ? 'active' : 'rejected';
  const changed = await ctx.db
    .updateTable('access_assignment')
    .set({ status, decidedBy: actor.id, decisionReason: reason, decidedAt: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) throw new AppError('conflict', 'This grant has already been decided.');
  const sessionsEnded = status === 'active' ? await endUserSessions(ctx.db, row.userId, ctx.now, 'roles changed') : 0;
  await record(ctx, {
    action: decision === 'approve' ? 'access.role.approved' : 'access.role.rejected',
    outcome: 'success',
    resource: { type: 'user_account', id: row.userId },
    reason,
    data: { assignmentId: id, roleCode: row.roleCode, site: row.site, sessionsEnded },
  });
  return view(ctx, id);
}

/** SESS-06: revoking a role ends the user's sessions at once. */
export async function revokeAssignment(ctx: Ctx, id: string, reason: string): Promise<RoleAssignmentView> {
  const actor = actorOf(ctx);
  const row = await ctx.db.selectFrom('access_assignment').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such role assignment.');
  if (row.status !== 'active' && row.status !== 'pending') {
    throw new AppError('conflict', 'This role assignment is not in force.');
  }
  const now = ctx.now.toISOString();
  await ctx.db
    .updateTable('access_assignment')
    .set({ status: 'revoked', revokedBy: actor.id, revokedAt: now })
    .where('id', '=', id)
    .execute();
  const sessionsEnded = await endUserSessions(ctx.db, row.userId, ctx.now, 'roles changed');
  await record(ctx, {
    action: 'access.role.revoked',
    outcome: 'success',
    resource: { type: 'user_account', id: row.userId },
    reason,
    data: { assignmentId: id, roleCode: row.roleCode, site: row.site, sessionsEnded },
  });
  return view(ctx, id);
}

/**
 * Active users who hold `permission` through an active role assignment (e.g. QA for expiry
 * reminders). Training gating is not applied: a reminder should reach them anyway.
 */
export async function usersWithPermission(db: Db, permission: Permission): Promise<string[]> {
  const roles = BUILTIN_ROLE_LIST.filter((r) => r.permissions.includes(permission)).map((r) => r.code);
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('access_assignment')
    .select('userId')
    .distinct()
    .where('status', '=', 'active')
    .where('roleCode', 'in', roles)
    .orderBy('userId')
    .execute();
  return rows.map((r) => r.userId);
}

/**
 * AC-06: the initial administrator's all-permission role and who holds each of the three separated
 * administrator roles — another active account, with the role in force (its training current).
 */
export async function bootstrapStatus(ctx: Ctx): Promise<BootstrapStatusResponse> {
  const holder =
    (await ctx.db
      .selectFrom('user_account')
      .select(['id', 'login', 'name'])
      .where('bootstrapRole', '=', 'administrator')
      .orderBy('createdAt')
      .executeTakeFirst()) ?? null;
  const administrators: BootstrapStatusResponse['administrators'] = [];
  for (const role of BUILTIN_ROLE_LIST) {
    if (role.adminClass === undefined) continue;
    const rows = await ctx.db
      .selectFrom('access_assignment as a')
      .innerJoin('user_account as u', 'u.id', 'a.userId')
      .select(['u.id', 'u.login', 'u.name'])
      .distinct()
      .where('a.roleCode', '=', role.code)
      .where('a.status', '=', 'active')
      .where('u.status', '=', 'active')
      .orderBy('u.login')
      .execute();
    const holders: { id: string; login: string; name: string }[] = [];
    for (const row of rows) {
      if (row.id === holder?.id) continue;
      const resolved = await resolveRoles(ctx.db, row.id, ctx.now);
      if (role.permissions.every((p) => resolved.permissions.has(p))) holders.push(row);
    }
    administrators.push({ roleCode: role.code, adminClass: role.adminClass, holders });
  }
  return { holder, administrators, ready: administrators.every((a) => a.holders.length > 0) };
}

/**
 * AC-06: the initial administrator gives up the all-permission role once the system, security and
 * audit administrators are three other people with their roles in force. Needs a recent sign-in;
 * the account's sessions end, and it keeps only the roles granted to it like anyone else's.
 */
export async function retireBootstrap(ctx: Ctx, reason: string): Promise<BootstrapStatusResponse> {
  const actor = actorOf(ctx);
  const status = await bootstrapStatus(ctx);
  if (status.holder?.id !== actor.id) {
    throw new AppError(
      'forbidden',
      'Only the initial administrator account can give up the initial administrator role.',
    );
  }
  const missing = status.administrators.filter((a) => a.holders.length === 0);
  if (missing.length > 0) {
    const names = missing.map((a) => roleDefinition(a.roleCode)?.en ?? a.roleCode).join(', ');
    throw new AppError(
      'conflict',
      `Appoint the ${names} first — another person for each, with the role in force and their training current; then give up the initial administrator role.`,
    );
  }
  await requireRecentAuthentication(ctx);
  if (!(await retireBootstrapRole(ctx.db, actor.id))) {
    throw new AppError('conflict', 'The initial administrator role has already been given up.');
  }
  const sessionsEnded = await endUserSessions(ctx.db, actor.id, ctx.now, 'roles changed');
  const holdersOf = (adminClass: string) =>
    status.administrators.filter((a) => a.adminClass === adminClass).flatMap((a) => a.holders.map((h) => h.id));
  await record(ctx, {
    action: 'access.bootstrap.retired',
    outcome: 'success',
    resource: { type: 'user_account', id: actor.id },
    reason,
    data: {
      systemAdmins: holdersOf('system'),
      securityAdmins: holdersOf('security'),
      auditAdmins: holdersOf('audit'),
      sessionsEnded,
    },
  });
  return { ...status, holder: null };
}
