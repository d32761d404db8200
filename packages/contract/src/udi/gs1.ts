/**
 * GS1 element strings (with FNC1 separators or their keyboard substitutes), bracketed HRI, and the
 * validation shared by every GS1 carrier: lengths, character sets, check digits, dates, duplicates,
 * mandatory and invalid AI associations.
 */
import { gs1CheckDigit, gs1HasValidCheckDigit } from './check-digit.js';
import { gs1AiDefinition, gs1AiMatches, gs1PredefinedLength, type Gs1AiDefinition } from './gs1-ai.js';
import { badCharacterIndex, runGs1Linter } from './linters.js';
import { readUdiDate } from './dates.js';
import { udiFail, type ParsedUdi, type UdiElement, type UdiFailure } from './types.js';

/** A GS1 element as read from a carrier, with the raw-scan position of its AI and of each value character. */
export interface Gs1RawElement {
  ai: string;
  value: string;
  aiPos: number;
  valuePos: readonly number[];
}

export type Gs1Read<T> = { ok: true; value: T } | UdiFailure;

/**
 * What MedLedger accepts as FNC1 / group separator inside an element string: ASCII 29 (GS) as sent
 * by correctly configured scanners, and the visible substitutes that keyboard-wedge scanners are
 * commonly configured to send (`^` as in the GS1 Syntax Engine, `<GS>`, `{GS}`, the literal text
 * `\x1D`, and `~1`). None of `^ { \ ~` is in GS1 character set 82, so these cannot be data. `<GS>`
 * is made of set-82 characters: a value containing the text "<GS>" would be split there, so
 * configure scanners for another substitute when that can happen. A leading separator is ignored,
 * as is a trailing one or several in a row.
 */
export const GS1_FNC1_SUBSTITUTES = ['\x1d', '^', '<GS>', '{GS}', '\\x1D', '\\x1d', '~1'] as const;

/** One character of an element string, or a separator (`ch` null), with its position in the raw scan. */
interface Token {
  ch: string | null;
  pos: number;
}

function tokenise(text: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < text.length) {
    for (const sep of GS1_FNC1_SUBSTITUTES) {
      if (text.startsWith(sep, i)) {
        tokens.push({ ch: null, pos: offset + i });
        i += sep.length;
        continue outer;
      }
    }
    tokens.push({ ch: text.charAt(i), pos: offset + i });
    i++;
  }
  return tokens;
}

/** Prints a character readably in a message (control characters as U+XXXX). */
export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

function preview(tokens: readonly Token[], from: number): string {
  return tokens
    .slice(from, from + 8)
    .map((t) => t.ch ?? '<GS>')
    .join('');
}

/**
 * Reads AI + value pairs from an element string (no symbology identifier) starting at `offset` of
 * the raw scan. Predefined-length AIs take exactly their length; others run to the next separator.
 */
export function readGs1ElementString(text: string, offset: number): Gs1Read<Gs1RawElement[]> {
  const tokens = tokenise(text, offset);
  const elements: Gs1RawElement[] = [];
  let i = 0;
  while (i < tokens.length) {
    const start = tokens[i]!;
    if (start.ch === null) {
      i++;
      continue;
    }
    let ai: string | undefined;
    let digits = '';
    for (let len = 0; len < 4 && i + len < tokens.length; len++) {
      const ch = tokens[i + len]!.ch;
      if (ch === null || ch < '0' || ch > '9') break;
      digits += ch;
      if (digits.length >= 2 && gs1AiDefinition(digits)) {
        ai = digits;
        break;
      }
    }
    if (ai === undefined) {
      if (digits.length < 2) {
        const next = tokens[i + digits.length];
        const found = next === undefined ? 'the end of the data' : next.ch === null ? 'a separator' : showChar(next.ch);
        return udiFail(
          'unknown_ai',
          `position ${start.pos}: expected a GS1 application identifier (2 to 4 digits), found ${found}`,
          { position: start.pos },
        );
      }
      return udiFail(
        'unknown_ai',
        `position ${start.pos}: no GS1 application identifier starts the data "${preview(tokens, i)}…" (unknown AI ${digits.slice(0, 2)}…)`,
        { position: start.pos },
      );
    }
    i += ai.length;
    const fixed = gs1PredefinedLength(ai);
    const valueTokens: Token[] = [];
    if (fixed !== undefined) {
      while (valueTokens.length < fixed && i < tokens.length && tokens[i]!.ch !== null) valueTokens.push(tokens[i++]!);
      if (valueTokens.length < fixed) {
        const why = i < tokens.length ? 'before a separator' : 'before the end of the data';
        const unit = gs1AiDefinition(ai)!.components.every((c) => c.charset === 'N') ? 'digits' : 'characters';
        return udiFail(
          'invalid_length',
          `AI (${ai}) at position ${start.pos}: expected ${fixed} ${unit}, found ${valueTokens.length} ${why}`,
          { ai, position: start.pos },
        );
      }
    } else {
      while (i < tokens.length && tokens[i]!.ch !== null) valueTokens.push(tokens[i++]!);
    }
    elements.push({
      ai,
      value: valueTokens.map((t) => t.ch).join(''),
      aiPos: start.pos,
      valuePos: valueTokens.map((t) => t.pos),
    });
  }
  return { ok: true, value: elements };
}

