/**
 * Offline verifier for audit evidence bundles (docs/audit-bundle-format.md, format 1).
 *
 * This is what `medledger audit verify-bundle <file>` runs for an inspector: no database, no MedLedger key
 * material, no network. Given the text of a bundle file it checks that
 *
 * - the file is exactly the exported serialisation (so one altered byte anywhere is noticed, even in whitespace),
 *   `format` is `medledger-audit-bundle/1`, every field has the right type and there are no unknown keys;
 * - every checkpoint is a C2SP tlog-checkpoint for `origin` with a single C2SP signed-note signature line by
 *   `publicKey.name`, carrying the right key ID, whose Ed25519 signature over the note body verifies; tree sizes
 *   strictly increase;
 * - each pair of consecutive checkpoints is linked by a consistency proof (RFC 9162 §2.1.4.2), i.e. the newer tree
 *   only appended to the older one;
 * - `events` are exactly the leaves `range.from … range.to - 1`, each `canonical` is JSON already in RFC 8785
 *   canonical form, and each leaf hash is proven by an inclusion proof (RFC 9162 §2.1.3.2) against the last
 *   checkpoint's root.
 *
 * Independence: this file imports only `node:crypto` and `node:buffer`. Leaf and node hashing (RFC 6962 §2.1), proof
 * verification, note parsing, key IDs and JSON canonicalisation are implemented here again, from the RFCs and the C2SP
 * specifications, instead of being shared with the code that writes the log. A bug in the writer therefore cannot
 * hide itself by being repeated in the check.
 *
 * Trust: a bundle carries its own public key, so a valid bundle proves that whoever holds that key signed these
 * checkpoints. The inspector must compare the reported `keyId` (or the key itself) with the one the operator
 * registered through another channel.
 */
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Outcome of {@link verifyBundle}. `ok` is true only when `problems` is empty. */
export type BundleVerification = {
  ok: boolean;
  /** Human-readable findings, each naming what is wrong and where (e.g. `events[3] (index 1003): …`). */
  problems: string[];
  /** Tree size of the last checkpoint, when it could be read. */
  treeSize: number | null;
  /** Events whose canonical form and inclusion proof were both confirmed. */
  eventsVerified: number;
  /** Checkpoints whose origin, key ID and Ed25519 signature were all confirmed. */
  checkpointsVerified: number;
  origin: string | null;
  /** Hex C2SP key ID of the bundle's public key; compare it with the operator's registered key. */
  keyId: string | null;
};

/** A parse or check result: the value, or an explanation of why there is none. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** One signature line of a C2SP signed note. */
export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };

/** A C2SP signed note split into its text (including the final newline) and its signature lines. */
export type SignedNote = { text: string; signatures: NoteSignature[] };

/** A C2SP tlog-checkpoint: `body` is the signed text `origin\nsize\nroot\n`. */
export type Checkpoint = { origin: string; size: number; rootHash: Buffer; body: string; signatures: NoteSignature[] };

/** The key a checkpoint must be signed with, and the origin it must name. */
export type TrustedCheckpointKey = { origin: string; keyName: string; publicKey: Uint8Array };

export const BUNDLE_FORMAT = 'medledger-audit-bundle/1';

const HASH_SIZE = 32;
const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** C2SP signed-note signature type identifier for Ed25519. */
const SIGNATURE_TYPE_ED25519 = 0x01;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
/** RFC 6962 MTH({}) = SHA-256 of the empty string. */
const EMPTY_TREE_ROOT = createHash('sha256').digest();
const SIGNATURE_LINE_PREFIX = '\u2014 ';
const MAX_NOTE_SIGNATURES = 64;
const MAX_PROBLEMS = 500;
/** Indentations JSON.stringify may have used to write the file; nothing else is an unaltered file. */
const ACCEPTED_INDENTS: readonly (number | string)[] = [0, 2, 4, '\t'];

const TOP_LEVEL_KEYS = ['format', 'origin', 'publicKey', 'checkpoints', 'consistency', 'range', 'events'] as const;
const PUBLIC_KEY_KEYS = ['name', 'ed25519'] as const;
const CONSISTENCY_KEYS = ['from', 'to', 'hashes'] as const;
const RANGE_KEYS = ['from', 'to'] as const;
const EVENT_KEYS = ['index', 'canonical', 'proof'] as const;

