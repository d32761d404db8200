import { z } from 'zod';

/**
 * The GSP ledgers (台账) as one family: what each ledger is called, which columns it has (the
 * record fields of GSP arts. 58, 65, 70, 74, 84, 88, 107), where its rows and its exports are
 * served, and the filters every ledger shares. The web app renders any ledger from this table; the
 * server uses the same columns for the xlsx and PDF exports. See docs/decisions/0026-gsp-ledgers.md.
 */

export const LEDGER_KINDS = [
  'purchase',
  'acceptance',
  'inbound',
  'outbound-review',
  'sales',
  'customer-returns',
  'supplier-returns',
  'climate',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_EXPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type LedgerExportFormat = (typeof LEDGER_EXPORT_FORMATS)[number];

/** The most rows one export may hold; above it the export is refused (narrow the filters). */
export const LEDGER_EXPORT_MAX_ROWS = 5000;
/** The most rows one screen answer holds; `truncated` says when more exist. */
export const LEDGER_VIEW_MAX_ROWS = 1000;

/** Filters a ledger may offer besides the date range. */
export type LedgerFilterKey = 'product' | 'lot' | 'party' | 'warehouse';

export type LedgerColumn = {
  key: string;
  zh: string;
  en: string;
  /** Relative width in the PDF (1 = narrow code, 3 = long name). */
  width: number;
  /** Numbers are written as numeric cells; money is in 分 and printed in 元. */
  type?: 'number' | 'money';
  /** Personal data: masked in exports unless the actor holds the ledger's reveal permission. */
  personal?: true;
  /** A code (zone, conclusion…) shown through {@link LEDGER_VALUE_LABELS}. */
  coded?: true;
};

export type LedgerDefinition = {
  zh: string;
  en: string;
  /** GSP article the ledger records. */
  basis: string;
  /** The module serving it (`module` part of its permission and audit event). */
  module: 'procurement' | 'inventory' | 'sales';
  /** The JSON rows; the export is at `${path}/export`. */
  path: string;
  permission: 'procurement.record.read' | 'inventory.stock.read' | 'sales.ledger.read';
  /** Lets the holder export personal columns unmasked. */
  revealPermission?: 'procurement.contact.reveal' | 'sales.contact.reveal';
  /** What the party filter means here (supplier or customer). */
  party?: 'supplier' | 'customer';
  filters: readonly LedgerFilterKey[];
  columns: readonly LedgerColumn[];
};

const c = (key: string, zh: string, en: string, width = 1.2, extra: Partial<LedgerColumn> = {}): LedgerColumn => ({
  key,
  zh,
  en,
  width,
  ...extra,
});

const PRODUCT = [
  c('productName', '名称', 'Name', 2.2),
  c('model', '型号', 'Model'),
  c('specification', '规格', 'Specification'),
];
const LOT = [c('lot', '批号', 'Lot'), c('serial', '序列号', 'Serial'), c('expiryDate', '失效日期', 'Expiry', 1.1)];
const ALL_FILTERS = ['product', 'lot', 'party', 'warehouse'] as const;

export const LEDGERS: Readonly<Record<LedgerKind, LedgerDefinition>> = {
  purchase: {
    zh: '采购记录',
    en: 'Purchase record',
    basis: 'GSP 第58条 / art. 58',
    module: 'procurement',
    path: '/api/v1/procurement/ledgers/purchase',
    permission: 'procurement.record.read',
    party: 'supplier',
    filters: ['product', 'party', 'warehouse'],
    columns: [
      c('purchaseDate', '购货日期', 'Purchase date', 1.1),
      c('orderNumber', '采购单号', 'Order no.', 1.5),
      c('supplierName', '供货者', 'Supplier', 2),
      ...PRODUCT,
      c('registrant', '注册人/备案人', 'Registrant', 1.8),
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      c('unit', '单位', 'Unit', 0.6),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('unitPrice', '单价(元)', 'Unit price (CNY)', 0.9, { type: 'money' }),
      c('amount', '金额(元)', 'Amount (CNY)', 1, { type: 'money' }),
      c('warehouseCode', '仓库', 'Warehouse', 0.9),
    ],
  },
  acceptance: {
    zh: '验收记录',
    en: 'Acceptance record',
    basis: 'GSP 第65条 / art. 65',
    module: 'procurement',
    path: '/api/v1/procurement/ledgers/acceptance',
    permission: 'procurement.record.read',
    revealPermission: 'procurement.contact.reveal',
    party: 'supplier',
    filters: ALL_FILTERS,
    columns: [
      c('acceptedDate', '验收日期', 'Acceptance date', 1.1),
      c('acceptanceNumber', '验收单号', 'Acceptance no.', 1.5),
      c('purchaseDate', '购货日期', 'Purchase date', 1.1),
      ...PRODUCT,
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      c('registrant', '注册人/备案人', 'Registrant', 1.6),
      c('contractManufacturer', '受托生产企业', 'Contract manufacturer', 1.6),
      ...LOT,
      c('supplierName', '供货者', 'Supplier', 1.8),
      c('supplierAddress', '供货者地址', 'Supplier address', 1.8),
      c('supplierContact', '联系方式', 'Contact', 1.4, { personal: true }),
      c('accepted', '合格数量', 'Accepted', 0.8, { type: 'number' }),
      c('rejected', '拒收数量', 'Rejected', 0.8, { type: 'number' }),
      c('conclusion', '验收结论', 'Conclusion', 1, { coded: true }),
      c('inspectorName', '验收人员', 'Inspector', 1),
    ],
  },
  inbound: {
    zh: '入库记录',
    en: 'Inbound record',
    basis: 'GSP 第70条 / art. 70',
    module: 'inventory',
    path: '/api/v1/inventory/ledgers/inbound',
    permission: 'inventory.stock.read',
    filters: ['product', 'lot', 'warehouse'],
    columns: [
      c('inboundDate', '入库日期', 'Inbound date', 1.1),
      c('at', '时间', 'Time', 1.4),
      c('kind', '类型', 'Kind', 0.9, { coded: true }),
      ...PRODUCT,
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      c('registrant', '注册人/备案人', 'Registrant', 1.6),
      ...LOT,
      c('warehouseCode', '仓库', 'Warehouse', 0.9),
      c('locationCode', '货位', 'Location', 0.9),
      c('zone', '库区', 'Zone', 0.9, { coded: true }),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('docType', '单据类型', 'Document', 1),
      c('actorName', '操作人', 'By', 1),
    ],
  },
  'outbound-review': {
    zh: '出库复核记录',
    en: 'Outbound review record',
    basis: 'GSP 第88条 / art. 88',
    module: 'sales',
    path: '/api/v1/sales/ledgers/outbound-reviews',
    permission: 'sales.ledger.read',
    party: 'customer',
    filters: ALL_FILTERS,
    columns: [
      c('outboundDate', '出库日期', 'Outbound date', 1.1),
      c('orderNo', '销售单号', 'Order no.', 1.5),
      c('buyerName', '购货者', 'Buyer', 1.8),
      ...PRODUCT,
      c('registrant', '注册人/备案人', 'Registrant', 1.6),
      c('contractManufacturer', '受托生产企业', 'Contract manufacturer', 1.6),
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      ...LOT,
      c('unit', '单位', 'Unit', 0.6),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('udi', 'UDI', 'UDI', 2),
      c('conclusion', '复核结论', 'Conclusion', 0.9, { coded: true }),
      c('refusalReason', '拒绝原因', 'Refusal reason', 1.2, { coded: true }),
      c('reviewerName', '复核人', 'Reviewer', 1),
    ],
  },
  sales: {
    zh: '销售记录',
    en: 'Sales record',
    basis: 'GSP 第84条 / art. 84',
    module: 'sales',
    path: '/api/v1/sales/ledgers/sales',
    permission: 'sales.ledger.read',
    revealPermission: 'sales.contact.reveal',
    party: 'customer',
    filters: ALL_FILTERS,
    columns: [
      c('saleDate', '销售日期', 'Sale date', 1.1),
      c('orderNo', '销售单号', 'Order no.', 1.5),
      c('customerName', '购货者', 'Customer', 1.8),
      c('customerLicenceNo', '许可证/备案编号', 'Buyer licence no.', 1.5),
      c('deliveryAddress', '收货地址', 'Delivery address', 1.8, { personal: true }),
      c('contact', '联系方式', 'Contact', 1.4, { personal: true }),
      ...PRODUCT,
      c('registrant', '注册人/备案人', 'Registrant', 1.6),
      c('contractManufacturer', '受托生产企业', 'Contract manufacturer', 1.5),
      c('manufacturerLicenceNo', '生产许可证/备案编号', 'Manufacturing licence no.', 1.5),
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      ...LOT,
      c('unit', '单位', 'Unit', 0.6),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('unitPrice', '单价(元)', 'Unit price (CNY)', 0.9, { type: 'money' }),
      c('amount', '金额(元)', 'Amount (CNY)', 1, { type: 'money' }),
    ],
  },
  'customer-returns': {
    zh: '销售退回记录',
    en: 'Customer return record',
    basis: 'GSP 第107条 / art. 107',
    module: 'sales',
    path: '/api/v1/sales/ledgers/returns',
    permission: 'sales.ledger.read',
    party: 'customer',
    filters: ALL_FILTERS,
    columns: [
      c('returnDate', '退货日期', 'Return date', 1.1),
      c('returnNo', '退货单号', 'Return no.', 1.5),
      c('originalOutboundNo', '原出库单号', 'Original outbound no.', 1.5),
      c('returningParty', '退货单位', 'Returned by', 1.8),
      ...PRODUCT,
      c('registrant', '注册人/备案人', 'Registrant', 1.5),
      c('contractManufacturer', '受托生产企业', 'Contract manufacturer', 1.5),
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      c('transportConditions', '运输储存条件', 'Transport and storage', 1.5),
      ...LOT,
      c('udi', 'UDI', 'UDI', 2),
      c('reason', '退货原因', 'Reason', 1.5),
      c('qualityStatus', '质量状态', 'Quality status', 1, { coded: true }),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('inspectorName', '验收人员', 'Inspector', 1),
    ],
  },
  'supplier-returns': {
    zh: '购进退出记录',
    en: 'Return-to-supplier record',
    basis: 'GSP 第107条 / art. 107',
    module: 'sales',
    path: '/api/v1/sales/ledgers/supplier-returns',
    permission: 'sales.ledger.read',
    party: 'supplier',
    filters: ALL_FILTERS,
    columns: [
      c('returnDate', '退货日期', 'Return date', 1.1),
      c('returnNo', '退货单号', 'Return no.', 1.5),
      c('supplierName', '供货者', 'Supplier', 1.8),
      c('warehouseCode', '仓库', 'Warehouse', 0.9),
      ...PRODUCT,
      c('certificateNo', '注册证/备案编号', 'Certificate no.', 1.6),
      ...LOT,
      c('zone', '库区（质量状态）', 'Zone (quality status)', 1.1, { coded: true }),
      c('quantity', '数量', 'Quantity', 0.8, { type: 'number' }),
      c('reason', '退货原因', 'Reason', 1.5),
      c('transport', '运输方式', 'Transport', 1.6),
      c('returnedByName', '经办人', 'By', 1),
    ],
  },
  climate: {
    zh: '温湿度记录',
    en: 'Temperature and humidity record',
    basis: 'GSP 第74条 / art. 74',
    module: 'inventory',
    path: '/api/v1/inventory/ledgers/climate',
    permission: 'inventory.stock.read',
    filters: ['warehouse'],
    columns: [
      c('date', '日期', 'Date', 1.1),
      c('time', '时间', 'Time', 0.8),
      c('warehouseCode', '仓库', 'Warehouse', 1),
      c('areaCode', '库区', 'Area', 0.9),
      c('areaName', '库区名称', 'Area name', 1.5),
      c('storage', '储存条件', 'Storage', 1.2, { coded: true }),
      c('temperature', '温度(℃)', 'Temperature (°C)', 1, { type: 'number' }),
      c('humidity', '相对湿度(%)', 'Humidity (%)', 1, { type: 'number' }),
      c('outOfRange', '超限', 'Out of range', 0.8),
      c('recordedByName', '记录人', 'Recorded by', 1),
      c('note', '备注', 'Note', 2),
    ],
  },
};

const DateOnly = z.iso.date();

/** Filters shared by every ledger: China calendar days (inclusive), product, lot, party, warehouse. */
export const LEDGER_FILTER_FIELDS = {
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  productId: z.uuid().optional(),
  lot: z.string().trim().min(1).max(40).optional(),
  /** The supplier or customer, as the ledger's `party` says. */
  partyId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
};
export const LedgerFilterQuery = z.strictObject(LEDGER_FILTER_FIELDS);
export type LedgerFilter = z.infer<typeof LedgerFilterQuery>;

export const LedgerExportQuery = z.strictObject({
  format: z.enum(LEDGER_EXPORT_FORMATS),
  ...LEDGER_FILTER_FIELDS,
});

/** A ledger row: its columns' values (text, numbers, or empty). */
export const LedgerRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export const LedgerRowsResponse = z.object({ rows: z.array(LedgerRow), truncated: z.boolean() });

/** Permissions of the ledger family that are not read permissions: unmasked personal data in exports. */
export const LEDGER_PERMISSIONS = {
  'procurement.contact.reveal': {
    zh: '导出验收记录时显示供货者联系人完整信息（否则脱敏）',
    en: 'Export supplier contacts in full in the acceptance record (masked otherwise)',
  },
  'sales.contact.reveal': {
    zh: '导出销售记录时显示收货地址与联系人完整信息（否则脱敏）',
    en: 'Export delivery addresses and contacts in full in the sales record (masked otherwise)',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const LedgerExported = z.strictObject({
  ledger: z.enum(LEDGER_KINDS),
  format: z.enum(LEDGER_EXPORT_FORMATS),
  rows: z.number().int(),
  filters: z.strictObject({
    from: z.string().optional(),
    to: z.string().optional(),
    productId: z.string().optional(),
    lot: z.string().optional(),
    partyId: z.string().optional(),
    warehouseId: z.string().optional(),
  }),
  /** Personal columns were masked. */
  masked: z.boolean(),
  sha256: z.string(),
});

/** FILE-04 / LOG-01: every ledger export, with who (the actor), which ledger, the filters and the row count. */
export const LEDGER_AUDIT_EVENTS = {
  'procurement.ledger.exported': {
    zh: '导出采购/验收台账',
    en: 'Procurement ledger exported',
    category: 'business',
    data: LedgerExported,
  },
  'inventory.ledger.exported': {
    zh: '导出入库/温湿度台账',
    en: 'Inventory ledger exported',
    category: 'business',
    data: LedgerExported,
  },
  'sales.ledger.exported': {
    zh: '导出销售/复核/退货台账',
    en: 'Sales ledger exported',
    category: 'business',
    data: LedgerExported,
  },
} as const;

/** How coded values are shown in ledgers, in each language. */
export const LEDGER_VALUE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  // GSP zones
  quarantine: { zh: '待验区', en: 'Quarantine' },
  qualified: { zh: '合格', en: 'Qualified' },
  nonconforming: { zh: '不合格', en: 'Nonconforming' },
  shipping: { zh: '发货区', en: 'Shipping' },
  returns: { zh: '退货区', en: 'Returns' },
  // movement kinds
  receipt: { zh: '收货', en: 'Receipt' },
  putaway: { zh: '验收入库', en: 'Put-away' },
  // conclusions and statuses
  accepted: { zh: '合格', en: 'Accepted' },
  partially_accepted: { zh: '部分合格', en: 'Partially accepted' },
  rejected: { zh: '拒收', en: 'Rejected' },
  passed: { zh: '通过', en: 'Passed' },
  refused: { zh: '拒绝', en: 'Refused' },
  pending: { zh: '待验', en: 'Pending' },
  // review refusal reasons (GSP art. 87)
  packaging_damaged: { zh: '包装破损', en: 'Packaging damaged' },
  packaging_contaminated: { zh: '包装污染', en: 'Packaging contaminated' },
  seal_broken: { zh: '封口不牢或破损', en: 'Seal broken' },
  label_missing: { zh: '标签缺失', en: 'Label missing' },
  label_illegible: { zh: '标签模糊', en: 'Label illegible' },
  label_mismatch: { zh: '标签与实物不符', en: 'Label does not match' },
  expired: { zh: '已过期', en: 'Expired' },
  other: { zh: '其他异常', en: 'Other anomaly' },
  // storage conditions
  normal: { zh: '常温', en: 'Room temperature' },
  cold_2_8: { zh: '冷藏 2–8℃', en: 'Refrigerated 2–8 °C' },
  frozen_minus_20: { zh: '冷冻 −20℃', en: 'Frozen −20 °C' },
};

/**
 * A coded value as shown: in one language, or (for files read by inspectors of either language)
 * Chinese then English. Unknown codes as they are.
 */
export function ledgerValueLabel(code: string | null, language: 'zh' | 'en' | 'both' = 'both'): string | null {
  if (code === null) return null;
  if (!Object.hasOwn(LEDGER_VALUE_LABELS, code)) return code;
  const label = LEDGER_VALUE_LABELS[code]!;
  return language === 'both' ? `${label.zh} ${label.en}` : label[language];
}
