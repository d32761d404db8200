import { z } from 'zod';
import { DEVICE_CLASSES, STORAGE_CONDITIONS, UDI_ISSUER_CODES } from './master-data.js';

/**
 * Purchasing (GSP arts. 55–58), receiving (arts. 60–63) and acceptance inspection (验收, arts. 65–67):
 * purchase orders approved by a second person, receipts against the supplier's delivery slip with
 * the cold-chain record where needed, acceptance by scanning each unit's UDI into the 待验
 * (quarantine) zone, and the inspector's signed conclusion that moves accepted goods to 合格 and
 * rejected goods to 不合格. Operator names and times come from the session, the server clock and
 * the electronic signature, never from input.
 */

/** Permissions of the procurement module, merged into the catalogue. */
export const PROCUREMENT_PERMISSIONS = {
  'procurement.record.read': {
    zh: '查看采购订单、收货单、验收记录与采购/验收台账（在数据范围内）',
    en: 'View purchase orders, receipts, acceptance records and the purchase / acceptance ledgers (within the data scope)',
  },
  'procurement.order.edit': {
    zh: '编制、修改（草稿）、提交、取消与关闭采购订单',
    en: 'Draft, edit (while a draft), submit, cancel and close purchase orders',
  },
  'procurement.order.approve': {
    zh: '以电子签名审批或退回采购订单（不能审批自己编制或提交的订单）',
    en: 'Approve or return purchase orders with an electronic signature (never one’s own)',
  },
  'procurement.receipt.record': {
    zh: '按随货同行单收货、记录运输方式与冷链温度、拒收',
    en: 'Receive deliveries against the delivery slip, record transport and cold-chain temperatures, refuse goods',
  },
  'procurement.acceptance.scan': {
    zh: '验收扫码（UDI）或录入无 UDI 产品的批号，货物进入待验区',
    en: 'Scan UDIs (or enter lots of products without a UDI) during acceptance; the goods enter the quarantine zone',
  },
  'procurement.acceptance.conclude': {
    zh: '以电子签名作出验收结论：合格品入合格区，不合格品入不合格区',
    en: 'Sign the acceptance conclusion: accepted goods to the qualified zone, rejected goods to the nonconforming zone',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const DateOnly = z.iso.date();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Note = z.string().trim().max(500);

/** Largest quantity on one line, in minimum sales units. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** Largest unit price in 分 (¥100,000,000: large imaging equipment fits). */
export const MAX_UNIT_PRICE_FEN = 10_000_000_000;
/** Largest amount of one line in 分; with at most 200 lines an order total stays an exact JS number. */
export const MAX_LINE_AMOUNT_FEN = 10_000_000_000_000;
/** Raw scans per acceptance request. */
export const MAX_SCANS_PER_REQUEST = 1000;

const Quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);
const QuantityOrZero = z.number().int().min(0).max(MAX_LINE_QUANTITY);

export const PURCHASE_ORDER_STATUSES = ['draft', 'submitted', 'approved', 'receiving', 'closed', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export const OrderLineInput = z.strictObject({
  productId: z.uuid(),
  /** In the product's minimum sales unit (packaging level 0). */
  quantity: Quantity,
  /** Unit price in 分 (integer); the amount is computed by the server. */
  unitPriceFen: z.number().int().min(0).max(MAX_UNIT_PRICE_FEN),
});

/** A draft purchase order (also the body that replaces a draft's content). */
export const OrderInput = z
  .strictObject({
    supplierId: z.uuid(),
    /** The warehouse expected to receive the goods; it decides the site (data scope) of the order. */
    warehouseId: z.uuid(),
    /** The supplier's contact for this order (person and telephone), for the acceptance record. */
    supplierContact: Text(120),
    note: Note.optional(),
    lines: z.array(OrderLineInput).min(1).max(200),
  })
  .superRefine((o, issue) => {
    const seen = new Set<string>();
    o.lines.forEach((l, i) => {
      if (seen.has(l.productId)) {
        issue.addIssue({ code: 'custom', path: ['lines', i, 'productId'], message: 'each product may appear once' });
      }
      seen.add(l.productId);
      if (l.quantity * l.unitPriceFen > MAX_LINE_AMOUNT_FEN) {
        issue.addIssue({ code: 'custom', path: ['lines', i], message: 'the line amount is too large' });
      }
    });
  });
export type OrderInput = z.infer<typeof OrderInput>;

/** Approve, or return to the purchaser as a draft, with an electronic signature (GSP-04). */
export const OrderDecisionInput = z.strictObject({
  decision: z.enum(['approve', 'return']),
  note: Note,
  code: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});
export type OrderDecisionInput = z.infer<typeof OrderDecisionInput>;

export const ReasonInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const PurchaseOrderLineView = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string(),
  /** Snapshot at creation (GSP arts. 55, 58): the order stays true when master data changes. */
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  deviceClass: z.enum(DEVICE_CLASSES),
  registrant: z.string(),
  registrantLicenceNo: z.string().nullable(),
  contractManufacturer: z.string().nullable(),
  contractManufacturerLicenceNo: z.string().nullable(),
  certificateNo: z.string(),
  unit: z.string(),
  storage: z.enum(STORAGE_CONDITIONS),
  quantity: z.number().int(),
  unitPriceFen: z.number().int(),
  amountFen: z.number().int(),
  /** Received so far over all receipts (refusals at the door not counted). */
  receivedQuantity: z.number().int(),
});
export type PurchaseOrderLineView = z.infer<typeof PurchaseOrderLineView>;

