/**
 * Passwords (AUTH-02, 03, 04, 06, 07, 10): the policy check for new passwords, argon2id hashing and
 * verification behind a bounded queue, the dummy verification for unknown users, history and age.
 * Pure functions: no database, no clock, no logging. Decisions in docs/decisions/0010-password-policy.md.
 *
 * Passwords are used exactly as typed: no trimming, no case folding, no Unicode normalisation. The
 * UTF-8 bytes of the string are what argon2 sees, at set time and at verify time alike. Folding
 * (NFKC, lower case) is used only to compare a candidate with blocklists and context words.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnEn from '@zxcvbn-ts/language-en';
import { pinyin } from 'pinyin-pro';
import {
  CN_COMMON_PASSWORDS,
  CN_COMPOUND_SURNAMES,
  CN_PINYIN_WORDS,
  CN_SURNAMES,
  FREE_MAIL_DOMAINS,
  ORG_PLACE_PREFIXES_ZH,
  ORG_STOP_WORDS,
  ORG_SUFFIXES_ZH,
} from './identity.password-lists.js';

// ---------------------------------------------------------------------------------------------
// Types and constants
// ---------------------------------------------------------------------------------------------

/**
 * Password-policy profile (AUTH-03). `asvs` (default): length, blocklists, context words and
 * strength only. `dengbao` (等保 2.0 level 3 deployments): additionally 3 of 4 character classes,
 * a 90-day maximum age with a 14-day reminder, and no reuse of the last 5 passwords.
 */
export type PasswordProfile = 'asvs' | 'dengbao';

/** What is known about the account, for rejecting passwords built from it (AUTH-04). */
export type PasswordContext = {
  login: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  organisation?: string | null;
};

/** One reason a new password is refused, with text for the user in Chinese and English. */
export type PasswordProblem = {
  code: 'too_short' | 'too_long' | 'classes' | 'common' | 'context' | 'weak' | 'reused';
  zh: string;
  en: string;
};

/** Length limits in Unicode code points (AUTH-02): 12, 15 for privileged roles, at most 128. */
export const PASSWORD_LIMITS: { minLength: 12; privilegedMinLength: 15; maxLength: 128 } = Object.freeze({
  minLength: 12,
  privilegedMinLength: 15,
  maxLength: 128,
});

/** The additional rules of the `dengbao` profile (AUTH-03, parameter sheet D3). */
export const DENGBAO_RULES: {
  classesRequired: 3;
  maxAgeDays: 90;
  reminderDays: 14;
  historyCount: 5;
} = Object.freeze({ classesRequired: 3, maxAgeDays: 90, reminderDays: 14, historyCount: 5 });

/** Lowest zxcvbn score (0–4) a new password must reach (AUTH-04). */
export const ZXCVBN_MIN_SCORE = 3;

/** argon2id parameters for new hashes (AUTH-06); stored hashes below them are upgraded at login. */
export const HASH_PARAMS: {
  algorithm: 'argon2id';
  version: 19;
  memoryCost: 65536;
  timeCost: 3;
  parallelism: 1;
  outputLen: 32;
  saltLen: 16;
} = Object.freeze({
  algorithm: 'argon2id',
  version: 19,
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 1,
  outputLen: 32,
  saltLen: 16,
});

/** Concurrency bound for argon2 work (AUTH-07): 2 jobs per core on the 2-core reference machine. */
export const HASHING_LIMITS: { maxConcurrent: 4; maxQueue: 100 } = Object.freeze({
  maxConcurrent: 4,
  maxQueue: 100,
});

/**
 * Stored hashes whose cost exceeds these are refused without running argon2: a tampered row with
 * `m=4194304` must not make one login allocate 4 GiB.
 */
const VERIFY_CEILING = { memoryCost: 262_144, timeCost: 16, parallelism: 8 } as const;

/** `@node-rs/argon2`'s `Algorithm.Argon2id`; the enum is `const` and cannot be read under isolatedModules. */
const ARGON2ID = 2 as Algorithm;

/**
 * Target of {@link burnPasswordCheck}: an argon2id hash of 32 random bytes that were thrown away, at
 * the current parameters. No password verifies against it; it only costs the same as a real check.
 */
