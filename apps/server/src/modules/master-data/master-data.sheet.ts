import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.js';
import { yieldToEventLoop } from '../../platform/export/xlsx.js';

/** Writing moved to the platform (the GSP ledgers export too); re-exported for this module's callers. */
export {
  escapeFormula,
  escapeQuoted,
  unescapeFormula,
  writeCsv,
  writeXlsx,
  type SheetSpec,
} from '../../platform/export/xlsx.js';

/**
 * Reading spreadsheets (xlsx and CSV) as rows of cells, with the FILE-01 checks on what comes in.
 * Knows nothing of master data.
 */

/** A cell as read: text, a calendar date (an Excel date cell), or empty. */
export type SheetCell = string | { date: string } | null;
/** One data row with its spreadsheet row number (the header is row 1). */
export type SheetRow = { rowNo: number; cells: SheetCell[] };
export type SheetData = { header: string[]; rows: SheetRow[] };

/**
 * Decodes an uploaded CSV: UTF-8 only (a BOM is allowed). Excel's plain "CSV" is GB18030 on Chinese
 * Windows; that is refused with the way out rather than guessed.
 */
export function decodeCsv(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError(
      'unsupported_media_type',
      'The CSV file is not UTF-8 text (Excel saves plain "CSV" as GB18030/GBK). Save it as "CSV UTF-8 (逗号分隔)" or upload the .xlsx file.',
    );
  }
  if (text.includes('\0')) throw new AppError('unsupported_media_type', 'The CSV file contains binary data.');
  return text;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
