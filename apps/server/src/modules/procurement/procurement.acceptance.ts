import {
  parseUdi,
  type AcceptanceView,
  type ConcludeInput,
  type Permission,
  type UdiIssuer,
  type ValidationIssue,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign, verifySignature } from '../identity/index.js';
import { ensureLots, postMovements, type Posting } from '../inventory/index.js';
import { loadPartyRow, loadProductRow, productByDi } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, chinaDay, inScope, locationFor, lockRow, sitesFor } from './procurement.common.js';
import { coldChainView } from './procurement.receipts.js';
import type { PurAcceptanceTable, PurScanTable } from './procurement.tables.js';

/** The acceptance within the actor's sites for `permission`; `not_found` otherwise (AC-02). */
export async function loadAcceptance(ctx: Ctx, id: string, permission: Permission): Promise<PurAcceptanceTable> {
  const row = await ctx.db.selectFrom('pur_acceptance').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || !inScope(sitesFor(ctx, permission), row.site)) {
    throw new AppError('not_found', 'No such acceptance.');
  }
  return row;
}

/** Loads an open acceptance and takes its lock; a concluded one is refused (no double conclusion). */
async function openForWork(ctx: Ctx, id: string, permission: Permission): Promise<PurAcceptanceTable> {
  const acc = await loadAcceptance(ctx, id, permission);
  if (acc.status !== 'open' || !(await lockRow(ctx, 'pur_acceptance', id, 'open'))) {
    throw new AppError('conflict', `Acceptance ${acc.number} is already concluded: its record is final.`);
  }
  return acc;
}

type LineInfo = {
  receiptLineId: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  model: string;
  specification: string;
  unit: string;
  certificateNo: string;
  registrant: string;
  registrantLicenceNo: string | null;
  contractManufacturer: string | null;
  contractManufacturerLicenceNo: string | null;
  received: number;
  quarantineLocationId: string;
};

/** The receipt's lines with goods taken in, with the order's product snapshot, in line order. */
async function receiptLines(ctx: Ctx, receiptId: string): Promise<LineInfo[]> {
  const rows = await ctx.db
    .selectFrom('pur_receipt_line as rl')
    .innerJoin('pur_order_line as ol', 'ol.id', 'rl.orderLineId')
    .select([
      'rl.id as receiptLineId',
      'ol.lineNo',
      'rl.productId',
      'ol.productCode',
      'ol.productName',
      'ol.model',
      'ol.specification',
      'ol.unit',
      'ol.certificateNo',
      'ol.registrant',
      'ol.registrantLicenceNo',
      'ol.contractManufacturer',
      'ol.contractManufacturerLicenceNo',
      'rl.quantityReceived',
      'rl.quarantineLocationId',
    ])
    .where('rl.receiptId', '=', receiptId)
    .where('rl.quantityReceived', '>', 0)
    .orderBy('ol.lineNo')
    .execute();
  return rows.map(({ quantityReceived, quarantineLocationId, lineNo, ...r }) => ({
    ...r,
    lineNo: Number(lineNo),
    received: Number(quantityReceived),
    quarantineLocationId: quarantineLocationId ?? '',
  }));
}

/** Units identified so far per receipt line (voided scans excluded). */
async function identifiedByLine(ctx: Ctx, acceptanceId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('pur_scan')
    .select(['receiptLineId', (eb) => eb.fn.sum<number>('quantity').as('qty')])
    .where('acceptanceId', '=', acceptanceId)
    .where('voidedAt', 'is', null)
    .groupBy('receiptLineId')
    .execute();
  return new Map(rows.map((r) => [r.receiptLineId, Number(r.qty)]));
}

/** Minimum sales units in one package of each level: level 0 is 1, level n the product of levels 1…n. */
async function unitsPerLevel(ctx: Ctx, productIds: readonly string[]): Promise<Map<string, Map<number, number>>> {
  const rows =
    productIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('md_product_package')
          .select(['productId', 'level', 'quantity'])
          .where('productId', 'in', [...productIds])
          .orderBy('level')
          .execute();
  const out = new Map<string, Map<number, number>>();
  for (const id of productIds) {
    const levels = rows.filter((r) => r.productId === id);
    const units = new Map<number, number>([[0, 1]]);
    let n = 1;
    for (const l of levels) {
      if (Number(l.level) === 0) continue;
      n *= Number(l.quantity);
      units.set(Number(l.level), n);
    }
    out.set(id, units);
  }
  return out;
}

/** One unit, case or hand-entered lot to identify, before it is checked against the receipt. */
type Identification = {
  index: number;
  productId: string;
  lot: string;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  level: number;
  quantity: number;
  issuer: UdiIssuer | null;
  di: string | null;
  raw: string | null;
};

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

const label = (lot: string, serial: string | null) =>
  serial === null ? `lot ${lot}` : lot === '' ? `serial ${serial}` : `lot ${lot} serial ${serial}`;

/**
 * Checks every identification against the receipt (the product is on it, no more than received,
 * a serial number once) and only then posts: each one becomes a lot (product, lot, serial, dates
 * from the label), a ledger entry into the line's 待验 location, a scan row keeping the raw scan,
 * and one audit event. All or nothing: a refusal names the scan index and records nothing.
 */
