import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_MIN_LENGTH, estimatePasswordStrength } from './password-strength';

describe('password strength estimate', () => {
  it('rates nothing typed as 0 without hints', () => {
    expect(estimatePasswordStrength('')).toEqual({ score: 0, bits: 0, hints: [] });
  });

  it('rates long passphrases and random strings as strong', () => {
    expect(estimatePasswordStrength('correct horse battery staple').score).toBe(4);
    expect(estimatePasswordStrength('blue-Tiger-river-47').score).toBe(4);
    expect(estimatePasswordStrength('k9#Lm2$pQ7vX!wZ4').score).toBe(4);
    expect(estimatePasswordStrength('k9#Lm2$pQ7vX!wZ4').hints).toEqual([]);
  });

  it('caps anything shorter than the administrator minimum at 1, however varied', () => {
    const short = estimatePasswordStrength('k9#Lm2$pQ7vX!w');
    expect([...'k9#Lm2$pQ7vX!w'].length).toBeLessThan(ADMIN_PASSWORD_MIN_LENGTH);
    expect(short.score).toBeLessThanOrEqual(1);
    expect(short.hints).toContain('tooShort');
  });

  it('counts length in code points, so Chinese passphrases are measured like the server does', () => {
    expect(estimatePasswordStrength('医疗器械公司的仓库钥匙在三楼').hints).toContain('tooShort');
    const long = estimatePasswordStrength('医疗器械公司的仓库钥匙放在三楼东侧');
    expect(long.hints).not.toContain('tooShort');
    expect(long.score).toBeGreaterThanOrEqual(3);
  });

  it('sees through repeats, runs and keyboard walks', () => {
    expect(estimatePasswordStrength('aaaaaaaaaaaaaaaa')).toMatchObject({
      score: 0,
      hints: ['avoidRepeats', 'addVariety'],
    });
    expect(estimatePasswordStrength('abcdefghijklmnop').hints).toContain('avoidSequences');
    expect(estimatePasswordStrength('9876543210zyxwvu').score).toBe(0);
    expect(estimatePasswordStrength('1qaz2wsx3edc4rfv').score).toBeLessThanOrEqual(1);
  });

  it('counts common passwords and words as almost nothing', () => {
    const result = estimatePasswordStrength('password12345678');
    expect(result.score).toBe(0);
    expect(result.hints).toContain('avoidCommon');
    expect(estimatePasswordStrength('Woaini5201314!!!').hints).toContain('avoidCommon');
  });

  it('counts the login and the name as almost nothing', () => {
    const result = estimatePasswordStrength('zhang.san.zhangsan', ['zhang.san', '张三']);
    expect(result.hints).toContain('avoidPersonal');
    expect(result.score).toBeLessThanOrEqual(1);
    // Parts of the login are found too, and short context words are ignored.
    expect(estimatePasswordStrength('river-Zhang-47-lantern', ['zhang.san']).hints).toContain('avoidPersonal');
    expect(estimatePasswordStrength('river-Zhang-47-lantern', ['li', 'x']).hints).not.toContain('avoidPersonal');
  });

  it('suggests variety only for short single-class ASCII passwords', () => {
    expect(estimatePasswordStrength('lanternorchardvio').hints).toContain('addVariety');
    expect(estimatePasswordStrength('lanternorchardvioletferry').hints).not.toContain('addVariety');
    expect(estimatePasswordStrength('Lanternorchardvi').hints).not.toContain('addVariety');
  });
});
