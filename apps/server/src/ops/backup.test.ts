import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '../../test/harness.js';
import { recordDetached, sealOnce } from '../modules/audit/index.js';
import { storeUpload } from '../modules/files/index.js';
import { createDb } from '../platform/db/create-db.js';
import type { Database } from '../platform/db/database.js';
import { systemCtx } from '../platform/http/ctx.js';
import {
  backupCreateCommand,
  backupRestoreCommand,
  backupVerifyCommand,
  createBackup,
  findPgTool,
  loadBackupMasterKey,
  pruneBackups,
  restoreAndVerify,
  restoreBackup,
  runScheduledBackup,
  startBackupSchedule,
  verifyBackup,
  type BackupResult,
} from './backup.js';

const MASTER = randomBytes(32);
const TABLE_MARKER = `MLBK-PROBE-ROW-${randomBytes(8).toString('hex')}`;
const AUDIT_MARKER = `MLBK-PROBE-EVENT-${randomBytes(8).toString('hex')}`;
const FRAME = 64 * 1024 + 16;
const BACKUP_NAME = /^medledger-backup-\d{8}T\d{6}Z(-\d+)?\.mlbk$/;

let t: TestApp;
let scratch: string;
let backup: BackupResult;
let sourceCounts: Record<string, number>;
let sourceTreeSize: number;
let auditTables: string[];
let storedKey: string;
const cleanups: (() => Promise<void>)[] = [];

type Raw = Kysely<Record<string, Record<string, unknown>>>;
type Event = { action: string; outcome: string; resource: { type: string; id: string } | null; data: unknown };

/** Events read from their canonical JSON (the bytes the audit trail hashes), whatever the index columns. */
async function events(db: Kysely<Database>): Promise<Event[]> {
  const rows = await (db as unknown as Raw).selectFrom('audit_event').select(['canonical']).execute();
  return rows.map((r) => JSON.parse(String(r.canonical)) as Event);
}

async function tablesStartingWith(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const r =
    t.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
          db,
        );
  return r.rows.map((x) => x.name).filter((n) => n.startsWith(prefix));
}

async function countRows(db: Kysely<Database>, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    out[table] = Number(r.rows[0]?.n);
  }
  return out;
}

/** A fresh, empty restore target: a new data directory, and on PostgreSQL a new empty database. */
async function freshTarget(label: string): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = path.join(scratch, `${label}-${randomBytes(4).toString('hex')}`);
  if (t.dialect === 'sqlite') return { dataDir };
  const fresh = await createTestDatabase('postgres');
  cleanups.push(fresh.drop);
  return { dataDir, databaseUrl: fresh.handle.postgresUrl! };
}

function openRestored(target: { dataDir: string; databaseUrl?: string }) {
  return createDb(
    target.databaseUrl === undefined
      ? { dialect: 'sqlite', file: path.join(target.dataDir, 'medledger.sqlite') }
      : { dialect: 'postgres', url: target.databaseUrl },
  );
}

function capture() {
  const io = { out: '', err: '' };
  return {
    io,
    sink: {
      out: (s: string) => {
        io.out += s;
      },
      err: (s: string) => {
        io.err += s;
      },
    },
  };
}