async function identify(ctx: Ctx, acc: PurAcceptanceTable, items: Identification[], manual: boolean) {
  const actor = actorOf(ctx);
  const receipt = await ctx.db
    .selectFrom('pur_receipt')
    .select('number')
    .where('id', '=', acc.receiptId)
    .executeTakeFirstOrThrow();
  const lines = await receiptLines(ctx, acc.receiptId);
  const byProduct = new Map(lines.map((l) => [l.productId, l]));
  const identified = await identifiedByLine(ctx, acc.id);
  const what = manual ? 'Entry' : 'Scan';

  // Serial numbers: once per acceptance, and never one that is already in stock.
  const keyOf = (it: Identification) => (it.serial === null ? null : `${it.productId}|${it.level}|${it.serial}`);
  const keys = items.map(keyOf).filter((k): k is string => k !== null);
  const taken = new Set<string>();
  for (const part of chunk(keys, 500)) {
    const rows = await ctx.db
      .selectFrom('pur_scan')
      .select('unitKey')
      .where('acceptanceId', '=', acc.id)
      .where('unitKey', 'in', part)
      .execute();
    for (const r of rows) if (r.unitKey !== null) taken.add(r.unitKey);
  }
  const inStock = new Map<string, string>();
  const unitSerials = items.filter((it) => it.serial !== null && it.level === 0);
  for (const productId of new Set(unitSerials.map((it) => it.productId))) {
    const serials = unitSerials.filter((it) => it.productId === productId).map((it) => it.serial!);
    for (const part of chunk(serials, 500)) {
      const rows = await ctx.db
        .selectFrom('inv_lot as l')
        .innerJoin('inv_balance as b', 'b.lotId', 'l.id')
        .select(['l.serialKey', 'l.lot', 'b.zone'])
        .where('l.productId', '=', productId)
        .where('l.serialKey', 'in', part)
        .where('b.quantity', '>', 0)
        .execute();
      for (const r of rows) inStock.set(`${productId}|${r.serialKey}`, `${r.lot} (${r.zone})`);
    }
  }

  const pending = new Map<string, number>();
  const today = chinaDay(ctx.now);
  const warnings: string[] = [];
  for (const it of items) {
    const line = byProduct.get(it.productId);
    if (line === undefined) {
      const p = await loadProductRow(ctx, it.productId);
      throw new AppError(
        'conflict',
        `${what} ${it.index}: ${it.di === null ? '' : `UDI-DI ${it.di} is `}product ${p.code} (${p.name}), which is not on receipt ${receipt.number}.`,
      );
    }
    if (it.lot === '' && it.serial === null) {
      throw new AppError(
        'conflict',
        `${what} ${it.index}: the UDI of ${line.productCode} carries no lot (AI 10) and no serial number (AI 21): scan the full production identifier.`,
      );
    }
    const key = keyOf(it);
    if (key !== null) {
      if (taken.has(key)) {
        throw new AppError(
          'conflict',
          `${what} ${it.index}: serial ${it.serial} of ${line.productCode} was already identified on acceptance ${acc.number}.`,
        );
      }
      taken.add(key);
      const elsewhere = it.level === 0 ? inStock.get(`${it.productId}|${it.serial}`) : undefined;
      if (elsewhere !== undefined) {
        throw new AppError(
          'conflict',
          `${what} ${it.index}: serial ${it.serial} of ${line.productCode} is already in stock (lot ${elsewhere}): one serial number identifies one unit.`,
        );
      }
    }
    const count = (identified.get(line.receiptLineId) ?? 0) + (pending.get(line.receiptLineId) ?? 0) + it.quantity;
    if (count > line.received) {
      throw new AppError(
        'conflict',
        `${what} ${it.index}: ${line.productCode} would have ${count} ${line.unit} identified, more than the ${line.received} received on ${receipt.number}.`,
      );
    }
    pending.set(line.receiptLineId, (pending.get(line.receiptLineId) ?? 0) + it.quantity);
    if (it.expiryDate !== null && it.expiryDate < today) {
      warnings.push(
        `${what} ${it.index}: ${label(it.lot, it.serial)} of ${line.productCode} expired on ${it.expiryDate} — it can only be rejected at conclusion.`,
      );
    }
  }

  // One lot, one expiry date: every label of a lot (any serial) must agree with the lot on file
  // and with the other labels of the batch, or the label is wrong (GSP art. 87).
  const lotInputs = items.map((it) => ({
    productId: it.productId,
    lot: it.lot,
    serial: it.level === 0 ? it.serial : null,
    productionDate: it.productionDate,
    expiryDate: it.expiryDate,
  }));
  const lotKeyOf = (l: { productId: string; lot: string }) => `${l.productId}|${l.lot}`;
  const expiryOf = new Map<string, { expiryDate: string | null; index: number | null }>();
  const named = lotInputs.filter((l) => l.lot !== '');
  for (const part of chunk(named, 300)) {
    const rows = await ctx.db
      .selectFrom('inv_lot')
      .select(['productId', 'lot', 'expiryDate'])
      .distinct()
      .where('productId', 'in', [...new Set(part.map((x) => x.productId))])
      .where('lot', 'in', [...new Set(part.map((x) => x.lot))])
      .orderBy('expiryDate')
      .execute();
    for (const r of rows) {
      if (!expiryOf.has(lotKeyOf(r))) expiryOf.set(lotKeyOf(r), { expiryDate: r.expiryDate, index: null });
    }
  }
  for (const [i, l] of lotInputs.entries()) {
    if (l.lot === '') continue;
    const known = expiryOf.get(lotKeyOf(l));
    if (known === undefined) {
      expiryOf.set(lotKeyOf(l), { expiryDate: l.expiryDate, index: items[i]!.index });
    } else if (known.expiryDate !== l.expiryDate) {
      throw new AppError(
        'conflict',
        `${what} ${items[i]!.index}: ${label(l.lot, l.serial)} reads expiry ${l.expiryDate ?? '(none)'}, but lot ${l.lot} ${
          known.index === null ? 'is on file' : `was read in ${what.toLowerCase()} ${known.index}`
        } with expiry ${known.expiryDate ?? '(none)'}: check the label.`,
      );
    }
  }

  // Post: lots, ledger entries into 待验, scan rows, one audit event each.
  const lotOf = await ensureLots(ctx, lotInputs);
  const postings: Posting[] = items.map((it, i) => ({
    kind: 'receipt',
    lotId: lotOf[i]!,
    locationId: byProduct.get(it.productId)!.quarantineLocationId,
    quantity: it.quantity,
    docType: 'pur_acceptance',
    docId: acc.id,
  }));
  const movementIds = await postMovements(ctx, postings, 'procurement.acceptance.scan');
  const at = ctx.now.toISOString();
  const rows: PurScanTable[] = items.map((it, i) => ({
    id: uuidv7(ctx.now.getTime()),
    acceptanceId: acc.id,
    receiptLineId: byProduct.get(it.productId)!.receiptLineId,
    productId: it.productId,
    lotId: lotOf[i]!,
    lot: it.lot,
    serial: it.serial,
    productionDate: it.productionDate,
    expiryDate: it.expiryDate,
    level: it.level,
    quantity: it.quantity,
    issuer: it.issuer,
    di: it.di,
    raw: it.raw,
    unitKey: keyOf(it),
    movementId: movementIds[i]!,
    scannedAt: at,
    scannedBy: actor.id,
    scannedByName: actor.name,
    voidedAt: null,
    voidedByName: null,
    voidReason: null,
    reversalId: null,
  }));
  for (const part of chunk(rows, 100)) await ctx.db.insertInto('pur_scan').values(part).execute();
  for (const r of rows) {
    await record(ctx, {
      action: 'procurement.acceptance.scanned',
      outcome: 'success',
      resource: { type: 'pur_acceptance', id: acc.id },
      data: {
        acceptanceId: acc.id,
        scanId: r.id,
        productId: r.productId,
        lotId: r.lotId,
        level: r.level,
        quantity: r.quantity,
        movementId: r.movementId,
        manual,
      },
    });
  }
  const after = await identifiedByLine(ctx, acc.id);
  return {
    results: rows.map((r, i) => ({
      index: items[i]!.index,
      scanId: r.id,
      productId: r.productId,
      productCode: byProduct.get(r.productId)!.productCode,
      lotId: r.lotId,
      lot: r.lot,
      serial: r.serial,
      expiryDate: r.expiryDate,
      level: r.level,
      quantity: r.quantity,
      expired: r.expiryDate !== null && r.expiryDate < today,
    })),
    progress: lines.map((l) => ({
      receiptLineId: l.receiptLineId,
      productId: l.productId,
      productCode: l.productCode,
      received: l.received,
      identified: after.get(l.receiptLineId) ?? 0,
    })),
    warnings,
  };
}