/** In a `u` regular expression a surrogate range matches only unpaired surrogates. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const HEX_HASH = /^[0-9a-f]{64}$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Unicode spaces (JavaScript's \s plus NEL) and '+', which C2SP forbids in key names. */
const KEY_NAME_FORBIDDEN = /[\s\u0085+]/u;

const JSON_SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x08, '\\b'],
  [0x09, '\\t'],
  [0x0a, '\\n'],
  [0x0c, '\\f'],
  [0x0d, '\\r'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

// ---------------------------------------------------------------------------------------------------------------------
// Merkle tree hashing and proofs (RFC 6962 §2.1, RFC 9162 §2.1.3.2 and §2.1.4.2)
// ---------------------------------------------------------------------------------------------------------------------

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ bytes). */
export function leafHash(bytes: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, bytes);
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Number of hashes in RFC 6962 PATH(index, D[size]), walking the MTH recursion (0 ≤ index < size). */
function inclusionProofLength(index: number, size: number): number {
  let length = 0;
  let m = index;
  let n = size;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      n = k;
    } else {
      m -= k;
      n -= k;
    }
    length++;
  }
  return length;
}

/** Number of hashes in RFC 6962 PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true), 0 < size1 < size2. */
function consistencyProofLength(size1: number, size2: number): number {
  let length = 0;
  let m = size1;
  let n = size2;
  let wholeSubtree = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      n = k;
    } else {
      m -= k;
      n -= k;
      wholeSubtree = false;
    }
    length++;
  }
  return wholeSubtree ? length : length + 1;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * Verifies an RFC 9162 §2.1.3.2 inclusion proof: that `leaf` (a leaf hash) is at `index` in the tree of `size` leaves
 * whose root is `root`. Rejects indices outside [0, size), sizes that are not safe integers, hashes that are not 32
 * bytes and proofs of the wrong length. Never throws.
 */
export function verifyInclusion(index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean {
  if (!isTreeSize(index) || !isTreeSize(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (proof.length !== inclusionProofLength(index, size)) return false;

  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * Verifies an RFC 9162 §2.1.4.2 consistency proof: that the tree of `size2` leaves with root `root2` extends the tree
 * of `size1` leaves with root `root1` by appending only. Equal sizes need an empty proof and equal roots; size 0 is
 * consistent with every tree when `root1` is the empty-tree hash and the proof is empty. Never throws.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Buffer,
  root2: Buffer,
  proof: Buffer[],
): boolean {
  if (!isTreeSize(size1) || !isTreeSize(size2) || size1 > size2) return false;
  if (!isHash(root1) || !isHash(root2) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (size1 === 0) {
    return proof.length === 0 && EMPTY_TREE_ROOT.equals(root1) && (size2 > 0 || EMPTY_TREE_ROOT.equals(root2));
  }
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (proof.length !== consistencyProofLength(size1, size2)) return false;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  const [seed, ...rest] = path;
  if (seed === undefined) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(seed);
  let sr: Buffer = Buffer.from(seed);
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

// ---------------------------------------------------------------------------------------------------------------------
// C2SP signed-note and tlog-checkpoint
// ---------------------------------------------------------------------------------------------------------------------

/** Decodes standard base64 with padding, accepting only the one canonical spelling of the bytes. */
function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function controlCharacterIn(text: string, allowNewline: boolean): number | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && !(allowNewline && c === 0x0a)) return c;
  }
  return null;
}

const codePoint = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !KEY_NAME_FORBIDDEN.test(name) &&
    !LONE_SURROGATE.test(name) &&
    controlCharacterIn(name, false) === null
  );
}

/**
 * C2SP key ID for an Ed25519 key: the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key).
 * Throws a RangeError if the public key is not 32 bytes.
 */
export function checkpointKeyId(name: string, publicKey: Buffer): Buffer {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw new RangeError('an Ed25519 public key is 32 bytes');
  return sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, SIGNATURE_TYPE_ED25519]), publicKey).subarray(
    0,
    KEY_ID_SIZE,
  );
}

