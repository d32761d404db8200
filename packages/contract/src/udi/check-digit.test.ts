import { describe, expect, test } from 'vitest';
import { gs1CheckCharacterPair, gs1CheckDigit, gs1HasValidCheckDigit, parseUdi } from '../index.js';

describe('VAL-01 GS1 check digits', () => {
  test('mod-10 vectors: GTIN-8, GTIN-13, GTIN-14 pass; a changed digit fails', () => {
    expect(gs1HasValidCheckDigit('02345673')).toBe(true);
    expect(gs1HasValidCheckDigit('12345673')).toBe(false);
    expect(gs1HasValidCheckDigit('1234567890128')).toBe(true);
    expect(gs1HasValidCheckDigit('12345678901231')).toBe(true);
    expect(gs1HasValidCheckDigit('12345678901234')).toBe(false);
    expect(gs1CheckDigit('1234567890123')).toBe(1);
    expect(gs1CheckDigit('0234567')).toBe(3);
    expect(gs1HasValidCheckDigit('')).toBe(false);
    expect(gs1HasValidCheckDigit('1234567890128x')).toBe(false);
  });

  test('GTIN-14 whose first digit is not 0 (packaging indicator 1-9): weights counted from the right', () => {
    for (const indicator of ['1', '3', '5', '8', '9']) {
      const body = `${indicator}690123456789`;
      const gtin = body + gs1CheckDigit(body);
      expect(gs1HasValidCheckDigit(gtin)).toBe(true);
      const r = parseUdi(`01${gtin}`);
      expect(r.ok && r.udi.di).toBe(gtin);
      expect(r.ok && r.udi.packagingLevel).toBe(indicator);
    }
    // 12345678901231 is a valid GTIN-14 with indicator 1; left-padded GTIN-13 keeps its check digit.
    expect(parseUdi('0112345678901231').ok).toBe(true);
    expect(gs1CheckDigit('0123456789012')).toBe(gs1CheckDigit('123456789012'));
  });

  test('SSCC (18 digits) and GSRN (18 digits) check digits are verified too', () => {
    const sscc = `00${'12345678901234567'}${gs1CheckDigit('12345678901234567')}`;
    const badSscc = sscc.slice(0, -1) + ((Number(sscc.slice(-1)) + 1) % 10);
    const gtin = '0112345678901231';
    expect(parseUdi(`${gtin}${sscc}`).ok).toBe(true);
    const bad = parseUdi(`${gtin}${badSscc}`);
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid_check_digit', ai: '00', position: 16 });
    const gsrn = `8018${'12345678901234567'}${gs1CheckDigit('12345678901234567')}`;
    expect(parseUdi(`${gtin}${gsrn}`).ok).toBe(true);
  });

  test('alphanumeric check character pairs (GMN, MUDI)', () => {
    expect(gs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c')).toBe('2K');
    expect(gs1CheckCharacterPair('12345678901234567890123')).toBe('NT');
    expect(gs1CheckCharacterPair('')).toBe('22');
    expect(gs1CheckCharacterPair('!')).toBe('22');
    expect(gs1CheckCharacterPair('7907665Bm8v2')).toBe('AB');
    expect(gs1CheckCharacterPair('12345_0123456789:;<=>?')).toBe('62');
    const mudi = parseUdi('0112345678901231\x1d80141987654Ad4X4bL5ttr2310cXK');
    expect(!mudi.ok && mudi.error.message).toBe(
      'AI (8014) at position 17: check character pair should be 2K, found XK',
    );
  });
});