/**
 * Acceptance by scanning (GSP art. 65; GSPI ※5.51 check 7 "带码入库"): one or many raw scans, each
 * parsed as GS1 (element string with any FNC1 form, HRI, Digital Link), MA or AHM. The DI names the
 * product and packaging level (a case counts its units), the PI gives lot, serial and dates. Unreadable
 * scans are refused together with the index, AI and position of each problem; nothing is recorded.
 */
export async function scanUnits(ctx: Ctx, acceptanceId: string, scans: readonly string[]) {
  const acc = await openForWork(ctx, acceptanceId, 'procurement.acceptance.scan');
  const issues: ValidationIssue[] = [];
  const items: Identification[] = [];
  const dis = new Map<string, { productId: string; level: number } | null>();
  for (const [index, raw] of scans.entries()) {
    const parsed = parseUdi(raw, { now: ctx.now });
    if (!parsed.ok) {
      const e = parsed.error;
      const where = [e.ai === undefined ? '' : `AI (${e.ai})`, e.position === undefined ? '' : `position ${e.position}`]
        .filter((s) => s !== '')
        .join(', ');
      issues.push({
        path: `body.scans.${index}`,
        message: `Scan ${index}${where === '' ? '' : ` [${where}]`}: ${e.message}`,
        code: e.code,
      });
      continue;
    }
    const udi = parsed.udi;
    let hit = dis.get(udi.di);
    if (hit === undefined) {
      hit = await productByDi(ctx, udi.di);
      dis.set(udi.di, hit);
    }
    if (hit === null) {
      throw new AppError(
        'conflict',
        `Scan ${index}: the UDI-DI ${udi.di} is not on file for any product; QA must add it to the product (首营品种) first.`,
      );
    }
    items.push({
      index,
      productId: hit.productId,
      lot: udi.lot ?? '',
      serial: udi.serial ?? null,
      productionDate: udi.productionDate ?? null,
      expiryDate: udi.expiryDate ?? null,
      level: hit.level,
      quantity: 0,
      issuer: udi.issuer,
      di: udi.di,
      raw,
    });
  }
  if (issues.length > 0) {
    throw new AppError(
      'validation_failed',
      `${issues.length} of ${scans.length} scans could not be read; nothing was recorded. ${issues[0]!.message}`,
      issues,
    );
  }
  const units = await unitsPerLevel(ctx, [...new Set(items.map((it) => it.productId))]);
  for (const it of items) it.quantity = units.get(it.productId)?.get(it.level) ?? 1;
  return identify(ctx, acc, items, false);
}

