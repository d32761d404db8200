import { deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import {
  CSV_MEDIA_TYPE,
  IMPORT_COLUMNS,
  XLSX_MEDIA_TYPE,
  importHeader,
  type ImportKind,
  type ImportView,
} from '@medledger/contract';
import type { TestApp } from './harness.js';
import { get, type Staff } from './master-data-helpers.js';

/** A GTIN-14 with its check digit, from a 13-digit body. */
export function gtin(body13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body13}${(10 - (sum % 10)) % 10}`;
}

/** The cells of a synthetic product row (template column order); `n` makes code and DIs unique. */
export function productCells(n: number, overrides: Record<string, string> = {}): string[] {
  const body = String(n).padStart(7, '0');
  const values: Record<string, string> = {
    code: `IMP-${String(n).padStart(6, '0')}`,
    name: `一次性使用无菌注射器 ${n}`,
    model: `SY-${n % 50}`,
    specification: '5ml',
    deviceClass: 'II',
    catalogCode: '14-02-01',
    registrant: '示例医疗科技股份有限公司',
    registrantLicenceNo: '沪食药监械生产许20150001号',
    contractManufacturer: '',
    contractManufacturerLicenceNo: '',
    certificateNo: `沪械注准2023214${String(n % 10000).padStart(4, '0')}`,
    certificateIssuedOn: '2023-04-01',
    certificateValidUntil: '2028-03-31',
    implantable: '否',
    storage: 'normal',
    humidityMax: '80',
    levels: '0:支:1;1:盒:100',
    dis: `0:GS1:${gtin(`06931${body}0`)};1:GS1:${gtin(`16931${body}0`)}`,
    ...overrides,
  };
  return IMPORT_COLUMNS.products.map((c) => values[c.key] ?? '');
}

/** The cells of a synthetic supplier row. */
export function partyCells(n: number, overrides: Record<string, string> = {}): string[] {
  const values: Record<string, string> = {
    code: `SUP-I${String(n).padStart(4, '0')}`,
    name: `示例医疗器械贸易有限公司 ${n}`,
    uscc: `91310000MA1K${String(n).padStart(6, '0')}`,
    isSupplier: '是',
    isManufacturer: '否',
    customerType: '',
    legalRepresentative: '李明远',
    enterpriseHead: '王思齐',
    address: '上海市浦东新区示例路 1 号',
    warehouseAddress: '上海市浦东新区示例路 1 号 3 号库',
    blNumber: `91310000MA1K${String(n).padStart(6, '0')}`,
    blAuthority: '上海市市场监督管理局',
    blIssuedOn: '2020-01-10',
    blValidUntil: '长期',
    licenceKind: '医疗器械经营许可证',
    licenceNumber: `沪药监械经营许2020${String(n).padStart(4, '0')}号`,
    licenceAuthority: '上海市药品监督管理局',
    licenceIssuedOn: '2021-03-01',
    licenceValidUntil: '2030-02-28',
    licenceScope: 'III:07,II:14',
    ...overrides,
  };
  return IMPORT_COLUMNS.parties.map((c) => values[c.key] ?? '');
}

export function headerOf(kind: ImportKind): string[] {
  return IMPORT_COLUMNS[kind].map(importHeader);
}

/** An xlsx file made with ExcelJS as a user's spreadsheet program would: a header row, then data. */
export async function xlsxOf(header: readonly string[], rows: readonly (readonly string[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow([...header]);
  for (const r of rows) sheet.addRow(r.map((v) => (v === '' ? null : v)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A UTF-8 CSV file (with BOM, as Excel's "CSV UTF-8" writes it). */
export function csvOf(header: readonly string[], rows: readonly (readonly string[])[]): Buffer {
  const line = (r: readonly string[]) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
  return Buffer.from(`\uFEFF${[header, ...rows].map(line).join('\r\n')}\r\n`, 'utf8');
}

export function upload(app: TestApp, staff: Staff, kind: ImportKind, bytes: Buffer, type: 'xlsx' | 'csv' = 'xlsx') {
  return app.app.inject({
    method: 'POST',
    url: `/api/v1/master-data/imports?kind=${kind}`,
    payload: bytes,
    headers: { cookie: staff.cookie, 'content-type': type === 'xlsx' ? XLSX_MEDIA_TYPE : CSV_MEDIA_TYPE },
  });
}

/** Polls the import until its job is done; returns the view and the progress values seen. */
export async function settle(
  app: TestApp,
  staff: Staff,
  importId: string,
  timeoutMs = 120_000,
): Promise<{ view: ImportView; seen: number[] }> {
  const seen: number[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(app, `/api/v1/master-data/imports/${importId}`, staff.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<{ import: ImportView }>().import;
    seen.push(view.processed);
    if (view.status !== 'validating' && view.status !== 'committing') return { view, seen };
    if (Date.now() > until) throw new Error(`import ${importId} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Uploads a file and waits for its validation. */
export async function uploadAndValidate(
  app: TestApp,
  staff: Staff,
  kind: ImportKind,
  bytes: Buffer,
  type: 'xlsx' | 'csv' = 'xlsx',
): Promise<ImportView> {
  const res = await upload(app, staff, kind, bytes, type);
  expect(res.statusCode, res.body).toBe(202);
  const started = res.json<{ import: ImportView }>().import;
  expect(['validating', 'validated']).toContain(started.status);
  return (await settle(app, staff, started.importId)).view;
}

/** Commits an import and waits for the job. */
export async function commitAndSettle(app: TestApp, staff: Staff, importId: string, reason = '批量首营资料导入') {
  const res = await app.app.inject({
    method: 'POST',
    url: `/api/v1/master-data/imports/${importId}/commit`,
    payload: { reason },
    headers: { cookie: staff.cookie },
  });
  expect(res.statusCode, res.body).toBe(202);
  return settle(app, staff, importId);
}

/**
 * A zip archive built by hand, for FILE-01 tests: each entry deflated, with its uncompressed size
 * as declared in the headers (`declaredSize` lets a test lie about it).
 */
export function zipOf(entries: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The entries of a zip archive (stored or deflated), read through its central directory. */
export function unzipOf(bytes: Buffer): { name: string; data: Buffer }[] {
  let eocd = bytes.length - 22;
  while (eocd >= 0 && bytes.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('no zip directory');
  const count = bytes.readUInt16LE(eocd + 10);
  let p = bytes.readUInt32LE(eocd + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let k = 0; k < count; k++) {
    const method = bytes.readUInt16LE(p + 10);
    const compressed = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    const local = bytes.readUInt32LE(p + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + compressed);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return out;
}