const PersonAt = z.object({ name: z.string(), at: z.string() }).nullable();

export const PurchaseOrderView = z.object({
  id: z.string(),
  number: z.string(),
  /** China calendar day the order was created. */
  orderDate: z.string(),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  supplierId: z.string(),
  supplierCode: z.string(),
  supplierName: z.string(),
  supplierContact: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  site: z.string(),
  note: z.string().nullable(),
  totalFen: z.number().int(),
  created: z.object({ name: z.string(), at: z.string() }),
  submitted: PersonAt,
  approved: z
    .object({ name: z.string(), at: z.string(), signatureId: z.string(), note: z.string().nullable() })
    .nullable(),
  /** The last return to draft by an approver, with the note. */
  returned: z.object({ name: z.string(), at: z.string(), note: z.string() }).nullable(),
  cancelled: z.object({ name: z.string(), at: z.string(), reason: z.string() }).nullable(),
  closed: z.object({ name: z.string(), at: z.string(), reason: z.string() }).nullable(),
  lines: z.array(PurchaseOrderLineView),
  receipts: z.array(
    z.object({ id: z.string(), number: z.string(), receivedAt: z.string(), acceptanceId: z.string().nullable() }),
  ),
});
export type PurchaseOrderView = z.infer<typeof PurchaseOrderView>;
export const PurchaseOrderResponse = z.object({ order: PurchaseOrderView });

const Page = z
  .string()
  .regex(/^[1-9]\d{0,4}$/, 'a page number from 1')
  .optional();
const PageSize = z
  .string()
  .regex(/^([1-9]\d?|1\d\d|200)$/, '1 to 200')
  .optional();

/** Filters shared by the ledgers: China calendar days (inclusive), supplier, product. */
const LedgerFilter = {
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  supplierId: z.uuid().optional(),
  productId: z.uuid().optional(),
  page: Page,
  pageSize: PageSize,
};

export const PurchaseOrderListQuery = z.strictObject({
  ...LedgerFilter,
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
});
export const OrderSummary = PurchaseOrderView.omit({ lines: true, receipts: true }).extend({
  lineCount: z.number().int(),
});
export const PurchaseOrderListResponse = z.object({ total: z.number().int(), orders: z.array(OrderSummary) });

