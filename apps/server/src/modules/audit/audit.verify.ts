import { createPublicKey, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../../platform/runtime.js';
import { uuidv7 } from '../../platform/ids.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { keyIdOf, readCheckpoint } from './audit.checkpoint.js';
import { appendLeaf, emptyFrontier, frontierRoot, leafHashOf } from './audit.merkle.js';
import { recordDetached } from './audit.record.js';
import * as repo from './audit.repo.js';
import { readWitness } from './audit.sealer.js';
import { sql } from 'kysely';

export type VerifyReport = {
  ok: boolean;
  treeSize: number;
  checkpoints: number;
  witnessCheckpoints: number;
  unsealed: number;
  /** The first leaf index that cannot be trusted, or null when none can be named. */
  firstBadIndex: number | null;
  problems: string[];
};

/** CRY-08: a stored MAC (hex) against the one computed now, in constant time. */
function macMatches(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === 32 && b.length === 32 && stored.length === 64 && timingSafeEqual(a, b);
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function signatureValid(note: string, body: string, name: string, publicKey: Buffer): boolean {
  const line = note.slice(body.length + 1).split('\n')[0] ?? '';
  const prefix = `\u2014 ${name} `;
  if (!line.startsWith(prefix)) return false;
  const blob = Buffer.from(line.slice(prefix.length), 'base64');
  if (blob.length !== 68 || !blob.subarray(0, 4).equals(keyIdOf(name, publicKey))) return false;
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return verifySignature(null, Buffer.from(body, 'utf8'), key, blob.subarray(4));
}

/**
 * Sealed events whose search entry is missing or differs from the canonical event: compared inside
 * the database (SQLite JSON1 / PostgreSQL jsonb), so millions of events need no parsing in JS.
 */
async function searchIndexMismatches(runtime: Runtime): Promise<{ index: number; seq: number }[]> {
  const field = (path: string) =>
    runtime.dialect === 'postgres'
      ? sql`(e.canonical::jsonb #>> ${sql.lit(`{${path.replaceAll('.', ',')}}`)})`
      : sql`json_extract(e.canonical, ${sql.lit(`$.${path}`)})`;
  // SQL's null-safe inequality: `is distinct from` on PostgreSQL, `is not` on SQLite.
  const distinct = (column: string, path: string) =>
    runtime.dialect === 'postgres'
      ? sql`(i.${sql.ref(column)} is distinct from ${field(path)})`
      : sql`(i.${sql.ref(column)} is not ${field(path)})`;
  const result = await sql<{ leafIndex: number; seq: number }>`
    select l."leafIndex" as "leafIndex", l."eventSeq" as "seq"
    from audit_leaf l
    join audit_event e on e.seq = l."eventSeq"
    left join audit_index i on i.seq = l."eventSeq"
    where i.seq is null
       or ${distinct('at', 'at')} or ${distinct('action', 'action')} or ${distinct('outcome', 'outcome')}
       or ${distinct('actorId', 'actor.id')} or ${distinct('actorName', 'actor.name')}
       or ${distinct('resourceType', 'resource.type')} or ${distinct('resourceId', 'resource.id')}
    order by l."leafIndex"
    limit 100`.execute(runtime.db);
  return result.rows.map((r) => ({ index: Number(r.leafIndex), seq: Number(r.seq) }));
}

/**
 * Recomputes the whole tree from the database and checks it against every signed checkpoint, in
 * the database and in the witness directory (ATK-AUDIT-1):
 * - an edited event no longer hashes to its sealed leaf, and its MAC fails;
 * - a deleted event leaves its leaf dangling (or, with the leaf deleted too, a gap in the indices);
 * - swapped (reordered) events mismatch their leaves;
 * - an inserted (forged) event carries no valid MAC;
 * - a truncated log is smaller than a checkpoint the witness holds;
 * - a rewritten (forked) history has roots that differ from the witness's signed checkpoints.
 */
export async function verifyAuditTrail(
  runtime: Runtime,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<VerifyReport> {
  const db = runtime.db;
  const problems: string[] = [];
  let firstBadIndex: number | null = null;
  const bad = (index: number, message: string) => {
    if (problems.length < 200) problems.push(message);
    firstBadIndex = firstBadIndex === null ? index : Math.min(firstBadIndex, index);
  };

  const size = await repo.treeSize(db);
  const dbCheckpoints = await repo.listCheckpoints(db);
  const witness = readWitness(runtime.audit.witnessDir);
  const targets = new Set<number>([
    ...dbCheckpoints.map((c) => Number(c.treeSize)),
    ...witness.map((w) => readCheckpoint(w.note)?.size ?? -1),
  ]);
  const roots = new Map<number, Buffer>();
  const frontier = emptyFrontier();
  let expected = 0;
  const pageSize = 10_000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_leaf as l')
      .leftJoin('audit_event as e', 'e.seq', 'l.eventSeq')
      .select(['l.leafIndex', 'l.eventSeq', 'l.leafHash', 'e.canonical', 'e.mac'])
      .where('l.leafIndex', '>=', expected)
      .orderBy('l.leafIndex')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const index = Number(row.leafIndex);
      if (index !== expected) {
        bad(expected, `leaves ${expected}…${index - 1} are missing (deleted from the tree)`);
      }
      let leaf: Buffer;
      if (row.canonical === null || row.mac === null) {
        bad(index, `the event at index ${index} (sequence ${row.eventSeq}) is missing (deleted)`);
        leaf = Buffer.from(row.leafHash, 'hex');
      } else {
        leaf = leafHashOf(row.canonical);
        if (leaf.toString('hex') !== row.leafHash) {
          bad(index, `the event at index ${index} was altered: it no longer hashes to its sealed leaf`);
        } else if (!macMatches(runtime.audit.mac(leaf), row.mac)) {
          bad(index, `the event at index ${index} carries an invalid MAC: MedLedger did not write it`);
        }
      }
      appendLeaf(frontier, leaf);
      expected = index + 1;
      if (targets.has(frontier.size)) roots.set(frontier.size, frontierRoot(frontier));
    }
    options.onProgress?.(expected, size);
    if (rows.length < pageSize) break;
  }

  for (const { index, seq } of await searchIndexMismatches(runtime)) {
    bad(index, `the search entry of the event at index ${index} (sequence ${seq}) is missing or was altered`);
  }

  // Events recorded but not yet sealed must still carry a valid MAC (a forged insert does not).
  const unsealed = await repo.unsealedEvents(db, 0, 1_000_000);
  for (const e of unsealed) {
    if (!macMatches(runtime.audit.mac(leafHashOf(e.canonical)), e.mac)) {
      problems.push(`unsealed event ${e.id} (sequence ${e.seq}) carries an invalid MAC: MedLedger did not write it`);
      firstBadIndex = firstBadIndex ?? size;
    }
  }

  const { origin, signer } = runtime.audit;
  let goodUpTo = 0;
  const checkAgainst = (kind: 'database' | 'witness', note: string) => {
    const cp = readCheckpoint(note);
    if (cp === null) {
      problems.push(`${kind} checkpoint is malformed`);
      return;
    }
    if (cp.origin !== origin) {
      problems.push(`${kind} checkpoint of size ${cp.size} names another log (${cp.origin})`);
      return;
    }
    if (!signatureValid(note, cp.body, signer.keyName, signer.publicKey)) {
      problems.push(`${kind} checkpoint of size ${cp.size} has no valid signature`);
      return;
    }
    if (cp.size > frontier.size) {
      problems.push(
        `truncated: the ${kind} holds a signed checkpoint of size ${cp.size} but the database tree has only ${frontier.size} leaves`,
      );
      firstBadIndex = firstBadIndex === null ? frontier.size : Math.min(firstBadIndex, frontier.size);
      return;
    }
    const root = cp.size === 0 ? frontierRoot(emptyFrontier()) : roots.get(cp.size);
    if (root === undefined || !root.equals(cp.root)) {
      problems.push(
        kind === 'witness'
          ? `history rewritten: the database tree at size ${cp.size} does not match the witness's signed checkpoint`
          : `the database tree at size ${cp.size} does not match its signed checkpoint`,
      );
      return;
    }
    goodUpTo = Math.max(goodUpTo, cp.size);
  };
  for (const cp of dbCheckpoints) checkAgainst('database', cp.note);
  const pinned = path.join(runtime.audit.witnessDir, 'public-key.txt');
  if (existsSync(pinned)) {
    const expectedLine = `${origin} ${signer.publicKey.toString('base64')}`;
    if (readFileSync(pinned, 'utf8').trim() !== expectedLine) {
      problems.push('the witness pins a different checkpoint signing key than this database uses');
    }
  }
  for (const w of witness) checkAgainst('witness', w.note);
  if (witness.length === 0 && dbCheckpoints.length > 0) {
    problems.push(`the witness directory ${runtime.audit.witnessDir} holds no checkpoints`);
  }
  const dbSizes = new Set(dbCheckpoints.map((c) => Number(c.treeSize)));
  for (const w of witness) {
    const cp = readCheckpoint(w.note);
    if (cp !== null && !dbSizes.has(cp.size) && cp.size <= frontier.size) {
      problems.push(`the database lost its checkpoint of size ${cp.size} (the witness still has it)`);
    }
  }
  if (problems.length > 0 && firstBadIndex === null) firstBadIndex = goodUpTo < frontier.size ? goodUpTo : null;
  return {
    ok: problems.length === 0,
    treeSize: frontier.size,
    checkpoints: dbCheckpoints.length,
    witnessCheckpoints: witness.length,
    unsealed: unsealed.length,
    firstBadIndex,
    problems,
  };
}

/** Runs the verification, stores the result and records `audit.chain.verified` or the alert `audit.chain.broken`. */
export async function verifyAndRecord(
  runtime: Runtime,
  trigger: string,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<VerifyReport> {
  const report = await verifyAuditTrail(runtime, options);
  const now = runtime.clock.now();
  await runtime.db.transaction().execute(async (tx) => {
    await repo.insertVerification(tx, {
      id: uuidv7(now.getTime()),
      at: now.toISOString(),
      ok: report.ok ? 1 : 0,
      treeSize: report.treeSize,
      firstBadIndex: report.firstBadIndex,
      problems: JSON.stringify(report.problems),
      trigger,
    });
  });
  const ctx = systemCtx(runtime, `audit-verify:${trigger}`);
  if (report.ok) {
    await recordDetached(ctx, {
      action: 'audit.chain.verified',
      outcome: 'success',
      data: { treeSize: report.treeSize, checkpoints: report.checkpoints, trigger },
    });
  } else {
    runtime.log.error({ problems: report.problems }, 'AUDIT TRAIL VERIFICATION FAILED');
    await recordDetached(ctx, {
      action: 'audit.chain.broken',
      outcome: 'failure',
      reason: report.problems[0] ?? 'verification failed',
      data: {
        treeSize: report.treeSize,
        firstBadIndex: report.firstBadIndex,
        problems: report.problems.slice(0, 20),
        trigger,
      },
    });
  }
  return report;
}
