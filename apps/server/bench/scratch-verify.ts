import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrations } from '../migrations/index.js';
import { createRuntime } from '../src/app.js';
import { buildEvent, sealOnce, verifyAuditTrail } from '../src/modules/audit/index.js';
import { appendLeaf, emptyFrontier, leafHashOf } from '../src/modules/audit/audit.merkle.js';
import { systemClock } from '../src/platform/clock.js';
import { createDb } from '../src/platform/db/create-db.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { systemCtx } from '../src/platform/http/ctx.js';
import { createLogger } from '../src/platform/logger.js';
const EVENTS = 200_000;
const dir = mkdtempSync(path.join(tmpdir(), 'sv-'));
const handle = createDb({ dialect: 'sqlite', file: path.join(dir, 'v.sqlite') });
await migrateToLatest(handle.db, migrations);
const { runtime } = await createRuntime({
  database: handle, clock: systemClock, logger: createLogger({ level: 'silent' }),
  keys: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: path.join(dir, 'unused') },
  audit: { witnessDir: path.join(dir, 'w'), checkpointEvents: 1000, checkpointSeconds: 300 },
});
const sqlite = handle.sqlite!;
const insert = sqlite.prepare('insert into audit_event (id, canonical, mac) values (?, ?, ?)');
const base = systemCtx(runtime, 'bench');
let bytes = 0;
sqlite.transaction(() => {
  for (let i = 0; i < EVENTS; i++) {
    const ctx = { ...base, now: new Date(Date.UTC(2026, 0, 1) + i * 1000), requestId: `bench-${i}` };
    const { event, canonical } = buildEvent(ctx, { action: 'keys.key.created', outcome: 'success', resource: { type: 'bench_item', id: `item-${i}` }, data: { purpose: 'bench', version: i } });
    bytes += Buffer.byteLength(canonical);
    insert.run(event.id, canonical, runtime.audit.mac(leafHashOf(canonical)));
  }
})();
await sealOnce(runtime, { forceCheckpoint: true });
const t = (name: string, f: () => void) => { const s = process.hrtime.bigint(); f(); const ms = Number(process.hrtime.bigint() - s) / 1e6; console.log(name.padEnd(30), ms.toFixed(0), 'ms', (bytes / ms / 1000).toFixed(0), 'MB/s'); };
const stmt = sqlite.prepare('select l."leafIndex", l."leafHash", cast(e.canonical as blob), e.mac from audit_leaf l left join audit_event e on e.seq = l."eventSeq" where l."leafIndex" >= ? order by l."leafIndex" limit ?').raw(true);
const stmtU = sqlite.prepare('select l."leafIndex", unhex(l."leafHash"), cast(e.canonical as blob), e.mac from audit_leaf l left join audit_event e on e.seq = l."eventSeq" where l."leafIndex" >= ? order by l."leafIndex" limit ?').raw(true);
const scratch = Buffer.alloc(1 << 20);
for (let r = 0; r < 2; r++) {
  t('raw all', () => { stmt.all(0, EVENTS); });
  t('raw paged 10k', () => { for (let s = 0; s < EVENTS; s += 10000) stmt.all(s, 10000); });
  t('raw iterate', () => { for (const _ of stmt.iterate(0, EVENTS)) void _; });
  const rows = stmt.all(0, EVENTS) as [number, string, Buffer, string][];
  const rowsU = stmtU.all(0, EVENTS) as [number, Buffer, Buffer, string][];
  const leaves: Buffer[] = [];
  t('leaf hash scratch', () => { for (const r of rows) { const b = r[2]; scratch[0] = 0; b.copy(scratch, 1); leaves.push(hash('sha256', scratch.subarray(0, b.length + 1), 'buffer')); } });
  t('leaf hash string', () => { for (const r of rows) { leafHashOf(r[2].toString('utf8')); } });
  t('hex compare', () => { let n = 0; for (let i = 0; i < rows.length; i++) if (leaves[i]!.toString('hex') !== rows[i]![1]) n++; });
  t('buf compare', () => { let n = 0; for (let i = 0; i < rows.length; i++) if (!leaves[i]!.equals(rowsU[i]![1])) n++; });
  t('appendLeaf', () => { const f = emptyFrontier(); for (const l of leaves) appendLeaf(f, l); });
  t('mac', () => { for (let i = 0; i < rows.length; i++) runtime.audit.mac(leaves[i]!); });
  t('verifyAuditTrail', () => {});
  const s = process.hrtime.bigint(); await verifyAuditTrail(runtime); console.log('verifyAuditTrail', Number(process.hrtime.bigint() - s) / 1e6);
}
await handle.close();