/** GSP art. 58 purchase record: one row per line of an approved (or later) order. */
export const PurchaseRecordRow = PurchaseOrderLineView.omit({ id: true, lineNo: true }).extend({
  orderId: z.string(),
  orderNumber: z.string(),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  /** 购货日期: the day the order was approved. */
  purchaseDate: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  warehouseCode: z.string(),
});
export type PurchaseRecordRow = z.infer<typeof PurchaseRecordRow>;
export const PurchaseRecordQuery = z.strictObject(LedgerFilter);
export const PurchaseRecordResponse = z.object({ total: z.number().int(), rows: z.array(PurchaseRecordRow) });

export const RECEIPT_TRANSPORT_MODES = ['own_vehicle', 'carrier', 'courier'] as const;

/** Degrees Celsius with at most one decimal. */
const Celsius = z
  .number()
  .min(-90)
  .max(60)
  .refine((c) => Math.abs(c * 10 - Math.round(c * 10)) < 1e-6, 'at most one decimal');

/**
 * Cold-chain receipt record (GSP arts. 63, 67): when the goods left and arrived, the lowest and
 * highest temperature in transit (from the vehicle's or box's record) and the temperature on arrival.
 */
export const ColdChainInput = z
  .strictObject({
    departedAt: z.iso.datetime({ offset: true }),
    arrivedAt: z.iso.datetime({ offset: true }),
    transitMinC: Celsius,
    transitMaxC: Celsius,
    arrivalC: Celsius,
    /** The vehicle, refrigerated box or temperature logger the record comes from. */
    device: Text(64).optional(),
  })
  .refine((c) => c.transitMinC <= c.transitMaxC, { message: 'the minimum is above the maximum', path: ['transitMinC'] })
  .refine((c) => Date.parse(c.arrivedAt) >= Date.parse(c.departedAt), {
    message: 'arrival before departure',
    path: ['arrivedAt'],
  });
export type ColdChainInput = z.infer<typeof ColdChainInput>;

export const ReceiptLineInput = z.strictObject({
  orderLineId: z.uuid(),
  /** Taken in (into the 待验 zone); at most what is still open on the order line. */
  quantityReceived: QuantityOrZero,
  /** Refused at the door (damaged, not ordered, temperature…), with the reason. */
  quantityRefused: QuantityOrZero,
  refusalReason: z.string().trim().min(2).max(200).optional(),
  /** A 待验 location of the order's warehouse; by default the first one with the product's storage condition. */
  quarantineLocationId: z.uuid().optional(),
});

export const ReceiptInput = z
  .strictObject({
    /** 随货同行单 number and date (GSP art. 61). */
    deliverySlipNo: Text(64),
    deliverySlipDate: DateOnly,
    transport: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('own_vehicle'), vehicle: Text(40).optional() }),
      z.strictObject({ mode: z.literal('carrier'), carrier: Text(120), waybillNo: Text(64) }),
      z.strictObject({ mode: z.literal('courier'), carrier: Text(120), waybillNo: Text(64) }),
    ]),
    /** Required when any line is a 2–8 ℃ or ≤ −20 ℃ product. */
    coldChain: ColdChainInput.optional(),
    lines: z.array(ReceiptLineInput).min(1).max(200),
    note: Note.optional(),
  })
  .superRefine((r, issue) => {
    const seen = new Set<string>();
    r.lines.forEach((l, i) => {
      if (seen.has(l.orderLineId)) {
        issue.addIssue({
          code: 'custom',
          path: ['lines', i, 'orderLineId'],
          message: 'each order line may appear once',
        });
      }
      seen.add(l.orderLineId);
      if (l.quantityReceived + l.quantityRefused === 0) {
        issue.addIssue({ code: 'custom', path: ['lines', i], message: 'nothing received or refused on this line' });
      }
      if (l.quantityRefused > 0 && l.refusalReason === undefined) {
        issue.addIssue({ code: 'custom', path: ['lines', i, 'refusalReason'], message: 'say why goods were refused' });
      }
    });
  });
export type ReceiptInput = z.infer<typeof ReceiptInput>;

