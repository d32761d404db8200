import type { PATIENT_SEXES } from '@medledger/contract';

/**
 * One version of a usage record (append-only). `recordId` is the id of the first version; a
 * correction adds version n+1 with its reason. Patient identifiers are not here: they are sealed in
 * {@link ClUsagePatientTable}; only keyed blind indexes (HMAC) of the ID number and of
 * site|record number are kept for exact-match search.
 */
export type ClUsageRecordTable = {
  id: string;
  recordId: string;
  version: number;
  site: string;
  department: string;
  procedureDate: string;
  procedureName: string;
  surgeon: string;
  bodySite: string | null;
  note: string | null;
  patientSex: (typeof PATIENT_SEXES)[number];
  patientIdIndex: string;
  patientMrnIndex: string;
  amendReason: string | null;
  recordedBy: string;
  recordedByName: string;
  recordedAt: string;
};

/** The sealed patient identifiers of one record version (`id` = the version's id; AAD binds it). */
export type ClUsagePatientTable = {
  id: string;
  nameSealed: string;
  idNumberSealed: string;
  mrnSealed: string;
  birthDateSealed: string;
  phoneSealed: string | null;
};

/** A device used, as scanned (raw scan kept) and resolved to the product on file by its UDI-DI. */
export type ClUsageDeviceTable = {
  id: string;
  versionId: string;
  lineNo: number;
  rawScan: string;
  issuer: string;
  di: string;
  lot: string | null;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  quantity: number;
  productId: string;
  productCode: string;
  productName: string;
  model: string;
  specification: string;
  certificateNo: string;
  registrant: string;
};

/** AC-10: a time-boxed emergency grant and its post-hoc review. Never deleted. */
export type ClBreakGlassTable = {
  id: string;
  userId: string;
  userName: string;
  reason: string;
  target: 'record' | 'patient';
  recordId: string | null;
  patientIdIndex: string | null;
  patientIdMasked: string | null;
  minutes: number;
  grantedAt: string;
  expiresAt: string;
  reads: number;
  reviewDueAt: string;
  reviewStatus: 'open' | 'closed';
  escalatedAt: string | null;
  reviewDecision: 'justified' | 'unjustified' | null;
  reviewComment: string | null;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedAt: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    cl_usage_record: ClUsageRecordTable;
    cl_usage_patient: ClUsagePatientTable;
    cl_usage_device: ClUsageDeviceTable;
    cl_break_glass: ClBreakGlassTable;
  }
}

/** Columns sealed by `keys` in this module (patient identifiers); key rotation rewraps them. */
export const CLINICAL_SEALED_COLUMNS = [
  { table: 'cl_usage_patient', column: 'nameSealed', idColumn: 'id' },
  { table: 'cl_usage_patient', column: 'idNumberSealed', idColumn: 'id' },
  { table: 'cl_usage_patient', column: 'mrnSealed', idColumn: 'id' },
  { table: 'cl_usage_patient', column: 'birthDateSealed', idColumn: 'id' },
  { table: 'cl_usage_patient', column: 'phoneSealed', idColumn: 'id' },
] as const;
