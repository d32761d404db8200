import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  gs1CheckDigit,
  gs1ElementString,
  GS1_AI_TABLE,
  GS1_CSET82,
  GS1_FNC1_SUBSTITUTES,
  GS1_SYMBOLOGY_IDENTIFIERS,
  GS1_IMPLEMENTED_LINTERS,
  GS1_PREDEFINED_LENGTH_PREFIXES,
  GS1_SKIPPED_LINTERS,
  parseUdi,
  type Gs1AiDefinition,
  type UdiParseResult,
} from '@medledger/contract';

/**
 * UDI parsing checks that need Node or fast-check (the contract's own tests import only the
 * contract): the checked-in GS1 AI table against the GS1 Barcode Syntax Dictionary itself, and a
 * round-trip property over random valid UDIs. The dictionary is not part of the repository: set
 * MEDLEDGER_GS1_DICTIONARY, or keep the shared copy in place. A missing dictionary fails these
 * tests; it does not skip them.
 */
const DICTIONARY = process.env.MEDLEDGER_GS1_DICTIONARY ?? '/work/shared/data/gs1/gs1-syntax-dictionary.txt';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const now = new Date('2025-06-15T00:00:00Z');

function readDictionary(): string {
  try {
    return readFileSync(DICTIONARY, 'utf8');
  } catch (err) {
    throw new Error(
      `The GS1 syntax dictionary is needed for this test and was not found at ${DICTIONARY}. ` +
        'Set MEDLEDGER_GS1_DICTIONARY to its path.',
      { cause: err },
    );
  }
}

interface DictionaryEntry {
  ai: string;
  flags: string;
  spec: string[];
  attributes: string[];
  title: string;
}

