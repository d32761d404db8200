import { z } from 'zod';
import { LEDGER_FILTER_FIELDS } from './ledgers.js';
import { GSP_ZONES, STORAGE_CONDITIONS } from './master-data.js';

/**
 * Sales (GSP arts. 84–99, 106–107): sales orders checked against the buyer's qualification, FEFO
 * allocation into the shipping zone, outbound review (出库复核) by scanning with an electronic
 * signature, shipment with its transport record, the delivery slip (随货同行单), customer returns
 * with re-inspection, returns to suppliers and the disposal of non-conforming stock.
 */

/**
 * How goods travel (GSP art. 96): by an outside carrier (名称 + 运单号) or by the company's own
 * vehicle (车牌号 + 驾驶员).
 */
export const TRANSPORT_MODES = ['carrier', 'own_fleet'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

/**
 * The data of a delivery slip (随货同行单, GSP art. 92) for one shipment. The server fills every
 * field from the signed outbound review and the shipment; a renderer only lays it out. Dates are
 * `YYYY-MM-DD` (China time).
 */
export const DeliverySlip = z.object({
  /** The slip number: the shipment number, e.g. `SH-20261129-0001`. */
  slipNo: z.string(),
  /** The sales order number, e.g. `SO-20261129-0001`. */
  orderNo: z.string(),
  shipDate: z.string(),
  /** Our company (供货单位), from the company profile settings. */
  supplier: z.object({
    name: z.string(),
    address: z.string(),
    /** 医疗器械经营许可证 / 备案凭证 number. */
    licenceNo: z.string(),
    phone: z.string().nullable(),
  }),
  /** 收货单位: the customer, with the delivery address and contact of the order. */
  consignee: z.object({
    name: z.string(),
    address: z.string(),
    contact: z.string(),
    phone: z.string().nullable(),
  }),
  transport: z.object({
    mode: z.enum(TRANSPORT_MODES),
    /** Carrier name (mode `carrier`). */
    carrier: z.string().optional(),
    waybillNo: z.string().optional(),
    /** Vehicle plate and driver (mode `own_fleet`). */
    vehiclePlate: z.string().optional(),
    driver: z.string().optional(),
    /** The distinct storage conditions of the goods on the slip (normal, 2–8 ℃, ≤ −20 ℃). */
    storageConditions: z.array(z.enum(STORAGE_CONDITIONS)),
    /** 第三方物流 (3PL) that stores or ships on our behalf, if any. */
    thirdPartyLogistics: z.string().optional(),
  }),
  /** One line per product, lot and serial shipped. */
  lines: z.array(
    z.object({
      productName: z.string(),
      model: z.string(),
      specification: z.string(),
      /** 注册人 / 备案人. */
      registrant: z.string(),
      /** 受托生产企业, when production is contracted out. */
      contractManufacturer: z.string().nullable(),
      /** 生产许可证编号或备案编号 of the enterprise that made it (contract manufacturer, else registrant). */
      manufacturerLicenceNo: z.string().nullable(),
      /** 注册证编号 / 备案编号. */
      certificateNo: z.string(),
      lot: z.string(),
      serial: z.string().nullable(),
      productionDate: z.string().nullable(),
      expiryDate: z.string().nullable(),
      quantity: z.number().int(),
      /** Unit of the minimum sales unit, e.g. 支, 盒. */
      unit: z.string(),
      storage: z.enum(STORAGE_CONDITIONS),
      /**
       * GS1 element string for a GS1 DataMatrix — (01) GTIN, (17) expiry, (10) lot, (21) serial —
       * with ASCII 29 (GS) as the FNC1 separator after variable-length fields; the leading FNC1 is
       * the symbol's, not part of the string. `null` when the product has no GS1 UDI-DI.
       */
      gs1ElementString: z.string().nullable(),
      /** The same data as human-readable interpretation, e.g. `(01)06901234567892(17)271231(10)L1`. */
      hri: z.string().nullable(),
    }),
  ),
  remarks: z.string().nullable(),
});
export type DeliverySlip = z.infer<typeof DeliverySlip>;

/** Permissions of the sales module, merged into the catalogue. */
export const SALES_PERMISSIONS = {
  'sales.order.read': {
    zh: '查看销售订单、拣货、出库复核、发运、随货同行单、退货与销毁记录（在数据范围内）',
    en: 'View sales orders, allocations, outbound reviews, shipments, delivery slips, returns and disposals (within the data scope)',
  },
  'sales.price.read': {
    zh: '查看销售单价与金额',
    en: 'See unit prices and amounts of sales',
  },
  'sales.order.create': {
    zh: '新建并确认销售订单（逐行校验客户资质与经营范围）',
    en: 'Create and confirm sales orders (customer licences and scope checked line by line)',
  },
  'sales.order.cancel': {
    zh: '在发货前取消销售订单并说明原因（已拣货的库存退回合格区）',
    en: 'Cancel a sales order before shipment with a reason (picked stock goes back to the qualified zone)',
  },
  'sales.order.allocate': {
    zh: '按近效期先出（FEFO）拣货，移入发货区',
    en: 'Allocate stock first-expiry-first-out and pick it into the shipping zone',
  },
  'sales.review.perform': {
    zh: '出库复核：扫码核对、拒绝不合格品、电子签名',
    en: 'Outbound review: scan and check, refuse nonconforming units, sign electronically',
  },
  'sales.shipment.create': {
    zh: '复核后发货并填写运输记录（冷链装车记录）',
    en: 'Ship reviewed orders with the transport record (and the cold-chain loading record)',
  },
  'sales.return.receive': {
    zh: '接收客户退货至退货区（核对原出库单与运输储存条件）',
    en: 'Receive customer returns into the returns zone (checked against the original shipment and the transport conditions)',
  },
  'sales.return.inspect': {
    zh: '对退回产品重新验收并电子签名（合格入库或转不合格）',
    en: 'Re-inspect returned goods and sign (back to stock or nonconforming)',
  },
  'sales.supplierReturn.create': {
    zh: '向供应商退货并填写运输记录',
    en: 'Return stock to a supplier with the transport record',
  },
  'sales.disposal.create': {
    zh: '以电子签名记录不合格品销毁（方法、监销人）',
    en: 'Record the destruction of nonconforming stock (method, witnesses) with an electronic signature',
  },
  'sales.ledger.read': {
    zh: '查看销售记录、出库复核记录与退货记录台账',
    en: 'Read the GSP ledgers: sales, outbound reviews and returns',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const Text = (max: number) => z.string().trim().min(1).max(max);
const DateOnly = z.iso.date();
/** A phone number as written on a delivery slip (digits, spaces, + - and brackets). */
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,30}$/, 'a phone number: digits, spaces, + - ( )');
/** Money in 分 (1/100 yuan), never fractions. */
const Fen = z.number().int().min(0).max(100_000_000_000);
const Quantity = z.number().int().min(1).max(1_000_000);
/** A raw scan as the scanner sent it (ASCII 29, `^` or `<GS>` as FNC1; HRI; Digital Link; MA; AHM). */
const RawScan = z.string().min(1).max(400);
const Code = z
  .string()
  .regex(/^\d{6}$/, 'six digits')
  .optional();

export const ORDER_STATUSES = ['draft', 'confirmed', 'allocated', 'reviewed', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const DeliveryInput = z.strictObject({
  address: Text(200),
  contact: Text(60),
  phone: Phone.nullable(),
});

/** `POST /api/v1/sales/orders`: a draft order; prices in 分, quantities in minimum sales units. */
export const CreateOrderInput = z.strictObject({
  customerId: z.uuid(),
  /** The warehouse that will ship: it decides the data scope (site) of the order. */
  warehouseId: z.uuid(),
  /** Defaults to the customer's warehouse (else registered) address and its enterprise head. */
  delivery: DeliveryInput.optional(),
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: Quantity, unitPrice: Fen }))
    .min(1)
    .max(200),
  remarks: z.string().trim().max(500).optional(),
});
export type CreateOrderInput = z.infer<typeof CreateOrderInput>;