/**
 * Reads the bracketed human-readable form `(01)09506000134352(17)251231(10)ABC\(1\)`, starting at
 * `offset` of the raw scan. Spaces around elements are allowed; `\(` stands for `(` in a value.
 */
export function readGs1Bracketed(text: string, offset: number): Gs1Read<Gs1RawElement[]> {
  const elements: Gs1RawElement[] = [];
  let i = 0;
  const isSpace = (c: string) => c === ' ' || c === '\t';
  while (i < text.length) {
    while (i < text.length && isSpace(text.charAt(i))) i++;
    if (i >= text.length) break;
    const aiPos = offset + i;
    if (text.charAt(i) !== '(') {
      return udiFail(
        'invalid_hri',
        `position ${aiPos}: expected '(' to open an application identifier, found ${showChar(text.charAt(i))}`,
        {
          position: aiPos,
        },
      );
    }
    const close = text.indexOf(')', i);
    const ai = close < 0 ? '' : text.slice(i + 1, close);
    if (!/^\d{2,4}$/.test(ai)) {
      return udiFail(
        'invalid_hri',
        `position ${aiPos}: expected 2 to 4 digits between '(' and ')' for an application identifier`,
        {
          position: aiPos,
        },
      );
    }
    if (!gs1AiDefinition(ai)) {
      return udiFail('unknown_ai', `position ${aiPos}: (${ai}) is not a GS1 application identifier`, {
        ai,
        position: aiPos,
      });
    }
    i = close + 1;
    while (i < text.length && isSpace(text.charAt(i))) i++;
    let value = '';
    const valuePos: number[] = [];
    while (i < text.length && text.charAt(i) !== '(') {
      if (text.charAt(i) === '\\' && text.charAt(i + 1) === '(') {
        value += '(';
        valuePos.push(offset + i);
        i += 2;
        continue;
      }
      value += text.charAt(i);
      valuePos.push(offset + i);
      i++;
    }
    const trimmed = value.replace(/[ \t]+$/, '');
    elements.push(padGtin({ ai, value: trimmed, aiPos, valuePos: valuePos.slice(0, trimmed.length) }));
  }
  if (elements.length === 0) return udiFail('invalid_hri', 'no (AI) value pairs found', { position: offset });
  return { ok: true, value: elements };
}

/**
 * In the bracketed form and in Digital Link URIs, a GTIN-8, -12 or -13 given for AI (01) is
 * written as the GTIN-14 it stands for (leading zeros). Element strings are not padded: there,
 * AI (01) always has 14 digits.
 */
export function padGtin(el: Gs1RawElement): Gs1RawElement {
  if (el.ai !== '01' || !/^(\d{8}|\d{12}|\d{13})$/.test(el.value)) return el;
  const missing = 14 - el.value.length;
  const first = el.valuePos[0] ?? el.aiPos;
  return {
    ...el,
    value: el.value.padStart(14, '0'),
    valuePos: [...Array<number>(missing).fill(first), ...el.valuePos],
  };
}

