import { createHash } from 'node:crypto';
import {
  LEDGER_EXPORT_MAX_ROWS,
  LEDGER_VIEW_MAX_ROWS,
  LEDGERS,
  LedgerExportQuery,
  LedgerFilterQuery,
  LedgerRowsResponse,
  ledgerColumnField,
  type LedgerExportFormat,
  type LedgerFilter,
  type LedgerKind,
} from '@medledger/contract';
import type { z } from 'zod';
import { record } from '../audit/index.js';
import { addDays, chinaDay } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import {
  maskPersonal,
  renderLedgerPdf,
  renderLedgerXlsx,
  type LedgerFileRow,
} from '../../platform/export/ledger-file.js';
import { requireActor, siteScope, type Ctx } from '../../platform/http/ctx.js';
import { fieldDecision } from '../../platform/http/field-access.js';
import { FileReplySchema, route, type AnyRouteDef, type FileReply } from '../../platform/http/route.js';

/**
 * The GSP ledgers as one family (docs/decisions/0026-gsp-ledgers.md): the inbound and climate
 * ledgers of this module, and the machinery every ledger shares — the screen route, the export
 * route (`?format=xlsx|pdf`), the row limit, masking of personal columns, and the audit event.
 */

/** Loads up to `limit` + 1 rows of a ledger within the actor's sites; `truncated` when more exist. */
export type LedgerLoader = (
  ctx: Ctx,
  filter: LedgerFilter,
  limit: number,
) => Promise<{ rows: LedgerFileRow[]; truncated: boolean }>;

/** The instants (ISO, UTC) bounding China calendar days `from`..`to` inclusive. */
export function chinaDayRange(from: string | undefined, to: string | undefined): { start?: string; end?: string } {
  return {
    ...(from === undefined ? {} : { start: new Date(Date.parse(`${from}T00:00:00+08:00`)).toISOString() }),
    ...(to === undefined ? {} : { end: new Date(Date.parse(`${addDays(to, 1)}T00:00:00+08:00`)).toISOString() }),
  };
}

/** `2026-11-29 10:00:00` in China time (UTC+8). */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Warehouse sites of the actor for `permission`: 'all', or the list (never empty: `['']` matches nothing). */
export function ledgerSites(ctx: Ctx, permission: Parameters<typeof siteScope>[1]): 'all' | string[] {
  const scope = siteScope(requireActor(ctx), permission);
  if (scope === 'all') return 'all';
  return scope.size === 0 ? [''] : [...scope];
}

async function describeFilters(ctx: Ctx, kind: LedgerKind, f: LedgerFilter) {
  const def = LEDGERS[kind];
  const out: { label: string; value: string }[] = [];
  if (f.from !== undefined || f.to !== undefined) {
    out.push({ label: '日期 Dates', value: `${f.from ?? '…'} – ${f.to ?? '…'}` });
  }
  if (f.productId !== undefined && def.filters.includes('product')) {
    const p = await ctx.db
      .selectFrom('md_product')
      .select(['code', 'name'])
      .where('id', '=', f.productId)
      .executeTakeFirst();
    out.push({ label: '产品 Product', value: p === undefined ? f.productId : `${p.name} (${p.code})` });
  }
  if (f.lot !== undefined && def.filters.includes('lot')) out.push({ label: '批号 Lot', value: f.lot });
  if (f.partyId !== undefined && def.filters.includes('party')) {
    const p = await ctx.db
      .selectFrom('md_party')
      .select(['code', 'name'])
      .where('id', '=', f.partyId)
      .executeTakeFirst();
    out.push({
      label: def.party === 'customer' ? '购货者 Customer' : '供货者 Supplier',
      value: p === undefined ? f.partyId : `${p.name} (${p.code})`,
    });
  }
  if (f.warehouseId !== undefined && def.filters.includes('warehouse')) {
    const w = await ctx.db
      .selectFrom('md_warehouse')
      .select(['code', 'name'])
      .where('id', '=', f.warehouseId)
      .executeTakeFirst();
    out.push({ label: '仓库 Warehouse', value: w === undefined ? f.warehouseId : `${w.code} ${w.name}` });
  }
  return out;
}

