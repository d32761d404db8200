/**
 * `npm run bench`: MedLedger's performance targets, each reported as a ratio against a baseline
 * measured in the same run on the same machine (never as absolute timings in tests).
 *
 *   audit append   mutating request with its audit event vs the same request with auditing off (≥ 0.70)
 *   audit verify   `audit verify` over N events vs raw SHA-256 over the same event bytes (≥ 0.25)
 *   seal/open      seal+open pairs of 100-byte values vs raw AES-256-GCM encrypt+decrypt pairs (≥ 200,000/s)
 *   on-hand, FEFO  p95 latency with 1,000,000 ledger rows / 100,000 lots vs the same reads as raw prepared
 *                  statements (< 20 ms)
 *
 * Options: --events <n> (default 1000000) for the verification benchmark; --only <append|seal|verify|stock>.
 */
import { createCipheriv, createDecipheriv, createHash, hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { migrations } from '../migrations/index.js';
import { buildApp, createRuntime } from '../src/app.js';
import { buildEvent, sealOnce, verifyAuditTrail, record } from '../src/modules/audit/index.js';
import { leafHashOf } from '../src/modules/audit/audit.merkle.js';
import { open, seal } from '../src/modules/keys/index.js';
import { systemClock } from '../src/platform/clock.js';
import { createDb, type DbHandle } from '../src/platform/db/create-db.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { systemCtx } from '../src/platform/http/ctx.js';
import { route } from '../src/platform/http/route.js';
import { createLogger } from '../src/platform/logger.js';
import type { Runtime } from '../src/platform/runtime.js';
import { benchStock } from './stock.js';

const args = process.argv.slice(2);
const eventsArg = args.indexOf('--events');
const EVENTS = eventsArg >= 0 ? Number(args[eventsArg + 1]) : 1_000_000;
const onlyArg = args.indexOf('--only');
/** `--only <name>` runs one benchmark (append, seal, verify, stock). */
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const wanted = (name: string) => ONLY === undefined || ONLY === name;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (name: string, value: string, baseline: string, ratio: number, target: string, ok: boolean) =>
  console.log(
    `${name.padEnd(14)} ${value.padStart(22)}  baseline ${baseline.padStart(22)}  ratio ${ratio.toFixed(2)}  target ${target}  ${ok ? 'MET' : 'NOT MET'}`,
  );

async function freshRuntime(dir: string, file = 'bench.sqlite'): Promise<{ runtime: Runtime; handle: DbHandle }> {
  const handle = createDb({ dialect: 'sqlite', file: path.join(dir, file) });
  await migrateToLatest(handle.db, migrations);
  const { runtime } = await createRuntime({
    database: handle,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    keys: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: path.join(dir, 'unused') },
    audit: { witnessDir: path.join(dir, `witness-${file}`), checkpointEvents: 1000, checkpointSeconds: 300 },
  });
  return { runtime, handle };
}

async function benchAuditAppend(dir: string): Promise<void> {
  const { runtime, handle } = await freshRuntime(dir, 'append.sqlite');
  await handle.db.schema
    .createTable('bench_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .execute();
  const item = route({
    method: 'POST',
    url: '/api/v1/bench/items',
    public: true,
    summary: 'benchmark: create an item',
    body: z.strictObject({ name: z.string() }),
    response: z.object({ id: z.string() }),
    handler: async (ctx, { body }) => {
      const id = randomBytes(8).toString('hex');
      await (ctx.db as unknown as import('kysely').Kysely<{ bench_item: { id: string; name: string } }>)
        .insertInto('bench_item')
        .values({ id, name: body.name })
        .execute();
      await record(ctx, {
        action: 'keys.key.created',
        outcome: 'success',
        resource: { type: 'bench_item', id },
        data: { purpose: body.name, version: 1 },
      });
      return { id };
    },
  });
  const { app } = await buildApp({
    runtime,
    settings: {
      bodyLimitBytes: 65536,
      trustedProxies: [],
      publicUrl: 'https://localhost:8443',
      webDir: '/nonexistent',
    },
    extraRoutes: [item],
  });
  const sealer = setInterval(() => void sealOnce(runtime), 1000);
  const N = 3000;
  const run = async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/bench/items', payload: { name: `item-${i}` } });
      if (r.statusCode !== 200) throw new Error(`bench request failed: ${r.statusCode} ${r.body}`);
    }
    return N / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  await run(); // warm-up
  const on: number[] = [];
  const off: number[] = [];
  // Alternate which variant goes first, so neither pays systematically for the other's WAL checkpoints.
  for (let round = 0; round < 6; round++) {
    for (const audited of round % 2 === 0 ? [true, false] : [false, true]) {
      runtime.audit.disabledForBenchmark = !audited;
      (audited ? on : off).push(await run());
    }
  }
  runtime.audit.disabledForBenchmark = false;
  clearInterval(sealer);
  await app.close();
  await handle.close();
  const ratio = median(on) / median(off);
  line('audit append', `${fmt(median(on))} req/s`, `${fmt(median(off))} req/s`, ratio, '≥ 0.70', ratio >= 0.7);
  console.log(
    `${''.padEnd(14)} baseline: the same mutating request with auditing switched off (benchmark-only switch); SQLite, sealer running`,
  );
}

