/**
 * GS1 check digits (GTIN-8/12/13/14, SSCC, GLN, GSRN, GDTI, GRAI…) and the alphanumeric check
 * character pair (GMN, MUDI), as defined in the GS1 General Specifications.
 */

/**
 * The GS1 mod-10 check digit for `body` (the digits without their check digit): weights 3, 1, 3, …
 * applied from the right, check = (10 − sum mod 10) mod 10. Throws on non-digits.
 */
export function gs1CheckDigit(body: string): number {
  if (!/^\d*$/.test(body)) throw new Error('gs1CheckDigit: digits only');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether `value` (digits, check digit last, at least two) carries a correct GS1 mod-10 check digit. */
export function gs1HasValidCheckDigit(value: string): boolean {
  return /^\d{2,}$/.test(value) && gs1CheckDigit(value.slice(0, -1)) === Number(value.slice(-1));
}

/** GS1 AI encodable character set 82, in the order that gives each character its value (0…81). */
export const GS1_CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
/** GS1 AI encodable character set 39. */
export const GS1_CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The 32 characters of a GS1 alphanumeric check character pair, in value order. */
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function primes(count: number): number[] {
  const found: number[] = [];
  for (let n = 2; found.length < count; n++) {
    if (found.every((p) => n % p !== 0)) found.push(n);
  }
  return found;
}
const PRIMES = primes(97);

/**
 * The GS1 alphanumeric check character pair for `body` (CSET 82 characters, at most 97): each
 * character's CSET 82 value weighted by the primes 2, 3, 5, … from the right, summed modulo 1021,
 * split into two 5-bit values written in CSET 32. Throws outside CSET 82 or beyond 97 characters.
 */
export function gs1CheckCharacterPair(body: string): string {
  if (body.length > PRIMES.length) throw new Error('gs1CheckCharacterPair: at most 97 characters');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = GS1_CSET82.indexOf(body.charAt(i));
    if (value < 0) throw new Error('gs1CheckCharacterPair: CSET 82 characters only');
    sum += value * PRIMES[body.length - 1 - i]!;
  }
  sum %= 1021;
  return CSET32.charAt(sum >> 5) + CSET32.charAt(sum & 31);
}