/**
 * One ledger as an xlsx or PDF download (FILE-04, VAL-06): at most {@link LEDGER_EXPORT_MAX_ROWS}
 * rows (`export_too_large` above, naming the limit), personal columns masked unless the actor
 * holds the ledger's reveal permission, audited with the filters, the row count and the file's
 * SHA-256.
 */
export async function exportLedger(
  ctx: Ctx,
  kind: LedgerKind,
  format: LedgerExportFormat,
  filter: LedgerFilter,
  load: LedgerLoader,
): Promise<FileReply> {
  const def = LEDGERS[kind];
  const actor = requireActor(ctx);
  const { rows, truncated } = await load(ctx, filter, LEDGER_EXPORT_MAX_ROWS);
  if (truncated || rows.length > LEDGER_EXPORT_MAX_ROWS) {
    throw new AppError(
      'export_too_large',
      `The ${def.en.toLowerCase()} has more than ${LEDGER_EXPORT_MAX_ROWS} rows for these filters; narrow the dates or filters and export again.`,
    );
  }
  // AC-07: each personal column in clear only when the policy engine allows it for export (an
  // unclassified one never is).
  const personal = def.columns.filter((c) => c.personal === true).map((c) => c.key);
  const hidden = personal.filter((key) => {
    const field = ledgerColumnField(kind, key);
    return field === undefined || !fieldDecision(actor, [field], 'export').allow;
  });
  const masked = hidden.length > 0;
  const out = masked
    ? rows.map((r) => {
        const copy: Record<string, LedgerFileRow[string]> = { ...r };
        for (const key of hidden) {
          const v = copy[key];
          if (typeof v === 'string' && v !== '') copy[key] = maskPersonal(v);
        }
        return copy;
      })
    : rows;
  const input = {
    definition: def,
    rows: out,
    filters: await describeFilters(ctx, kind, filter),
    exportedAt: `${chinaTime(ctx.now)} (UTC+8)`,
    exportedBy: actor.name,
    masked,
  };
  const bytes = format === 'pdf' ? await renderLedgerPdf(input) : await renderLedgerXlsx(input);
  const filters = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as LedgerFilter;
  await record(ctx, {
    action: `${def.module}.ledger.exported`,
    outcome: 'success',
    data: {
      ledger: kind,
      format,
      rows: rows.length,
      filters,
      masked,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  });
  const fileName = `${def.zh}-${chinaDay(ctx.now).replaceAll('-', '')}.${format}`;
  return format === 'pdf'
    ? { kind: 'file', bytes, fileName, contentType: 'application/pdf' }
    : {
        kind: 'file',
        bytes,
        fileName,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      };
}

/** The screen route of a ledger (`GET path` with the shared filters) answering rows of its columns. */
export function ledgerViewRoute(kind: LedgerKind, summary: string, load: LedgerLoader): AnyRouteDef {
  const def = LEDGERS[kind];
  return route({
    method: 'GET',
    url: def.path,
    permission: def.permission,
    summary,
    query: LedgerFilterQuery,
    response: LedgerRowsResponse,
    handler: async (ctx, { query }): Promise<z.input<typeof LedgerRowsResponse>> => {
      const { rows, truncated } = await load(ctx, query, LEDGER_VIEW_MAX_ROWS);
      return { rows: rows.slice(0, LEDGER_VIEW_MAX_ROWS), truncated: truncated || rows.length > LEDGER_VIEW_MAX_ROWS };
    },
  });
}

/** The export route of a ledger: `GET ${path}/export?format=xlsx|pdf` with the shared filters. */
export function ledgerExportRoute(kind: LedgerKind, load: LedgerLoader): AnyRouteDef {
  const def = LEDGERS[kind];
  return route({
    method: 'GET',
    url: `${def.path}/export`,
    audits: `${def.module}.ledger.exported`,
    permission: def.permission,
    summary: `The ${def.en.toLowerCase()} as xlsx or PDF (bilingual headers, formula-safe, masked personal data); audited`,
    query: LedgerExportQuery,
    response: FileReplySchema,
    handler: (ctx, { query: { format, ...filter } }) => exportLedger(ctx, kind, format, filter, load),
  });
}

// ---------------------------------------------------------------------------------------------
// The ledgers of this module

/** Inbound record (GSP art. 70): receipts into 待验 and put-away after acceptance, per lot. */
export const inboundLedger: LedgerLoader = async (ctx, f, limit) => {
  const sites = ledgerSites(ctx, 'inventory.stock.read');
  const range = chinaDayRange(f.from, f.to);
  let q = ctx.db
    .selectFrom('inv_movement as m')
    .innerJoin('inv_lot as l', 'l.id', 'm.lotId')
    .innerJoin('md_product as p', 'p.id', 'm.productId')
    .innerJoin('md_location as loc', 'loc.id', 'm.locationId')
    .innerJoin('md_warehouse as w', 'w.id', 'm.warehouseId')
    .select([
      'm.seq',
      'm.at',
      'm.kind',
      'p.name as productName',
      'p.model',
      'p.specification',
      'p.certificateNo',
      'p.registrant',
      'l.lot',
      'l.serial',
      'l.expiryDate',
      'w.code as warehouseCode',
      'loc.code as locationCode',
      'm.zone',
      'm.quantity',
      'm.docType',
      'm.actorName',
    ])
    .where('m.kind', 'in', ['receipt', 'putaway'])
    .where('m.quantity', '>', 0);
  if (sites !== 'all') q = q.where('w.site', 'in', sites);
  if (range.start !== undefined) q = q.where('m.at', '>=', range.start);
  if (range.end !== undefined) q = q.where('m.at', '<', range.end);
  if (f.productId !== undefined) q = q.where('m.productId', '=', f.productId);
  if (f.lot !== undefined) q = q.where('l.lot', '=', f.lot);
  if (f.warehouseId !== undefined) q = q.where('m.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('m.seq')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map(({ seq: _seq, ...r }) => {
      const at = new Date(r.at);
      return {
        ...r,
        inboundDate: chinaDay(at),
        at: chinaTime(at),
        quantity: Number(r.quantity),
      };
    }),
  };
};

