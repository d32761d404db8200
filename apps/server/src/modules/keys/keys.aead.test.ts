import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { isAppError } from '../../platform/errors.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  aeadStatus,
  defaultAddonPath,
  fieldAead,
  loadAeadAddon,
  loadedAddon,
  nativeAead,
  nativeCandidate,
  nodeAead,
  useAead,
  type Aead,
} from './keys.aead.js';
import { KNOWN_ANSWERS, keysStatusCommand, open, rotateKey, seal, SelfTestError, type SealRef } from './index.js';
import { lengthPrefixed, parse } from './keys.seal.js';

/**
 * Decision 0029: field values go through the native AES-256-GCM addon once it has passed its
 * known answers, else through node:crypto. Both engines must be interchangeable byte for byte.
 */

const TABLE = 'test_aead';
const ref = (rowId: string, column = 'name'): SealRef => ({ table: TABLE, column, rowId });
const required = process.env.MEDLEDGER_REQUIRE_NATIVE_AEAD === '1';
const native = nativeCandidate;
const addon = loadedAddon;

let apps: TestApp[] = [];
let restore: Aead | null = null;
afterEach(async () => {
  if (restore !== null) useAead(restore);
  restore = null;
  for (const a of apps) await a.close();
  apps = [];
});

async function start(): Promise<TestApp> {
  const t = await buildTestApp({
    sealedColumns: [{ table: TABLE, column: 'name', idColumn: 'id' }],
    beforeBuild: async (db) => {
      await db.schema
        .createTable(TABLE)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text')
        .execute();
    },
  });
  apps.push(t);
  return t;
}

/** Runs `f` with `engine` sealing and opening field values. */
async function withEngine<T>(engine: Aead, f: () => Promise<T> | T): Promise<T> {
  const previous = useAead(engine);
  restore ??= previous;
  try {
    return await f();
  } finally {
    useAead(previous);
  }
}

async function expectIntegrityFailure(promise: Promise<unknown>): Promise<void> {
  const err: unknown = await promise.then(
    () => new Error('opened although it should have failed'),
    (e: unknown) => e,
  );
  expect(isAppError(err, 'integrity_failed'), String(err)).toBe(true);
}

const PLAINTEXTS: [string, string][] = [
  ['empty', ''],
  ['ASCII', 'Alice Example'],
  ['multibyte UTF-8', '张三 · Zoë Ångström · 🩺💉 · \u0000 · 身份证 11010519491231002X'],
  ['1 MB', `${'医疗器械'.repeat(87_381)}abcd`],
];

