import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { CN_COMMON_PASSWORDS, CN_COMPOUND_SURNAMES, CN_PINYIN_WORDS, CN_SURNAMES } from './identity.password-lists.js';
import {
  burnPasswordCheck,
  checkPasswordPolicy,
  DENGBAO_RULES,
  HASH_PARAMS,
  hashPassword,
  HashingBusyError,
  HashingLimiter,
  isInHistory,
  passwordAge,
  passwordBlocklistSize,
  passwordContextWords,
  passwordHashingLimiter,
  PASSWORD_LIMITS,
  passwordProblem,
  preloadPasswordPolicy,
  verifyPassword,
  type PasswordContext,
  type PasswordProblem,
  type PasswordProfile,
} from './identity.password.js';

const ZHANG: PasswordContext = {
  login: 'zhangwei88',
  name: '张伟',
  phone: '+86 138-0013-8000',
  email: 'zhang.wei@kangda-med.com',
  organisation: '上海康达医疗器械有限公司',
};
const LV: PasswordContext = {
  login: 'lxm',
  name: '吕小明',
  phone: null,
  email: '1234567890@qq.com',
  organisation: 'Acme Medical Devices Co., Ltd.',
};

/** 120 random characters, fixed so that no run can flake on a chance context-word hit. */
const RANDOM_120 =
  'UDmnXMNUpWXBz8t8=??np+WBciJtn%rD#Z+DeyNEUdT8Bn%B+mW?ZBYm4p@VjL8UzN9he2yWa64k#YihdarsyKS3wnsaNjgk3UYzjVGexJ%+VpBpYVWXTEY%';
const PASSPHRASE = 'Vermilion quokka juggles 47 anvils';
/** argon2id at the OWASP floor (m=19456, t=2): the kind of hash an older release would have stored. */
const LEGACY_PASSWORD = 'Legacy passphrase from 2019 ✓';
const LEGACY_PHC = '$argon2id$v=19$m=19456,t=2,p=1$dByDx0ieOHKP2BvauGoa9Q$I2I+yJNlXU0LaZqc9Xalwd+vOpbQ5Syz5KyAx528ubI';
const FOUR_LANES_PHC =
  '$argon2id$v=19$m=65536,t=3,p=4$av+L6NE0dBdtkuDB4b6g7w$BMBAnUWmzUTG+jGb8rgUkbNvSXdd08CAP2m6evMpWwI';
const ARGON2I_PHC = '$argon2i$v=19$m=65536,t=3,p=1$6NVnAfeqEHQWb0LNx9wv5w$cn5UUEyqeoAtSNP6n72t7MyjttdtAuEpgoQR2ppOsgo';

function codes(
  password: string,
  context: PasswordContext = ZHANG,
  profile: PasswordProfile = 'asvs',
  privileged = false,
): PasswordProblem['code'][] {
  return checkPasswordPolicy(password, { profile, privileged, context }).map((p) => p.code);
}

/** A random lower-case base32 string: 5 bits per character from the CSPRNG. */
function randomBase32(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(length)].map((b) => alphabet[b % 32]).join('');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function elapsed(job: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await job();
  return performance.now() - start;
}

