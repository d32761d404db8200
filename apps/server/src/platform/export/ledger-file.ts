import { ledgerValueLabel, type LedgerColumn, type LedgerDefinition } from '@medledger/contract';
import PDFDocument from 'pdfkit';
import { loadCjkFonts } from './cjk-font.js';
import { escapeFormula, writeXlsx, yieldToEventLoop } from './xlsx.js';

/**
 * A GSP ledger as a file: an xlsx workbook (the rows, then an "导出信息 Export" sheet with the
 * filters and who exported it when) or a PDF on landscape A4 with Chinese text, the filters and
 * the export time on the first page, the column headers on every page and "第 n 页 / 共 N 页".
 * Knows nothing of where the rows come from. See docs/decisions/0026-gsp-ledgers.md.
 */

export type LedgerValue = string | number | null;
export type LedgerFileRow = Readonly<Record<string, LedgerValue>>;

export type LedgerFileInput = {
  definition: LedgerDefinition;
  rows: readonly LedgerFileRow[];
  /** Filters as printed: label (both languages) and value (names, not ids). */
  filters: readonly { label: string; value: string }[];
  /** Export time as printed (China time) and who exported. */
  exportedAt: string;
  exportedBy: string;
  /** Personal columns were masked. */
  masked: boolean;
};

// ---------------------------------------------------------------------------------------------
// Values

/** Money in 分 as 元 with two decimals. */
function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A value as printed in the PDF or written as text into the workbook. */
export function cellText(column: LedgerColumn, value: LedgerValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return column.type === 'money' ? yuan(value) : String(value);
  return column.coded === true ? (ledgerValueLabel(value) ?? '') : value;
}

/**
 * Masks personal data (PIPL minimisation for exports): digit runs of 7 or more keep their first 3
 * and last 4 digits (`138****5678`), other words keep their first character (`张*`, `上*****`).
 */
export function maskPersonal(value: string): string {
  return value
    .split(/(\s+|[,，;；:：()（）/])/)
    .map((part) => {
      if (part.trim() === '' || /^[\s,，;；:：()（）/]+$/.test(part)) return part;
      if (/^\+?\d[\d-]{6,}$/.test(part)) {
        const digits = part.replace(/\D/g, '');
        return `${digits.slice(0, 3)}${'*'.repeat(Math.max(digits.length - 7, 1))}${digits.slice(-4)}`;
      }
      const chars = [...part];
      return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 6))}`;
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// xlsx

/**
 * The workbook: a header row with Chinese and English column names, one row per ledger row (text
 * cells VAL-06-escaped: a leading `= + - @` TAB CR or NUL gets a `'`; numbers as numeric cells;
 * money in 元), then the export information sheet.
 */