describe('keys: native AES-256-GCM addon (decision 0029)', () => {
  test('CRY-07 the addon is built here, passes its known answers at start-up, and then seals field values', async () => {
    if (native === null) {
      // Only a machine without a compiler gets here; CI sets MEDLEDGER_REQUIRE_NATIVE_AEAD=1.
      expect(required, `the addon did not load: ${aeadStatus().detail}`).toBe(false);
      return;
    }
    expect(KNOWN_ANSWERS.filter((a) => a.native === true).map((a) => a.name)).toEqual([
      'AES-256-GCM native addon (NIST test case 14)',
      'AES-256-GCM native addon (NIST test case 16, with AAD)',
      'AES-256-GCM native addon agrees with node:crypto',
      'AES-256-GCM native addon refuses altered values',
      'AES-256-GCM native addon rejects wrong lengths',
    ]);
    const t = await start();
    expect(fieldAead()).toBe(native);
    expect(aeadStatus().engine).toBe('native');
    const line = t.logs.find((l) => String(l.msg).startsWith('field encryption: AES-256-GCM via'));
    expect(line).toMatchObject({ engine: 'native' });
    expect(String(line?.msg)).toMatch(/native addon \(OpenSSL 3\.[0-9.]+/);

    const out: string[] = [];
    expect(await keysStatusCommand(t.runtime, { out: (s) => out.push(s), err: (s) => out.push(s) })).toBe(0);
    expect(out.join('')).toMatch(/Field encryption: AES-256-GCM via native addon \(OpenSSL 3/);
  });

  test('CRY-07 without the addon field encryption falls back to node:crypto, and says why', () => {
    const missing = loadAeadAddon(path.join(tmpdir(), `no-such-dir-${uuidv7()}`, 'aead.node'));
    expect(missing.addon).toBeNull();
    expect(missing.reason).toMatch(/^not built \(.*aead\.node is missing\)$/);
    const status = aeadStatus(missing, nodeAead);
    expect(status.engine).toBe('node:crypto');
    expect(status.detail).toMatch(/^node:crypto \(native addon not in use: not built/);

    const dir = mkdtempSync(path.join(tmpdir(), 'medledger-aead-'));
    try {
      const broken = path.join(dir, 'aead.node');
      writeFileSync(broken, 'not a shared object');
      const load = loadAeadAddon(broken);
      expect(load.addon).toBeNull();
      expect(load.reason).toMatch(/^it does not load: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(loadAeadAddon(null).reason).toMatch(/not found/);
    if (native !== null) expect(defaultAddonPath()).toMatch(/native[/\\]aead[/\\]build[/\\]Release[/\\]aead\.node$/);
  });

  test('CRY-07 an addon that gets a known answer wrong stops the runtime from starting', async () => {
    const answer = KNOWN_ANSWERS.find((a) => a.native === true);
    if (answer === undefined) {
      expect(required).toBe(false);
      return;
    }
    const expected = answer.expected;
    answer.expected = `${expected}x`;
    try {
      await expect(start()).rejects.toThrow(SelfTestError);
      await expect(start()).rejects.toThrow(answer.name);
    } finally {
      answer.expected = expected;
    }
  });
});

describe('keys: AAD encoding', () => {
  /** The plain definition: 4-byte big-endian UTF-8 length, then the UTF-8 bytes, per part. */
  const reference = (parts: readonly string[]) =>
    Buffer.concat(
      parts.flatMap((p) => {
        const bytes = Buffer.from(p, 'utf8');
        const len = Buffer.alloc(4);
        len.writeUInt32BE(bytes.length);
        return [len, bytes];
      }),
    );

  test('CRY-02 the ASCII fast path and the UTF-8 path encode the AAD exactly as defined', () => {
    expect(lengthPrefixed(['field', 'patient', 'name', 'row-1', '1']).toString('hex')).toBe(
      '000000056669656c640000000770617469656e74000000046e616d6500000005726f772d310000000131',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))),
        (parts) => {
          expect(lengthPrefixed(parts).equals(reference(parts))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
    // A lone surrogate is written as U+FFFD by both.
    expect(lengthPrefixed(['a\ud800b']).equals(reference(['a\ud800b']))).toBe(true);
  });
});

describe('keys: sealed value parser', () => {
  // The parser before decision 0029: one pattern over the whole value, then the canonical round trip.
  const SEALED = /^mlk1\.([1-9][0-9]{0,8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;
  const before = (v: string) => {
    const m = SEALED.exec(v);
    if (m === null) return false;
    const body = Buffer.from(m[3]!, 'base64url');
    return Buffer.from(m[2]!, 'base64url').length === 12 && body.length >= 16 && body.toString('base64url') === m[3];
  };

  test('CRY-03 the shorter pattern accepts exactly the values the full pattern accepted', () => {
    const valid = `mlk1.12.${randomBytes(12).toString('base64url')}.${randomBytes(41).toString('base64url')}`;
    const alphabet = [...'Aa09_-.=+/ \n\u00e9mlk', '\u0000'];
    const edit = fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete'));
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
        let v = valid;
        for (const [at, ch, op] of edits) {
          const i = at % (v.length + 1);
          v =
            op === 'insert'
              ? v.slice(0, i) + ch + v.slice(i)
              : v.slice(0, i) + (op === 'replace' ? ch : '') + v.slice(i + 1);
        }
        expect(!('reason' in parse(v)), JSON.stringify(v)).toBe(before(v));
      }),
      { numRuns: 20_000 },
    );
    for (const n of [0, 1, 15, 16, 17, 18, 40]) {
      const v = `mlk1.1.${randomBytes(12).toString('base64url')}.${randomBytes(n).toString('base64url')}`;
      expect(!('reason' in parse(v)), `${n}-byte body`).toBe(before(v));
    }
  });
});

describe.skipIf(native === null || addon === null)('keys: native addon and node:crypto are interchangeable', () => {
  const nat = native!;
  const raw = addon!;

  test('CRY-01 the engines produce the same bytes, with and without AAD, for every length up to 1 MB', () => {
    const key = randomBytes(32);
    for (const n of [0, 1, 15, 16, 17, 31, 32, 33, 100, 4095, 4096, 4097, 65_536, 1_048_576]) {
      for (const aad of [Buffer.alloc(0), randomBytes(5), lengthPrefixed(['field', TABLE, 'name', uuidv7(), '1'])]) {
        const nonce = randomBytes(12);
        const pt = randomBytes(n);
        const a = nat.seal(key, nonce, aad, pt);
        const b = nodeAead.seal(key, nonce, aad, pt);
        expect(a.equals(b), `${n} bytes, ${aad.length} bytes of AAD`).toBe(true);
        // And the reference: createCipheriv itself.
        const c = createCipheriv('aes-256-gcm', key, nonce);
        c.setAAD(aad);
        expect(a.equals(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]))).toBe(true);
        expect(nat.open(key, nonce, aad, b)?.equals(pt)).toBe(true);
        expect(nodeAead.open(key, nonce, aad, a)?.equals(pt)).toBe(true);
      }
    }
    nat.forget(key);
  });

  test('CRY-01 CRY-03 a value sealed by the addon opens with node:crypto and the reverse: empty, multibyte UTF-8 and 1 MB values', async () => {
    const t = await start();
    const ctx = systemCtx(t.runtime, 'test');
    for (const [what, text] of PLAINTEXTS) {
      const id = uuidv7();
      const byNative = await withEngine(nat, () => seal(ctx, ref(id), text));
      const byNode = await withEngine(nodeAead, () => seal(ctx, ref(id), text));
      for (const sealed of [byNative, byNode]) {
        expect(sealed, what).toMatch(/^mlk1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/);
        expect(await withEngine(nodeAead, () => open(ctx, ref(id), sealed)), what).toBe(text);
        expect(await withEngine(nat, () => open(ctx, ref(id), sealed)), what).toBe(text);
      }
      // 16 bytes of tag plus the UTF-8 bytes, in both formats.
      const bodyBytes = (v: string) => Buffer.from(v.split('.')[3]!, 'base64url').length;
      expect(bodyBytes(byNative)).toBe(Buffer.byteLength(text, 'utf8') + 16);
      expect(bodyBytes(byNode)).toBe(bodyBytes(byNative));
    }
  });

  test('CRY-02 CRY-03 ATK-CRYPTO every tamper is refused by both engines with an alert: nonce, ciphertext, tag, AAD (table, column, row), version', async () => {
    const t = await start();
    const ctx = systemCtx(t.runtime, 'test');
    const id = uuidv7();
    const v1 = seal(ctx, ref(id), 'before rotation');
    await t.db.transaction().execute((tx) => rotateKey(systemCtx(t.runtime, 'test', tx), 'field'));
    const alertsBefore = async () =>
      (await t.db.selectFrom('audit_event').select('canonical').execute()).filter((r) =>
        r.canonical.includes('"keys.integrity.failed"'),
      ).length;

    for (const [sealer, opener] of [
      [nat, nodeAead],
      [nodeAead, nat],
      [nat, nat],
    ] as const) {
      const sealed = await withEngine(sealer, () => seal(ctx, ref(id), 'Zoë 张三'));
      expect(sealed.startsWith('mlk1.2.')).toBe(true);
      const [, , nonceText, bodyText] = sealed.split('.') as [string, string, string, string];
      const nonce = Buffer.from(nonceText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      const flip = (b: Buffer, i: number) => {
        const c = Buffer.from(b);
        c[i]! ^= 0x01;
        return c.toString('base64url');
      };
      const tampered: [string, string, SealRef][] = [
        ['nonce first byte', `mlk1.2.${flip(nonce, 0)}.${bodyText}`, ref(id)],
        ['nonce last byte', `mlk1.2.${flip(nonce, 11)}.${bodyText}`, ref(id)],
        ['ciphertext', `mlk1.2.${nonceText}.${flip(body, 0)}`, ref(id)],
        ['tag first byte', `mlk1.2.${nonceText}.${flip(body, body.length - 16)}`, ref(id)],
        ['tag last byte', `mlk1.2.${nonceText}.${flip(body, body.length - 1)}`, ref(id)],
        ['tag cut off', `mlk1.2.${nonceText}.${body.subarray(0, body.length - 1).toString('base64url')}`, ref(id)],
        ['version (v2 → v1, both known)', `mlk1.1.${nonceText}.${bodyText}`, ref(id)],
        ['AAD: other row', sealed, ref(uuidv7())],
        ['AAD: other column', sealed, ref(id, 'idNumber')],
        ['AAD: other table', sealed, { table: 'other_table', column: 'name', rowId: id }],
      ];
      const before = await alertsBefore();
      await withEngine(opener, async () => {
        for (const [, value, where] of tampered) await expectIntegrityFailure(open(ctx, where, value));
        // Untouched, it opens: the failures come from the tampering alone.
        expect(await open(ctx, ref(id), sealed)).toBe('Zoë 张三');
        expect(await open(ctx, ref(id), v1)).toBe('before rotation');
      });
      expect(await alertsBefore(), `${sealer.name} → ${opener.name}`).toBe(before + tampered.length);
    }
  });

  test('CRY-07 CRY-08 the addon refuses wrong lengths, wrong types and foreign handles, and zeroes the output of a failed open', () => {
    const handle = raw.keyHandle(randomBytes(32));
    const [nonce, aad, pt] = [randomBytes(12), randomBytes(7), randomBytes(40)];
    const out = Buffer.alloc(56);
    raw.seal(handle, nonce, aad, pt, out);
    const shared = Buffer.alloc(96);

    const rangeErrors: [string, () => unknown][] = [
      ['empty key', () => raw.keyHandle(Buffer.alloc(0))],
      ['16-byte key', () => raw.keyHandle(Buffer.alloc(16))],
      ['31-byte key', () => raw.keyHandle(Buffer.alloc(31))],
      ['33-byte key', () => raw.keyHandle(Buffer.alloc(33))],
      ['11-byte nonce', () => raw.seal(handle, Buffer.alloc(11), aad, pt, Buffer.alloc(56))],
      ['13-byte nonce', () => raw.seal(handle, Buffer.alloc(13), aad, pt, Buffer.alloc(56))],
      ['empty nonce', () => raw.open(handle, Buffer.alloc(0), aad, out, Buffer.alloc(40))],
      ['seal output one short', () => raw.seal(handle, nonce, aad, pt, Buffer.alloc(55))],
      ['seal output one long', () => raw.seal(handle, nonce, aad, pt, Buffer.alloc(57))],
      ['open output one short', () => raw.open(handle, nonce, aad, out, Buffer.alloc(39))],
      ['open output one long', () => raw.open(handle, nonce, aad, out, Buffer.alloc(41))],
      ['body shorter than a tag', () => raw.open(handle, nonce, aad, Buffer.alloc(15), Buffer.alloc(0))],
      // The output a view on the plaintext's own memory.
      [
        'output overlapping the plaintext',
        () => raw.seal(handle, nonce, aad, shared.subarray(0, 40), shared.subarray(30, 86)),
      ],
    ];
    for (const [what, misuse] of rangeErrors) expect(misuse, what).toThrow(RangeError);

    const foreign = raw as unknown as Record<string, (...args: unknown[]) => unknown>;
    const typeErrors: [string, () => unknown][] = [
      ['string key', () => foreign.keyHandle!('k'.repeat(32))],
      ['Uint16Array key', () => foreign.keyHandle!(new Uint16Array(16))],
      ['DataView nonce', () => foreign.seal!(handle, new DataView(new ArrayBuffer(12)), aad, pt, Buffer.alloc(56))],
      ['string AAD', () => foreign.seal!(handle, nonce, 'aad', pt, Buffer.alloc(56))],
      ['number plaintext', () => foreign.seal!(handle, nonce, aad, 40, Buffer.alloc(56))],
      ['plain object as handle', () => foreign.seal!({}, nonce, aad, pt, Buffer.alloc(56))],
      ['key Buffer as handle', () => foreign.seal!(randomBytes(32), nonce, aad, pt, Buffer.alloc(56))],
      ['missing output', () => foreign.seal!(handle, nonce, aad, pt)],
      ['extra argument', () => foreign.open!(handle, nonce, aad, out, Buffer.alloc(40), 1)],
    ];
    for (const [what, misuse] of typeErrors) expect(misuse, what).toThrow(TypeError);

    // A failed open leaves no unverified plaintext behind.
    const tampered = Buffer.from(out);
    tampered[55]! ^= 1;
    const dest = Buffer.alloc(40, 0xaa);
    expect(raw.open(handle, nonce, aad, tampered, dest)).toBe(false);
    expect(dest.equals(Buffer.alloc(40))).toBe(true);
    expect(raw.open(handle, nonce, aad, out, dest)).toBe(true);
    expect(dest.equals(pt)).toBe(true);

    raw.dispose(handle);
    raw.dispose(handle);
    expect(() => raw.seal(handle, nonce, aad, pt, Buffer.alloc(56))).toThrow(/disposed/);
  });

  test('CRY-11 a forgotten key gets a fresh key schedule: a retired key buffer zeroed afterwards no longer seals with the old key', () => {
    const engine = nativeAead(raw);
    const key = randomBytes(32);
    const [nonce, aad, pt] = [randomBytes(12), Buffer.alloc(0), Buffer.from('value')];
    const before = engine.seal(key, nonce, aad, pt);
    engine.forget(key);
    key.fill(0);
    expect(engine.seal(key, nonce, aad, pt).equals(before)).toBe(false);
    expect(engine.seal(key, nonce, aad, pt).equals(nodeAead.seal(Buffer.alloc(32), nonce, aad, pt))).toBe(true);
    engine.forget(key);
  });

  test('CRY-07 the addon works in a worker thread (its state is per environment)', async () => {
    const file = defaultAddonPath()!;
    const code = `
      const { parentPort } = require('node:worker_threads');
      const a = require(${JSON.stringify(file)});
      const h = a.keyHandle(Buffer.alloc(32));
      const out = Buffer.alloc(32);
      a.seal(h, Buffer.alloc(12), Buffer.alloc(0), Buffer.alloc(16), out);
      parentPort.postMessage(out.toString('hex'));`;
    const results = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const w = new Worker(code, { eval: true });
            w.once('message', (m: string) => resolve(m));
            w.once('error', reject);
          }),
      ),
    );
    expect(results).toEqual([
      'cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919',
      'cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919',
    ]);
  });
});