describe('AUTH-02 length in code points, any Unicode, byte-exact', () => {
  test('11 code points rejected, 12 accepted; emoji count once, not as two UTF-16 units', () => {
    expect(codes('Kx9#mQ2vLp7')).toEqual(['too_short']);
    expect(codes('Kx9#mQ2vLp7R')).toEqual([]);
    const elevenWithEmoji = 'Kx9#mQ2vLp🔐';
    expect(elevenWithEmoji.length).toBe(12);
    expect(codes(elevenWithEmoji)).toContain('too_short');
    expect(codes('Kx9#mQ2vLp🔐R')).toEqual([]);
  });

  test('privileged roles need 15 code points', () => {
    expect(codes('Kx9#mQ2vLp7Rw4', ZHANG, 'asvs', true)).toEqual(['too_short']);
    expect(codes('Kx9#mQ2vLp7Rw4Z', ZHANG, 'asvs', true)).toEqual([]);
    const problem = checkPasswordPolicy('Kx9#mQ2vLp7R', { profile: 'asvs', privileged: true, context: ZHANG })[0];
    expect(problem?.en).toContain('15');
    expect(problem?.zh).toContain('15');
  });

  test('128 code points accepted, 129 rejected (also when made of astral characters)', () => {
    const max = RANDOM_120 + '🔐✓密码测试🐼é';
    expect([...max].length).toBe(PASSWORD_LIMITS.maxLength);
    expect(max.length).toBeGreaterThan(PASSWORD_LIMITS.maxLength);
    expect(codes(max)).toEqual([]);
    expect(codes(max + 'x')).toEqual(['too_long']);
    expect(codes('🔐'.repeat(129))).toEqual(['too_long']);
    expect(codes('x'.repeat(100_000))).toEqual(['too_long']);
  });

  test('`密码 测试 🔐…` round-trips through hash and verify; trailing space, case and NFC/NFD all differ', async () => {
    const unicode = '密码 测试 🔐 长城上的一句话 ✓';
    expect(codes(unicode)).toEqual([]);
    const phc = await hashPassword(unicode);
    expect(await verifyPassword(phc, unicode)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword(phc, unicode.trim() + ' ')).ok).toBe(false);
    expect((await verifyPassword(phc, unicode.replace('🔐', '🔒'))).ok).toBe(false);

    const spaced = await hashPassword('Password1 ');
    expect((await verifyPassword(spaced, 'Password1 ')).ok).toBe(true);
    expect((await verifyPassword(spaced, 'Password1')).ok).toBe(false);
    expect((await verifyPassword(spaced, 'password1 ')).ok).toBe(false);

    const composed = 'Café crème brûlée 42'.normalize('NFC');
    const nfc = await hashPassword(composed);
    expect((await verifyPassword(nfc, composed.normalize('NFD'))).ok).toBe(false);
  });

  test('an unpaired surrogate is refused, never silently replaced', async () => {
    const broken = `Kx9#mQ2vLp7R\ud800`;
    expect(codes(broken)).toEqual(['weak']);
    await expect(hashPassword(broken)).rejects.toThrow(TypeError);
    await expect(hashPassword('x'.repeat(129))).rejects.toThrow(RangeError);
    const phc = await hashPassword('Kx9#mQ2vLp7R\ufffd');
    expect((await verifyPassword(phc, broken)).ok).toBe(false);
  });
});

describe('AUTH-03 composition and expiry per profile', () => {
  test('asvs has no composition rule; dengbao needs 3 of upper, lower, digit, other', () => {
    const lowerAndSpaces = 'vermilion quokka juggles anvils';
    expect(codes(lowerAndSpaces, ZHANG, 'asvs')).toEqual([]);
    expect(codes(lowerAndSpaces, ZHANG, 'dengbao')).toEqual(['classes']);
    expect(codes('Vermilion quokka juggles anvils', ZHANG, 'dengbao')).toEqual([]);
    expect(codes('vermilion quokka juggles 47 anvils', ZHANG, 'dengbao')).toEqual([]);
    expect(codes('Kx9mQ2vLp7Rw', ZHANG, 'dengbao')).toEqual([]);
    // 汉字, spaces and emoji count as "other"
    expect(codes('密码测试🔐长城上的一句话', ZHANG, 'dengbao')).toEqual(['classes']);
    expect(codes('密码测试🔐长城上的一句话42x', ZHANG, 'dengbao')).toEqual([]);
  });

  test('asvs passwords never expire', () => {
    const changedAt = new Date('2020-01-01T00:00:00Z');
    expect(passwordAge('asvs', changedAt, new Date('2030-01-01T00:00:00Z'))).toEqual({
      expired: false,
      remind: false,
      expiresAt: null,
    });
  });

  test('dengbao: 90-day maximum age, reminder from 14 days before (day 76), expired at day 91', () => {
    const changedAt = new Date('2026-03-01T08:00:00Z');
    const day = (n: number) => new Date(changedAt.getTime() + n * 86_400_000);
    expect(passwordAge('dengbao', changedAt, day(0))).toMatchObject({ expired: false, remind: false });
    expect(passwordAge('dengbao', changedAt, day(75))).toMatchObject({ expired: false, remind: false });
    expect(passwordAge('dengbao', changedAt, day(76))).toMatchObject({ expired: false, remind: true });
    expect(passwordAge('dengbao', changedAt, day(89))).toMatchObject({ expired: false, remind: true });
    expect(passwordAge('dengbao', changedAt, day(90))).toMatchObject({ expired: true, remind: false });
    expect(passwordAge('dengbao', changedAt, day(91))).toMatchObject({ expired: true, remind: false });
    expect(passwordAge('dengbao', changedAt, day(91)).expiresAt).toEqual(day(DENGBAO_RULES.maxAgeDays));
    expect(passwordAge('dengbao', new Date(Number.NaN), day(1))).toEqual({
      expired: true,
      remind: false,
      expiresAt: null,
    });
  });

  test('dengbao history: a recent password is found, a new one is not, malformed entries never match', async () => {
    const old = ['Autumn ledger 2025 #1', 'Spring ledger 2026 #2'];
    const history = [...(await Promise.all(old.map((p) => hashPassword(p)))), 'not a hash', LEGACY_PHC];
    expect(DENGBAO_RULES.historyCount).toBe(5);
    expect(await isInHistory('Spring ledger 2026 #2', history)).toBe(true);
    expect(await isInHistory(LEGACY_PASSWORD, history)).toBe(true);
    expect(await isInHistory('Winter ledger 2026 #3', history)).toBe(false);
    expect(await isInHistory('anything', [])).toBe(false);
    expect(passwordProblem('reused').en).toContain('5');
  });
});

