import { NOTIFICATION_KINDS } from '@medledger/contract';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
type NotificationData = Record<string, string | number | boolean | null>;

/**
 * AUTH-20: tells the user about something that happened to their account (new device, sign-in
 * after failures, factor and password changes, unlocks). Shown on their "my security" page; the
 * data never holds secrets. Written in the caller's transaction.
 */
export async function notifyUser(
  ctx: Pick<Ctx, 'db' | 'now'>,
  userId: string,
  kind: NotificationKind,
  data: NotificationData = {},
): Promise<void> {
  await ctx.db
    .insertInto('user_notification')
    .values({
      id: uuidv7(ctx.now.getTime()),
      userId,
      kind,
      data: JSON.stringify(data),
      createdAt: ctx.now.toISOString(),
      readAt: null,
    })
    .execute();
}

/** The user's latest notifications, newest first. */
export async function listNotifications(ctx: Pick<Ctx, 'db'>, userId: string, limit = 50) {
  const rows = await ctx.db
    .selectFrom('user_notification')
    .select(['id', 'kind', 'data', 'createdAt', 'readAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as NotificationKind,
    data: JSON.parse(r.data) as NotificationData,
    createdAt: r.createdAt,
    read: r.readAt !== null,
  }));
}

export async function countUnread(ctx: Pick<Ctx, 'db'>, userId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('user_notification')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markAllRead(ctx: Pick<Ctx, 'db' | 'now'>, userId: string): Promise<void> {
  await ctx.db
    .updateTable('user_notification')
    .set({ readAt: ctx.now.toISOString() })
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .execute();
}

/**
 * TRN-03: the user dismisses one of their own notifications (the new-device warning in the shell):
 * it is marked read and the dismissal audited. Another user's notification is not found (AC-02).
 */
export async function dismissNotification(ctx: Ctx, userId: string, id: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('user_notification')
    .select(['id', 'kind', 'readAt'])
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such notification.');
  if (row.readAt === null) {
    await ctx.db
      .updateTable('user_notification')
      .set({ readAt: ctx.now.toISOString() })
      .where('id', '=', row.id)
      .where('readAt', 'is', null)
      .execute();
  }
  await record(ctx, {
    action: 'identity.notification.dismissed',
    outcome: 'success',
    resource: { type: 'user_notification', id: row.id },
    data: { kind: row.kind, wasUnread: row.readAt === null },
  });
}

/** TRN-03: days before the password expires at which the user is reminded again (once each). */
export const PASSWORD_REMINDER_LEVELS = [14, 7, 3, 1] as const;

/**
 * TRN-03 / AUTH-03: at sign-in, during the reminder window before the password expires, a
 * `password_expiring` notification — once for each level of {@link PASSWORD_REMINDER_LEVELS}
 * reached since the password was set, so repeated sign-ins do not repeat it.
 */
export async function remindPasswordExpiry(
  ctx: Pick<Ctx, 'db' | 'now'>,
  userId: string,
  age: { remind: boolean; expiresAt: Date | null },
  passwordChangedAt: string,
): Promise<void> {
  if (!age.remind || age.expiresAt === null) return;
  const daysLeft = Math.max(1, Math.ceil((age.expiresAt.getTime() - ctx.now.getTime()) / 86_400_000));
  const level = [...PASSWORD_REMINDER_LEVELS].reverse().find((l) => daysLeft <= l) ?? PASSWORD_REMINDER_LEVELS[0];
  const earlier = await ctx.db
    .selectFrom('user_notification')
    .select('data')
    .where('userId', '=', userId)
    .where('kind', '=', 'password_expiring')
    .where('createdAt', '>=', passwordChangedAt)
    .execute();
  if (earlier.some((r) => (JSON.parse(r.data) as NotificationData).level === level)) return;
  await notifyUser(ctx, userId, 'password_expiring', { daysLeft, level, expiresAt: age.expiresAt.toISOString() });
}
