import {
  DeliverySlip as DeliverySlipSchema,
  gs1ElementString,
  parseUdi,
  type ParsedUdi,
  type StorageCondition,
} from '@medledger/contract';
import type { z } from 'zod';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.js';
import { loadCjkFonts as loadFonts } from '../../platform/export/cjk-font.js';

/**
 * The delivery slip (随货同行单, GSP art. 92) as a printable PDF: A4 landscape, Chinese text in an
 * embedded subset of Noto Sans CJK SC, one GS1 DataMatrix per line. See
 * docs/decisions/0023-delivery-slip-pdf.md.
 */

type DeliverySlip = z.infer<typeof DeliverySlipSchema>;
type SlipTransportMode = DeliverySlip['transport']['mode'];
type DeliverySlipLine = DeliverySlip['lines'][number];

/** Printed names of the storage conditions (ranges as in the inventory module's climate checks). */
const STORAGE_LABEL: Readonly<Record<StorageCondition, string>> = {
  normal: '常温 0～30℃',
  cold_2_8: '冷藏 2～8℃',
  frozen_minus_20: '冷冻 −20℃以下',
};

const TRANSPORT_LABEL: Readonly<Record<SlipTransportMode, string>> = {
  carrier: '委托承运',
  own_fleet: '自有车辆运输',
};

// ---------------------------------------------------------------------------------------------
// UDI: check the line's data, then draw a GS1 DataMatrix of exactly that element string.

interface LineSymbol {
  png: Buffer;
  /** Modules across and down (square symbols: bwip-js picks square sizes by default). */
  columns: number;
  rows: number;
  hri: string;
}

/** bwip-js draws a matrix module as 2 × scale pixels: 4 gives 8 whole pixels, sharp when printed. */
const PNG_SCALE = 4;

function udiProblem(lineNo: number, what: string): AppError {
  return new AppError('conflict', `Delivery slip line ${lineNo}: ${what}`);
}

/**
 * Validates the element string with the contract's UDI parser (check digits, dates, character set,
 * AI associations) and insists on its canonical form, so the symbol decodes to exactly the string
 * stored. The bracketed text must denote the same data, and lot, serial and expiry in the UDI must
 * agree with the line, as a slip whose barcode contradicts its text must not be printed.
 */
function checkLineUdi(line: DeliverySlipLine, lineNo: number): ParsedUdi | undefined {
  const es = line.gs1ElementString ?? '';
  if (es === '') {
    if (line.hri) throw udiProblem(lineNo, 'a human-readable UDI is given without its element string');
    return undefined;
  }
  const parsed = parseUdi(es);
  if (!parsed.ok) throw udiProblem(lineNo, `the UDI element string is not valid GS1 data: ${parsed.error.message}`);
  const udi = parsed.udi;
  if (udi.issuer !== 'GS1') throw udiProblem(lineNo, 'the UDI element string is not GS1 data');
  if (gs1ElementString(udi.elements) !== es) {
    throw udiProblem(
      lineNo,
      'the UDI element string is not in canonical form (application identifiers followed by their values, ' +
        'ASCII 29 only after a variable-length value that is not last, no symbology identifier)',
    );
  }
  if (line.hri) {
    const fromHri = parseUdi(line.hri);
    if (!fromHri.ok) {
      throw udiProblem(lineNo, `the human-readable UDI ${line.hri} is not valid: ${fromHri.error.message}`);
    }
    if (fromHri.udi.normalised !== udi.normalised) {
      throw udiProblem(
        lineNo,
        `the human-readable UDI ${line.hri} does not match the element string (${udi.normalised})`,
      );
    }
  }
  const disagree = (label: string, onLine: string | null, inUdi: string | undefined) => {
    if (onLine && inUdi !== undefined && onLine !== inUdi) {
      throw udiProblem(lineNo, `the ${label} ${onLine} differs from the ${label} ${inUdi} in the UDI`);
    }
  };
  disagree('lot', line.lot, udi.lot);
  disagree('serial number', line.serial, udi.serial);
  if (line.expiryDate && /^\d{4}-\d{2}-\d{2}$/.test(line.expiryDate)) {
    disagree('expiry date', line.expiryDate, udi.expiryDate);
  }
  return udi;
}

/**
 * bwip-js `datamatrix` with `parsefnc`: `^FNC1` first makes it a GS1 DataMatrix (codeword 232 in
 * first position, read back as `]d2`), and `^FNC1` again stands for each GS separator. The
 * `gs1datamatrix` encoder is not used because it cannot carry `(` in a value, which GS1 allows.
 * No value contains `^`: it is outside GS1 character set 82, which the parser enforces.
 */
