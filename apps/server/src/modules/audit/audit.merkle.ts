import { createHash, hash } from 'node:crypto';

/**
 * The writing side of the RFC 6962 Merkle tree: hashing, an append-only compact range (the
 * "frontier" of perfect subtrees), and proof construction from stored subtree hashes. The offline
 * verifier (bundle-verifier.ts) re-implements the checking side independently.
 */

export const EMPTY_ROOT = createHash('sha256').digest();

// One-shot hashing (no Hash object per call) matters here: verification hashes every event.

/** H(0x00 ‖ UTF-8 bytes of the canonical event); U+0000 encodes as the single byte 0x00. */
export function leafHashOf(canonical: string): Buffer {
  return hash('sha256', `\u0000${canonical}`, 'buffer');
}

const nodeInput = Buffer.alloc(65, 0);
nodeInput[0] = 1;

/** H(0x01 ‖ left ‖ right), through a scratch buffer (hashing is synchronous, so it is never shared). */
export function nodeHashOf(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** Roots of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost) first. */
export type Frontier = { size: number; nodes: Buffer[] };

export const emptyFrontier = (): Frontier => ({ size: 0, nodes: [] });

export type CompletedNode = { level: number; idx: number; hash: Buffer };

/** Appends a leaf; returns the interior nodes (level ≥ 1) that this leaf completed, for storage. */
export function appendLeaf(frontier: Frontier, leaf: Buffer): CompletedNode[] {
  const leafIndex = frontier.size;
  const completed: CompletedNode[] = [];
  let hash = leaf;
  let i = leafIndex;
  let level = 0;
  while (i % 2 === 1) {
    const left = frontier.nodes.pop();
    if (left === undefined) throw new Error('frontier is inconsistent with its size');
    hash = nodeHashOf(left, hash);
    i = Math.floor(i / 2);
    level++;
    completed.push({ level, idx: Math.floor(leafIndex / 2 ** level), hash });
  }
  frontier.nodes.push(hash);
  frontier.size++;
  return completed;
}

export function frontierRoot(frontier: Frontier): Buffer {
  const nodes = frontier.nodes;
  if (nodes.length === 0) return EMPTY_ROOT;
  let hash = nodes[nodes.length - 1]!;
  for (let j = nodes.length - 2; j >= 0; j--) hash = nodeHashOf(nodes[j]!, hash);
  return hash;
}

/** The (level, idx) of each perfect subtree in a tree of `size` leaves, left to right. */
export function frontierPositions(size: number): { level: number; idx: number }[] {
  const out: { level: number; idx: number }[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      out.push({ level, idx: start / width });
      start += width;
    }
  }
  return out;
}

/** Reads a stored perfect-subtree hash: level 0 is a leaf hash. */
export type NodeSource = (level: number, idx: number) => Promise<Buffer>;

const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

/** MTH(D[start : start + n]) using stored perfect subtrees (O(log² n) reads). */
export async function subtreeHash(source: NodeSource, start: number, n: number): Promise<Buffer> {
  if (n === 0) return EMPTY_ROOT;
  const level = Math.log2(n);
  if (Number.isInteger(level) && start % n === 0) return source(level, start / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHashOf(await subtreeHash(source, start, k), await subtreeHash(source, start + k, n - k));
}

/** RFC 6962 §2.1.1 PATH(m, D[0:n]): the inclusion proof of leaf m in a tree of size n. */
export async function inclusionProof(source: NodeSource, m: number, n: number): Promise<Buffer[]> {
  const path = async (index: number, start: number, size: number): Promise<Buffer[]> => {
    if (size <= 1) return [];
    const k = largestPowerOfTwoBelow(size);
    if (index < k) return [...(await path(index, start, k)), await subtreeHash(source, start + k, size - k)];
    return [...(await path(index - k, start + k, size - k)), await subtreeHash(source, start, k)];
  };
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of size ${n}`);
  return path(m, 0, n);
}

/** RFC 6962 §2.1.2 PROOF(m, D[0:n]): the consistency proof between tree sizes m and n. */
export async function consistencyProof(source: NodeSource, m: number, n: number): Promise<Buffer[]> {
  const subproof = async (mm: number, start: number, size: number, complete: boolean): Promise<Buffer[]> => {
    if (mm === size) return complete ? [] : [await subtreeHash(source, start, size)];
    const k = largestPowerOfTwoBelow(size);
    if (mm <= k) return [...(await subproof(mm, start, k, complete)), await subtreeHash(source, start + k, size - k)];
    return [...(await subproof(mm - k, start + k, size - k, false)), await subtreeHash(source, start, k)];
  };
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === n) return [];
  return subproof(m, 0, n, true);
}
