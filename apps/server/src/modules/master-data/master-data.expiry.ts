import type { ExpiryItem } from '@medledger/contract';
import { usersWithPermission } from '../access/index.js';
import { record } from '../audit/index.js';
import { notifyUser } from '../identity/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { systemCtx } from '../../platform/http/ctx.js';
import type { Runtime } from '../../platform/runtime.js';
import { chinaToday, daysBetween } from './master-data.common.js';

/** Default warning lead times in days (GSP art. 51(5); licence renewal is filed 90 to 30 days ahead). */
export const EXPIRY_LEAD_DAYS = [90, 30] as const;

function levelOf(daysLeft: number, near: number): ExpiryItem['level'] {
  if (daysLeft < 0) return 'expired';
  return daysLeft <= near ? 'due30' : 'due90';
}

/**
 * Qualification documents that have expired or expire within the longest lead time: party
 * licences, registration certificates and representatives' authorisation letters, soonest first.
 * Rejected records are left out; pending ones are included (QA should not approve a lapsing file).
 */
export async function expiringDocuments(
  ctx: Pick<Ctx, 'db' | 'now'>,
  leadDays: readonly number[] = EXPIRY_LEAD_DAYS,
): Promise<{ today: string; leadDays: number[]; items: ExpiryItem[] }> {
  const today = chinaToday(ctx.now);
  const far = Math.max(...leadDays);
  const near = Math.min(...leadDays);
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + far * 86_400_000).toISOString().slice(0, 10);
  const items: ExpiryItem[] = [];
  const licences = await ctx.db
    .selectFrom('md_party_licence as l')
    .innerJoin('md_party as p', 'p.id', 'l.partyId')
    .select(['l.kind', 'l.number', 'l.validUntil', 'p.id', 'p.code', 'p.name'])
    .where('p.status', '!=', 'rejected')
    .where('l.validUntil', 'is not', null)
    .where('l.validUntil', '<=', horizon)
    .execute();
  for (const l of licences) {
    const daysLeft = daysBetween(today, l.validUntil!);
    items.push({
      kind: 'licence',
      document: l.kind,
      number: l.number,
      ownerType: 'party',
      ownerId: l.id,
      ownerCode: l.code,
      ownerName: l.name,
      validUntil: l.validUntil!,
      daysLeft,
      level: levelOf(daysLeft, near),
    });
  }
  const letters = await ctx.db
    .selectFrom('md_rep_authorisation as r')
    .innerJoin('md_party as p', 'p.id', 'r.partyId')
    .select(['r.id as letterId', 'r.repName', 'r.validUntil', 'p.id', 'p.code', 'p.name'])
    .where('p.status', '!=', 'rejected')
    .where('r.validUntil', '<=', horizon)
    .execute();
  for (const r of letters) {
    const daysLeft = daysBetween(today, r.validUntil);
    items.push({
      kind: 'authorisation',
      document: 'rep_authorisation',
      number: r.repName,
      ownerType: 'party',
      ownerId: r.id,
      ownerCode: r.code,
      ownerName: r.name,
      validUntil: r.validUntil,
      daysLeft,
      level: levelOf(daysLeft, near),
    });
  }
  const products = await ctx.db
    .selectFrom('md_product')
    .select(['id', 'code', 'name', 'certificateNo', 'certificateValidUntil'])
    .where('status', '!=', 'rejected')
    .where('certificateCancelledAt', 'is', null)
    .where('certificateValidUntil', 'is not', null)
    .where('certificateValidUntil', '<=', horizon)
    .execute();
  for (const p of products) {
    const daysLeft = daysBetween(today, p.certificateValidUntil!);
    items.push({
      kind: 'certificate',
      document: 'registration_certificate',
      number: p.certificateNo,
      ownerType: 'product',
      ownerId: p.id,
      ownerCode: p.code,
      ownerName: p.name,
      validUntil: p.certificateValidUntil!,
      daysLeft,
      level: levelOf(daysLeft, near),
    });
  }
  items.sort((a, b) => a.validUntil.localeCompare(b.validUntil) || a.ownerCode.localeCompare(b.ownerCode));
  return { today, leadDays: [...leadDays].sort((a, b) => b - a), items };
}

/**
 * The daily job: tells every QA user (holders of `master-data.change.approve`) about documents that
 * reached a new warning level since the last run — one notification per run, each document and
 * level announced once. Audited as a system action.
 */
export async function notifyExpiringDocuments(
  runtime: Runtime,
  leadDays: readonly number[] = EXPIRY_LEAD_DAYS,
): Promise<{ items: number; recipients: number }> {
  const ctx = systemCtx(runtime, 'master-data expiry reminders');
  return runtime.db.transaction().execute(async (db) => {
    const { items } = await expiringDocuments({ db, now: ctx.now }, leadDays);
    const fresh: ExpiryItem[] = [];
    for (const item of items) {
      const key = `${item.kind}:${item.ownerId}:${item.document}:${item.number}:${item.validUntil}`;
      const seen = await db.selectFrom('md_expiry_notice').select('level').where('key', '=', key).executeTakeFirst();
      if (seen?.level === item.level) continue;
      if (seen === undefined) {
        await db
          .insertInto('md_expiry_notice')
          .values({ key, level: item.level, notifiedAt: ctx.now.toISOString() })
          .execute();
      } else {
        await db
          .updateTable('md_expiry_notice')
          .set({ level: item.level, notifiedAt: ctx.now.toISOString() })
          .where('key', '=', key)
          .execute();
      }
      fresh.push(item);
    }
    if (fresh.length === 0) return { items: 0, recipients: 0 };
    const recipients = await usersWithPermission(db, 'master-data.change.approve');
    const first = fresh[0]!;
    for (const userId of recipients) {
      await notifyUser({ db, now: ctx.now }, userId, 'qualification_expiring', {
        count: fresh.length,
        days: Math.max(...leadDays),
        first: `${first.ownerName} ${first.number} ${first.validUntil}`,
      });
    }
    await record(
      { ...ctx, db },
      {
        action: 'master-data.expiry.notified',
        outcome: 'success',
        resource: { type: 'md_expiry', id: chinaToday(ctx.now) },
        data: { items: fresh.length, recipients: recipients.length },
      },
    );
    return { items: fresh.length, recipients: recipients.length };
  });
}
