import { describe, expect, test } from 'vitest';
import { gs1ExpandYear, parseUdi } from '../index.js';

const GTIN = '0112345678901231';
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('GSP-03 VAL-01 UDI dates (expiry drives the lock on expired stock)', () => {
  test('GS1 century sliding window: at most 49 years ahead, at most 50 back', () => {
    const now = at('2025-06-15');
    expect(gs1ExpandYear(25, now)).toBe(2025);
    expect(gs1ExpandYear(74, now)).toBe(2074); // 49 ahead
    expect(gs1ExpandYear(75, now)).toBe(2075); // 50 ahead: still this century
    expect(gs1ExpandYear(76, now)).toBe(1976); // 51 ahead → previous century
    expect(gs1ExpandYear(99, now)).toBe(1999);
    expect(gs1ExpandYear(0, now)).toBe(2000);
    const late = at('2090-01-01');
    expect(gs1ExpandYear(40, late)).toBe(2140); // −50 → next century
    expect(gs1ExpandYear(41, late)).toBe(2041);
    expect(gs1ExpandYear(10, at('2099-12-31'))).toBe(2110);
    // The window follows opts.now: the same digits give another century decades later.
    const r1 = parseUdi(`${GTIN}17800101`, { now: at('2025-01-01') });
    const r2 = parseUdi(`${GTIN}17800101`, { now: at('2060-01-01') });
    expect(r1.ok && r1.udi.expiryDate).toBe('1980-01-01');
    expect(r2.ok && r2.udi.expiryDate).toBe('2080-01-01');
  });

  test('DD = 00 means the day is unspecified: expiry is the end of that month, and the flag says so', () => {
    const now = at('2025-06-15');
    const feb = parseUdi(`${GTIN}17280200`, { now });
    expect(feb.ok && [feb.udi.expiryDate, feb.udi.expiryDayUnspecified]).toEqual(['2028-02-29', true]);
    const febNoLeap = parseUdi(`${GTIN}17270200`, { now });
    expect(febNoLeap.ok && febNoLeap.udi.expiryDate).toBe('2027-02-28');
    const apr = parseUdi(`${GTIN}17250400`, { now });
    expect(apr.ok && apr.udi.expiryDate).toBe('2025-04-30');
    const exact = parseUdi(`${GTIN}17251231`, { now });
    expect(exact.ok && [exact.udi.expiryDate, exact.udi.expiryDayUnspecified]).toEqual(['2025-12-31', false]);
    const prod = parseUdi(`${GTIN}11250300`, { now });
    expect(prod.ok && [prod.udi.productionDate, prod.udi.productionDayUnspecified]).toEqual(['2025-03-01', true]);
  });

  test('29 February only in leap years (2000 and 2024 are, 2100 and 2025 are not)', () => {
    const now = at('2025-06-15');
    expect(parseUdi(`${GTIN}17240229`, { now }).ok).toBe(true);
    expect(parseUdi(`${GTIN}17000229`, { now }).ok).toBe(true);
    const bad = parseUdi(`${GTIN}17250229`, { now });
    expect(!bad.ok && bad.error).toEqual({
      code: 'invalid_date',
      message: 'AI (17) at position 16: 250229 is not a valid date (day 29: February 2025 has 28 days)',
      ai: '17',
      position: 16,
    });
    // In 2080, "00" is 2100, which is not a leap year.
    const y2100 = parseUdi(`${GTIN}17000229`, { now: at('2080-01-01') });
    expect(!y2100.ok && y2100.error.message).toContain('February 2100 has 28 days');
  });

  test('month 13, month 00, day 32, day 31 of a 30-day month, day 00 where a full date is required', () => {
    const now = at('2025-06-15');
    const cases: [string, string][] = [
      [`${GTIN}17251332`, 'AI (17) at position 16: 251332 is not a valid date (month 13)'],
      [`${GTIN}17250010`, 'AI (17) at position 16: 250010 is not a valid date (month 00)'],
      [`${GTIN}17250132`, 'AI (17) at position 16: 250132 is not a valid date (day 32)'],
      [`${GTIN}17250431`, 'AI (17) at position 16: 250431 is not a valid date (day 31: April 2025 has 30 days)'],
      [
        `${GTIN}70032506001200`,
        'AI (7003) at position 16: 250600 is not a valid date (day 00; this date must give the day)',
      ],
      [`${GTIN}70032506012400`, 'AI (7003) at position 16: 2400 is not a valid time (hour 24)'],
    ];
    for (const [scan, message] of cases) {
      const r = parseUdi(scan, { now });
      expect(r.ok ? 'ok' : r.error.message, scan).toBe(message);
      expect(!r.ok && r.error.code).toBe('invalid_date');
    }
    const expiryTime = parseUdi(`${GTIN}70032506301430`, { now });
    expect(expiryTime.ok && expiryTime.udi.expiryDate).toBe('2025-06-30');
  });
});
