import {
  CUSTOMER_TYPES,
  DEVICE_CLASSES,
  IMPORT_COLUMNS,
  LICENCE_KINDS,
  LICENCE_LABELS,
  PartyFields,
  ProductFields,
  STORAGE_CONDITIONS,
  UDI_ISSUER_CODES,
  importHeader,
  type CustomerType,
  type DeviceClass,
  type ImportErrorCode,
  type ImportKind,
  type ImportRowError,
  type LicenceKind,
  type StorageCondition,
  type UdiIssuer,
} from '@medledger/contract';
import type { z } from 'zod';
import { unescapeFormula, type SheetCell } from './master-data.sheet.js';

/**
 * The spreadsheet form of products and parties (docs/decisions/0019-master-data-import.md): which
 * header names a column, how a row becomes the contract's ProductFields / PartyFields (with every
 * problem named by row and column), and how a record becomes a row again for the export.
 */

const normaliseHeader = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

export type HeaderMap = {
  /** Column key → index in the row. */
  index: Map<string, number>;
  /** Keys of template columns missing from the file: their row errors are not repeated. */
  missing: Set<string>;
  errors: ImportRowError[];
};

/**
 * Maps the header row to the template columns: a header may be the template's `中文 / English`,
 * the Chinese or English name alone, or the column key. Missing, unknown and repeated columns are
 * errors (row 1): a column the import would silently drop is as bad as a wrong value.
 */
export function mapHeader(kind: ImportKind, header: readonly string[]): HeaderMap {
  const columns = IMPORT_COLUMNS[kind];
  const byName = new Map<string, string>();
  for (const c of columns) {
    for (const name of [importHeader(c), c.zh, c.en, c.key]) byName.set(normaliseHeader(name), c.key);
  }
  const index = new Map<string, number>();
  const errors: ImportRowError[] = [];
  header.forEach((text, i) => {
    if (text.trim() === '') return;
    const key = byName.get(normaliseHeader(unescapeFormula(text)));
    if (key === undefined) {
      errors.push({
        row: 1,
        column: text.slice(0, 60),
        code: 'unknown_column',
        message: 'not a template column; remove it',
      });
    } else if (index.has(key)) {
      errors.push({ row: 1, column: key, code: 'duplicate_column', message: 'the column appears more than once' });
    } else {
      index.set(key, i);
    }
  });
  const missing = new Set<string>();
  for (const c of columns) {
    if (!index.has(c.key)) {
      missing.add(c.key);
      errors.push({
        row: 1,
        column: c.key,
        code: 'missing_column',
        message: `the column "${importHeader(c)}" is missing`,
      });
    }
  }
  return { index, missing, errors };
}

/** A row's problems: the first per column, none for a column missing from the file. */
type RowErrors = {
  readonly list: ImportRowError[];
  add: (column: string, code: ImportErrorCode, message: string) => void;
  /** True when the column already has a problem (so later checks stay quiet). */
  has: (column: string) => boolean;
};

function rowErrors(rowNo: number, missing: ReadonlySet<string>): RowErrors {
  const list: ImportRowError[] = [];
  const seen = new Set<string>();
  return {
    list,
    add: (column, code, message) => {
      if (seen.has(column)) return;
      seen.add(column);
      if (!missing.has(column)) list.push({ row: rowNo, column, code, message });
    },
    has: (column) => seen.has(column),
  };
}