export async function renderLedgerXlsx(input: LedgerFileInput): Promise<Buffer> {
  const { definition: def } = input;
  const columns = def.columns;
  const rows = input.rows.map((row) =>
    columns.map((col): string | number | null => {
      const v = row[col.key];
      if (v === null || v === undefined) return null;
      if (typeof v === 'number') return col.type === 'money' ? v / 100 : v;
      return col.coded === true ? ledgerValueLabel(v) : v;
    }),
  );
  return writeXlsx([
    {
      name: def.zh,
      header: columns.map((col) => `${col.zh} ${col.en}`),
      rows,
      widths: columns.map((col) => Math.round(8 + col.width * 8)),
      numeric: columns.map((col) => col.type !== undefined),
      escape: 'formula',
    },
    {
      name: '导出信息 Export',
      header: ['项目 Item', '内容 Value'],
      rows: [
        ['台账 Ledger', `${def.zh} ${def.en}`],
        ['依据 Basis', def.basis],
        ...input.filters.map((f) => [f.label, f.value]),
        ['导出时间 Exported at', input.exportedAt],
        ['导出人 Exported by', input.exportedBy],
        ['行数 Rows', String(input.rows.length)],
        ['个人信息 Personal data', input.masked ? '已脱敏 masked' : '未脱敏 not masked'],
      ],
      widths: [28, 70],
      escape: 'formula',
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// PDF

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 24;
const FOOTER = 18;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const BODY_BOTTOM = PAGE.height - MARGIN - FOOTER;
const PAD = 2;
const FONT = { regular: 'ledger-regular', bold: 'ledger-bold' } as const;
const SIZE = { title: 14, meta: 7.5, header: 6, body: 6.5, footer: 7 } as const;
/** A cell never grows taller than this many lines (very long values are cut with an ellipsis). */
const MAX_LINES = 6;

function fitText(doc: PDFKit.PDFDocument, text: string, width: number): string {
  const lineHeight = doc.currentLineHeight(true);
  if (doc.heightOfString(text, { width }) <= lineHeight * MAX_LINES + 0.5) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.heightOfString(`${text.slice(0, mid)}…`, { width }) <= lineHeight * MAX_LINES + 0.5) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/**
 * The PDF (landscape A4). Throws an Error when the font package is missing. Rows are laid out
 * with every cell wrapped in its column; the event loop gets a turn every few hundred rows.
 */
export async function renderLedgerPdf(input: LedgerFileInput): Promise<Buffer> {
  const { definition: def } = input;
  const fonts = loadCjkFonts();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: `${def.zh} ${def.en}`, Subject: def.basis, Creator: 'MedLedger' },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);

  // Dates never wrap: their columns get at least the width of one date; the rest share what is left.
  doc.font(FONT.regular).fontSize(SIZE.body);
  const dateWidth = doc.widthOfString('0000-00-00') + 2 * PAD + 1;
  const isDate = (col: LedgerColumn) => /(^date|Date)$/.test(col.key);
  const total = def.columns.reduce((s, col) => s + col.width, 0);
  const fixed = def.columns.map((col) => (isDate(col) ? Math.max(dateWidth, (col.width / total) * CONTENT_WIDTH) : 0));
  const fixedSum = fixed.reduce((s, w) => s + w, 0);
  const flexTotal = def.columns.reduce((s, col) => s + (isDate(col) ? 0 : col.width), 0);
  const widths = def.columns.map((col, i) =>
    isDate(col) ? fixed[i]! : (col.width / flexTotal) * (CONTENT_WIDTH - fixedSum),
  );
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const align = (col: LedgerColumn) => (col.type === undefined ? 'left' : 'right');

  // First page: title, basis, filters, export time and person.
  doc.font(FONT.bold).fontSize(SIZE.title).fillColor('#000000');
  doc.text(`${def.zh}  ${def.en}`, MARGIN, MARGIN, { width: CONTENT_WIDTH, align: 'center' });
  doc.font(FONT.regular).fontSize(SIZE.meta);
  const filterText =
    input.filters.length === 0
      ? '筛选条件 Filters：全部 all'
      : input.filters.map((f) => `${f.label}：${f.value}`).join('\u3000');
  const meta = [
    `依据 Basis：${def.basis}`,
    filterText,
    `导出时间 Exported at：${input.exportedAt}\u3000导出人 Exported by：${input.exportedBy}\u3000行数 Rows：${input.rows.length}` +
      (input.masked ? '\u3000个人信息已脱敏 Personal data masked' : ''),
  ];
  let y = doc.y + 4;
  for (const line of meta) {
    doc.text(line, MARGIN, y, { width: CONTENT_WIDTH });
    y = doc.y + 1;
  }
  y += 4;

  const drawHeader = (top: number): number => {
    doc.font(FONT.bold).fontSize(SIZE.header);
    const texts = def.columns.map((col) => `${col.zh}\n${col.en}`);
    const h = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
    doc.save().rect(MARGIN, top, CONTENT_WIDTH, h).fill('#E8E8E8').restore();
    texts.forEach((t, i) => {
      doc.fillColor('#000000').text(t, xs[i]! + PAD, top + PAD, { width: widths[i]! - 2 * PAD, align: 'center' });
    });
    doc.lineWidth(0.5).strokeColor('#555555').rect(MARGIN, top, CONTENT_WIDTH, h).stroke();
    return top + h;
  };

  y = drawHeader(y);
  doc.font(FONT.regular).fontSize(SIZE.body);
  let n = 0;
  for (const row of input.rows) {
    doc.font(FONT.regular).fontSize(SIZE.body);
    const texts = def.columns.map((col, i) => fitText(doc, cellText(col, row[col.key]), widths[i]! - 2 * PAD));
    const h = Math.max(...texts.map((t, i) => doc.heightOfString(t || ' ', { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
    if (y + h > BODY_BOTTOM) {
      doc.addPage();
      y = drawHeader(MARGIN);
      doc.font(FONT.regular).fontSize(SIZE.body);
    }
    if (n % 2 === 1) doc.save().rect(MARGIN, y, CONTENT_WIDTH, h).fill('#F6F6F6').restore();
    texts.forEach((t, i) => {
      doc.fillColor('#000000').text(t, xs[i]! + PAD, y + PAD, {
        width: widths[i]! - 2 * PAD,
        align: align(def.columns[i]!),
      });
    });
    doc
      .lineWidth(0.25)
      .strokeColor('#AAAAAA')
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + CONTENT_WIDTH, y + h)
      .stroke();
    y += h;
    if (++n % 200 === 0) await yieldToEventLoop();
  }
  if (input.rows.length === 0) {
    doc
      .font(FONT.regular)
      .fontSize(SIZE.meta)
      .text('无记录 No records', MARGIN, y + 6, { width: CONTENT_WIDTH });
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font(FONT.regular).fontSize(SIZE.footer).fillColor('#333333');
    const footY = PAGE.height - MARGIN - FOOTER + 6;
    doc.text(`${def.zh} ${def.en}\u3000导出 ${input.exportedAt}`, MARGIN, footY, {
      width: CONTENT_WIDTH / 2,
      lineBreak: false,
    });
    doc.text(
      `第 ${i + 1 - range.start} 页 / 共 ${range.count} 页  Page ${i + 1 - range.start} of ${range.count}`,
      MARGIN + CONTENT_WIDTH / 2,
      footY,
      {
        width: CONTENT_WIDTH / 2,
        align: 'right',
        lineBreak: false,
      },
    );
  }
  doc.end();
  return finished;
}

/** Exported so callers and tests can name the escaping the workbook applies. */
export { escapeFormula };
