export type AssignmentStatus = 'pending' | 'active' | 'rejected' | 'revoked';

/** One role granted to one user, limited to a data scope (`site` null: the whole organisation). */
export type AccessAssignmentTable = {
  id: string;
  userId: string;
  roleCode: string;
  site: string | null;
  status: AssignmentStatus;
  /** Why the role is granted (stated by the grantor, audited). */
  reason: string;
  requestedBy: string;
  /** The second person who approved or rejected a high-risk grant (AC-05). */
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  createdAt: string;
};

declare module '../../platform/db/database.js' {
  interface Database {
    access_assignment: AccessAssignmentTable;
  }
}