/**
 * Parses a C2SP signed note: a text ending in a newline, a blank line, then one or more lines
 * `— <key name> <base64(4-byte key ID ‖ signature)>`. Does not verify signatures. Never throws.
 */
export function parseSignedNote(note: string): Checked<SignedNote> {
  if (typeof note !== 'string') return { ok: false, error: 'the note is not a string' };
  if (LONE_SURROGATE.test(note)) return { ok: false, error: 'the note is not well-formed Unicode' };
  const control = controlCharacterIn(note, true);
  if (control !== null) return { ok: false, error: `the note contains the control character ${codePoint(control)}` };
  if (!note.endsWith('\n')) return { ok: false, error: 'the note does not end with a newline' };
  const separator = note.lastIndexOf('\n\n');
  if (separator < 0) return { ok: false, error: 'no blank line separates the note text from its signatures' };

  const text = note.slice(0, separator + 1);
  const lines = note.slice(separator + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) return { ok: false, error: `more than ${MAX_NOTE_SIGNATURES} signatures` };
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
      return { ok: false, error: `${where} does not start with an em dash (U+2014) and a space` };
    }
    const parts = line.slice(SIGNATURE_LINE_PREFIX.length).split(' ');
    const [name, encoded] = parts;
    if (parts.length !== 2 || name === undefined || encoded === undefined) {
      return { ok: false, error: `${where} is not "— <key name> <base64 signature>"` };
    }
    if (!isValidKeyName(name)) return { ok: false, error: `${where} has an invalid key name` };
    const bytes = decodeBase64(encoded);
    if (bytes === null) return { ok: false, error: `${where}: the signature is not canonical standard base64` };
    if (bytes.length <= KEY_ID_SIZE) return { ok: false, error: `${where}: the signature is too short` };
    signatures.push({ name, keyId: bytes.subarray(0, KEY_ID_SIZE), signature: bytes.subarray(KEY_ID_SIZE) });
  }
  return { ok: true, value: { text, signatures } };
}

/**
 * Parses a checkpoint note in the exact bundle form: `origin\nsize\nbase64(root)\n\n— <name> <signature>\n…`
 * (C2SP tlog-checkpoint without extension lines). Does not verify signatures. Never throws.
 */
export function parseCheckpoint(note: string): Checked<Checkpoint> {
  const parsed = parseSignedNote(note);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.value;
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length !== 3 || origin === undefined || sizeText === undefined || rootText === undefined) {
    return {
      ok: false,
      error: `the checkpoint body must be exactly three lines (origin, tree size, root hash), found ${lines.length}`,
    };
  }
  if (origin.length === 0) return { ok: false, error: 'the checkpoint origin line is empty' };
  if (!DECIMAL.test(sizeText)) return { ok: false, error: 'the tree size line is not a decimal number' };
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return { ok: false, error: 'the tree size is too large for this verifier' };
  const rootHash = decodeBase64(rootText);
  if (rootHash === null || rootHash.length !== HASH_SIZE) {
    return { ok: false, error: 'the root hash line is not canonical base64 of 32 bytes' };
  }
  if (size === 0 && !rootHash.equals(EMPTY_TREE_ROOT)) {
    return { ok: false, error: 'a checkpoint of size 0 must carry the empty-tree root' };
  }
  return { ok: true, value: { origin, size, rootHash, body: text, signatures } };
}

