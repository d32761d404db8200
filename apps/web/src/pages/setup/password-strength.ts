/**
 * A quick client-side estimate of password strength for the live meter. The server's policy check
 * (length, blocklists, context words, zxcvbn) is authoritative; this only gives early feedback and
 * never blocks anything but the documented minimum length.
 */

/** Minimum length of a privileged (administrator) password, in code points (AUTH-02). */
export const ADMIN_PASSWORD_MIN_LENGTH = 15;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export type StrengthHint =
  'tooShort' | 'addVariety' | 'avoidRepeats' | 'avoidSequences' | 'avoidCommon' | 'avoidPersonal';

export interface PasswordStrength {
  score: StrengthScore;
  /** Estimated guessing entropy in bits, after penalties. */
  bits: number;
  hints: StrengthHint[];
}

/** Walks that people type without thinking: alphabet, digits, keyboard rows. */
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx3edc'];

/** Words (lower case) that make up a large share of leaked passwords, in China and elsewhere. */
const COMMON_WORDS = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'admin',
  'administrator',
  'root',
  'medledger',
  'qwerty',
  'iloveyou',
  'woaini',
  'aini',
  'welcome',
  'letmein',
  'changeme',
  'secret',
  'master',
  'dragon',
  'monkey',
  'login',
  'test',
  'guest',
  'abc123',
  '123456',
  '111111',
  '666666',
  '888888',
  '5201314',
  '1314',
  'china',
  'beijing',
  'shanghai',
  'zhongguo',
];

/** Rough size of the alphabet each character class draws from. */
function poolSize(password: string): { pool: number; classes: number } {
  const classes = [
    [/[a-z]/, 26],
    [/[A-Z]/, 26],
    [/[0-9]/, 10],
    [/[^\p{L}\p{N}]/u, 33],
    // Han characters and other non-ASCII letters: a large alphabet, conservatively counted.
    [/[^\p{ASCII}]/u, 100],
  ] as const;
  let pool = 0;
  let count = 0;
  for (const [pattern, size] of classes) {
    if (pattern.test(password)) {
      pool += size;
      count += 1;
    }
  }
  return { pool, classes: count };
}

function isSequenceStep(previous: string, current: string): boolean {
  const pair = previous + current;
  const reversed = current + previous;
  return SEQUENCES.some((sequence) => sequence.includes(pair) || sequence.includes(reversed));
}

/** The words of the login and name worth looking for: at least 3 characters, lower case. */
function personalWords(personal: readonly string[]): string[] {
  return personal
    .flatMap((value) => [value, ...value.split(/[\s._@-]+/)])
    .map((word) => word.normalize('NFKC').toLowerCase().replace(/\s+/g, ''))
    .filter((word) => [...word].length >= 3);
}

/** How many characters of `text` are covered by occurrences of any of `words`. */
function coveredBy(text: string, words: readonly string[]): number {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const word of words) {
    let at = text.indexOf(word);
    while (at !== -1) {
      covered.fill(true, at, at + word.length);
      at = text.indexOf(word, at + 1);
    }
  }
  return covered.filter(Boolean).length;
}

function scoreOf(bits: number): StrengthScore {
  if (bits < 30) return 0;
  if (bits < 45) return 1;
  if (bits < 60) return 2;
  if (bits < 80) return 3;
  return 4;
}

/**
 * Estimates `password`: length and character variety give the raw entropy; repeated characters,
 * runs (abcd, 4321, qwer), common words and the user's own login or name count for almost nothing.
 */
export function estimatePasswordStrength(
  password: string,
  personal: readonly string[] = [],
  minLength = ADMIN_PASSWORD_MIN_LENGTH,
): PasswordStrength {
  const chars = [...password];
  if (chars.length === 0) return { score: 0, bits: 0, hints: [] };
  const hints = new Set<StrengthHint>();

  // Each character adds one "effective" character, unless it repeats the one before or continues a
  // run (abcd, 4321, qwer): then it adds little, and less the longer the pattern goes on.
  let effective = 0;
  let run: { kind: 'repeat' | 'step'; length: number } | null = null;
  chars.forEach((char, index) => {
    const previous = chars[index - 1];
    const kind =
      previous === undefined
        ? null
        : char === previous
          ? 'repeat'
          : isSequenceStep(previous.toLowerCase(), char.toLowerCase())
            ? 'step'
            : null;
    if (kind === null) {
      run = null;
      effective += 1;
      return;
    }
    run = run?.kind === kind ? { kind, length: run.length + 1 } : { kind, length: 1 };
    effective += run.length === 1 ? 0.4 : 0.1;
    // Three or more characters in a row (aaa, abc) are worth a hint.
    if (run.length >= 2) hints.add(kind === 'repeat' ? 'avoidRepeats' : 'avoidSequences');
  });

  // Known words are one guess each, whatever their length.
  const folded = password.normalize('NFKC').toLowerCase();
  const common = coveredBy(folded, COMMON_WORDS);
  if (common > 0) hints.add('avoidCommon');
  const own = coveredBy(folded, personalWords(personal));
  if (own > 0) hints.add('avoidPersonal');
  effective = Math.max(0, effective - (common + own) * 0.85);

  const { pool, classes } = poolSize(password);
  const bits = Math.round(effective * Math.log2(Math.max(pool, 10)));
  let score = scoreOf(bits);

  if (chars.length < minLength) {
    hints.add('tooShort');
    score = Math.min(score, 1) as StrengthScore;
  }
  if (classes === 1 && /^\p{ASCII}+$/u.test(password) && chars.length < 20) hints.add('addVariety');
  return { score, bits, hints: [...hints] };
}
