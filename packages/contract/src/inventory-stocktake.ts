import { z } from 'zod';
import { GSP_ZONES, STORAGE_CONDITIONS } from './master-data.js';

/**
 * Stocktake (GSP art. 77) and in-stock maintenance checks (养护, GSP art. 74). A stocktake snapshots
 * the book per product, lot/serial, location and quality zone, is counted by scanning UDIs or typing
 * quantities, and its variances are approved by another person (QA) with an electronic signature
 * before they post to the ledger. A maintenance check is signed by the checker; a suspect lot is put
 * on hold and QA is told. See docs/decisions/0025-stocktake-and-maintenance.md.
 */

/** Permissions of stocktakes and maintenance checks, merged into the catalogue. */
export const STOCKTAKE_PERMISSIONS = {
  'inventory.stocktake.count': {
    zh: '发起盘点、扫码或录入实盘数量并提交盘点结果',
    en: 'Open stocktakes, count by scanning or typing quantities, and submit the count',
  },
  'inventory.stocktake.approve': {
    zh: '审核盘点差异（电子签名后过账）或退回重盘；不能审核自己参与的盘点',
    en: 'Approve stocktake variances with an e-signature (then posted) or send them back for a recount; never one’s own count',
  },
  'inventory.maintenance.record': {
    zh: '记录并签署在库养护检查；可疑批号即时锁定并通知质量管理',
    en: 'Record and sign in-stock maintenance checks; suspect lots are put on hold and QA is told',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const Code = z
  .string()
  .regex(/^\d{6}$/, 'six digits')
  .optional();
const Reason = z.string().trim().min(2).max(500);
const LotText = z.string().trim().min(1).max(40);

export const STOCKTAKE_STATUSES = ['counting', 'submitted', 'approved', 'cancelled'] as const;
export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

export const OpenStocktakeInput = z.strictObject({
  warehouseId: z.uuid(),
  /** One storage area only; the whole warehouse when left out. */
  areaId: z.uuid().optional(),
  note: z.string().trim().max(200).optional(),
});
export type OpenStocktakeInput = z.infer<typeof OpenStocktakeInput>;

export const StocktakeLineView = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  locationId: z.string(),
  locationCode: z.string(),
  zone: z.enum(GSP_ZONES),
  /** The lot was on quality hold when the book was taken. */
  held: z.boolean(),
  /** False for a line found in the count that was not on the book. */
  onBook: z.boolean(),
  bookQuantity: z.number().int(),
  countedQuantity: z.number().int().nullable(),
  /** counted − book, null until counted. */
  variance: z.number().int().nullable(),
  countedByName: z.string().nullable(),
  countedAt: z.string().nullable(),
  /** Stock of this lot and location moved after the book was taken: recount it before approval. */
  bookChanged: z.boolean(),
});
export type StocktakeLineView = z.infer<typeof StocktakeLineView>;

const Who = z.object({ name: z.string(), at: z.string() });

export const StocktakeView = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(STOCKTAKE_STATUSES),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  areaId: z.string().nullable(),
  areaCode: z.string().nullable(),
  site: z.string(),
  note: z.string().nullable(),
  /** How many times it was sent back for a recount. */
  round: z.number().int(),
  opened: Who,
  submitted: Who.nullable(),
  rejected: Who.extend({ reason: z.string() }).nullable(),
  /** A stocktake opened by mistake, cancelled while counting: nothing was posted. */
  cancelled: Who.extend({ reason: z.string() }).nullable(),
  approved: Who.extend({ signatureId: z.string(), recordHash: z.string(), signatureValid: z.boolean() }).nullable(),
  lines: z.array(StocktakeLineView),
  totals: z.object({
    lines: z.number().int(),
    counted: z.number().int(),
    gain: z.number().int(),
    loss: z.number().int(),
    changed: z.number().int(),
  }),
});
export type StocktakeView = z.infer<typeof StocktakeView>;
export const StocktakeResponse = z.object({ stocktake: StocktakeView });

