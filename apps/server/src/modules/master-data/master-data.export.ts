import { createHash } from 'node:crypto';
import {
  CUSTOMER_TYPES,
  DEVICE_CLASSES,
  IMPORT_COLUMNS,
  LICENCE_KINDS,
  LICENCE_LABELS,
  STORAGE_CONDITIONS,
  UDI_ISSUER_CODES,
  importHeader,
  type ImportKind,
  type SheetFormat,
} from '@medledger/contract';
import { record } from '../audit/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import type { FileReply } from '../../platform/http/route.js';
import { chinaToday, parseJsonArray } from './master-data.common.js';
import { partyRow, productRow } from './master-data.import-format.js';
import { writeCsv, writeXlsx, type SheetSpec } from './master-data.sheet.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;
const CSV = 'text/csv; charset=utf-8' as const;

const SHEET_NAMES: Record<ImportKind, string> = { products: '产品 Products', parties: '企业 Parties' };

/** An example value per column, shown on the help sheet (synthetic). */
const EXAMPLES: Record<string, string> = {
  code: 'PRD-0001 / SUP-001',
  name: '一次性使用无菌注射器 / 华康医疗器械贸易有限公司',
  model: 'SY-5',
  specification: '5ml',
  deviceClass: 'III',
  catalogCode: '14-02-01',
  registrant: '示例医疗科技股份有限公司',
  certificateNo: '国械注准20233140001',
  certificateIssuedOn: '2023-04-01',
  certificateValidUntil: '2028-03-31',
  implantable: '否',
  storage: 'normal',
  humidityMax: '80',
  levels: '0:支:1;1:盒:100;2:箱:10',
  dis: '0:GS1:06901234567892;1:GS1:16901234567899',
  uscc: '91310000MA1K000001',
  isSupplier: '是',
  isManufacturer: '否',
  customerType: 'hospital',
  legalRepresentative: '李明远',
  enterpriseHead: '李明远',
  address: '上海市浦东新区示例路 1 号',
  blNumber: '91310000MA1K000001',
  blAuthority: '上海市市场监督管理局',
  blIssuedOn: '2020-01-10',
  blValidUntil: '长期',
  licenceKind: 'operating_licence',
  licenceNumber: '沪药监械经营许20200001号',
  licenceAuthority: '上海市药品监督管理局',
  licenceIssuedOn: '2021-03-01',
  licenceValidUntil: '2030-02-28',
  licenceScope: 'III:07,II:14',
};

const STORAGE_NAMES: Record<(typeof STORAGE_CONDITIONS)[number], [string, string]> = {
  normal: ['常温', 'Room temperature'],
  cold_2_8: ['冷藏 2–8℃', 'Refrigerated 2–8 °C'],
  frozen_minus_20: ['冷冻 −20℃', 'Frozen −20 °C'],
};
const CUSTOMER_NAMES: Record<(typeof CUSTOMER_TYPES)[number], [string, string]> = {
  distributor: ['经销商', 'Distributor'],
  hospital: ['医院（医疗机构）', 'Hospital'],
  retail: ['零售', 'Retail'],
};

/** The "说明 / Help" sheet: every column with how to fill it in, then the allowed values. */
function helpSheet(kind: ImportKind): SheetSpec {
  const rows: string[][] = IMPORT_COLUMNS[kind].map((c) => [
    importHeader(c),
    c.required ? '必填 / required' : '可空 / optional',
    [c.hintZh, c.hintEn].filter((h) => h !== '').join('\n'),
    EXAMPLES[c.key] ?? '',
  ]);
  rows.push([], ['允许的取值 / Allowed values', '代码 / Code', '中文', 'English']);
  const list = (name: string, values: [string, string, string][]) => {
    for (const [code, zh, en] of values) rows.push([name, code, zh, en]);
  };
  if (kind === 'products') {
    list(
      '管理类别 / Device class',
      DEVICE_CLASSES.map((c) => [c, `第${c === 'I' ? '一' : c === 'II' ? '二' : '三'}类`, `Class ${c}`]),
    );
    list(
      '储存条件 / Storage',
      STORAGE_CONDITIONS.map((s) => [s, ...STORAGE_NAMES[s]]),
    );
    list(
      '发码机构 / UDI issuer',
      UDI_ISSUER_CODES.map((i) => [i, i, i]),
    );
    rows.push(
      [
        '包装层级 / Levels',
        '0:盒:1;1:箱:10',
        '层级:单位:数量；0 为最小销售单元，数量为所含下一级的个数',
        'level:unit:quantity; 0 is the minimum sales unit, quantity counts the level below',
      ],
      ['UDI-DI', '0:GS1:06901234567892', '层级:发码机构:DI，多个用 ; 分隔', 'level:issuer:DI, several separated by ;'],
    );
  } else {
    list(
      '许可证/备案类型 / Licence kind',
      LICENCE_KINDS.filter((k) => k !== 'business_licence').map((k) => [k, LICENCE_LABELS[k].zh, LICENCE_LABELS[k].en]),
    );
    list(
      '客户类型 / Customer type',
      CUSTOMER_TYPES.map((c) => [c, ...CUSTOMER_NAMES[c]]),
    );
    rows.push(
      [
        '经营/生产范围 / Scope',
        'III:07,II:14,II:07-03',
        '类别:分类目录编码（类、子类），逗号分隔',
        'class:catalogue code (category or subcategory), separated by commas',
      ],
      [
        '委托书 / Authorisation letters',
        '',
        '不导入：销售人员授权书（含身份证号）请在企业资料中逐一录入',
        'Not imported: enter sales representatives’ authorisation letters (with ID numbers) by hand in the party file',
      ],
    );
  }
  rows.push([
    '值前的单引号 / Leading quote',
    "'",
    '导出时以 = + - @ 开头的值前加了单引号，导入时自动去掉',
    'Exported values starting with = + - @ carry a leading quote, which the import removes',
  ]);
  return {
    name: '说明 Help',
    header: ['列 / Column', '必填 / Required', '填写说明 / How to fill in', '示例 / Example'],
    rows,
    widths: [34, 18, 70, 40],
  };
}

