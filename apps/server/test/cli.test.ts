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