export const StocktakeSummary = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(STOCKTAKE_STATUSES),
  warehouseCode: z.string(),
  areaCode: z.string().nullable(),
  openedByName: z.string(),
  openedAt: z.string(),
  round: z.number().int(),
});
export const StocktakeListResponse = z.object({ stocktakes: z.array(StocktakeSummary) });
export const StocktakeListQuery = z.strictObject({
  status: z.enum(STOCKTAKE_STATUSES).optional(),
  warehouseId: z.uuid().optional(),
});

/** Scans at one location: each UDI adds its units (a case counts its contents) to the matching line. */
export const StocktakeScanInput = z.strictObject({
  locationId: z.uuid(),
  scans: z.array(z.string().min(1).max(512)).min(1).max(500),
});

/** The counted quantity of a line (a recount replaces the count and takes the book afresh). */
export const StocktakeCountInput = z.strictObject({
  lineId: z.uuid(),
  countedQuantity: z.number().int().min(0).max(1_000_000),
});

/** Stock found that is not on the book (typed: a product without a UDI, or a label read by eye). */
export const StocktakeFoundInput = z.strictObject({
  productId: z.uuid(),
  lot: LotText,
  serial: LotText.nullable(),
  expiryDate: z.iso.date().nullable(),
  locationId: z.uuid(),
  countedQuantity: z.number().int().min(1).max(1_000_000),
});

export const StocktakeApproveInput = z.strictObject({
  note: z.string().trim().max(500).optional(),
  /** Authenticator code for the signature, or leave out after a passkey confirmation. */
  code: Code,
});
export const StocktakeRejectInput = z.strictObject({ reason: Reason });

/* ---------------------------------------------------------------- maintenance checks (养护) */

/** The art. 74 checklist: each item is checked (true) or found wanting (false). */
export const MaintenanceChecklist = z.strictObject({
  storageConditions: z.boolean(),
  protection: z.boolean(),
  hygiene: z.boolean(),
  climateMonitoring: z.boolean(),
  /** Cold rooms and their alarms; null for an area without cold storage. */
  coldAlarms: z.boolean().nullable(),
});
export type MaintenanceChecklist = z.infer<typeof MaintenanceChecklist>;

export const MaintenanceLotInput = z.strictObject({
  lotId: z.uuid(),
  appearanceOk: z.boolean(),
  packagingOk: z.boolean(),
  expiryOk: z.boolean(),
  /** Suspect quality: the lot is put on hold at once and QA is told. */
  suspect: z.boolean(),
  finding: z.string().trim().max(300).optional(),
});

export const MaintenanceCheckInput = z
  .strictObject({
    areaId: z.uuid(),
    checklist: MaintenanceChecklist,
    lots: z.array(MaintenanceLotInput).max(2000),
    note: z.string().trim().max(500).optional(),
    code: Code,
  })
  .superRefine((v, issue) => {
    const seen = new Set<string>();
    v.lots.forEach((l, i) => {
      if (seen.has(l.lotId)) issue.addIssue({ code: 'custom', path: ['lots', i, 'lotId'], message: 'each lot once' });
      seen.add(l.lotId);
      if (l.suspect && (l.finding ?? '').length < 2) {
        issue.addIssue({ code: 'custom', path: ['lots', i, 'finding'], message: 'describe what is suspect' });
      }
    });
  });
export type MaintenanceCheckInput = z.infer<typeof MaintenanceCheckInput>;

export const MaintenanceLotView = z.object({
  lotId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  appearanceOk: z.boolean(),
  packagingOk: z.boolean(),
  expiryOk: z.boolean(),
  suspect: z.boolean(),
  finding: z.string().nullable(),
});