function ed25519KeyObject(publicKey: Uint8Array): KeyObject | null {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return null;
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function ed25519Verifies(key: KeyObject, message: string, signature: Buffer): boolean {
  try {
    return verifySignature(null, Buffer.from(message, 'utf8'), key, signature);
  } catch {
    return false;
  }
}

type SigningKey = { name: string; keyId: Buffer; key: KeyObject };

function checkParsedCheckpoint(checkpoint: Checkpoint, origin: string | null, signer: SigningKey): string | null {
  if (origin !== null && checkpoint.origin !== origin) {
    return `names origin ${quote(checkpoint.origin)}, not the bundle's ${quote(origin)}`;
  }
  if (checkpoint.signatures.length !== 1) {
    return `has ${checkpoint.signatures.length} signature lines; a bundle checkpoint has exactly one`;
  }
  const [line] = checkpoint.signatures;
  if (line === undefined) return 'has no signature line';
  if (line.name !== signer.name) return `is signed by key name ${quote(line.name)}, not ${quote(signer.name)}`;
  if (!line.keyId.equals(signer.keyId)) {
    return `carries key ID ${line.keyId.toString('hex')}, but publicKey has key ID ${signer.keyId.toString('hex')}`;
  }
  if (line.signature.length !== ED25519_SIGNATURE_SIZE) {
    return `has a ${line.signature.length}-byte signature; Ed25519 signatures are 64 bytes`;
  }
  return ed25519Verifies(signer.key, checkpoint.body, line.signature)
    ? null
    : `the Ed25519 signature by ${quote(signer.name)} does not verify`;
}

/**
 * Parses a checkpoint and checks it names `trusted.origin` and carries exactly one signature line, by
 * `trusted.keyName` with the matching key ID, whose Ed25519 signature over the body verifies. A malformed note or
 * key yields `ok: false`, never an exception.
 */
export function verifyCheckpoint(note: string, trusted: TrustedCheckpointKey): Checked<Checkpoint> {
  const parsed = parseCheckpoint(note);
  if (!parsed.ok) return parsed;
  if (!isValidKeyName(trusted.keyName)) return { ok: false, error: 'the trusted key name is not a valid key name' };
  const key = ed25519KeyObject(trusted.publicKey);
  if (key === null) return { ok: false, error: 'the trusted public key is not a 32-byte Ed25519 key' };
  const keyId = checkpointKeyId(trusted.keyName, Buffer.from(trusted.publicKey));
  const error = checkParsedCheckpoint(parsed.value, trusted.origin, { name: trusted.keyName, keyId, key });
  return error === null ? parsed : { ok: false, error: `the checkpoint ${error}` };
}

// ---------------------------------------------------------------------------------------------------------------------
// RFC 8785 JSON Canonicalization Scheme
// ---------------------------------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** RFC 8785 §3.2.2.2: escape only '"', '\\' and U+0000–U+001F (short forms where JSON has them). */
function canonicalString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new TypeError('a string contains an unpaired surrogate');
  let out = '"';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += text.slice(start, i) + (JSON_SHORT_ESCAPES.get(c) ?? `\\u${c.toString(16).padStart(4, '0')}`);
    start = i + 1;
  }
  return `${out}${text.slice(start)}"`;
}

/** Orders property names by their UTF-16 code units, as RFC 8785 §3.2.3 requires (not by code points). */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Serialises a JSON value per RFC 8785: object members sorted by UTF-16 code units, ECMAScript number serialisation
 * (-0 as 0), minimal string escaping, no whitespace. Throws a TypeError for anything outside the I-JSON data model
 * (NaN, ±Infinity, undefined, functions, symbols, bigints, unpaired surrogates, non-plain objects, sparse arrays).
 */
export function canonicalizeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${String(value)} is not a JSON number`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'string') return canonicalString(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new TypeError('sparse arrays are not JSON');
      items.push(canonicalizeJson(value[i]));
    }
    return `[${items.join(',')}]`;
  }
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort(compareCodeUnits)
      .map((key) => `${canonicalString(key)}:${canonicalizeJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`a ${typeof value} value cannot be represented in JSON`);
}

/** Why `text` is not RFC 8785 canonical JSON, or null when it is. */
function canonicalFormProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'is not well-formed Unicode';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not valid JSON';
  }
  let canonical: string;
  try {
    canonical = canonicalizeJson(parsed);
  } catch (error) {
    return `cannot be canonicalised (${describeError(error)})`;
  }
  if (canonical === text) return null;
  let at = 0;
  while (at < text.length && text[at] === canonical[at]) at++;
  return `is not in RFC 8785 canonical form (it differs from its canonical form at character ${at})`;
}

// ---------------------------------------------------------------------------------------------------------------------
// The bundle
// ---------------------------------------------------------------------------------------------------------------------

type Report = (problem: string) => void;