const CHARSET_NAMES = {
  N: 'only digits are allowed',
  X: 'allowed are the characters of GS1 AI encodable character set 82',
  Y: 'allowed are A-Z, 0-9, # - / (GS1 character set 39)',
  Z: 'allowed are A-Z a-z 0-9 - _ (base64url)',
} as const;

function lengthProblem(el: Gs1RawElement, def: Gs1AiDefinition): string | undefined {
  const min = def.components.filter((c) => !c.optional).reduce((n, c) => n + c.min, 0);
  const max = def.components.reduce((n, c) => n + c.max, 0);
  const len = el.value.length;
  if (len >= min && len <= max) return undefined;
  const unit = def.components.every((c) => c.charset === 'N') ? 'digits' : 'characters';
  if (min === max) return `expected ${max} ${unit}, found ${len}`;
  if (len === 0) return `the value is empty (expected ${min} to ${max} ${unit})`;
  return len > max
    ? `the value has ${len} ${unit}, at most ${max} are allowed`
    : `the value has ${len} ${unit}, at least ${min} are needed`;
}

function validateElement(el: Gs1RawElement, now: Date): UdiFailure | undefined {
  const def = gs1AiDefinition(el.ai);
  const where = `AI (${el.ai}) at position ${el.aiPos}`;
  if (!def) return udiFail('unknown_ai', `${where}: unknown application identifier`, { ai: el.ai, position: el.aiPos });
  const lengthIssue = lengthProblem(el, def);
  if (lengthIssue !== undefined) {
    return udiFail('invalid_length', `${where}: ${lengthIssue}`, { ai: el.ai, position: el.aiPos });
  }
  let i = 0;
  for (const c of def.components) {
    if (i >= el.value.length && c.optional) break;
    const len = c.min === c.max ? c.max : el.value.length - i;
    const part = el.value.slice(i, i + len);
    if (part.length < c.min) {
      return udiFail('invalid_length', `${where}: a part of ${c.min} characters is incomplete (found ${part.length})`, {
        ai: el.ai,
        position: el.aiPos,
      });
    }
    const bad = badCharacterIndex(c.charset, part);
    if (bad >= 0) {
      const pos = el.valuePos[i + bad] ?? el.aiPos;
      return udiFail(
        'invalid_character',
        `${where}: character ${showChar(part.charAt(bad))} at position ${pos} is not allowed (${CHARSET_NAMES[c.charset]})`,
        { ai: el.ai, position: pos },
      );
    }
    for (const linter of c.linters) {
      const problem = runGs1Linter(linter, part, { now });
      if (problem) return udiFail(problem.code, `${where}: ${problem.detail}`, { ai: el.ai, position: el.aiPos });
    }
    i += len;
  }
  return undefined;
}

