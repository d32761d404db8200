import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Writing spreadsheets (xlsx and CSV) with the VAL-06 escaping of what goes out. Used by the
 * master-data exports and the GSP ledger exports; knows nothing of either.
 */

/** Gives the event loop a turn during long loops. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------
// VAL-06: formula injection

/** The characters that make a spreadsheet program read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^'*[=+\-@\t\r\0]/;
/** What {@link escapeFormula} produced: one quote more in front of such a value. */
const ESCAPED = /^'+[=+\-@\t\r\0]/;

/**
 * VAL-06: a value that a spreadsheet could take for a formula (`= + - @`, TAB, CR, NUL first, after
 * any quotes) gets one more leading `'`. Values that already start with quotes before such a
 * character get one too, so {@link unescapeFormula} restores every value exactly.
 */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * For xlsx cells, which are plain strings and never formulas: only a value that already starts with
 * quotes before a formula character gets one more, so that {@link unescapeFormula} (which must
 * also undo CSV escaping carried over into a workbook) gives it back unchanged.
 */
export function escapeQuoted(value: string): string {
  return ESCAPED.test(value) ? `'${value}` : value;
}

/** Undoes {@link escapeFormula} on import: the one quote our export added comes off again. */
export function unescapeFormula(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/** One CSV record per line, every field quoted, CRLF, with a UTF-8 BOM so Excel reads Chinese. */
export function writeCsv(rows: readonly (readonly string[])[]): Buffer {
  const lines = rows.map((r) => r.map((v) => `"${escapeFormula(v).replace(/"/g, '""')}"`).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// xlsx: writing

export type SheetSpec = {
  name: string;
  header: readonly string[];
  rows: Iterable<readonly (string | number | null)[]>;
  /** Column widths in characters. */
  widths?: readonly number[];
  /** Columns holding numbers: written as numeric cells with a number format instead of text. */
  numeric?: readonly boolean[];
  /**
   * `quoted` (default): values are written as they are, only an already-quoted formula start gets
   * one more quote (round trip with the import). `formula`: every text starting with a formula
   * character gets a leading `'` (VAL-06 for exports that are never imported again).
   */
  escape?: 'quoted' | 'formula';
};

/**
 * Writes a workbook with ExcelJS's streaming writer. Every value is a plain string cell (never a
 * formula, VAL-06); the columns are formatted as text (`@`), so Excel keeps leading zeros of
 * GTINs and does not turn catalogue codes into dates when someone types into the template.
 */
export async function writeXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  workbook.creator = 'MedLedger';
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.header.map((_, i) => ({
      width: spec.widths?.[i] ?? 18,
      style: { numFmt: spec.numeric?.[i] === true ? 'General' : '@' },
    }));
    const escape = spec.escape === 'formula' ? escapeFormula : escapeQuoted;
    const head = sheet.addRow([...spec.header]);
    head.font = { bold: true };
    head.commit();
    let n = 0;
    for (const values of spec.rows) {
      sheet.addRow(values.map((v) => (typeof v === 'string' ? escape(v) : v))).commit();
      if (++n % 500 === 0) await yieldToEventLoop();
    }
    sheet.commit();
  }
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}