export const ColdChainView = z.object({
  departedAt: z.string(),
  arrivedAt: z.string(),
  transitMinC: z.number(),
  transitMaxC: z.number(),
  arrivalC: z.number(),
  device: z.string().nullable(),
});

export const ReceiptLineView = z.object({
  id: z.string(),
  orderLineId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  unit: z.string(),
  quantityReceived: z.number().int(),
  quantityRefused: z.number().int(),
  refusalReason: z.string().nullable(),
  quarantineLocationId: z.string().nullable(),
});

export const ReceiptView = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  warehouseId: z.string(),
  deliverySlipNo: z.string(),
  deliverySlipDate: z.string(),
  transportMode: z.enum(RECEIPT_TRANSPORT_MODES),
  carrier: z.string().nullable(),
  waybillNo: z.string().nullable(),
  vehicle: z.string().nullable(),
  coldChain: ColdChainView.nullable(),
  note: z.string().nullable(),
  receivedAt: z.string(),
  receivedByName: z.string(),
  lines: z.array(ReceiptLineView),
  /** The acceptance opened for the goods taken in; null when everything was refused. */
  acceptanceId: z.string().nullable(),
});
export type ReceiptView = z.infer<typeof ReceiptView>;
export const ReceiptResponse = z.object({ receipt: ReceiptView });

/** One or many raw scans exactly as the scanner sent them (GS1, HRI, Digital Link, MA, AHM). */
export const ScanInput = z.strictObject({
  scans: z.array(z.string().min(1).max(512)).min(1).max(MAX_SCANS_PER_REQUEST),
});

/** Lot entry for a product that has no UDI-DI on file (it cannot be scanned). */
export const ManualLotInput = z.strictObject({
  receiptLineId: z.uuid(),
  lot: Text(40),
  serial: Text(40).nullable(),
  productionDate: DateOnly.nullable(),
  expiryDate: DateOnly.nullable(),
  quantity: Quantity,
});

export const VoidScanInput = ReasonInput;

export const ScanResult = z.object({
  /** Index of the scan in the request. */
  index: z.number().int(),
  scanId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  /** Packaging level of the DI scanned (0: minimum sales unit). */
  level: z.number().int(),
  /** Minimum sales units this scan counts. */
  quantity: z.number().int(),
  /** Expired on arrival: the unit can only be rejected at conclusion. */
  expired: z.boolean(),
});

export const AcceptanceProgress = z.object({
  receiptLineId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  received: z.number().int(),
  identified: z.number().int(),
});

export const ScanResponse = z.object({
  results: z.array(ScanResult),
  progress: z.array(AcceptanceProgress),
  warnings: z.array(z.string()),
});