export const MaintenanceCheckView = z.object({
  id: z.string(),
  areaId: z.string(),
  areaCode: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  storage: z.enum(STORAGE_CONDITIONS),
  checklist: MaintenanceChecklist,
  note: z.string().nullable(),
  checkedByName: z.string(),
  checkedAt: z.string(),
  signatureId: z.string(),
  signatureValid: z.boolean(),
  suspectLots: z.number().int(),
  lots: z.array(MaintenanceLotView),
});
export type MaintenanceCheckView = z.infer<typeof MaintenanceCheckView>;
export const MaintenanceCheckResponse = z.object({ check: MaintenanceCheckView });
export const MaintenanceCheckListResponse = z.object({
  checks: z.array(MaintenanceCheckView.omit({ lots: true, checklist: true, signatureValid: true })),
});
export const MaintenanceCheckListQuery = z.strictObject({ areaId: z.uuid().optional() });

export const MaintenanceDueQuery = z.strictObject({
  /** How many China days back to look for missing twice-daily climate records (default 7). */
  days: z
    .string()
    .regex(/^\d{1,2}$/)
    .optional(),
});

export const MaintenanceDueResponse = z.object({
  today: z.string(),
  areas: z.array(
    z.object({
      areaId: z.string(),
      areaCode: z.string(),
      areaName: z.string(),
      warehouseCode: z.string(),
      storage: z.enum(STORAGE_CONDITIONS),
      intervalDays: z.number().int(),
      /** Why the interval is shorter than the monthly default. */
      reason: z.enum(['monthly', 'cold_chain', 'near_expiry']),
      lastCheckedAt: z.string().nullable(),
      dueDate: z.string(),
      /** The due date is today or past. */
      due: z.boolean(),
      automaticMonitoring: z.boolean(),
    }),
  ),
  /** Morning / afternoon manual temperature-humidity records missing (areas without automatic monitoring). */
  climateGaps: z.array(
    z.object({
      areaId: z.string(),
      areaCode: z.string(),
      warehouseCode: z.string(),
      day: z.string(),
      slot: z.enum(['morning', 'afternoon']),
    }),
  ),
});
export type MaintenanceDueResponse = z.infer<typeof MaintenanceDueResponse>;

/** Audit events of stocktakes and maintenance checks. */
export const STOCKTAKE_AUDIT_EVENTS = {
  'inventory.stocktake.opened': {
    zh: '发起盘点（账面快照）',
    en: 'Stocktake opened (book taken)',
    category: 'business',
    data: z.strictObject({ stocktakeId: z.string(), number: z.string(), lines: z.number().int() }),
  },
  'inventory.stocktake.counted': {
    zh: '录入盘点数量',
    en: 'Stocktake counted',
    category: 'business',
    data: z.strictObject({
      stocktakeId: z.string(),
      method: z.enum(['scan', 'typed', 'found']),
      lines: z.number().int(),
      units: z.number().int(),
    }),
  },
  'inventory.stocktake.submitted': {
    zh: '提交盘点结果',
    en: 'Stocktake submitted',
    category: 'business',
    data: z.strictObject({ stocktakeId: z.string(), gain: z.number().int(), loss: z.number().int() }),
  },
  'inventory.stocktake.rejected': {
    zh: '盘点差异退回重盘',
    en: 'Stocktake sent back for recount',
    category: 'business',
    data: z.strictObject({ stocktakeId: z.string(), round: z.number().int() }),
  },
  'inventory.stocktake.cancelled': {
    zh: '盘点作废（未过账）',
    en: 'Stocktake cancelled (nothing posted)',
    category: 'business',
    data: z.strictObject({ stocktakeId: z.string(), number: z.string(), countedLines: z.number().int() }),
  },
  'inventory.stocktake.approved': {
    zh: '盘点差异审核通过并过账',
    en: 'Stocktake variances approved and posted',
    category: 'business',
    data: z.strictObject({
      stocktakeId: z.string(),
      signatureId: z.string(),
      recordHash: z.string(),
      movements: z.number().int(),
      gain: z.number().int(),
      loss: z.number().int(),
    }),
  },
  'inventory.maintenance.recorded': {
    zh: '在库养护检查已签署',
    en: 'Maintenance check signed',
    category: 'business',
    data: z.strictObject({
      checkId: z.string(),
      areaId: z.string(),
      signatureId: z.string(),
      lots: z.number().int(),
      suspectLots: z.number().int(),
    }),
  },
} as const;
