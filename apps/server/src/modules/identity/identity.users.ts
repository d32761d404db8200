import type {
  DataField,
  CreateUserInput,
  CreateUserResponse,
  UpdateUserInput,
  UserListQuery,
  UserListResponse,
  UserSummary,
} from '@medledger/contract';
import { sql } from 'kysely';
import { record } from '../audit/index.js';
import { open, seal } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/database.js';
import { requireActor, type Ctx } from '../../platform/http/ctx.js';
import { requireFieldAccess } from '../../platform/http/field-access.js';
import { uuidv7 } from '../../platform/ids.js';
import { loginKeyOf } from './identity.login.js';
import { notifyUser } from './identity.notify.js';
import { issuePasswordLink } from './identity.passwords.js';
import { insertAccount } from './identity.repo.js';
import { endUserSessions } from './identity.sessions.js';
import type { UserAccountTable } from './identity.tables.js';

/** Field masking for administrators: 138****0000. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Field masking for administrators: z***@example.test. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** An employment end date (China calendar day) as the instant it ends: 23:59:59.999 +08:00. */
export function endOfDayChina(date: string): string {
  return new Date(`${date}T23:59:59.999+08:00`).toISOString();
}

/** The China calendar day of an instant stored by {@link endOfDayChina}. */
export function chinaDay(instant: string): string {
  return new Date(new Date(instant).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const phoneRef = (id: string) => ({ table: 'user_account', column: 'phoneSealed', rowId: id });

type Row = Pick<
  UserAccountTable,
  | 'id'
  | 'login'
  | 'name'
  | 'phoneSealed'
  | 'email'
  | 'organisation'
  | 'employmentEndsAt'
  | 'status'
  | 'disabledReason'
  | 'disabledAt'
  | 'lockedUntil'
  | 'passwordHash'
  | 'lastLoginAt'
  | 'createdAt'
>;

const SUMMARY_COLUMNS = [
  'id',
  'login',
  'name',
  'phoneSealed',
  'email',
  'organisation',
  'employmentEndsAt',
  'status',
  'disabledReason',
  'disabledAt',
  'lockedUntil',
  'passwordHash',
  'lastLoginAt',
  'createdAt',
] as const;

/** The second factors each user has (confirmed ones only). */
export async function factorsOf(ctx: Pick<Ctx, 'db'>, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const factors = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return factors;
  const totp = await ctx.db
    .selectFrom('mfa_totp')
    .select('userId')
    .where('userId', 'in', [...userIds])
    .where('confirmedAt', 'is not', null)
    .execute();
  for (const t of totp) factors.get(t.userId)?.push('totp');
  const passkeys = await ctx.db
    .selectFrom('webauthn_credential')
    .select('userId')
    .distinct()
    .where('userId', 'in', [...userIds])
    .execute();
  for (const p of passkeys) factors.get(p.userId)?.push('passkey');
  const sms = await ctx.db
    .selectFrom('mfa_sms')
    .select('userId')
    .where('userId', 'in', [...userIds])
    .execute();
  for (const m of sms) factors.get(m.userId)?.push('sms');
  return factors;
}

async function summarise(ctx: Ctx, rows: readonly Row[]): Promise<UserSummary[]> {
  const factors = await factorsOf(
    ctx,
    rows.map((r) => r.id),
  );
  const nowIso = ctx.now.toISOString();
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      login: r.login,
      name: r.name,
      phoneMasked: r.phoneSealed === null ? null : maskPhone(await open(ctx, phoneRef(r.id), r.phoneSealed)),
      emailMasked: r.email === null ? null : maskEmail(r.email),
      organisation: r.organisation,
      employmentEndsOn: r.employmentEndsAt === null ? null : chinaDay(r.employmentEndsAt),
      status: r.status,
      disabledReason: r.disabledReason,
      disabledAt: r.disabledAt,
      locked: r.lockedUntil !== null && r.lockedUntil > nowIso,
      lockedUntil: r.lockedUntil !== null && r.lockedUntil > nowIso ? r.lockedUntil : null,
      passwordSet: r.passwordHash !== null,
      factors: factors.get(r.id) ?? [],
      lastLoginAt: r.lastLoginAt,
      createdAt: r.createdAt,
    })),
  );
}

