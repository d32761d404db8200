import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  canonicalizeJson,
  checkpointKeyId,
  leafHash,
  nodeHash,
  parseCheckpoint,
  parseSignedNote,
  verifyBundle,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from './bundle-verifier.js';

// ---------------------------------------------------------------------------------------------------------------------
// Test helpers, written independently of the verifier
// ---------------------------------------------------------------------------------------------------------------------

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

function sha256(...parts: (Uint8Array | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no element at ${index}`);
  return item;
}

/** Deterministic pseudo-random bytes: SHA-256(seed ‖ counter) blocks. */
function seededBytes(seed: string): { bytes(n: number): Buffer; below(n: number): number } {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (n: number): Buffer => {
    while (pool.length < n) {
      pool = Buffer.concat([pool, sha256(seed, String(counter++))]);
    }
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return Buffer.from(out);
  };
  return { bytes, below: (n) => bytes(4).readUInt32BE(0) % n };
}

function flipBit(hash: Buffer, mask = 0x08, position = 0): Buffer {
  const copy = Buffer.from(hash);
  copy[position] = (copy[position] ?? 0) ^ mask;
  return copy;
}

/** The largest power of two smaller than n (n ≥ 2), as RFC 6962 §2.1 defines k. */
const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

/**
 * A Merkle tree over `data`, straight from the RFC 6962 §2.1 definitions (MTH, PATH, PROOF/SUBPROOF), recursive and
 * memoised. It shares no code with the verifier.
 */
function naiveTree(data: readonly Uint8Array[]) {
  const memo = new Map<string, Buffer>();
  const mth = (lo: number, hi: number): Buffer => {
    const key = `${lo}:${hi}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const n = hi - lo;
    let hash: Buffer;
    if (n === 0) hash = sha256();
    else if (n === 1) hash = sha256(Buffer.from([0x00]), at(data, lo));
    else {
      const k = largestPowerOfTwoBelow(n);
      hash = sha256(Buffer.from([0x01]), mth(lo, lo + k), mth(lo + k, hi));
    }
    memo.set(key, hash);
    return hash;
  };
  const path = (m: number, lo: number, hi: number): Buffer[] => {
    const n = hi - lo;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k ? [...path(m, lo, lo + k), mth(lo + k, hi)] : [...path(m - k, lo + k, hi), mth(lo, lo + k)];
  };
  const subproof = (m: number, lo: number, hi: number, complete: boolean): Buffer[] => {
    const n = hi - lo;
    if (m === n) return complete ? [] : [mth(lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...subproof(m, lo, lo + k, complete), mth(lo + k, hi)]
      : [...subproof(m - k, lo + k, hi, false), mth(lo, lo + k)];
  };
  return {
    root: (n: number): Buffer => mth(0, n),
    leaf: (m: number): Buffer => mth(m, m + 1),
    path: (m: number, n: number): Buffer[] => path(m, 0, n),
    proof: (m: number, n: number): Buffer[] => subproof(m, 0, n, true),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// RFC 6962 test vectors. Leaves, roots and proofs: transparency-dev/merkle proof/verify_test.go (the same table as
// google/certificate-transparency's merkle tree tests). Proof indices there are 1-based; here they are 0-based.
// ---------------------------------------------------------------------------------------------------------------------

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  hex,
);

const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);

const root = (size: number): Buffer => at(ROOTS, size - 1);

const INCLUSION_VECTORS: { index: number; size: number; proof: Buffer[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ].map(hex),
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ].map(hex),
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'].map(hex) },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ].map(hex),
  },
];

const CONSISTENCY_VECTORS: { size1: number; size2: number; proof: Buffer[] }[] = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ].map(hex),
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ].map(hex),
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ].map(hex),
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ].map(hex),
  },
];

const EMPTY_ROOT = hex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

describe('RFC 6962 hashing', () => {
  test('leaf and node hashes rebuild the published roots for sizes 1..8', () => {
    const leaves = LEAVES.map((leaf) => leafHash(leaf));
    const [l0, l1, l2, l3, l4, l5, l6, l7] = leaves.map((_, i) => at(leaves, i));
    if (!l0 || !l1 || !l2 || !l3 || !l4 || !l5 || !l6 || !l7) throw new Error('eight leaves');
    const n01 = nodeHash(l0, l1);
    const n23 = nodeHash(l2, l3);
    const n45 = nodeHash(l4, l5);
    const n0123 = nodeHash(n01, n23);
    expect(l0).toEqual(root(1));
    expect(n01).toEqual(root(2));
    expect(nodeHash(n01, l2)).toEqual(root(3));
    expect(n0123).toEqual(root(4));
    expect(nodeHash(n0123, l4)).toEqual(root(5));
    expect(nodeHash(n0123, n45)).toEqual(root(6));
    expect(nodeHash(n0123, nodeHash(n45, l6))).toEqual(root(7));
    expect(nodeHash(n0123, nodeHash(n45, nodeHash(l6, l7)))).toEqual(root(8));
  });

  test("the test's own naive MTH, PATH and PROOF reproduce the published vectors", () => {
    const tree = naiveTree(LEAVES);
    expect(tree.root(0)).toEqual(EMPTY_ROOT);
    for (let n = 1; n <= 8; n++) expect(tree.root(n).toString('hex'), `size ${n}`).toBe(root(n).toString('hex'));
    for (const v of INCLUSION_VECTORS) expect(tree.path(v.index, v.size)).toEqual(v.proof);
    for (const v of CONSISTENCY_VECTORS.filter((c) => c.size1 < c.size2)) {
      expect(tree.proof(v.size1, v.size2)).toEqual(v.proof);
    }
  });
});

