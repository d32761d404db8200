import { describe, expect, test } from 'vitest';
import { CheckSetupTokenInput, ERROR_CODES, ERROR_STATUS, ErrorResponse, isPermission, PERMISSIONS } from './index.js';

describe('contract', () => {
  test('every error code has an HTTP status, and statuses are errors', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });

  test('permissions are named module.entity.verb and labelled in both languages', () => {
    for (const [name, label] of Object.entries(PERMISSIONS)) {
      expect(name).toMatch(/^[a-z][a-z-]*\.[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(label.zh.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
    }
    expect(isPermission('system.info.read')).toBe(true);
    expect(isPermission('toString')).toBe(false);
    expect(isPermission('__proto__')).toBe(false);
  });

  test('request schemas are strict: unknown keys are rejected, not stripped (AC-04)', () => {
    const token = 'a'.repeat(43);
    expect(CheckSetupTokenInput.safeParse({ token }).success).toBe(true);
    const extra = CheckSetupTokenInput.safeParse({ token, role: 'admin' });
    expect(extra.success).toBe(false);
    expect(CheckSetupTokenInput.safeParse({ token: 'a'.repeat(42) }).success).toBe(false);
    expect(CheckSetupTokenInput.safeParse({ token: `${'a'.repeat(42)}=` }).success).toBe(false);
  });

  test('error responses have no room for stack traces', () => {
    const parsed = ErrorResponse.parse({ code: 'internal', message: 'x', requestId: 'r', stack: 'at foo' });
    expect(parsed).not.toHaveProperty('stack');
  });
});