/** Reads typed values out of one row, recording problems as it goes. */
function rowReader(cells: readonly SheetCell[], map: HeaderMap, errors: RowErrors) {
  const raw = (key: string): SheetCell => {
    const i = map.index.get(key);
    return i === undefined ? null : (cells[i] ?? null);
  };
  const text = (key: string): string | null => {
    const v = raw(key);
    if (v === null) return null;
    if (typeof v !== 'string') {
      errors.add(key, 'invalid', 'the cell is an Excel date; format the column as text');
      return null;
    }
    if (v.startsWith('#ERROR') || v === '#FORMULA') {
      errors.add(key, 'invalid', 'the cell holds a formula without a value or an error; enter the value itself');
      return null;
    }
    const value = unescapeFormula(v).trim();
    return value === '' ? null : value;
  };
  const required = (key: string): string => {
    const v = text(key);
    if (v === null && !errors.has(key)) errors.add(key, 'required', 'a value is needed');
    return v ?? '';
  };
  const optional = (key: string): string | null => text(key);
  const date = (key: string, nullable: boolean): string | null => {
    const v = raw(key);
    if (v !== null && typeof v !== 'string') return v.date;
    // A date typed into a text-formatted column of Excel arrives as its serial number (1954–2119).
    if (v !== null && /^\d{5}$/.test(v.trim()) && Number(v) >= 20_000 && Number(v) <= 80_000) {
      return new Date((Number(v) - 25_569) * 86_400_000).toISOString().slice(0, 10);
    }
    const s = text(key);
    if (s === null) {
      if (!nullable && !errors.has(key)) errors.add(key, 'required', 'a date is needed (YYYY-MM-DD)');
      return null;
    }
    if (nullable && /^(长期(有效)?|无固定期限|long[- ]?term|none)$/i.test(s)) return null;
    const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
    if (m === null) {
      errors.add(key, 'invalid', 'write the date as YYYY-MM-DD');
      return s;
    }
    return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  };
  const bool = (key: string): boolean => {
    const s = required(key);
    if (s === '') return false;
    const v = s.normalize('NFKC').toLowerCase();
    if (['是', 'y', 'yes', 'true', '1', '√', '✓'].includes(v)) return true;
    if (['否', 'n', 'no', 'false', '0', '×', '✗'].includes(v)) return false;
    errors.add(key, 'invalid', 'write 是 or 否 (yes or no)');
    return false;
  };
  const int = (key: string): number | null => {
    const s = optional(key);
    if (s === null) return null;
    if (!/^\d{1,9}$/.test(s)) {
      errors.add(key, 'invalid', 'a whole number');
      return null;
    }
    return Number(s);
  };
  /** A value from a closed list: the code itself, or one of its names (NFKC, case-insensitive). */
  const choice = <T extends string>(
    key: string,
    value: string | null,
    codes: readonly T[],
    alias: (v: string) => T | undefined,
  ): T | null => {
    if (value === null) return null;
    const v = value.normalize('NFKC').trim();
    const found = codes.find((c) => c.toLowerCase() === v.toLowerCase()) ?? alias(v);
    if (found === undefined) {
      errors.add(key, 'invalid', `one of ${codes.join(', ')}`);
      return null;
    }
    return found;
  };
  return { text, required, optional, date, bool, int, choice };
}

const CLASS_ALIASES: Record<string, DeviceClass> = {
  一类: 'I',
  第一类: 'I',
  二类: 'II',
  第二类: 'II',
  三类: 'III',
  第三类: 'III',
  '1': 'I',
  '2': 'II',
  '3': 'III',
};

function storageAlias(v: string): StorageCondition | undefined {
  if (v.startsWith('常温')) return 'normal';
  if (v.startsWith('冷藏')) return 'cold_2_8';
  if (v.startsWith('冷冻')) return 'frozen_minus_20';
  return undefined;
}

function customerAlias(v: string): CustomerType | undefined {
  if (v.startsWith('经销')) return 'distributor';
  if (v.startsWith('医院') || v.startsWith('医疗机构')) return 'hospital';
  if (v.startsWith('零售') || v.startsWith('药店')) return 'retail';
  return undefined;
}

function licenceAlias(v: string): LicenceKind | undefined {
  const byLabel = LICENCE_KINDS.find(
    (k) => LICENCE_LABELS[k].zh === v || LICENCE_LABELS[k].en.toLowerCase() === v.toLowerCase(),
  );
  if (byLabel !== undefined) return byLabel;
  if (v.includes('执业')) return 'medical_institution_licence';
  if (v.includes('经营')) return v.includes('备案') ? 'operating_filing' : 'operating_licence';
  if (v.includes('生产')) return v.includes('备案') ? 'production_filing' : 'production_licence';
  return undefined;
}

const LIST_SPLIT = /[;；\n]/;
const PART_SPLIT = /[:：]/;

/** `0:盒:1;1:箱:10` → packaging levels (without DIs). */
function parseLevels(text: string, errors: RowErrors): ProductFields['packages'] {
  const levels: ProductFields['packages'] = [];
  for (const part of text.split(LIST_SPLIT)) {
    if (part.trim() === '') continue;
    const bits = part.split(PART_SPLIT).map((b) => b.trim());
    if (bits.length !== 3 || !/^\d$/.test(bits[0]!) || !/^\d{1,6}$/.test(bits[2]!) || bits[1] === '') {
      errors.add('levels', 'invalid', `"${part.trim().slice(0, 40)}": write level:unit:quantity, e.g. 0:盒:1;1:箱:10`);
      return [];
    }
    levels.push({ level: Number(bits[0]), unit: bits[1]!, quantity: Number(bits[2]), dis: [] });
  }
  return levels;
}

