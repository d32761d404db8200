import { createHash } from 'node:crypto';
import {
  CSV_MEDIA_TYPE,
  IMPORT_ERRORS_KEPT,
  IMPORT_MAX_ROWS,
  PartyFields,
  ProductFields,
  type ApproveImportInput,
  type ImportKind,
  type ImportRowError,
  type ImportView,
  type SheetFormat,
} from '@medledger/contract';
import { canonicalJson, record, recordDetached } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { runInBackground } from '../../platform/background.js';
import { AppError } from '../../platform/errors.js';
import { noReply, type Ctx } from '../../platform/http/ctx.js';
import type { RawBody } from '../../platform/http/route.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Runtime } from '../../platform/runtime.js';
import { actorOf } from './master-data.common.js';
import { mapHeader, partyFromRow, productFromRow, type ParsedRow } from './master-data.import-format.js';
import { applyParty, proposeNewParty, type PartyPayload } from './master-data.parties.js';
import { applyProduct, proposeNewProduct, type ProductPayload } from './master-data.products.js';
import { decodeCsv, inspectXlsxZip, parseCsv, readXlsx, type SheetData } from './master-data.sheet.js';
import type { MdImportTable } from './master-data.tables.js';

/**
 * Spreadsheet import of products and parties (docs/decisions/0019-master-data-import.md):
 * upload → validation job (nothing saved but the job and, when every row is valid, the staged rows)
 * → commit job (every row a first-business proposal, all in ONE transaction) → QA approves the
 * whole import with ONE electronic signature.
 */

/** A job running in this process, with its progress (the only progress a commit can show). */
type Job = { phase: 'validate' | 'commit'; processed: number; total: number };
const liveJobs = new WeakMap<Runtime, Map<string, Job>>();
function jobsOf(runtime: Runtime): Map<string, Job> {
  let jobs = liveJobs.get(runtime);
  if (jobs === undefined) {
    jobs = new Map();
    liveJobs.set(runtime, jobs);
  }
  return jobs;
}

/** Import jobs one process runs at a time (each holds its file and rows in memory). */
export const MAX_IMPORT_JOBS = 3;