type VerifiedCheckpoint = { position: number; size: number; root: Buffer };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** Reports unknown and missing keys of an object with a fixed set of keys. */
function checkKeys(where: string, value: Record<string, unknown>, keys: readonly string[], report: Report): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) report(`${where}: unknown key ${quote(key)}`);
  }
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) report(`${where}: missing ${quote(key)}`);
  }
}

function expectObject(where: string, value: unknown, report: Report): Record<string, unknown> | null {
  if (isPlainObject(value)) return value;
  report(`${where}: expected an object, found ${describeType(value)}`);
  return null;
}

function expectArray(where: string, value: unknown, report: Report): unknown[] | null {
  if (Array.isArray(value)) return value as unknown[];
  report(`${where}: expected an array, found ${describeType(value)}`);
  return null;
}

function expectTreeSize(where: string, value: unknown, report: Report): number | null {
  if (isTreeSize(value)) return value;
  report(`${where}: expected a non-negative safe integer, found ${quote(value)}`);
  return null;
}

function expectHashes(where: string, value: unknown, report: Report): Buffer[] | null {
  const list = expectArray(where, value, report);
  if (list === null) return null;
  const hashes: Buffer[] = [];
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'string' || !HEX_HASH.test(item)) {
      report(`${where}[${i}]: expected a 64-character lowercase hex SHA-256 hash, found ${quote(item)}`);
      return null;
    }
    hashes.push(Buffer.from(item, 'hex'));
  }
  return hashes;
}

function checkLayout(text: string, parsed: unknown, report: Report): void {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  for (const indent of ACCEPTED_INDENTS) {
    if (JSON.stringify(parsed, null, indent) === body) return;
  }
  report(
    'bundle file: its bytes differ from the exported serialisation of its own content (whitespace, line endings, ' +
      'escapes or number spelling were changed, or a key is duplicated); the file is not as exported',
  );
}

function checkOrigin(value: unknown, report: Report): string | null {
  if (typeof value !== 'string' || value.length === 0) {
    report(`origin: expected a non-empty string, found ${quote(value)}`);
    return null;
  }
  if (LONE_SURROGATE.test(value) || controlCharacterIn(value, false) !== null) {
    report('origin: contains control characters or is not well-formed Unicode');
    return null;
  }
  return value;
}

function checkPublicKey(value: unknown, report: Report): SigningKey | null {
  const object = expectObject('publicKey', value, report);
  if (object === null) return null;
  checkKeys('publicKey', object, PUBLIC_KEY_KEYS, report);
  const { name, ed25519 } = object;
  let valid = true;
  if (typeof name !== 'string' || !isValidKeyName(name)) {
    report(`publicKey.name: expected a key name (non-empty, no spaces or "+"), found ${quote(name)}`);
    valid = false;
  }
  const raw = typeof ed25519 === 'string' ? decodeBase64(ed25519) : null;
  if (raw === null || raw.length !== ED25519_PUBLIC_KEY_SIZE) {
    report('publicKey.ed25519: expected canonical standard base64 of a 32-byte Ed25519 public key');
    valid = false;
  }
  if (!valid || typeof name !== 'string' || raw === null) return null;
  const key = ed25519KeyObject(raw);
  if (key === null) {
    report('publicKey.ed25519: not a usable Ed25519 public key');
    return null;
  }
  return { name, keyId: checkpointKeyId(name, raw), key };
}

function checkCheckpoints(
  value: unknown,
  origin: string | null,
  signer: SigningKey | null,
  result: BundleVerification,
  report: Report,
): (VerifiedCheckpoint | null)[] | null {
  const notes = expectArray('checkpoints', value, report);
  if (notes === null) return null;
  if (notes.length === 0) {
    report('checkpoints: the bundle has no checkpoint');
    return null;
  }
  const checkpoints: (VerifiedCheckpoint | null)[] = [];
  let previous: VerifiedCheckpoint | null = null;
  for (const [i, note] of notes.entries()) {
    const where = `checkpoints[${i}]`;
    if (typeof note !== 'string') {
      report(`${where}: expected a string, found ${describeType(note)}`);
      checkpoints.push(null);
      continue;
    }
    const parsed = parseCheckpoint(note);
    if (!parsed.ok) {
      report(`${where}: not a valid checkpoint: ${parsed.error}`);
      checkpoints.push(null);
      continue;
    }
    const checkpoint = parsed.value;
    const current: VerifiedCheckpoint = { position: i, size: checkpoint.size, root: checkpoint.rootHash };
    checkpoints.push(current);
    if (previous !== null && current.size <= previous.size) {
      report(
        `${where}: tree size ${current.size} does not increase on checkpoints[${previous.position}]'s ${previous.size}`,
      );
    }
    previous = current;
    if (signer === null) continue;
    const error = checkParsedCheckpoint(checkpoint, origin, signer);
    if (error === null) result.checkpointsVerified++;
    else report(`${where} (tree size ${checkpoint.size}): ${error}`);
  }
  return checkpoints;
}

