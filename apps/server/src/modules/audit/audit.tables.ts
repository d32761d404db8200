import type { Generated } from 'kysely';

export type AuditEventTable = {
  /** Insertion order; commits may land out of order, the tree order is the leaf index. */
  seq: Generated<number>;
  id: string;
  /** The exact RFC 8785 canonical JSON of the event: the bytes that are hashed. */
  canonical: string;
  /** Keyed digest of the leaf hash, proving MedLedger wrote the row (a forged insert fails it). */
  mac: string;
};

export type AuditLeafTable = { leafIndex: number; eventSeq: number; leafHash: string; sealedAt: string };

/** Search columns of a sealed event, derived from its canonical JSON by the sealer. */
export type AuditIndexTable = {
  seq: number;
  at: string;
  action: string;
  outcome: string;
  actorId: string | null;
  actorName: string | null;
  resourceType: string | null;
  resourceId: string | null;
};
export type AuditNodeTable = { level: number; idx: number; hash: string };
export type AuditCheckpointTable = { treeSize: number; rootHash: string; note: string; createdAt: string };
export type AuditVerificationTable = {
  id: string;
  at: string;
  ok: number;
  treeSize: number;
  firstBadIndex: number | null;
  problems: string;
  trigger: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    audit_event: AuditEventTable;
    audit_leaf: AuditLeafTable;
    audit_index: AuditIndexTable;
    audit_node: AuditNodeTable;
    audit_checkpoint: AuditCheckpointTable;
    audit_verification: AuditVerificationTable;
  }
}
