import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { isAppError } from '../../platform/errors.js';
import { systemCtx, type Ctx } from '../../platform/http/ctx.js';
import { route } from '../../platform/http/route.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  blindIndex,
  KNOWN_ANSWERS,
  keyStatus,
  keysRetireCommand,
  keysRewrapCommand,
  keysRotateCommand,
  keysStatusCommand,
  open,
  openKeyRing,
  retireKey,
  rewrap,
  rotateKey,
  runSelfTests,
  seal,
  SelfTestError,
  type SealedColumn,
  type SealRef,
} from './index.js';
import { writeBack } from './keys.rotate.js';

const TABLE = 'test_patient';
const COLUMNS: SealedColumn[] = [
  { table: TABLE, column: 'name', idColumn: 'id' },
  { table: TABLE, column: 'idNumber', idColumn: 'id' },
];

type Raw = Kysely<Record<string, Record<string, unknown>>>;
const raw = (db: unknown) => db as Raw;

let apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps) await a.close();
  apps = [];
});

async function createTable(db: TestApp['db']): Promise<void> {
  await db.schema
    .createTable(TABLE)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('idNumber', 'text')
    .execute();
}

async function start(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
  const t = await buildTestApp({ sealedColumns: COLUMNS, beforeBuild: createTable, ...options });
  apps.push(t);
  return t;
}

const ctxOf = (t: TestApp, db?: Ctx['db']) => systemCtx(t.runtime, 'test', db);
const ref = (rowId: string, column = 'name'): SealRef => ({ table: TABLE, column, rowId });

type Person = { id: string; name: string; idNumber: string | null };