async function renderSymbol(udi: ParsedUdi, lineNo: number): Promise<LineSymbol> {
  const options = { bcid: 'datamatrix', text: `^FNC1${gs1ElementString(udi.elements, '^FNC1')}`, parsefnc: true };
  try {
    const [matrix] = bwipjs.raw(options);
    if (!matrix || !('pixx' in matrix)) throw new Error('no matrix symbol');
    // Opaque white background: no soft mask in the PDF, and the same symbol on any printer.
    const png = await bwipjs.toBuffer({ ...options, scale: PNG_SCALE, backgroundcolor: 'FFFFFF' });
    // Printed HRI: `(AI)value` without the `\(` escapes of the bracketed input form (GS1 HRI rules).
    const hri = udi.elements.map((e) => `(${e.ai})${e.value}`).join('');
    return { png, columns: matrix.pixx, rows: matrix.pixy, hri };
  } catch (err) {
    throw udiProblem(
      lineNo,
      `the UDI cannot be drawn as a DataMatrix (${err instanceof Error ? err.message : 'error'})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Layout. Units are PDF points (1/72 in); A4 landscape is 841.89 × 595.28.

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 28;
const FOOTER = 22;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const BODY_BOTTOM = PAGE.height - MARGIN - FOOTER;
const PAD = 3;
const FONT = { regular: 'slip-regular', bold: 'slip-bold' } as const;
const SIZE = { title: 18, body: 8.5, small: 7.5, hri: 5.5, header: 7.5 } as const;
/**
 * DataMatrix module (X-dimension): 1.5 pt ≈ 0.53 mm, easy for ordinary 2D scanners on a laser print.
 * Only a symbol too wide for its cell (very long element strings) gets smaller modules.
 */
const MODULE_PT = 1.5;
const BORDER = '#444444';
const SHADE = '#EEEEEE';

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  cell: (line: DeliverySlipLine, index: number) => string;
}

const dash = (v: string | null | undefined) => (v && v.trim() !== '' ? v : '—');

const COLUMNS: Column[] = [
  { header: '序号', width: 22, align: 'center', cell: (_l, i) => String(i + 1) },
  { header: '产品名称', width: 80, cell: (l) => l.productName },
  { header: '型号', width: 50, cell: (l) => dash(l.model) },
  { header: '规格', width: 54, cell: (l) => dash(l.specification) },
  {
    header: '注册人/备案人\n受托生产企业\n生产许可证/备案编号',
    width: 134,
    cell: (l) =>
      `注册人：${l.registrant}\n受托生产：${dash(l.contractManufacturer)}\n许可证：${dash(l.manufacturerLicenceNo)}`,
  },
  { header: '注册证编号/\n备案编号', width: 84, cell: (l) => l.certificateNo },
  { header: '批号/序列号', width: 70, cell: (l) => `批号：${dash(l.lot)}\n序列号：${dash(l.serial)}` },
  {
    header: '生产日期/\n失效日期',
    width: 72,
    cell: (l) => `生产：${dash(l.productionDate)}\n失效：${dash(l.expiryDate)}`,
  },
  { header: '数量', width: 34, align: 'right', cell: (l) => String(l.quantity) },
  { header: '单位', width: 26, align: 'center', cell: (l) => l.unit },
  { header: '储存条件', width: 62, cell: (l) => STORAGE_LABEL[l.storage] },
];
const UDI_COLUMN = { header: 'UDI（GS1 DataMatrix）', width: CONTENT_WIDTH - COLUMNS.reduce((s, c) => s + c.width, 0) };
const MAX_SYMBOL_PT = UDI_COLUMN.width - 4 * PAD;

/** Control characters other than line breaks (a stray GS, tabs) print as spaces, not missing glyphs. */
const clean = (s: string) =>
  Array.from(s, (ch) => {
    const code = ch.charCodeAt(0);
    return (code < 0x20 && ch !== '\n') || code === 0x7f ? ' ' : ch;
  }).join('');

type Doc = PDFKit.PDFDocument;

function textHeight(doc: Doc, text: string, width: number, font: string, size: number): number {
  return doc.font(font).fontSize(size).heightOfString(clean(text), { width, lineGap: 0.5 });
}

function drawText(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  opts: { font?: string; size?: number; align?: 'left' | 'center' | 'right'; height?: number } = {},
): void {
  doc
    .font(opts.font ?? FONT.regular)
    .fontSize(opts.size ?? SIZE.body)
    .fillColor('black')
    .text(clean(text), x, y, {
      width,
      align: opts.align ?? 'left',
      lineGap: 0.5,
      ...(opts.height === undefined ? {} : { height: opts.height, ellipsis: true }),
    });
}

/**
 * A titled box of `label：value` rows; returns the height its content needs. Draws only when
 * `height` is given (the taller of two side-by-side boxes sets both heights).
 */
function infoBox(
  doc: Doc,
  title: string,
  rows: [string, string][],
  x: number,
  y: number,
  width: number,
  height?: number,
): number {
  const inner = width - 2 * PAD - 4;
  let h = PAD + textHeight(doc, title, inner, FONT.bold, SIZE.body) + 2;
  const rowHeights = rows.map(([k, v]) => textHeight(doc, `${k}：${v}`, inner, FONT.regular, SIZE.body) + 1);
  h += rowHeights.reduce((s, r) => s + r, 0) + PAD;
  if (height === undefined) return h;
  doc.lineWidth(0.6).strokeColor(BORDER).rect(x, y, width, height).stroke();
  let cy = y + PAD;
  drawText(doc, title, x + PAD + 2, cy, inner, { font: FONT.bold });
  cy += textHeight(doc, title, inner, FONT.bold, SIZE.body) + 2;
  rows.forEach(([k, v], i) => {
    drawText(doc, `${k}：${v}`, x + PAD + 2, cy, inner);
    cy += rowHeights[i]!;
  });
  return h;
}

function transportRows(slip: DeliverySlip): [string, string][] {
  const t = slip.transport;
  const rows: [string, string][] = [['运输方式', TRANSPORT_LABEL[t.mode]]];
  if (t.carrier) rows.push(['承运单位', t.carrier]);
  if (t.waybillNo) rows.push(['运单号', t.waybillNo]);
  if (t.vehiclePlate) rows.push(['车牌号', t.vehiclePlate]);
  if (t.driver) rows.push(['驾驶员', t.driver]);
  return rows;
}

function drawFirstPageHeader(doc: Doc, slip: DeliverySlip): number {
  let y = MARGIN;
  drawText(doc, '随货同行单', MARGIN, y, CONTENT_WIDTH, { font: FONT.bold, size: SIZE.title, align: 'center' });
  y += textHeight(doc, '随货同行单', CONTENT_WIDTH, FONT.bold, SIZE.title) + 2;
  const ids = `单号：${slip.slipNo}      销售订单号：${slip.orderNo}      发货日期：${slip.shipDate}`;
  drawText(doc, ids, MARGIN, y, CONTENT_WIDTH, { align: 'center' });
  y += textHeight(doc, ids, CONTENT_WIDTH, FONT.regular, SIZE.body) + 6;

  const half = (CONTENT_WIDTH - 8) / 2;
  const supplier: [string, string][] = [
    ['名称', slip.supplier.name],
    ['地址', slip.supplier.address],
    ['经营许可证/备案编号', slip.supplier.licenceNo],
    ['电话', dash(slip.supplier.phone)],
  ];
  const consignee: [string, string][] = [
    ['名称', slip.consignee.name],
    ['收货地址', slip.consignee.address],
    ['联系人', slip.consignee.contact],
    ['联系电话', dash(slip.consignee.phone)],
  ];
  const boxH = Math.max(
    infoBox(doc, '供货单位', supplier, 0, 0, half),
    infoBox(doc, '收货单位', consignee, 0, 0, half),
  );
  infoBox(doc, '供货单位', supplier, MARGIN, y, half, boxH);
  infoBox(doc, '收货单位', consignee, MARGIN + half + 8, y, half, boxH);
  y += boxH + 5;

  const t = slip.transport;
  const transport = transportRows(slip)
    .map(([k, v]) => `${k}：${v}`)
    .join('      ');
  const storage = t.storageConditions.map((c) => STORAGE_LABEL[c]).join('、');
  const conditions = `运输及储存条件：${dash(storage)}      第三方物流：${t.thirdPartyLogistics ? t.thirdPartyLogistics : '无'}`;
  const inner = CONTENT_WIDTH - 2 * PAD - 4;
  const h1 = textHeight(doc, transport, inner, FONT.regular, SIZE.body);
  const h2 = textHeight(doc, conditions, inner, FONT.regular, SIZE.body);
  const tH = PAD + h1 + 1 + h2 + PAD;
  doc.lineWidth(0.6).strokeColor(BORDER).rect(MARGIN, y, CONTENT_WIDTH, tH).stroke();
  drawText(doc, transport, MARGIN + PAD + 2, y + PAD, inner);
  drawText(doc, conditions, MARGIN + PAD + 2, y + PAD + h1 + 1, inner);
  return y + tH + 6;
}

/** One line of bold body text: the continuation header never wraps (a long name ends in …). */
function continuationLineHeight(doc: Doc): number {
  return textHeight(doc, '随', CONTENT_WIDTH, FONT.bold, SIZE.body) + 0.5;
}

function drawContinuationHeader(doc: Doc, slip: DeliverySlip): number {
  const text = `随货同行单（续）   单号：${slip.slipNo}   销售订单号：${slip.orderNo}   收货单位：${slip.consignee.name}`;
  const h = continuationLineHeight(doc);
  drawText(doc, text, MARGIN, MARGIN, CONTENT_WIDTH, { font: FONT.bold, size: SIZE.body, height: h });
  return MARGIN + h + 5;
}

function tableHeaderHeight(doc: Doc): number {
  const all = [...COLUMNS, UDI_COLUMN];
  return Math.max(...all.map((c) => textHeight(doc, c.header, c.width - 2 * PAD, FONT.bold, SIZE.header))) + 2 * PAD;
}

function drawTableHeader(doc: Doc, y: number): number {
  const h = tableHeaderHeight(doc);
  let x = MARGIN;
  for (const c of [...COLUMNS, UDI_COLUMN]) {
    doc.rect(x, y, c.width, h).fillColor(SHADE).fill();
    doc.lineWidth(0.6).strokeColor(BORDER).rect(x, y, c.width, h).stroke();
    const th = textHeight(doc, c.header, c.width - 2 * PAD, FONT.bold, SIZE.header);
    drawText(doc, c.header, x + PAD, y + (h - th) / 2, c.width - 2 * PAD, {
      font: FONT.bold,
      size: SIZE.header,
      align: 'center',
    });
    x += c.width;
  }
  return y + h;
}

/** Displayed width and height in points: whole modules of MODULE_PT, scaled down only to fit the cell. */
function symbolSize(symbol: LineSymbol): { width: number; height: number } {
  const module = Math.min(MODULE_PT, MAX_SYMBOL_PT / Math.max(symbol.columns, symbol.rows));
  return { width: symbol.columns * module, height: symbol.rows * module };
}

function rowHeight(doc: Doc, line: DeliverySlipLine, index: number, symbol: LineSymbol | undefined, max: number) {
  let h = 0;
  for (const c of COLUMNS) {
    h = Math.max(h, textHeight(doc, c.cell(line, index), c.width - 2 * PAD, FONT.regular, SIZE.small));
  }
  if (symbol) {
    const hri = textHeight(doc, symbol.hri, UDI_COLUMN.width - 2 * PAD, FONT.regular, SIZE.hri);
    h = Math.max(h, PAD + 1 + symbolSize(symbol).height + 2 + hri);
  }
  return Math.min(h + 2 * PAD, max);
}

function drawRow(
  doc: Doc,
  line: DeliverySlipLine,
  index: number,
  symbol: LineSymbol | undefined,
  y: number,
  h: number,
): void {
  let x = MARGIN;
  for (const c of COLUMNS) {
    doc.lineWidth(0.5).strokeColor(BORDER).rect(x, y, c.width, h).stroke();
    drawText(doc, c.cell(line, index), x + PAD, y + PAD, c.width - 2 * PAD, {
      size: SIZE.small,
      align: c.align ?? 'left',
      height: h - 2 * PAD,
    });
    x += c.width;
  }
  doc.lineWidth(0.5).strokeColor(BORDER).rect(x, y, UDI_COLUMN.width, h).stroke();
  if (!symbol) {
    drawText(doc, '—', x + PAD, y + PAD, UDI_COLUMN.width - 2 * PAD, { size: SIZE.small, align: 'center' });
    return;
  }
  const size = symbolSize(symbol);
  // At least one module of white around the symbol: the cell padding (3 pt) exceeds the 1.5 pt module.
  doc.image(symbol.png, x + (UDI_COLUMN.width - size.width) / 2, y + PAD + 1, size);
  drawText(doc, symbol.hri, x + PAD, y + PAD + 1 + size.height + 2, UDI_COLUMN.width - 2 * PAD, {
    size: SIZE.hri,
    align: 'center',
    height: h - size.height - 2 * PAD - 3,
  });
}

/** Remarks, line count and the signature boxes (发货人 / 出库专用章 / 收货人); returns its height. */
function closingBlock(doc: Doc, slip: DeliverySlip, y: number, draw: boolean): number {
  const remarks = `备注：${slip.remarks && slip.remarks.trim() !== '' ? slip.remarks : '无'}`;
  const count = `共 ${slip.lines.length} 行。收货时请核对品名、规格、批号/序列号、有效期和数量，并在收货人处签字。`;
  const hr = textHeight(doc, remarks, CONTENT_WIDTH, FONT.regular, SIZE.body);
  const hc = textHeight(doc, count, CONTENT_WIDTH, FONT.regular, SIZE.small);
  const boxH = 50;
  const total = 6 + hr + 2 + hc + 6 + boxH;
  if (!draw) return total;
  let cy = y + 6;
  drawText(doc, remarks, MARGIN, cy, CONTENT_WIDTH);
  cy += hr + 2;
  drawText(doc, count, MARGIN, cy, CONTENT_WIDTH, { size: SIZE.small });
  cy += hc + 6;
  const w = (CONTENT_WIDTH - 16) / 3;
  const boxes: [string, string][] = [
    ['发货人（签字）', '日期：'],
    ['出库专用章', ''],
    ['收货人（签字）', '收货日期：'],
  ];
  boxes.forEach(([title, foot], i) => {
    const bx = MARGIN + i * (w + 8);
    doc.lineWidth(0.6).strokeColor(BORDER).rect(bx, cy, w, boxH).stroke();
    drawText(doc, title, bx + PAD + 2, cy + PAD, w - 2 * PAD, { font: FONT.bold });
    if (foot) drawText(doc, foot, bx + PAD + 2, cy + boxH - 13, w - 2 * PAD);
  });
  return total;
}

function drawFooters(doc: Doc, slip: DeliverySlip): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the bottom margin must not make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - MARGIN - 10;
    drawText(doc, `随货同行单 ${slip.slipNo}`, MARGIN, y, CONTENT_WIDTH / 2, { size: SIZE.small });
    drawText(
      doc,
      `第 ${i - range.start + 1} 页 / 共 ${range.count} 页`,
      MARGIN + CONTENT_WIDTH / 2,
      y,
      CONTENT_WIDTH / 2,
      {
        size: SIZE.small,
        align: 'right',
      },
    );
    doc.page.margins.bottom = bottom;
  }
}

/**
 * Renders a delivery slip (随货同行单) as a PDF. The table runs over as many pages as needed, with
 * the column headers repeated; every page carries the slip number and "第 n 页 / 共 N 页".
 *
 * Throws AppError `conflict` when a line's UDI is not valid canonical GS1 data or contradicts the
 * line (HRI, lot, serial, expiry), and an Error when the font package is missing.
 */
export async function renderDeliverySlipPdf(slip: DeliverySlip): Promise<Buffer> {
  const udis = slip.lines.map((line, i) => checkLineUdi(line, i + 1));
  const symbols: (LineSymbol | undefined)[] = [];
  for (const [i, udi] of udis.entries()) symbols.push(udi ? await renderSymbol(udi, i + 1) : undefined);
  const fonts = loadFonts();

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: `随货同行单 ${slip.slipNo}`, Subject: `销售订单 ${slip.orderNo}`, Creator: 'MedLedger' },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);

  let y = drawFirstPageHeader(doc, slip);
  const headerH = tableHeaderHeight(doc);
  const newPage = () => {
    doc.addPage();
    return drawContinuationHeader(doc, slip);
  };
  // A row never exceeds a continuation page's body, so every row fits on a fresh page.
  const maxRow = BODY_BOTTOM - (MARGIN + continuationLineHeight(doc) + 5 + headerH);
  // The column headers open the table on each page, always together with at least one row.
  let headerOnPage = false;
  slip.lines.forEach((line, i) => {
    const symbol = symbols[i];
    const h = rowHeight(doc, line, i, symbol, maxRow);
    if (y + h + (headerOnPage ? 0 : headerH) > BODY_BOTTOM) {
      y = newPage();
      headerOnPage = false;
    }
    if (!headerOnPage) {
      y = drawTableHeader(doc, y);
      headerOnPage = true;
    }
    drawRow(doc, line, i, symbol, y, h);
    y += h;
  });
  if (slip.lines.length === 0) y = drawTableHeader(doc, y);
  if (y + closingBlock(doc, slip, y, false) > BODY_BOTTOM) y = newPage();
  closingBlock(doc, slip, y, true);
  drawFooters(doc, slip);
  doc.end();
  return finished;
}