export const CancelOrderInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const ALLOCATION_STATES = ['active', 'released', 'shipped'] as const;

export const OrderLineView = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  registrant: z.string(),
  contractManufacturer: z.string().nullable(),
  manufacturerLicenceNo: z.string().nullable(),
  certificateNo: z.string(),
  unit: z.string(),
  storage: z.enum(STORAGE_CONDITIONS),
  quantity: z.number().int(),
  /** `null` unless the reader may see prices (`sales.price.read`). */
  unitPrice: z.number().int().nullable(),
  amount: z.number().int().nullable(),
  /** Picked into the shipping zone and not refused or released. */
  allocated: z.number().int(),
  scanned: z.number().int(),
});

export const AllocationView = z.object({
  id: z.string(),
  lineId: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  /** The shipping-zone location holding the picked units. */
  locationId: z.string(),
  locationCode: z.string(),
  quantity: z.number().int(),
  /** Units refused at the outbound review (moved to the nonconforming zone). */
  refused: z.number().int(),
  scanned: z.number().int(),
  state: z.enum(ALLOCATION_STATES),
});

export const OrderView = z.object({
  id: z.string(),
  orderNo: z.string(),
  status: z.enum(ORDER_STATUSES),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  warehouse: z.object({ id: z.string(), code: z.string(), site: z.string() }),
  delivery: z.object({ address: z.string(), contact: z.string(), phone: z.string().nullable() }),
  lines: z.array(OrderLineView),
  totalAmount: z.number().int().nullable(),
  allocations: z.array(AllocationView),
  remarks: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  confirmedByName: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  review: z
    .object({ id: z.string(), reviewerName: z.string(), reviewedAt: z.string(), signatureId: z.string() })
    .nullable(),
  shipment: z.object({ id: z.string(), shipmentNo: z.string(), shipDate: z.string() }).nullable(),
  cancelledAt: z.string().nullable(),
  cancelledByName: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type OrderView = z.infer<typeof OrderView>;
export const OrderResponse = z.object({ order: OrderView });

export const OrderListQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  customerId: z.uuid().optional(),
  orderNo: z.string().trim().max(40).optional(),
});
export const OrderListResponse = z.object({
  orders: z.array(
    z.object({
      id: z.string(),
      orderNo: z.string(),
      status: z.enum(ORDER_STATUSES),
      customerName: z.string(),
      warehouseCode: z.string(),
      createdAt: z.string(),
      totalAmount: z.number().int().nullable(),
    }),
  ),
});