async function loadUser(ctx: Ctx, id: string): Promise<Row> {
  const row = await ctx.db.selectFrom('user_account').select(SUMMARY_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such user.');
  return row;
}

export async function userSummary(ctx: Ctx, id: string): Promise<UserSummary> {
  const [summary] = await summarise(ctx, [await loadUser(ctx, id)]);
  return summary!;
}

function adminId(ctx: Ctx): string {
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.id;
}

/** Administrators list accounts, newest first, with phone and e-mail masked. */
export async function listUsers(ctx: Ctx, query: UserListQuery): Promise<UserListResponse> {
  let q = ctx.db.selectFrom('user_account');
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.q !== undefined && query.q !== '') {
    const needle = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('loginKey', 'like', sql<string>`${needle} escape '\\'`),
        eb(eb.fn('lower', ['name']), 'like', sql<string>`${needle} escape '\\'`),
        eb(eb.fn('lower', ['organisation']), 'like', sql<string>`${needle} escape '\\'`),
      ]),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<string | number | bigint>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(SUMMARY_COLUMNS)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { users: await summarise(ctx, rows), total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

/**
 * AUTH-01/18: an administrator creates an account without a password; the user sets it with the
 * single-use invitation link returned here (once). Logins are unique after NFKC and case folding.
 */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<CreateUserResponse> {
  const createdBy = adminId(ctx);
  const loginKey = loginKeyOf(input.login);
  const taken = await ctx.db
    .selectFrom('user_account')
    .select('id')
    .where('loginKey', '=', loginKey)
    .executeTakeFirst();
  if (taken !== undefined) throw new AppError('conflict', 'That login is already taken; choose another.');
  const now = ctx.now.toISOString();
  const id = uuidv7(ctx.now.getTime());
  await insertAccount(
    ctx.db,
    {
      id,
      login: input.login,
      loginKey,
      name: input.name,
      email: input.email,
      phoneSealed: input.phone === null ? null : seal(ctx, phoneRef(id), input.phone),
      organisation: input.organisation,
      employmentEndsAt: input.employmentEndsOn === null ? null : endOfDayChina(input.employmentEndsOn),
      bootstrapRole: null,
      createdBy,
      passwordHash: null,
    },
    now,
  );
  await record(ctx, {
    action: 'identity.user.created',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { login: input.login },
  });
  const link = await issuePasswordLink(ctx, id, 'invite');
  return { user: await userSummary(ctx, id), link };
}

/** Changes an account's details (never its login); the audit lists which fields changed, not values. */
export async function updateUser(ctx: Ctx, id: string, input: UpdateUserInput): Promise<UserSummary> {
  adminId(ctx);
  await loadUser(ctx, id);
  const set: Partial<Pick<UserAccountTable, 'name' | 'email' | 'organisation' | 'phoneSealed' | 'employmentEndsAt'>> =
    {};
  if (input.name !== undefined) set.name = input.name;
  if (input.email !== undefined) set.email = input.email;
  if (input.organisation !== undefined) set.organisation = input.organisation;
  if (input.phone !== undefined) set.phoneSealed = input.phone === null ? null : seal(ctx, phoneRef(id), input.phone);
  if (input.employmentEndsOn !== undefined) {
    set.employmentEndsAt = input.employmentEndsOn === null ? null : endOfDayChina(input.employmentEndsOn);
  }
  const fields = Object.keys(input).sort();
  if (fields.length === 0) throw new AppError('validation_failed', 'Nothing to change.');
  await ctx.db
    .updateTable('user_account')
    .set({ ...set, updatedAt: ctx.now.toISOString() })
    .where('id', '=', id)
    .execute();
  await record(ctx, {
    action: 'identity.user.updated',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { fields },
  });
  return userSummary(ctx, id);
}

/**
 * SESS-06: disabling an account ends its sessions and open password links at once; the user's next
 * request answers 401. Administrators cannot disable themselves (no accidental lock-out).
 */
export async function disableUser(ctx: Ctx, id: string, reason: string): Promise<UserSummary> {
  if (adminId(ctx) === id) throw new AppError('conflict', 'You cannot disable your own account.');
  const user = await loadUser(ctx, id);
  if (user.status === 'disabled') throw new AppError('conflict', 'This account is already disabled.');
  const now = ctx.now.toISOString();
  await ctx.db
    .updateTable('user_account')
    .set({ status: 'disabled', disabledReason: 'administrator', disabledAt: now, updatedAt: now })
    .where('id', '=', id)
    .execute();
  await ctx.db
    .updateTable('password_link')
    .set({ revokedAt: now })
    .where('userId', '=', id)
    .where('usedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .execute();
  const sessionsEnded = await endUserSessions(ctx.db, id, ctx.now, 'account disabled');
  await record(ctx, {
    action: 'identity.user.disabled',
    outcome: 'success',
    resource: { type: 'user_account', id },
    reason,
    data: { reason, sessionsEnded },
  });
  return userSummary(ctx, id);
}

/** AUTH-23: only an administrator re-enables an account (logged); the dormancy clock restarts. */
export async function enableUser(ctx: Ctx, id: string): Promise<UserSummary> {
  adminId(ctx);
  const user = await loadUser(ctx, id);
  if (user.status === 'active') throw new AppError('conflict', 'This account is already active.');
  if (user.employmentEndsAt !== null && user.employmentEndsAt <= ctx.now.toISOString()) {
    throw new AppError('conflict', 'The employment end date has passed: change it first, then enable the account.');
  }
  const now = ctx.now.toISOString();
  await ctx.db
    .updateTable('user_account')
    .set({ status: 'active', disabledReason: null, disabledAt: null, activeSince: now, updatedAt: now })
    .where('id', '=', id)
    .execute();
  await notifyUser(ctx, id, 'account_enabled');
  await record(ctx, {
    action: 'identity.user.enabled',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { previousReason: user.disabledReason },
  });
  return userSummary(ctx, id);
}

/** AUTH-09: an administrator lifts a password lock (the lock never blocks this). */
export async function unlockUser(ctx: Ctx, id: string): Promise<UserSummary> {
  adminId(ctx);
  await loadUser(ctx, id);
  const row = await ctx.db
    .selectFrom('user_account')
    .select('failedLogins')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('user_account')
    .set({ failedLogins: 0, lockedUntil: null, lastFailedLoginAt: null, updatedAt: ctx.now.toISOString() })
    .where('id', '=', id)
    .execute();
  await notifyUser(ctx, id, 'account_unlocked');
  await record(ctx, {
    action: 'identity.account.unlocked',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { failures: Number(row.failedLogins) },
  });
  return userSummary(ctx, id);
}

/** AUTH-18: a reset link for the user (the administrator never sees or chooses the password). */
export async function issueResetLink(ctx: Ctx, id: string) {
  adminId(ctx);
  const user = await loadUser(ctx, id);
  if (user.status !== 'active') throw new AppError('conflict', 'Enable the account before issuing a password link.');
  return issuePasswordLink(ctx, id, user.passwordHash === null ? 'invite' : 'reset');
}

/** SESS-06: ends every session of a user now. */
export async function endAllSessionsOf(ctx: Ctx, id: string): Promise<number> {
  adminId(ctx);
  await loadUser(ctx, id);
  const ended = await endUserSessions(ctx.db, id, ctx.now, 'ended by an administrator');
  if (ended > 0) await notifyUser(ctx, id, 'sessions_ended', { ended });
  await record(ctx, {
    action: 'identity.sessions.revoked',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { ended },
  });
  return ended;
}

/**
 * Host-side recovery (`medledger admin enable`): re-enables and unlocks an account by login when no
 * administrator can sign in (e.g. every one went dormant). Audited with the CLI as the actor.
 */
export async function enableByLogin(ctx: Ctx, login: string): Promise<UserSummary> {
  const row = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'status'])
    .where('loginKey', '=', loginKeyOf(login))
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', `No account has the login ${login}.`);
  if (row.status !== 'active') await enableUser(ctx, row.id);
  return unlockUser(ctx, row.id);
}

