import { NOTIFICATION_KINDS } from '@medledger/contract';
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