/** Why a unit is not shipped (GSP art. 87); every refusal also goes to QA. */
export const REVIEW_REFUSAL_REASONS = [
  'packaging_damaged',
  'packaging_contaminated',
  'seal_broken',
  'label_missing',
  'label_illegible',
  'label_mismatch',
  'expired',
  'other',
] as const;
export type ReviewRefusalReason = (typeof REVIEW_REFUSAL_REASONS)[number];

/** `POST /api/v1/sales/reviews/:orderId/scans`: one or many raw scans; all are counted or none. */
export const ReviewScanInput = z.strictObject({ scans: z.array(RawScan).min(1).max(500) });

export const ReviewProgress = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  /** Every active allocation is fully counted. */
  complete: z.boolean(),
  allocations: z.array(
    z.object({
      allocationId: z.string(),
      productName: z.string(),
      lot: z.string(),
      serial: z.string().nullable(),
      quantity: z.number().int(),
      scanned: z.number().int(),
    }),
  ),
});
export const ReviewProgressResponse = z.object({ review: ReviewProgress });

/** Refuse units of one allocation that fail the review: they move to the nonconforming zone. */
export const ReviewRefusalInput = z.strictObject({
  allocationId: z.uuid(),
  quantity: Quantity,
  reason: z.enum(REVIEW_REFUSAL_REASONS),
  note: z.string().trim().max(500),
});

/** Conclude the review with an electronic signature (authenticator code or fresh passkey confirmation). */
export const ConcludeReviewInput = z.strictObject({
  note: z.string().trim().max(500).optional(),
  code: Code,
});

