/** What the audit module needs from the application, supplied by the composition root. */
export type AuditRuntime = {
  /** Keyed digest over a leaf hash (fixed 32-byte input), hex. Supplied by `keys`. */
  mac: (leafHash: Buffer) => string;
  /** The checkpoint signer (Ed25519). Supplied by `keys`; the private key never leaves it. */
  signer: { keyName: string; publicKey: Buffer; sign: (message: Buffer) => Buffer };
  /** Checkpoint origin line, also the signing key's name. */
  origin: string;
  /** Where signed checkpoints are copied, outside the database (other media in production). */
  witnessDir: string;
  checkpointEvery: { events: number; seconds: number };
  /** Benchmark-only switch: record() does nothing. Never set by configuration. */
  disabledForBenchmark?: boolean;
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    audit: AuditRuntime;
  }
}
