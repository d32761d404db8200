/**
 * Content checks of GS1 AI components, named as in the GS1 Barcode Syntax Dictionary ("linters").
 * Each returns `undefined` when the component is fine, else what is wrong in plain English.
 */
import { gs1CheckCharacterPair, gs1CheckDigit, GS1_CSET39, GS1_CSET82 } from './check-digit.js';
import { readUdiDate } from './dates.js';
import type { UdiParseErrorCode } from './types.js';

/** What a linter found wrong. */
export interface Gs1LintProblem {
  code: UdiParseErrorCode;
  detail: string;
}

type Linter = (value: string, ctx: { now: Date }) => Gs1LintProblem | undefined;

const invalid = (detail: string): Gs1LintProblem => ({ code: 'invalid_value', detail });

function date(value: string, now: Date, allowDayZero: boolean): Gs1LintProblem | undefined {
  const r = readUdiDate(value, { now, allowDayZero });
  return r.ok ? undefined : { code: 'invalid_date', detail: `${value} is not a valid date (${r.reason})` };
}

function range(value: string, what: string, max: number): Gs1LintProblem | undefined {
  return Number(value) > max
    ? invalid(`${value} is not a valid ${what} (at most ${String(max).padStart(value.length, '0')})`)
    : undefined;
}

function time(value: string): Gs1LintProblem | undefined {
  const hour = Number(value.slice(0, 2));
  const minute = Number(value.slice(2, 4));
  if (hour > 23) {
    return { code: 'invalid_date', detail: `${value} is not a valid time (hour ${value.slice(0, 2)})` };
  }
  if (minute > 59) {
    return { code: 'invalid_date', detail: `${value} is not a valid time (minute ${value.slice(2, 4)})` };
  }
  return undefined;
}

