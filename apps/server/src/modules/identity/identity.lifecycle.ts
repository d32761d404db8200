import { record } from '../audit/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import type { UserAccountTable } from './identity.tables.js';
import { endUserSessions } from './identity.sessions.js';

/** AUTH-23 (parameter sheet): an account with no sign-in for this many days is disabled. */
export const DORMANT_DAYS_DEFAULT = 90;

type LifecycleFields = Pick<UserAccountTable, 'status' | 'lastLoginAt' | 'activeSince' | 'employmentEndsAt'>;

/** Why an active account must be disabled now, or null when it may stay active (AUTH-23). */
export function inactiveReason(
  user: LifecycleFields,
  now: Date,
  dormantDays: number,
): 'dormant' | 'employment_ended' | null {
  if (user.status !== 'active') return null;
  const at = now.toISOString();
  if (user.employmentEndsAt !== null && user.employmentEndsAt <= at) return 'employment_ended';
  const lastActivity = [user.lastLoginAt, user.activeSince]
    .filter((v): v is string => v !== null)
    .sort()
    .at(-1);
  const cutoff = new Date(now.getTime() - dormantDays * 86_400_000).toISOString();
  if (lastActivity === undefined || lastActivity < cutoff) return 'dormant';
  return null;
}

/**
 * AUTH-23: disables every active account that is dormant (no sign-in for `dormantDays`) or past its
 * employment end date, ends its sessions and audits `identity.account.dormant`. Each account in its
 * own transaction; an account re-enabled meanwhile is left alone. Returns how many were disabled.
 */
export async function disableInactiveAccounts(ctx: Ctx, dormantDays: number): Promise<number> {
  const at = ctx.now.toISOString();
  const cutoff = new Date(ctx.now.getTime() - dormantDays * 86_400_000).toISOString();
  const candidates = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'login', 'status', 'lastLoginAt', 'activeSince', 'employmentEndsAt'])
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([eb('employmentEndsAt', 'is not', null), eb('employmentEndsAt', '<=', at)]),
        eb.and([
          eb('activeSince', '<', cutoff),
          eb.or([eb('lastLoginAt', 'is', null), eb('lastLoginAt', '<', cutoff)]),
        ]),
      ]),
    )
    .execute();
  let disabled = 0;
  for (const user of candidates) {
    const reason = inactiveReason(user, ctx.now, dormantDays);
    if (reason === null) continue;
    const done = await ctx.db.transaction().execute(async (tx) => {
      const changed = await tx
        .updateTable('user_account')
        .set({ status: 'disabled', disabledReason: reason, disabledAt: at, updatedAt: at })
        .where('id', '=', user.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) return false;
      const sessionsEnded = await endUserSessions(tx, user.id, ctx.now, `account ${reason.replace('_', ' ')}`);
      await tx
        .updateTable('password_link')
        .set({ revokedAt: at })
        .where('userId', '=', user.id)
        .where('usedAt', 'is', null)
        .where('revokedAt', 'is', null)
        .execute();
      await record(
        { ...ctx, db: tx },
        {
          action: 'identity.account.dormant',
          outcome: 'success',
          resource: { type: 'user_account', id: user.id },
          data: { reason, lastLoginAt: user.lastLoginAt, sessionsEnded },
        },
      );
      return true;
    });
    if (done) disabled++;
  }
  return disabled;
}
