/**
 * `parseUdi`: one entry for every UDI scan MedLedger meets: GS1 element strings (with or without
 * symbology identifier, FNC1 as ASCII 29 or a keyboard substitute), the bracketed HRI form, GS1
 * Digital Link URIs, bare GTINs, MA codes and AHM codes.
 */
import { looksLikeAhm, parseAhm } from './ahm.js';
import { looksLikeDigitalLink, readGs1DigitalLink } from './digital-link.js';
import {
  buildGs1Udi,
  GS1_FNC1_SUBSTITUTES,
  readGs1Bracketed,
  readGs1ElementString,
  readPlainGtin,
  showChar,
  validateGs1Elements,
  type Gs1RawElement,
  type Gs1Read,
} from './gs1.js';
import { looksLikeMa, parseMa } from './ma.js';
import { ParsedUdi, udiFail, type UdiParseOptions, type UdiParseResult } from './types.js';

/**
 * Symbology identifiers that announce GS1 data (FNC1 in first position): GS1 DataMatrix, GS1-128,
 * GS1 QR Code, GS1 DataBar and composites, GS1 DotCode.
 */
export const GS1_SYMBOLOGY_IDENTIFIERS = [']d2', ']C1', ']Q3', ']e0', ']J1'] as const;

const WHITESPACE = /[ \t\r\n]/;

function gs1Result(
  read: Gs1Read<Gs1RawElement[]>,
  raw: string,
  symbology: string | undefined,
  now: Date,
): UdiParseResult {
  if (!read.ok) return read;
  const valid = validateGs1Elements(read.value, now);
  if (!valid.ok) return valid;
  return unwrap(buildGs1Udi(valid.value, raw, symbology, now));
}

function startsWithSeparator(text: string): boolean {
  return GS1_FNC1_SUBSTITUTES.some((sep) => text.startsWith(sep));
}

/**
 * Parses one scanned UDI. Never throws on bad input: the result is either the parsed UDI or an
 * error with a stable `code`, an English `message` naming the AI or data unit, the 0-based
 * `position` in `raw` and what was expected. Surrounding spaces, tabs and line ends (as added by
 * keyboard-wedge scanners) are ignored; `udi.raw` keeps the input untouched.
 */
export function parseUdi(raw: string, opts: UdiParseOptions = {}): UdiParseResult {
  const now = opts.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new RangeError('parseUdi: opts.now is an invalid date');
  let start = 0;
  let end = raw.length;
  while (start < end && WHITESPACE.test(raw.charAt(start))) start++;
  while (end > start && WHITESPACE.test(raw.charAt(end - 1))) end--;
  if (start === end) return udiFail('empty', 'the scan is empty', { position: 0 });
  let text = raw.slice(start, end);
  let offset = start;
  let symbology: string | undefined;

  if (text.startsWith(']')) {
    symbology = text.slice(0, 3);
    if (!/^\][A-Za-z][0-9A-Za-z]$/.test(symbology)) {
      return udiFail(
        'invalid_symbology',
        `position ${offset}: "${symbology}" is not a symbology identifier (such as ]d2 or ]Q3)`,
        {
          position: offset,
        },
      );
    }
    text = text.slice(3);
    offset += 3;
    if (text === '') {
      return udiFail('empty', `the scan has a symbology identifier ${symbology} but no data`, { position: offset });
    }
    if ((GS1_SYMBOLOGY_IDENTIFIERS as readonly string[]).includes(symbology)) {
      return gs1Result(readGs1ElementString(text, offset), raw, symbology, now);
    }
    // Non-GS1 symbologies may still carry an MA or AHM code, a Digital Link URI (plain QR) or an EAN/UPC.
    if (looksLikeMa(text)) return unwrap(parseMa(text, offset, raw, symbology, now));
    if (looksLikeAhm(text)) return unwrap(parseAhm(text, offset, raw, symbology, now));
    if (looksLikeDigitalLink(text)) return gs1Result(readGs1DigitalLink(text, offset), raw, symbology, now);
    if ((symbology === ']E0' && /^\d{13}$/.test(text)) || (symbology === ']E4' && /^\d{8}$/.test(text))) {
      return gs1Result(readPlainGtin(text, offset), raw, symbology, now);
    }
    return udiFail(
      'not_gs1',
      `position ${start}: symbology identifier ${symbology} announces data that is not GS1 (GS1 codes send ${GS1_SYMBOLOGY_IDENTIFIERS.join(', ')}), and the data is not an MA code, an AHM code or a GS1 Digital Link URI`,
      { position: start },
    );
  }

  if (looksLikeDigitalLink(text)) return gs1Result(readGs1DigitalLink(text, offset), raw, undefined, now);
  if (looksLikeMa(text)) return unwrap(parseMa(text, offset, raw, undefined, now));
  if (looksLikeAhm(text)) return unwrap(parseAhm(text, offset, raw, undefined, now));
  if (text.startsWith('(')) return gs1Result(readGs1Bracketed(text, offset), raw, undefined, now);
  if (/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(text)) return gs1Result(readPlainGtin(text, offset), raw, undefined, now);
  if (/^\d/.test(text) || startsWithSeparator(text)) {
    return gs1Result(readGs1ElementString(text, offset), raw, undefined, now);
  }
  return udiFail(
    'unknown_format',
    `position ${offset}: not a UDI format MedLedger reads (found ${showChar(text.charAt(0))}); expected GS1 data (]d2…, 01…, (01)…, https://…/01/…), an MA code (MA.…) or an AHM code (MF…)`,
    { position: offset },
  );
}

const FIELD_ORDER = Object.keys(ParsedUdi.shape) as (keyof ParsedUdi)[];

/** The result with the UDI's fields in the schema's order (stable JSON for the CLI and the API). */
function unwrap(read: Gs1Read<ParsedUdi>): UdiParseResult {
  if (!read.ok) return read;
  const udi = Object.fromEntries(
    FIELD_ORDER.filter((key) => read.value[key] !== undefined).map((key) => [key, read.value[key]]),
  ) as ParsedUdi;
  return { ok: true, udi };
}