const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (v) => {
    const expected = gs1CheckDigit(v.slice(0, -1));
    const found = v.slice(-1);
    return String(expected) === found
      ? undefined
      : {
          code: 'invalid_check_digit',
          detail: `check digit should be ${expected}, found ${found}`,
        };
  },
  csumalpha: (v) => {
    if (v.length < 2) return invalid('too short for a check character pair');
    const body = v.slice(0, -2);
    const found = v.slice(-2);
    if (body.length > 97) return invalid('too long for a check character pair');
    const expected = gs1CheckCharacterPair(body);
    return expected === found
      ? undefined
      : {
          code: 'invalid_check_digit',
          detail: `check character pair should be ${expected}, found ${found}`,
        };
  },
  yymmd0: (v, { now }) => date(v, now, true),
  yymmdd: (v, { now }) => date(v, now, false),
  yyyymmdd: (v, { now }) => date(v, now, false),
  hhmi: (v) => time(v),
  hh: (v) => (Number(v) > 23 ? { code: 'invalid_date', detail: `${v} is not a valid hour` } : undefined),
  mi: (v) => (Number(v) > 59 ? { code: 'invalid_date', detail: `${v} is not a valid minute` } : undefined),
  ss: (v) => (Number(v) > 59 ? { code: 'invalid_date', detail: `${v} is not a valid second` } : undefined),
  zero: (v) => (v === '0' ? undefined : invalid(`must be 0, found ${v}`)),
  nonzero: (v) => (/^0+$/.test(v) ? invalid(`${v} must not be zero`) : undefined),
  yesno: (v) => (v === '0' || v === '1' ? undefined : invalid(`must be 0 (no) or 1 (yes), found ${v}`)),
  winding: (v) =>
    ['0', '1', '9'].includes(v) ? undefined : invalid(`winding direction must be 0, 1 or 9, found ${v}`),
  iso5218: (v) =>
    ['0', '1', '2', '9'].includes(v) ? undefined : invalid(`sex code (ISO/IEC 5218) must be 0, 1, 2 or 9, found ${v}`),
  hyphen: (v) => (v === '-' ? undefined : invalid(`must be '-', found '${v}'`)),
  nozeroprefix: (v) => (v.length > 1 && v.startsWith('0') ? invalid(`${v} must not start with 0`) : undefined),
  hasnondigit: (v) =>
    /^\d*$/.test(v) ? invalid(`${v} must contain at least one character that is not a digit`) : undefined,
  importeridx: (v) =>
    /^[-0-9A-Za-z_]$/.test(v) ? undefined : invalid(`importer index must be one of - 0-9 A-Z _ a-z, found '${v}'`),
  mediatype: (v) => {
    const n = Number(v);
    return /^\d{2}$/.test(v) && ((n >= 1 && n <= 10) || n >= 80)
      ? undefined
      : invalid(`AIDC media type must be 01 to 10 or 80 to 99, found ${v}`);
  },
  pieceoftotal: (v) => {
    const half = v.length / 2;
    const piece = v.slice(0, half);
    const total = v.slice(half);
    if (v.length % 2 !== 0) return invalid(`${v} must be a piece number and a total of equal width`);
    if (/^0+$/.test(piece)) return invalid(`piece number ${piece} must not be zero`);
    if (/^0+$/.test(total)) return invalid(`total ${total} must not be zero`);
    return piece > total ? invalid(`piece number ${piece} exceeds the total ${total}`) : undefined;
  },
  posinseqslash: (v) => {
    const m = /^(\d+)\/(\d+)$/.exec(v);
    if (!m) return invalid(`${v} must be <position>/<total>, e.g. 1/2`);
    const [, pos = '', end = ''] = m;
    if (pos.startsWith('0') || end.startsWith('0')) return invalid(`${v}: numbers must not be zero or start with 0`);
    return pos.length > end.length || (pos.length === end.length && pos > end)
      ? invalid(`position ${pos} exceeds the total ${end}`)
      : undefined;
  },
  latitude: (v) => range(v, 'latitude', 1_800_000_000),
  longitude: (v) => range(v, 'longitude', 3_600_000_000),
  pcenc: (v) => {
    const bad = /%(?![0-9A-Fa-f]{2})/.exec(v);
    return bad ? invalid(`invalid percent-encoding at "${v.slice(bad.index, bad.index + 3)}"`) : undefined;
  },
  iban: (v) => {
    if (!/^[A-Z]{2}\d{2}[0-9A-Za-z]{1,30}$/.test(v)) {
      return invalid(`${v} is not an IBAN (country, 2 check digits, account)`);
    }
    const rearranged = (v.slice(4) + v.slice(0, 4)).toUpperCase();
    let rest = 0;
    for (const ch of rearranged) {
      const n = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
      for (const d of n) rest = (rest * 10 + Number(d)) % 97;
    }
    return rest === 1 ? undefined : invalid(`${v} is not a valid IBAN (check digits)`);
  },
};

/**
 * Linters of the dictionary that MedLedger does not run, and why: `gcppos1`/`gcppos2` need the GS1
 * Company Prefix length table (not public as data); the ISO 3166 / ISO 4217 code lists, the packaging
 * type list and the coupon structures are not carried in the contract. Values of these components
 * are still checked for length and character set.
 */
export const GS1_SKIPPED_LINTERS = [
  'gcppos1',
  'gcppos2',
  'iso3166',
  'iso3166999',
  'iso3166alpha2',
  'iso4217',
  'packagetype',
  'couponcode',
  'couponposoffer',
] as const;

/** Names of the linters MedLedger implements. */
export const GS1_IMPLEMENTED_LINTERS: readonly string[] = Object.keys(LINTERS);

/** Runs one named linter; unknown or skipped linters pass. */
export function runGs1Linter(name: string, value: string, ctx: { now: Date }): Gs1LintProblem | undefined {
  return Object.hasOwn(LINTERS, name) ? LINTERS[name]?.(value, ctx) : undefined;
}

/** Whether every character of `value` is in the AI component's character set; else the first bad index. */
export function badCharacterIndex(charset: 'N' | 'X' | 'Y' | 'Z', value: string): number {
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const ok =
      charset === 'N'
        ? ch >= '0' && ch <= '9'
        : charset === 'X'
          ? GS1_CSET82.includes(ch)
          : charset === 'Y'
            ? GS1_CSET39.includes(ch)
            : /[-0-9A-Za-z_]/.test(ch) || (ch === '=' && /^=*$/.test(value.slice(i)));
    if (!ok) return i;
  }
  return -1;
}