describe('verifyInclusion', () => {
  test.each(INCLUSION_VECTORS)('published proof for index $index in a tree of size $size verifies', (v) => {
    expect(verifyInclusion(v.index, v.size, leafHash(at(LEAVES, v.index)), v.proof, root(v.size))).toBe(true);
  });

  test.each(INCLUSION_VECTORS.filter((v) => v.proof.length > 0))(
    'mutations of the proof for index $index in a tree of size $size are rejected',
    ({ index, size, proof }) => {
      const leaf = leafHash(at(LEAVES, index));
      const good = root(size);
      const probes: [string, number, number, Buffer, Buffer[], Buffer][] = [
        ['index - 1', index - 1, size, leaf, proof, good],
        ['index + 1', index + 1, size, leaf, proof, good],
        ['index ^ 2', index ^ 2, size, leaf, proof, good],
        ['size * 2', index, size * 2, leaf, proof, good],
        ['size / 2', index, Math.floor(size / 2), leaf, proof, good],
        ['wrong leaf', index, size, leafHash(Buffer.from('WrongLeaf')), proof, good],
        ['empty root', index, size, leaf, proof, EMPTY_ROOT],
        ['random root', index, size, leaf, proof, SOME_HASH],
        ['trailing root', index, size, leaf, [...proof, good], good],
        ['preceding root', index, size, leaf, [good, ...proof], good],
        ['removed component', index, size, leaf, proof.slice(0, -1), good],
        ['inserted component', index, size, leaf, [at(proof, 0), SOME_HASH, ...proof.slice(1)], good],
        ['short leaf hash', index, size, leaf.subarray(0, 31), proof, good],
        [
          'long proof element',
          index,
          size,
          leaf,
          [Buffer.concat([at(proof, 0), Buffer.from([0])]), ...proof.slice(1)],
          good,
        ],
        ['non-integer index', index + 0.5, size, leaf, proof, good],
        ['unsafe size', index, 2 ** 53, leaf, proof, good],
        ['NaN index', Number.NaN, size, leaf, proof, good],
      ];
      for (let i = 0; i < proof.length; i++) {
        const flipped = proof.map((p, j) => (j === i ? flipBit(p) : p));
        probes.push([`flipped bit in proof[${i}]`, index, size, leaf, flipped, good]);
      }
      const accepted = probes.filter(([, i, s, l, p, r]) => verifyInclusion(i, s, l, p, r)).map(([name]) => name);
      expect(accepted).toEqual([]);
    },
  );

  test('rejects indices outside the tree and empty trees', () => {
    const leaf = leafHash(at(LEAVES, 0));
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 1],
      [-1, 1],
    ] as const) {
      expect(verifyInclusion(index, size, leaf, [], leaf), `${index}/${size}`).toBe(false);
      expect(verifyInclusion(index, size, SOME_HASH, [], EMPTY_ROOT), `${index}/${size}`).toBe(false);
    }
  });

  test('a single-leaf tree needs an empty proof and root = leaf hash', () => {
    const leaf = leafHash(Buffer.from('data'));
    expect(verifyInclusion(0, 1, leaf, [], leaf)).toBe(true);
    expect(verifyInclusion(0, 1, leaf, [leaf], leaf)).toBe(false);
    expect(verifyInclusion(0, 1, leaf, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], Buffer.alloc(0))).toBe(false);
  });
});

describe('verifyConsistency', () => {
  test.each(CONSISTENCY_VECTORS)('published proof from $size1 to $size2 verifies', (v) => {
    expect(verifyConsistency(v.size1, v.size2, root(v.size1), root(v.size2), v.proof)).toBe(true);
  });

  test.each(CONSISTENCY_VECTORS.filter((v) => v.proof.length > 0))(
    'mutations of the proof from $size1 to $size2 are rejected',
    ({ size1, size2, proof }) => {
      const r1 = root(size1);
      const r2 = root(size2);
      const wrongRoot = sha256('WrongRoot');
      const probes: [string, number, number, Buffer, Buffer, Buffer[]][] = [
        ['size1 - 1', size1 - 1, size2, r1, r2, proof],
        ['size1 + 1', size1 + 1, size2, r1, r2, proof],
        ['size1 ^ 2', size1 ^ 2, size2, r1, r2, proof],
        ['size2 * 2', size1, size2 * 2, r1, r2, proof],
        ['size2 / 2', size1, Math.floor(size2 / 2), r1, r2, proof],
        ['wrong root1', size1, size2, wrongRoot, r2, proof],
        ['wrong root2', size1, size2, r1, wrongRoot, proof],
        ['swapped roots', size1, size2, r2, r1, proof],
        ['empty proof', size1, size2, r1, r2, []],
        ['trailing root1', size1, size2, r1, r2, [...proof, r1]],
        ['trailing root2', size1, size2, r1, r2, [...proof, r2]],
        ['preceding root1', size1, size2, r1, r2, [r1, ...proof]],
        ['preceding root2', size1, size2, r1, r2, [r2, ...proof]],
        ['preceding proof[0]', size1, size2, r1, r2, [at(proof, 0), ...proof]],
        ['truncated proof', size1, size2, r1, r2, proof.slice(0, -1)],
        ['unsafe size2', size1, 2 ** 53, r1, r2, proof],
        ['fractional size1', size1 + 0.5, size2, r1, r2, proof],
      ];
      for (let i = 0; i < proof.length; i++) {
        const flipped = proof.map((p, j) => (j === i ? flipBit(p, 0x10) : p));
        probes.push([`flipped bit in proof[${i}]`, size1, size2, r1, r2, flipped]);
      }
      const accepted = probes.filter(([, s1, s2, a, b, p]) => verifyConsistency(s1, s2, a, b, p)).map(([n]) => n);
      expect(accepted).toEqual([]);
    },
  );

  test('equal sizes, the empty tree and going backwards', () => {
    const r1 = root(1);
    const r2 = root(2);
    expect(verifyConsistency(1, 1, r1, r1, [])).toBe(true);
    expect(verifyConsistency(1, 1, r1, r2, [])).toBe(false);
    expect(verifyConsistency(1, 1, r1, r1, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, r1, [])).toBe(false);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, r1, [])).toBe(true);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root(8), [])).toBe(true);
    expect(verifyConsistency(0, 1, SOME_HASH, r1, [])).toBe(false);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, r1, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(1, 0, r1, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(2, 1, r2, r1, [])).toBe(false);
    expect(verifyConsistency(1, 2, r1, r2, [])).toBe(false);
    expect(verifyConsistency(-1, 2, r1, r2, [])).toBe(false);
  });
});