/** Temperature and humidity record (GSP art. 74) of the storage areas, oldest first. */
export const climateLedger: LedgerLoader = async (ctx, f, limit) => {
  const sites = ledgerSites(ctx, 'inventory.stock.read');
  const range = chinaDayRange(f.from, f.to);
  let q = ctx.db
    .selectFrom('inv_climate as c')
    .innerJoin('md_warehouse as w', 'w.id', 'c.warehouseId')
    .innerJoin('md_storage_area as a', 'a.id', 'c.areaId')
    .select([
      'c.id',
      'c.at',
      'w.code as warehouseCode',
      'a.code as areaCode',
      'a.name as areaName',
      'a.storage',
      'c.temperatureTenths',
      'c.humidityTenths',
      'c.outOfRange',
      'c.recordedByName',
      'c.note',
    ]);
  if (sites !== 'all') q = q.where('w.site', 'in', sites);
  if (range.start !== undefined) q = q.where('c.at', '>=', range.start);
  if (range.end !== undefined) q = q.where('c.at', '<', range.end);
  if (f.warehouseId !== undefined) q = q.where('c.warehouseId', '=', f.warehouseId);
  const rows = await q
    .orderBy('c.at')
    .orderBy('c.id')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => {
      const at = new Date(r.at);
      return {
        date: chinaDay(at),
        time: chinaTime(at).slice(11, 16),
        warehouseCode: r.warehouseCode,
        areaCode: r.areaCode,
        areaName: r.areaName,
        storage: r.storage,
        temperature: Number(r.temperatureTenths) / 10,
        humidity: Number(r.humidityTenths) / 10,
        outOfRange: Number(r.outOfRange) === 1 ? '超限 Out of range' : '',
        recordedByName: r.recordedByName,
        note: r.note,
      };
    }),
  };
};

/** The ledger routes of the inventory module. */
export const inventoryLedgerRoutes: AnyRouteDef[] = [
  ledgerViewRoute('inbound', 'Inbound record (GSP art. 70): receipts and put-away per lot, by date', inboundLedger),
  ledgerExportRoute('inbound', inboundLedger),
  ledgerViewRoute('climate', 'Temperature and humidity record (GSP art. 74) by date and warehouse', climateLedger),
  ledgerExportRoute('climate', climateLedger),
];
