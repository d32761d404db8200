import { ERROR_CODES } from '@medledger/contract';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
    .sort();
}

function interpolations(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('translation resources', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zhCN));
  });

  it('every message is a non-empty string with the same placeholders in both languages', () => {
    const lookup = (tree: unknown, path: string): unknown =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
    for (const path of keyPaths(zhCN)) {
      const zh = lookup(zhCN, path);
      const english = lookup(en, path);
      expect(typeof zh, path).toBe('string');
      expect(typeof english, path).toBe('string');
      expect((zh as string).trim(), path).not.toBe('');
      expect((english as string).trim(), path).not.toBe('');
      expect(interpolations(english as string), path).toEqual(interpolations(zh as string));
    }
  });

  it('has a message for every API error code', () => {
    for (const code of ERROR_CODES) {
      expect(zhCN.errors[code], code).toBeTruthy();
      expect(en.errors[code], code).toBeTruthy();
    }
  });
});