const DUMMY_PHC = '$argon2id$v=19$m=65536,t=3,p=1$74NRpR8q4soUGYyTHnGGGA$uEjPG7fbj+YrGJgZkM6kPtfHI6QD7zDV1n7LLbmLZSY';
if (
  !DUMMY_PHC.startsWith(
    `$argon2id$v=19$m=${HASH_PARAMS.memoryCost},t=${HASH_PARAMS.timeCost},p=${HASH_PARAMS.parallelism}$`,
  )
) {
  throw new Error('DUMMY_PHC must be regenerated with the current HASH_PARAMS (AUTH-10)');
}

// ---------------------------------------------------------------------------------------------
// Problems (messages)
// ---------------------------------------------------------------------------------------------

/**
 * The user-facing problem for `code`, in Chinese and English. `minLength` only matters for
 * `too_short`. Callers use it for `reused` after {@link isInHistory} returns true.
 */
export function passwordProblem(
  code: PasswordProblem['code'],
  minLength: number = PASSWORD_LIMITS.minLength,
): PasswordProblem {
  switch (code) {
    case 'too_short':
      return {
        code,
        zh: `密码至少需要 ${minLength} 个字符（空格、汉字和表情符号都算字符）。`,
        en: `Use at least ${minLength} characters (spaces, Chinese characters and emoji all count).`,
      };
    case 'too_long':
      return {
        code,
        zh: `密码不能超过 ${PASSWORD_LIMITS.maxLength} 个字符。`,
        en: `Use at most ${PASSWORD_LIMITS.maxLength} characters.`,
      };
    case 'classes':
      return {
        code,
        zh: '密码需包含大写字母、小写字母、数字、其他字符这四类中的至少三类。',
        en: 'Use at least three of these four: upper-case letters, lower-case letters, digits, other characters.',
      };
    case 'common':
      return {
        code,
        zh: '这个密码太常见，或出现在已泄露的密码库中，请换一个。',
        en: 'This password is too common or appears in lists of leaked passwords; choose another.',
      };
    case 'context':
      return {
        code,
        zh: '密码不能包含您的登录名、姓名或其拼音、手机号、邮箱名或单位名称。',
        en: 'Do not use your login, your name or its pinyin, your phone number, your e-mail name or your organisation’s name.',
      };
    case 'weak':
      return {
        code,
        zh: '这个密码容易被猜出。建议用几个互不相关的词组成一句较长的口令。',
        en: 'This password is easy to guess. A longer phrase of several unrelated words works well.',
      };
    case 'reused':
      return {
        code,
        zh: `不能使用最近 ${DENGBAO_RULES.historyCount} 次用过的密码。`,
        en: `Do not reuse any of your last ${DENGBAO_RULES.historyCount} passwords.`,
      };
  }
}

const INVALID_TEXT: PasswordProblem = {
  code: 'weak',
  zh: '密码包含无法识别的字符，请重新输入。',
  en: 'The password contains characters that are not valid text; type it again.',
};

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/** Code points, not UTF-16 units: `🔐` is 1, not 2. */
function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** False when the string holds an unpaired surrogate, which has no UTF-8 form of its own. */
function isWellFormed(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}

/** For comparisons only: full-width forms to ASCII, then lower case. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const HAN = /\p{Script=Han}/u;
const SEPARATORS = /[\s\-_.·,，。、]+/gu;
const NON_WORD = /[\s\p{P}\p{S}]+/gu;

/** A context word as compared: folded, without spaces, punctuation or symbols. */
function compactWord(s: string): string {
  return fold(s).replace(NON_WORD, '');
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};