/** The outbound review record (出库复核记录, GSP art. 88). */
export const ReviewRecord = z.object({
  reviewId: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  buyer: z.object({ code: z.string(), name: z.string() }),
  outboundDate: z.string(),
  reviewerName: z.string(),
  reviewedAt: z.string(),
  signatureId: z.string(),
  note: z.string().nullable(),
  lines: z.array(
    z.object({
      productName: z.string(),
      model: z.string(),
      specification: z.string(),
      registrant: z.string(),
      contractManufacturer: z.string().nullable(),
      certificateNo: z.string(),
      lot: z.string(),
      serial: z.string().nullable(),
      expiryDate: z.string().nullable(),
      unit: z.string(),
      quantity: z.number().int(),
      /** The UDI as human-readable interpretation (GS1 bracketed), when the product has a GS1 DI. */
      udi: z.string().nullable(),
    }),
  ),
  refusals: z.array(
    z.object({
      lot: z.string(),
      serial: z.string().nullable(),
      quantity: z.number().int(),
      reason: z.enum(REVIEW_REFUSAL_REASONS),
      note: z.string().nullable(),
      refusedByName: z.string(),
      refusedAt: z.string(),
    }),
  ),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;
export const ReviewRecordResponse = z.object({ review: ReviewRecord });

/** How goods travel (GSP art. 96): carrier + waybill, or own vehicle plate + driver. */
export const TransportInput = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('carrier'), carrier: Text(120), waybillNo: Text(64) }),
  z.strictObject({ mode: z.literal('own_fleet'), vehiclePlate: Text(20), driver: Text(60) }),
]);
export type TransportInput = z.infer<typeof TransportInput>;

/** GSP art. 95: cold-chain loading — boxes pre-conditioned, loading time, temperature at loading (℃). */
export const ColdChainDispatchInput = z.strictObject({
  boxPreconditioned: z.boolean(),
  loadedAt: z.iso.datetime({ offset: true }),
  temperatureAtLoading: z.number().min(-80).max(60),
});

/** `POST /api/v1/sales/orders/:id/shipment`: ship a reviewed order; the ship date comes from the server. */
export const ShipInput = z.strictObject({
  transport: TransportInput,
  /** 3PL that carries or stores on our behalf, if any. */
  thirdPartyLogistics: Text(120).optional(),
  /** Required when the order holds cold-chain products (2–8 ℃ or ≤ −20 ℃). */
  coldChain: ColdChainDispatchInput.optional(),
  remarks: z.string().trim().max(500).optional(),
});
export type ShipInput = z.infer<typeof ShipInput>;

export const ShipmentView = z.object({
  id: z.string(),
  shipmentNo: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  shipDate: z.string(),
  shippedAt: z.string(),
  shippedByName: z.string(),
  transport: z.object({
    mode: z.enum(TRANSPORT_MODES),
    carrier: z.string().nullable(),
    waybillNo: z.string().nullable(),
    vehiclePlate: z.string().nullable(),
    driver: z.string().nullable(),
  }),
  consignee: z.object({
    name: z.string(),
    address: z.string(),
    contact: z.string(),
    phone: z.string().nullable(),
  }),
  thirdPartyLogistics: z.string().nullable(),
  coldChain: z
    .object({ boxPreconditioned: z.boolean(), loadedAt: z.string(), temperatureAtLoading: z.number() })
    .nullable(),
  remarks: z.string().nullable(),
});
export const ShipmentResponse = z.object({ shipment: ShipmentView });

/** GSP art. 67: a cold-chain return needs the temperature record of its time at the customer. */
export const ReturnColdChainInput = z.strictObject({
  temperatureRecordChecked: z.boolean(),
  minTemperature: z.number().min(-80).max(60),
  maxTemperature: z.number().min(-80).max(60),
});

/** `POST /api/v1/sales/returns`: a customer return against the original shipment, by scan. */
export const CustomerReturnInput = z.strictObject({
  orderId: z.uuid(),
  reason: Text(500),
  /** Transport and storage conditions during the return (GSP art. 107). */
  transportConditions: Text(200),
  coldChain: ReturnColdChainInput.optional(),
  items: z
    .array(z.strictObject({ scan: RawScan, quantity: Quantity }))
    .min(1)
    .max(200),
});

export const RETURN_STATUSES = ['received', 'inspected'] as const;
export const QUALITY_STATUSES = ['pending', 'qualified', 'nonconforming'] as const;