function checkConsistency(value: unknown, checkpoints: readonly (VerifiedCheckpoint | null)[], report: Report): void {
  const entries = expectArray('consistency', value, report);
  if (entries === null) return;
  const parsed: { where: string; from: number; to: number; hashes: Buffer[]; used: boolean }[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `consistency[${i}]`;
    const object = expectObject(where, entry, report);
    if (object === null) continue;
    checkKeys(where, object, CONSISTENCY_KEYS, report);
    const from = expectTreeSize(`${where}.from`, object.from, report);
    const to = expectTreeSize(`${where}.to`, object.to, report);
    const hashes = expectHashes(`${where}.hashes`, object.hashes, report);
    if (from === null || to === null || hashes === null) continue;
    parsed.push({ where: `${where} (${from} → ${to})`, from, to, hashes, used: false });
  }

  for (let i = 1; i < checkpoints.length; i++) {
    const older = checkpoints[i - 1];
    const newer = checkpoints[i];
    if (older === undefined || older === null || newer === undefined || newer === null) continue;
    const between = `between checkpoints[${i - 1}] and checkpoints[${i}]`;
    const matches = parsed.filter((entry) => entry.from === older.size && entry.to === newer.size);
    for (const entry of matches) entry.used = true;
    const [entry, ...duplicates] = matches;
    if (entry === undefined) {
      report(`consistency: no entry from ${older.size} to ${newer.size} (${between})`);
      continue;
    }
    if (duplicates.length > 0) report(`consistency: more than one entry from ${older.size} to ${newer.size}`);
    if (older.size >= newer.size) continue; // already reported as non-increasing sizes
    if (older.size > 0 && entry.hashes.length !== consistencyProofLength(older.size, newer.size)) {
      report(
        `${entry.where}: the proof has ${entry.hashes.length} hashes, a proof from ${older.size} to ${newer.size} ` +
          `has ${consistencyProofLength(older.size, newer.size)}`,
      );
      continue;
    }
    if (!verifyConsistency(older.size, newer.size, older.root, newer.root, entry.hashes)) {
      report(
        `${entry.where}: the proof does not show that the tree of size ${newer.size} extends the one of size ` +
          `${older.size} (${between}); the log was rewritten or the bundle altered`,
      );
    }
  }
  if (checkpoints.includes(null)) return; // entries may belong to a checkpoint that could not be read
  for (const entry of parsed) {
    if (!entry.used) report(`${entry.where}: does not link two consecutive checkpoints`);
  }
}