describe('proofs over hand-built trees of 1..70 random leaves', () => {
  const random = seededBytes('bundle-verifier merkle sweep');
  const data = Array.from({ length: 71 }, () => random.bytes(1 + random.below(40)));
  const tree = naiveTree(data);
  const MAX = 70;

  test('every inclusion proof in every tree size verifies, and corrupted ones do not', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX; n++) {
      const r = tree.root(n);
      for (let m = 0; m < n; m++) {
        const leaf = leafHash(at(data, m));
        expect(leaf).toEqual(tree.leaf(m));
        const path = tree.path(m, n);
        checked++;
        if (!verifyInclusion(m, n, leaf, path, r)) wrong.push(`rejected valid ${m}/${n}`);
        const corrupt: [string, boolean][] = [
          ['other index', n > 1 && verifyInclusion((m + 1 + random.below(n - 1)) % n, n, leaf, path, r)],
          ['other leaf', verifyInclusion(m, n, leafHash(random.bytes(8)), path, r)],
          ['next root', verifyInclusion(m, n, leaf, path, tree.root(n + 1))],
          ['extra hash', verifyInclusion(m, n, leaf, [...path, r], r)],
          ['index = size', verifyInclusion(n, n, leaf, path, r)],
        ];
        if (path.length > 0) {
          const i = random.below(path.length);
          const flipped = path.map((p, j) => (j === i ? flipBit(p, 1 << random.below(8), random.below(32)) : p));
          corrupt.push(['flipped bit', verifyInclusion(m, n, leaf, flipped, r)]);
          corrupt.push(['truncated', verifyInclusion(m, n, leaf, path.slice(0, -1), r)]);
          corrupt.push(['reversed', path.length > 1 && verifyInclusion(m, n, leaf, [...path].reverse(), r)]);
        }
        for (const [name, accepted] of corrupt) if (accepted) wrong.push(`accepted ${name} for ${m}/${n}`);
      }
    }
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
    expect(wrong).toEqual([]);
  });

  test('every consistency proof between tree sizes verifies, and corrupted ones do not', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.proof(m, n);
        checked++;
        if (!verifyConsistency(m, n, tree.root(m), tree.root(n), proof)) wrong.push(`rejected valid ${m}→${n}`);
        if (m === n) continue;
        const corrupt: [string, boolean][] = [
          ['other old root', verifyConsistency(m, n, tree.root(m + 1), tree.root(n), proof)],
          ['other new root', verifyConsistency(m, n, tree.root(m), tree.root(n + 1), proof)],
          ['swapped roots', verifyConsistency(m, n, tree.root(n), tree.root(m), proof)],
          ['truncated', verifyConsistency(m, n, tree.root(m), tree.root(n), proof.slice(0, -1))],
          ['extra hash', verifyConsistency(m, n, tree.root(m), tree.root(n), [...proof, tree.root(n)])],
          ['backwards', verifyConsistency(n, m, tree.root(n), tree.root(m), proof)],
        ];
        const i = random.below(proof.length);
        const flipped = proof.map((p, j) => (j === i ? flipBit(p, 1 << random.below(8), random.below(32)) : p));
        corrupt.push(['flipped bit', verifyConsistency(m, n, tree.root(m), tree.root(n), flipped)]);
        for (const [name, accepted] of corrupt) if (accepted) wrong.push(`accepted ${name} for ${m}→${n}`);
      }
    }
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
    expect(wrong).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// RFC 8785. Vectors: cyberphone/json-canonicalization testdata (values.json, weird.json), RFC 8785 §3.2.3 (sorting)
// and Appendix B (number serialisation).
// ---------------------------------------------------------------------------------------------------------------------

