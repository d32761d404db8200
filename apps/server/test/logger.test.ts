import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, REDACTED, redactDeep } from '../src/platform/logger.js';

describe('LOG-02 log redaction', () => {
  test('sensitive field names are redacted at any depth', () => {
    const input = {
      login: 'zhang.wei',
      password: 'x',
      nested: { newPassword: 'y', smsOtp: '123456', idCardNo: '110101199003070000', list: [{ phone: '13800000000' }] },
      headers: { cookie: 'a', authorization: 'b' },
      apiToken: 't',
    };
    expect(redactDeep(input)).toEqual({
      login: 'zhang.wei',
      password: REDACTED,
      nested: { newPassword: REDACTED, smsOtp: REDACTED, idCardNo: REDACTED, list: [{ phone: REDACTED }] },
      headers: { cookie: REDACTED, authorization: REDACTED },
      apiToken: REDACTED,
    });
  });

  test('LOG-03 the logger writes redacted JSON lines; ATK-LOGI newlines stay inside one escaped field', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const log = createLogger({ level: 'info', destination: sink });
    log.info({ user: { password: 'hunter2hunter2' }, login: 'admin\r\n{"level":30,"msg":"login success"}' }, 'attempt');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry.user).toEqual({ password: REDACTED });
    expect(entry.login).toBe('admin\r\n{"level":30,"msg":"login success"}');
    expect(lines[0]).not.toContain('hunter2');
  });
});
