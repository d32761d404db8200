/** Row types of the inventory module's tables, merged into the one `Database` type. */
import type { Generated } from 'kysely';
import type { GspZone, MovementKind } from '@medledger/contract';

/** One lot (or, for serialised devices, one serial number within a lot) of one product. */
export type InvLotTable = {
  id: string;
  productId: string;
  lot: string;
  serial: string | null;
  /** `serial ?? ''`, so (product, lot, serial) is unique on both databases. */
  serialKey: string;
  productionDate: string | null;
  expiryDate: string | null;
  sterilisationBatch: string | null;
  holdReason: string | null;
  heldAt: string | null;
  createdAt: string;
};

/** The stock ledger: append-only (database triggers refuse UPDATE and DELETE). */
export type InvMovementTable = {
  seq: Generated<number>;
  id: string;
  at: string;
  kind: MovementKind;
  productId: string;
  lotId: string;
  locationId: string;
  warehouseId: string;
  zone: GspZone;
  quantity: number;
  docType: string;
  docId: string;
  /** The movement this entry reverses (at most one reversal per movement). */
  reversalOf: string | null;
  actorId: string;
  actorName: string;
  note: string | null;
};

/** On-hand per lot and location, maintained in the same transaction as the ledger; never negative. */
export type InvBalanceTable = {
  lotId: string;
  locationId: string;
  productId: string;
  warehouseId: string;
  zone: GspZone;
  /** The lot's expiry date, copied for FEFO ordering. */
  expiryDate: string | null;
  quantity: number;
};

/** Temperature / humidity readings of a storage area (GSP art. 74: twice daily without automatic monitoring). */
export type InvClimateTable = {
  id: string;
  areaId: string;
  warehouseId: string;
  at: string;
  /** Tenths of a degree Celsius. */
  temperatureTenths: number;
  /** Tenths of a percent relative humidity. */
  humidityTenths: number;
  outOfRange: number;
  recordedBy: string;
  recordedByName: string;
  note: string | null;
};

declare module '../../platform/db/database.js' {
  interface Database {
    inv_lot: InvLotTable;
    inv_movement: InvMovementTable;
    inv_balance: InvBalanceTable;
    inv_climate: InvClimateTable;
  }
}
