/**
 * AHM codes (阿里健康). LOW CONFIDENCE: the official 编码规则 has not been obtained; this follows
 * the only third-party description found (a public C# UDI service, see docs/decisions/0017). Treat
 * results as provisional and re-check against the issuer's rules before relying on them.
 *
 * Syntax as implemented: `MF` + product DI (letters and digits, at most 13), then data units in
 * any order, each a two-letter tag and its value: `BA` batch and `SN` serial (each up to a `*` or
 * the end of the data), `MD` production date, `BD` 保质日期 (expiry), `ED` 有效期 (valid until;
 * used as the expiry date when there is no `BD`), each YYMMDD with the GS1 century rule, and `PL`
 * packaging level (one digit). A DI containing one of these tags cannot be told apart and is cut
 * there.
 */
import { readUdiDate } from './dates.js';
import { type Gs1Read } from './gs1.js';
import { udiFail, type ParsedUdi } from './types.js';

const TAGS = {
  BA: 'Batch/lot number (批号)',
  SN: 'Serial number (序列号)',
  MD: 'Production date (生产日期)',
  BD: 'Expiry date (保质日期)',
  ED: 'Valid until (有效期)',
  PL: 'Packaging level (包装层级)',
} as const;
type Tag = keyof typeof TAGS;
const TAG_AT = /BA|SN|MD|BD|ED|PL/;

/** Whether the payload is an AHM code (starts with `MF`). */
export function looksLikeAhm(text: string): boolean {
  return text.startsWith('MF');
}

/** Parses an AHM code found at `offset` of the raw scan. */
export function parseAhm(
  text: string,
  offset: number,
  raw: string,
  symbology: string | undefined,
  now: Date,
): Gs1Read<ParsedUdi> {
  const rest = text.slice(2);
  const tagAt = TAG_AT.exec(rest)?.index ?? rest.length;
  const di = rest.slice(0, tagAt);
  if (!/^[0-9A-Za-z]{1,13}$/.test(di)) {
    return udiFail(
      'invalid_ahm',
      `AHM code at position ${offset}: MF must be followed by the product DI (1 to 13 letters or digits), found "${di}"`,
      { position: offset },
    );
  }
  const udi: ParsedUdi = {
    issuer: 'AHM',
    raw,
    ...(symbology === undefined ? {} : { symbology }),
    di,
    elements: [{ ai: 'MF', value: di, title: 'Device identifier (产品标识)' }],
    normalised: `MF${di}`,
  };
  const seen = new Set<string>();
  let i = 2 + tagAt;
  while (i < text.length) {
    const pos = offset + i;
    const tag = text.slice(i, i + 2);
    if (!Object.hasOwn(TAGS, tag)) {
      return udiFail(
        'invalid_ahm',
        `AHM code, position ${pos}: expected a data unit BA, SN, MD, BD, ED or PL, found "${text.slice(i, i + 8)}"`,
        {
          position: pos,
        },
      );
    }
    if (seen.has(tag)) {
      return udiFail('invalid_ahm', `AHM code, position ${pos}: data unit ${tag} appears twice`, { position: pos });
    }
    seen.add(tag);
    i += 2;
    let value: string;
    let written: string;
    if (tag === 'BA' || tag === 'SN') {
      const star = text.indexOf('*', i);
      const end = star < 0 ? text.length : star;
      value = text.slice(i, end);
      written = star < 0 ? value : `${value}*`;
      i = star < 0 ? end : end + 1;
      if (!/^[\x21-\x29\x2b-\x7e]+$/.test(value)) {
        return udiFail(
          'invalid_ahm',
          `AHM code, position ${pos}: ${tag} needs a value of printable ASCII characters, found "${value}"`,
          {
            position: pos,
          },
        );
      }
      if (tag === 'BA') udi.lot = value;
      else udi.serial = value;
    } else {
      const len = tag === 'PL' ? 1 : 6;
      value = text.slice(i, i + len);
      written = value;
      i += len;
      if (!new RegExp(`^\\d{${len}}$`).test(value)) {
        return udiFail(
          'invalid_ahm',
          `AHM code, position ${pos}: ${tag} must be followed by ${len === 1 ? 'one digit' : '6 digits (YYMMDD)'}, found "${value}"`,
          {
            position: pos,
          },
        );
      }
      if (tag === 'PL') {
        udi.packagingLevel = value;
      } else {
        const d = readUdiDate(value, { now, allowDayZero: false });
        if (!d.ok) {
          return udiFail(
            'invalid_date',
            `AHM code, data unit ${tag} at position ${pos}: ${value} is not a valid date (${d.reason})`,
            {
              position: pos,
            },
          );
        }
        if (tag === 'MD') {
          udi.productionDate = d.date.iso;
          udi.productionDayUnspecified = false;
        } else if (tag === 'BD' || !seen.has('BD')) {
          udi.expiryDate = d.date.iso;
          udi.expiryDayUnspecified = false;
        }
      }
    }
    udi.elements.push({ ai: tag, value, title: TAGS[tag as Tag] });
    udi.normalised += `${tag}${written}`;
  }
  return { ok: true, value: udi };
}
