import { gs1BracketedHri, gs1ElementString, GS1_CSET82, type LicenceKind, type Permission } from '@medledger/contract';
import { chinaToday } from '../inventory/index.js';
import { addDays } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { allowedOn, siteScope, type Ctx, requireActor } from '../../platform/http/ctx.js';
import { fieldDecision } from '../../platform/http/field-access.js';
import type { SalesOrderTable } from './sales.tables.js';

export const actorOf = requireActor;

/** AC-02: the sites where the actor may use `permission` ('all' or a list; empty when none). */
export function sitesFor(ctx: Ctx, permission: Permission): 'all' | string[] {
  const scope = siteScope(actorOf(ctx), permission);
  return scope === 'all' ? 'all' : [...scope];
}

/** True when a document of `site` is within the actor's scope for `permission`. */
export function inScope(ctx: Ctx, permission: Permission, site: string): boolean {
  return allowedOn(actorOf(ctx), permission, { site });
}

/** Whether the actor may see prices and amounts (AC-03 field-level, classified level 2 under AC-07). */
export function seesPrices(ctx: Ctx): boolean {
  return fieldDecision(actorOf(ctx), ['sales.order.price'], 'reveal').allow;
}

/**
 * An order within the actor's sites for `permission`; outside them it does not exist (404, AC-02).
 */
export async function loadOrder(ctx: Ctx, orderId: string, permission: Permission): Promise<SalesOrderTable> {
  const row = await ctx.db.selectFrom('sales_order').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (row === undefined || !inScope(ctx, permission, row.site)) throw new AppError('not_found', 'No such sales order.');
  return row;
}

/**
 * Moves an order from one status to the next, or fails with 409 when someone changed it meanwhile.
 * Run first in an action: on PostgreSQL the row lock it takes makes a second request for the same
 * order wait, then find the status changed (exactly one succeeds).
 */
export async function transition(
  ctx: Ctx,
  order: SalesOrderTable,
  from: readonly SalesOrderTable['status'][],
  to: SalesOrderTable['status'],
  extra: Partial<SalesOrderTable> = {},
): Promise<void> {
  const res = await ctx.db
    .updateTable('sales_order')
    .set({ status: to, ...extra })
    .where('id', '=', order.id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw new AppError('conflict', `Order ${order.orderNo} was changed meanwhile; refresh and try again.`);
  }
}

/**
 * The next document number of the day (China time), e.g. `SO-20261129-0001`. The counter row is
 * incremented by one upsert: on PostgreSQL a concurrent transaction waits for the row, so two
 * documents never get the same number; a rolled-back document leaves no gap.
 */
export async function nextNumber(ctx: Ctx, prefix: 'SO' | 'SH' | 'RT' | 'SR' | 'DP'): Promise<string> {
  const day = chinaToday(ctx.now).replaceAll('-', '');
  const row = await ctx.db
    .insertInto('sales_doc_counter')
    .values({ prefix, day, last: 1 })
    .onConflict((oc) =>
      oc.columns(['prefix', 'day']).doUpdateSet((eb) => ({ last: eb('sales_doc_counter.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${prefix}-${day}-${String(Number(row.last)).padStart(4, '0')}`;
}

/** Units of the minimum sales unit in one package of `level` (level 0 is one unit). */
export async function unitsPerPackage(ctx: Ctx, productId: string, level: number): Promise<number> {
  if (level === 0) return 1;
  const levels = await ctx.db
    .selectFrom('md_product_package')
    .select(['level', 'quantity'])
    .where('productId', '=', productId)
    .where('level', '>', 0)
    .where('level', '<=', level)
    .execute();
  return levels.reduce((n, l) => n * Number(l.quantity), 1);
}

/** The product's minimum-sales-unit name and GS1 UDI-DI (if any). */
export async function productUnit(ctx: Ctx, productId: string): Promise<{ unit: string; gs1Di: string | null }> {
  const pkg = await ctx.db
    .selectFrom('md_product_package')
    .select('unit')
    .where('productId', '=', productId)
    .where('level', '=', 0)
    .executeTakeFirst();
  const di = await ctx.db
    .selectFrom('md_udi_di')
    .select('di')
    .where('productId', '=', productId)
    .where('level', '=', 0)
    .where('issuer', '=', 'GS1')
    .orderBy('di')
    .executeTakeFirst();
  return { unit: pkg?.unit ?? '', gs1Di: di?.di ?? null };
}

/**
 * The number of the buyer's licence that allows the sale today: a hospital's practising licence,
 * otherwise the operating licence or Class II filing (GSP art. 84 wholesale record).
 */
export async function buyerLicenceNo(ctx: Ctx, partyId: string, hospital: boolean): Promise<string | null> {
  const kinds: LicenceKind[] = hospital ? ['medical_institution_licence'] : ['operating_licence', 'operating_filing'];
  const today = chinaToday(ctx.now);
  const rows = await ctx.db
    .selectFrom('md_party_licence')
    .select(['number', 'validUntil'])
    .where('partyId', '=', partyId)
    .where('kind', 'in', kinds)
    .orderBy('kind')
    .orderBy('number')
    .execute();
  return rows.find((r) => r.validUntil === null || r.validUntil >= today)?.number ?? rows[0]?.number ?? null;
}

/** `2027-12-31` → `271231` (GS1 YYMMDD). */
function yymmdd(date: string): string {
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}

function gs1Value(value: string): boolean {
  return value.length >= 1 && value.length <= 20 && [...value].every((c) => GS1_CSET82.includes(c));
}

/**
 * The GS1 element string (ASCII 29 after variable-length fields) and its bracketed HRI for one
 * unit: (01) GTIN, (17) expiry, (10) lot, (21) serial. `null` when the product has no GS1 DI or
 * a value cannot be carried in GS1 (characters outside the GS1 set, longer than 20).
 */
export function gs1Codes(
  gs1Di: string | null,
  unit: { lot: string; serial: string | null; expiryDate: string | null },
): { elementString: string; hri: string } | null {
  if (gs1Di === null || !gs1Value(unit.lot) || (unit.serial !== null && !gs1Value(unit.serial))) return null;
  const elements = [
    { ai: '01', value: gs1Di },
    ...(unit.expiryDate === null ? [] : [{ ai: '17', value: yymmdd(unit.expiryDate) }]),
    { ai: '10', value: unit.lot },
    ...(unit.serial === null ? [] : [{ ai: '21', value: unit.serial }]),
  ];
  return { elementString: gs1ElementString(elements), hri: gs1BracketedHri(elements) };
}

/** Adds `days` to a `YYYY-MM-DD` day. */
export { addDays };

/** UTC bounds of China calendar days `from`..`to` (inclusive), for ISO timestamp columns. */
export function dayRange(from: string | undefined, to: string | undefined): { start?: string; end?: string } {
  return {
    ...(from === undefined ? {} : { start: new Date(Date.parse(`${from}T00:00:00+08:00`)).toISOString() }),
    ...(to === undefined ? {} : { end: new Date(Date.parse(`${addDays(to, 1)}T00:00:00+08:00`)).toISOString() }),
  };
}