async function benchVerify(dir: string): Promise<void> {
  const { runtime, handle } = await freshRuntime(dir, 'verify.sqlite');
  const sqlite = handle.sqlite!;
  const insert = sqlite.prepare('insert into audit_event (id, canonical, mac) values (?, ?, ?)');
  const base = systemCtx(runtime, 'bench');
  const canonicals: string[] = [];
  process.stderr.write(`generating ${fmt(EVENTS)} audit events…\n`);
  const t0 = Date.now();
  sqlite.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      const ctx = { ...base, now: new Date(Date.UTC(2026, 0, 1) + i * 1000), requestId: `bench-${i}` };
      const { event, canonical } = buildEvent(ctx, {
        action: 'keys.key.created',
        outcome: 'success',
        resource: { type: 'bench_item', id: `item-${i}` },
        data: { purpose: 'bench', version: i },
      });
      canonicals.push(canonical);
      insert.run(event.id, canonical, runtime.audit.mac(leafHashOf(canonical)));
    }
  })();
  process.stderr.write(`  inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s; sealing…\n`);
  const t1 = Date.now();
  await sealOnce(runtime, { forceCheckpoint: true });
  process.stderr.write(`  sealed in ${((Date.now() - t1) / 1000).toFixed(1)} s; verifying…\n`);

  const bytes = canonicals.reduce((n, c) => n + Buffer.byteLength(c), 0);
  const buffers = canonicals.map((c) => Buffer.from(c, 'utf8'));
  const rawBulk: number[] = [];
  const rawPerEvent: number[] = [];
  const verifyRuns: number[] = [];
  for (let round = 0; round < 3; round++) {
    // The machine's raw SHA-256 throughput over the same bytes, as one stream.
    let start = process.hrtime.bigint();
    const h = createHash('sha256');
    for (const b of buffers) h.update(b);
    h.digest();
    rawBulk.push(bytes / (Number(process.hrtime.bigint() - start) / 1e9));
    // The same bytes hashed one event at a time with the fastest one-shot API (a floor for any verifier).
    start = process.hrtime.bigint();
    for (const b of buffers) hash('sha256', b, 'buffer');
    rawPerEvent.push(bytes / (Number(process.hrtime.bigint() - start) / 1e9));
    start = process.hrtime.bigint();
    const report = await verifyAuditTrail(runtime);
    verifyRuns.push(bytes / (Number(process.hrtime.bigint() - start) / 1e9));
    if (!report.ok) throw new Error(`verification failed in the benchmark: ${report.problems.join('; ')}`);
  }
  await handle.close();
  const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB/s`;
  const ratio = median(verifyRuns) / median(rawBulk);
  line('audit verify', mb(median(verifyRuns)), `${mb(median(rawBulk))} (stream)`, ratio, '≥ 0.25', ratio >= 0.25);
  console.log(
    `${''.padEnd(14)} ${fmt(EVENTS)} events, ${(bytes / 1e6).toFixed(0)} MB; per-event one-shot SHA-256 of the same bytes: ${mb(median(rawPerEvent))} (ratio ${(median(verifyRuns) / median(rawPerEvent)).toFixed(2)})`,
  );
}

async function benchSealOpen(dir: string): Promise<void> {
  const { runtime, handle } = await freshRuntime(dir, 'seal.sqlite');
  const ctx = systemCtx(runtime, 'bench');
  const value = 'x'.repeat(100);
  const N = 200_000;
  const ref = { table: 'bench', column: 'secret', rowId: 'row-1' };
  const key = randomBytes(32);
  const sealOpen: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < 5; round++) {
    let start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const sealed = seal(ctx, ref, value);
      const back = await open(ctx, ref, sealed);
      if (back.length !== 100) throw new Error('seal/open round trip failed');
    }
    sealOpen.push(N / (Number(process.hrtime.bigint() - start) / 1e9));
    start = process.hrtime.bigint();
    const pt = Buffer.from(value);
    for (let i = 0; i < N; i++) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(pt), c.final()]);
      const tag = c.getAuthTag();
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(tag);
      Buffer.concat([d.update(ct), d.final()]);
    }
    raw.push(N / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  await handle.close();
  const ratio = median(sealOpen) / median(raw);
  line(
    'seal/open',
    `${fmt(median(sealOpen))} pairs/s`,
    `${fmt(median(raw))} pairs/s`,
    ratio,
    '≥ 200,000/s',
    median(sealOpen) >= 200_000,
  );
}

async function benchStockLatency(dir: string): Promise<void> {
  const { runtime, handle } = await freshRuntime(dir, 'stock.sqlite');
  const r = await benchStock(runtime, handle);
  await handle.close();
  const ms = (x: number) => `${x.toFixed(2)} ms p95`;
  line('on-hand', ms(r.onHandP95), ms(r.baseOnHand), r.baseOnHand / r.onHandP95, '< 20 ms p95', r.onHandP95 < 20);
  line('FEFO allocate', ms(r.fefoP95), ms(r.baseFefo), r.baseFefo / r.fefoP95, '< 20 ms p95', r.fefoP95 < 20);
  console.log(
    `${''.padEnd(14)} 1,000,000 ledger rows, 100,000 lots, 1,000 products, SQLite; baseline: the same reads as raw prepared statements`,
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'medledger-bench-'));
try {
  console.log(`MedLedger benchmarks (Node ${process.version}, ${new Date().toISOString()})`);
  if (wanted('append')) await benchAuditAppend(dir);
  if (wanted('seal')) await benchSealOpen(dir);
  if (wanted('verify')) await benchVerify(dir);
  if (wanted('stock')) await benchStockLatency(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