/** Re-inspection by acceptance staff (GSP art. 106), split per line into qualified and nonconforming units. */
export const InspectReturnInput = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        lineId: z.uuid(),
        qualified: z.number().int().min(0).max(1_000_000),
        nonconforming: z.number().int().min(0).max(1_000_000),
      }),
    )
    .min(1)
    .max(200),
  note: z.string().trim().max(500),
  code: Code,
});

/** The return record (退货记录, GSP art. 107). */
export const ReturnView = z.object({
  id: z.string(),
  returnNo: z.string(),
  returnDate: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  /** The original outbound document: the shipment (delivery slip) number. */
  originalOutboundNo: z.string(),
  returningParty: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  reason: z.string(),
  transportConditions: z.string(),
  coldChain: z
    .object({ temperatureRecordChecked: z.boolean(), minTemperature: z.number(), maxTemperature: z.number() })
    .nullable(),
  status: z.enum(RETURN_STATUSES),
  receivedByName: z.string(),
  inspectorName: z.string().nullable(),
  inspectedAt: z.string().nullable(),
  signatureId: z.string().nullable(),
  note: z.string().nullable(),
  lines: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      model: z.string(),
      specification: z.string(),
      registrant: z.string(),
      contractManufacturer: z.string().nullable(),
      certificateNo: z.string(),
      lot: z.string(),
      serial: z.string().nullable(),
      expiryDate: z.string().nullable(),
      udi: z.string().nullable(),
      unit: z.string(),
      quantity: z.number().int(),
      qualified: z.number().int(),
      nonconforming: z.number().int(),
      qualityStatus: z.enum(QUALITY_STATUSES),
    }),
  ),
});
export type ReturnView = z.infer<typeof ReturnView>;
export const ReturnResponse = z.object({ return: ReturnView });

/** Stock picked by lot and location, for returns to suppliers and disposals. */
const StockItem = z.strictObject({ lotId: z.uuid(), locationId: z.uuid(), quantity: Quantity });

/** `POST /api/v1/sales/supplier-returns`: return qualified or nonconforming stock to a supplier. */
export const SupplierReturnInput = z.strictObject({
  supplierId: z.uuid(),
  reason: Text(500),
  transport: TransportInput,
  items: z.array(StockItem).min(1).max(200),
});

export const StockDocumentLine = z.object({
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  certificateNo: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  zone: z.string(),
  quantity: z.number().int(),
});

export const SupplierReturnView = z.object({
  id: z.string(),
  returnNo: z.string(),
  supplier: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  warehouseCode: z.string(),
  reason: z.string(),
  transport: ShipmentView.shape.transport,
  returnedAt: z.string(),
  returnDate: z.string(),
  returnedByName: z.string(),
  lines: z.array(StockDocumentLine),
});
export const SupplierReturnResponse = z.object({ supplierReturn: SupplierReturnView });

/** `POST /api/v1/sales/disposals`: destruction of nonconforming stock, signed by QA (GSP arts. 69, 76). */
export const DisposalInput = z.strictObject({
  method: Text(200),
  reason: Text(500),
  /** People who watched the destruction (监销人), at least two. */
  witnesses: z.array(Text(60)).min(2).max(6),
  items: z.array(StockItem).min(1).max(200),
  code: Code,
});

export const DisposalView = z.object({
  id: z.string(),
  disposalNo: z.string(),
  warehouseCode: z.string(),
  method: z.string(),
  reason: z.string(),
  witnesses: z.array(z.string()),
  disposalDate: z.string(),
  disposedAt: z.string(),
  signerName: z.string(),
  signatureId: z.string(),
  lines: z.array(StockDocumentLine),
});
export const DisposalResponse = z.object({ disposal: DisposalView });

/** Filters of the GSP ledgers (dates are China calendar days, inclusive). */
export const LedgerQuery = z.strictObject({
  ...LEDGER_FILTER_FIELDS,
  /** The customer; the same as `partyId` (kept for existing callers). */
  customerId: z.uuid().optional(),
});

