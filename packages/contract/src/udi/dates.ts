/**
 * Dates in UDI data: GS1 YYMMDD with the GS1 century rule, YYYYMMDD, and the ISO form MedLedger
 * stores (`YYYY-MM-DD`).
 */

/**
 * The full year for a two-digit GS1 year, by the GS1 General Specifications sliding window
 * (section 7.12): with `d = YY − (current year mod 100)`, `d` from 51 to 99 means the previous
 * century, `d` from −99 to −50 the next century, anything else the current century. So a date is
 * at most 49 years ahead and at most 50 years back. "Current year" is the UTC year of `now`.
 */
export function gs1ExpandYear(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const century = current - (current % 100);
  const d = yy - (current % 100);
  if (d >= 51) return century - 100 + yy;
  if (d <= -50) return century + 100 + yy;
  return century + yy;
}

/** Whether `year` is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A date read from a scan: ISO `YYYY-MM-DD`, with day 00 (unspecified) replaced as the caller asks. */
export interface UdiDateValue {
  iso: string;
  dayUnspecified: boolean;
}

/** Either the date, or why the digits are not a date (e.g. `month 13`, `day 30: February 2024 has 29 days`). */
export type UdiDateResult = { ok: true; date: UdiDateValue } | { ok: false; reason: string };

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Checks year, month and day and builds the ISO date. `allowDayZero`: DD = 00 means "day not
 * given"; the ISO date then uses the last day of the month (`dayZero: 'end'`, for expiry dates) or
 * the first (`'start'`).
 */
export function checkUdiDate(
  year: number,
  month: number,
  day: number,
  opts: { allowDayZero: boolean; dayZero?: 'start' | 'end' },
): UdiDateResult {
  if (month < 1 || month > 12) return { ok: false, reason: `month ${pad(month, 2)}` };
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (!opts.allowDayZero) {
      return { ok: false, reason: 'day 00; this date must give the day' };
    }
    const d = opts.dayZero === 'end' ? last : 1;
    return { ok: true, date: { iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(d, 2)}`, dayUnspecified: true } };
  }
  if (day > last) {
    const why = day > 31 ? `day ${day}` : `day ${day}: ${MONTHS[month - 1]} ${year} has ${last} days`;
    return { ok: false, reason: why };
  }
  return { ok: true, date: { iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, dayUnspecified: false } };
}

/** Reads `YYMMDD` (6 digits, GS1 century rule) or `YYYYMMDD` (8 digits). */
export function readUdiDate(
  digits: string,
  opts: { now: Date; allowDayZero: boolean; dayZero?: 'start' | 'end' },
): UdiDateResult {
  if (!/^(\d{6}|\d{8})$/.test(digits)) {
    return { ok: false, reason: 'expected 6 digits YYMMDD or 8 digits YYYYMMDD' };
  }
  const long = digits.length === 8;
  const y = long ? Number(digits.slice(0, 4)) : gs1ExpandYear(Number(digits.slice(0, 2)), opts.now);
  const m = long ? 4 : 2;
  return checkUdiDate(y, Number(digits.slice(m, m + 2)), Number(digits.slice(m + 2, m + 4)), opts);
}