describe('AUTH-04 blocklists, context words and strength', () => {
  test('well-known Chinese passwords are rejected as common', () => {
    expect(codes('123456')).toEqual(['too_short', 'common']);
    for (const password of ['woaini1314', 'qq123456', '1qaz2wsx', 'a123456', '5201314', 'zxcvbnm']) {
      expect(codes(password), password).toContain('common');
    }
  });

  test('common passwords stay common with case, symbols, suffixes and repetition', () => {
    for (const password of [
      'Woaini1314!',
      'WOAINI1314',
      '!!woaini1314!!',
      'qq123456qq123456',
      'woaini1314woaini1314',
      '1qaz2wsx3edc4rfv',
      'Password12345678',
      'iloveyou1314!!',
      'zhangwei19900101',
      'Ｗｏａｉｎｉ１３１４１３１４',
    ]) {
      expect(codes(password, LV), password).toContain('common');
    }
  });

  test('a short random suffix does not hide a common word; a long random one is judged by strength', () => {
    expect(codes('dragon1990!!', LV)).toContain('common');
    expect(codes('monkey83!7$29#1@4', LV)).toEqual([]);
  });

  test('<company>2024 is rejected, for Chinese (by pinyin) and Latin-script organisations', () => {
    expect(codes('Kangda2024!Kangda')).toContain('context');
    expect(codes('ShangHaiKangDa2024')).toContain('context');
    expect(codes('上海康达2024年加油')).toContain('context');
    expect(codes('AcmeMedical2024', LV)).toContain('context');
    expect(codes('acme@2024@acme', LV)).toContain('context');
  });

  test("the user's phone number, also its last 8 or 6 digits, is rejected", () => {
    expect(codes('13800138000abc')).toContain('context');
    expect(codes('tel 138-0013-8000 !')).toContain('context');
    expect(codes('Quokka 00138000 anvil')).toContain('context');
    expect(codes('Quokka-138000-anvil')).toContain('context');
  });

  test('the name, its pinyin (either order, l33t) and initials of 3+ letters are rejected; 2 letters are not', () => {
    expect(codes('张伟的密码很长很长很长')).toContain('context');
    expect(codes('Zhangwei@Quokka!')).toContain('context');
    expect(codes('WeiZhang-Quokka-99')).toContain('context');
    expect(codes('Zh4ngW31 juggles anvils')).toContain('context');
    expect(codes('Quokka lvxiaoming 47', LV)).toContain('context');
    expect(codes('Quokka lyuxiaoming 47', LV)).toContain('context');
    expect(codes('Quokka xiaoming 47!', LV)).toContain('context');
    expect(codes('lxm juggles 47 anvils', LV)).toContain('context');
    expect(passwordContextWords(ZHANG)).not.toContain('zw');
    expect(codes('zw juggles 47 anvils')).toEqual([]);
  });

  test('login, e-mail name and a company mail domain inside the password are rejected', () => {
    expect(codes('my zhangwei88 secret!')).toContain('context');
    expect(codes('Z.H.A.N.G.W.E.I 47 anvils')).toContain('context');
    expect(codes('kangdamed juggles 47 anvils')).toContain('context');
    expect(codes('Quokka 1234567890 juggles', LV)).toContain('context');
    expect(passwordContextWords(LV)).not.toContain('qq');
  });

  test('context words: pinyin with surname readings, compound surnames, organisation core', () => {
    expect(passwordContextWords({ login: 'sxx', name: '单雄信' })).toContain('shanxiongxin');
    const ouyang = passwordContextWords({ login: 'oy', name: '欧阳娜娜' });
    expect(ouyang).toEqual(expect.arrayContaining(['ouyangnana', 'nanaouyang', 'nana', 'oynn']));
    expect(passwordContextWords(ZHANG)).toEqual(
      expect.arrayContaining(['zhangwei', 'weizhang', 'kangda', 'shanghaikangda', '康达', '13800138000', '00138000']),
    );
    expect(passwordContextWords(LV)).toEqual(expect.arrayContaining(['acme', 'lvxiaoming', 'luxiaoming', 'lxm']));
    expect(passwordContextWords(LV)).not.toContain('medical');
  });

  test('guessable passwords not on any list are rejected by the zxcvbn score', () => {
    expect(codes('aaaaaaaaaaaa')).toEqual(['weak']);
    expect(codes('abcabcabcabc')).toEqual(['weak']);
    expect(codes('1234567890123')).not.toEqual([]);
  });

  test('strong passphrases and random strings are accepted', () => {
    expect(codes(PASSPHRASE)).toEqual([]);
    expect(codes(PASSPHRASE, LV, 'dengbao', true)).toEqual([]);
    for (let i = 0; i < 5; i += 1) {
      const random = randomBase32(20);
      expect(codes(random), random).toEqual([]);
    }
  });

  test('offline lists: ≥ 3000 entries in all, Chinese list of several hundred, normalised and unique', async () => {
    await preloadPasswordPolicy();
    expect(preloadPasswordPolicy()).toBe(preloadPasswordPolicy());
    expect(passwordBlocklistSize()).toBeGreaterThanOrEqual(40_000);
    expect(CN_COMMON_PASSWORDS.length + CN_PINYIN_WORDS.length).toBeGreaterThanOrEqual(600);
    for (const list of [CN_COMMON_PASSWORDS, CN_PINYIN_WORDS, CN_SURNAMES, CN_COMPOUND_SURNAMES]) {
      expect(new Set(list).size).toBe(list.length);
      for (const word of list) expect(word).toBe(word.normalize('NFKC').toLowerCase());
    }
  });
});