/** Sales record (GSP art. 84; JY art. 38). */
export const SalesLedgerRow = z.object({
  saleDate: z.string(),
  orderNo: z.string(),
  shipmentNo: z.string(),
  customerName: z.string(),
  customerLicenceNo: z.string().nullable(),
  deliveryAddress: z.string(),
  contact: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  registrant: z.string(),
  contractManufacturer: z.string().nullable(),
  manufacturerLicenceNo: z.string().nullable(),
  certificateNo: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  unit: z.string(),
  quantity: z.number().int(),
  unitPrice: z.number().int().nullable(),
  amount: z.number().int().nullable(),
});
export const SalesLedgerResponse = z.object({ rows: z.array(SalesLedgerRow), truncated: z.boolean() });

/** Outbound review record rows (GSP art. 88), passed and refused units alike. */
export const ReviewLedgerRow = z.object({
  reviewedAt: z.string(),
  outboundDate: z.string(),
  orderNo: z.string(),
  buyerName: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  registrant: z.string(),
  contractManufacturer: z.string().nullable(),
  certificateNo: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  unit: z.string(),
  quantity: z.number().int(),
  udi: z.string().nullable(),
  conclusion: z.enum(['passed', 'refused']),
  refusalReason: z.enum(REVIEW_REFUSAL_REASONS).nullable(),
  reviewerName: z.string(),
});
export const ReviewLedgerResponse = z.object({ rows: z.array(ReviewLedgerRow), truncated: z.boolean() });

/** Return record rows (GSP art. 107). */
export const ReturnLedgerRow = z.object({
  returnDate: z.string(),
  returnNo: z.string(),
  originalOutboundNo: z.string(),
  returningParty: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  registrant: z.string(),
  contractManufacturer: z.string().nullable(),
  certificateNo: z.string(),
  transportConditions: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  udi: z.string().nullable(),
  reason: z.string(),
  qualityStatus: z.enum(QUALITY_STATUSES),
  quantity: z.number().int(),
  inspectorName: z.string().nullable(),
});
export const ReturnLedgerResponse = z.object({ rows: z.array(ReturnLedgerRow), truncated: z.boolean() });

/** Audit events of the sales module. No personal data: ids, numbers and counts only. */
export const SALES_AUDIT_EVENTS = {
  'sales.order.created': {
    zh: '新建销售订单',
    en: 'Sales order created',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), orderNo: z.string(), customerId: z.string(), lines: z.number().int() }),
  },
  'sales.order.confirmed': {
    zh: '确认销售订单',
    en: 'Sales order confirmed',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), orderNo: z.string() }),
  },
  'sales.order.cancelled': {
    zh: '取消销售订单',
    en: 'Sales order cancelled',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), orderNo: z.string(), releasedUnits: z.number().int() }),
  },
  'sales.order.allocated': {
    zh: '销售拣货（FEFO）',
    en: 'Sales order allocated (FEFO)',
    category: 'business',
    data: z.strictObject({
      orderId: z.string(),
      orderNo: z.string(),
      allocations: z.number().int(),
      units: z.number().int(),
    }),
  },
  'sales.review.scanned': {
    zh: '出库复核扫码',
    en: 'Outbound review scans counted',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), scans: z.number().int(), units: z.number().int() }),
  },
  'sales.review.refused': {
    zh: '出库复核拒绝（转不合格）',
    en: 'Units refused at outbound review (moved to nonconforming)',
    category: 'business',
    data: z.strictObject({
      orderId: z.string(),
      allocationId: z.string(),
      lotId: z.string(),
      quantity: z.number().int(),
      refusal: z.enum(REVIEW_REFUSAL_REASONS),
    }),
  },
  'sales.review.signed': {
    zh: '出库复核签名',
    en: 'Outbound review signed',
    category: 'business',
    data: z.strictObject({
      orderId: z.string(),
      reviewId: z.string(),
      signatureId: z.string(),
      recordHash: z.string(),
    }),
  },
  'sales.slip.printed': {
    zh: '打印随货同行单（PDF）',
    en: 'Delivery slip printed (PDF)',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), shipmentNo: z.string(), lines: z.number().int() }),
  },
  'sales.order.shipped': {
    zh: '销售发货',
    en: 'Sales order shipped',
    category: 'business',
    data: z.strictObject({
      orderId: z.string(),
      shipmentId: z.string(),
      shipmentNo: z.string(),
      units: z.number().int(),
      coldChain: z.boolean(),
    }),
  },
  'sales.return.received': {
    zh: '接收客户退货',
    en: 'Customer return received',
    category: 'business',
    data: z.strictObject({
      returnId: z.string(),
      returnNo: z.string(),
      orderId: z.string(),
      units: z.number().int(),
    }),
  },
  'sales.return.inspected': {
    zh: '退货重新验收',
    en: 'Customer return re-inspected',
    category: 'business',
    data: z.strictObject({
      returnId: z.string(),
      signatureId: z.string(),
      qualified: z.number().int(),
      nonconforming: z.number().int(),
    }),
  },
  'sales.supplierReturn.created': {
    zh: '向供应商退货',
    en: 'Stock returned to a supplier',
    category: 'business',
    data: z.strictObject({
      supplierReturnId: z.string(),
      returnNo: z.string(),
      supplierId: z.string(),
      units: z.number().int(),
    }),
  },
  'sales.disposal.recorded': {
    zh: '不合格品销毁',
    en: 'Nonconforming stock destroyed',
    category: 'business',
    data: z.strictObject({
      disposalId: z.string(),
      disposalNo: z.string(),
      signatureId: z.string(),
      units: z.number().int(),
    }),
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Lists of returns, returns to suppliers and disposals (filter + paging like the procurement lists)

const ListPage = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, 'a page number')
  .optional();
