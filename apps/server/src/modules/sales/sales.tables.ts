/** Row types of the sales module's tables, merged into the one `Database` type. */
import type { GspZone, OrderStatus, ReviewRefusalReason, StorageCondition, TransportMode } from '@medledger/contract';

/** Per-day document counters: `SO`, `SH`, `RT`, `SR`, `DP` numbers. */
export type SalesDocCounterTable = { prefix: string; day: string; last: number };

export type SalesOrderTable = {
  id: string;
  orderNo: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  /** The buyer's licence that allowed the sale (operating licence / filing / practising licence). */
  customerLicenceNo: string | null;
  warehouseId: string;
  warehouseCode: string;
  /** The data-scope site of the shipping warehouse (AC-02). */
  site: string;
  deliveryAddress: string;
  deliveryContact: string;
  deliveryPhone: string | null;
  status: OrderStatus;
  totalAmount: number | string;
  remarks: string | null;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedAt: string | null;
  cancelledBy: string | null;
  cancelledByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
};

/** An order line with the product as it was when the order was made (append-only). */
export type SalesOrderLineTable = {
  id: string;
  orderId: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  model: string;
  specification: string;
  registrant: string;
  contractManufacturer: string | null;
  manufacturerLicenceNo: string | null;
  certificateNo: string;
  unit: string;
  storage: StorageCondition;
  /** The GS1 UDI-DI of the minimum sales unit, if any (for the delivery slip's DataMatrix). */
  gs1Di: string | null;
  quantity: number;
  unitPrice: number | string;
  amount: number | string;
};

export type SalesAllocationTable = {
  id: string;
  orderId: string;
  lineId: string;
  productId: string;
  lotId: string;
  lot: string;
  serial: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  fromLocationId: string;
  locationId: string;
  quantity: number;
  refused: number;
  state: 'active' | 'released' | 'shipped';
  allocatedBy: string;
  allocatedByName: string;
  allocatedAt: string;
};

export type SalesReviewScanTable = {
  id: string;
  orderId: string;
  allocationId: string;
  serialGuard: string | null;
  raw: string;
  udi: string;
  units: number;
  scannedBy: string;
  scannedByName: string;
  scannedAt: string;
};

export type SalesReviewRefusalTable = {
  id: string;
  orderId: string;
  allocationId: string;
  lotId: string;
  quantity: number;
  reason: ReviewRefusalReason;
  note: string | null;
  toLocationId: string;
  refusedBy: string;
  refusedByName: string;
  refusedAt: string;
};

export type SalesReviewTable = {
  id: string;
  orderId: string;
  reviewerId: string;
  reviewerName: string;
  reviewedAt: string;
  outboundDate: string;
  signatureId: string;
  recordHash: string;
  note: string | null;
  /** The signed art. 88 record (JSON): what the signature's hash covers. */
  content: string;
};

export type SalesShipmentTable = {
  id: string;
  shipmentNo: string;
  orderId: string;
  site: string;
  shipDate: string;
  shippedAt: string;
  shippedBy: string;
  shippedByName: string;
  customerLicenceNo: string | null;
  mode: TransportMode;
  carrier: string | null;
  waybillNo: string | null;
  vehiclePlate: string | null;
  driver: string | null;
  consigneeName: string;
  consigneeAddress: string;
  consigneeContact: string;
  consigneePhone: string | null;
  thirdPartyLogistics: string | null;
  coldBoxPreconditioned: number | null;
  coldLoadedAt: string | null;
  coldTemperatureTenths: number | null;
  remarks: string | null;
};

export type SalesReturnTable = {
  id: string;
  returnNo: string;
  orderId: string;
  shipmentId: string;
  customerId: string;
  warehouseId: string;
  site: string;
  reason: string;
  transportConditions: string;
  coldRecordChecked: number | null;
  coldMinTenths: number | null;
  coldMaxTenths: number | null;
  status: 'received' | 'inspected';
  returnDate: string;
  receivedAt: string;
  receivedBy: string;
  receivedByName: string;
  inspectorId: string | null;
  inspectorName: string | null;
  inspectedAt: string | null;
  signatureId: string | null;
  note: string | null;
};

export type SalesReturnLineTable = {
  id: string;
  returnId: string;
  allocationId: string;
  orderLineId: string;
  productId: string;
  lotId: string;
  lot: string;
  serial: string | null;
  expiryDate: string | null;
  udi: string | null;
  /** The returns-zone location the units went to. */
  locationId: string;
  quantity: number;
  qualified: number | null;
  nonconforming: number | null;
};

export type SalesSupplierReturnTable = {
  id: string;
  returnNo: string;
  supplierId: string;
  supplierCode: string;
  supplierName: string;
  warehouseId: string;
  warehouseCode: string;
  site: string;
  reason: string;
  mode: TransportMode;
  carrier: string | null;
  waybillNo: string | null;
  vehiclePlate: string | null;
  driver: string | null;
  returnDate: string;
  returnedAt: string;
  returnedBy: string;
  returnedByName: string;
};

export type SalesDisposalTable = {
  id: string;
  disposalNo: string;
  warehouseId: string;
  warehouseCode: string;
  site: string;
  method: string;
  reason: string;
  /** JSON array of names. */
  witnesses: string;
  disposalDate: string;
  disposedAt: string;
  signerId: string;
  signerName: string;
  signatureId: string;
};

/** Lines of returns to suppliers and disposals. */
export type SalesStockLineTable = {
  id: string;
  docType: 'supplier_return' | 'disposal';
  docId: string;
  productId: string;
  productName: string;
  model: string;
  specification: string;
  certificateNo: string;
  lotId: string;
  lot: string;
  serial: string | null;
  expiryDate: string | null;
  locationId: string;
  zone: GspZone;
  quantity: number;
};

declare module '../../platform/db/database.js' {
  interface Database {
    sales_doc_counter: SalesDocCounterTable;
    sales_order: SalesOrderTable;
    sales_order_line: SalesOrderLineTable;
    sales_allocation: SalesAllocationTable;
    sales_review_scan: SalesReviewScanTable;
    sales_review_refusal: SalesReviewRefusalTable;
    sales_review: SalesReviewTable;
    sales_shipment: SalesShipmentTable;
    sales_return: SalesReturnTable;
    sales_return_line: SalesReturnLineTable;
    sales_supplier_return: SalesSupplierReturnTable;
    sales_disposal: SalesDisposalTable;
    sales_stock_line: SalesStockLineTable;
  }
}