describe('AUTH-06 argon2id storage and upgrade on login', () => {
  test('hash is a PHC string with m=65536, t=3, p=1, 16-byte salt, 32-byte output; salted', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSPHRASE), hashPassword(PASSPHRASE)]);
    expect(a.startsWith('$argon2id$v=19$m=65536,t=3,p=1$')).toBe(true);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(HASH_PARAMS).toMatchObject({ memoryCost: 65536, timeCost: 3, parallelism: 1 });
    expect(await verifyPassword(a, PASSPHRASE)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(a, PASSPHRASE + '!')).toEqual({ ok: false, needsRehash: false });
  });

  test('a seeded m=19456,t=2 hash verifies and asks for a rehash; so does p=4', async () => {
    expect(await verifyPassword(LEGACY_PHC, LEGACY_PASSWORD)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword(LEGACY_PHC, 'Legacy passphrase from 2019')).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(FOUR_LANES_PHC, 'Four lanes are not our budget')).toEqual({
      ok: true,
      needsRehash: true,
    });
    const upgraded = await hashPassword(LEGACY_PASSWORD);
    expect(await verifyPassword(upgraded, LEGACY_PASSWORD)).toEqual({ ok: true, needsRehash: false });
  });

  test('malformed, foreign or absurdly expensive stored hashes never throw and never match', async () => {
    const bad: unknown[] = [
      '',
      'garbage',
      '$2b$10$abcdefghijklmnopqrstuuMm2c8ZHr8O1cd1Dd3VTh8TWaQbYlPku',
      ARGON2I_PHC,
      LEGACY_PHC.replace('v=19', 'v=16'),
      LEGACY_PHC.slice(0, -10),
      LEGACY_PHC + '$',
      LEGACY_PHC.replace('m=19456', 'm=4194304'),
      LEGACY_PHC.replace('t=2', 't=100000'),
      null,
      undefined,
      42,
    ];
    for (const phc of bad) {
      expect(await verifyPassword(phc as string, LEGACY_PASSWORD), String(phc)).toEqual({
        ok: false,
        needsRehash: false,
      });
    }
  });
});