/** Lot entry by hand, only for a product with no UDI-DI on file (a product with a UDI is scanned). */
export async function enterLot(
  ctx: Ctx,
  acceptanceId: string,
  input: {
    receiptLineId: string;
    lot: string;
    serial: string | null;
    productionDate: string | null;
    expiryDate: string | null;
    quantity: number;
  },
) {
  const acc = await openForWork(ctx, acceptanceId, 'procurement.acceptance.scan');
  const line = (await receiptLines(ctx, acc.receiptId)).find((l) => l.receiptLineId === input.receiptLineId);
  if (line === undefined) {
    throw new AppError('validation_failed', 'Not a line of this acceptance.', [
      { path: 'body.receiptLineId', message: 'not a line of this receipt with goods taken in' },
    ]);
  }
  if (input.serial !== null && input.quantity !== 1) {
    throw new AppError('validation_failed', 'A serial number identifies one unit.', [
      { path: 'body.quantity', message: 'must be 1 with a serial number' },
    ]);
  }
  const hasDi = await ctx.db
    .selectFrom('md_udi_di')
    .select('di')
    .where('productId', '=', line.productId)
    .executeTakeFirst();
  if (hasDi !== undefined) {
    throw new AppError(
      'conflict',
      `${line.productCode} has a UDI (${hasDi.di}): scan each unit's UDI instead of typing the lot (带码入库).`,
    );
  }
  return identify(
    ctx,
    acc,
    [{ index: 0, ...input, productId: line.productId, level: 0, issuer: null, di: null, raw: null }],
    true,
  );
}

/** A wrong scan is voided with a reason before conclusion: a reversal entry takes the unit out of 待验 again. */
export async function voidScan(ctx: Ctx, acceptanceId: string, scanId: string, reason: string) {
  const actor = actorOf(ctx);
  const acc = await openForWork(ctx, acceptanceId, 'procurement.acceptance.scan');
  const scan = await ctx.db
    .selectFrom('pur_scan as s')
    .innerJoin('pur_receipt_line as rl', 'rl.id', 's.receiptLineId')
    .select(['s.id', 's.lotId', 's.quantity', 's.movementId', 's.voidedAt', 'rl.quarantineLocationId'])
    .where('s.id', '=', scanId)
    .where('s.acceptanceId', '=', acc.id)
    .executeTakeFirst();
  if (scan === undefined) throw new AppError('not_found', 'No such scan on this acceptance.');
  if (scan.voidedAt !== null) throw new AppError('conflict', 'This scan is already voided.');
  const [reversalId] = await postMovements(
    ctx,
    [
      {
        kind: 'reversal',
        lotId: scan.lotId,
        locationId: scan.quarantineLocationId ?? '',
        quantity: -Number(scan.quantity),
        docType: 'pur_acceptance',
        docId: acc.id,
        note: reason,
        reversalOf: scan.movementId,
      },
    ],
    'procurement.acceptance.scan',
  );
  await ctx.db
    .updateTable('pur_scan')
    .set({
      voidedAt: ctx.now.toISOString(),
      voidedByName: actor.name,
      voidReason: reason,
      reversalId: reversalId!,
      unitKey: null,
    })
    .where('id', '=', scan.id)
    .execute();
  await record(ctx, {
    action: 'procurement.acceptance.scanVoided',
    outcome: 'success',
    resource: { type: 'pur_acceptance', id: acc.id },
    data: { acceptanceId: acc.id, scanId: scan.id, reversalId: reversalId! },
    reason,
  });
  return getAcceptance(ctx, acc.id, 'procurement.acceptance.scan');
}

