import { z } from 'zod';

/**
 * Spreadsheet import and export of quality master data (docs/decisions/0019-master-data-import.md):
 * a template per kind, an upload that validates every row without saving anything, a commit that
 * files every row as a first-business proposal in one transaction, and one QA signature for the
 * whole import.
 */

export const IMPORT_KINDS = ['products', 'parties'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const SHEET_FORMATS = ['xlsx', 'csv'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

/** Media types of an upload (the content is checked too: zip magic bytes, UTF-8 text). */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MEDIA_TYPE = 'text/csv';

/** Largest file accepted for an import (FILE-01). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Most data rows in one file. */
export const IMPORT_MAX_ROWS = 20_000;
/** Row errors kept and shown per import; `errorCount` says how many there are in all. */
export const IMPORT_ERRORS_KEPT = 500;

/**
 * `validating` → `validated` (with or without row errors) or `failed` (unreadable file);
 * `validated` without errors → `committing` → `committed`, or `failed` when the commit was refused
 * (nothing saved; upload the file again).
 */
export const IMPORT_STATUSES = ['validating', 'validated', 'failed', 'committing', 'committed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A stable reason for a row error, for the UI to translate; `message` gives the detail. */
export const IMPORT_ERROR_CODES = [
  'missing_column',
  'unknown_column',
  'duplicate_column',
  'required',
  'invalid',
  'duplicate_in_file',
  'exists',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export const ImportRowError = z.object({
  /** The spreadsheet row number (the header is row 1). */
  row: z.number().int(),
  /** The column key (see the column catalogues), or the header text of an unknown column. */
  column: z.string(),
  code: z.enum(IMPORT_ERROR_CODES),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export type ImportColumn = {
  key: string;
  zh: string;
  en: string;
  /** A value is needed in every row. */
  required: boolean;
  /** How to fill it in (shown on the help sheet). */
  hintZh: string;
  hintEn: string;
};

const col = (key: string, zh: string, en: string, required: boolean, hintZh = '', hintEn = ''): ImportColumn => ({
  key,
  zh,
  en,
  required,
  hintZh,
  hintEn,
});

const DATE_HINT_ZH = '日期 YYYY-MM-DD（或 Excel 日期单元格）';
const DATE_HINT_EN = 'date YYYY-MM-DD (or an Excel date cell)';
const YES_NO_ZH = '是 / 否（也可 Y/N、true/false、1/0）';
const YES_NO_EN = 'yes / no (also 是/否, Y/N, true/false, 1/0)';

/**
 * Product columns, in template order. Packaging levels and UDI-DIs are compact cells:
 * `levels` = `0:盒:1;1:箱:10` (level:unit:quantity, `;` between levels; level 0 is the minimum
 * sales unit, each higher level contains `quantity` of the one below) and
 * `dis` = `0:GS1:06901234567892;1:GS1:16901234567899` (level:issuer:DI).
 */
export const PRODUCT_IMPORT_COLUMNS: readonly ImportColumn[] = [
  col('code', '产品编码', 'Product code', true, '字母、数字、. _ -，最多 40 位', 'letters, digits, . _ - (up to 40)'),
  col('name', '产品名称', 'Name', true),
  col('model', '型号', 'Model', true),
  col('specification', '规格', 'Specification', true),
  col('deviceClass', '管理类别', 'Device class', true, 'I、II 或 III', 'I, II or III'),
  col(
    'catalogCode',
    '分类编码',
    'Catalogue code',
    true,
    '2017 分类目录编码，如 07、07-03、07-03-01',
    '2017 catalogue code, e.g. 07, 07-03, 07-03-01',
  ),
  col('registrant', '注册人/备案人', 'Registrant', true),
  col('registrantLicenceNo', '注册人生产许可证号', "Registrant's production licence no.", false),
  col('contractManufacturer', '受托生产企业', 'Contract manufacturer', false),
  col('contractManufacturerLicenceNo', '受托生产企业许可证号', "Contract manufacturer's licence no.", false),
  col('certificateNo', '注册证编号/备案编号', 'Certificate or filing no.', true),
  col('certificateIssuedOn', '批准日期', 'Certificate issued on', true, DATE_HINT_ZH, DATE_HINT_EN),
  col(
    'certificateValidUntil',
    '注册证有效期至',
    'Certificate valid until',
    false,
    `${DATE_HINT_ZH}；第一类备案凭证留空`,
    `${DATE_HINT_EN}; empty for a Class I filing`,
  ),
  col('implantable', '植入器械', 'Implantable', true, YES_NO_ZH, YES_NO_EN),
  col(
    'storage',
    '储存条件',
    'Storage',
    true,
    'normal（常温）、cold_2_8（冷藏 2–8℃）、frozen_minus_20（冷冻 −20℃）',
    'normal, cold_2_8 (2–8 °C) or frozen_minus_20 (−20 °C); the Chinese names work too',
  ),
  col(
    'humidityMax',
    '相对湿度上限(%)',
    'Max. relative humidity (%)',
    false,
    '1–100 的整数，标签未注明则留空',
    'whole number 1–100; empty when the label states none',
  ),
  col(
    'levels',
    '包装层级',
    'Packaging levels',
    true,
    '层级:单位:数量，用 ; 分隔，如 0:盒:1;1:箱:10（0 为最小销售单元，数量为所含下一级的个数）',
    'level:unit:quantity separated by ;, e.g. 0:盒:1;1:箱:10 (0 is the minimum sales unit; quantity counts the level below)',
  ),
  col(
    'dis',
    'UDI-DI',
    'UDI-DIs',
    false,
    '层级:发码机构:DI，用 ; 分隔，如 0:GS1:06901234567892;1:GS1:16901234567899（发码机构 GS1、MA、AHM）',
    'level:issuer:DI separated by ;, e.g. 0:GS1:06901234567892;1:GS1:16901234567899 (issuers GS1, MA, AHM)',
  ),
];

/**
 * Party columns, in template order: the business licence (`bl…`) and ONE operating, production or
 * medical-institution licence or filing (`licence…`) per row. Authorisation letters are not
 * imported: their ID numbers are entered by hand in the party file.
 */
export const PARTY_IMPORT_COLUMNS: readonly ImportColumn[] = [
  col('code', '企业编码', 'Party code', true, '字母、数字、. _ -，最多 40 位', 'letters, digits, . _ - (up to 40)'),
  col('name', '企业名称', 'Name', true),
  col('uscc', '统一社会信用代码', 'Unified social credit code', true, '18 位', '18 characters'),
  col('isSupplier', '供应商', 'Supplier', true, YES_NO_ZH, YES_NO_EN),
  col('isManufacturer', '生产企业', 'Manufacturer', true, YES_NO_ZH, YES_NO_EN),
  col(
    'customerType',
    '客户类型',
    'Customer type',
    false,
    'distributor（经销商）、hospital（医院）、retail（零售）；不是客户则留空',
    'distributor, hospital or retail (the Chinese names work too); empty when not a customer',
  ),
  col('legalRepresentative', '法定代表人', 'Legal representative', true),
  col('enterpriseHead', '企业负责人', 'Head of the enterprise', true),
  col('address', '住所', 'Registered address', true),
  col('warehouseAddress', '库房地址', 'Warehouse address', false),
  col(
    'blNumber',
    '营业执照编号',
    'Business licence no.',
    false,
    '没有营业执照的（如事业单位医院）四列都留空',
    'leave all four empty when there is none (e.g. a public hospital)',
  ),
  col('blAuthority', '营业执照登记机关', 'Business licence authority', false),
  col('blIssuedOn', '营业执照发证日期', 'Business licence issued on', false, DATE_HINT_ZH, DATE_HINT_EN),
  col(
    'blValidUntil',
    '营业执照有效期至',
    'Business licence valid until',
    false,
    `${DATE_HINT_ZH}；长期则留空或填“长期”`,
    `${DATE_HINT_EN}; empty or 长期 for no expiry`,
  ),
  col(
    'licenceKind',
    '许可证/备案类型',
    'Licence or filing kind',
    false,
    'operating_licence、operating_filing、production_licence、production_filing、medical_institution_licence（或中文名称）；没有则五列都留空',
    'operating_licence, operating_filing, production_licence, production_filing or medical_institution_licence (or the Chinese name); leave the licence columns empty when there is none',
  ),
  col('licenceNumber', '许可证/备案编号', 'Licence or filing no.', false),
  col('licenceAuthority', '许可证发证机关', 'Licence authority', false),
  col('licenceIssuedOn', '许可证发证日期', 'Licence issued on', false, DATE_HINT_ZH, DATE_HINT_EN),
  col(
    'licenceValidUntil',
    '许可证有效期至',
    'Licence valid until',
    false,
    `${DATE_HINT_ZH}；备案凭证留空`,
    `${DATE_HINT_EN}; empty for a filing`,
  ),
  col(
    'licenceScope',
    '经营/生产范围',
    'Business or production scope',
    false,
    '类别:分类编码，用逗号分隔，如 III:07,II:14,II:07-03',
    'class:catalogue code separated by commas, e.g. III:07,II:14,II:07-03',
  ),
];

export const IMPORT_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  products: PRODUCT_IMPORT_COLUMNS,
  parties: PARTY_IMPORT_COLUMNS,
};

/** The header text of a template column: `中文 / English`. */
export function importHeader(column: ImportColumn): string {
  return `${column.zh} / ${column.en}`;
}

export const ImportKindQuery = z.strictObject({ kind: z.enum(IMPORT_KINDS) });
export const TemplateQuery = z.strictObject({ kind: z.enum(IMPORT_KINDS), format: z.enum(SHEET_FORMATS) });
export const ExportQuery = z.strictObject({ format: z.enum(SHEET_FORMATS) });

/** Commit a validated import: every row becomes a first-business proposal with this reason. */
export const CommitImportInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type CommitImportInput = z.infer<typeof CommitImportInput>;

/** QA approves every still-pending proposal of an import with ONE electronic signature (GSP-04). */
export const ApproveImportInput = z.strictObject({
  note: z.string().trim().max(500),
  code: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});
export type ApproveImportInput = z.infer<typeof ApproveImportInput>;

export const ImportView = z.object({
  importId: z.string(),
  kind: z.enum(IMPORT_KINDS),
  format: z.enum(SHEET_FORMATS),
  status: z.enum(IMPORT_STATUSES),
  /** SHA-256 (hex) of the uploaded file. */
  sha256: z.string(),
  /** Data rows in the file (known once it is read). */
  rows: z.number().int(),
  /** Rows checked so far while validating, rows filed so far while committing. */
  processed: z.number().int(),
  /** Rows without any error. */
  valid: z.number().int(),
  errorCount: z.number().int(),
  /** The first {@link IMPORT_ERRORS_KEPT} errors, by row. */
  errors: z.array(ImportRowError),
  /** Why the import failed (unreadable file, refused commit), else null. */
  message: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  committedByName: z.string().nullable(),
  committedAt: z.string().nullable(),
  /** The proposals this import filed, by review status. */
  changes: z.object({ pending: z.number().int(), approved: z.number().int(), rejected: z.number().int() }),
});
export type ImportView = z.infer<typeof ImportView>;

export const ImportResponse = z.object({ import: ImportView });
export const ImportListResponse = z.object({ imports: z.array(ImportView.omit({ errors: true })) });

export const ApproveImportResponse = z.object({
  import: ImportView,
  approved: z.number().int(),
  signatureId: z.string(),
});