export async function parseCsv(text: string, maxRows: number): Promise<SheetData> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (records.length % 2000 === 0) await yieldToEventLoop();
      if (records.length > maxRows + 1 + 1000) break; // far too many: stop reading, the caller refuses
    } else field += ch;
    i++;
  }
  if (quoted) throw new AppError('validation_failed', 'The CSV file ends inside a quoted field (a " is not closed).');
  if (field !== '' || record.length > 0) endRecord();
  const [header = [], ...body] = records;
  return {
    header: header.map((h) => h.trim()),
    rows: body.map((cells, index) => ({
      rowNo: index + 2,
      cells: cells.map((c) => (c.trim() === '' ? null : c)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// xlsx: FILE-01 checks on the zip container

/** Limits on the zip container of an uploaded workbook (FILE-01: count, size, ratio). */
export const ZIP_LIMITS = { entries: 1000, totalBytes: 256 * 1024 * 1024, ratio: 250 } as const;

const tooBig = () =>
  new AppError('payload_too_large', 'The workbook expands to more than is accepted; split it into smaller files.');
const notXlsx = (why: string) =>
  new AppError('unsupported_media_type', `The file is not a readable .xlsx workbook (${why}).`);

// VAL-07: a workbook part never needs a DTD. One that declares a document type or entities (external
// entities reading files, "billion laughs" expansion) is refused before any XML parser sees it — in
// any letter case, and in the UTF-16 spellings too.
const DTD_KEYWORDS = ['DOCTYPE', 'ENTITY'];
const MARKUP_OPENERS: readonly { opener: Buffer; unit: number; offset: number }[] = [
  { opener: Buffer.from('<!', 'latin1'), unit: 1, offset: 0 },
  { opener: Buffer.from('<!', 'utf16le'), unit: 2, offset: 0 },
  { opener: Buffer.from('<!', 'utf16le').swap16(), unit: 2, offset: 1 },
];

function declaresDtd(part: Buffer): boolean {
  for (const { opener, unit, offset } of MARKUP_OPENERS) {
    for (let at = part.indexOf(opener); at >= 0; at = part.indexOf(opener, at + 1)) {
      const after = at + opener.length;
      const word = (length: number) => {
        let out = '';
        for (let k = 0; k < length; k++) out += String.fromCharCode(part[after + k * unit + offset] ?? 0);
        return out.toUpperCase();
      };
      if (DTD_KEYWORDS.some((keyword) => word(keyword.length) === keyword)) return true;
    }
  }
  return false;
}

function refuseDtd(part: Buffer): void {
  if (declaresDtd(part)) throw notXlsx('a part declares a document type or entities, which workbooks never need');
}

/**
 * Checks the zip container before any spreadsheet code reads it: magic bytes, entry count, no
 * encryption or ZIP64, declared sizes and ratios within limits — and every entry inflated with
 * its declared size as a hard cap, so a size that lies cannot smuggle a zip bomb through.
 */
export function inspectXlsxZip(bytes: Buffer): void {
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== 0x04034b50) throw notXlsx('not a zip archive');
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('no zip directory');
  const count = bytes.readUInt16LE(eocd + 10);
  const dirSize = bytes.readUInt32LE(eocd + 12);
  const dirOffset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw notXlsx('ZIP64 is not supported');
  if (count > ZIP_LIMITS.entries) throw notXlsx('too many entries');
  if (dirOffset + dirSize > eocd) throw notXlsx('damaged zip directory');
  let p = dirOffset;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50) throw notXlsx('damaged zip directory');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const compressed = bytes.readUInt32LE(p + 20);
    const size = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    const local = bytes.readUInt32LE(p + 42);
    if ((flags & 0x1) !== 0) throw notXlsx('encrypted entries');
    if (method !== 0 && method !== 8) throw notXlsx('unknown compression');
    if (compressed === 0xffffffff || size === 0xffffffff) throw notXlsx('ZIP64 is not supported');
    total += size;
    if (total > ZIP_LIMITS.totalBytes) throw tooBig();
    if (size > 1024 * 1024 && size > compressed * ZIP_LIMITS.ratio) throw tooBig();
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw notXlsx('damaged zip entry');
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (dataStart + compressed > bytes.length) throw notXlsx('truncated zip entry');
    if (method === 8 && size > 0) {
      let inflated: Buffer;
      try {
        inflated = inflateRawSync(bytes.subarray(dataStart, dataStart + compressed), { maxOutputLength: size });
      } catch (err) {
        if (err instanceof RangeError) throw tooBig();
        throw notXlsx('damaged compressed data');
      }
      if (inflated.length !== size) throw notXlsx('entry size does not match');
      refuseDtd(inflated);
    } else if (method === 0 && compressed !== size) {
      throw notXlsx('entry size does not match');
    } else if (method === 0) {
      refuseDtd(bytes.subarray(dataStart, dataStart + compressed));
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
}

// ---------------------------------------------------------------------------------------------
// xlsx: reading

function dateOnly(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** A cell value of ExcelJS as text or a date; formulas count by their cached result. */
function cellOf(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return { date: dateOnly(value) };
  if ('richText' in value) return cellOf(value.richText.map((r) => r.text).join(''));
  if ('error' in value) return `#ERROR ${String(value.error)}`;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || (typeof result === 'object' && result !== null && !(result instanceof Date))) {
      return '#FORMULA';
    }
    return cellOf(result as ExcelJS.CellValue);
  }
  if ('text' in value) return cellOf((value as { text: ExcelJS.CellValue }).text);
  return null;
}

/**
 * Reads the first worksheet of a workbook row by row (ExcelJS's streaming reader: the event loop
 * gets a turn between rows), after {@link inspectXlsxZip}. Stops early past `maxRows`.
 */
export async function readXlsx(bytes: Buffer, maxRows: number): Promise<SheetData> {
  inspectXlsxZip(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let header: string[] | null = null;
  const rows: SheetRow[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellOf);
        if (header === null) {
          header = values.map((v) => (typeof v === 'string' ? v.trim() : ''));
          continue;
        }
        rows.push({ rowNo: row.number, cells: values });
        if (rows.length % 1000 === 0) await yieldToEventLoop();
        if (rows.length > maxRows + 1000) break;
      }
      break; // only the first sheet holds data; the help sheet is not read
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw notXlsx('the spreadsheet content could not be parsed');
  }
  return { header: header ?? [], rows };
}
