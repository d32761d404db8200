/** Row types of the master-data module's tables, merged into the one `Database` type. */
import type {
  CustomerType,
  DeviceClass,
  GspZone,
  ImportKind,
  ImportStatus,
  LicenceKind,
  RecordStatus,
  SheetFormat,
  StorageCondition,
  UdiIssuer,
} from '@medledger/contract';

/**
 * A party in force: supplier, manufacturer and/or customer. The row holds the approved version;
 * a first-business file is written here with status `pending` and is unusable until approved.
 */
export type MdPartyTable = {
  id: string;
  code: string;
  name: string;
  uscc: string;
  isSupplier: number;
  isManufacturer: number;
  customerType: CustomerType | null;
  legalRepresentative: string;
  enterpriseHead: string;
  address: string;
  warehouseAddress: string | null;
  status: RecordStatus;
  version: number;
  approvedAt: string | null;
  approvedByName: string | null;
  createdAt: string;
  updatedAt: string;
};

export type MdPartyLicenceTable = {
  id: string;
  partyId: string;
  kind: LicenceKind;
  number: string;
  authority: string;
  issuedOn: string;
  validUntil: string | null;
  /** JSON array of scope entries (`III:07`). */
  scope: string;
};

/** An authorisation letter in force; the ID number lives sealed in `md_rep_id_number`. */
export type MdRepAuthorisationTable = {
  id: string;
  partyId: string;
  repName: string;
  /** JSON array of product codes; empty: all products of the party. */
  productCodes: string;
  territory: string;
  validFrom: string;
  validUntil: string;
};

/** Sealed ID numbers of representatives, by authorisation id (written when proposed). */
export type MdRepIdNumberTable = {
  id: string;
  idNumberSealed: string;
};

export type MdProductTable = {
  id: string;
  code: string;
  name: string;
  model: string;
  specification: string;
  deviceClass: DeviceClass;
  catalogCode: string;
  registrant: string;
  registrantLicenceNo: string | null;
  contractManufacturer: string | null;
  contractManufacturerLicenceNo: string | null;
  certificateNo: string;
  certificateIssuedOn: string;
  certificateValidUntil: string | null;
  certificateCancelledAt: string | null;
  implantable: number;
  storage: StorageCondition;
  humidityMax: number | null;
  status: RecordStatus;
  version: number;
  approvedAt: string | null;
  approvedByName: string | null;
  createdAt: string;
  updatedAt: string;
};

export type MdProductPackageTable = {
  id: string;
  productId: string;
  level: number;
  unit: string;
  quantity: number;
};

/** UDI-DIs in force; one DI identifies exactly one product packaging level. */
export type MdUdiDiTable = {
  issuer: UdiIssuer;
  di: string;
  productId: string;
  level: number;
};

/**
 * Every proposed version of a party or product, approved or not: the history an inspector reads.
 * `payload` is the proposed content as JSON, without clear ID numbers.
 */
export type MdChangeTable = {
  id: string;
  entity: 'party' | 'product';
  entityId: string;
  version: number;
  firstBusiness: number;
  payload: string;
  /** JSON array of top-level field names that differ from the version in force. */
  changedFields: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  signatureId: string | null;
  /** The spreadsheet import that filed this proposal, if any. */
  importId: string | null;
};

/** A spreadsheet import: the job's status and progress, and the first row errors. */
export type MdImportTable = {
  id: string;
  kind: ImportKind;
  format: SheetFormat;
  status: ImportStatus;
  fileSha256: string;
  total: number;
  processed: number;
  valid: number;
  errorCount: number;
  /** JSON array of the first row errors (capped). */
  errors: string;
  message: string | null;
  /** The reason given at commit, recorded on every proposal. */
  reason: string | null;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
  committedBy: string | null;
  committedByName: string | null;
  committedAt: string | null;
};

/** A validated row waiting for the commit (the proposed content as JSON); removed by the commit. */
export type MdImportRowTable = {
  importId: string;
  rowNo: number;
  payload: string;
};

/** Expiry reminders already sent, so each document is announced once per level. */
export type MdExpiryNoticeTable = {
  key: string;
  level: 'expired' | 'due30' | 'due90';
  notifiedAt: string;
};

export type MdWarehouseTable = {
  id: string;
  code: string;
  name: string;
  site: string;
  address: string;
  createdAt: string;
};

export type MdStorageAreaTable = {
  id: string;
  warehouseId: string;
  code: string;
  name: string;
  zone: GspZone;
  storage: StorageCondition;
};

export type MdLocationTable = {
  id: string;
  areaId: string;
  code: string;
  active: number;
};

declare module '../../platform/db/database.js' {
  interface Database {
    md_party: MdPartyTable;
    md_party_licence: MdPartyLicenceTable;
    md_rep_authorisation: MdRepAuthorisationTable;
    md_rep_id_number: MdRepIdNumberTable;
    md_product: MdProductTable;
    md_product_package: MdProductPackageTable;
    md_udi_di: MdUdiDiTable;
    md_change: MdChangeTable;
    md_expiry_notice: MdExpiryNoticeTable;
    md_warehouse: MdWarehouseTable;
    md_storage_area: MdStorageAreaTable;
    md_location: MdLocationTable;
    md_import: MdImportTable;
    md_import_row: MdImportRowTable;
  }
}

/** Columns sealed by `keys` in this module; key rotation rewraps them. */
export const MASTER_DATA_SEALED_COLUMNS = [
  { table: 'md_rep_id_number', column: 'idNumberSealed', idColumn: 'id' },
] as const;