function checkEvents(
  rangeValue: unknown,
  eventsValue: unknown,
  last: VerifiedCheckpoint | null,
  result: BundleVerification,
  report: Report,
): void {
  const range = expectObject('range', rangeValue, report);
  let from: number | null = null;
  let to: number | null = null;
  if (range !== null) {
    checkKeys('range', range, RANGE_KEYS, report);
    from = expectTreeSize('range.from', range.from, report);
    to = expectTreeSize('range.to', range.to, report);
  }
  if (from !== null && to !== null && from > to) {
    report(`range: from (${from}) is after to (${to})`);
    to = null;
  }
  if (to !== null && last !== null && to > last.size) {
    report(`range: to (${to}) exceeds the last checkpoint's tree size (${last.size})`);
  }

  const events = expectArray('events', eventsValue, report);
  if (events === null) return;
  if (from !== null && to !== null && events.length !== to - from) {
    report(`events: range [${from}, ${to}) needs ${to - from} events, the bundle has ${events.length}`);
  }
  for (const [i, event] of events.entries()) {
    const object = expectObject(`events[${i}]`, event, report);
    if (object === null) continue;
    checkKeys(`events[${i}]`, object, EVENT_KEYS, report);
    const index = expectTreeSize(`events[${i}].index`, object.index, report);
    const where = index === null ? `events[${i}]` : `events[${i}] (index ${index})`;
    if (index !== null && from !== null && index !== from + i) {
      report(`${where}: the range requires index ${from + i} at this position`);
    }
    const { canonical } = object;
    let canonicalOk = false;
    if (typeof canonical !== 'string') {
      report(`${where}: canonical: expected a string, found ${describeType(canonical)}`);
    } else {
      const problem = canonicalFormProblem(canonical);
      if (problem !== null) report(`${where}: canonical ${problem}`);
      canonicalOk = problem === null;
    }
    const proof = expectHashes(`${where}: proof`, object.proof, report);
    if (typeof canonical !== 'string' || index === null || proof === null || last === null) continue;
    if (index >= last.size) {
      report(`${where}: the index is beyond the last checkpoint's tree size (${last.size})`);
      continue;
    }
    const expectedLength = inclusionProofLength(index, last.size);
    if (proof.length !== expectedLength) {
      report(
        `${where}: the inclusion proof has ${proof.length} hashes, index ${index} in a tree of size ${last.size} ` +
          `needs ${expectedLength}`,
      );
      continue;
    }
    if (!verifyInclusion(index, last.size, leafHash(Buffer.from(canonical, 'utf8')), proof, last.root)) {
      report(`${where}: inclusion proof does not lead to the checkpoint root`);
    } else if (canonicalOk) {
      result.eventsVerified++;
    }
  }
}

function checkBundle(text: string, result: BundleVerification, report: Report): void {
  if (typeof text !== 'string') {
    report(`bundle file: expected text, found ${describeType(text)}`);
    return;
  }
  if (text.startsWith('\uFEFF')) {
    report('bundle file: starts with a byte-order mark; the exported file has none');
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    report(`bundle file: not valid JSON (${describeError(error)})`);
    return;
  }
  checkLayout(text, parsed, report);
  const bundle = expectObject('top level', parsed, report);
  if (bundle === null) return;
  checkKeys('top level', bundle, TOP_LEVEL_KEYS, report);
  if (bundle.format !== BUNDLE_FORMAT) {
    report(`format: expected ${quote(BUNDLE_FORMAT)}, found ${quote(bundle.format)}`);
  }

  const origin = checkOrigin(bundle.origin, report);
  result.origin = origin;
  const signer = checkPublicKey(bundle.publicKey, report);
  result.keyId = signer === null ? null : signer.keyId.toString('hex');
  const checkpoints = checkCheckpoints(bundle.checkpoints, origin, signer, result, report);
  const last = checkpoints === null ? null : (checkpoints[checkpoints.length - 1] ?? null);
  result.treeSize = last === null ? null : last.size;
  checkConsistency(bundle.consistency, checkpoints ?? [], report);
  checkEvents(bundle.range, bundle.events, last, result, report);
}

/**
 * Verifies an exported audit evidence bundle (the UTF-8 text of the file) against docs/audit-bundle-format.md.
 * Never throws: malformed input yields `ok: false` with problems naming what is wrong and where.
 */
export function verifyBundle(text: string): BundleVerification {
  const result: BundleVerification = {
    ok: false,
    problems: [],
    treeSize: null,
    eventsVerified: 0,
    checkpointsVerified: 0,
    origin: null,
    keyId: null,
  };
  let omitted = 0;
  const report: Report = (problem) => {
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(problem);
    else omitted++;
  };
  try {
    checkBundle(text, result, report);
  } catch (error) {
    report(`verifier: stopped by an unexpected error (${describeError(error)}); the bundle is not accepted`);
  }
  if (omitted > 0) result.problems.push(`… and ${omitted} more problems`);
  result.ok = result.problems.length === 0 && result.checkpointsVerified > 0;
  if (!result.ok && result.problems.length === 0) result.problems.push('checkpoints: no checkpoint could be verified');
  return result;
}