/** Inserts people with their fields sealed, as a module's repo would. */
async function insertPeople(t: TestApp, people: Person[]): Promise<void> {
  const ctx = ctxOf(t);
  const rows = people.map((p) => ({
    id: p.id,
    name: seal(ctx, ref(p.id), p.name),
    idNumber: p.idNumber === null ? null : seal(ctx, ref(p.id, 'idNumber'), p.idNumber),
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await raw(t.db)
      .insertInto(TABLE)
      .values(rows.slice(i, i + 100))
      .execute();
  }
}

async function rawValue(t: TestApp, id: string, column = 'name'): Promise<string> {
  const row = await raw(t.db).selectFrom(TABLE).select(column).where('id', '=', id).executeTakeFirstOrThrow();
  return String(row[column]);
}

async function setRaw(t: TestApp, id: string, column: string, value: string): Promise<void> {
  await raw(t.db)
    .updateTable(TABLE)
    .set({ [column]: value })
    .where('id', '=', id)
    .execute();
}

type Event = { action: string; actor: { name: string } | null; data: Record<string, unknown> };

async function events(t: TestApp, action: string): Promise<Event[]> {
  const rows = await t.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as Event).filter((e) => e.action === action);
}

const alerts = (t: TestApp) => events(t, 'keys.integrity.failed');

async function expectIntegrityFailure(promise: Promise<unknown>): Promise<void> {
  const err: unknown = await promise.then(
    () => new Error('opened although it should have failed'),
    (e: unknown) => e,
  );
  expect(isAppError(err, 'integrity_failed'), String(err)).toBe(true);
}

/** Every table of the database, every row, as text: what a dump or a stolen backup shows. */
async function dumpDatabase(t: TestApp): Promise<string> {
  const tables =
    t.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(t.db)
      : await sql<{
          name: string;
        }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(t.db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await sql`SELECT * FROM ${sql.table(name)}`.execute(t.db);
    parts.push(`${name}\n${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

function keyMaterialForms(t: TestApp): string[] {
  const forms: string[] = [];
  for (const byVersion of t.runtime.keys.versions.values()) {
    for (const key of byVersion.values()) {
      forms.push(key.toString('hex'), key.toString('base64'), key.toString('base64url'));
    }
  }
  forms.push(t.runtime.keys.master.toString('base64'), t.runtime.keys.master.toString('hex'));
  return forms;
}

describe('keys: field encryption', () => {
  test('the composition root hands keys the audit recorder (alerts, rotation and retirement need it)', async () => {
    const t = await start();
    expect(t.runtime.keys.auditor, 'createRuntime must pass { record, recordDetached } to openKeyRing').not.toBeNull();
  });

  test('CRY-01 the raw column holds only ciphertext; a seeded marker is nowhere in a dump of the database', async () => {
    const t = await start();
    const marker = `MARKER-${randomBytes(8).toString('hex')}-张三`;
    const idNumber = '11010519491231002X';
    const id = uuidv7();
    await insertPeople(t, [{ id, name: marker, idNumber }]);

    const stored = await rawValue(t, id);
    expect(stored).not.toBe(marker);
    expect(stored).toMatch(/^mlk1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(await open(ctxOf(t), ref(id), stored)).toBe(marker);
    expect(await open(ctxOf(t), ref(id, 'idNumber'), await rawValue(t, id, 'idNumber'))).toBe(idNumber);

    const dump = await dumpDatabase(t);
    expect(dump).toContain(stored);
    expect(dump).not.toContain(marker);
    expect(dump).not.toContain(idNumber);
    expect(JSON.stringify(t.logs)).not.toContain(marker);
    if (t.handle.sqlite !== undefined) {
      const file = t.handle.sqlite.name;
      for (const f of [file, `${file}-wal`]) {
        if (!existsSync(f)) continue;
        const bytes = readFileSync(f);
        expect(bytes.includes(Buffer.from(marker, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(idNumber, 'utf8'))).toBe(false);
      }
    }
  });

  test('CRY-02 a ciphertext swapped between two rows, or between two columns, fails and raises keys.integrity.failed', async () => {
    const t = await start();
    const [a, b] = [uuidv7(), uuidv7()];
    await insertPeople(t, [
      { id: a, name: 'Alice', idNumber: '110105194912310021' },
      { id: b, name: 'Bob', idNumber: '110105195001010012' },
    ]);
    const [nameA, nameB, idA] = [await rawValue(t, a), await rawValue(t, b), await rawValue(t, a, 'idNumber')];
    await setRaw(t, a, 'name', nameB);
    await setRaw(t, b, 'name', nameA);
    await expectIntegrityFailure(open(ctxOf(t), ref(a), await rawValue(t, a)));
    await expectIntegrityFailure(open(ctxOf(t), ref(b), await rawValue(t, b)));

    await setRaw(t, a, 'name', idA);
    await expectIntegrityFailure(open(ctxOf(t), ref(a), await rawValue(t, a)));
    await expectIntegrityFailure(open(ctxOf(t), ref(a, 'idNumber'), nameA));

    // In place, both still open: the failures above come from the move, nothing else.
    expect(await open(ctxOf(t), ref(a), nameA)).toBe('Alice');
    expect(await open(ctxOf(t), ref(a, 'idNumber'), idA)).toBe('110105194912310021');

    const found = await alerts(t);
    expect(found).toHaveLength(4);
    expect(found[0]!.data).toMatchObject({ table: TABLE, column: 'name', rowId: a });
    expect(found[3]!.data).toMatchObject({ table: TABLE, column: 'idNumber', rowId: a });
    expect(JSON.stringify(found)).not.toContain('Alice');
  });

  test('CRY-03 v1 and v2 values both open after a rotation; a prefix changed to v1, to mlk0 or to an unknown version fails closed', async () => {
    const t = await start();
    const id = uuidv7();
    const v1 = seal(ctxOf(t), ref(id), 'first');
    const rotated = await t.db.transaction().execute((tx) => rotateKey(ctxOf(t, tx), 'field'));
    expect(rotated).toEqual({ fromVersion: 1, toVersion: 2 });
    const v2 = seal(ctxOf(t), ref(id), 'second');
    expect(v1.startsWith('mlk1.1.')).toBe(true);
    expect(v2.startsWith('mlk1.2.')).toBe(true);
    expect(await open(ctxOf(t), ref(id), v1)).toBe('first');
    expect(await open(ctxOf(t), ref(id), v2)).toBe('second');

    const body = v2.slice('mlk1.2.'.length);
    const tampered = [
      `mlk1.1.${body}`,
      `mlk0.2.${body}`,
      `mlk0.${body}`,
      `mlk1.02.${body}`,
      `mlk1.3.${body}`,
      `mlk1.0.${body}`,
      `mlk1.-2.${body}`,
      `MLK1.2.${body}`,
      `${v2}.`,
      ` ${v2}`,
      `${v2}=`,
      v2.slice(0, -1),
      'second',
      '',
    ];
    for (const value of tampered) await expectIntegrityFailure(open(ctxOf(t), ref(id), value));
    const found = await alerts(t);
    expect(found).toHaveLength(tampered.length);
    expect(found.map((e) => e.data.reason)).toContain('key version 3 is retired or unknown');
    expect(found.map((e) => e.data.reason)).toContain('not in the sealed format');
  });

  test('CRY-03 a version rotated by another process is found with one reload', async () => {
    const t = await start();
    const other = await openKeyRing(t.db, t.runtime.keys.master, new Date(), COLUMNS, t.runtime.keys.auditor);
    const otherRuntime = { ...t.runtime, keys: other.ring };
    await t.db.transaction().execute((tx) => rotateKey(systemCtx(otherRuntime, 'other', tx), 'field'));
    const id = uuidv7();
    const v2 = seal({ runtime: otherRuntime }, ref(id), 'from the other process');
    expect(t.runtime.keys.versions.get('field')?.has(2)).toBe(false);
    expect(await open(ctxOf(t), ref(id), v2)).toBe('from the other process');
    expect(seal(ctxOf(t), ref(id), 'x').startsWith('mlk1.2.')).toBe(true);
  });

  test('CRY-05 10^4 seals of one value use 10^4 different nonces', async () => {
    const t = await start();
    const nonces = new Set<string>();
    const values = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const v = seal(ctxOf(t), ref('same-row'), 'same plaintext');
      nonces.add(v.split('.')[2]!);
      values.add(v);
    }
    expect(nonces.size).toBe(10_000);
    expect(values.size).toBe(10_000);
  });

  test('CRY-07 a corrupted known answer throws SelfTestError, and the runtime refuses to start', async () => {
    expect(() => runSelfTests()).not.toThrow();
    for (const answer of KNOWN_ANSWERS) {
      const corrupted = KNOWN_ANSWERS.map((a) =>
        a === answer ? { ...a, expected: a.expected.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : a,
      );
      expect(() => runSelfTests(corrupted)).toThrow(SelfTestError);
      expect(() => runSelfTests(corrupted)).toThrow(answer.name);
    }
    const crashing = [{ name: 'broken primitive', run: () => JSON.parse('{') as string, expected: 'x' }];
    expect(() => runSelfTests(crashing)).toThrow(SelfTestError);

    const first = KNOWN_ANSWERS[0]!;
    const expected = first.expected;
    first.expected = `0${expected.slice(1)}` === expected ? `1${expected.slice(1)}` : `0${expected.slice(1)}`;
    try {
      await expect(start()).rejects.toThrow(SelfTestError);
    } finally {
      first.expected = expected;
    }
  });

  test('CRY-09 blind index: equal for equal values, different per purpose and per installation, no plaintext inside', async () => {
    const t = await start();
    const other = await start();
    const value = '110105194912310021';
    const a = blindIndex(ctxOf(t), 'patient.idNumber', value);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(16);
    expect(blindIndex(ctxOf(t), 'patient.idNumber', value)).toBe(a);
    expect(blindIndex(ctxOf(t), 'patient.idNumber', `${value.slice(0, -1)}2`)).not.toBe(a);
    expect(blindIndex(ctxOf(t), 'supplier.contactIdNumber', value)).not.toBe(a);
    expect(blindIndex(ctxOf(other), 'patient.idNumber', value)).not.toBe(a);
    // Length prefixes keep (purpose, value) pairs apart that plain concatenation would join.
    expect(blindIndex(ctxOf(t), 'ab', 'c')).not.toBe(blindIndex(ctxOf(t), 'a', 'bc'));
    expect(a).not.toContain(value.slice(0, 6));
  });
});

describe('keys: tampering (ATK-CRYPTO)', () => {
  const readRoute = route({
    method: 'GET',
    url: '/api/v1/test/keys/patients/:id',
    public: true,
    summary: 'test: open a sealed name',
    params: z.strictObject({ id: z.string() }),
    response: z.object({ name: z.string() }),
    handler: async (ctx, { params }) => {
      const row = await raw(ctx.db)
        .selectFrom(TABLE)
        .select('name')
        .where('id', '=', params.id)
        .executeTakeFirstOrThrow();
      return { name: await open(ctx, ref(params.id), String(row.name)) };
    },
  });
  const writeRoute = route({
    method: 'POST',
    url: '/api/v1/test/keys/patients/:id/rename',
    public: true,
    summary: 'test: open a sealed name, then write inside the request transaction',
    params: z.strictObject({ id: z.string() }),
    response: z.object({ name: z.string() }),
    handler: async (ctx, { params }) => {
      await raw(ctx.db).updateTable(TABLE).set({ idNumber: null }).where('id', '=', params.id).execute();
      const row = await raw(ctx.db)
        .selectFrom(TABLE)
        .select('name')
        .where('id', '=', params.id)
        .executeTakeFirstOrThrow();
      return { name: await open(ctx, ref(params.id), String(row.name)) };
    },
  });

  test('ATK-CRYPTO every flipped byte fails closed with an alert; the request gets 500 integrity_failed without secrets', async () => {
    const t = await start({ extraRoutes: [readRoute] });
    const id = uuidv7();
    const marker = `MARKER-${randomBytes(6).toString('hex')}`;
    await insertPeople(t, [{ id, name: marker, idNumber: null }]);
    const good = await rawValue(t, id);
    const [format, version, nonceText, bodyText] = good.split('.') as [string, string, string, string];
    const parts = { nonce: Buffer.from(nonceText, 'base64url'), body: Buffer.from(bodyText, 'base64url') };
    const secrets = keyMaterialForms(t);

    const ok = await t.app.inject({ method: 'GET', url: `/api/v1/test/keys/patients/${id}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ name: marker });

    let flips = 0;
    for (const part of ['nonce', 'body'] as const) {
      for (let i = 0; i < parts[part].length; i++) {
        const bytes = Buffer.from(parts[part]);
        bytes[i] = bytes[i]! ^ 0xff;
        const nonce = part === 'nonce' ? bytes : parts.nonce;
        const body = part === 'body' ? bytes : parts.body;
        await setRaw(
          t,
          id,
          'name',
          `${format}.${version}.${nonce.toString('base64url')}.${body.toString('base64url')}`,
        );
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/test/keys/patients/${id}` });
        flips++;
        expect(res.statusCode).toBe(500);
        const payload = res.json<{ code: string; message: string; requestId: string }>();
        expect(payload.code).toBe('integrity_failed');
        expect(res.body).not.toContain(marker);
        expect(res.body).not.toContain(TABLE);
        for (const s of secrets) expect(res.body).not.toContain(s);
      }
    }
    expect(flips).toBe(12 + Buffer.byteLength(marker) + 16);
    const found = await alerts(t);
    expect(found).toHaveLength(flips);
    expect(found.every((e) => e.data.rowId === id && e.data.column === 'name')).toBe(true);
    const dump = JSON.stringify(found);
    expect(dump).not.toContain(marker);
    for (const s of secrets) expect(dump).not.toContain(s);

    await setRaw(t, id, 'name', good);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/test/keys/patients/${id}` })).statusCode).toBe(200);
  });

  test('ATK-CRYPTO the alert survives the rollback of a writing request', async () => {
    const t = await start({ extraRoutes: [writeRoute] });
    const [a, b] = [uuidv7(), uuidv7()];
    await insertPeople(t, [
      { id: a, name: 'Alice', idNumber: '110105194912310021' },
      { id: b, name: 'Bob', idNumber: null },
    ]);
    await setRaw(t, a, 'name', await rawValue(t, b));
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/test/keys/patients/${a}/rename` });
    expect(res.statusCode).toBe(500);
    expect(res.json<{ code: string }>().code).toBe('integrity_failed');
    await vi.waitFor(async () => expect(await alerts(t)).toHaveLength(1));
    expect((await alerts(t))[0]!.data).toMatchObject({ table: TABLE, column: 'name', rowId: a });
    // The request's own write was rolled back.
    expect(await rawValue(t, a, 'idNumber')).toMatch(/^mlk1\.1\./);
  });
});

describe('keys: rotation, rewrap and retirement (CRY-04)', () => {
  test('CRY-04 acceptance: after rotate + rewrap no sealed value uses the old version and all open correctly', async () => {
    const t = await start();
    const people: Person[] = Array.from({ length: 250 }, (_, i) => ({
      id: uuidv7(Date.UTC(2026, 0, 1) + i),
      name: `患者 ${i} ${randomBytes(4).toString('hex')}`,
      idNumber: i % 2 === 0 ? `1101051949123${String(i).padStart(4, '0')}X` : null,
    }));
    await insertPeople(t, people);
    const total = 250 + 125;
    const fieldStatus = async () => (await keyStatus(t.runtime)).find((s) => s.purpose === 'field')!;
    const countOf = async (v: number) => (await fieldStatus()).versions.find((x) => x.version === v)?.sealedValues;
    expect(await countOf(1)).toBe(total);
    expect((await fieldStatus()).pendingRewrap).toBe(0);
    const oldValue = await rawValue(t, people[0]!.id);

    await t.db.transaction().execute((tx) => rotateKey(ctxOf(t, tx), 'field'));
    expect((await fieldStatus()).pendingRewrap).toBe(total);

    const refused = await t.db
      .transaction()
      .execute((tx) => retireKey(ctxOf(t, tx), 'field', 1))
      .catch((e: unknown) => e);
    expect(isAppError(refused, 'conflict')).toBe(true);
    expect(String((refused as Error).message)).toContain(`${total} sealed value(s) still use`);
    expect(String((refused as Error).message)).toContain('medledger keys rewrap');

    // Interrupted after its first batch of 50, as a killed job would be.
    const stop = new AbortController();
    const first = await rewrap(t.runtime, {
      batchSize: 50,
      signal: stop.signal,
      onProgress: (done) => {
        if (done > 0) stop.abort();
      },
    });
    expect(first).toMatchObject({ toVersion: 2, rewrapped: 50, failed: 0, remaining: total - 50, stopped: true });
    expect(await countOf(1)).toBe(total - 50);
    expect(await countOf(2)).toBe(50);
    expect(await events(t, 'keys.rewrap.completed')).toHaveLength(0);

    const progress: [number, number][] = [];
    const second = await rewrap(t.runtime, { batchSize: 50, onProgress: (d, n) => progress.push([d, n]) });
    expect(second).toEqual({
      toVersion: 2,
      rewrapped: total - 50,
      failed: 0,
      remaining: 0,
      columns: t.runtime.keys.sealedColumns.length,
      stopped: false,
    });
    expect(progress[0]).toEqual([0, total - 50]);
    expect(progress.at(-1)).toEqual([total - 50, total - 50]);
    const status = await fieldStatus();
    expect(status.pendingRewrap).toBe(0);
    expect(status.unrecognised).toBe(0);
    expect(await countOf(1)).toBe(0);
    expect(await countOf(2)).toBe(total);

    for (const p of people) {
      expect(await open(ctxOf(t), ref(p.id), await rawValue(t, p.id))).toBe(p.name);
      if (p.idNumber !== null) {
        expect(await open(ctxOf(t), ref(p.id, 'idNumber'), await rawValue(t, p.id, 'idNumber'))).toBe(p.idNumber);
      } else {
        const row = await raw(t.db)
          .selectFrom(TABLE)
          .select('idNumber')
          .where('id', '=', p.id)
          .executeTakeFirstOrThrow();
        expect(row.idNumber).toBeNull();
      }
    }
    expect(await events(t, 'keys.rewrap.completed')).toEqual([
      expect.objectContaining({
        data: { toVersion: 2, rewrapped: total - 50, columns: t.runtime.keys.sealedColumns.length },
      }),
    ]);

    const currentRefused = await t.db
      .transaction()
      .execute((tx) => retireKey(ctxOf(t, tx), 'field', 2))
      .catch((e: unknown) => e);
    expect(isAppError(currentRefused, 'conflict')).toBe(true);
    expect(String((currentRefused as Error).message)).toContain('current key');

    const v1Key = t.runtime.keys.versions.get('field')!.get(1)!;
    const retired = await t.db.transaction().execute((tx) => retireKey(ctxOf(t, tx), 'field', 1));
    expect(retired).toMatchObject({ purpose: 'field', version: 1 });
    expect(t.runtime.keys.versions.get('field')!.has(1)).toBe(false);
    expect(v1Key.equals(Buffer.alloc(32))).toBe(true); // CRY-11: zeroed once retired
    const states = (await fieldStatus()).versions.map((v) => [v.version, v.state]);
    expect(states).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    // A copy of a v1 value taken before the rewrap no longer opens.
    await expectIntegrityFailure(open(ctxOf(t), ref(people[0]!.id), oldValue));

    const again = await t.db
      .transaction()
      .execute((tx) => retireKey(ctxOf(t, tx), 'field', 1))
      .catch((e: unknown) => e);
    expect(isAppError(again, 'conflict')).toBe(true);
    const missing = await t.db
      .transaction()
      .execute((tx) => retireKey(ctxOf(t, tx), 'field', 9))
      .catch((e: unknown) => e);
    expect(isAppError(missing, 'not_found')).toBe(true);

    // The next rotation takes version 3: numbers of retired versions are never reused.
    const next = await t.db.transaction().execute((tx) => rotateKey(ctxOf(t, tx), 'field'));
    expect(next).toEqual({ fromVersion: 2, toVersion: 3 });
  });

  test('CRY-04 the rewrap never overwrites a value another writer changed after it was read', async () => {
    const t = await start();
    const [a, b] = [uuidv7(), uuidv7()];
    await insertPeople(t, [
      { id: a, name: 'read by the job', idNumber: null },
      { id: b, name: 'untouched', idNumber: null },
    ]);
    const [readA, readB] = [await rawValue(t, a), await rawValue(t, b)];
    const fromWriter = seal(ctxOf(t), ref(a), 'written meanwhile');
    await setRaw(t, a, 'name', fromWriter);
    const col = COLUMNS[0]!;
    const written = await writeBack(t.db, col, [
      { id: a, before: readA, after: seal(ctxOf(t), ref(a), 'read by the job') },
      { id: b, before: readB, after: seal(ctxOf(t), ref(b), 'untouched') },
    ]);
    expect(written).toBe(1);
    expect(await rawValue(t, a)).toBe(fromWriter);
    expect(await rawValue(t, b)).not.toBe(readB);
    expect(await open(ctxOf(t), ref(b), await rawValue(t, b))).toBe('untouched');
  });

  test('CRY-04 a damaged value is left in place with an alert, and the rewrap does not loop on it', async () => {
    const t = await start();
    const people: Person[] = Array.from({ length: 12 }, (_, i) => ({ id: uuidv7(), name: `p${i}`, idNumber: null }));
    await insertPeople(t, people);
    await setRaw(t, people[3]!.id, 'name', await rawValue(t, people[4]!.id));
    await t.db.transaction().execute((tx) => rotateKey(ctxOf(t, tx), 'field'));
    const result = await rewrap(t.runtime, { batchSize: 5 });
    expect(result).toMatchObject({ rewrapped: 11, failed: 1, remaining: 1, stopped: false });
    expect(await alerts(t)).toHaveLength(1);
    expect(await events(t, 'keys.rewrap.completed')).toHaveLength(0);
  });

  test('master key mismatch: reopening the database with another master key is refused with a clear error', async () => {
    const masterKey = randomBytes(32).toString('base64');
    const t = await start({ masterKey });
    const id = uuidv7();
    await insertPeople(t, [{ id, name: 'kept', idNumber: null }]);
    await expect(openKeyRing(t.db, randomBytes(32), new Date(), COLUMNS)).rejects.toThrow(
      /master key does not open data key .* another master key/,
    );
    const again = await openKeyRing(
      t.db,
      Buffer.from(masterKey, 'base64'),
      new Date(),
      COLUMNS,
      t.runtime.keys.auditor,
    );
    expect(again.created).toEqual([]);
    expect(
      await open({ ...ctxOf(t), runtime: { ...t.runtime, keys: again.ring } }, ref(id), await rawValue(t, id)),
    ).toBe('kept');
  });

  test('CRY-04 rotation, rewrap and retirement are audited with the acting system user', async () => {
    const t = await start();
    await insertPeople(t, [{ id: uuidv7(), name: 'a', idNumber: 'b' }]);
    const io = { out: () => undefined, err: () => undefined };
    expect(await keysRotateCommand(t.runtime, io, { purpose: 'field' })).toBe(0);
    expect(await keysRewrapCommand(t.runtime, io, {})).toBe(0);
    expect(await keysRetireCommand(t.runtime, io, { purpose: 'field', version: 1 })).toBe(0);
    const rotated = await events(t, 'keys.key.rotated');
    const completed = await events(t, 'keys.rewrap.completed');
    const retired = await events(t, 'keys.key.retired');
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).toMatchObject({
      actor: { name: 'cli:keys rotate' },
      data: { purpose: 'field', fromVersion: 1, toVersion: 2 },
    });
    expect(completed[0]).toMatchObject({
      actor: { name: 'cli:keys rewrap' },
      data: { toVersion: 2, rewrapped: 2, columns: t.runtime.keys.sealedColumns.length },
    });
    expect(retired[0]).toMatchObject({ actor: { name: 'cli:keys retire' }, data: { purpose: 'field', version: 1 } });
  });
});

describe('keys: CLI commands', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
  };

  test('status, rotate, rewrap and retire print what happened and what to do next', async () => {
    const t = await start();
    await insertPeople(
      t,
      Array.from({ length: 30 }, (_, i) => ({ id: uuidv7(), name: `n${i}`, idNumber: null })),
    );

    let c = capture();
    expect(await keysStatusCommand(t.runtime, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/field\s+v1\s+active, current .* 30 sealed value\(s\)/);
    // Every module's sealed columns, then the test's own.
    const listed = /Sealed columns: (.*)\n/.exec(c.out.join(''))?.[1]?.split(', ') ?? [];
    expect(listed).toEqual(t.runtime.keys.sealedColumns.map((col) => `${col.table}.${col.column}`));
    expect(listed.slice(0, 6)).toEqual([
      'user_account.phoneSealed',
      'mfa_totp.secretSealed',
      'sms_outbox.toSealed',
      'sms_outbox.textSealed',
      'stored_file.sealedKey',
      'md_rep_id_number.idNumberSealed',
    ]);
    expect(listed.slice(-2)).toEqual(['test_patient.name', 'test_patient.idNumber']);
    expect(c.out.join('')).toContain('Every sealed value uses the current field key v1');

    c = capture();
    expect(await keysRotateCommand(t.runtime, c.io, { purpose: 'blind-index' })).toBe(1);
    expect(c.err.join('')).toContain('Only the field key');

    c = capture();
    expect(await keysRotateCommand(t.runtime, c.io, { purpose: 'field' })).toBe(0);
    expect(c.out.join('')).toContain('Rotated the field key: v1 -> v2');
    expect(c.out.join('')).toContain('medledger keys rewrap');

    c = capture();
    expect(await keysStatusCommand(t.runtime, c.io)).toBe(0);
    expect(c.out.join('')).toContain('30 sealed value(s) still use an older field key');

    c = capture();
    expect(await keysRetireCommand(t.runtime, c.io, { purpose: 'field', version: 1 })).toBe(1);
    expect(c.err.join('')).toContain('Key retirement refused: 30 sealed value(s) still use the field key v1');

    c = capture();
    expect(await keysRetireCommand(t.runtime, c.io, { purpose: 'field', version: 'one' })).toBe(1);
    expect(c.err.join('')).toContain('positive whole number');

    c = capture();
    expect(await keysRewrapCommand(t.runtime, c.io, { batchSize: 0 })).toBe(1);
    expect(c.err.join('')).toContain('batch size');

    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    c = capture();
    try {
      expect(await keysRewrapCommand(t.runtime, c.io, { batchSize: 7 })).toBe(0);
    } finally {
      if (tty === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stderr, 'isTTY', tty);
    }
    expect(c.err.join('')).toContain('\r[##############......] 70% 21/30');
    expect(c.err.join('')).toContain('\r[####################] 100% 30/30\n');
    expect(c.out.join('')).toContain(
      `Re-encrypted 30 value(s) in ${t.runtime.keys.sealedColumns.length} sealed column(s) to the field key v2`,
    );

    c = capture();
    expect(await keysRetireCommand(t.runtime, c.io, { purpose: 'field', version: 2 })).toBe(1);
    expect(c.err.join('')).toContain('current key');

    c = capture();
    expect(await keysRetireCommand(t.runtime, c.io, { purpose: 'field', version: '1' })).toBe(0);
    expect(c.out.join('')).toContain('Retired the field key v1');

    c = capture();
    expect(await keysStatusCommand(t.runtime, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/field\s+v1\s+retired .* 0 sealed value\(s\)/);
  });
});