function describeAlternatives(alternatives: readonly (readonly string[])[]): string {
  const names = alternatives.map((group) => group.map((ai) => `(${ai})`).join(' with '));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Validates elements read from any GS1 carrier and returns them without repeats: each element's
 * format and check routines, then AIs repeated with different values, invalid pairings (`ex`),
 * mandatory associations (`req`).
 */
export function validateGs1Elements(elements: readonly Gs1RawElement[], now: Date): Gs1Read<Gs1RawElement[]> {
  for (const el of elements) {
    const failure = validateElement(el, now);
    if (failure) return failure;
  }
  const unique: Gs1RawElement[] = [];
  for (const el of elements) {
    const first = unique.find((u) => u.ai === el.ai);
    if (!first) {
      unique.push(el);
      continue;
    }
    if (first.value !== el.value) {
      return udiFail(
        'duplicate_ai',
        `AI (${el.ai}) appears twice with different values: "${first.value}" at position ${first.aiPos} and "${el.value}" at position ${el.aiPos}`,
        { ai: el.ai, position: el.aiPos },
      );
    }
  }
  for (const el of unique) {
    for (const pattern of gs1AiDefinition(el.ai)?.ex ?? []) {
      const other = unique.find((o) => o.ai !== el.ai && gs1AiMatches(o.ai, pattern));
      if (other) {
        return udiFail(
          'invalid_association',
          `AI (${el.ai}) at position ${el.aiPos} must not be used together with AI (${other.ai}) at position ${other.aiPos}`,
          { ai: el.ai, position: el.aiPos },
        );
      }
    }
  }
  for (const el of unique) {
    for (const rule of gs1AiDefinition(el.ai)?.req ?? []) {
      const met = rule.some((group) => group.every((pattern) => unique.some((o) => gs1AiMatches(o.ai, pattern))));
      if (!met) {
        return udiFail(
          'missing_association',
          `AI (${el.ai}) at position ${el.aiPos} needs AI ${describeAlternatives(rule)} in the same scan`,
          { ai: el.ai, position: el.aiPos },
        );
      }
    }
  }
  return { ok: true, value: unique };
}

/** Escapes a value for the bracketed form: `(` becomes `\(`. */
function escapeHri(value: string): string {
  return value.replaceAll('(', '\\(');
}

/** The bracketed human-readable form of elements: `(01)09506000134352(10)ABC`. */
export function gs1BracketedHri(elements: readonly { ai: string; value: string }[]): string {
  return elements.map((e) => `(${e.ai})${escapeHri(e.value)}`).join('');
}

/**
 * Serialises elements as a GS1 element string (no symbology identifier): a `separator` (default
 * ASCII 29) after every variable-length value that is not the last, none after predefined-length AIs.
 */
export function gs1ElementString(elements: readonly { ai: string; value: string }[], separator = '\x1d'): string {
  return elements
    .map(
      (e, i) =>
        `${e.ai}${e.value}${i < elements.length - 1 && gs1PredefinedLength(e.ai) === undefined ? separator : ''}`,
    )
    .join('');
}

/** Builds the parsed UDI from validated GS1 elements; a UDI needs a GTIN (AI 01) as its DI. */
export function buildGs1Udi(
  elements: readonly Gs1RawElement[],
  raw: string,
  symbology: string | undefined,
  now: Date,
): Gs1Read<ParsedUdi> {
  const get = (ai: string) => elements.find((e) => e.ai === ai)?.value;
  const di = get('01');
  if (di === undefined) {
    const found = elements.map((e) => `(${e.ai})`).join('');
    return udiFail(
      'missing_di',
      `the scan is GS1 data but has no GTIN (AI 01), so it carries no UDI-DI (found ${found})`,
      {
        ai: '01',
      },
    );
  }
  const udi: ParsedUdi = {
    issuer: 'GS1',
    raw,
    ...(symbology === undefined ? {} : { symbology }),
    di,
    packagingLevel: di.charAt(0),
    elements: elements.map((e): UdiElement => ({
      ai: e.ai,
      value: e.value,
      title: gs1AiDefinition(e.ai)?.title ?? '',
    })),
    normalised: gs1BracketedHri(elements),
  };
  const lot = get('10');
  if (lot !== undefined) udi.lot = lot;
  const serial = get('21');
  if (serial !== undefined) udi.serial = serial;
  const prod = get('11');
  if (prod !== undefined) {
    const d = readUdiDate(prod, { now, allowDayZero: true, dayZero: 'start' });
    if (d.ok) {
      udi.productionDate = d.date.iso;
      udi.productionDayUnspecified = d.date.dayUnspecified;
    }
  }
  const expiry = get('17') ?? get('7003')?.slice(0, 6);
  if (expiry !== undefined) {
    const d = readUdiDate(expiry, { now, allowDayZero: true, dayZero: 'end' });
    if (d.ok) {
      udi.expiryDate = d.date.iso;
      udi.expiryDayUnspecified = d.date.dayUnspecified;
    }
  }
  return { ok: true, value: udi };
}

/** Reads a bare GTIN-8/12/13/14 (e.g. an EAN-13 from a linear barcode) as a DI-only GS1 scan. */
export function readPlainGtin(digits: string, offset: number): Gs1Read<Gs1RawElement[]> {
  if (!gs1HasValidCheckDigit(digits)) {
    return udiFail(
      'invalid_check_digit',
      `GTIN-${digits.length} at position ${offset}: check digit should be ${gs1CheckDigit(digits.slice(0, -1))}, found ${digits.slice(-1)}`,
      { ai: '01', position: offset },
    );
  }
  const valuePos = [...digits].map((_, i) => offset + i);
  return { ok: true, value: [padGtin({ ai: '01', value: digits, aiPos: offset, valuePos })] };
}