function unleet(s: string, one: 'i' | 'l'): string {
  let out = '';
  for (const c of s) out += c === '1' ? one : (LEET[c] ?? c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strength estimator and blocklist: loaded once, on first use
// ---------------------------------------------------------------------------------------------

type Strength = {
  score: (password: string, userInputs: string[]) => number;
  blocklist: ReadonlySet<string>;
};

let strength: Strength | undefined;
let preload: Promise<void> | undefined;

/**
 * Builds zxcvbn and the blocklist the first time a password is checked. The dictionaries are large
 * (about 250 000 words, ~0.3 s to unpack), so nothing is loaded at import time. The CommonJS builds
 * are required synchronously so that {@link checkPasswordPolicy} can stay synchronous.
 */
function loadStrength(): Strength {
  if (strength !== undefined) return strength;
  const requireCjs = createRequire(import.meta.url);
  const core = requireCjs('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = requireCjs('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const en = requireCjs('@zxcvbn-ts/language-en') as typeof ZxcvbnEn;
  const factory = new core.ZxcvbnFactory({
    dictionary: {
      ...common.dictionary,
      ...en.dictionary,
      'passwords-cn': [...CN_COMMON_PASSWORDS],
      'pinyin-cn': [...CN_PINYIN_WORDS, ...CN_SURNAMES],
    },
    graphs: common.adjacencyGraphs,
    // Bounded work per call (~80 ms worst case measured): only the first 64 characters are
    // estimated, and l33t substitutions are capped. A long password is judged by its start.
    maxLength: 64,
    l33tMaxSubstitutions: 16,
  });
  const blocklist = new Set<string>();
  for (const list of [common.dictionary['passwords-common'], CN_COMMON_PASSWORDS, CN_PINYIN_WORDS]) {
    for (const word of list) blocklist.add(fold(word));
  }
  strength = { score: (password, userInputs) => factory.check(password, userInputs).score, blocklist };
  return strength;
}

/**
 * Loads the strength estimator and blocklists in the background (one module-level promise, however
 * often it is called), so that the first password change does not pay for it. Optional: the first
 * {@link checkPasswordPolicy} call loads them otherwise.
 */
export function preloadPasswordPolicy(): Promise<void> {
  preload ??= nextTurn().then(() => {
    loadStrength();
  });
  return preload;
}

/** Number of distinct entries in the offline blocklist (zxcvbn common passwords + Chinese lists). */
export function passwordBlocklistSize(): number {
  return loadStrength().blocklist.size;
}

// ---------------------------------------------------------------------------------------------
// Context words (AUTH-04)
// ---------------------------------------------------------------------------------------------

/** Longest context input looked at; longer fields are cut (bounded work). */
const CONTEXT_FIELD_MAX = 200;

const COMPOUND_SURNAMES = new Set(CN_COMPOUND_SURNAMES);
const ORG_STOP = new Set(ORG_STOP_WORDS);
const FREE_MAIL = new Set(FREE_MAIL_DOMAINS);
const ORG_SUFFIXES = [...ORG_SUFFIXES_ZH].sort((a, b) => b.length - a.length);
const ORG_PLACES = [...ORG_PLACE_PREFIXES_ZH].sort((a, b) => b.length - a.length);

function hanOnly(s: string): string {
  let out = '';
  for (const c of s) if (HAN.test(c)) out += c;
  return out;
}

/** Toneless pinyin syllables, `ü` written `v`. */
function syllables(han: string, asName: boolean): string[] {
  return pinyin(han, { toneType: 'none', type: 'array', v: true, surname: asName ? 'head' : 'off' }).map((s) =>
    s.toLowerCase(),
  );
}

/** `lv` is also written `lu` and, in passports, `lyu`. */
function withUmlautSpellings(word: string): string[] {
  return word.includes('v') ? [word, word.replaceAll('v', 'u'), word.replaceAll('v', 'yu')] : [word];
}

function letterRuns(s: string, min: number): string[] {
  return (fold(s).match(/\p{L}+/gu) ?? []).filter((w) => !HAN.test(w) && codePointLength(w) >= min);
}

function digitRuns(s: string, min: number): string[] {
  return (fold(s).match(/\p{Nd}+/gu) ?? []).filter((w) => w.length >= min);
}

function nameWords(name: string): string[] {
  const words = [compactWord(name)];
  const han = [...hanOnly(name)];
  if (han.length >= 2) {
    const syl = syllables(han.join(''), true);
    const surnameLength = han.length >= 3 && COMPOUND_SURNAMES.has(han[0]! + han[1]!) ? 2 : 1;
    const surname = syl.slice(0, surnameLength).join('');
    const given = syl.slice(surnameLength).join('');
    const forms = [surname + given, given + surname];
    if (given.length >= 4) forms.push(given);
    const initials = syl.map((s) => s.charAt(0)).join('');
    if (initials.length >= 3) forms.push(initials);
    for (const form of forms) words.push(...withUmlautSpellings(form));
  }
  const latin = letterRuns(name, 1);
  words.push(...latin.filter((w) => w.length >= 4));
  if (latin.length >= 2) words.push(latin.join(''), [...latin].reverse().join(''));
  return words;
}

function stripOrgSuffixes(han: string): string {
  let core = han;
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of ORG_SUFFIXES) {
      if (core.endsWith(suffix) && core.length - suffix.length >= 2) {
        core = core.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return core;
}

function organisationWords(organisation: string): string[] {
  const words = [compactWord(organisation)];
  const han = hanOnly(organisation);
  if (han.length >= 2) {
    const variants = new Set([han]);
    const core = stripOrgSuffixes(han);
    variants.add(core);
    for (const place of ORG_PLACES) {
      if (core.startsWith(place) && core.length - place.length >= 2) variants.add(core.slice(place.length));
      if (core.endsWith(place) && core.length - place.length >= 2) variants.add(core.slice(0, -place.length));
    }
    for (const variant of variants) {
      const syl = syllables(variant, false);
      words.push(variant, syl.join(''));
      const initials = syl.map((s) => s.charAt(0)).join('');
      if (initials.length >= 3) words.push(initials);
    }
  }
  const latin = letterRuns(organisation, 1).filter((w) => !ORG_STOP.has(w));
  words.push(...latin.filter((w) => w.length >= 3));
  if (latin.length >= 2) words.push(latin.join(''));
  return words;
}

function phoneWords(phone: string): string[] {
  let digits = fold(phone).replace(/\D/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  if (digits.length < 6) return [];
  return [digits, digits.slice(-8), digits.slice(-6)];
}

function emailWords(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at >= 0 ? email.slice(0, at) : email).split('+')[0] ?? '';
  const words = [compactWord(local), ...letterRuns(local, 4), ...digitRuns(local, 5)];
  if (at >= 0) {
    const label = compactWord(email.slice(at + 1).split('.')[0] ?? '');
    if (label.length >= 4 && !FREE_MAIL.has(label)) words.push(label);
  }
  return words;
}

/** Short words would reject too much: 2 Han characters (a name), 4 digits, 3 other characters. */
function isUsefulContextWord(word: string): boolean {
  if (HAN.test(word)) return codePointLength(word) >= 2;
  if (/^\p{Nd}+$/u.test(word)) return word.length >= 4;
  return codePointLength(word) >= 3;
}

/**
 * The context words a password must not contain (AUTH-04), folded and without punctuation: the
 * login, the name and its pinyin (张伟 → `zhangwei`, `weizhang`; initials when 3 letters or more),
 * the phone number and its last 8 and 6 digits, the e-mail name (and a company mail domain), the
 * organisation's name, its distinctive part without place and legal form, and their pinyin.
 * Also the user inputs given to zxcvbn; a client-side strength meter can use the same list.
 */
export function passwordContextWords(context: PasswordContext): string[] {
  const cut = (s: string | null | undefined): string => [...(s ?? '')].slice(0, CONTEXT_FIELD_MAX).join('');
  const login = cut(context.login);
  const words = [compactWord(login), ...letterRuns(login, 4), ...digitRuns(login, 5)];
  if (login.includes('@')) words.push(...emailWords(login));
  words.push(...nameWords(cut(context.name)));
  if (context.phone) words.push(...phoneWords(cut(context.phone)));
  if (context.email) words.push(...emailWords(cut(context.email)));
  if (context.organisation) words.push(...organisationWords(cut(context.organisation)));
  return [...new Set(words.filter(isUsefulContextWord))].sort();
}

function containsContextWord(password: string, words: readonly string[]): boolean {
  const folded = fold(password);
  const plain = folded.replace(NON_WORD, '');
  const leetI = unleet(folded, 'i').replace(NON_WORD, '');
  const leetL = unleet(folded, 'l').replace(NON_WORD, '');
  return words.some((word) =>
    /\p{L}/u.test(word) ? plain.includes(word) || leetI.includes(word) || leetL.includes(word) : plain.includes(word),
  );
}

// ---------------------------------------------------------------------------------------------
// Blocklist candidates (AUTH-04)
// ---------------------------------------------------------------------------------------------

/** At most this many characters of digits and symbols are peeled off the ends (`woaini1314!`). */
const MAX_STRIPPED = 8;

/** The shortest unit the whole string repeats (`qq123456qq123456` → `qq123456`), or undefined. */
function repeatedUnit(s: string): string | undefined {
  const period = (s + s).indexOf(s, 1);
  return period > 0 && period < s.length ? s.slice(0, period) : undefined;
}

/**
 * The forms of a password compared with the blocklist: as typed (folded), without separators,
 * without a short run of symbols or digits-and-symbols at either end, and the repeated unit.
 */
function blocklistCandidates(password: string): Set<string> {
  const folded = fold(password);
  const candidates = new Set<string>([folded]);
  for (const form of new Set([folded, folded.replace(SEPARATORS, '')])) {
    const bare = form.replace(/^[\p{P}\p{S}\s]+/u, '').replace(/[\p{P}\p{S}\s]+$/u, '');
    const core = bare.replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
    for (const candidate of [form, bare, core]) {
      if (codePointLength(form) - codePointLength(candidate) > MAX_STRIPPED) continue;
      if (codePointLength(candidate) < 4) continue;
      candidates.add(candidate);
      const unit = repeatedUnit(candidate);
      if (unit !== undefined && codePointLength(unit) >= 4) candidates.add(unit);
    }
  }
  return candidates;
}

// ---------------------------------------------------------------------------------------------
// The policy check
// ---------------------------------------------------------------------------------------------

type CharacterClass = 'upper' | 'lower' | 'digit' | 'other';

/** Character classes for `dengbao`: anything not an upper-/lower-case letter or digit is "other" (汉字, spaces, emoji). */
function characterClasses(password: string): Set<CharacterClass> {
  const classes = new Set<CharacterClass>();
  for (const c of password) {
    if (/\p{Lu}/u.test(c)) classes.add('upper');
    else if (/\p{Ll}/u.test(c)) classes.add('lower');
    else if (/\p{Nd}/u.test(c)) classes.add('digit');
    else classes.add('other');
  }
  return classes;
}

/**
 * Checks a new or changed password against the policy (AUTH-02, 03, 04). Returns every problem
 * found, in a fixed order; `[]` means acceptable. The password is judged exactly as typed.
 *
 * - `too_long` (over 128 code points) is returned alone: longer input is not analysed further.
 * - `too_short`: under 12 code points, 15 when `privileged`.
 * - `classes` (`dengbao` only): fewer than 3 of upper, lower, digit, other.
 * - `common`: in the offline blocklist, also after removing a short run of digits/symbols at the
 *   ends or as a repetition of a listed password (case-insensitive).
 * - `context`: contains a word from {@link passwordContextWords} (also with common l33t swaps).
 * - `weak`: zxcvbn score below 3 with the context words as user inputs; reported only when neither
 *   `common` nor `context` already explains it. An ill-formed string (unpaired surrogate) is `weak`.
 *
 * Synchronous; the first call loads the dictionaries (see {@link preloadPasswordPolicy}).
 */
export function checkPasswordPolicy(
  password: string,
  options: { profile: PasswordProfile; privileged: boolean; context: PasswordContext },
): PasswordProblem[] {
  const { maxLength } = PASSWORD_LIMITS;
  const minLength = options.privileged ? PASSWORD_LIMITS.privilegedMinLength : PASSWORD_LIMITS.minLength;
  // A code point is one or two UTF-16 units, so more than 2 × max units is over the limit for sure.
  if (password.length > 2 * maxLength || codePointLength(password) > maxLength) {
    return [passwordProblem('too_long', minLength)];
  }
  if (!isWellFormed(password)) return [INVALID_TEXT];

  const problems: PasswordProblem[] = [];
  if (codePointLength(password) < minLength) problems.push(passwordProblem('too_short', minLength));
  if (options.profile === 'dengbao' && characterClasses(password).size < DENGBAO_RULES.classesRequired) {
    problems.push(passwordProblem('classes', minLength));
  }

  const { blocklist, score } = loadStrength();
  let explained = false;
  for (const candidate of blocklistCandidates(password)) {
    if (blocklist.has(candidate)) {
      problems.push(passwordProblem('common', minLength));
      explained = true;
      break;
    }
  }
  const contextWords = passwordContextWords(options.context);
  if (containsContextWord(password, contextWords)) {
    problems.push(passwordProblem('context', minLength));
    explained = true;
  }
  if (!explained && password.length > 0 && score(password, contextWords) < ZXCVBN_MIN_SCORE) {
    problems.push(passwordProblem('weak', minLength));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Bounded hashing queue (AUTH-07)
// ---------------------------------------------------------------------------------------------

/**
 * Thrown when the hashing queue is full (AUTH-07). The caller answers 503 with `Retry-After`; it is
 * not a failed login and must not count towards lockout.
 */
export class HashingBusyError extends Error {
  constructor() {
    super('Too many password checks are in progress; try again shortly.');
    this.name = 'HashingBusyError';
  }
}

/**
 * A counting semaphore with a bounded FIFO queue: at most `maxConcurrent` jobs run, at most
 * `maxQueue` wait, and any further job is refused at once with {@link HashingBusyError}.
 */
export class HashingLimiter {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  #active = 0;
  #peak = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(maxConcurrent: number, maxQueue: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError('maxConcurrent must be ≥ 1');
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new RangeError('maxQueue must be ≥ 0');
    this.maxConcurrent = maxConcurrent;
    this.maxQueue = maxQueue;
  }

  /** Runs `job` when a slot is free; rejects immediately with {@link HashingBusyError} when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await job();
    } finally {
      this.#release();
    }
  }

  /** Jobs running now, jobs waiting, and the most that ever ran at once (for metrics and tests). */
  stats(): { active: number; queued: number; peakActive: number } {
    return { active: this.#active, queued: this.#waiting.length, peakActive: this.#peak };
  }

  /** Resets `peakActive` to the current number of running jobs. */
  resetPeak(): void {
    this.#peak = this.#active;
  }

  #acquire(): Promise<void> {
    if (this.#active < this.maxConcurrent) {
      this.#active += 1;
      this.#peak = Math.max(this.#peak, this.#active);
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.maxQueue) return Promise.reject(new HashingBusyError());
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#active -= 1;
    else next(); // the slot passes straight to the next waiter
  }
}

/**
 * The process-wide limiter every argon2 call here goes through. Exported for health metrics
 * (`stats()`) and tests; run nothing else in it.
 */
export const passwordHashingLimiter = new HashingLimiter(HASHING_LIMITS.maxConcurrent, HASHING_LIMITS.maxQueue);

// ---------------------------------------------------------------------------------------------
// Hashing and verification (AUTH-06, AUTH-10)
// ---------------------------------------------------------------------------------------------

type PhcParams = { memoryCost: number; timeCost: number; parallelism: number; saltLen: number; outputLen: number };

const PHC = /^\$argon2id\$v=19\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,88})\$([A-Za-z0-9+/]{16,88})$/;

/** Parses an argon2id v=19 PHC string strictly; undefined for anything else or beyond the ceiling. */
function parsePhc(phc: unknown): PhcParams | undefined {
  if (typeof phc !== 'string') return undefined;
  const m = PHC.exec(phc);
  if (m === null) return undefined;
  const params: PhcParams = {
    memoryCost: Number(m[1]),
    timeCost: Number(m[2]),
    parallelism: Number(m[3]),
    saltLen: Math.floor((m[4]!.length * 3) / 4),
    outputLen: Math.floor((m[5]!.length * 3) / 4),
  };
  if (params.memoryCost < 8 * params.parallelism || params.timeCost < 1 || params.parallelism < 1) return undefined;
  if (
    params.memoryCost > VERIFY_CEILING.memoryCost ||
    params.timeCost > VERIFY_CEILING.timeCost ||
    params.parallelism > VERIFY_CEILING.parallelism
  ) {
    return undefined;
  }
  return params;
}

/** True when a stored hash is weaker than {@link HASH_PARAMS} or uses another lane count. */
function belowCurrent(p: PhcParams): boolean {
  return (
    p.memoryCost < HASH_PARAMS.memoryCost ||
    p.timeCost < HASH_PARAMS.timeCost ||
    p.parallelism !== HASH_PARAMS.parallelism ||
    p.saltLen < HASH_PARAMS.saltLen ||
    p.outputLen < HASH_PARAMS.outputLen
  );
}

/** Runs argon2 verify in the limiter; false for any error but {@link HashingBusyError}. */
async function limitedVerify(phc: string, password: string): Promise<boolean> {
  const bytes = Buffer.from(password, 'utf8');
  try {
    return await passwordHashingLimiter.run(() => argon2Verify(phc, bytes));
  } catch (err) {
    if (err instanceof HashingBusyError) throw err;
    return false;
  } finally {
    bytes.fill(0);
  }
}

/**
 * Hashes a password with argon2id, m = 65536 KiB, t = 3, p = 1 and a 16-byte salt from the OS
 * CSPRNG (AUTH-06). Returns the PHC string `$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>`. The
 * password's UTF-8 bytes are hashed exactly as given. Check the policy first: this only refuses
 * ill-formed strings (TypeError) and passwords over 128 code points (RangeError).
 * Throws {@link HashingBusyError} when the hashing queue is full.
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || !isWellFormed(password)) {
    throw new TypeError('password must be a well-formed Unicode string');
  }
  if (password.length > 2 * PASSWORD_LIMITS.maxLength || codePointLength(password) > PASSWORD_LIMITS.maxLength) {
    throw new RangeError(`password is longer than ${PASSWORD_LIMITS.maxLength} code points`);
  }
  const bytes = Buffer.from(password, 'utf8');
  try {
    return await passwordHashingLimiter.run(() =>
      argon2Hash(bytes, {
        algorithm: ARGON2ID,
        memoryCost: HASH_PARAMS.memoryCost,
        timeCost: HASH_PARAMS.timeCost,
        parallelism: HASH_PARAMS.parallelism,
        outputLen: HASH_PARAMS.outputLen,
        salt: randomBytes(HASH_PARAMS.saltLen),
      }),
    );
  } finally {
    bytes.fill(0);
  }
}

/**
 * Verifies a password against a stored PHC string (argon2 compares in constant time). Never throws
 * for a malformed, non-argon2id or absurdly expensive stored hash: it answers `ok: false` after the
 * same work as a real check. `needsRehash` is true only when `ok` and the stored parameters are
 * below {@link HASH_PARAMS} (or use p ≠ 1): the caller then stores `hashPassword(password)` (AUTH-06).
 * Throws {@link HashingBusyError} when the hashing queue is full; that is not a failed attempt.
 */
export async function verifyPassword(phc: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
  const params = parsePhc(phc);
  if (params === undefined || typeof password !== 'string' || !isWellFormed(password)) {
    await burnPasswordCheck(typeof password === 'string' ? password : '');
    return { ok: false, needsRehash: false };
  }
  const ok = await limitedVerify(phc, password);
  return { ok, needsRehash: ok && belowCurrent(params) };
}

/**
 * Does the work of one real verification, against a fixed dummy hash at the current parameters,
 * and discards the result: call it for an unknown login so that both cases cost the same (AUTH-10).
 * Goes through the same queue, so it also throws {@link HashingBusyError} when the queue is full.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  await limitedVerify(DUMMY_PHC, password);
}

/**
 * True when `password` matches one of `previousHashes` (the `dengbao` history, AUTH-03: pass the
 * last {@link DENGBAO_RULES.historyCount} hashes, current one included). Malformed entries never
 * match. Checks run one after another so one password change holds at most one hashing slot.
 */
export async function isInHistory(password: string, previousHashes: readonly string[]): Promise<boolean> {
  for (const phc of previousHashes) {
    if ((await verifyPassword(phc, password)).ok) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Age (AUTH-03)
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/**
 * Password age under the profile. `asvs`: never expires. `dengbao`: expires 90 days after
 * `changedAt` (`expired` from that instant on) and `remind` is true during the 14 days before.
 * An invalid date counts as expired (fail closed).
 */
export function passwordAge(
  profile: PasswordProfile,
  changedAt: Date,
  now: Date,
): { expired: boolean; remind: boolean; expiresAt: Date | null } {
  if (profile === 'asvs') return { expired: false, remind: false, expiresAt: null };
  const changed = changedAt.getTime();
  const at = now.getTime();
  if (!Number.isFinite(changed) || !Number.isFinite(at)) return { expired: true, remind: false, expiresAt: null };
  const expires = changed + DENGBAO_RULES.maxAgeDays * DAY_MS;
  const expired = at >= expires;
  const remind = !expired && at >= expires - DENGBAO_RULES.reminderDays * DAY_MS;
  return { expired, remind, expiresAt: new Date(expires) };
}
