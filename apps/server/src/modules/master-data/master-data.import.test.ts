import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, test } from 'vitest';
import {
  IMPORT_COLUMNS,
  XLSX_MEDIA_TYPE,
  importHeader,
  type ImportView,
  type PartyView,
  type ProductView,
} from '@medledger/contract';
import { buildTestApp, testDialect, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import { decide, freshCode, get, productFields, staffWithRole, type Staff } from '../../../test/master-data-helpers.js';
import {
  commitAndSettle,
  csvOf,
  gtin,
  headerOf,
  partyCells,
  productCells,
  settle,
  upload,
  unzipOf,
  uploadAndValidate,
  xlsxOf,
  zipOf,
} from '../../../test/master-data-import-helpers.js';
import { recordHash } from '../identity/index.js';
import { manualClock } from '../../platform/clock.js';
import { escapeFormula, unescapeFormula } from './master-data.sheet.js';

// Synthetic staff, companies and products only.
const QA = { login: 'qa.li', name: '李质量', password: 'amber falcon 秋水 meadow' };
const BUYER = { login: 'buyer.sun', name: '孙采购', password: 'copper kettle 春风 violet' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setUp() {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock });
  const admin = await firstAdmin(t);
  const qa = await staffWithRole(t, clock, admin.cookie, QA, 'qa-manager');
  return { app: t, clock, admin, qa };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Row counts of the master-data tables (what an import must not touch before its commit). */
async function masterDataCounts(app: TestApp) {
  const tables = [
    'md_product',
    'md_product_package',
    'md_udi_di',
    'md_party',
    'md_party_licence',
    'md_change',
    'md_import_row',
  ] as const;
  const out = {} as Record<(typeof tables)[number], number>;
  for (const table of tables) {
    const row = await app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function auditActions(
  app: TestApp,
  prefix: string,
): Promise<{ action: string; data: Record<string, unknown> }[]> {
  return (await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute())
    .map((e) => JSON.parse(e.canonical) as { action: string; data: Record<string, unknown> })
    .filter((e) => e.action.startsWith(prefix));
}

function approve(app: TestApp, qa: Staff, importId: string, code: string) {
  return post(app, `/api/v1/master-data/imports/${importId}/approve`, { note: '批量首营审核', code }, qa.cookie);
}

function download(app: TestApp, who: Staff, url: string) {
  return app.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
}

/** The XML of one entry of an xlsx (a zip). */
function zipEntry(bytes: Buffer, name: string): string {
  let p = bytes.length - 22;
  while (bytes.readUInt32LE(p) !== 0x06054b50) p--;
  let c = bytes.readUInt32LE(p + 16);
  const count = bytes.readUInt16LE(p + 10);
  for (let k = 0; k < count; k++) {
    const nameLength = bytes.readUInt16LE(c + 28);
    const entryName = bytes.subarray(c + 46, c + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const local = bytes.readUInt32LE(c + 42);
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + bytes.readUInt32LE(c + 20));
      return (bytes.readUInt16LE(c + 10) === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    c += 46 + nameLength + bytes.readUInt16LE(c + 30) + bytes.readUInt16LE(c + 32);
  }
  throw new Error(`no ${name} in the zip`);
}

describe('FILE-01 GSP-03 spreadsheet import of quality master data', () => {
  // 10,000 rows on SQLite; PostgreSQL pays a network round trip per statement, so fewer rows there.
  const bulk = testDialect() === 'postgres' ? 1_000 : 10_000;
  test(`FILE-01 GSP-03 a ${bulk}-row xlsx is validated with progress and committed in one job: every row becomes a pending first-business proposal`, async () => {
    const { app, qa } = await setUp();
    const bytes = await xlsxOf(
      headerOf('products'),
      Array.from({ length: bulk }, (_, i) => productCells(i + 1)),
    );
    const before = await masterDataCounts(app);
    let started = performance.now();
    const res = await upload(app, qa, 'products', bytes);
    expect(res.statusCode, res.body).toBe(202);
    const first = res.json<{ import: ImportView }>().import;
    expect(first).toMatchObject({ status: 'validating', kind: 'products', format: 'xlsx', sha256: sha256(bytes) });
    const validated = await settle(app, qa, first.importId);
    const validateMs = performance.now() - started;
    expect(validated.view).toMatchObject({
      status: 'validated',
      rows: bulk,
      processed: bulk,
      valid: bulk,
      errorCount: 0,
    });
    // Progress only ever moves forward, and ends at the row count.
    expect([...validated.seen].sort((a, b) => a - b)).toEqual(validated.seen);
    expect(validated.seen.at(-1)).toBe(bulk);
    if (app.dialect === 'sqlite') expect(validated.seen.some((n) => n > 0 && n < bulk)).toBe(true);
    // Nothing but the staged rows is saved by the validation.
    expect(await masterDataCounts(app)).toEqual({ ...before, md_import_row: bulk });

    started = performance.now();
    const committed = await commitAndSettle(app, qa, first.importId, '期初首营资料批量导入');
    const commitMs = performance.now() - started;
    // PostgreSQL answers the polls during the commit's transaction (SQLite's one connection cannot).
    if (app.dialect === 'postgres') expect(committed.seen.some((n) => n > 0 && n < bulk)).toBe(true);
    console.info(
      `[md-import ${app.dialect}] ${bulk} rows: validate ${Math.round(validateMs)} ms, commit ${Math.round(commitMs)} ms`,
    );
    expect(committed.view).toMatchObject({
      status: 'committed',
      processed: bulk,
      committedByName: QA.name,
      changes: { pending: bulk, approved: 0, rejected: 0 },
    });
    const after = await masterDataCounts(app);
    expect(after).toMatchObject({
      md_product: before.md_product + bulk,
      md_product_package: before.md_product_package + 2 * bulk,
      md_udi_di: before.md_udi_di + 2 * bulk,
      md_change: before.md_change + bulk,
      md_import_row: 0,
    });
    const statuses = await app.db
      .selectFrom('md_product')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute();
    expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([['pending', bulk]]);
    const changes = await app.db
      .selectFrom('md_change')
      .select(['reason', 'importId', 'firstBusiness', 'requestedByName'])
      .distinct()
      .execute();
    expect(changes).toEqual([
      { reason: '期初首营资料批量导入', importId: first.importId, firstBusiness: 1, requestedByName: QA.name },
    ]);
    const one = await get(app, '/api/v1/master-data/products?q=IMP-000042', qa.cookie);
    expect(one.json<{ products: ProductView[] }>().products[0]).toMatchObject({
      code: 'IMP-000042',
      status: 'pending',
      packages: [
        { level: 0, unit: '支', quantity: 1, dis: [{ issuer: 'GS1', di: gtin('0693100000420') }] },
        { level: 1, unit: '盒', quantity: 100, dis: [{ issuer: 'GS1', di: gtin('1693100000420') }] },
      ],
    });
    // Audited: the validation and the commit with the file's hash, and every proposal on its own.
    const events = await auditActions(app, 'master-data.');
    expect(events.filter((e) => e.action === 'master-data.change.proposed')).toHaveLength(bulk);
    expect(events.filter((e) => e.action.startsWith('master-data.import.'))).toMatchObject([
      { action: 'master-data.import.uploaded', data: { format: 'xlsx', sha256: sha256(bytes), bytes: bytes.length } },
      { action: 'master-data.import.validated', data: { rows: bulk, errors: 0, sha256: sha256(bytes) } },
      { action: 'master-data.import.commitRequested', data: { rows: bulk } },
      { action: 'master-data.import.committed', data: { rows: bulk, sha256: sha256(bytes) } },
    ]);
  }, 180_000);

  test('FILE-01 GSP-03 bad rows are each reported with row and column, and NOTHING is saved; the commit is refused', async () => {
    const { app, clock, qa } = await setUp();
    // On file already: a product whose code and DI the file repeats.
    const existing = await post(
      app,
      '/api/v1/master-data/products',
      { reason: '首营品种', product: productFields() },
      qa.cookie,
    );
    expect(existing.statusCode, existing.body).toBe(201);
    const header = headerOf('products').filter((h) => h !== importHeader(IMPORT_COLUMNS.products[3]!)); // no 规格
    const without = (cells: string[]) => cells.filter((_, i) => i !== 3);
    const rows = [
      productCells(1),
      productCells(2, { dis: `0:GS1:${gtin('0693100000020').slice(0, 13)}1` }), // wrong check digit
      productCells(3, { deviceClass: 'IV' }),
      productCells(4, { code: 'IMP-000001' }), // repeats row 2's code
      productCells(5, { code: 'PRD-STENT-01' }), // on file
      productCells(6, { dis: '0:GS1:06901234567892' }), // DI of the product on file
      productCells(7, { certificateIssuedOn: '2023/4/1' }), // a valid date in another spelling
    ].map(without);
    const before = await masterDataCounts(app);
    const view = await uploadAndValidate(app, qa, 'products', await xlsxOf(header, rows));
    // With a required column missing no row can pass; its absence is reported once, not per row.
    expect(view).toMatchObject({ status: 'validated', rows: 7, valid: 0, errorCount: 6 });
    expect(view.errors.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 1, column: 'specification', code: 'missing_column' },
      { row: 3, column: 'dis', code: 'invalid' },
      { row: 4, column: 'deviceClass', code: 'invalid' },
      { row: 5, column: 'code', code: 'duplicate_in_file' },
      { row: 6, column: 'code', code: 'exists' },
      { row: 7, column: 'dis', code: 'exists' },
    ]);
    expect(view.errors[1]!.message).toContain('check digit should be');
    expect(view.errors[3]!.message).toContain('row 2');
    expect(view.errors[5]!.message).toContain('PRD-STENT-01');
    expect(await masterDataCounts(app)).toEqual(before);

    const refused = await post(
      app,
      `/api/v1/master-data/imports/${view.importId}/commit`,
      { reason: '导入' },
      qa.cookie,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('6 errors');
    expect(await masterDataCounts(app)).toEqual(before);
    // The corrected file goes through.
    const fixed = await uploadAndValidate(
      app,
      qa,
      'products',
      await xlsxOf(headerOf('products'), [productCells(1), productCells(7, { certificateIssuedOn: '2023/4/1' })]),
    );
    expect(fixed).toMatchObject({ errorCount: 0, valid: 2 });
    const done = await commitAndSettle(app, qa, fixed.importId);
    expect(done.view.status).toBe('committed');
    // Committing twice is refused.
    expect(
      (await post(app, `/api/v1/master-data/imports/${fixed.importId}/commit`, { reason: '再次' }, qa.cookie))
        .statusCode,
    ).toBe(409);
    void clock;
  });

  test('GSP-03 a failure in the middle of the commit saves nothing: a DI taken after the validation fails the whole import', async () => {
    const { app, qa } = await setUp();
    const rows = Array.from({ length: 60 }, (_, i) => productCells(i + 1));
    const view = await uploadAndValidate(app, qa, 'products', await xlsxOf(headerOf('products'), rows));
    expect(view.errorCount).toBe(0);
    // After the validation, someone files a product using row 41's level-1 DI.
    const taken = gtin('1693100000400');
    const late = await post(
      app,
      '/api/v1/master-data/products',
      {
        reason: '首营品种',
        product: productFields({
          code: 'LATE-01',
          packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: taken }] }],
        }),
      },
      qa.cookie,
    );
    expect(late.statusCode, late.body).toBe(201);
    const before = await masterDataCounts(app);
    const { view: failed } = await commitAndSettle(app, qa, view.importId);
    expect(failed.status).toBe('failed');
    expect(failed.message).toContain('Row 41');
    expect(failed.message).toContain(taken);
    expect(failed.changes).toEqual({ pending: 0, approved: 0, rejected: 0 });
    expect(await masterDataCounts(app)).toEqual(before);
    const codes = await app.db.selectFrom('md_product').select('code').execute();
    expect(codes.map((c) => c.code)).toEqual(['LATE-01']);
    const events = await auditActions(app, 'master-data.');
    expect(events.filter((e) => e.action === 'master-data.change.proposed')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ action: 'master-data.import.failed', data: { phase: 'commit', row: 41 } });
    // A failed import stays failed: upload the file again.
    expect(
      (await post(app, `/api/v1/master-data/imports/${view.importId}/commit`, { reason: '再试' }, qa.cookie))
        .statusCode,
    ).toBe(409);
  });

  test('GSP-04 QA approves a whole import with ONE signature binding the file and the change ids; a wrong code approves nothing', async () => {
    const { app, clock, qa } = await setUp();
    const bytes = await xlsxOf(
      headerOf('products'),
      Array.from({ length: 25 }, (_, i) => productCells(i + 1)),
    );
    const view = await uploadAndValidate(app, qa, 'products', bytes);
    await commitAndSettle(app, qa, view.importId);
    // One of them is rejected on its own first; the batch approves the rest.
    const [rejected] = await app.db
      .selectFrom('md_change')
      .select('id')
      .where('importId', '=', view.importId)
      .orderBy('id')
      .limit(1)
      .execute();
    expect((await decide(app, clock, qa, rejected!.id, 'reject')).statusCode).toBe(200);

    const wrong = await approve(app, qa, view.importId, '000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json<{ code: string }>().code).toBe('step_up_required');
    const stillPending = await get(app, `/api/v1/master-data/imports/${view.importId}`, qa.cookie);
    expect(stillPending.json<{ import: ImportView }>().import.changes).toEqual({
      pending: 24,
      approved: 0,
      rejected: 1,
    });
    expect(await app.db.selectFrom('md_product').select('id').where('status', '=', 'approved').execute()).toHaveLength(
      0,
    );

    const ok = await approve(app, qa, view.importId, freshCode(app, clock, qa));
    expect(ok.statusCode, ok.body).toBe(200);
    const body = ok.json<{ import: ImportView; approved: number; signatureId: string }>();
    expect(body.approved).toBe(24);
    expect(body.import.changes).toEqual({ pending: 0, approved: 24, rejected: 1 });
    const signatures = await app.db
      .selectFrom('e_signature')
      .selectAll()
      .where('subjectType', '=', 'md_import')
      .execute();
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ id: body.signatureId, subjectId: view.importId, signerName: QA.name });
    const approvedChanges = await app.db
      .selectFrom('md_change')
      .select(['id', 'signatureId', 'decidedByName'])
      .where('importId', '=', view.importId)
      .where('status', '=', 'approved')
      .orderBy('id')
      .execute();
    expect(new Set(approvedChanges.map((c) => c.signatureId))).toEqual(new Set([body.signatureId]));
    // The signature binds the import, the file's hash and exactly the approved change ids.
    expect(signatures[0]!.recordHash).toBe(
      recordHash({
        importId: view.importId,
        kind: 'products',
        fileSha256: sha256(bytes),
        changeIds: approvedChanges.map((c) => c.id),
        decision: 'approve',
        note: '批量首营审核',
      }),
    );
    const products = await app.db.selectFrom('md_product').select(['status', 'approvedByName']).execute();
    expect(products.filter((p) => p.status === 'approved')).toHaveLength(24);
    expect(products.filter((p) => p.status === 'rejected')).toHaveLength(1);
    expect(new Set(products.filter((p) => p.status === 'approved').map((p) => p.approvedByName))).toEqual(
      new Set([QA.name]),
    );
    const events = await auditActions(app, 'master-data.');
    expect(events.filter((e) => e.action === 'master-data.change.approved')).toHaveLength(24);
    expect(events.at(-1)).toMatchObject({
      action: 'master-data.import.approved',
      data: { approved: 24, signatureId: body.signatureId, sha256: sha256(bytes) },
    });
    // Nothing left to approve.
    expect((await approve(app, qa, view.importId, freshCode(app, clock, qa))).statusCode).toBe(409);
  });

  test('AC-01 GSP-03 a member of staff without QA rights gets 403 on upload, commit and approve; reading and export stay open', async () => {
    const { app, clock, admin, qa } = await setUp();
    const buyer = await staffWithRole(app, clock, admin.cookie, BUYER, 'purchasing');
    const bytes = await xlsxOf(headerOf('products'), [productCells(1)]);
    const before = await masterDataCounts(app);
    const refusedUpload = await upload(app, buyer, 'products', bytes);
    expect(refusedUpload.statusCode).toBe(403);
    expect(await app.db.selectFrom('md_import').select('id').execute()).toHaveLength(0);
    const view = await uploadAndValidate(app, qa, 'products', bytes);
    const commit = await post(
      app,
      `/api/v1/master-data/imports/${view.importId}/commit`,
      { reason: '导入' },
      buyer.cookie,
    );
    expect(commit.statusCode).toBe(403);
    expect(
      (await get(app, `/api/v1/master-data/imports/${view.importId}`, buyer.cookie)).json<{ import: ImportView }>()
        .import.status,
    ).toBe('validated');
    await commitAndSettle(app, qa, view.importId);
    const approval = await approve(app, buyer, view.importId, freshCode(app, clock, buyer));
    expect(approval.statusCode).toBe(403);
    expect(await app.db.selectFrom('md_change').select('id').where('status', '!=', 'pending').execute()).toHaveLength(
      0,
    );
    expect((await download(app, buyer, '/api/v1/master-data/products/export?format=csv')).statusCode).toBe(200);
    expect((await masterDataCounts(app)).md_product).toBe(before.md_product + 1);
  });

  test('FILE-01 a fake xlsx, a zip bomb, a non-UTF-8 CSV, a wrong type and an oversize upload are refused before anything is stored', async () => {
    const { app, qa } = await setUp();
    const refused = async (bytes: Buffer, type: string, status: number, message?: RegExp) => {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v1/master-data/imports?kind=products',
        payload: bytes,
        headers: { cookie: qa.cookie, 'content-type': type },
      });
      expect(res.statusCode, res.body).toBe(status);
      if (message) expect(res.json<{ message: string }>().message).toMatch(message);
    };
    // Not a zip at all, though declared as xlsx.
    await refused(Buffer.from('code,name\nA,B\n'), XLSX_MEDIA_TYPE, 415, /not a zip archive/);
    // A zip with a high compression ratio, and one whose declared size lies.
    await refused(
      zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(40 * 1024 * 1024) }]),
      XLSX_MEDIA_TYPE,
      413,
    );
    await refused(
      zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(2 * 1024 * 1024, 0x41), declaredSize: 1000 }]),
      XLSX_MEDIA_TYPE,
      413,
    );
    // A zip that is no workbook passes the container checks, and its validation fails.
    const notWorkbook = await uploadAndValidate(
      app,
      qa,
      'products',
      zipOf([{ name: 'hello.txt', data: Buffer.from('hello') }]),
    );
    expect(notWorkbook).toMatchObject({ status: 'failed', rows: 0 });
    expect(notWorkbook.message).toMatch(/no data rows|not a readable/);
    // GB18030 text (Excel's plain CSV on Chinese Windows).
    const gbk = Buffer.from([0xb2, 0xfa, 0xc6, 0xb7, 0x2c, 0x41, 0x0a]);
    await refused(gbk, 'text/csv', 415, /UTF-8/);
    // An xlsx declared as CSV; a PDF; JSON.
    await refused(await xlsxOf(headerOf('products'), []), 'text/csv', 415);
    await refused(Buffer.from('%PDF-1.7'), 'application/pdf', 415);
    const json = await post(app, '/api/v1/master-data/imports?kind=products', { rows: [] }, qa.cookie);
    expect(json.statusCode).toBe(415);
    // Over the 20 MB limit.
    await refused(Buffer.alloc(20 * 1024 * 1024 + 1, 0x41), XLSX_MEDIA_TYPE, 413);
    // A spreadsheet type sent to an ordinary JSON route.
    const elsewhere = await app.app.inject({
      method: 'POST',
      url: '/api/v1/master-data/products',
      payload: Buffer.from('a,b'),
      headers: { cookie: qa.cookie, 'content-type': 'text/csv' },
    });
    expect(elsewhere.statusCode).toBe(415);
  });

  test('VAL-07 a workbook whose XML declares a DTD (external entity, billion laughs; any case, UTF-16) is refused before any XML parser reads it', async () => {
    const { app, qa } = await setUp();
    const good = await xlsxOf(headerOf('products'), [productCells(1)]);
    const parts = unzipOf(good);
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    expect(sheet.data.toString('utf8')).toMatch(/^<\?xml[^>]*\?>/);
    // The same workbook, its sheet XML given a prologue after the XML declaration.
    const withPrologue = (prologue: string, encoding: 'utf8' | 'utf16le' = 'utf8') => {
      const xml = sheet.data.toString('utf8').replace(/^(<\?xml[^>]*\?>)/, `$1${prologue}`);
      const data =
        encoding === 'utf8'
          ? Buffer.from(xml)
          : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
      return zipOf(parts.map((p) => (p === sheet ? { name: p.name, data } : p)));
    };
    const attacks = {
      externalEntity: withPrologue('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
      lowerCase: withPrologue('<!doctype worksheet [<!entity xxe SYSTEM "file:///etc/hostname">]>'),
      billionLaughs: withPrologue(
        `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>`,
      ),
      utf16: withPrologue('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 'utf16le'),
    };
    for (const [name, bytes] of Object.entries(attacks)) {
      const res = await upload(app, qa, 'products', bytes);
      expect(res.statusCode, name).toBe(415);
      expect(res.json<{ message: string }>().message, name).toMatch(/document type or entities/);
    }
    expect(await app.db.selectFrom('md_import').select('id').execute()).toHaveLength(0);
    // The same workbook rebuilt without a prologue is accepted and validates.
    const rebuilt = await uploadAndValidate(app, qa, 'products', withPrologue(''));
    expect(rebuilt).toMatchObject({ status: 'validated', rows: 1 });
  });

  test('FILE-01 the template has Chinese and English headers and a help sheet; filled in, it imports without errors', async () => {
    const { app, qa } = await setUp();
    const res = await download(app, qa, '/api/v1/master-data/import/template?kind=products&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MEDIA_TYPE);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="medledger-products-template.xlsx"; filename*=UTF-8''medledger-products-template.xlsx`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['产品 Products', '说明 Help']);
    const data = workbook.worksheets[0]!;
    expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(headerOf('products'));
    expect(importHeader(IMPORT_COLUMNS.products[0]!)).toBe('产品编码 / Product code');
    expect(data.rowCount).toBe(1);
    const help = JSON.stringify(workbook.worksheets[1]!.getSheetValues());
    for (const needle of ['cold_2_8', 'frozen_minus_20', 'III', '0:盒:1;1:箱:10']) expect(help).toContain(needle);
    // A user fills in two rows (a date typed as a date cell) and uploads the file.
    const cells = productCells(1);
    data.addRow(cells);
    const second = data.addRow(productCells(2));
    second.getCell(12).value = new Date(Date.UTC(2023, 3, 1));
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const view = await uploadAndValidate(app, qa, 'products', filled);
    expect(view).toMatchObject({ status: 'validated', rows: 2, valid: 2, errorCount: 0 });
    // The parties template, and a CSV template (header only, with a BOM for Excel).
    const parties = await download(app, qa, '/api/v1/master-data/import/template?kind=parties&format=xlsx');
    expect(parties.statusCode).toBe(200);
    const csv = await download(app, qa, '/api/v1/master-data/import/template?kind=parties&format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      `\uFEFF${headerOf('parties')
        .map((h) => `"${h}"`)
        .join(',')}\r\n`,
    );
    expect((await download(app, qa, '/api/v1/master-data/import/template?kind=things&format=xlsx')).statusCode).toBe(
      400,
    );
  });

  test('GSP-03 FILE-04 parties import from a UTF-8 CSV with their licences and scope; a QA batch approval puts them in force; readers follow imports and export the parties', async () => {
    const { app, clock, admin, qa } = await setUp();
    const rows = [
      partyCells(1),
      // A public hospital: no business licence, a practising licence; a customer only.
      partyCells(2, {
        isSupplier: '否',
        customerType: '医院',
        blNumber: '',
        blAuthority: '',
        blIssuedOn: '',
        blValidUntil: '',
        licenceKind: 'medical_institution_licence',
        licenceNumber: 'PDY00001-331010000A1001',
        licenceScope: '',
      }),
      // A manufacturer with a production licence, scope with Chinese punctuation.
      partyCells(3, {
        isSupplier: 'N',
        isManufacturer: 'Y',
        licenceKind: '生产许可证',
        licenceScope: 'iii:13-07，II:14',
      }),
    ];
    const view = await uploadAndValidate(app, qa, 'parties', csvOf(headerOf('parties'), rows), 'csv');
    expect(view.errors).toEqual([]);
    expect(view).toMatchObject({ format: 'csv', rows: 3, valid: 3 });
    await commitAndSettle(app, qa, view.importId, '客户与供应商期初导入');
    const ok = await approve(app, qa, view.importId, freshCode(app, clock, qa));
    expect(ok.statusCode, ok.body).toBe(200);
    const list = (await get(app, '/api/v1/master-data/parties?pageSize=10', qa.cookie)).json<{
      parties: PartyView[];
    }>();
    expect(list.parties.map((p) => [p.code, p.status])).toEqual([
      ['SUP-I0001', 'approved'],
      ['SUP-I0002', 'approved'],
      ['SUP-I0003', 'approved'],
    ]);
    expect(list.parties[0]).toMatchObject({
      isSupplier: true,
      customerType: null,
      repAuthorisations: [],
      licences: [
        { kind: 'business_licence', validUntil: null, scope: [] },
        { kind: 'operating_licence', validUntil: '2030-02-28', scope: ['III:07', 'II:14'] },
      ],
    });
    expect(list.parties[1]).toMatchObject({
      customerType: 'hospital',
      licences: [{ kind: 'medical_institution_licence', number: 'PDY00001-331010000A1001' }],
    });
    expect(list.parties[2]).toMatchObject({
      isManufacturer: true,
      licences: [{ kind: 'business_licence' }, { kind: 'production_licence', scope: ['III:13-07', 'II:14'] }],
    });
    // Bad party rows: no role at all, a broken USCC, a half-filled licence, a bad scope entry.
    const bad = await uploadAndValidate(
      app,
      qa,
      'parties',
      csvOf(headerOf('parties'), [
        partyCells(11, { isSupplier: '否' }),
        partyCells(12, { uscc: '123' }),
        partyCells(13, { licenceAuthority: '' }),
        partyCells(14, { licenceScope: 'IV:07' }),
        partyCells(1),
      ]),
      'csv',
    );
    expect(bad.errors.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 2, column: 'customerType', code: 'invalid' },
      { row: 3, column: 'uscc', code: 'invalid' },
      { row: 4, column: 'licenceAuthority', code: 'required' },
      { row: 5, column: 'licenceScope', code: 'invalid' },
      { row: 6, column: 'code', code: 'exists' },
    ]);

    // A reader without QA rights follows the imports, newest first, with their review progress.
    const buyer = await staffWithRole(app, clock, admin.cookie, BUYER, 'purchasing');
    const imports = await get(app, '/api/v1/master-data/imports', buyer.cookie);
    expect(imports.statusCode, imports.body).toBe(200);
    const listed = imports.json<{ imports: Omit<ImportView, 'errors'>[] }>().imports;
    expect(listed).toMatchObject([
      { importId: bad.importId, kind: 'parties', format: 'csv', status: 'validated', rows: 5, valid: 0, errorCount: 5 },
      {
        importId: view.importId,
        kind: 'parties',
        format: 'csv',
        status: 'committed',
        rows: 3,
        valid: 3,
        errorCount: 0,
        createdByName: QA.name,
        committedByName: QA.name,
        changes: { pending: 0, approved: 3, rejected: 0 },
      },
    ]);
    // The list carries no row errors (they may quote cell content); one import shows them.
    for (const one of listed) expect(one).not.toHaveProperty('errors');

    // LOG-01 FILE-04: the parties on file export in the template's columns; the export is audited with its hash.
    const exported = await download(app, buyer, '/api/v1/master-data/parties/export?format=csv');
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toBe(
      `attachment; filename="medledger-parties-2026-11-29.csv"; filename*=UTF-8''medledger-parties-2026-11-29.csv`,
    );
    expect(exported.headers['x-content-type-options']).toBe('nosniff');
    expect(exported.headers['cache-control']).toBe('no-store');
    const lines = exported.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => /^"([^"]*)"/.exec(l)?.[1])).toEqual(['SUP-I0001', 'SUP-I0002', 'SUP-I0003']);
    expect(exported.body).toContain('PDY00001-331010000A1001');
    const audited = await auditActions(app, 'master-data.record.exported');
    expect(audited.map((e) => e.data)).toEqual([
      { kind: 'parties', format: 'csv', rows: 3, sha256: sha256(exported.rawPayload) },
    ]);
  });

  test('VAL-06 formula-like values are neutralised in CSV and xlsx exports and identical after a re-import', async () => {
    const { app, clock, qa } = await setUp();
    const nasty = ['=HYPERLINK("http://127.0.0.1:9/x","y")', '+1', '@SUM(A1)', '-2'];
    const products = nasty.map((name, i) =>
      productCells(i + 1, {
        name,
        model: i === 0 ? '=1+2' : `M-${i}`,
        registrant: i === 1 ? "+cmd|' /C calc'!A0" : '示例医疗科技股份有限公司',
      }),
    );
    const view = await uploadAndValidate(app, qa, 'products', csvOf(headerOf('products'), products), 'csv');
    expect(view.errors).toEqual([]);
    await commitAndSettle(app, qa, view.importId);
    // A name that starts with a quote itself (entered in the form) must survive too.
    const quoted = await post(
      app,
      '/api/v1/master-data/products',
      {
        reason: '首营品种',
        product: productFields({
          code: 'IMP-000005',
          name: "'=already quoted",
          packages: [{ level: 0, unit: '盒', quantity: 1, dis: [] }],
        }),
      },
      qa.cookie,
    );
    expect(quoted.statusCode, quoted.body).toBe(201);
    nasty.push("'=already quoted");
    const original = (await get(app, '/api/v1/master-data/products?pageSize=10', qa.cookie)).json<{
      products: ProductView[];
    }>().products;
    expect(original.map((p) => p.name)).toEqual(nasty);

    const csv = await download(app, qa, '/api/v1/master-data/products/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="medledger-products-2026-11-29.csv"; filename*=UTF-8''medledger-products-2026-11-29.csv`,
    );
    expect(csv.headers['x-content-type-options']).toBe('nosniff');
    expect(csv.headers['cache-control']).toBe('no-store');
    const text = csv.body;
    expect(text).toContain('"\'=HYPERLINK(""http://127.0.0.1:9/x"",""y"")"');
    expect(text).toContain('"\'+1"');
    expect(text).toContain('"\'@SUM(A1)"');
    expect(text).toContain('"\'-2"');
    expect(text).toContain('"\'\'=already quoted"');
    expect(text).toContain('"\'=1+2"');
    // No field of the CSV starts with a formula character.
    for (const field of text.slice(1).split(/","|"\r\n"|^"|"\r\n$/)) expect(field).not.toMatch(/^[=+\-@\t\r]/);

    const xlsx = await download(app, qa, '/api/v1/master-data/products/export?format=xlsx');
    const bytes = xlsx.rawPayload;
    const sheetXml = zipEntry(bytes, 'xl/worksheets/sheet1.xml');
    expect(sheetXml).not.toContain('<f>');
    expect(sheetXml).not.toContain('<f ');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    // Plain strings, as they are; only a value already starting with a quote gets one more.
    const names = workbook.worksheets[0]!.getColumn(2).values.slice(2);
    expect(names).toEqual([...nasty.slice(0, 4), "''=already quoted"]);
    expect(workbook.worksheets[0]!.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    // Each export is audited with the SHA-256 of the file served.
    const exported = await auditActions(app, 'master-data.record.exported');
    expect(exported.map((e) => e.data)).toEqual([
      { kind: 'products', format: 'csv', rows: 5, sha256: sha256(csv.rawPayload) },
      { kind: 'products', format: 'xlsx', rows: 5, sha256: sha256(bytes) },
    ]);

    // Round trip into a fresh installation: both files validate to exactly the records on file.
    await t!.close();
    const again = await setUp();
    const fromCsv = await uploadAndValidate(again.app, again.qa, 'products', csv.rawPayload, 'csv');
    const fromXlsx = await uploadAndValidate(again.app, again.qa, 'products', bytes);
    expect(fromCsv.errors).toEqual([]);
    expect(fromXlsx.errors).toEqual([]);
    const staged = async (importId: string) =>
      (
        await again.app.db
          .selectFrom('md_import_row')
          .select('payload')
          .where('importId', '=', importId)
          .orderBy('rowNo')
          .execute()
      ).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    const fields = (p: ProductView) => {
      const {
        id: _id,
        status: _s,
        version: _v,
        approvedAt: _a,
        approvedByName: _b,
        updatedAt: _u,
        pendingChangeId: _p,
        certificateCancelledAt: _c,
        ...rest
      } = p;
      return rest;
    };
    expect(await staged(fromCsv.importId)).toEqual(original.map(fields));
    expect(await staged(fromXlsx.importId)).toEqual(original.map(fields));
    await commitAndSettle(again.app, again.qa, fromXlsx.importId);
    const reimported = (await get(again.app, '/api/v1/master-data/products?pageSize=10', again.qa.cookie)).json<{
      products: ProductView[];
    }>().products;
    expect(reimported.map(fields)).toEqual(original.map(fields));
    // The other file repeats the codes now on file: its commit fails as a whole.
    const second = await commitAndSettle(again.app, again.qa, fromCsv.importId);
    expect(second.view.status).toBe('failed');
    void clock;
  });

  test('FILE-01 at most three import jobs run at once; a fourth upload is asked to wait', async () => {
    const { app, qa } = await setUp();
    const bytes = await xlsxOf(
      headerOf('products'),
      Array.from({ length: 2000 }, (_, i) => productCells(i + 1)),
    );
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(app, qa, 'products', bytes);
      expect(res.statusCode, res.body).toBe(202);
      started.push(res.json<{ import: ImportView }>().import.importId);
    }
    const fourth = await upload(app, qa, 'products', bytes);
    expect(fourth.statusCode).toBe(429);
    for (const id of started) expect((await settle(app, qa, id)).view.status).toBe('validated');
    expect((await upload(app, qa, 'products', bytes)).statusCode).toBe(202);
    const last = await app.db.selectFrom('md_import').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await settle(app, qa, last.id);
  }, 60_000);

  test('VAL-06 the escaping is exactly undone on import (unit)', () => {
    for (const v of ['=1', '+1', '-1', '@x', '\tx', '\rx', "'=x", "''+x", "'plain", 'plain', '', "'"]) {
      expect(unescapeFormula(escapeFormula(v))).toBe(v);
    }
    expect(escapeFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(escapeFormula("'quoted")).toBe("'quoted");
  });
});
