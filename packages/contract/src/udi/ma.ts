/**
 * MA codes (IDcode; issuing agency 中关村工信二维码技术研究院 ZIIOT, ISO/IEC 15459 IAC "MA"), e.g.
 * `MA.156.M0.100204.13351764.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3`.
 *
 * DI = the first five dot-separated segments: `MA`, the country (`156` = China, ISO 3166 numeric),
 * the category, the registrant code and the product code, whose first character is the packaging
 * level. Production-identifier data units follow, each `.` + a one-letter prefix: `L` batch/lot,
 * `S` serial, `M` (or `P`) production date, `D` sterilisation batch, `V` 有效期 (valid-until date),
 * `E` 失效期 (expiry date), and last `C`, the check character. Dates are YYMMDD (two-digit years by
 * the GS1 century rule, not "20" + YY) or YYYYMMDD; day 00 is not accepted.
 *
 * The check character's algorithm is not published (ZIIOT says it comes from its coding
 * interface; the old offline algorithm is obsolete), so `.C` is kept as an opaque value and not
 * verified.
 */
import { readUdiDate } from './dates.js';
import { type Gs1Read } from './gs1.js';
import { udiFail, type ParsedUdi, type UdiElement } from './types.js';

const UNITS = {
  L: { title: 'Batch/lot number (生产批号)', kind: 'text' },
  S: { title: 'Serial number (序列号)', kind: 'text' },
  M: { title: 'Production date (生产日期)', kind: 'date' },
  P: { title: 'Production date (生产日期)', kind: 'date' },
  D: { title: 'Sterilisation batch (灭菌批号)', kind: 'text' },
  V: { title: 'Valid until (有效期)', kind: 'date' },
  E: { title: 'Expiry date (失效期)', kind: 'date' },
  C: { title: 'Check character (校验码, not verified)', kind: 'text' },
} as const;
type UnitPrefix = keyof typeof UNITS;

/** Whether the payload is an MA code (starts with `MA.`). */
export function looksLikeMa(text: string): boolean {
  return text.startsWith('MA.');
}

/** Parses an MA code found at `offset` of the raw scan. */
export function parseMa(
  text: string,
  offset: number,
  raw: string,
  symbology: string | undefined,
  now: Date,
): Gs1Read<ParsedUdi> {
  const segments: { text: string; pos: number }[] = [];
  let at = 0;
  for (const part of text.split('.')) {
    segments.push({ text: part, pos: offset + at });
    at += part.length + 1;
  }
  if (segments.length < 5) {
    return udiFail(
      'invalid_ma',
      `MA code at position ${offset}: the DI needs five dot-separated segments (MA.country.category.registrant.product), found ${segments.length}`,
      { position: offset },
    );
  }
  const [, country, ...rest] = segments;
  if (!/^\d{3}$/.test(country!.text)) {
    return udiFail(
      'invalid_ma',
      `MA code, position ${country!.pos}: the country segment must be 3 digits (156 = China), found "${country!.text}"`,
      {
        position: country!.pos,
      },
    );
  }
  for (const seg of rest.slice(0, 3)) {
    if (!/^[0-9A-Za-z]+$/.test(seg.text)) {
      return udiFail(
        'invalid_ma',
        `MA code, position ${seg.pos}: a DI segment must be letters and digits, found "${seg.text}"`,
        {
          position: seg.pos,
        },
      );
    }
  }
  const di = segments
    .slice(0, 5)
    .map((s) => s.text)
    .join('.');
  const udi: ParsedUdi = {
    issuer: 'MA',
    raw,
    ...(symbology === undefined ? {} : { symbology }),
    di,
    packagingLevel: segments[4]!.text.charAt(0),
    elements: [{ ai: 'DI', value: di, title: 'Device identifier (产品标识)' }],
    normalised: di,
  };
  const seen = new Map<string, number>();
  const units = segments.slice(5);
  for (const [index, seg] of units.entries()) {
    const prefix = seg.text.charAt(0);
    const value = seg.text.slice(1);
    if (!Object.hasOwn(UNITS, prefix)) {
      return udiFail(
        'invalid_ma',
        `MA code, position ${seg.pos}: unknown data unit "${seg.text}" (expected .L, .S, .M, .P, .D, .V, .E or .C followed by a value)`,
        { position: seg.pos },
      );
    }
    const unit = UNITS[prefix as UnitPrefix];
    const key = prefix === 'P' ? 'M' : prefix;
    const first = seen.get(key);
    if (first !== undefined) {
      return udiFail(
        'invalid_ma',
        `MA code, position ${seg.pos}: data unit .${prefix} appears twice (first at position ${first})`,
        {
          position: seg.pos,
        },
      );
    }
    seen.set(key, seg.pos);
    if (!/^[\x21-\x7e]+$/.test(value)) {
      return udiFail(
        'invalid_ma',
        `MA code, position ${seg.pos}: data unit .${prefix} needs a value of printable ASCII characters, found "${value}"`,
        {
          position: seg.pos,
        },
      );
    }
    if (prefix === 'C' && index !== units.length - 1) {
      return udiFail('invalid_ma', `MA code, position ${seg.pos}: the check character .C must be the last data unit`, {
        position: seg.pos,
      });
    }
    if (unit.kind === 'date') {
      const d = readUdiDate(value, { now, allowDayZero: false });
      if (!d.ok) {
        return udiFail(
          'invalid_date',
          `MA code, data unit .${prefix} at position ${seg.pos}: ${value} is not a valid date (${d.reason})`,
          {
            position: seg.pos,
          },
        );
      }
      if (key === 'M') {
        udi.productionDate = d.date.iso;
        udi.productionDayUnspecified = false;
      }
      if (prefix === 'E' || (prefix === 'V' && !units.some((u) => u.text.startsWith('E')))) {
        udi.expiryDate = d.date.iso;
        udi.expiryDayUnspecified = false;
      }
    }
    if (prefix === 'L') udi.lot = value;
    if (prefix === 'S') udi.serial = value;
    udi.elements.push({ ai: prefix, value, title: unit.title } satisfies UdiElement);
  }
  udi.normalised = [di, ...udi.elements.slice(1).map((e) => `${e.ai}${e.value}`)].join('.');
  return { ok: true, value: udi };
}
