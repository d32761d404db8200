import { sql } from 'kysely';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../../platform/runtime.js';
import { every } from '../../platform/scheduler.js';
import { checkpointBody, signCheckpoint } from './audit.checkpoint.js';
import {
  appendLeaf,
  emptyFrontier,
  frontierPositions,
  frontierRoot,
  leafHashOf,
  type CompletedNode,
  type Frontier,
} from './audit.merkle.js';
import * as repo from './audit.repo.js';
import type { AuditEvent } from './audit.record.js';
import type { AuditIndexTable } from './audit.tables.js';

/**
 * The sealer integrates committed events into the Merkle tree, in the order it finds them.
 *
 * Business transactions only INSERT their event row (no shared chain-head row, so concurrent
 * writers on PostgreSQL never wait on each other). The sealer — one at a time, serialised by an
 * advisory lock on PostgreSQL and by SQLite's single writer — reads events that are not yet
 * leaves, appends them as leaves with the next indices, stores the completed subtree hashes, and
 * every N events or T seconds signs a checkpoint that is copied to the witness directory.
 *
 * Window: an event is recorded (durable, MAC-protected) as soon as its transaction commits; it
 * becomes a leaf on the next sealing round (every second in the server), and is covered by a
 * signed checkpoint after at most N further events or T seconds.
 */

const SEALER_LOCK = 0x6d656441; // 'medA'
const BATCH = 5000;

async function loadFrontier(db: Runtime['db'], size: number): Promise<Frontier> {
  const frontier = emptyFrontier();
  for (const { level, idx } of frontierPositions(size)) {
    const hex = await repo.findNode(db, level, idx);
    if (hex === undefined) throw new Error(`audit tree node (${level}, ${idx}) is missing`);
    frontier.nodes.push(Buffer.from(hex, 'hex'));
  }
  frontier.size = size;
  return frontier;
}

/** The search columns of an event, read from its canonical JSON. */
export function indexRow(seq: number, canonical: string): AuditIndexTable {
  const e = JSON.parse(canonical) as AuditEvent;
  return {
    seq,
    at: e.at,
    action: e.action,
    outcome: e.outcome,
    actorId: e.actor?.id ?? null,
    actorName: e.actor?.name ?? null,
    resourceType: e.resource?.type ?? null,
    resourceId: e.resource?.id ?? null,
  };
}

export type SealResult = { sealed: number; treeSize: number; checkpoint: { treeSize: number; note: string } | null };

/** One sealing round. Safe to call from several processes at once. */
export async function sealOnce(
  runtime: Runtime,
  options: { forceCheckpoint?: boolean; fullSweep?: boolean } = {},
): Promise<SealResult> {
  const result = await runtime.db.transaction().execute(async (tx) => {
    if (runtime.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${SEALER_LOCK})`.execute(tx);
    const size = await repo.treeSize(tx);
    const frontier = await loadFrontier(tx, size);
    const now = runtime.clock.now();
    const sealedAt = now.toISOString();
    let sealed = 0;
    let after = options.fullSweep === true ? 0 : await repo.sealLowWater(tx);
    for (;;) {
      const events = await repo.unsealedEvents(tx, after, BATCH);
      if (events.length === 0) break;
      const leaves = [];
      const index = [];
      const nodes: CompletedNode[] = [];
      for (const e of events) {
        const leaf = leafHashOf(e.canonical);
        leaves.push({ leafIndex: frontier.size, eventSeq: Number(e.seq), leafHash: leaf.toString('hex'), sealedAt });
        index.push(indexRow(Number(e.seq), e.canonical));
        nodes.push(...appendLeaf(frontier, leaf));
        after = Number(e.seq);
      }
      await repo.insertLeaves(tx, leaves);
      await repo.insertIndexRows(tx, index);
      await repo.insertNodes(
        tx,
        nodes.map((n) => ({ level: n.level, idx: n.idx, hash: n.hash.toString('hex') })),
      );
      sealed += events.length;
      if (events.length < BATCH) break;
    }
    const last = await repo.latestCheckpoint(tx);
    const lastSize = last === undefined ? 0 : Number(last.treeSize);
    const due =
      frontier.size > lastSize &&
      (options.forceCheckpoint === true ||
        frontier.size - lastSize >= runtime.audit.checkpointEvery.events ||
        last === undefined ||
        now.getTime() - new Date(last.createdAt).getTime() >= runtime.audit.checkpointEvery.seconds * 1000);
    let checkpoint: SealResult['checkpoint'] = null;
    if (due) {
      const root = frontierRoot(frontier);
      const note = signCheckpoint(checkpointBody(runtime.audit.origin, frontier.size, root), runtime.audit.signer);
      await repo.insertCheckpoint(tx, {
        treeSize: frontier.size,
        rootHash: root.toString('hex'),
        note,
        createdAt: sealedAt,
      });
      checkpoint = { treeSize: frontier.size, note };
    }
    return { sealed, treeSize: frontier.size, checkpoint };
  });
  await syncWitness(runtime);
  return result;
}

export const witnessFileName = (size: number) => `checkpoint-${String(size).padStart(12, '0')}.txt`;

/**
 * LOG-06: copies every checkpoint to the witness directory (write to a temporary name, then
 * rename). An existing witness file is never overwritten: a different note for the same size is a
 * forked history and is left for the verifier to report.
 */
export async function syncWitness(runtime: Runtime): Promise<void> {
  const dir = runtime.audit.witnessDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, 'public-key.txt');
  const keyLine = `${runtime.audit.origin} ${runtime.audit.signer.publicKey.toString('base64')}\n`;
  if (!existsSync(keyFile)) writeFileSync(keyFile, keyLine, { mode: 0o644 });
  for (const cp of await repo.listCheckpoints(runtime.db)) {
    const file = path.join(dir, witnessFileName(Number(cp.treeSize)));
    if (existsSync(file)) continue;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, cp.note, { mode: 0o644 });
    renameSync(tmp, file);
  }
}

/** Reads the witness copies, ascending by size. */
export function readWitness(dir: string): { file: string; note: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^checkpoint-\d{12}\.txt$/.test(f))
    .sort()
    .map((f) => ({ file: f, note: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Seals every second in the background (a full sweep every ten minutes) until stopped. */
export function startSealer(runtime: Runtime, intervalMs = 1000): { stop: () => Promise<void> } {
  const onError = (err: unknown) => runtime.log.error({ err }, 'audit sealing failed');
  const schedule = every(intervalMs, (round) => sealOnce(runtime, { fullSweep: round % 600 === 0 }), onError);
  return {
    stop: async () => {
      await schedule.stop();
      await sealOnce(runtime, { fullSweep: true }).catch(onError);
    },
  };
}