function doubleFromBits(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

describe('canonicalizeJson (RFC 8785)', () => {
  test('cyberphone testdata values.json', () => {
    const input = String.raw`{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
    const output = String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`;
    expect(canonicalizeJson(JSON.parse(input))).toBe(output);
  });

  test('cyberphone testdata weird.json: keys sorted by UTF-16 code units, nothing non-ASCII escaped', () => {
    const input = String.raw`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`;
    const output =
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    expect(canonicalizeJson(JSON.parse(input))).toBe(output);
  });

  test('RFC 8785 §3.2.3 sorting example (U+1F600 sorts before U+FB33 by code units)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalizeJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  test('number spellings from RFC 8785 §3.2.2.3', () => {
    const cases: [string, string][] = [
      ['1e30', '1e+30'],
      ['1E30', '1e+30'],
      ['4.50', '4.5'],
      ['2e-3', '0.002'],
      ['0.000001', '0.000001'],
      ['1e-7', '1e-7'],
      ['-0', '0'],
      ['0.000000000000000000000000001', '1e-27'],
      ['100', '100'],
      ['1e21', '1e+21'],
      ['123456789012345680000', '123456789012345680000'],
    ];
    for (const [text, canonical] of cases) expect(canonicalizeJson(JSON.parse(text)), text).toBe(canonical);
  });

  test.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('RFC 8785 Appendix B: IEEE 754 %s → %s', (bits, canonical) => {
    expect(canonicalizeJson(doubleFromBits(bits))).toBe(canonical);
  });

  test('string escaping: short escapes, lowercase \\u00XX for other controls, everything else literal', () => {
    const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
    for (let c = 0; c < 0x20; c++) {
      const expected = short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
      expect(canonicalizeJson(String.fromCharCode(c))).toBe(`"${expected}"`);
    }
    expect(canonicalizeJson('\u001f')).toBe('"\\u001f"');
    expect(canonicalizeJson('"\\')).toBe('"\\"\\\\"');
    expect(canonicalizeJson('/\u007f\u2028\u2029é张三😀')).toBe('"/\u007f\u2028\u2029é张三😀"');
  });

  test('string escaping agrees with ECMAScript JSON.stringify on random well-formed strings', () => {
    const random = seededBytes('rfc8785 strings');
    const alphabet = ['a', 'Z', '"', '\\', '/', '\u0000', '\u0008', '\u001f', '\u007f', 'é', '张', '\u2028', '😀'];
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: random.below(20) }, () => at(alphabet, random.below(alphabet.length))).join('');
      expect(canonicalizeJson(text)).toBe(JSON.stringify(text));
    }
  });

  test('nested objects and arrays are sorted recursively; array order is kept', () => {
    const value = { z: [{ b: 1, a: [3, 2, { d: null, c: false }] }], a: { y: 'x', x: 'y' } };
    expect(canonicalizeJson(value)).toBe('{"a":{"x":"y","y":"x"},"z":[{"a":[3,2,{"c":false,"d":null}],"b":1}]}');
  });

  test('values outside the I-JSON data model are refused', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, undefined, () => 1, 1n, Symbol('s'), new Date(0), '\ud800']) {
      expect(() => canonicalizeJson(bad)).toThrow(TypeError);
    }
    expect(() => canonicalizeJson({ a: '\udc00x' })).toThrow(TypeError);
    expect(() => canonicalizeJson({ ['\ud800']: 1 })).toThrow(TypeError);
    expect(() => canonicalizeJson([1, , 2])).toThrow(TypeError); // eslint-disable-line no-sparse-arrays
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// C2SP signed notes and checkpoints
// ---------------------------------------------------------------------------------------------------------------------

const rawPublicKey = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' }).subarray(12);

/** Key ID per C2SP signed-note, computed here independently of the verifier. */
const keyIdOf = (name: string, publicKey: Buffer): Buffer =>
  sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), publicKey).subarray(0, 4);

type Signer = { name: string; privateKey: KeyObject; publicKey: Buffer };