function widths(kind: ImportKind): number[] {
  return IMPORT_COLUMNS[kind].map((c) =>
    ['levels', 'dis', 'licenceScope', 'name', 'address'].includes(c.key) ? 36 : 22,
  );
}

async function file(
  kind: ImportKind,
  format: SheetFormat,
  rows: string[][],
  fileName: string,
  withHelp: boolean,
): Promise<FileReply> {
  const header = IMPORT_COLUMNS[kind].map(importHeader);
  const bytes =
    format === 'csv'
      ? writeCsv([header, ...rows])
      : await writeXlsx([
          { name: SHEET_NAMES[kind], header, rows, widths: widths(kind) },
          ...(withHelp ? [helpSheet(kind)] : []),
        ]);
  return { kind: 'file', bytes, fileName: `${fileName}.${format}`, contentType: format === 'csv' ? CSV : XLSX };
}

/** The empty import template: the header row (Chinese / English), and a help sheet in the xlsx. */
export function importTemplate(kind: ImportKind, format: SheetFormat): Promise<FileReply> {
  return file(kind, format, [], `medledger-${kind}-template`, true);
}

async function productRows(ctx: Ctx): Promise<string[][]> {
  const products = await ctx.db.selectFrom('md_product').selectAll().orderBy('code').execute();
  const packages = await ctx.db.selectFrom('md_product_package').selectAll().orderBy('level').execute();
  const dis = await ctx.db.selectFrom('md_udi_di').selectAll().orderBy('di').execute();
  const levelsOf = new Map<string, (typeof packages)[number][]>();
  for (const p of packages) levelsOf.set(p.productId, [...(levelsOf.get(p.productId) ?? []), p]);
  const disOf = new Map<string, (typeof dis)[number][]>();
  for (const d of dis) disOf.set(d.productId, [...(disOf.get(d.productId) ?? []), d]);
  return products.map((p) =>
    productRow({
      ...p,
      implantable: Number(p.implantable) === 1,
      humidityMax: p.humidityMax === null ? null : Number(p.humidityMax),
      packages: (levelsOf.get(p.id) ?? []).map((l) => ({
        level: Number(l.level),
        unit: l.unit,
        quantity: Number(l.quantity),
        dis: (disOf.get(p.id) ?? [])
          .filter((d) => Number(d.level) === Number(l.level))
          .map((d) => ({ issuer: d.issuer, di: d.di })),
      })),
    }),
  );
}

async function partyRows(ctx: Ctx): Promise<string[][]> {
  const parties = await ctx.db.selectFrom('md_party').selectAll().orderBy('code').execute();
  const licences = await ctx.db.selectFrom('md_party_licence').selectAll().execute();
  const licencesOf = new Map<string, (typeof licences)[number][]>();
  for (const l of licences) licencesOf.set(l.partyId, [...(licencesOf.get(l.partyId) ?? []), l]);
  return parties.map((p) =>
    partyRow({
      ...p,
      isSupplier: Number(p.isSupplier) === 1,
      isManufacturer: Number(p.isManufacturer) === 1,
      licences: (licencesOf.get(p.id) ?? []).map((l) => ({ ...l, scope: parseJsonArray(l.scope) })),
    }),
  );
}

/**
 * Every product or party in the template's columns, so an export can be edited and imported again
 * (VAL-06: no cell can act as a formula). The export is audited with the file's SHA-256 (FILE-04),
 * so a copy found elsewhere can be traced to it.
 */
export async function exportRecords(ctx: Ctx, kind: ImportKind, format: SheetFormat): Promise<FileReply> {
  const rows = kind === 'products' ? await productRows(ctx) : await partyRows(ctx);
  const reply = await file(kind, format, rows, `medledger-${kind}-${chinaToday(ctx.now)}`, false);
  await record(ctx, {
    action: 'master-data.record.exported',
    outcome: 'success',
    data: { kind, format, rows: rows.length, sha256: createHash('sha256').update(reply.bytes).digest('hex') },
  });
  return reply;
}
