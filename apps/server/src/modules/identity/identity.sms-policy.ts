import { blindIndex, open } from '../keys/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { smsAllowedFor } from './identity.sessions.js';
import { e164 } from './identity.sms-sender.js';

/** Why a text-message code cannot be used (also the audit reason). */
export type SmsRefusal = 'disabled' | 'not_allowed' | 'no_phone' | 'not_enrolled';

export type SmsAccount = { id: string; name: string; bootstrapRole: string | null; phone: string; phoneIndex: string };

/**
 * AUTH-11/15: may this account receive and use a text-message code now? `enrol` (the account is
 * choosing its second factor) needs a provider, an account allowed to use SMS, and a number on
 * record; `login` also needs SMS to have been enrolled (the number was verified with a code).
 */
export async function smsEligibility(
  ctx: Ctx,
  userId: string,
  purpose: 'login' | 'enrol',
): Promise<{ ok: true; user: SmsAccount } | { ok: false; reason: SmsRefusal }> {
  if (ctx.runtime.identity.sms.sender === null) return { ok: false, reason: 'disabled' };
  const user = await ctx.db
    .selectFrom('user_account as u')
    .leftJoin('mfa_sms as m', 'm.userId', 'u.id')
    .select(['u.id', 'u.name', 'u.bootstrapRole', 'u.phoneSealed', 'm.phoneIndex as enrolledPhone'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (user === undefined || !(await smsAllowedFor(ctx, user))) return { ok: false, reason: 'not_allowed' };
  if (user.phoneSealed === null) return { ok: false, reason: 'no_phone' };
  const phone = await open(ctx, { table: 'user_account', column: 'phoneSealed', rowId: user.id }, user.phoneSealed);
  const phoneIndex = blindIndex(ctx, 'identity.phone', e164(phone));
  // AUTH-15: codes go only to the number that was verified; a changed number must be enrolled again.
  if (purpose === 'login' && user.enrolledPhone !== phoneIndex) return { ok: false, reason: 'not_enrolled' };
  return { ok: true, user: { id: user.id, name: user.name, bootstrapRole: user.bootstrapRole, phone, phoneIndex } };
}

/** Whether the sign-in step offers `sms` to this account. */
export async function smsUsableAtSignIn(ctx: Ctx, userId: string): Promise<boolean> {
  return (await smsEligibility(ctx, userId, 'login')).ok;
}