export const DISPOSITIONS = ['return_to_supplier', 'destroy', 'qa_review'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const ConcludeLineInput = z
  .strictObject({
    receiptLineId: z.uuid(),
    acceptedQuantity: QuantityOrZero,
    rejectedQuantity: QuantityOrZero,
    /** Which identified lots (or serial units) are rejected, and how many of each. */
    rejections: z
      .array(z.strictObject({ lotId: z.uuid(), quantity: Quantity }))
      .max(2 * MAX_SCANS_PER_REQUEST)
      .optional(),
    nonConformity: z.string().trim().min(2).max(500).optional(),
    disposition: z.enum(DISPOSITIONS).optional(),
    /** 合格 location; by default the first one with the product's storage condition. */
    putawayLocationId: z.uuid().optional(),
    /** 不合格 location; by default the warehouse's first one. */
    nonconformingLocationId: z.uuid().optional(),
  })
  .superRefine((l, issue) => {
    const rejected = (l.rejections ?? []).reduce((n, r) => n + r.quantity, 0);
    if (rejected !== l.rejectedQuantity) {
      issue.addIssue({
        code: 'custom',
        path: ['rejections'],
        message: `the rejections add up to ${rejected}, not ${l.rejectedQuantity}`,
      });
    }
    if (l.rejectedQuantity > 0 && (l.nonConformity === undefined || l.disposition === undefined)) {
      issue.addIssue({
        code: 'custom',
        path: ['nonConformity'],
        message: 'rejected goods need the non-conformity and the disposition',
      });
    }
  });

export const ConcludeInput = z.strictObject({
  lines: z.array(ConcludeLineInput).min(1).max(200),
  note: Note.optional(),
  /** Authenticator code for the signature, or leave out after a passkey confirmation. */
  code: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});
export type ConcludeInput = z.infer<typeof ConcludeInput>;

export const ACCEPTANCE_STATUSES = ['open', 'concluded'] as const;
export const CONCLUSIONS = ['accepted', 'partially_accepted', 'rejected'] as const;

export const AcceptanceLotView = z.object({
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  /** Identified units of this lot (minimum sales units). */
  quantity: z.number().int(),
  accepted: z.number().int().nullable(),
  rejected: z.number().int().nullable(),
  /** The UDI-DIs read for this lot (empty for a product without UDI). */
  dis: z.array(z.object({ issuer: z.enum(UDI_ISSUER_CODES), di: z.string() })),
});

export const AcceptanceLineView = z.object({
  receiptLineId: z.string(),
  productId: z.string(),
  /** GSP art. 65 items 1–3, from the order's snapshot. */
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  unit: z.string(),
  certificateNo: z.string(),
  registrant: z.string(),
  registrantLicenceNo: z.string().nullable(),
  contractManufacturer: z.string().nullable(),
  contractManufacturerLicenceNo: z.string().nullable(),
  received: z.number().int(),
  identified: z.number().int(),
  conclusion: z.enum(CONCLUSIONS).nullable(),
  accepted: z.number().int().nullable(),
  rejected: z.number().int().nullable(),
  nonConformity: z.string().nullable(),
  disposition: z.enum(DISPOSITIONS).nullable(),
  lots: z.array(AcceptanceLotView),
});

export const ScanView = z.object({
  id: z.string(),
  productId: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  level: z.number().int(),
  quantity: z.number().int(),
  issuer: z.enum(UDI_ISSUER_CODES).nullable(),
  di: z.string().nullable(),
  /** The scan exactly as received (GSP-01); null for a lot entered by hand. */
  raw: z.string().nullable(),
  scannedAt: z.string(),
  scannedByName: z.string(),
  voided: z.object({ at: z.string(), name: z.string(), reason: z.string() }).nullable(),
});

/** The acceptance (验收) record of GSP art. 65, with the cold-chain data of art. 67. */
export const AcceptanceView = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(ACCEPTANCE_STATUSES),
  receiptId: z.string(),
  receiptNumber: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  warehouseId: z.string(),
  /** 购货日期: the day the goods were received. */
  purchaseDate: z.string(),
  deliverySlipNo: z.string(),
  transportMode: z.enum(RECEIPT_TRANSPORT_MODES),
  coldChain: ColdChainView.nullable(),
  /** Art. 65 item 5, from master data (address) and the order (contact). */
  supplier: z.object({ id: z.string(), name: z.string(), address: z.string(), contact: z.string() }),
  lines: z.array(AcceptanceLineView),
  note: z.string().nullable(),
  /** Inspector and date come from the electronic signature (GSPI ※5.51), never from input. */
  inspector: z
    .object({
      name: z.string(),
      signedAt: z.string(),
      signatureId: z.string(),
      recordHash: z.string(),
      /** The stored record still matches what was signed (GSP-04). */
      signatureValid: z.boolean(),
    })
    .nullable(),
});
export type AcceptanceView = z.infer<typeof AcceptanceView>;
export const AcceptanceResponse = z.object({ acceptance: AcceptanceView });
export const ScanListResponse = z.object({ scans: z.array(ScanView) });

export const AcceptanceListQuery = z.strictObject({
  ...LedgerFilter,
  status: z.enum(ACCEPTANCE_STATUSES).optional(),
});