function signNote(body: string, signer: Signer, keyId = keyIdOf(signer.name, signer.publicKey)): string {
  const signature = sign(null, Buffer.from(body), signer.privateKey);
  return `${body}\n\u2014 ${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

const checkpointBody = (origin: string, size: number, rootHash: Buffer): string =>
  `${origin}\n${size}\n${rootHash.toString('base64')}\n`;

function generatedSigner(name: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey: rawPublicKey(publicKey) };
}

describe('C2SP signed notes and checkpoints', () => {
  const origin = 'example.com/medledger/audit';
  const signer = generatedSigner(origin);
  const trusted = { origin, keyName: signer.name, publicKey: signer.publicKey };
  const rootHash = root(8);
  const body = checkpointBody(origin, 8, rootHash);
  const note = signNote(body, signer);

  test('a freshly signed checkpoint parses and verifies; the key ID follows the spec', () => {
    expect(checkpointKeyId(signer.name, signer.publicKey)).toEqual(keyIdOf(signer.name, signer.publicKey));
    const parsed = parseCheckpoint(note);
    expect(parsed.ok && parsed.value).toMatchObject({ origin, size: 8, rootHash, body });
    const verified = verifyCheckpoint(note, trusted);
    expect(verified).toMatchObject({ ok: true, value: { origin, size: 8 } });
  });

  test('wrong key, wrong name, wrong origin are refused', () => {
    const other = generatedSigner(origin);
    expect(verifyCheckpoint(note, { ...trusted, publicKey: other.publicKey })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/key ID/) as unknown,
    });
    // Signed by another key but claiming the trusted key ID: the signature itself must fail.
    const forged = signNote(body, other, keyIdOf(signer.name, signer.publicKey));
    expect(verifyCheckpoint(forged, trusted)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not verify/) as unknown,
    });
    expect(verifyCheckpoint(note, { ...trusted, keyName: 'example.com/other' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/key name/) as unknown,
    });
    expect(verifyCheckpoint(note, { ...trusted, origin: 'example.com/other' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/origin/) as unknown,
    });
  });

  test('altered size or root lines break the signature', () => {
    const alteredSize = note.replace('\n8\n', '\n9\n');
    const alteredRoot = note.replace(rootHash.toString('base64'), root(7).toString('base64'));
    for (const altered of [alteredSize, alteredRoot]) {
      expect(altered).not.toBe(note);
      expect(verifyCheckpoint(altered, trusted)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/does not verify/) as unknown,
      });
    }
  });

  test('malformed notes are refused by the parser', () => {
    const cases: [string, string, RegExp][] = [
      ['missing em dash', note.replace('\u2014 ', '- '), /em dash/],
      ['en dash', note.replace('\u2014', '\u2013'), /em dash/],
      ['extra body line', signNote(`${body}extension line\n`, signer), /exactly three lines/],
      ['no blank line', note.replace('\n\n', '\n'), /blank line|three lines/],
      ['no final newline', note.slice(0, -1), /newline/],
      ['CRLF', note.replace(/\n/g, '\r\n'), /control character U\+000D/],
      [
        'leading zero size',
        signNote(checkpointBody(origin, 8, rootHash).replace('\n8\n', '\n08\n'), signer),
        /decimal/,
      ],
      ['negative size', signNote(checkpointBody(origin, 8, rootHash).replace('\n8\n', '\n-8\n'), signer), /decimal/],
      ['huge size', signNote(checkpointBody(origin, 2 ** 53, rootHash), signer), /too large/],
      ['short root', signNote(`${origin}\n8\n${rootHash.subarray(1).toString('base64')}\n`, signer), /root hash/],
      ['size 0, wrong root', signNote(checkpointBody(origin, 0, rootHash), signer), /empty-tree root/],
      ['empty origin', signNote(checkpointBody('', 8, rootHash), signer), /origin line is empty/],
      ['key name with +', note.replace(`\u2014 ${origin} `, `\u2014 a+b `), /invalid key name/],
      ['tab in note', note.replace(origin, `${origin}\t`), /control character/],
    ];
    for (const [name, text, error] of cases) {
      const parsed = parseCheckpoint(text);
      expect(parsed.ok, name).toBe(false);
      if (!parsed.ok) expect(parsed.error, name).toMatch(error);
    }
  });

  test('non-canonical base64 in the signature line is refused', () => {
    const signatureLine = note.slice(note.lastIndexOf('\u2014'));
    const encoded = signatureLine.slice(signatureLine.lastIndexOf(' ') + 1, -1);
    // 68 bytes encode to 92 characters ending in "=": the last data character carries 2 unused bits.
    const last = encoded.charAt(encoded.length - 2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    const tweaked = `${encoded.slice(0, -2)}${sibling}=`;
    expect(Buffer.from(tweaked, 'base64')).toEqual(Buffer.from(encoded, 'base64'));
    const parsed = parseCheckpoint(note.replace(encoded, tweaked));
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/canonical/) as unknown });
  });

  test('two signature lines are parsed, but a bundle checkpoint must have exactly one', () => {
    const cosigner = generatedSigner('witness.example/w1');
    const cosigned = `${note}${signNote(body, cosigner).slice(body.length + 1)}`;
    const parsed = parseSignedNote(cosigned);
    expect(parsed.ok && parsed.value.signatures.map((s) => s.name)).toEqual([origin, cosigner.name]);
    expect(verifyCheckpoint(cosigned, trusted)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/exactly one/) as unknown,
    });
  });

  // golang.org/x/mod/sumdb/note note_test.go / example_test.go (the example of the signed-note format).
  test('official vector: golang.org/x/mod/sumdb/note "PeterNeumann"', () => {
    const verifierKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const signed =
      `${text}\n\u2014 PeterNeumann ` +
      'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
    const encodedKey = Buffer.from(verifierKey.split('+')[2] ?? '', 'base64');
    expect(encodedKey[0]).toBe(0x01);
    const publicKey = encodedKey.subarray(1);
    expect(checkpointKeyId('PeterNeumann', publicKey).toString('hex')).toBe('c74f20a3');

    const parsed = parseSignedNote(signed);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.text).toBe(text);
    const [signature] = parsed.value.signatures;
    expect(signature?.name).toBe('PeterNeumann');
    expect(signature?.keyId.toString('hex')).toBe('c74f20a3');
    const key = createPublicKey({
      key: Buffer.concat([hex('302a300506032b6570032100'), publicKey]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, Buffer.from(parsed.value.text), key, signature?.signature ?? Buffer.alloc(0))).toBe(true);
    expect(parseCheckpoint(signed)).toMatchObject({ ok: false }); // a note, but not a checkpoint
  });

  // A real sum.golang.org checkpoint, from google/trillian-examples formats/log/checkpoint_test.go (TestSumDBNoteParsing).
  test('official vector: a sum.golang.org checkpoint', () => {
    const verifierKey = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
    const checkpoint =
      'go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n' +
      '\u2014 sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n';
    const encodedKey = Buffer.from(verifierKey.slice(verifierKey.indexOf('+', 15) + 1), 'base64');
    expect(encodedKey[0]).toBe(0x01);
    const publicKey = encodedKey.subarray(1);
    expect(checkpointKeyId('sum.golang.org', publicKey).toString('hex')).toBe('033de0ae');
    const sumdb = { origin: 'go.sum database tree', keyName: 'sum.golang.org', publicKey };
    expect(verifyCheckpoint(checkpoint, sumdb)).toMatchObject({
      ok: true,
      value: { origin: 'go.sum database tree', size: 6476701 },
    });
    expect(verifyCheckpoint(checkpoint.replace('6476701', '6476702'), sumdb)).toMatchObject({ ok: false });
    expect(verifyCheckpoint(checkpoint, { ...sumdb, origin: 'Go rocks but I might have the wrong ID' })).toMatchObject({
      ok: false,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Whole bundles, built here with the naive tree code and a deterministic Ed25519 key
// ---------------------------------------------------------------------------------------------------------------------

type Bundle = {
  format: string;
  origin: string;
  publicKey: { name: string; ed25519: string };
  checkpoints: string[];
  consistency: { from: number; to: number; hashes: string[] }[];
  range: { from: number; to: number };
  events: { index: number; canonical: string; proof: string[] }[];
};

const ORIGIN = 'medledger.local/audit/3f2a9c1e';

function seededSigner(name: string, seed: string): Signer {
  const pkcs8 = Buffer.concat([hex('302e020100300506032b657004220420'), sha256(seed)]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return { name, privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

const SIGNER = seededSigner(ORIGIN, 'bundle signer');
const OTHER_SIGNER = seededSigner(ORIGIN, 'somebody else');

/** Canonical JSON for event i, written by hand (keys in sorted order; strings escaped by JSON.stringify). */
function eventText(i: number): string {
  const actors = ['张三', 'Zoë Müller', 'O\'Brien "QA"'];
  const actions = ['session.login', 'stock.receive', 'order.approve', 'recall.open'];
  const detail = i % 3 === 0 ? `第 ${i} 次\tline\nnext \u0001` : `lot LOT-${1000 + i}`;
  return (
    `{"action":"${at(actions, i % actions.length)}","actor":{"id":"u-${i % 5}","name":${JSON.stringify(at(actors, i % 3))}},` +
    `"at":"2025-04-01T08:${String(i % 60).padStart(2, '0')}:00.000Z","detail":${JSON.stringify(detail)},` +
    `"id":"evt-${i}","outcome":"${i % 4 === 3 ? 'denied' : 'ok'}","seq":${i}}`
  );
}

const LOG = Array.from({ length: 40 }, (_, i) => eventText(i));

function buildBundle(
  options: { leaves?: string[]; sizes?: number[]; range?: [number, number]; signer?: Signer } = {},
): Bundle {
  const leaves = options.leaves ?? LOG;
  const sizes = options.sizes ?? [10, 23, 37];
  const [from, to] = options.range ?? [12, 20];
  const signer = options.signer ?? SIGNER;
  const tree = naiveTree(leaves.map((text) => Buffer.from(text, 'utf8')));
  const last = at(sizes, sizes.length - 1);
  const toHex = (hashes: Buffer[]): string[] => hashes.map((h) => h.toString('hex'));
  return {
    format: 'medledger-audit-bundle/1',
    origin: ORIGIN,
    publicKey: { name: signer.name, ed25519: signer.publicKey.toString('base64') },
    checkpoints: sizes.map((size) => signNote(checkpointBody(ORIGIN, size, tree.root(size)), signer)),
    consistency: sizes.slice(1).map((size, i) => {
      const previous = at(sizes, i);
      return { from: previous, to: size, hashes: toHex(tree.proof(previous, size)) };
    }),
    range: { from, to },
    events: Array.from({ length: to - from }, (_, i) => ({
      index: from + i,
      canonical: at(leaves, from + i),
      proof: toHex(tree.path(from + i, last)),
    })),
  };
}

const serialize = (bundle: unknown, indent: number | string = 2): string => `${JSON.stringify(bundle, null, indent)}\n`;

function verifyObject(mutate: (bundle: Bundle) => void, options?: Parameters<typeof buildBundle>[0]) {
  const bundle = buildBundle(options);
  mutate(bundle);
  return verifyBundle(serialize(bundle));
}

describe('verifyBundle', () => {
  test('the hand-built events are canonical JSON', () => {
    for (const text of LOG) expect(canonicalizeJson(JSON.parse(text))).toBe(text);
  });

  test('a valid bundle with three checkpoints verifies', () => {
    const result = verifyBundle(serialize(buildBundle()));
    expect(result).toEqual({
      ok: true,
      problems: [],
      treeSize: 37,
      eventsVerified: 8,
      checkpointsVerified: 3,
      origin: ORIGIN,
      keyId: keyIdOf(ORIGIN, SIGNER.publicKey).toString('hex'),
    });
  });

  test('other shapes verify: one checkpoint with every event, a power-of-two first size, an empty range', () => {
    expect(verifyBundle(serialize(buildBundle({ sizes: [37], range: [0, 37] })))).toMatchObject({
      ok: true,
      eventsVerified: 37,
      checkpointsVerified: 1,
    });
    expect(verifyBundle(serialize(buildBundle({ sizes: [8, 16, 17, 40], range: [30, 40] })))).toMatchObject({
      ok: true,
      treeSize: 40,
      eventsVerified: 10,
      checkpointsVerified: 4,
    });
    expect(verifyBundle(serialize(buildBundle({ sizes: [1, 2], range: [1, 1] })))).toMatchObject({
      ok: true,
      eventsVerified: 0,
    });
  });

  test('JSON.stringify layouts (compact, 2 or 4 spaces, tab; optional final newline) are accepted', () => {
    const bundle = buildBundle();
    for (const indent of [0, 2, 4, '\t']) {
      const text = JSON.stringify(bundle, null, indent);
      expect(verifyBundle(text).ok, `indent ${JSON.stringify(indent)}`).toBe(true);
      expect(verifyBundle(`${text}\n`).ok, `indent ${JSON.stringify(indent)} + newline`).toBe(true);
    }
  });

  test('one altered character anywhere in the file is never accepted', () => {
    const files = [JSON.stringify(buildBundle()), serialize(buildBundle())];
    const masks = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40];
    const accepted: string[] = [];
    let tried = 0;
    for (const [f, file] of files.entries()) {
      const step = f === 0 ? 3 : 13; // the compact file at every 3rd character, the indented one at every 13th
      for (let position = f; position < file.length; position += step) {
        const mask = at(masks, tried % masks.length);
        const flipped = String.fromCharCode(file.charCodeAt(position) ^ mask);
        const altered = file.slice(0, position) + flipped + file.slice(position + 1);
        tried++;
        const result = verifyBundle(altered);
        if (result.ok || result.problems.length === 0) accepted.push(`file ${f} position ${position} mask ${mask}`);
      }
    }
    console.log(
      'FLIP',
      files.map((f) => f.length),
      tried,
    );
    expect(tried).toBeGreaterThan(2500);
    expect(accepted).toEqual([]);
  });

  test('a re-formatted file (CRLF, a tab, a duplicated key) is reported even though its content verifies', () => {
    const text = serialize(buildBundle());
    const variants = [
      text.replace(/\n/g, '\r\n'),
      text.replace('\n  "origin"', '\n\t"origin"'),
      text.replace('\n  "origin"', '\n  "format": "medledger-audit-bundle/1",\n  "origin"'),
      text.replace('"range": {', '"range":  {'),
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(text);
      const result = verifyBundle(variant);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.stringMatching(/^bundle file: its bytes differ from the exported/)]);
      expect(result.eventsVerified).toBe(8);
    }
  });

  test('wrong format string', () => {
    const result = verifyObject((b) => {
      b.format = 'medledger-audit-bundle/2';
    });
    expect(result.problems).toEqual(['format: expected "medledger-audit-bundle/1", found "medledger-audit-bundle/2"']);
    expect(result.ok).toBe(false);
  });

  test('unknown and missing top-level keys', () => {
    const unknown = verifyObject((b) => Object.assign(b, { comment: 'added later' }));
    expect(unknown.problems).toEqual(['top level: unknown key "comment"']);
    const missing = verifyObject((b) => {
      delete (b as Partial<Bundle>).consistency;
    });
    expect(missing.problems).toContain('top level: missing "consistency"');
    expect(missing.problems).toContain('consistency: expected an array, found nothing');
  });

  test('unknown keys inside entries', () => {
    const result = verifyObject((b) => {
      Object.assign(at(b.events, 2), { note: 'x' });
      Object.assign(b.range, { step: 1 });
    });
    expect(result.problems).toEqual(['range: unknown key "step"', 'events[2]: unknown key "note"']);
  });

  test('missing consistency entry', () => {
    const result = verifyObject((b) => {
      b.consistency.splice(1, 1);
    });
    expect(result.problems).toEqual([
      'consistency: no entry from 23 to 37 (between checkpoints[1] and checkpoints[2])',
    ]);
  });

  test('altered, duplicated and stray consistency entries', () => {
    const altered = verifyObject((b) => {
      const entry = at(b.consistency, 0);
      entry.hashes[1] = sha256('x').toString('hex');
    });
    expect(altered.problems).toEqual([
      expect.stringMatching(
        /^consistency\[0\] \(10 → 23\): the proof does not show that the tree of size 23 extends the one of size 10/,
      ),
    ]);
    const duplicated = verifyObject((b) => {
      b.consistency.push(at(b.consistency, 0));
    });
    expect(duplicated.problems).toEqual(['consistency: more than one entry from 10 to 23']);
    const stray = verifyObject((b) => {
      b.consistency.push({ from: 1, to: 2, hashes: [] });
    });
    expect(stray.problems).toEqual(['consistency[2] (1 → 2): does not link two consecutive checkpoints']);
    const short = verifyObject((b) => {
      at(b.consistency, 1).hashes.pop();
    });
    expect(short.problems).toEqual([expect.stringMatching(/^consistency\[1\] \(23 → 37\): the proof has \d+ hashes/)]);
  });

  test('events outside the range', () => {
    const result = verifyObject(
      (b) => {
        b.range = { from: 12, to: 20 };
      },
      { range: [11, 19] },
    );
    expect(result.problems).toHaveLength(8);
    expect(result.problems[0]).toBe('events[0] (index 11): the range requires index 12 at this position');
  });

  test('a missing event', () => {
    const result = verifyObject((b) => {
      b.events.splice(3, 1);
    });
    expect(result.problems[0]).toBe('events: range [12, 20) needs 8 events, the bundle has 7');
    expect(result.problems[1]).toBe('events[3] (index 16): the range requires index 15 at this position');
  });

  test('range beyond the last checkpoint', () => {
    const result = verifyObject(
      (b) => {
        b.range.to = 38;
      },
      { range: [30, 37] },
    );
    expect(result.problems[0]).toBe("range: to (38) exceeds the last checkpoint's tree size (37)");
    const events = verifyObject(
      (b) => {
        b.checkpoints.pop();
        b.consistency.pop();
      },
      { range: [30, 37] },
    );
    expect(events.problems).toContain("range: to (37) exceeds the last checkpoint's tree size (23)");
    expect(events.problems).toContain("events[0] (index 30): the index is beyond the last checkpoint's tree size (23)");
    const reversed = verifyObject((b) => {
      b.range = { from: 20, to: 12 };
    });
    expect(reversed.problems).toContain('range: from (20) is after to (12)');
  });

  test('checkpoints out of order, from another key, for another origin, under another name', () => {
    const swapped = verifyObject((b) => {
      b.checkpoints.reverse();
    });
    expect(swapped.problems).toContain("checkpoints[1]: tree size 23 does not increase on checkpoints[0]'s 37");

    const foreign = buildBundle({ signer: OTHER_SIGNER });
    const mixed = verifyObject((b) => {
      b.checkpoints[1] = at(foreign.checkpoints, 1);
    });
    expect(mixed.problems).toEqual([expect.stringMatching(/^checkpoints\[1\] \(tree size 23\): carries key ID/)]);
    expect(mixed.checkpointsVerified).toBe(2);

    const otherKey = verifyObject((b) => {
      b.publicKey.ed25519 = OTHER_SIGNER.publicKey.toString('base64');
    });
    expect(otherKey.problems).toHaveLength(3);
    expect(otherKey.keyId).toBe(keyIdOf(ORIGIN, OTHER_SIGNER.publicKey).toString('hex'));

    const otherOrigin = verifyObject((b) => {
      b.origin = 'medledger.local/audit/other';
    });
    expect(otherOrigin.problems[0]).toBe(
      `checkpoints[0] (tree size 10): names origin "${ORIGIN}", not the bundle's "medledger.local/audit/other"`,
    );

    const otherName = verifyObject((b) => {
      b.publicKey.name = 'medledger.local/other-key';
    });
    expect(otherName.problems[0]).toBe(
      `checkpoints[0] (tree size 10): is signed by key name "${ORIGIN}", not "medledger.local/other-key"`,
    );
  });

  test('an event that is not in canonical form is named, even when its proof is right', () => {
    const leaves = [...LOG];
    leaves[14] = '{"b":1,"a":2}';
    leaves[15] = '{"a": 1}';
    leaves[16] = '{"a":1.0}';
    const result = verifyBundle(serialize(buildBundle({ leaves })));
    expect(result.problems).toEqual([
      'events[2] (index 14): canonical is not in RFC 8785 canonical form (it differs from its canonical form at character 2)',
      'events[3] (index 15): canonical is not in RFC 8785 canonical form (it differs from its canonical form at character 5)',
      'events[4] (index 16): canonical is not in RFC 8785 canonical form (it differs from its canonical form at character 6)',
    ]);
    expect(result.eventsVerified).toBe(5);
    leaves[14] = '{"a":';
    expect(verifyBundle(serialize(buildBundle({ leaves }))).problems[0]).toBe(
      'events[2] (index 14): canonical is not valid JSON',
    );
  });

  test('an altered event, proof hash or truncated proof does not lead to the checkpoint root', () => {
    const altered = verifyObject((b) => {
      const event = at(b.events, 0);
      const changed = event.canonical.replace('"outcome":"ok"', '"outcome":"denied"');
      expect(changed).not.toBe(event.canonical);
      event.canonical = changed;
    });
    expect(altered.problems).toEqual(['events[0] (index 12): inclusion proof does not lead to the checkpoint root']);
    const badHash = verifyObject((b) => {
      at(b.events, 0).proof[2] = sha256('y').toString('hex');
    });
    expect(badHash.problems).toEqual(['events[0] (index 12): inclusion proof does not lead to the checkpoint root']);
    const truncated = verifyObject((b) => {
      at(b.events, 1).proof.pop();
    });
    expect(truncated.problems).toEqual([
      'events[1] (index 13): the inclusion proof has 5 hashes, index 13 in a tree of size 37 needs 6',
    ]);
    const upperCase = verifyObject((b) => {
      const event = at(b.events, 1);
      event.proof[0] = at(event.proof, 0).toUpperCase();
    });
    expect(upperCase.problems[0]).toMatch(
      /^events\[1\] \(index 13\): proof\[0\]: expected a 64-character lowercase hex/,
    );
  });

  test('wrong types are named', () => {
    const result = verifyObject((b) => {
      Object.assign(b, { origin: 7, range: [], events: {} });
      Object.assign(b.publicKey, { ed25519: 'not base64!' });
    });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'origin: expected a non-empty string, found 7',
        'publicKey.ed25519: expected canonical standard base64 of a 32-byte Ed25519 public key',
        'range: expected an object, found an array',
        'events: expected an array, found an object',
      ]),
    );
    expect(result.keyId).toBeNull();
  });

  test('garbage never throws and is never accepted', () => {
    const big = '['.repeat(200_000);
    const deep = verifyObject((b) => {
      at(b.events, 0).canonical = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    });
    expect(deep.ok).toBe(false);
    const inputs: unknown[] = ['', ' ', 'null', '[]', '{}', '"x"', '\uFEFF{}', big, '{"format":1}', 42, null];
    for (const input of inputs) {
      const result = verifyBundle(input as string);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    }
    expect(verifyBundle('{}').problems).toContain('top level: missing "checkpoints"');
    expect(verifyBundle('\uFEFF{}').problems).toEqual([
      'bundle file: starts with a byte-order mark; the exported file has none',
    ]);
  });
});