function assertJobSlot(runtime: Runtime): void {
  if (jobsOf(runtime).size >= MAX_IMPORT_JOBS) {
    throw new AppError(
      'rate_limited',
      'Other imports are being checked or committed right now; try again in a minute.',
    );
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
/** Progress is written to the import row at most this often while validating. */
const PROGRESS_EVERY_ROWS = 1000;
/** A job silent for this long, and not running in this process, was interrupted (restart). */
const STALE_AFTER_MS = 2 * 60_000;
const entityOf = (kind: ImportKind) => (kind === 'products' ? 'product' : 'party');

/** A context for work that outlives its request: same actor and request id, its own clock reading. */
/**
 * Starts a job once the request's transaction has committed, so that it sees the import row (and
 * its status) the request wrote. The job's promise never rejects (its errors are recorded).
 */
function startJob(ctx: Ctx, job: () => Promise<unknown>, ifRolledBack: () => void): void {
  const start = () => runInBackground(ctx.runtime, job());
  if (ctx.afterCommit === undefined) start();
  else ctx.afterCommit(start, ifRolledBack);
}

function jobCtx(ctx: Ctx): Ctx {
  // The job's events name the request that started it, but are not that request's own events.
  return {
    ...ctx,
    db: ctx.runtime.db,
    reply: noReply,
    now: ctx.runtime.clock.now(),
    requestId: `${ctx.requestId}/job`,
  };
}

// ---------------------------------------------------------------------------------------------
// Views

async function loadImportRow(ctx: Pick<Ctx, 'db'>, importId: string): Promise<MdImportTable> {
  const row = await ctx.db.selectFrom('md_import').selectAll().where('id', '=', importId).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such import.');
  return row;
}

async function changeCounts(ctx: Pick<Ctx, 'db'>, importIds: readonly string[]) {
  const counts = new Map<string, ImportView['changes']>();
  if (importIds.length === 0) return counts;
  const rows = await ctx.db
    .selectFrom('md_change')
    .select(['importId', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('importId', 'in', importIds)
    .groupBy(['importId', 'status'])
    .execute();
  for (const r of rows) {
    const c = counts.get(r.importId!) ?? { pending: 0, approved: 0, rejected: 0 };
    c[r.status] = Number(r.n);
    counts.set(r.importId!, c);
  }
  return counts;
}

function toView(ctx: Ctx, row: MdImportTable, changes: ImportView['changes'] | undefined): ImportView {
  const job = jobsOf(ctx.runtime).get(row.id);
  return {
    importId: row.id,
    kind: row.kind,
    format: row.format,
    status: row.status,
    sha256: row.fileSha256,
    rows: job?.total ?? Number(row.total),
    processed: job?.processed ?? Number(row.processed),
    valid: Number(row.valid),
    errorCount: Number(row.errorCount),
    errors: JSON.parse(row.errors) as ImportRowError[],
    message: row.message,
    createdByName: row.createdByName,
    createdAt: row.createdAt,
    committedByName: row.committedByName,
    committedAt: row.committedAt,
    changes: changes ?? { pending: 0, approved: 0, rejected: 0 },
  };
}

/**
 * A job that stopped without a word (the server was restarted) is closed here: validation failed;
 * an interrupted commit saved nothing (it is one transaction), so the import is committable again.
 */
async function closeIfInterrupted(ctx: Ctx, row: MdImportTable): Promise<MdImportTable> {
  if (row.status !== 'validating' && row.status !== 'committing') return row;
  if (jobsOf(ctx.runtime).has(row.id)) return row;
  if (ctx.now.getTime() - Date.parse(row.updatedAt) < STALE_AFTER_MS) return row;
  const patch =
    row.status === 'validating'
      ? { status: 'failed' as const, message: 'Validation was interrupted (server restart). Upload the file again.' }
      : {
          status: 'validated' as const,
          message: 'The commit was interrupted (server restart); nothing was saved. Commit again.',
        };
  await ctx.db
    .updateTable('md_import')
    .set({ ...patch, updatedAt: ctx.now.toISOString() })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .execute();
  return { ...row, ...patch };
}

/** One import with its progress, errors and the review state of the proposals it filed. */
export async function getImport(ctx: Ctx, importId: string): Promise<ImportView> {
  const row = await closeIfInterrupted(ctx, await loadImportRow(ctx, importId));
  return toView(ctx, row, (await changeCounts(ctx, [row.id])).get(row.id));
}

/** The 50 latest imports, newest first (without their row errors). */
export async function listImports(ctx: Ctx): Promise<Omit<ImportView, 'errors'>[]> {
  const rows = await ctx.db
    .selectFrom('md_import')
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const counts = await changeCounts(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const { errors: _errors, ...view } = toView(ctx, { ...r, errors: '[]' }, counts.get(r.id));
    return view;
  });
}

// ---------------------------------------------------------------------------------------------
// Upload and validation

/**
 * FILE-01 checks that answer at once (before any job): the declared type must match the content —
 * an xlsx is a zip within the size, count and ratio limits; a CSV is UTF-8 text, not a zip.
 */
function checkUpload(raw: RawBody): { format: SheetFormat; text: string | null } {
  const isZip = raw.bytes.length >= 4 && raw.bytes.readUInt32LE(0) === 0x04034b50;
  if (raw.contentType === CSV_MEDIA_TYPE) {
    if (isZip) {
      throw new AppError('unsupported_media_type', 'The file is an .xlsx workbook; upload it as xlsx, not as CSV.');
    }
    return { format: 'csv', text: decodeCsv(raw.bytes) };
  }
  inspectXlsxZip(raw.bytes);
  return { format: 'xlsx', text: null };
}

/**
 * Receives a file and starts its validation in the background; answers at once with the import
 * (status `validating`), whose progress `GET …/imports/:id` shows. Nothing is saved to the master
 * data; the import row records who uploaded which file (SHA-256) and when.
 */
export async function startImport(ctx: Ctx, kind: ImportKind, raw: RawBody): Promise<ImportView> {
  const actor = actorOf(ctx);
  assertJobSlot(ctx.runtime);
  const { format, text } = checkUpload(raw);
  const id = uuidv7(ctx.now.getTime());
  const at = ctx.now.toISOString();
  const row: MdImportTable = {
    id,
    kind,
    format,
    status: 'validating',
    fileSha256: sha256(raw.bytes),
    total: 0,
    processed: 0,
    valid: 0,
    errorCount: 0,
    errors: '[]',
    message: null,
    reason: null,
    createdBy: actor.id,
    createdByName: actor.name,
    createdAt: at,
    updatedAt: at,
    committedBy: null,
    committedByName: null,
    committedAt: null,
  };
  // The slot is taken before the first await, so concurrent uploads cannot all pass the limit.
  const job: Job = { phase: 'validate', processed: 0, total: 0 };
  const jobs = jobsOf(ctx.runtime);
  jobs.set(id, job);
  try {
    await ctx.db.insertInto('md_import').values(row).execute();
    await record(ctx, {
      action: 'master-data.import.uploaded',
      outcome: 'success',
      resource: { type: 'md_import', id },
      data: { importId: id, kind, format, sha256: row.fileSha256, bytes: raw.bytes.length },
    });
  } catch (err) {
    jobs.delete(id);
    throw err;
  }
  const work = jobCtx(ctx);
  startJob(
    ctx,
    () =>
      validateImport(work, row, job, text ?? raw.bytes)
        .catch((err: unknown) => failJob(work, row, 'validate', null, err))
        .finally(() => jobs.delete(id)),
    () => jobs.delete(id),
  );
  return toView(ctx, row, undefined);
}

/** Records a failed job: the import row says why; the audit trail has it too. Never throws. */
async function failJob(ctx: Ctx, row: MdImportTable, phase: 'validate' | 'commit', rowNo: number | null, err: unknown) {
  const detail = err instanceof AppError ? err.message : 'The file could not be processed.';
  if (!(err instanceof AppError)) ctx.log.error({ err, importId: row.id }, 'import job failed');
  const message = rowNo === null ? detail : `Row ${rowNo}: ${detail} Nothing was saved.`;
  try {
    const now = ctx.runtime.clock.now();
    await ctx.runtime.db
      .updateTable('md_import')
      .set({ status: 'failed', message: message.slice(0, 1000), updatedAt: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
    await recordDetached(
      { ...ctx, now },
      {
        action: 'master-data.import.failed',
        outcome: 'failure',
        resource: { type: 'md_import', id: row.id },
        data: { importId: row.id, kind: row.kind, phase, row: rowNo },
        reason: message.slice(0, 500),
      },
    );
  } catch (e) {
    ctx.log.error({ err: e, importId: row.id }, 'could not record a failed import');
  }
}

type Keys = { code: string | null; dis: string[] };

/** The code and DIs of a row, also when the row is invalid otherwise (for the cross-row checks). */
function keysOf(
  kind: ImportKind,
  parsed: ParsedRow<ProductFields | PartyFields>,
  cells: SheetData['rows'][number]['cells'],
  codeIndex: number | undefined,
  disIndex: number | undefined,
): Keys {
  if (parsed.fields !== null) {
    return {
      code: parsed.fields.code,
      dis: kind === 'products' ? (parsed.fields as ProductFields).packages.flatMap((l) => l.dis.map((d) => d.di)) : [],
    };
  }
  const cell = (i: number | undefined) => {
    const v = i === undefined ? null : cells[i];
    return typeof v === 'string' ? v.trim() : null;
  };
  const dis = (cell(disIndex) ?? '')
    .split(/[;；\n]/)
    .map((p) => p.split(/[:：]/)[2]?.trim() ?? '')
    .filter((d) => d !== '');
  return { code: cell(codeIndex), dis };
}

async function validateImport(ctx: Ctx, row: MdImportTable, job: Job, content: string | Buffer): Promise<void> {
  const sheet =
    typeof content === 'string' ? await parseCsv(content, IMPORT_MAX_ROWS) : await readXlsx(content, IMPORT_MAX_ROWS);
  const rows = sheet.rows.filter((r) => r.cells.some((c) => c !== null));
  if (rows.length === 0) throw new AppError('validation_failed', 'The file has no data rows under the header.');
  if (rows.length > IMPORT_MAX_ROWS) {
    throw new AppError(
      'validation_failed',
      `The file has more than ${IMPORT_MAX_ROWS} rows; split it into several files.`,
    );
  }
  job.total = rows.length;
  const header = mapHeader(row.kind, sheet.header);
  const parse = row.kind === 'products' ? productFromRow : partyFromRow;
  const parsed: ParsedRow<ProductFields | PartyFields>[] = [];
  const keys: Keys[] = [];
  for (const [i, r] of rows.entries()) {
    const result = parse(r.rowNo, r.cells, header);
    parsed.push(result);
    keys.push(keysOf(row.kind, result, r.cells, header.index.get('code'), header.index.get('dis')));
    job.processed = i + 1;
    if (job.processed % 200 === 0) await yieldToEventLoop();
    if (job.processed % PROGRESS_EVERY_ROWS === 0) await saveProgress(ctx, row.id, job);
  }
  const crossErrors = await crossRowErrors(ctx, row.kind, parsed, keys);
  const errors = [...header.errors, ...parsed.flatMap((p) => p.errors), ...crossErrors];
  const columnOrder = new Map([...header.index.entries()].map(([k, i]) => [k, i]));
  errors.sort((a, b) => a.row - b.row || (columnOrder.get(a.column) ?? 999) - (columnOrder.get(b.column) ?? 999));
  const rowsWithErrors = new Set(errors.filter((e) => e.row > 1).map((e) => e.row));
  const valid = parsed.filter((p) => p.fields !== null && !rowsWithErrors.has(p.rowNo)).length;
  const now = ctx.runtime.clock.now();
  await ctx.runtime.db.transaction().execute(async (tx) => {
    if (errors.length === 0) {
      // Only a file without a single error is staged for the commit.
      for (let i = 0; i < parsed.length; i += 200) {
        await tx
          .insertInto('md_import_row')
          .values(
            parsed
              .slice(i, i + 200)
              .map((p) => ({ importId: row.id, rowNo: p.rowNo, payload: JSON.stringify(p.fields) })),
          )
          .execute();
        await yieldToEventLoop();
      }
    }
    await tx
      .updateTable('md_import')
      .set({
        status: 'validated',
        total: rows.length,
        processed: rows.length,
        valid,
        errorCount: errors.length,
        errors: JSON.stringify(errors.slice(0, IMPORT_ERRORS_KEPT)),
        updatedAt: now.toISOString(),
      })
      .where('id', '=', row.id)
      .execute();
    await record(
      { ...ctx, db: tx, now },
      {
        action: 'master-data.import.validated',
        outcome: 'success',
        resource: { type: 'md_import', id: row.id },
        data: {
          importId: row.id,
          kind: row.kind,
          format: row.format,
          sha256: row.fileSha256,
          rows: rows.length,
          errors: errors.length,
        },
      },
    );
  });
}

async function saveProgress(ctx: Ctx, importId: string, job: Job): Promise<void> {
  await ctx.runtime.db
    .updateTable('md_import')
    .set({ total: job.total, processed: job.processed, updatedAt: ctx.runtime.clock.now().toISOString() })
    .where('id', '=', importId)
    .execute();
}

/** Codes (and DIs) repeated in the file or already on file in the database. */
async function crossRowErrors(
  ctx: Ctx,
  kind: ImportKind,
  parsed: readonly ParsedRow<unknown>[],
  keys: readonly Keys[],
): Promise<ImportRowError[]> {
  const errors: ImportRowError[] = [];
  const codeRow = new Map<string, number>();
  const diRow = new Map<string, number>();
  parsed.forEach((p, i) => {
    const { code, dis } = keys[i]!;
    if (code !== null) {
      const first = codeRow.get(code);
      if (first === undefined) codeRow.set(code, p.rowNo);
      else {
        errors.push({
          row: p.rowNo,
          column: 'code',
          code: 'duplicate_in_file',
          message: `the code ${code} is also in row ${first}`,
        });
      }
    }
    for (const di of dis) {
      const first = diRow.get(di);
      if (first === undefined) diRow.set(di, p.rowNo);
      else if (first !== p.rowNo) {
        errors.push({
          row: p.rowNo,
          column: 'dis',
          code: 'duplicate_in_file',
          message: `the UDI-DI ${di} is also in row ${first}`,
        });
      }
    }
  });
  const table = kind === 'products' ? 'md_product' : 'md_party';
  const codes = [...codeRow.keys()];
  for (let i = 0; i < codes.length; i += 500) {
    const taken = await ctx.db
      .selectFrom(table)
      .select('code')
      .where('code', 'in', codes.slice(i, i + 500))
      .execute();
    for (const t of taken) {
      errors.push({
        row: codeRow.get(t.code)!,
        column: 'code',
        code: 'exists',
        message: `a ${entityOf(kind)} with the code ${t.code} exists already`,
      });
    }
  }
  const dis = [...diRow.keys()];
  for (let i = 0; i < dis.length; i += 500) {
    const taken = await ctx.db
      .selectFrom('md_udi_di as u')
      .innerJoin('md_product as p', 'p.id', 'u.productId')
      .select(['u.di', 'p.code'])
      .where('u.di', 'in', dis.slice(i, i + 500))
      .execute();
    for (const t of taken) {
      errors.push({
        row: diRow.get(t.di)!,
        column: 'dis',
        code: 'exists',
        message: `the UDI-DI ${t.di} already identifies product ${t.code}`,
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Commit

/**
 * Files every row of a validated import without errors as a first-business proposal (pending,
 * exactly as a single proposal), ALL OR NOTHING: the job runs ONE transaction; if any row fails
 * (e.g. a DI taken since the validation), nothing is saved and the import says which row failed.
 * Answers at once with status `committing`.
 */
export async function commitImport(ctx: Ctx, importId: string, reason: string): Promise<ImportView> {
  actorOf(ctx);
  const row = await closeIfInterrupted(ctx, await loadImportRow(ctx, importId));
  if (row.status !== 'validated') {
    const why: Record<MdImportTable['status'], string> = {
      validating: 'The file is still being checked; wait until the check is done.',
      validated: '',
      failed: 'This import failed; upload the file again.',
      committing: 'This import is being committed already.',
      committed: 'This import was committed already.',
    };
    throw new AppError('conflict', why[row.status]);
  }
  const errorCount = Number(row.errorCount);
  if (errorCount > 0) {
    throw new AppError(
      'conflict',
      `The file has ${errorCount} ${errorCount === 1 ? 'error' : 'errors'}; nothing can be committed. Correct the file and upload it again.`,
    );
  }
  assertJobSlot(ctx.runtime);
  const jobs = jobsOf(ctx.runtime);
  if (jobs.has(importId)) throw new AppError('conflict', 'This import is being committed already.');
  const job: Job = { phase: 'commit', processed: 0, total: Number(row.total) };
  jobs.set(importId, job);
  // Claimed by a conditional update, so two commits of one import cannot both run.
  const claimed = await ctx.db
    .updateTable('md_import')
    .set({ status: 'committing', reason, message: null, updatedAt: ctx.now.toISOString() })
    .where('id', '=', importId)
    .where('status', '=', 'validated')
    .executeTakeFirst()
    .catch((err: unknown) => {
      jobs.delete(importId);
      throw err;
    });
  if (Number(claimed.numUpdatedRows) !== 1) {
    jobs.delete(importId);
    throw new AppError('conflict', 'This import is being committed already.');
  }
  await record(ctx, {
    action: 'master-data.import.commitRequested',
    outcome: 'success',
    resource: { type: 'md_import', id: importId },
    data: { importId, kind: row.kind, rows: Number(row.total) },
  }).catch((err: unknown) => {
    jobs.delete(importId);
    throw err;
  });
  const work = jobCtx(ctx);
  const state = { rowNo: null as number | null };
  startJob(
    ctx,
    () =>
      runCommit(work, { ...row, reason }, job, state)
        .catch((err: unknown) => failJob(work, row, 'commit', state.rowNo, err))
        .finally(() => jobs.delete(importId)),
    () => jobs.delete(importId),
  );
  return toView(ctx, { ...row, status: 'committing', reason, message: null }, undefined);
}

async function runCommit(ctx: Ctx, row: MdImportTable, job: Job, state: { rowNo: number | null }): Promise<void> {
  const actor = actorOf(ctx);
  const reason = row.reason!;
  const filed: { changeId: string; entityId: string; code: string; payloadHash: string }[] = [];
  const now = ctx.runtime.clock.now();
  await ctx.runtime.db.transaction().execute(async (tx) => {
    const txCtx: Ctx = { ...ctx, db: tx, now };
    let after = 0;
    for (;;) {
      const staged = await tx
        .selectFrom('md_import_row')
        .select(['rowNo', 'payload'])
        .where('importId', '=', row.id)
        .where('rowNo', '>', after)
        .orderBy('rowNo')
        .limit(1000)
        .execute();
      if (staged.length === 0) break;
      for (const s of staged) {
        state.rowNo = Number(s.rowNo);
        after = state.rowNo;
        const payload: unknown = JSON.parse(s.payload);
        if (row.kind === 'products') {
          const product = ProductFields.parse(payload);
          const { productId, changeId } = await proposeNewProduct(txCtx, { reason, product }, { importId: row.id });
          filed.push({
            changeId,
            entityId: productId,
            code: product.code,
            payloadHash: sha256(canonicalJson(product)),
          });
        } else {
          const party = PartyFields.parse(payload);
          const { partyId, changeId } = await proposeNewParty(txCtx, { reason, party }, { importId: row.id });
          filed.push({ changeId, entityId: partyId, code: party.code, payloadHash: sha256(canonicalJson(party)) });
        }
        job.processed++;
        if (job.processed % 100 === 0) await yieldToEventLoop();
      }
    }
    state.rowNo = null;
    await tx.deleteFrom('md_import_row').where('importId', '=', row.id).execute();
    await tx
      .updateTable('md_import')
      .set({
        status: 'committed',
        processed: filed.length,
        committedBy: actor.id,
        committedByName: actor.name,
        committedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'committing')
      .execute();
    await record(txCtx, {
      action: 'master-data.import.committed',
      outcome: 'success',
      resource: { type: 'md_import', id: row.id },
      data: {
        importId: row.id,
        kind: row.kind,
        sha256: row.fileSha256,
        rows: filed.length,
        changesHash: sha256(canonicalJson(filed)),
      },
      reason,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Approval of the whole import

/**
 * QA approves every still-pending proposal of a committed import with ONE electronic signature
 * (GSP-04) whose record binds the import, the file's SHA-256 and the list of change ids; each
 * version is put in force exactly as a single approval does. All in the request's transaction: a
 * wrong code, or any failure, approves nothing.
 */
export async function approveImport(
  ctx: Ctx,
  importId: string,
  input: ApproveImportInput,
): Promise<{ approved: number; signatureId: string }> {
  const actor = actorOf(ctx);
  const row = await loadImportRow(ctx, importId);
  if (row.status !== 'committed') throw new AppError('conflict', 'Only a committed import can be approved.');
  const pending = await ctx.db
    .selectFrom('md_change')
    .select(['id', 'entity', 'entityId', 'version', 'payload'])
    .where('importId', '=', importId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  if (pending.length === 0) throw new AppError('conflict', 'Nothing of this import is waiting for approval.');
  const changeIds = pending.map((c) => c.id);
  const signature = await sign(ctx, {
    meaning: `质量审核通过导入的 ${pending.length} 份首营资料 / QA approved ${pending.length} imported ${row.kind}`,
    subject: { type: 'md_import', id: importId },
    recordValue: {
      importId,
      kind: row.kind,
      fileSha256: row.fileSha256,
      changeIds,
      decision: 'approve',
      note: input.note,
    },
    code: input.code,
  });
  const at = ctx.now.toISOString();
  let updated = 0;
  for (let i = 0; i < changeIds.length; i += 500) {
    const result = await ctx.db
      .updateTable('md_change')
      .set({
        status: 'approved',
        decidedBy: actor.id,
        decidedByName: actor.name,
        decidedAt: at,
        decisionNote: input.note === '' ? null : input.note,
        signatureId: signature.id,
      })
      .where('id', 'in', changeIds.slice(i, i + 500))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  // A proposal decided meanwhile by someone else: the signed list no longer holds; approve nothing.
  if (updated !== changeIds.length) {
    throw new AppError('conflict', 'Some proposals of this import were decided meanwhile; try again.');
  }
  for (const [i, c] of pending.entries()) {
    const payload = JSON.parse(c.payload) as unknown;
    if (c.entity === 'product') {
      await applyProduct(ctx, c.entityId, payload as ProductPayload, Number(c.version), actor.name);
    } else {
      await applyParty(ctx, c.entityId, payload as PartyPayload, Number(c.version), actor.name);
    }
    // Each record's own history in the audit trail reads as after a single approval.
    await record(ctx, {
      action: 'master-data.change.approved',
      outcome: 'success',
      resource: { type: `md_${c.entity}`, id: c.entityId },
      data: {
        changeId: c.id,
        entity: c.entity,
        entityId: c.entityId,
        version: Number(c.version),
        signatureId: signature.id,
        recordHash: signature.recordHash,
      },
    });
    if (i % 200 === 199) await yieldToEventLoop();
  }
  await record(ctx, {
    action: 'master-data.import.approved',
    outcome: 'success',
    resource: { type: 'md_import', id: importId },
    data: {
      importId,
      kind: row.kind,
      sha256: row.fileSha256,
      approved: pending.length,
      signatureId: signature.id,
      recordHash: signature.recordHash,
    },
    ...(input.note === '' ? {} : { reason: input.note }),
  });
  return { approved: pending.length, signatureId: signature.id };
}