type LotInfo = {
  receiptLineId: string;
  lotId: string;
  lot: string;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  quantity: number;
  dis: { issuer: UdiIssuer; di: string }[];
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The lots identified on an acceptance (voided scans excluded), per line, in a stable order. */
async function identifiedLots(ctx: Ctx, acceptanceId: string): Promise<LotInfo[]> {
  const rows = await ctx.db
    .selectFrom('pur_scan as s')
    .innerJoin('inv_lot as l', 'l.id', 's.lotId')
    .select([
      's.receiptLineId',
      's.lotId',
      'l.lot',
      'l.serial',
      'l.productionDate',
      'l.expiryDate',
      's.quantity',
      's.issuer',
      's.di',
    ])
    .where('s.acceptanceId', '=', acceptanceId)
    .where('s.voidedAt', 'is', null)
    .execute();
  const lots = new Map<string, LotInfo>();
  for (const r of rows) {
    const key = `${r.receiptLineId}|${r.lotId}`;
    let lot = lots.get(key);
    if (lot === undefined) {
      lot = {
        receiptLineId: r.receiptLineId,
        lotId: r.lotId,
        lot: r.lot,
        serial: r.serial,
        productionDate: r.productionDate,
        expiryDate: r.expiryDate,
        quantity: 0,
        dis: [],
      };
      lots.set(key, lot);
    }
    lot.quantity += Number(r.quantity);
    if (r.issuer !== null && r.di !== null && !lot.dis.some((d) => d.di === r.di)) {
      lot.dis.push({ issuer: r.issuer, di: r.di });
    }
  }
  for (const lot of lots.values()) lot.dis.sort((a, b) => cmp(a.di, b.di));
  return [...lots.values()].sort(
    (a, b) => cmp(a.lot, b.lot) || cmp(a.serial ?? '', b.serial ?? '') || cmp(a.lotId, b.lotId),
  );
}

const DISPOSITION_TEXT = {
  return_to_supplier: '退货 / return to supplier',
  destroy: '销毁 / destroy',
  qa_review: '交质量管理部门处理 / QA to decide',
} as const;

/**
 * The inspector's conclusion (GSP art. 65): per line the accepted and rejected quantities, the
 * rejected lots with the non-conformity and disposition, signed electronically (GSP-04) — the
 * inspector and date on the record are the signature's. Every received unit must be identified
 * first; an expired lot or a product whose registration certificate has expired or been cancelled
 * cannot be accepted (the refusal names lot and date, or certificate and date). Accepted goods move
 * 待验 → 合格, rejected goods 待验 → 不合格 (ledger kind `putaway`). The person who received the goods
 * cannot conclude their acceptance, and an acceptance is concluded once.
 */
export async function concludeAcceptance(ctx: Ctx, id: string, input: ConcludeInput): Promise<AcceptanceView> {
  const actor = actorOf(ctx);
  const acc = await openForWork(ctx, id, 'procurement.acceptance.conclude');
  const receipt = await ctx.db
    .selectFrom('pur_receipt')
    .select(['number', 'receivedBy', 'warehouseId'])
    .where('id', '=', acc.receiptId)
    .executeTakeFirstOrThrow();
  if (receipt.receivedBy === actor.id) {
    throw new AppError(
      'forbidden',
      `You received these goods (${receipt.number}): another person must conclude their acceptance.`,
    );
  }
  const warehouse = await ctx.db
    .selectFrom('md_warehouse')
    .select(['id', 'code'])
    .where('id', '=', receipt.warehouseId)
    .executeTakeFirstOrThrow();
  const lines = await receiptLines(ctx, acc.receiptId);
  const lots = await identifiedLots(ctx, acc.id);
  const byLine = new Map(lines.map((l) => [l.receiptLineId, l]));
  const given = new Map<string, number>();
  input.lines.forEach((l, i) => {
    if (!byLine.has(l.receiptLineId) || given.has(l.receiptLineId)) {
      throw new AppError('validation_failed', 'Each line of the receipt is concluded once.', [
        {
          path: `body.lines.${i}.receiptLineId`,
          message: given.has(l.receiptLineId) ? 'given twice' : 'not a line of this receipt with goods taken in',
        },
      ]);
    }
    given.set(l.receiptLineId, i);
  });
  const missing = lines.filter((l) => !given.has(l.receiptLineId));
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `Conclude every line: ${missing.map((l) => l.productCode).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`,
      missing.map((l) => ({ path: 'body.lines', message: `line ${l.lineNo} (${l.productCode}) missing` })),
    );
  }
  const today = chinaDay(ctx.now);
  const lineRows = [];
  const lotRows = [];
  const postings: Posting[] = [];
  for (const [i, l] of input.lines.entries()) {
    const line = byLine.get(l.receiptLineId)!;
    const mine = lots.filter((x) => x.receiptLineId === line.receiptLineId);
    const identified = mine.reduce((n, x) => n + x.quantity, 0);
    if (identified !== line.received) {
      throw new AppError(
        'conflict',
        `${line.productCode}: ${identified} of the ${line.received} ${line.unit} received are identified; scan (or void) until they match before concluding.`,
      );
    }
    if (l.acceptedQuantity + l.rejectedQuantity !== line.received) {
      throw new AppError('validation_failed', 'Accepted and rejected must add up to what was received.', [
        {
          path: `body.lines.${i}`,
          message: `accepted ${l.acceptedQuantity} + rejected ${l.rejectedQuantity} ≠ ${line.received} received`,
        },
      ]);
    }
    const rejectedByLot = new Map<string, number>();
    for (const [j, r] of (l.rejections ?? []).entries()) {
      const lot = mine.find((x) => x.lotId === r.lotId);
      const total = (rejectedByLot.get(r.lotId) ?? 0) + r.quantity;
      if (lot === undefined || total > lot.quantity) {
        throw new AppError(
          'validation_failed',
          'A rejection names a lot that is not on this line, or too many units.',
          [
            {
              path: `body.lines.${i}.rejections.${j}`,
              message: lot === undefined ? 'not a lot identified on this line' : `only ${lot.quantity} identified`,
            },
          ],
        );
      }
      rejectedByLot.set(r.lotId, total);
    }
    for (const lot of mine) {
      if (lot.expiryDate !== null && lot.expiryDate < today && (rejectedByLot.get(lot.lotId) ?? 0) < lot.quantity) {
        throw new AppError(
          'conflict',
          `${label(lot.lot, lot.serial)} of ${line.productCode} expired on ${lot.expiryDate}: an expired device cannot be accepted — reject it.`,
        );
      }
    }
    const product = await loadProductRow(ctx, line.productId);
    if (l.acceptedQuantity > 0) {
      if (product.certificateCancelledAt !== null) {
        throw new AppError(
          'conflict',
          `The registration certificate ${product.certificateNo} of ${product.code} was cancelled on ${chinaDay(new Date(product.certificateCancelledAt))}: the product cannot be accepted — reject the units.`,
        );
      }
      if (product.certificateValidUntil !== null && product.certificateValidUntil < today) {
        throw new AppError(
          'conflict',
          `The registration certificate ${product.certificateNo} of ${product.code} expired on ${product.certificateValidUntil}: the product cannot be accepted — reject the units.`,
        );
      }
    }
    const cold = product.storage !== 'normal';
    const putaway =
      l.acceptedQuantity > 0
        ? await locationFor(ctx, {
            warehouseId: warehouse.id,
            warehouseCode: warehouse.code,
            zone: 'qualified',
            storage: product.storage,
            locationId: l.putawayLocationId,
            strictStorage: cold,
            field: `body.lines.${i}.putawayLocationId`,
          })
        : null;
    const nonconforming =
      l.rejectedQuantity > 0
        ? await locationFor(ctx, {
            warehouseId: warehouse.id,
            warehouseCode: warehouse.code,
            zone: 'nonconforming',
            storage: product.storage,
            locationId: l.nonconformingLocationId,
            strictStorage: false,
            field: `body.lines.${i}.nonconformingLocationId`,
          })
        : null;
    lineRows.push({
      id: uuidv7(ctx.now.getTime()),
      acceptanceId: acc.id,
      receiptLineId: line.receiptLineId,
      accepted: l.acceptedQuantity,
      rejected: l.rejectedQuantity,
      conclusion:
        l.rejectedQuantity === 0
          ? ('accepted' as const)
          : l.acceptedQuantity === 0
            ? ('rejected' as const)
            : ('partially_accepted' as const),
      nonConformity: l.rejectedQuantity > 0 ? (l.nonConformity ?? null) : null,
      disposition: l.rejectedQuantity > 0 ? (l.disposition ?? null) : null,
      putawayLocationId: putaway?.locationId ?? null,
      nonconformingLocationId: nonconforming?.locationId ?? null,
    });
    const note = l.rejectedQuantity > 0 ? `${l.nonConformity ?? ''} — ${DISPOSITION_TEXT[l.disposition!]}` : null;
    for (const lot of mine) {
      const rejected = rejectedByLot.get(lot.lotId) ?? 0;
      const accepted = lot.quantity - rejected;
      lotRows.push({
        id: uuidv7(ctx.now.getTime()),
        acceptanceId: acc.id,
        receiptLineId: line.receiptLineId,
        lotId: lot.lotId,
        accepted,
        rejected,
      });
      const move = (quantity: number, to: string, why: string | null) => {
        const base = {
          kind: 'putaway' as const,
          lotId: lot.lotId,
          docType: 'pur_acceptance',
          docId: acc.id,
          note: why,
        };
        postings.push({ ...base, locationId: line.quarantineLocationId, quantity: -quantity });
        postings.push({ ...base, locationId: to, quantity });
      };
      if (accepted > 0) move(accepted, putaway!.locationId, null);
      if (rejected > 0) move(rejected, nonconforming!.locationId, note);
    }
  }
  await ctx.db.insertInto('pur_acceptance_line').values(lineRows).execute();
  for (const part of chunk(lotRows, 200)) await ctx.db.insertInto('pur_acceptance_lot').values(part).execute();
  await postMovements(ctx, postings, 'procurement.acceptance.conclude');
  const supplier = await loadPartyRow(ctx, acc.supplierId);
  const order = await ctx.db
    .selectFrom('pur_order')
    .select('supplierContact')
    .where('id', '=', acc.orderId)
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('pur_acceptance')
    .set({
      supplierName: supplier.name,
      supplierAddress: supplier.address,
      supplierContact: order.supplierContact,
      note: input.note === undefined || input.note === '' ? null : input.note,
    })
    .where('id', '=', acc.id)
    .where('status', '=', 'open')
    .execute();
  const signed = await acceptanceRecord(ctx, acc.id);
  const signature = await sign(ctx, {
    meaning: `验收结论 / Acceptance ${acc.number} concluded`,
    subject: { type: 'pur_acceptance', id: acc.id },
    recordValue: signed,
    code: input.code,
  });
  const done = await ctx.db
    .updateTable('pur_acceptance')
    .set({
      status: 'concluded',
      inspectorId: actor.id,
      inspectorName: signature.signerName,
      concludedAt: signature.signedAt,
      signatureId: signature.id,
      recordHash: signature.recordHash,
    })
    .where('id', '=', acc.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new AppError('conflict', 'This acceptance was concluded meanwhile.');
  await record(ctx, {
    action: 'procurement.acceptance.concluded',
    outcome: 'success',
    resource: { type: 'pur_acceptance', id: acc.id },
    data: {
      acceptanceId: acc.id,
      number: acc.number,
      receiptId: acc.receiptId,
      accepted: lineRows.reduce((n, r) => n + r.accepted, 0),
      rejected: lineRows.reduce((n, r) => n + r.rejected, 0),
      signatureId: signature.id,
      recordHash: signature.recordHash,
    },
  });
  return getAcceptance(ctx, acc.id, 'procurement.acceptance.conclude');
}