const ListPageSize = z
  .string()
  .regex(/^([1-9]\d?|1\d\d|200)$/, '1 to 200')
  .optional();

export const ReturnListQuery = z.strictObject({
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  customerId: z.uuid().optional(),
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  status: z.enum(RETURN_STATUSES).optional(),
  returnNo: z.string().trim().max(40).optional(),
  page: ListPage,
  pageSize: ListPageSize,
});
export const ReturnSummary = z.object({
  id: z.string(),
  returnNo: z.string(),
  returnDate: z.string(),
  status: z.enum(RETURN_STATUSES),
  customerName: z.string(),
  orderNo: z.string(),
  shipmentNo: z.string(),
  warehouseCode: z.string(),
  reason: z.string(),
  units: z.number().int(),
  receivedByName: z.string(),
  inspectorName: z.string().nullable(),
});
export type ReturnSummary = z.infer<typeof ReturnSummary>;
export const ReturnListResponse = z.object({ total: z.number().int(), returns: z.array(ReturnSummary) });

export const SupplierReturnListQuery = z.strictObject({
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  supplierId: z.uuid().optional(),
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  page: ListPage,
  pageSize: ListPageSize,
});
export const SupplierReturnSummary = z.object({
  id: z.string(),
  returnNo: z.string(),
  returnDate: z.string(),
  supplierName: z.string(),
  warehouseCode: z.string(),
  reason: z.string(),
  mode: z.enum(TRANSPORT_MODES),
  units: z.number().int(),
  returnedByName: z.string(),
});
export type SupplierReturnSummary = z.infer<typeof SupplierReturnSummary>;
export const SupplierReturnListResponse = z.object({
  total: z.number().int(),
  supplierReturns: z.array(SupplierReturnSummary),
});

export const DisposalListQuery = z.strictObject({
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  page: ListPage,
  pageSize: ListPageSize,
});
export const DisposalSummary = z.object({
  id: z.string(),
  disposalNo: z.string(),
  disposalDate: z.string(),
  warehouseCode: z.string(),
  method: z.string(),
  reason: z.string(),
  units: z.number().int(),
  signerName: z.string(),
});
export type DisposalSummary = z.infer<typeof DisposalSummary>;
export const DisposalListResponse = z.object({ total: z.number().int(), disposals: z.array(DisposalSummary) });

/** Return-to-supplier record rows (GSP art. 107). */
export const SupplierReturnLedgerRow = z.object({
  returnDate: z.string(),
  returnNo: z.string(),
  supplierName: z.string(),
  warehouseCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  certificateNo: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  zone: z.enum(GSP_ZONES),
  quantity: z.number().int(),
  reason: z.string(),
  transport: z.string(),
  returnedByName: z.string(),
});
export const SupplierReturnLedgerResponse = z.object({
  rows: z.array(SupplierReturnLedgerRow),
  truncated: z.boolean(),
});
