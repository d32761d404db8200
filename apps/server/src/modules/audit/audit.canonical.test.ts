import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from './audit.canonical.js';
import { canonicalizeJson } from './bundle-verifier.js';

describe('LOG-02 RFC 8785 canonical JSON of audit events', () => {
  test('agrees with an independent JCS library and with the offline verifier on arbitrary JSON', () => {
    const json = fc.jsonValue({ maxDepth: 4, noUnicodeString: false }).filter((v) => {
      try {
        return canonicalize(v) !== undefined;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(json, (v) => {
        const ours = canonicalJson(v);
        expect(ours).toBe(canonicalize(v));
        expect(ours).toBe(canonicalizeJson(JSON.parse(ours)));
      }),
      { numRuns: 2000 },
    );
  });

  test('RFC 8785 examples: key order by UTF-16 code units, number and string forms', () => {
    expect(
      canonicalJson({
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      }),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson([1e30, 4.5, 0.002, 1e-7, -0, 333333333.3333333])).toBe(
      '[1e+30,4.5,0.002,1e-7,0,333333333.3333333]',
    );
    expect(canonicalJson({ b: [true, null, 'é\u0001'], a: undefined })).toBe('{"b":[true,null,"é\\u0001"]}');
  });

  test('values JSON cannot carry faithfully are refused', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ x: Infinity })).toThrow();
    expect(() => canonicalJson('\ud800')).toThrow();
    expect(() => canonicalJson(10n)).toThrow();
  });
});
