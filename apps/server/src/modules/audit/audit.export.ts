import { createHash } from 'node:crypto';
import type { Runtime } from '../../platform/runtime.js';
import { consistencyProof, inclusionProof, type NodeSource } from './audit.merkle.js';
import * as repo from './audit.repo.js';

export type ExportRange = { from: number; to: number };

const hex = (bs: Buffer[]) => bs.map((b) => b.toString('hex'));

export function nodeSource(db: Runtime['db'] | Parameters<typeof repo.findNode>[0]): NodeSource {
  return async (level, idx) => {
    const h = await repo.findNode(db, level, idx);
    if (h === undefined) throw new Error(`audit tree node (${level}, ${idx}) is missing`);
    return Buffer.from(h, 'hex');
  };
}

/**
 * Builds an evidence bundle (docs/audit-bundle-format.md): the events of [from, to) with inclusion
 * proofs against the newest checkpoint, every checkpoint up to it with consistency proofs between
 * neighbours, and the public key. Returns the JSON text and its SHA-256.
 */
export async function exportBundle(
  runtime: Runtime,
  range: ExportRange,
): Promise<{ text: string; sha256: string; treeSize: number }> {
  const checkpoints = await repo.listCheckpoints(runtime.db);
  const last = checkpoints.at(-1);
  if (last === undefined) throw new Error('no signed checkpoint exists yet; seal the log first');
  const size = Number(last.treeSize);
  if (!(range.from >= 0 && range.from < range.to && range.to <= size)) {
    throw new Error(`range ${range.from}…${range.to} is not inside the signed tree of ${size} events`);
  }
  const source = nodeSource(runtime.db);
  const consistency = [];
  for (let i = 1; i < checkpoints.length; i++) {
    const from = Number(checkpoints[i - 1]!.treeSize);
    const to = Number(checkpoints[i]!.treeSize);
    consistency.push({ from, to, hashes: hex(await consistencyProof(source, from, to)) });
  }
  const rows = await runtime.db
    .selectFrom('audit_leaf as l')
    .innerJoin('audit_event as e', 'e.seq', 'l.eventSeq')
    .select(['l.leafIndex', 'e.canonical'])
    .where('l.leafIndex', '>=', range.from)
    .where('l.leafIndex', '<', range.to)
    .orderBy('l.leafIndex')
    .execute();
  const events = [];
  for (const row of rows) {
    const index = Number(row.leafIndex);
    events.push({ index, canonical: row.canonical, proof: hex(await inclusionProof(source, index, size)) });
  }
  const bundle = {
    format: 'medledger-audit-bundle/1',
    origin: runtime.audit.origin,
    publicKey: { name: runtime.audit.signer.keyName, ed25519: runtime.audit.signer.publicKey.toString('base64') },
    checkpoints: checkpoints.map((c) => c.note),
    consistency,
    range,
    events,
  };
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  return { text, sha256: createHash('sha256').update(text).digest('hex'), treeSize: size };
}