describe('AUTH-07 bounded hashing concurrency', () => {
  test('150 concurrent jobs: at most 4 run, 100 wait, the other 46 get HashingBusyError at once', async () => {
    const limiter = new HashingLimiter(4, 100);
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const order: number[] = [];
    const job = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      order.push(i);
      running -= 1;
      return i;
    };
    const started = performance.now();
    const settled = Array.from({ length: 150 }, (_, i) =>
      limiter.run(job(i)).then(
        (value) => ({ value }),
        (error: unknown) => ({ error, at: performance.now() - started }),
      ),
    );
    const busy = (await Promise.all(settled.slice(104))) as { error: unknown; at: number }[];
    expect(busy.every((r) => r.error instanceof HashingBusyError)).toBe(true);
    expect(Math.max(...busy.map((r) => r.at))).toBeLessThan(100);
    expect(limiter.stats()).toMatchObject({ active: 4, queued: 100 });

    while (order.length < 104) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.splice(0).forEach((open) => open());
    }
    const done = await Promise.all(settled.slice(0, 104));
    expect(done.map((r) => (r as { value: number }).value)).toEqual(Array.from({ length: 104 }, (_, i) => i));
    expect(peak).toBe(4);
    expect(limiter.stats()).toEqual({ active: 0, queued: 0, peakActive: 4 });
    expect(order.slice(4)).toEqual(Array.from({ length: 100 }, (_, i) => i + 4));
  });

  test('a failing job frees its slot', async () => {
    const limiter = new HashingLimiter(1, 1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(7))).resolves.toBe(7);
    expect(limiter.stats().active).toBe(0);
  });

  test('the module queue (4 running + 100 waiting) makes hash, verify and burn answer busy quickly', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blockers = Array.from({ length: 104 }, () => passwordHashingLimiter.run(() => gate));
    expect(passwordHashingLimiter.stats()).toMatchObject({ active: 4, queued: 100 });
    const start = performance.now();
    await expect(hashPassword(PASSPHRASE)).rejects.toBeInstanceOf(HashingBusyError);
    await expect(verifyPassword(LEGACY_PHC, LEGACY_PASSWORD)).rejects.toBeInstanceOf(HashingBusyError);
    await expect(verifyPassword('garbage', 'x')).rejects.toBeInstanceOf(HashingBusyError);
    await expect(burnPasswordCheck('x')).rejects.toBeInstanceOf(HashingBusyError);
    expect(performance.now() - start).toBeLessThan(100);
    release();
    await Promise.all(blockers);
    expect(passwordHashingLimiter.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  test('real argon2 work through the module queue never exceeds 4 at once', async () => {
    passwordHashingLimiter.resetPeak();
    const hashes = await Promise.all(Array.from({ length: 10 }, (_, i) => hashPassword(`${PASSPHRASE} ${i}`)));
    expect(new Set(hashes).size).toBe(10);
    expect(passwordHashingLimiter.stats().peakActive).toBe(4);
  });
});

describe('AUTH-10 unknown users cost the same as known ones', () => {
  test('burnPasswordCheck takes about as long as a real verify (medians, generous bound)', async () => {
    const phc = await hashPassword(PASSPHRASE);
    await verifyPassword(phc, 'warm-up');
    await burnPasswordCheck('warm-up');
    const real: number[] = [];
    const burn: number[] = [];
    const malformed: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      real.push(await elapsed(() => verifyPassword(phc, `wrong ${i}`)));
      burn.push(await elapsed(() => burnPasswordCheck(`wrong ${i}`)));
      malformed.push(await elapsed(() => verifyPassword('garbage', `wrong ${i}`)));
    }
    // Same order of time: within a factor of 3 either way, so a busy CI machine cannot flake it.
    const ratio = median(burn) / median(real);
    expect(ratio, `burn ${median(burn)} ms vs verify ${median(real)} ms`).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
    const malformedRatio = median(malformed) / median(real);
    expect(malformedRatio).toBeGreaterThan(1 / 3);
    expect(malformedRatio).toBeLessThan(3);
  });

  test('burnPasswordCheck accepts any input and resolves to nothing', async () => {
    await expect(burnPasswordCheck('')).resolves.toBeUndefined();
    await expect(burnPasswordCheck('\ud800')).resolves.toBeUndefined();
  });
});

describe('problems carry Chinese and English text', () => {
  const all: PasswordProblem['code'][] = ['too_short', 'too_long', 'classes', 'common', 'context', 'weak', 'reused'];

  test.each(all)('%s has zh and en text', (code) => {
    const problem = passwordProblem(code);
    expect(problem.code).toBe(code);
    expect(problem.zh).toMatch(/\p{Script=Han}/u);
    expect(problem.en).toMatch(/^[A-Z]/);
  });

  test('every problem returned by the policy check has both texts', () => {
    const samples = ['', '123456', 'x'.repeat(129), 'aaaaaaaaaaaa', 'Kangda2024!Kangda', 'vermilion', '\ud800'];
    for (const password of samples) {
      for (const profile of ['asvs', 'dengbao'] as const) {
        const problems = checkPasswordPolicy(password, { profile, privileged: true, context: ZHANG });
        expect(problems.length).toBeGreaterThan(0);
        for (const problem of problems) {
          expect(problem.zh.length).toBeGreaterThan(0);
          expect(problem.en.length).toBeGreaterThan(0);
        }
      }
    }
  });
});
