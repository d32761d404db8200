import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../src/main.js';
import { createTestDatabase, testDialect } from './harness.js';

/**
 * The `medledger` command line end to end, on this project's database: every command runs the
 * real code against a real data directory, as an operator would run it.
 */
let dir: string;
let drop: (() => Promise<void>) | undefined;
const saved = { ...process.env };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) },
    out,
    err,
    text: () => out.join('') + err.join(''),
  };
}

async function run(...args: string[]): Promise<{ code: number; text: string }> {
  const c = capture();
  const code = await main(['node', 'medledger', ...args], c.io);
  return { code, text: c.text() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'medledger-cli-'));
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('MEDLEDGER_') && !k.startsWith('MEDLEDGER_TEST_') && !k.startsWith('MEDLEDGER_REQUIRE_')) {
      delete process.env[k];
    }
  }
  process.env.MEDLEDGER_DATA_DIR = path.join(dir, 'data');
  process.env.MEDLEDGER_AUDIT_CHECKPOINT_EVENTS = '3';
  if (testDialect() === 'postgres') {
    const db = await createTestDatabase('postgres');
    await db.handle.close();
    drop = db.drop;
    process.env.MEDLEDGER_DATABASE_URL = db.handle.postgresUrl!;
  }
});

afterAll(async () => {
  process.env = saved;
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe(`the medledger command on ${testDialect()}`, () => {
  test('migrate, then setup-token issues a one-time link and audits it', async () => {
    const m = await run('migrate');
    expect(m.code).toBe(0);
    expect(m.text).toMatch(/Database is up to date/);
    const s = await run('admin', 'setup-token');
    expect(s.code, s.text).toBe(0);
    expect(s.text).toMatch(/setup#token=[A-Za-z0-9_-]{43}/);
    expect(existsSync(path.join(dir, 'data', 'keys', 'master.key'))).toBe(true);
  });

  test('LOG-05 audit verify passes, export writes a bundle that verify-bundle accepts, and a changed byte is refused', async () => {
    const v = await run('audit', 'verify');
    expect(v.code, v.text).toBe(0);
    expect(v.text).toMatch(/Audit trail intact/);
    const bundle = path.join(dir, 'evidence.json');
    const e = await run('audit', 'export', '--out', bundle);
    expect(e.code, e.text).toBe(0);
    const key = /Checkpoint signing key: \S+ (\S+)/.exec(e.text)?.[1];
    expect(key).toBeDefined();
    const ok = await run('audit', 'verify-bundle', bundle, '--key', key!);
    expect(ok.code, ok.text).toBe(0);
    expect(ok.text).toMatch(/Bundle verified/);
    const text = readFileSync(bundle, 'utf8');
    const i = text.indexOf('keys.key.created');
    expect(i).toBeGreaterThan(0);
    writeFileSync(bundle, text.slice(0, i) + 'X' + text.slice(i + 1));
    const bad = await run('audit', 'verify-bundle', bundle);
    expect(bad.code).toBe(1);
    expect(bad.text).toMatch(/FAILED/);
    const wrongKey = await run('audit', 'verify-bundle', bundle, '--key', 'AAAA');
    expect(wrongKey.code).toBe(1);
  });

  test('BCK-01 backup create, verify and restore into an empty directory; the restored audit trail verifies', async () => {
    const backups = path.join(dir, 'backups');
    const c = await run('backup', 'create', '--to', backups);
    expect(c.code, c.text).toBe(0);
    const file = path.join(
      backups,
      readdirSync(backups).find((f) => f.endsWith('.mlbk'))!,
    );
    const v = await run('backup', 'verify', file);
    expect(v.code, v.text).toBe(0);
    if (testDialect() === 'sqlite') {
      const target = path.join(dir, 'restored');
      const r = await run('backup', 'restore', file, '--data-dir', target);
      expect(r.code, r.text).toBe(0);
      expect(existsSync(path.join(target, 'medledger.sqlite'))).toBe(true);
    }
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
    const corrupt = path.join(dir, 'corrupt.mlbk');
    writeFileSync(corrupt, bytes);
    const cv = await run('backup', 'verify', corrupt);
    expect(cv.code).toBe(1);
    const cr = await run('backup', 'restore', corrupt, '--data-dir', path.join(dir, 'restored-2'));
    expect(cr.code).toBe(1);
  });

  test('CRY-04 keys status, rotate, rewrap and retire from the command line', async () => {
    const status = await run('keys', 'status');
    expect(status.code, status.text).toBe(0);
    const rotate = await run('keys', 'rotate');
    expect(rotate.code, rotate.text).toBe(0);
    expect(rotate.text).toMatch(/2/);
    const rewrap = await run('keys', 'rewrap');
    expect(rewrap.code, rewrap.text).toBe(0);
    const current = await run('keys', 'retire', '--key-version', '2');
    expect(current.code).toBe(1);
    const old = await run('keys', 'retire', '--key-version', '1');
    expect(old.code, old.text).toBe(0);
    const verify = await run('audit', 'verify');
    expect(verify.code, verify.text).toBe(0);
  });

  test('AUTH-21 admin enable names an unknown login and exits 1', async () => {
    const r = await run('admin', 'enable', '--login', 'nobody.here');
    expect(r.code).toBe(1);
    expect(r.text).toContain('No account has the login nobody.here.');
  });

  test('every command and group answers --help', async () => {
    for (const args of [
      ['admin', 'enable'],
      ['audit'],
      ['audit', 'verify'],
      ['audit', 'export'],
      ['audit', 'verify-bundle'],
      ['backup'],
      ['backup', 'create'],
      ['backup', 'verify'],
      ['backup', 'restore'],
    ]) {
      const h = await run(...args, '--help');
      expect(h.code, args.join(' ')).toBe(0);
      expect(h.text).toMatch(/Usage: medledger/);
    }
  });
});

describe('medledger udi parse: no database, configuration or keys', () => {
  const gtin = '09506000134352';
  const scan = `]d201${gtin}112503011727030010LOT-7\x1d21SN42`;

  test('VAL-01 prints issuer, UDI-DI, packaging level, lot, serial and dates, one per line', async () => {
    const r = await run('udi', 'parse', scan.replace('\x1d', '^'));
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(/^Issuer \(发码机构\):\s+GS1 — GS1 \(GS1 China, prefixes 690–699, and GS1 worldwide\)$/m);
    expect(r.text).toMatch(/^UDI-DI \(产品标识\):\s+09506000134352$/m);
    expect(r.text).toMatch(/^Packaging level \(包装层级\):\s+0$/m);
    expect(r.text).toMatch(/^Lot \(批号\):\s+LOT-7$/m);
    expect(r.text).toMatch(/^Serial \(序列号\):\s+SN42$/m);
    expect(r.text).toMatch(/^Production date \(生产日期\):\s+2025-03-01$/m);
    expect(r.text).toMatch(/^Expiry date \(失效日期\):\s+2027-03-31 \(day not given: end of the month\)$/m);
  });

  test('VAL-01 --json prints the parsed UDI; --stdin reads raw bytes with ASCII 29 separators', async () => {
    const c = capture();
    const io = { ...c.io, readStdin: () => Promise.resolve(Buffer.from(`${scan}\n`, 'latin1')) };
    const code = await main(['node', 'medledger', 'udi', 'parse', '--stdin', '--json'], io);
    expect(code, c.text()).toBe(0);
    const udi = JSON.parse(c.out.join('')) as Record<string, unknown>;
    expect(udi).toMatchObject({
      issuer: 'GS1',
      raw: scan,
      symbology: ']d2',
      di: gtin,
      lot: 'LOT-7',
      serial: 'SN42',
      expiryDate: '2027-03-31',
      expiryDayUnspecified: true,
      normalised: `(01)${gtin}(11)250301(17)270300(10)LOT-7(21)SN42`,
    });
    const both = await run('udi', 'parse', scan, '--stdin');
    expect(both.code).toBe(2);
    const none = await run('udi', 'parse');
    expect(none.code).toBe(2);
  });

  test('VAL-01 VAL-10 a bad check digit exits 1 naming the AI and the position', async () => {
    const c = capture();
    const code = await main(['node', 'medledger', 'udi', 'parse', `]d201${gtin.slice(0, 13)}417270331`], c.io);
    expect(code).toBe(1);
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toBe(
      'Not a valid UDI (invalid_check_digit): AI (01) at position 3: check digit should be 2, found 4\n',
    );
  });

  test('VAL-01 a bad date exits 1 with the reason; --json puts the error on stderr', async () => {
    const r = await run('udi', 'parse', `]d201${gtin}17251332`);
    expect(r.code).toBe(1);
    expect(r.text).toContain('AI (17) at position 19: 251332 is not a valid date (month 13)');
    const c = capture();
    const code = await main(['node', 'medledger', 'udi', 'parse', `01${gtin}17250229`, '--json'], c.io);
    expect(code).toBe(1);
    expect(JSON.parse(c.err.join(''))).toEqual({
      error: {
        code: 'invalid_date',
        message: 'AI (17) at position 16: 250229 is not a valid date (day 29: February 2025 has 28 days)',
        ai: '17',
        position: 16,
      },
    });
  });

  test('works on a fresh machine: no MEDLEDGER settings, nothing created on disk; MA codes too', async () => {
    const before = { ...process.env };
    const fresh = path.join(dir, 'never-created');
    for (const k of Object.keys(process.env)) if (k.startsWith('MEDLEDGER_')) delete process.env[k];
    process.env.MEDLEDGER_DATA_DIR = fresh;
    process.env.MEDLEDGER_CONFIG = path.join(fresh, 'missing.json');
    try {
      const r = await run('udi', 'parse', 'MA.156.M0.100204.13351764.Sx00008.M220117.L20220117.E220130.C3');
      expect(r.code, r.text).toBe(0);
      expect(r.text).toMatch(/^UDI-DI \(产品标识\):\s+MA\.156\.M0\.100204\.13351764$/m);
      expect(r.text).toMatch(/^Lot \(批号\):\s+20220117$/m);
      expect(existsSync(fresh)).toBe(false);
      const help = await run('udi', 'parse', '--help');
      expect(help.code).toBe(0);
      expect(help.text).toMatch(/Usage: medledger udi parse/);
    } finally {
      process.env = before;
    }
  });
});
