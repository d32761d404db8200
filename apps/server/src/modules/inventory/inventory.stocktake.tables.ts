/** Row types of stocktakes and maintenance checks, merged into the one `Database` type. */
import type { GspZone, StocktakeStatus } from '@medledger/contract';

/** A stocktake (GSP art. 77): frozen by a database trigger once approved, never deleted. */
export type InvStocktakeTable = {
  id: string;
  number: string;
  status: StocktakeStatus;
  warehouseId: string;
  areaId: string | null;
  site: string;
  note: string | null;
  round: number;
  openedBy: string;
  openedByName: string;
  openedAt: string;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  rejectedByName: string | null;
  rejectedAt: string | null;
  rejectReason: string | null;
  cancelledByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  approvalNote: string | null;
  signatureId: string | null;
};

/** One counted position: product lot (or serial) at a location, with the book read at `baseSeq`. */
export type InvStocktakeLineTable = {
  id: string;
  stocktakeId: string;
  lineNo: number;
  productId: string;
  lotId: string;
  locationId: string;
  zone: GspZone;
  held: number;
  onBook: number;
  bookQuantity: number;
  baseSeq: number;
  countedQuantity: number | null;
  countedBy: string | null;
  countedByName: string | null;
  countedAt: string | null;
};

/** A signed in-stock maintenance check of one storage area (GSP art. 74); append-only. */
export type InvMaintenanceCheckTable = {
  id: string;
  areaId: string;
  warehouseId: string;
  site: string;
  /** The art. 74 checklist as JSON. */
  checklist: string;
  note: string | null;
  suspectLots: number;
  checkedBy: string;
  checkedByName: string;
  checkedAt: string;
  signatureId: string;
};

/** What the checker found on one lot; append-only. */
export type InvMaintenanceLotTable = {
  id: string;
  checkId: string;
  lotId: string;
  appearanceOk: number;
  packagingOk: number;
  expiryOk: number;
  suspect: number;
  finding: string | null;
};

/** Per-day document counters (`PD-20261129` → last number used). */
export type InvSequenceTable = { key: string; last: number };

declare module '../../platform/db/database.js' {
  interface Database {
    inv_sequence: InvSequenceTable;
    inv_stocktake: InvStocktakeTable;
    inv_stocktake_line: InvStocktakeLineTable;
    inv_maintenance_check: InvMaintenanceCheckTable;
    inv_maintenance_lot: InvMaintenanceLotTable;
  }
}