/** An independent, simple reading of the dictionary: one entry per AI with its tokens as written. */
function dictionaryEntries(text: string): DictionaryEntry[] {
  const entries: DictionaryEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [body = '', ...titleParts] = line.split('#');
    const tokens = body.trim().split(/\s+/);
    const range = tokens.shift()!;
    const flags = /^[*?]+$/.test(tokens[0] ?? '') ? tokens.shift()! : '';
    const spec = tokens.filter((t) => /^\[?[NXYZ]/.test(t));
    const attributes = tokens.filter((t) => !/^\[?[NXYZ]/.test(t));
    const [from = '', to = from] = range.split('-');
    for (let n = Number(from); n <= Number(to); n++) {
      entries.push({
        ai: String(n).padStart(from.length, '0'),
        flags,
        spec,
        attributes,
        title: titleParts.join('#').trim(),
      });
    }
  }
  return entries;
}

/** Writes a table entry back in dictionary syntax. */
function render(def: Gs1AiDefinition) {
  const spec = def.components.map((c) => {
    const len = c.min === c.max ? `${c.max}` : `..${c.max}`;
    const type = c.optional ? `[${c.charset}${len}]` : `${c.charset}${len}`;
    return [type, ...c.linters].join(',');
  });
  const attributes = [
    ...def.req.map((rule) => `req=${rule.map((group) => group.join('+')).join(',')}`),
    ...(def.ex.length > 0 ? [`ex=${def.ex.join(',')}`] : []),
    ...(def.dlpkey === undefined
      ? []
      : [
          def.dlpkey.length === 1 && def.dlpkey[0]!.length === 0
            ? 'dlpkey'
            : `dlpkey=${def.dlpkey.map((s) => s.join(',')).join('|')}`,
        ]),
  ];
  return { spec, attributes };
}

describe('VAL-01 GS1 AI table against the GS1 Barcode Syntax Dictionary', () => {
  const text = readDictionary();
  const entries = dictionaryEntries(text);

  test('every AI of the dictionary is in the table with the same format, linters, req, ex, dlpkey, flags and title', () => {
    expect(entries.length).toBeGreaterThan(500);
    expect(Object.keys(GS1_AI_TABLE).sort()).toEqual(entries.map((e) => e.ai).sort());
    for (const entry of entries) {
      const def = GS1_AI_TABLE[entry.ai]!;
      const ours = render(def);
      expect(ours.spec, entry.ai).toEqual(entry.spec);
      expect([...ours.attributes].sort(), entry.ai).toEqual([...entry.attributes].sort());
      expect(def.predefinedLength, entry.ai).toBe(entry.flags.includes('*'));
      expect(def.dlDataAttribute, entry.ai).toBe(entry.flags.includes('?'));
      expect(def.title, entry.ai).toBe(entry.title);
    }
  });

  test('the checked-in table is exactly what scripts/gen-gs1-ai-table.mjs makes of the dictionary', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medledger-gs1-'));
    try {
      const out = path.join(dir, 'table.ts');
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen-gs1-ai-table.mjs'), DICTIONARY, out]);
      expect(readFileSync(out, 'utf8')).toBe(
        readFileSync(path.join(ROOT, 'packages/contract/src/udi/gs1-ai-table.ts'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('predefined-length AIs are exactly those of the predefined-length prefix table, with the same lengths', () => {
    for (const [ai, def] of Object.entries(GS1_AI_TABLE)) {
      const prefix = ai.slice(0, 2);
      const length = Object.hasOwn(GS1_PREDEFINED_LENGTH_PREFIXES, prefix)
        ? GS1_PREDEFINED_LENGTH_PREFIXES[prefix]
        : undefined;
      expect(length !== undefined, ai).toBe(def.predefinedLength);
      if (length !== undefined) {
        expect(
          def.components.reduce((n, c) => n + c.max, 0),
          ai,
        ).toBe(length);
      }
    }
  });

  test('no AI is a prefix of another, so AIs can be read without separators', () => {
    const ais = new Set(Object.keys(GS1_AI_TABLE));
    const clashes = [...ais].flatMap((ai) =>
      [2, 3].filter((n) => n < ai.length && ais.has(ai.slice(0, n))).map((n) => `${ai.slice(0, n)} / ${ai}`),
    );
    expect(clashes).toEqual([]);
  });

  test('every linter named in the table is either implemented or listed as skipped', () => {
    const named = new Set(Object.values(GS1_AI_TABLE).flatMap((d) => d.components.flatMap((c) => c.linters)));
    const known = new Set<string>([...GS1_IMPLEMENTED_LINTERS, ...GS1_SKIPPED_LINTERS]);
    expect([...named].filter((l) => !known.has(l))).toEqual([]);
  });

  test('the Digital Link examples of the dictionary header parse as the header says (qualifier order)', () => {
    const examples = [...text.matchAll(/"(https:\/\/\.\.[^"]*)"\s+- (valid|invalid)/g)];
    expect(examples.length).toBeGreaterThanOrEqual(7);
    const gtin = `0950600013435${gs1CheckDigit('0950600013435')}`;
    const samples: Record<string, string> = { '01': gtin, '22': 'CPV1', '10': 'LOT1', '21': 'SER1', '235': 'TPX1' };
    for (const [, template, verdict] of examples) {
      const segments = template!.replace('https://..', '').split('/').slice(1);
      const uri =
        'https://id.example.com' +
        segments.map((s, i) => (i % 2 === 0 ? `/${s}` : `/${samples[segments[i - 1]!] ?? 'X'}`)).join('');
      const result = parseUdi(uri, { now });
      expect(result.ok, `${template} → ${uri}: ${result.ok ? '' : result.error.message}`).toBe(verdict === 'valid');
      if (!result.ok) expect(result.error.code).toBe('invalid_digital_link');
    }
  });
});

/** The UDI without the fields that depend on how it was transmitted. */
function content(r: UdiParseResult) {
  if (!r.ok) throw new Error(`expected a parsed UDI, got ${r.error.code}: ${r.error.message}`);
  const { raw: _raw, symbology: _symbology, ...rest } = r.udi;
  return rest;
}
const parse = (raw: string) => parseUdi(raw, { now });

describe('VAL-01 round trip: random valid UDIs survive every separator variant', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const gtin = digits(13).map((body) => body + gs1CheckDigit(body));
  const text = fc
    .string({ unit: fc.constantFrom(...GS1_CSET82), minLength: 1, maxLength: 20 })
    .filter((s) => !s.includes('<GS>'));
  const date = fc
    .record({
      y: fc.integer({ min: 0, max: 99 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 0, max: 28 }),
    })
    .map(({ y, m, d }) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));
  const pi = fc.record({ '10': text, '21': text, '11': date, '17': date, '240': text }, { requiredKeys: [] });
  const udi = fc
    .tuple(gtin, pi)
    .chain(([g, rest]) =>
      fc
        .shuffledSubarray(Object.entries(rest), { minLength: Object.keys(rest).length })
        .map((others) => [{ ai: '01', value: g }, ...others.map(([ai, value]) => ({ ai, value }))]),
    );

  test('element string (each FNC1 variant, each symbology identifier), HRI and Digital Link parse back equal', () => {
    fc.assert(
      fc.property(udi, fc.constantFrom('', ...GS1_SYMBOLOGY_IDENTIFIERS), (elements, sym) => {
        const expected = content(parse(gs1ElementString(elements)));
        expect(expected.elements.map(({ ai, value }) => ({ ai, value }))).toEqual(elements);
        for (const sep of GS1_FNC1_SUBSTITUTES) {
          expect(content(parse(sym + gs1ElementString(elements, sep)))).toEqual(expected);
          expect(content(parse(`${sym}${sep}${gs1ElementString(elements, sep)}${sep}`))).toEqual(expected);
        }
        expect(content(parse(expected.normalised))).toEqual(expected);
        const path = ['01', '10', '21'].flatMap((ai) => {
          const e = elements.find((x) => x.ai === ai);
          return e ? [`/${ai}/${encodeURIComponent(e.value)}`] : [];
        });
        const query = elements
          .filter((e) => !['01', '10', '21'].includes(e.ai))
          .map((e) => `${e.ai}=${encodeURIComponent(e.value)}`);
        const uri = `https://id.example.cn${path.join('')}${query.length ? `?${query.join('&')}` : ''}`;
        const fromLink = content(parse(uri));
        const sorted = (xs: readonly { ai: string }[]) => [...xs].sort((a, b) => a.ai.localeCompare(b.ai));
        expect(sorted(fromLink.elements)).toEqual(sorted(expected.elements));
        expect({ ...fromLink, elements: [], normalised: '' }).toEqual({ ...expected, elements: [], normalised: '' });
      }),
      { numRuns: 300 },
    );
  });
});