const CONTACT_FIELDS: readonly DataField[] = ['identity.user.phone', 'identity.user.email'];

/**
 * AC-03: the unmasked phone and e-mail, for a permission that allows it; every reveal is audited
 * (who saw whose details, which fields), never the values themselves.
 */
export async function revealContact(ctx: Ctx, id: string): Promise<{ phone: string | null; email: string | null }> {
  adminId(ctx);
  const user = await loadUser(ctx, id);
  // AC-07: level-3 personal information; the policy engine decides (the permission alone at this level).
  const { level } = requireFieldAccess(requireActor(ctx), CONTACT_FIELDS, 'reveal');
  const phone = user.phoneSealed === null ? null : await open(ctx, phoneRef(id), user.phoneSealed);
  const fields = [...(phone === null ? [] : ['phone' as const]), ...(user.email === null ? [] : ['email' as const])];
  await record(ctx, {
    action: 'identity.user.revealed',
    outcome: 'success',
    resource: { type: 'user_account', id },
    data: { fields, level },
  });
  return { phone, email: user.email };
}

/**
 * AC-06: ends the initial administrator's all-permission role on the given account (once the three
 * separated administrators are appointed; the access module checks that). Returns false when the
 * account no longer holds it. The caller audits and ends the account's sessions.
 */
export async function retireBootstrapRole(db: Db, userId: string): Promise<boolean> {
  const changed = await db
    .updateTable('user_account')
    .set({ bootstrapRole: null })
    .where('id', '=', userId)
    .where('bootstrapRole', 'is not', null)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) === 1;
}