/**
 * The GSP art. 65 record as stored (without status and inspector): what the inspector signs and
 * what the view checks the signature against. Built from the database only, in a stable order.
 */
async function acceptanceRecord(ctx: Ctx, id: string) {
  const acc = await ctx.db.selectFrom('pur_acceptance').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const receipt = await ctx.db
    .selectFrom('pur_receipt')
    .selectAll()
    .where('id', '=', acc.receiptId)
    .executeTakeFirstOrThrow();
  const order = await ctx.db
    .selectFrom('pur_order')
    .select(['number', 'supplierName', 'supplierContact'])
    .where('id', '=', acc.orderId)
    .executeTakeFirstOrThrow();
  const lines = await receiptLines(ctx, acc.receiptId);
  const lots = await identifiedLots(ctx, id);
  const identified = await identifiedByLine(ctx, id);
  const concl = await ctx.db.selectFrom('pur_acceptance_line').selectAll().where('acceptanceId', '=', id).execute();
  const lotConcl = new Map(
    (await ctx.db.selectFrom('pur_acceptance_lot').selectAll().where('acceptanceId', '=', id).execute()).map((r) => [
      `${r.receiptLineId}|${r.lotId}`,
      r,
    ]),
  );
  let supplierAddress = acc.supplierAddress;
  if (supplierAddress === null) supplierAddress = (await loadPartyRow(ctx, acc.supplierId)).address;
  return {
    number: acc.number,
    receiptNumber: receipt.number,
    orderNumber: order.number,
    purchaseDate: acc.purchaseDate,
    deliverySlipNo: receipt.deliverySlipNo,
    transportMode: receipt.transportMode,
    coldChain: coldChainView(receipt),
    supplier: {
      id: acc.supplierId,
      name: acc.supplierName ?? order.supplierName,
      address: supplierAddress,
      contact: acc.supplierContact ?? order.supplierContact,
    },
    note: acc.note,
    lines: lines.map((l) => {
      const c = concl.find((x) => x.receiptLineId === l.receiptLineId);
      return {
        receiptLineId: l.receiptLineId,
        productId: l.productId,
        productCode: l.productCode,
        productName: l.productName,
        model: l.model,
        specification: l.specification,
        unit: l.unit,
        certificateNo: l.certificateNo,
        registrant: l.registrant,
        registrantLicenceNo: l.registrantLicenceNo,
        contractManufacturer: l.contractManufacturer,
        contractManufacturerLicenceNo: l.contractManufacturerLicenceNo,
        received: l.received,
        identified: identified.get(l.receiptLineId) ?? 0,
        conclusion: c?.conclusion ?? null,
        accepted: c === undefined ? null : Number(c.accepted),
        rejected: c === undefined ? null : Number(c.rejected),
        nonConformity: c?.nonConformity ?? null,
        disposition: c?.disposition ?? null,
        lots: lots
          .filter((x) => x.receiptLineId === l.receiptLineId)
          .map((x) => {
            const lc = lotConcl.get(`${l.receiptLineId}|${x.lotId}`);
            return {
              lotId: x.lotId,
              lot: x.lot,
              serial: x.serial,
              productionDate: x.productionDate,
              expiryDate: x.expiryDate,
              quantity: x.quantity,
              accepted: lc === undefined ? null : Number(lc.accepted),
              rejected: lc === undefined ? null : Number(lc.rejected),
              dis: x.dis,
            };
          }),
      };
    }),
  };
}

