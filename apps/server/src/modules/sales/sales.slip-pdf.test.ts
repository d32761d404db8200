import { gs1BracketedHri, gs1CheckDigit, gs1ElementString, parseUdi } from '@medledger/contract';
import {
  BinaryBitmap,
  DataMatrixReader,
  DecodeHintType,
  HybridBinarizer,
  RGBLuminanceSource,
  type Result,
} from '@zxing/library';
import { getDocument, OPS, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, test } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import type { DeliverySlip } from '@medledger/contract';
import { renderDeliverySlipPdf } from './sales.slip-pdf.js';

type DeliverySlipLine = DeliverySlip['lines'][number];

/**
 * The delivery slip (随货同行单, GSP art. 92) PDF: real embedded Chinese text, every art. 92 field,
 * and one GS1 DataMatrix per line that scans back to the exact element string. All data is made up.
 */

const gtin = (body13: string) => `${body13}${gs1CheckDigit(body13)}`;

function udi(elements: { ai: string; value: string }[]): Pick<DeliverySlipLine, 'gs1ElementString' | 'hri'> {
  return { gs1ElementString: gs1ElementString(elements), hri: gs1BracketedHri(elements) };
}

const LINES: DeliverySlipLine[] = [
  {
    productName: '一次性使用无菌注射器 带针',
    model: '5ml',
    specification: '0.6×25mm TWLB',
    registrant: '江苏示例医疗器械有限公司',
    contractManufacturer: null,
    manufacturerLicenceNo: '苏药监械生产许20150001号',
    certificateNo: '国械注准20193140001',
    lot: '20250301',
    serial: null,
    productionDate: '2025-03-01',
    expiryDate: '2028-02-29',
    quantity: 500,
    unit: '支',
    storage: 'normal',
    ...udi([
      { ai: '01', value: gtin('0690123456789') },
      { ai: '11', value: '250301' },
      { ai: '17', value: '280229' },
      { ai: '10', value: '20250301' },
    ]),
  },
  {
    productName: '医用外科口罩',
    model: '平面耳挂式',
    specification: '17.5cm×9.5cm',
    registrant: '浙江样例防护用品有限公司',
    contractManufacturer: '宁波受托制造有限公司',
    manufacturerLicenceNo: '浙药监械生产许20180002号',
    certificateNo: '浙械注准20192140002',
    // A lot with brackets: legal in GS1 character set 82, and a trap for bracketed-form encoders.
    lot: 'MK(2)-0415',
    serial: 'BOX0007',
    productionDate: '2025-04-15',
    expiryDate: '2027-04-14',
    quantity: 40,
    unit: '盒',
    storage: 'normal',
    ...udi([
      { ai: '01', value: gtin('0690123456790') },
      { ai: '17', value: '270414' },
      { ai: '10', value: 'MK(2)-0415' },
      { ai: '21', value: 'BOX0007' },
    ]),
  },
  {
    productName: '医用透明质酸钠凝胶',
    model: 'HA-2.0',
    specification: '2ml/支',
    registrant: '上海演示生物科技有限公司',
    contractManufacturer: '苏州代工医疗器械有限公司',
    manufacturerLicenceNo: '苏药监械生产许20200003号',
    certificateNo: '国械注准20203130003',
    lot: 'HA2506A',
    serial: 'SN000123',
    productionDate: '2025-06-01',
    expiryDate: '2027-05-31',
    quantity: 2,
    unit: '支',
    storage: 'cold_2_8',
    ...udi([
      { ai: '01', value: gtin('0690123456791') },
      { ai: '11', value: '250601' },
      { ai: '17', value: '270531' },
      { ai: '10', value: 'HA2506A' },
      { ai: '21', value: 'SN000123' },
    ]),
  },
];

