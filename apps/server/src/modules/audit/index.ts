/**
 * audit (layer 1): the append-only, tamper-evident audit trail. Every module records its events
 * here, in the same transaction as the change. See docs/decisions/0007-audit-trail.md.
 */
import './audit.tables.js';
import './audit.runtime.js';

/** Records an event in the caller's transaction; a failure rolls the business change back. */
export {
  record,
  recordDetached,
  buildEvent,
  type AuditInput,
  type AuditChange,
  type AuditEvent,
} from './audit.record.js';
/** One sealing round, the background sealer, and the witness directory. */
export { sealOnce, startSealer, syncWitness, readWitness, witnessFileName } from './audit.sealer.js';
/** Full verification against the database and the witness; with recording of the result. */
export { verifyAuditTrail, verifyAndRecord, type VerifyReport } from './audit.verify.js';
/** Evidence bundle export (docs/audit-bundle-format.md). */
export { exportBundle } from './audit.export.js';
export { auditRoutes } from './audit.routes.js';
/** RFC 8785 canonical JSON (what the trail hashes); other modules use it to hash records they sign. */
export { canonicalJson } from './audit.canonical.js';
export type { AuditRuntime } from './audit.runtime.js';