/** `0:GS1:06901234567892;1:GS1:16901234567899` → DIs added to their levels. */
function addDis(text: string, levels: ProductFields['packages'], errors: RowErrors): void {
  for (const part of text.split(LIST_SPLIT)) {
    if (part.trim() === '') continue;
    const bits = part.split(PART_SPLIT).map((b) => b.trim());
    const issuer = bits[1]?.toUpperCase() as UdiIssuer | undefined;
    if (bits.length !== 3 || !/^\d$/.test(bits[0]!) || issuer === undefined || !UDI_ISSUER_CODES.includes(issuer)) {
      errors.add('dis', 'invalid', `"${part.trim().slice(0, 60)}": write level:issuer:DI, e.g. 0:GS1:06901234567892`);
      return;
    }
    const level = levels.find((l) => l.level === Number(bits[0]));
    if (level === undefined) {
      if (!errors.has('levels')) errors.add('dis', 'invalid', `level ${bits[0]} is not in the levels column`);
      return;
    }
    level.dis.push({ issuer, di: bits[2]! });
  }
}

/** Maps a zod issue path of ProductFields to its column. */
function productColumn(issue: z.core.$ZodIssue): string {
  const [first] = issue.path;
  if (first === 'packages') {
    return issue.path.includes('dis') || issue.message.includes('UDI-DI') ? 'dis' : 'levels';
  }
  return String(first ?? 'code');
}

function zodErrors(result: z.ZodSafeParseError<unknown>, errors: RowErrors, column: (i: z.core.$ZodIssue) => string) {
  for (const issue of result.error.issues) errors.add(column(issue), 'invalid', issue.message);
}

export type ParsedRow<T> = { rowNo: number; fields: T | null; errors: ImportRowError[] };

/** One product row → ProductFields, or its problems. */
export function productFromRow(rowNo: number, cells: readonly SheetCell[], map: HeaderMap): ParsedRow<ProductFields> {
  const errors = rowErrors(rowNo, map.missing);
  const r = rowReader(cells, map, errors);
  const levelsText = r.required('levels');
  const packages = levelsText === '' ? [] : parseLevels(levelsText, errors);
  const disText = r.optional('dis');
  if (disText !== null && !errors.has('levels')) addDis(disText, packages, errors);
  const candidate = {
    code: r.required('code'),
    name: r.required('name'),
    model: r.required('model'),
    specification: r.required('specification'),
    deviceClass: r.choice('deviceClass', r.required('deviceClass') || null, DEVICE_CLASSES, (v) => CLASS_ALIASES[v]),
    catalogCode: r.required('catalogCode'),
    registrant: r.required('registrant'),
    registrantLicenceNo: r.optional('registrantLicenceNo'),
    contractManufacturer: r.optional('contractManufacturer'),
    contractManufacturerLicenceNo: r.optional('contractManufacturerLicenceNo'),
    certificateNo: r.required('certificateNo'),
    certificateIssuedOn: r.date('certificateIssuedOn', false),
    certificateValidUntil: r.date('certificateValidUntil', true),
    implantable: r.bool('implantable'),
    storage: r.choice('storage', r.required('storage') || null, STORAGE_CONDITIONS, storageAlias),
    humidityMax: r.int('humidityMax'),
    packages,
  };
  const result = ProductFields.safeParse(candidate);
  if (!result.success) zodErrors(result, errors, productColumn);
  return { rowNo, fields: errors.list.length === 0 && result.success ? result.data : null, errors: errors.list };
}

const LICENCE_FIELD_COLUMN: Record<string, string> = {
  kind: 'Kind',
  number: 'Number',
  authority: 'Authority',
  issuedOn: 'IssuedOn',
  validUntil: 'ValidUntil',
  scope: 'Scope',
};