const SLIP: DeliverySlip = {
  slipNo: 'DS-20251128-0007',
  orderNo: 'SO-20251127-0042',
  shipDate: '2025-11-28',
  supplier: {
    name: '杭州示范医疗供应链有限公司',
    address: '浙江省杭州市西湖区示例路 88 号 3 号库',
    licenceNo: '浙杭药监械经营许20190001号',
    phone: '0571-8888 0000',
  },
  consignee: {
    name: '示例市第一人民医院 设备科',
    address: '浙江省示例市健康大道 1 号 后勤楼 2 层',
    contact: '王某某',
    phone: '0570-1234 5678',
  },
  transport: {
    mode: 'carrier',
    carrier: '示例冷链物流有限公司',
    waybillNo: 'YD202511280001',
    storageConditions: ['normal', 'cold_2_8'],
    thirdPartyLogistics: '示例第三方医药物流有限公司',
  },
  lines: LINES,
  remarks: '第 3 行需冷藏，到货后 30 分钟内入冷库。',
};

async function openPdf(pdf: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(pdf), isOffscreenCanvasSupported: false, verbosity: 0 }).promise;
}

/** Whitespace is dropped: a value wrapped inside its table cell loses the space it was broken at. */
const squash = (s: string) => s.replace(/\s+/g, '');

/** Each page's text as pdf.js extracts it (through the embedded fonts' ToUnicode maps), squashed. */
async function pageTexts(doc: PDFDocumentProxy): Promise<string[]> {
  const out: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    out.push(squash(content.items.map((i) => ('str' in i ? i.str : '')).join('')));
  }
  return out;
}

interface PdfImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** The images painted on each page, in drawing order, as pdf.js decodes them from the PDF. */
async function pageImages(doc: PDFDocumentProxy): Promise<PdfImage[][]> {
  const out: PdfImage[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const ops = await page.getOperatorList();
    const images: PdfImage[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
      const id = (ops.argsArray[i] as [string])[0];
      images.push(
        await new Promise<PdfImage>((resolve) => {
          page.objs.get(id, (img: PdfImage) => resolve(img));
        }),
      );
    }
    out.push(images);
  }
  return out;
}

/** Decodes a DataMatrix from pdf.js image data; the PDF cell's white space becomes a quiet zone. */
function decodeDataMatrix(img: PdfImage): Result {
  const pad = 16;
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const lum = new Uint8ClampedArray(w * h).fill(255);
  // pdf.js image kinds: 1 = 1-bit grey, 2 = RGB, 3 = RGBA.
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      let v: number;
      if (img.kind === 1) {
        const rowBytes = Math.ceil(img.width / 8);
        v = (img.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
      } else if (img.kind === 3) {
        // Composite onto white paper, as a printer would.
        v = img.data[i * 4 + 3]! < 128 ? 255 : img.data[i * 4]!;
      } else {
        v = img.data[i * 3]!;
      }
      lum[(y + pad) * w + x + pad] = v;
    }
  }
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, w, h)));
  return new DataMatrixReader().decode(bitmap, new Map([[DecodeHintType.PURE_BARCODE, true]]));
}

/** FNC1 as the first data codeword (232) is what makes a DataMatrix a GS1 DataMatrix (`]d2`). */
const FNC1_CODEWORD = 232;