/** The acceptance record (GSP art. 65) with its signature checked against the stored record. */
export async function getAcceptance(
  ctx: Ctx,
  id: string,
  permission: Permission = 'procurement.record.read',
): Promise<AcceptanceView> {
  const acc = await loadAcceptance(ctx, id, permission);
  const rec = await acceptanceRecord(ctx, id);
  let inspector: AcceptanceView['inspector'] = null;
  if (acc.status === 'concluded' && acc.signatureId !== null) {
    const check = await verifySignature(ctx, acc.signatureId, rec);
    inspector = {
      name: acc.inspectorName ?? '',
      signedAt: acc.concludedAt ?? '',
      signatureId: acc.signatureId,
      recordHash: acc.recordHash ?? '',
      signatureValid: check.valid,
    };
  }
  return {
    id: acc.id,
    number: acc.number,
    status: acc.status,
    receiptId: acc.receiptId,
    receiptNumber: rec.receiptNumber,
    orderId: acc.orderId,
    orderNumber: rec.orderNumber,
    warehouseId: acc.warehouseId,
    purchaseDate: rec.purchaseDate,
    deliverySlipNo: rec.deliverySlipNo,
    transportMode: rec.transportMode,
    coldChain: rec.coldChain,
    supplier: rec.supplier,
    lines: rec.lines,
    note: rec.note,
    inspector,
  };
}

