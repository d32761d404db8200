/** Row types of the procurement module's tables, merged into the one `Database` type. */
import type { DeviceClass, Disposition, PurchaseOrderStatus, StorageCondition, UdiIssuer } from '@medledger/contract';

/** Per-day document number counters: key `PO-20261129`, last number issued. */
export type PurSequenceTable = { key: string; last: number };

/** A purchase order. Content changes only while `draft` (trigger-enforced); the rest records who did what. */
export type PurOrderTable = {
  id: string;
  number: string;
  orderDate: string;
  status: PurchaseOrderStatus;
  supplierId: string;
  supplierCode: string;
  supplierName: string;
  supplierContact: string;
  warehouseId: string;
  /** The warehouse's site (data scope), copied at creation. */
  site: string;
  note: string | null;
  totalFen: number;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  /** China calendar day of approval: the 购货日期 of the purchase record. */
  approvedDate: string | null;
  approvalNote: string | null;
  approvalSignatureId: string | null;
  returnedByName: string | null;
  returnedAt: string | null;
  returnNote: string | null;
  cancelledByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedByName: string | null;
  closedAt: string | null;
  closeReason: string | null;
  /** Bumped first by every action on the order: serialises concurrent actions on both databases. */
  lockVersion: number;
};

/** An order line with the product as it was when the line was written (GSP arts. 55, 58). */
export type PurOrderLineTable = {
  id: string;
  orderId: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  model: string;
  specification: string;
  deviceClass: DeviceClass;
  registrant: string;
  registrantLicenceNo: string | null;
  contractManufacturer: string | null;
  contractManufacturerLicenceNo: string | null;
  certificateNo: string;
  unit: string;
  storage: StorageCondition;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
};

/** A delivery received against an order (append-only). Temperatures in tenths of a degree. */
export type PurReceiptTable = {
  id: string;
  number: string;
  orderId: string;
  warehouseId: string;
  site: string;
  supplierId: string;
  deliverySlipNo: string;
  deliverySlipDate: string;
  transportMode: 'own_vehicle' | 'carrier' | 'courier';
  carrier: string | null;
  waybillNo: string | null;
  vehicle: string | null;
  coldDepartedAt: string | null;
  coldArrivedAt: string | null;
  coldTransitMinTenths: number | null;
  coldTransitMaxTenths: number | null;
  coldArrivalTenths: number | null;
  coldDevice: string | null;
  note: string | null;
  receivedAt: string;
  receivedDate: string;
  receivedBy: string;
  receivedByName: string;
};

export type PurReceiptLineTable = {
  id: string;
  receiptId: string;
  orderLineId: string;
  productId: string;
  quantityReceived: number;
  quantityRefused: number;
  refusalReason: string | null;
  /** Where the identified units are posted (a 待验 location); null when nothing was taken in. */
  quarantineLocationId: string | null;
};

/** The acceptance (验收) of one receipt; frozen once concluded (trigger-enforced). */
export type PurAcceptanceTable = {
  id: string;
  number: string;
  receiptId: string;
  orderId: string;
  warehouseId: string;
  site: string;
  supplierId: string;
  purchaseDate: string;
  status: 'open' | 'concluded';
  createdAt: string;
  lockVersion: number;
  supplierName: string | null;
  supplierAddress: string | null;
  supplierContact: string | null;
  note: string | null;
  inspectorId: string | null;
  inspectorName: string | null;
  concludedAt: string | null;
  signatureId: string | null;
  recordHash: string | null;
};

export type PurAcceptanceLineTable = {
  id: string;
  acceptanceId: string;
  receiptLineId: string;
  accepted: number;
  rejected: number;
  conclusion: 'accepted' | 'partially_accepted' | 'rejected';
  nonConformity: string | null;
  disposition: Disposition | null;
  putawayLocationId: string | null;
  nonconformingLocationId: string | null;
};

export type PurAcceptanceLotTable = {
  id: string;
  acceptanceId: string;
  receiptLineId: string;
  lotId: string;
  accepted: number;
  rejected: number;
};

/** One scan (or hand-entered lot) at acceptance, with the raw scan kept; voiding is added, never deleted. */
export type PurScanTable = {
  id: string;
  acceptanceId: string;
  receiptLineId: string;
  productId: string;
  lotId: string;
  lot: string;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  level: number;
  quantity: number;
  issuer: UdiIssuer | null;
  di: string | null;
  raw: string | null;
  unitKey: string | null;
  movementId: string;
  scannedAt: string;
  scannedBy: string;
  scannedByName: string;
  voidedAt: string | null;
  voidedByName: string | null;
  voidReason: string | null;
  reversalId: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    pur_sequence: PurSequenceTable;
    pur_order: PurOrderTable;
    pur_order_line: PurOrderLineTable;
    pur_receipt: PurReceiptTable;
    pur_receipt_line: PurReceiptLineTable;
    pur_acceptance: PurAcceptanceTable;
    pur_acceptance_line: PurAcceptanceLineTable;
    pur_acceptance_lot: PurAcceptanceLotTable;
    pur_scan: PurScanTable;
  }
}