describe('delivery slip PDF (随货同行单, GSP art. 92)', () => {
  test('a 3-line slip is a valid PDF with extractable Chinese text and every art. 92 field', async () => {
    const pdf = await renderDeliverySlipPdf(SLIP);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
    // The font is embedded (as a subset), not referenced by name only.
    expect(pdf.toString('latin1')).toMatch(/\/FontFile3|\/FontFile2/);

    const doc = await openPdf(pdf);
    expect(doc.numPages).toBe(1);
    const text = (await pageTexts(doc)).join('\n');
    for (const expected of [
      '随货同行单',
      SLIP.slipNo,
      SLIP.orderNo,
      SLIP.shipDate,
      SLIP.supplier.name,
      SLIP.supplier.licenceNo,
      SLIP.supplier.phone!,
      SLIP.consignee.name,
      SLIP.consignee.address,
      SLIP.consignee.contact,
      SLIP.consignee.phone!,
      '运输方式：委托承运',
      `承运单位：${SLIP.transport.carrier}`,
      `运单号：${SLIP.transport.waybillNo}`,
      '运输及储存条件：常温 0～30℃、冷藏 2～8℃',
      `第三方物流：${SLIP.transport.thirdPartyLogistics}`,
      SLIP.remarks!,
      '发货人',
      '收货人',
      '出库专用章',
      '第 1 页 / 共 1 页',
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    for (const line of LINES) {
      for (const value of [
        line.productName,
        line.model,
        line.specification,
        line.registrant,
        line.manufacturerLicenceNo!,
        line.certificateNo,
        line.lot,
        line.productionDate!,
        line.expiryDate!,
        line.storage === 'normal' ? '常温 0～30℃' : '冷藏 2～8℃',
        // The HRI under the symbol, printed without the bracketed form's `\(` escape.
        line.hri!.replaceAll('\\(', '('),
      ]) {
        expect(text, value).toContain(squash(value));
      }
      if (line.contractManufacturer) expect(text).toContain(line.contractManufacturer);
      if (line.serial) expect(text).toContain(line.serial);
    }
    await doc.destroy();
  });

  test('each line carries a GS1 DataMatrix that decodes to its exact element string', async () => {
    const doc = await openPdf(await renderDeliverySlipPdf(SLIP));
    const [images] = await pageImages(doc);
    expect(images).toHaveLength(LINES.length);
    images!.forEach((img, i) => {
      const line = LINES[i]!;
      const result = decodeDataMatrix(img);
      expect(result.getRawBytes()[0], 'FNC1 in first position').toBe(FNC1_CODEWORD);
      // ZXing reports the leading FNC1 as GS; inner separators are GS too.
      expect(result.getText()).toBe(`\x1d${line.gs1ElementString}`);
      const scanned = parseUdi(`]d2${result.getText().slice(1)}`);
      expect(scanned.ok && scanned.udi.normalised).toBe(line.hri);
    });
    await doc.destroy();
  });

  test('a 60-line slip runs over several pages with the table header repeated and numbered pages', async () => {
    const lines = Array.from({ length: 60 }, (_, i): DeliverySlipLine => {
      const base = LINES[i % LINES.length]!;
      const lot = `L${String(i + 1).padStart(4, '0')}`;
      return {
        ...base,
        productName: `${base.productName}（第${i + 1}行）`,
        lot,
        serial: null,
        ...udi([
          { ai: '01', value: gtin('0690123456789') },
          { ai: '17', value: '280229' },
          { ai: '10', value: lot },
        ]),
        expiryDate: '2028-02-29',
      };
    });
    const doc = await openPdf(await renderDeliverySlipPdf({ ...SLIP, lines }));
    expect(doc.numPages).toBeGreaterThanOrEqual(3);
    const texts = await pageTexts(doc);
    const perPage = await pageImages(doc);
    texts.forEach((text, p) => {
      expect(text).toContain(squash(`第 ${p + 1} 页 / 共 ${doc.numPages} 页`));
      expect(text).toContain(SLIP.slipNo);
      if (p > 0) expect(text).toContain('随货同行单（续）');
      // Every page that holds table rows starts them with the column headers.
      if (perPage[p]!.length > 0) {
        expect(text).toContain('产品名称');
        expect(text).toContain(squash('注册证编号/备案编号'));
        expect(text).toContain('UDI（GS1DataMatrix）');
      }
    });
    expect(perPage.filter((images) => images.length > 0).length).toBeGreaterThanOrEqual(3);
    // Rows are whole and in order: line n's name comes before line n + 1's.
    const all = texts.join('');
    let at = -1;
    for (const line of lines) {
      const next = all.indexOf(squash(line.productName), at + 1);
      expect(next, line.productName).toBeGreaterThan(at);
      at = next;
    }
    expect(texts.at(-1)).toContain('收货人');
    const images = perPage.flat();
    expect(images).toHaveLength(60);
    expect(decodeDataMatrix(images[59]!).getText()).toBe(`\x1d${lines[59]!.gs1ElementString}`);
    await doc.destroy();
  });

  test('own-fleet transport, missing phone numbers and a line without a UDI', async () => {
    const line: DeliverySlipLine = { ...LINES[2]!, gs1ElementString: null, hri: null };
    const slip: DeliverySlip = {
      ...SLIP,
      consignee: { ...SLIP.consignee, phone: null },
      transport: { mode: 'own_fleet', vehiclePlate: '浙A·D12345', driver: '李某', storageConditions: ['cold_2_8'] },
      lines: [line],
      remarks: null,
    };
    const doc = await openPdf(await renderDeliverySlipPdf(slip));
    expect((await pageImages(doc))[0]).toHaveLength(0);
    const [text] = await pageTexts(doc);
    for (const expected of [
      line.productName,
      '运输方式：自有车辆运输',
      '车牌号：浙A·D12345',
      '驾驶员：李某',
      '运输及储存条件：冷藏 2～8℃',
      '第三方物流：无',
      '联系电话：—',
      '备注：无',
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    expect(text).not.toContain('承运单位');
    await doc.destroy();
  });

  test('oversized values are cut off with an ellipsis, never pushed off the page', async () => {
    const huge: DeliverySlipLine = { ...LINES[0]!, productName: '超长产品名称'.repeat(300) };
    const slip: DeliverySlip = {
      ...SLIP,
      consignee: { ...SLIP.consignee, name: '很长的收货单位名称'.repeat(20) },
      lines: [huge, LINES[1]!, huge],
    };
    const doc = await openPdf(await renderDeliverySlipPdf(slip));
    const texts = await pageTexts(doc);
    expect(doc.numPages).toBeLessThanOrEqual(5);
    texts.forEach((text, p) => {
      // No page was started by pdfkit itself: each one after the first is a continuation page.
      if (p > 0) expect(text.startsWith('随货同行单（续）')).toBe(true);
      expect(text).toContain(squash(`第 ${p + 1} 页 / 共 ${doc.numPages} 页`));
    });
    expect(texts.join('')).toContain('…');
    expect((await pageImages(doc)).flat()).toHaveLength(3);
    await doc.destroy();
  });

  test('a UDI that is invalid, not canonical or contradicts its line is refused, naming the line', async () => {
    const good = LINES[0]!;
    const es = good.gs1ElementString!;
    const cases: [string, Partial<DeliverySlipLine>, RegExp][] = [
      [
        'bad GTIN check digit',
        { gs1ElementString: es.replace(/^(01\d{13})\d/, (_m, p: string) => `${p}0`) },
        /not valid GS1/,
      ],
      [
        'separator after a fixed-length value',
        { gs1ElementString: es.replace('11250301', '11250301\x1d') },
        /canonical/,
      ],
      ['symbology identifier included', { gs1ElementString: `]d2${es}` }, /canonical/],
      ['HRI of other data', { hri: good.hri!.replace('(10)20250301', '(10)20250302') }, /does not match/],
      ['lot differs from the UDI', { lot: '20250302' }, /lot 20250302 differs/],
      ['expiry differs from the UDI', { expiryDate: '2028-03-01' }, /expiry date/],
      ['HRI without element string', { gs1ElementString: null }, /without its element string/],
    ];
    for (const [name, change, message] of cases) {
      const slip = { ...SLIP, lines: [LINES[1]!, { ...good, ...change }] };
      const err: unknown = await renderDeliverySlipPdf(slip).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(err, 'conflict'), name).toBe(true);
      expect((err as Error).message, name).toMatch(/^Delivery slip line 2: /);
      expect((err as Error).message, name).toMatch(message);
    }
  });
});