/** Every scan of an acceptance, voided ones included, oldest first. */
export async function listScans(ctx: Ctx, id: string) {
  const acc = await loadAcceptance(ctx, id, 'procurement.record.read');
  // In ledger order: scans of one request share the server time.
  const rows = await ctx.db
    .selectFrom('pur_scan as s')
    .innerJoin('inv_movement as m', 'm.id', 's.movementId')
    .selectAll('s')
    .where('s.acceptanceId', '=', acc.id)
    .orderBy('m.seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    productId: r.productId,
    lotId: r.lotId,
    lot: r.lot,
    serial: r.serial,
    level: Number(r.level),
    quantity: Number(r.quantity),
    issuer: r.issuer,
    di: r.di,
    raw: r.raw,
    scannedAt: r.scannedAt,
    scannedByName: r.scannedByName,
    voided: r.voidedAt === null ? null : { at: r.voidedAt, name: r.voidedByName ?? '', reason: r.voidReason ?? '' },
  }));
}

/**
 * The acceptance ledger (GSP art. 65): one row per received line of every acceptance in my sites,
 * filtered by purchase date (the day of receipt), supplier, product and status, newest first.
 */
export async function listAcceptances(
  ctx: Ctx,
  query: {
    from?: string | undefined;
    to?: string | undefined;
    supplierId?: string | undefined;
    productId?: string | undefined;
    status?: 'open' | 'concluded' | undefined;
    page?: string | undefined;
    pageSize?: string | undefined;
  },
) {
  const sites = sitesFor(ctx, 'procurement.record.read');
  let q = ctx.db
    .selectFrom('pur_acceptance as a')
    .innerJoin('pur_receipt as r', 'r.id', 'a.receiptId')
    .innerJoin('pur_order as o', 'o.id', 'a.orderId')
    .innerJoin('pur_receipt_line as rl', 'rl.receiptId', 'a.receiptId')
    .innerJoin('pur_order_line as ol', 'ol.id', 'rl.orderLineId')
    .leftJoin('pur_acceptance_line as al', (join) =>
      join.onRef('al.acceptanceId', '=', 'a.id').onRef('al.receiptLineId', '=', 'rl.id'),
    )
    .where('rl.quantityReceived', '>', 0);
  if (sites !== 'all') q = q.where('a.site', 'in', sites);
  if (query.from !== undefined) q = q.where('a.purchaseDate', '>=', query.from);
  if (query.to !== undefined) q = q.where('a.purchaseDate', '<=', query.to);
  if (query.supplierId !== undefined) q = q.where('a.supplierId', '=', query.supplierId);
  if (query.productId !== undefined) q = q.where('rl.productId', '=', query.productId);
  if (query.status !== undefined) q = q.where('a.status', '=', query.status);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const page = Number(query.page ?? '1');
  const pageSize = Number(query.pageSize ?? '50');
  const rows = await q
    .select([
      'a.id as acceptanceId',
      'a.number as acceptanceNumber',
      'a.status',
      'r.number as receiptNumber',
      'o.number as orderNumber',
      'a.purchaseDate',
      'a.supplierId',
      'o.supplierName',
      'rl.productId',
      'ol.productCode',
      'ol.productName',
      'ol.model',
      'ol.specification',
      'ol.certificateNo',
      'rl.quantityReceived',
      'al.accepted',
      'al.rejected',
      'al.conclusion',
      'a.inspectorName',
      'a.concludedAt',
    ])
    .orderBy('a.purchaseDate', 'desc')
    .orderBy('a.number', 'desc')
    .orderBy('ol.lineNo')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map(({ quantityReceived, accepted, rejected, ...r }) => ({
      ...r,
      received: Number(quantityReceived),
      accepted: accepted === null ? null : Number(accepted),
      rejected: rejected === null ? null : Number(rejected),
      conclusion: r.conclusion ?? null,
    })),
  };
}
