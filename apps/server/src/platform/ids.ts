import { randomBytes, randomFillSync } from 'node:crypto';

// randomBytes() costs about 2 µs per call; ids and nonces are drawn from a CSPRNG-filled pool
// instead. Each byte is handed out once; the pool is refilled from the CSPRNG when used up.
const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** `n` fresh CSPRNG bytes (n ≤ 256) in a new Buffer, from the pool. */
export function randomPooled(n: number): Buffer {
  if (n > 256) return randomBytes(n);
  if (poolOffset + n > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  pool.fill(0, poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version and variant bits, 74 random bits.
 * Ids sort by creation time, which keeps B-tree inserts local on both databases.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomPooled(16);
  // 48-bit big-endian milliseconds (exact: Date values stay far below 2^48 ms).
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A secret token: `bytes` random bytes from the CSPRNG, base64url without padding. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