/** One party row → PartyFields (without authorisation letters), or its problems. */
export function partyFromRow(rowNo: number, cells: readonly SheetCell[], map: HeaderMap): ParsedRow<PartyFields> {
  const errors = rowErrors(rowNo, map.missing);
  const r = rowReader(cells, map, errors);
  const licences: PartyFields['licences'] = [];
  const prefixes: ('bl' | 'licence')[] = [];
  const blColumns = ['blNumber', 'blAuthority', 'blIssuedOn', 'blValidUntil'];
  const licenceColumns = [
    'licenceKind',
    'licenceNumber',
    'licenceAuthority',
    'licenceIssuedOn',
    'licenceValidUntil',
    'licenceScope',
  ];
  const filled = (keys: string[]) => keys.some((k) => map.index.has(k) && (cells[map.index.get(k)!] ?? null) !== null);
  if (filled(blColumns)) {
    licences.push({
      kind: 'business_licence',
      number: r.required('blNumber'),
      authority: r.required('blAuthority'),
      issuedOn: r.date('blIssuedOn', false) ?? '',
      validUntil: r.date('blValidUntil', true),
      scope: [],
    });
    prefixes.push('bl');
  }
  if (filled(licenceColumns)) {
    const kind = r.choice('licenceKind', r.required('licenceKind') || null, LICENCE_KINDS, licenceAlias);
    if (kind === 'business_licence') {
      errors.add('licenceKind', 'invalid', 'the business licence has its own columns (营业执照…)');
    }
    const scopeText = r.optional('licenceScope');
    licences.push({
      kind: kind ?? 'operating_licence',
      number: r.required('licenceNumber'),
      authority: r.required('licenceAuthority'),
      issuedOn: r.date('licenceIssuedOn', false) ?? '',
      validUntil: r.date('licenceValidUntil', true),
      scope:
        scopeText === null
          ? []
          : scopeText
              .split(/[,，;；\s]+/)
              .map((s) => s.normalize('NFKC').trim().toUpperCase())
              .filter((s) => s !== ''),
    });
    prefixes.push('licence');
  }
  const customer = r.optional('customerType');
  const candidate = {
    code: r.required('code'),
    name: r.required('name'),
    uscc: (r.required('uscc') || '').toUpperCase(),
    isSupplier: r.bool('isSupplier'),
    isManufacturer: r.bool('isManufacturer'),
    customerType: r.choice('customerType', customer, CUSTOMER_TYPES, customerAlias),
    legalRepresentative: r.required('legalRepresentative'),
    enterpriseHead: r.required('enterpriseHead'),
    address: r.required('address'),
    warehouseAddress: r.optional('warehouseAddress'),
    licences,
    repAuthorisations: [],
  };
  const column = (issue: z.core.$ZodIssue): string => {
    const [first, index, field] = issue.path;
    if (first === 'licences') {
      if (typeof index !== 'number') return 'blNumber';
      const prefix = prefixes[index] ?? 'licence';
      return `${prefix}${LICENCE_FIELD_COLUMN[String(field)] ?? 'Number'}`;
    }
    if (first === 'isSupplier' && issue.code === 'custom') return 'customerType';
    return String(first ?? 'code');
  };
  const result = PartyFields.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const message =
        issue.path[0] === 'licences' && issue.path.length === 1 ? 'a party needs at least one licence' : issue.message;
      errors.add(column(issue), 'invalid', message);
    }
  }
  return { rowNo, fields: errors.list.length === 0 && result.success ? result.data : null, errors: errors.list };
}

// ---------------------------------------------------------------------------------------------
// Records → rows (export)

const yesNo = (b: boolean) => (b ? '是' : '否');
const orEmpty = (v: string | number | null) => (v === null ? '' : String(v));

/** A product as a template row (column order of PRODUCT_IMPORT_COLUMNS). */
export function productRow(p: Omit<ProductFields, 'packages'> & { packages: ProductFields['packages'] }): string[] {
  const levels = [...p.packages].sort((a, b) => a.level - b.level);
  return [
    p.code,
    p.name,
    p.model,
    p.specification,
    p.deviceClass,
    p.catalogCode,
    p.registrant,
    orEmpty(p.registrantLicenceNo),
    orEmpty(p.contractManufacturer),
    orEmpty(p.contractManufacturerLicenceNo),
    p.certificateNo,
    p.certificateIssuedOn,
    orEmpty(p.certificateValidUntil),
    yesNo(p.implantable),
    p.storage,
    orEmpty(p.humidityMax),
    levels.map((l) => `${l.level}:${l.unit}:${l.quantity}`).join(';'),
    levels.flatMap((l) => l.dis.map((d) => `${l.level}:${d.issuer}:${d.di}`)).join(';'),
  ];
}

type LicenceLike = {
  kind: LicenceKind;
  number: string;
  authority: string;
  issuedOn: string;
  validUntil: string | null;
  scope: string[];
};

/**
 * A party as a template row (column order of PARTY_IMPORT_COLUMNS): the business licence and the
 * first other licence (by kind, then number). Authorisation letters are never exported.
 */
export function partyRow(
  p: Omit<PartyFields, 'licences' | 'repAuthorisations'> & { licences: LicenceLike[] },
): string[] {
  const business = p.licences.find((l) => l.kind === 'business_licence');
  const other = p.licences
    .filter((l) => l.kind !== 'business_licence')
    .sort(
      (a, b) => LICENCE_KINDS.indexOf(a.kind) - LICENCE_KINDS.indexOf(b.kind) || a.number.localeCompare(b.number),
    )[0];
  return [
    p.code,
    p.name,
    p.uscc,
    yesNo(p.isSupplier),
    yesNo(p.isManufacturer),
    orEmpty(p.customerType),
    p.legalRepresentative,
    p.enterpriseHead,
    p.address,
    orEmpty(p.warehouseAddress),
    business?.number ?? '',
    business?.authority ?? '',
    business?.issuedOn ?? '',
    business === undefined ? '' : orEmpty(business.validUntil),
    other?.kind ?? '',
    other?.number ?? '',
    other?.authority ?? '',
    other?.issuedOn ?? '',
    other === undefined ? '' : orEmpty(other.validUntil),
    other?.scope.join(',') ?? '',
  ];
}
