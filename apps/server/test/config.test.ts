import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { ENV_NAMES, loadConfig } from '../src/config.js';
import { main } from '../src/main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('configuration', () => {
  test('defaults with no configuration at all: ./data, port 8443, embedded SQLite, no secrets needed', () => {
    const r = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.dataDir).toBe('/srv/app/data');
    expect(r.config.httpsPort).toBe(8443);
    expect(r.config.httpPort).toBeUndefined();
    expect(r.config.database).toEqual({ dialect: 'sqlite', file: '/srv/app/data/medledger.sqlite' });
    expect(r.config.publicUrl).toBe('https://localhost:8443');
    expect(r.config.trustedProxies).toEqual([]);
  });

  test('MEDLEDGER_* variables are read under their documented names; postgres:// switches the database', () => {
    const r = loadConfig({
      env: {
        MEDLEDGER_DATA_DIR: '/var/lib/medledger',
        MEDLEDGER_HTTPS_PORT: '9443',
        MEDLEDGER_HTTP_PORT: '8080',
        MEDLEDGER_DATABASE_URL: 'postgres://app:pw@db.internal:5432/medledger',
        MEDLEDGER_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10',
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      dataDir: '/var/lib/medledger',
      httpsPort: 9443,
      httpPort: 8080,
      database: { dialect: 'postgres', url: 'postgres://app:pw@db.internal:5432/medledger' },
      trustedProxies: ['10.0.0.0/8', '192.168.1.10'],
      publicUrl: 'https://localhost:9443',
    });
  });

  test('AC-11 management networks: loopback by default; a list of addresses and ranges; bad or empty lists refused', () => {
    const r = loadConfig({ env: {} });
    expect(r.ok && r.config.adminNetworks).toEqual(['127.0.0.1', '::1']);
    expect(r.ok && r.config.adminMfa).toBe('any');
    const set = loadConfig({
      env: { MEDLEDGER_ADMIN_NETWORKS: '10.20.0.0/16, 192.0.2.7, fd00::/8', MEDLEDGER_ADMIN_MFA: 'passkey' },
    });
    expect(set.ok && set.config.adminNetworks).toEqual(['10.20.0.0/16', '192.0.2.7', 'fd00::/8']);
    expect(set.ok && set.config.adminMfa).toBe('passkey');
    for (const [name, bad] of [
      ['MEDLEDGER_ADMIN_NETWORKS', '10.0.0.0/33'],
      ['MEDLEDGER_ADMIN_NETWORKS', 'intranet'],
      ['MEDLEDGER_ADMIN_NETWORKS', ' , '],
      ['MEDLEDGER_ADMIN_MFA', 'sms'],
    ] as const) {
      const refused = loadConfig({ env: { [name]: bad } });
      expect(refused.ok, `${name}=${bad}`).toBe(false);
      if (!refused.ok) expect(refused.problems.join('\n')).toContain(name);
    }
  });

  test('FILE-01 FILE-02 uploads: 10 MiB by default, 1–20 MiB allowed, stored in <data>/files, never inside the web UI folder', () => {
    const r = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(r.ok && r.config.uploadMaxMb).toBe(10);
    expect(r.ok && r.config.filesDir).toBe('/srv/app/data/files');
    expect(loadConfig({ env: { MEDLEDGER_UPLOAD_MAX_MB: '20' } }).ok).toBe(true);
    for (const bad of ['0', '21', '5.5', '10MB']) {
      const refused = loadConfig({ env: { MEDLEDGER_UPLOAD_MAX_MB: bad } });
      expect(refused.ok, bad).toBe(false);
      if (!refused.ok) expect(refused.problems.join('\n')).toMatch(/MEDLEDGER_UPLOAD_MAX_MB \(uploadMaxMb\)/);
    }
    const inside = loadConfig({ env: { MEDLEDGER_WEB_DIR: '/srv/app' }, cwd: '/srv/app' });
    expect(inside.ok).toBe(false);
    if (!inside.ok) expect(inside.problems.join('\n')).toMatch(/MEDLEDGER_WEB_DIR \(webDir\): .*files/);
    expect(loadConfig({ env: { MEDLEDGER_WEB_DIR: '/srv/web' }, cwd: '/srv/app' }).ok).toBe(true);
  });

  test('every problem is reported at once, each naming its variable', () => {
    const r = loadConfig({
      env: {
        MEDLEDGER_HTTPS_PORT: 'eighty',
        MEDLEDGER_DATABASE_URL: 'mysql://x',
        MEDLEDGER_TRUSTED_PROXIES: '10.0.0.0/99',
        MEDLEDGER_TLS_CERT_FILE: '/nonexistent/cert.pem',
        MEDLEDGER_LOGLEVEL: 'debug',
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    expect(text).toMatch(/MEDLEDGER_HTTPS_PORT \(httpsPort\): must be a whole number/);
    expect(text).toMatch(/MEDLEDGER_DATABASE_URL \(databaseUrl\): must start with postgres:\/\//);
    expect(text).toMatch(/MEDLEDGER_TRUSTED_PROXIES \(trustedProxies\): must be an IP address or CIDR/);
    expect(text).toMatch(/MEDLEDGER_LOGLEVEL: unknown setting/);
    expect(text).toMatch(/set both the TLS certificate file and the TLS key file/);
    expect(r.problems.length).toBeGreaterThanOrEqual(5);
  });

  test('a config file is read, validated strictly, and overridden by the environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medledger-cfg-'));
    const file = path.join(dir, 'medledger.json');
    writeFileSync(file, JSON.stringify({ httpsPort: 10443, dataDir: 'store', unknownKey: 1 }));
    const bad = loadConfig({ env: {}, configFile: file, cwd: dir });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.join('\n')).toMatch(/unknown setting\(s\): unknownKey/);
    writeFileSync(file, JSON.stringify({ httpsPort: 10443, dataDir: 'store' }));
    const good = loadConfig({ env: { MEDLEDGER_HTTPS_PORT: '11443' }, configFile: file, cwd: dir });
    expect(good.ok && good.config.httpsPort).toBe(11443);
    expect(good.ok && good.config.dataDir).toBe(path.join(dir, 'store'));
    writeFileSync(file, '{ not json');
    const broken = loadConfig({ env: {}, configFile: file, cwd: dir });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]).toMatch(/not valid JSON/);
  });

  test('`medledger config check` with two bad settings prints both problems and exits non-zero', async () => {
    const saved = { ...process.env };
    try {
      process.env.MEDLEDGER_HTTPS_PORT = '70000';
      process.env.MEDLEDGER_DATABASE_URL = 'oracle://nope';
      const c = capture();
      const code = await main(['node', 'medledger', 'config', 'check'], c.io);
      expect(code).toBe(1);
      const err = c.err.join('');
      expect(err).toMatch(/2 configuration problem\(s\)/);
      expect(err).toMatch(/MEDLEDGER_HTTPS_PORT/);
      expect(err).toMatch(/MEDLEDGER_DATABASE_URL/);
      delete process.env.MEDLEDGER_HTTPS_PORT;
      delete process.env.MEDLEDGER_DATABASE_URL;
      const ok = capture();
      expect(await main(['node', 'medledger', 'config', 'check'], ok.io)).toBe(0);
      expect(ok.out.join('')).toMatch(/Configuration is valid/);
    } finally {
      process.env = saved;
    }
  });

  test('`medledger serve` refuses to start on bad configuration, listing the problems', async () => {
    const saved = { ...process.env };
    try {
      process.env.MEDLEDGER_HTTPS_PORT = '0';
      process.env.MEDLEDGER_HTTP_PORT = 'x';
      const c = capture();
      expect(await main(['node', 'medledger', 'serve'], c.io)).toBe(2);
      expect(c.err.join('')).toMatch(/cannot start: 2 configuration problem/);
    } finally {
      process.env = saved;
    }
  });

  test('AUTH-15 the http SMS provider needs an https:// gateway URL and an existing secret file; outbox needs nothing', () => {
    const bad = loadConfig({
      env: { MEDLEDGER_SMS_PROVIDER: 'http', MEDLEDGER_SMS_GATEWAY_URL: 'http://10.0.0.5/sms' },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.join('\n')).toMatch(/MEDLEDGER_SMS_GATEWAY_URL \(smsGatewayUrl\): must be an https:\/\/ URL/);
    expect(bad.problems.join('\n')).toMatch(/MEDLEDGER_SMS_GATEWAY_SECRET_FILE \(smsGatewaySecretFile\): required/);
    const missing = loadConfig({
      env: {
        MEDLEDGER_SMS_PROVIDER: 'http',
        MEDLEDGER_SMS_GATEWAY_URL: 'https://sms-bridge.internal/send',
        MEDLEDGER_SMS_GATEWAY_SECRET_FILE: '/nonexistent/sms.secret',
      },
    });
    expect(missing.ok).toBe(false);
    const outbox = loadConfig({ env: { MEDLEDGER_SMS_PROVIDER: 'outbox' } });
    expect(outbox.ok && outbox.config.smsProvider).toBe('outbox');
    expect(loadConfig({ env: { MEDLEDGER_SMS_PROVIDER: 'carrier-pigeon' } }).ok).toBe(false);
  });

  test('every setting and every command group is documented in the README', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const name of Object.values(ENV_NAMES)) {
      const documented = readme.includes(name) || readme.includes(`…${name.slice(name.lastIndexOf('_'))}`);
      expect(documented, name).toBe(true);
    }
    for (const command of [
      'serve',
      'migrate',
      'config check',
      'admin setup-token',
      'audit verify',
      'audit export',
      'audit verify-bundle',
      'keys rotate',
      'keys rewrap',
      'keys retire',
      'backup create',
      'backup verify',
      'backup restore',
    ]) {
      expect(readme, command).toContain(`medledger ${command}`);
    }
  });

  test('--version and --help on every command exit 0', async () => {
    const v = capture();
    expect(await main(['node', 'medledger', '--version'], v.io)).toBe(0);
    expect(v.out.join('')).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [
      [],
      ['serve'],
      ['migrate'],
      ['config'],
      ['config', 'check'],
      ['admin'],
      ['admin', 'setup-token'],
    ]) {
      const h = capture();
      expect(await main(['node', 'medledger', ...args, '--help'], h.io), args.join(' ')).toBe(0);
      expect(h.out.join(''), args.join(' ')).toMatch(/Usage: medledger/);
    }
    const bad = capture();
    expect(await main(['node', 'medledger', 'frobnicate'], bad.io)).not.toBe(0);
  });
});