/** GSP art. 65 acceptance ledger: one row per line of an acceptance. */
export const AcceptanceRecordRow = z.object({
  acceptanceId: z.string(),
  acceptanceNumber: z.string(),
  status: z.enum(ACCEPTANCE_STATUSES),
  receiptNumber: z.string(),
  orderNumber: z.string(),
  purchaseDate: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  certificateNo: z.string(),
  received: z.number().int(),
  accepted: z.number().int().nullable(),
  rejected: z.number().int().nullable(),
  conclusion: z.enum(CONCLUSIONS).nullable(),
  inspectorName: z.string().nullable(),
  concludedAt: z.string().nullable(),
});
export const AcceptanceListResponse = z.object({ total: z.number().int(), rows: z.array(AcceptanceRecordRow) });

/** Audit events of the procurement module. Ids, counts and amounts only: no lot or serial text, no contacts. */
export const PROCUREMENT_AUDIT_EVENTS = {
  'procurement.order.created': {
    zh: '新建采购订单',
    en: 'Purchase order created',
    category: 'business',
    data: z.strictObject({
      orderId: z.string(),
      number: z.string(),
      supplierId: z.string(),
      warehouseId: z.string(),
      lines: z.number().int(),
      totalFen: z.number().int(),
    }),
  },
  'procurement.order.revised': {
    zh: '修改采购订单草稿',
    en: 'Purchase order draft revised',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), lines: z.number().int(), totalFen: z.number().int() }),
  },
  'procurement.order.submitted': {
    zh: '提交采购订单审批',
    en: 'Purchase order submitted for approval',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), number: z.string() }),
  },
  'procurement.order.approved': {
    zh: '审批通过采购订单',
    en: 'Purchase order approved',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), number: z.string(), signatureId: z.string(), recordHash: z.string() }),
  },
  'procurement.order.returned': {
    zh: '退回采购订单',
    en: 'Purchase order returned to draft',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), number: z.string(), signatureId: z.string() }),
  },
  'procurement.order.cancelled': {
    zh: '取消采购订单',
    en: 'Purchase order cancelled',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), number: z.string(), previousStatus: z.enum(PURCHASE_ORDER_STATUSES) }),
  },
  'procurement.order.closed': {
    zh: '关闭采购订单',
    en: 'Purchase order closed',
    category: 'business',
    data: z.strictObject({ orderId: z.string(), number: z.string(), complete: z.boolean() }),
  },
  'procurement.receipt.recorded': {
    zh: '收货',
    en: 'Delivery received',
    category: 'business',
    data: z.strictObject({
      receiptId: z.string(),
      number: z.string(),
      orderId: z.string(),
      received: z.number().int(),
      refused: z.number().int(),
      coldChain: z.boolean(),
      acceptanceId: z.string().nullable(),
    }),
  },
  'procurement.acceptance.scanned': {
    zh: '验收扫码入待验区',
    en: 'Unit scanned into quarantine at acceptance',
    category: 'business',
    data: z.strictObject({
      acceptanceId: z.string(),
      scanId: z.string(),
      productId: z.string(),
      lotId: z.string(),
      level: z.number().int(),
      quantity: z.number().int(),
      movementId: z.string(),
      manual: z.boolean(),
    }),
  },
  'procurement.acceptance.scanVoided': {
    zh: '撤销验收扫码',
    en: 'Acceptance scan voided',
    category: 'business',
    data: z.strictObject({ acceptanceId: z.string(), scanId: z.string(), reversalId: z.string() }),
  },
  'procurement.acceptance.concluded': {
    zh: '验收结论签名',
    en: 'Acceptance concluded and signed',
    category: 'business',
    data: z.strictObject({
      acceptanceId: z.string(),
      number: z.string(),
      receiptId: z.string(),
      accepted: z.number().int(),
      rejected: z.number().int(),
      signatureId: z.string(),
      recordHash: z.string(),
    }),
  },
} as const;