/** Writes a modified copy of the backup and returns its path. */
function variant(name: string, change: (bytes: Buffer) => Buffer): string {
  const dir = path.join(scratch, 'variants');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.mlbk`);
  writeFileSync(file, change(Buffer.from(readFileSync(backup.file))));
  return file;
}

const payloadOffset = (bytes: Buffer) => bytes.indexOf(0x0a, 6) + 1;
const flip = (at: (bytes: Buffer) => number) => (bytes: Buffer) => {
  bytes[at(bytes)]! ^= 0x01;
  return bytes;
};

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'medledger-backup-test-'));
  t = await buildTestApp({
    masterKey: MASTER.toString('base64'),
    checkpointEvents: 4,
    beforeBuild: async (db) => {
      await sql`create table backup_probe (id text primary key, note text not null, filler text not null)`.execute(db);
      // Incompressible filler so that the payload spans several 64 KiB chunks on both databases.
      await sql`insert into backup_probe (id, note, filler)
        values ('p1', ${TABLE_MARKER}, ${randomBytes(400 * 1024).toString('base64')})`.execute(db);
    },
  });
  // Business traffic through the real app: each refused setup-token check is an audited request.
  for (let i = 0; i < 6; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup/token/check',
      payload: { token: 'A'.repeat(43) },
    });
    expect(r.statusCode).toBe(410);
  }
  await recordDetached(systemCtx(t.runtime, 'test'), {
    action: 'identity.setupToken.issued',
    outcome: 'success',
    resource: { type: 'probe', id: AUDIT_MARKER },
    data: { expiresAt: new Date().toISOString() },
  });
  // An uploaded document: its encrypted file lives outside the database, in <data>/files.
  const scan = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const stored = await storeUpload(systemCtx(t.runtime, 'test'), {
    bytes: scan,
    fileName: 'licence.pdf',
    owner: { kind: 'test.record', id: 'r1' },
  });
  storedKey = (
    await t.db.selectFrom('stored_file').select('storageKey').where('id', '=', stored.id).executeTakeFirstOrThrow()
  ).storageKey;
  sourceTreeSize = (await sealOnce(t.runtime, { forceCheckpoint: true })).treeSize;
  auditTables = await tablesStartingWith(t.db, 'audit_');
  sourceCounts = await countRows(t.db, auditTables);
  backup = await createBackup(t.runtime, { toDir: path.join(scratch, 'backups'), database: t.handle });
});

afterAll(async () => {
  for (const c of cleanups) await c();
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('BCK-01 encrypted backup: create and verify', () => {
  test('BCK-01 a backup is one 0600 file named by its UTC time, and verifies with the master key', async () => {
    expect(sourceCounts.audit_event).toBeGreaterThanOrEqual(7);
    expect(path.basename(backup.file)).toMatch(BACKUP_NAME);
    const st = statSync(backup.file);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(backup.bytes);
    expect(createHash('sha256').update(readFileSync(backup.file)).digest('hex')).toBe(backup.sha256);
    expect(Math.ceil((backup.bytes - payloadOffset(readFileSync(backup.file))) / FRAME)).toBeGreaterThanOrEqual(4);

    const r = await verifyBackup(backup.file, MASTER);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.dialect).toBe(t.dialect);
    const names = r.entries.map((e) => e.name);
    expect(names[0]).toBe('manifest.json');
    expect(names.at(-1)).toBe(t.dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump');
    const witness = readdirSync(t.witnessDir).sort();
    expect(names.filter((n) => n.startsWith('witness/'))).toEqual(witness.map((w) => `witness/${w}`));
    expect(witness).toContain('public-key.txt');

    const data = (await events(t.db)).filter((e) => e.action === 'backup.backup.created').map((e) => e.data);
    expect(data).toContainEqual({ file: backup.file, bytes: backup.bytes, sha256: backup.sha256 });
  });

  test('RES-01 the backup file holds no plaintext, no key, and no temporary files remain', () => {
    const bytes = readFileSync(backup.file);
    if (t.dialect === 'sqlite') {
      // The test has teeth: the live database does hold the marker in clear.
      t.handle.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(t.handle.sqlite!.name).includes(TABLE_MARKER)).toBe(true);
    }
    for (const needle of [TABLE_MARKER, AUDIT_MARKER, 'backup_probe', 'CREATE TABLE', 'http.request.rejected']) {
      expect(bytes.includes(needle), needle).toBe(false);
    }
    expect(bytes.includes(MASTER)).toBe(false);
    expect(bytes.includes(MASTER.toString('base64'))).toBe(false);
    expect(bytes.includes(MASTER.toString('hex'))).toBe(false);
    expect(readdirSync(path.dirname(backup.file))).toEqual([path.basename(backup.file)]);
  });

  test('RES-01 plaintext work files left by a crashed run are removed after an hour; a recent one is kept', async () => {
    const dir = path.join(scratch, 'stale');
    const oldWork = path.join(dir, '.medledger-backup-work-old123');
    const oldPartial = path.join(dir, '.medledger-backup-20260101T000000Z-0123456789ab.partial');
    const recentWork = path.join(dir, '.medledger-backup-work-new456');
    mkdirSync(oldWork, { recursive: true });
    mkdirSync(recentWork);
    writeFileSync(path.join(oldWork, 'database.sqlite'), 'plaintext');
    writeFileSync(path.join(recentWork, 'database.sqlite'), 'plaintext');
    writeFileSync(oldPartial, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const f of [path.join(oldWork, 'database.sqlite'), oldWork, oldPartial]) {
      utimesSync(f, twoHoursAgo, twoHoursAgo);
    }
    const made = await createBackup(t.runtime, { toDir: dir, database: t.handle });
    expect(readdirSync(dir).sort()).toEqual([recentWork, made.file].map((f) => path.basename(f)).sort());
  });
});

describe('BCK-01 a damaged, truncated or foreign backup is refused', () => {
  test('BCK-01 a flipped byte in the header, a middle chunk or the last tag fails with a clear problem', async () => {
    // A still well-formed header (another hex digit in a checksum): only the chunk AAD can notice.
    const headerDigit = variant('header-digit', (b) => {
      const at = b.indexOf('"sha256":"') + 12;
      b[at] = b[at] === 0x30 ? 0x31 : 0x30;
      return b;
    });
    const headerByte = variant(
      'header-byte',
      flip((b) => Math.floor((6 + payloadOffset(b)) / 2)),
    );
    const magic = variant(
      'magic',
      flip(() => 2),
    );
    const middle = variant(
      'middle-chunk',
      flip((b) => payloadOffset(b) + FRAME + 1000),
    );
    const lastTag = variant(
      'last-tag',
      flip((b) => b.length - 1),
    );

    const r1 = await verifyBackup(headerDigit, MASTER);
    expect(r1.ok).toBe(false);
    expect(r1.problems.join('\n')).toMatch(/chunk 0 of \d+ \(at byte \d+\) failed authentication/);
    const r2 = await verifyBackup(headerByte, MASTER);
    expect(r2.ok).toBe(false);
    expect(r2.problems.join('\n')).toMatch(/header|master key|failed authentication/);
    expect((await verifyBackup(magic, MASTER)).problems).toEqual([
      expect.stringMatching(/is not a MedLedger backup/) as string,
    ]);
    expect((await verifyBackup(middle, MASTER)).problems.join('\n')).toMatch(
      /chunk 1 of \d+ \(at byte \d+\) failed authentication: the file was altered or damaged there/,
    );
    expect((await verifyBackup(lastTag, MASTER)).problems.join('\n')).toMatch(
      /the last chunk .* failed authentication: the backup is truncated or was altered at its end/,
    );
  });

  test('BCK-01 truncation (mid-chunk, at a chunk boundary, inside the header) and reordered chunks fail', async () => {
    const midChunk = variant('truncated-mid', (b) => b.subarray(0, b.length - 1000));
    const boundary = variant('truncated-boundary', (b) => {
      const start = payloadOffset(b);
      const frames = Math.ceil((b.length - start) / FRAME);
      return b.subarray(0, start + (frames - 1) * FRAME);
    });
    const inHeader = variant('truncated-header', (b) => b.subarray(0, 60));
    const noPayload = variant('no-payload', (b) => b.subarray(0, payloadOffset(b)));
    const swapped = variant('swapped', (b) => {
      const s = payloadOffset(b);
      const first = Buffer.from(b.subarray(s, s + FRAME));
      b.copy(b, s, s + FRAME, s + 2 * FRAME);
      first.copy(b, s + FRAME);
      return b;
    });
    for (const file of [midChunk, boundary]) {
      const r = await verifyBackup(file, MASTER);
      expect(r.ok).toBe(false);
      expect(r.problems.join('\n')).toMatch(/truncated/);
    }
    expect((await verifyBackup(inHeader, MASTER)).problems.join('\n')).toMatch(/ends inside its header: .*truncated/);
    expect((await verifyBackup(noPayload, MASTER)).problems.join('\n')).toMatch(/payload is missing/);
    expect((await verifyBackup(swapped, MASTER)).problems.join('\n')).toMatch(
      /chunk 0 of \d+ .* failed authentication/,
    );
  });

  test('BCK-01 a backup opened with another master key is refused, naming the master key', async () => {
    const r = await verifyBackup(backup.file, randomBytes(32));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/another master key/) as string]);
    const { io, sink } = capture();
    expect(await backupVerifyCommand(sink, { file: backup.file, masterKey: randomBytes(32) })).toBe(1);
    expect(io.err).toMatch(/BACKUP VERIFICATION FAILED/);
    expect(io.err).toMatch(/another master key/);
    expect(io.err).toMatch(/make a new backup/);
  });
});

describe('BCK-01 restore', () => {
  test('BCK-01 restore into a fresh target: same audit rows, the restored audit trail verifies', async () => {
    const target = await freshTarget('restore');
    const report = await restoreAndVerify(backup.file, { masterKey: MASTER, ...target });
    expect(report.problems).toEqual([]);
    expect(report.audit.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.audit.treeSize).toBe(sourceTreeSize);
    expect(auditTables).toEqual(expect.arrayContaining(['audit_event', 'audit_leaf', 'audit_checkpoint']));
    for (const table of auditTables) {
      expect(
        report.rowCounts.find((r) => r.table === table),
        table,
      ).toEqual({
        table,
        expected: sourceCounts[table],
        restored: sourceCounts[table],
      });
    }
    expect(report.rowCounts.find((r) => r.table === 'backup_probe')).toMatchObject({ expected: 1, restored: 1 });

    // The witness copy came back byte for byte.
    const witnessDir = path.join(target.dataDir, 'witness');
    for (const entry of report.entries.filter((e) => e.name.startsWith('witness/'))) {
      const name = entry.name.slice('witness/'.length);
      expect(readFileSync(path.join(witnessDir, name))).toEqual(readFileSync(path.join(t.witnessDir, name)));
    }

    // The uploaded document's encrypted file came back byte for byte, still private.
    expect(report.manifest.storedFiles).toBe(1);
    const restoredFile = path.join(target.dataDir, 'files', storedKey);
    expect(readFileSync(restoredFile)).toEqual(readFileSync(path.join(t.filesDir, storedKey)));
    expect(statSync(restoredFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(restoredFile)).mode & 0o777).toBe(0o700);

    const restored = openRestored(target);
    try {
      const db = restored.db as unknown as Raw;
      const probe = await db.selectFrom('backup_probe').select(['note']).executeTakeFirstOrThrow();
      expect(probe.note).toBe(TABLE_MARKER);
      const all = await events(restored.db);
      expect(all.filter((e) => e.resource?.id === AUDIT_MARKER)).toHaveLength(1);
      expect(all.filter((e) => e.action === 'backup.backup.restored').map((e) => e.outcome)).toEqual(['success']);
      const after = await countRows(restored.db, ['audit_event']);
      expect(after.audit_event).toBeGreaterThan(sourceCounts.audit_event!);
    } finally {
      await restored.close();
    }

    // RES-01: nothing temporary is left in the data directory.
    const left = readdirSync(target.dataDir);
    expect(left.filter((n) => n.startsWith('.') || n.endsWith('.restore-partial'))).toEqual([]);
    expect(statSync(witnessDir).isDirectory()).toBe(true);
    if (t.dialect === 'sqlite') {
      expect(statSync(path.join(target.dataDir, 'medledger.sqlite')).mode & 0o777).toBe(0o600);
    }
  });

  test('BCK-01 a damaged backup is never restored: the target stays empty', async () => {
    const target = await freshTarget('restore-bad');
    const damaged = variant(
      'restore-damaged',
      flip((b) => payloadOffset(b) + 2 * FRAME + 5),
    );
    await expect(restoreBackup(damaged, { masterKey: MASTER, ...target })).rejects.toThrow(
      /failed verification and was not restored[\s\S]*chunk 2 of/,
    );
    const truncated = variant('restore-truncated', (b) => b.subarray(0, b.length - 3));
    await expect(restoreBackup(truncated, { masterKey: MASTER, ...target })).rejects.toThrow(/truncated/);
    await expect(restoreBackup(backup.file, { masterKey: randomBytes(32), ...target })).rejects.toThrow(
      /another master key/,
    );
    expect(existsSync(path.join(target.dataDir, 'medledger.sqlite'))).toBe(false);
    expect(existsSync(path.join(target.dataDir, 'witness'))).toBe(false);
    if (target.databaseUrl !== undefined) {
      const db = openRestored(target);
      try {
        const r = await sql<{
          n: number;
        }>`select count(*) as n from information_schema.tables where table_schema = 'public'`.execute(db.db);
        expect(Number(r.rows[0]?.n)).toBe(0);
      } finally {
        await db.close();
      }
    }
  });

  test('BCK-01 restoring into a non-empty target is refused', async () => {
    if (t.dialect === 'sqlite') {
      const dataDir = path.join(scratch, 'occupied-db');
      mkdirSync(dataDir);
      writeFileSync(path.join(dataDir, 'medledger.sqlite'), '');
      await expect(restoreBackup(backup.file, { masterKey: MASTER, dataDir })).rejects.toThrow(
        /target is not empty: .*medledger\.sqlite exists/,
      );
      await expect(
        restoreBackup(backup.file, {
          masterKey: MASTER,
          dataDir: path.join(scratch, 'x'),
          databaseUrl: 'postgres://u@127.0.0.1/db',
        }),
      ).rejects.toThrow(/holds a SQLite database/);
    } else {
      await expect(
        restoreBackup(backup.file, {
          masterKey: MASTER,
          dataDir: path.join(scratch, 'occupied-pg'),
          databaseUrl: t.handle.postgresUrl!,
        }),
      ).rejects.toThrow(/database is not empty \(it has tables in schema public\)/);
      await expect(restoreBackup(backup.file, { masterKey: MASTER, dataDir: path.join(scratch, 'x') })).rejects.toThrow(
        /holds a PostgreSQL database/,
      );
    }
    const target = await freshTarget('occupied-witness');
    mkdirSync(path.join(target.dataDir, 'witness'), { recursive: true });
    writeFileSync(path.join(target.dataDir, 'witness', 'checkpoint-000000000001.txt'), 'x');
    await expect(restoreBackup(backup.file, { masterKey: MASTER, ...target })).rejects.toThrow(
      /target is not empty: .*witness holds files/,
    );
    const withFiles = await freshTarget('occupied-files');
    mkdirSync(path.join(withFiles.dataDir, 'files', 'ab'), { recursive: true });
    writeFileSync(path.join(withFiles.dataDir, 'files', 'ab', 'x'), 'x');
    await expect(restoreBackup(backup.file, { masterKey: MASTER, ...withFiles })).rejects.toThrow(
      /target is not empty: .*files holds files/,
    );
  });

  test('BCK-01 a document whose file did not come back is reported by the restore check', async () => {
    const source = path.join(t.filesDir, storedKey);
    const aside = path.join(scratch, 'aside.bin');
    renameSync(source, aside);
    try {
      const lacking = await createBackup(t.runtime, {
        toDir: path.join(scratch, 'backups-lacking'),
        database: t.handle,
      });
      const target = await freshTarget('restore-missing-file');
      const report = await restoreAndVerify(lacking.file, { masterKey: MASTER, ...target });
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toMatch(/stored file .* is missing after the restore/);
    } finally {
      renameSync(aside, source);
    }
  });
});

describe('BCK-01 command functions', () => {
  test('BCK-01 create, verify and restore commands: exit codes and what to do next', async () => {
    const dir = path.join(scratch, 'cli');
    const created = capture();
    expect(
      await backupCreateCommand(t.runtime, created.sink, { to: dir, database: t.handle }),
      JSON.stringify(created.io),
    ).toBe(0);
    expect(created.io.out).toMatch(/Encrypted backup written: .*medledger-backup-\d{8}T\d{6}Z(-\d+)?\.mlbk/);
    expect(created.io.out).toMatch(/master key is NOT in the backup/);
    const file = path.join(
      dir,
      readdirSync(dir).find((n) => BACKUP_NAME.test(n))!,
    );

    const verified = capture();
    expect(await backupVerifyCommand(verified.sink, { file, masterKey: MASTER }), JSON.stringify(verified.io)).toBe(0);
    expect(verified.io.out).toMatch(/Backup verified/);

    const target = await freshTarget('cli-restore');
    if (target.databaseUrl !== undefined) {
      // The test server trusts local connections, so the password is never checked, only carried.
      const u = new URL(target.databaseUrl);
      u.password = 'Pw-Never-Printed-42';
      target.databaseUrl = u.toString();
    }
    const restored = capture();
    expect(
      await backupRestoreCommand(restored.sink, { file, masterKey: MASTER, ...target }),
      JSON.stringify(restored.io),
    ).toBe(0);
    expect(restored.io.err).toBe('');
    expect(restored.io.out).toMatch(/Audit trail intact: \d+ sealed events/);
    expect(restored.io.out).toMatch(/Row counts match/);
    expect(restored.io.out).toMatch(/Next: make the same master key available/);
    expect(restored.io.out + restored.io.err).not.toContain('Pw-Never-Printed-42');

    const again = capture();
    expect(await backupRestoreCommand(again.sink, { file, masterKey: MASTER, ...target })).toBe(1);
    expect(again.io.err).toMatch(/Restore failed: .*not empty/);

    const failed = capture();
    const blocker = path.join(scratch, 'not-a-dir');
    writeFileSync(blocker, '');
    expect(await backupCreateCommand(t.runtime, failed.sink, { to: blocker, database: t.handle })).toBe(1);
    expect(failed.io.err).toMatch(/Backup failed: [\s\S]*run `medledger backup create` again/);
  });
});

describe('BCK-01 tools and keys for the command line', () => {
  test('BCK-01 verify and restore read an existing master key and never generate one', () => {
    const dir = path.join(scratch, 'keys');
    const keyFile = path.join(dir, 'master.key');
    expect(() => loadBackupMasterKey({ masterKeyFile: keyFile })).toThrow(/No master key: .*does not exist/);
    expect(existsSync(keyFile)).toBe(false);
    expect(loadBackupMasterKey({ masterKey: MASTER.toString('base64'), masterKeyFile: keyFile })).toEqual(MASTER);
    mkdirSync(dir);
    writeFileSync(keyFile, `${MASTER.toString('base64')}\n`, { mode: 0o600 });
    expect(loadBackupMasterKey({ masterKeyFile: keyFile })).toEqual(MASTER);
  });

  test('BCK-01 pg_dump and pg_restore are found, or the error names the package to install', () => {
    const empty = mkdtempSync(path.join(scratch, 'no-pg-'));
    expect(() => findPgTool('pg_dump', { ...process.env, MEDLEDGER_PG_BIN: empty })).toThrow(
      /pg_dump was not found in MEDLEDGER_PG_BIN=/,
    );
    let found: string | null = null;
    try {
      found = findPgTool('pg_restore', { ...process.env, MEDLEDGER_PG_BIN: '' });
    } catch (err) {
      expect((err as Error).message).toMatch(/apt-get install postgresql-client/);
    }
    if (t.dialect === 'postgres') expect(found).not.toBeNull();
    if (found !== null) {
      expect(path.basename(found)).toBe('pg_restore');
      expect(findPgTool('pg_restore', { ...process.env, MEDLEDGER_PG_BIN: path.dirname(found) })).toBe(found);
    }
  });
});

describe('BCK-01 scheduled backups and retention', () => {
  const fakes = [
    'medledger-backup-20200101T000000Z.mlbk',
    'medledger-backup-20200102T000000Z.mlbk',
    'medledger-backup-20200103T000000Z.mlbk',
    'medledger-backup-20200103T000000Z-2.mlbk',
  ];
  const unrelated = ['notes.txt', 'medledger-backup-20190101T000000Z.mlbk.bak', 'other-20190101.mlbk'];

  test('BCK-01 retention keeps the newest `keep` backups and touches no other file', async () => {
    const dir = path.join(scratch, 'retention');
    mkdirSync(path.join(dir, 'medledger-backup-20180101T000000Z.mlbk'), { recursive: true }); // a directory
    for (const f of [...fakes, ...unrelated]) writeFileSync(path.join(dir, f), 'x');
    const { backup: made, removed } = await runScheduledBackup(t.runtime, { dir, keep: 3, database: t.handle });
    expect(removed).toEqual(['medledger-backup-20200101T000000Z.mlbk', 'medledger-backup-20200102T000000Z.mlbk']);
    expect(readdirSync(dir).sort()).toEqual(
      [
        'medledger-backup-20180101T000000Z.mlbk',
        'medledger-backup-20200103T000000Z.mlbk',
        'medledger-backup-20200103T000000Z-2.mlbk',
        path.basename(made.file),
        ...unrelated,
      ].sort(),
    );
    expect(await pruneBackups(dir, 1)).toEqual([
      'medledger-backup-20200103T000000Z.mlbk',
      'medledger-backup-20200103T000000Z-2.mlbk',
    ]);
    await expect(pruneBackups(dir, 0)).rejects.toThrow(/at least 1/);
  });

  test('BCK-01 the schedule runs on its interval, never two at once, and applies retention', async () => {
    const dir = path.join(scratch, 'schedule');
    mkdirSync(dir);
    for (const f of fakes) writeFileSync(path.join(dir, f), 'x');
    const before = await countCreated('success');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const schedule = startBackupSchedule(t.runtime, { dir, intervalHours: 6, keep: 2, database: t.handle });
      vi.advanceTimersByTime(6 * 3_600_000 - 1);
      expect(await countCreated('success')).toBe(before);
      vi.advanceTimersByTime(1);
      vi.advanceTimersByTime(6 * 3_600_000); // fires while the first run is still going: skipped
      await schedule.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(await countCreated('success')).toBe(before + 1);
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(2);
    expect(left[0]).toBe('medledger-backup-20200103T000000Z-2.mlbk');
    expect(left[1]).toMatch(BACKUP_NAME);
    expect((await verifyBackup(path.join(dir, left[1]!), MASTER)).ok).toBe(true);
  });

  test('BCK-01 a failing scheduled backup is logged and audited, not thrown, and deletes nothing', async () => {
    const blocker = path.join(scratch, 'schedule-blocker');
    writeFileSync(blocker, '');
    const failuresBefore = await countCreated('failure');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const schedule = startBackupSchedule(t.runtime, { dir: blocker, intervalHours: 1, keep: 1, database: t.handle });
      vi.advanceTimersByTime(3_600_000);
      await schedule.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(t.logs.some((l) => l.level === 50 && l.msg === 'scheduled backup failed')).toBe(true);
    expect(await countCreated('failure')).toBe(failuresBefore + 1);
    expect(readFileSync(blocker, 'utf8')).toBe('');
  });
});

async function countCreated(outcome: 'success' | 'failure'): Promise<number> {
  return (await events(t.db)).filter((e) => e.action === 'backup.backup.created' && e.outcome === outcome).length;
}
