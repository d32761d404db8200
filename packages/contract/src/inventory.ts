import { z } from 'zod';
import { GSP_ZONES } from './master-data.js';

/**
 * Stock (GSP arts. 69–77): a movement ledger by product, lot/serial, location and quality zone
 * that is never edited (corrections are reversal entries), balances derived from it, FEFO
 * allocation that never picks expired, held or unqualified stock, holds, near-expiry warnings and
 * the climate (temperature / humidity) record of each storage area.
 */

/** Permissions of the inventory module, merged into the catalogue. */
export const INVENTORY_PERMISSIONS = {
  'inventory.stock.read': {
    zh: '查看库存、批号效期、出入库流水与近效期预警（在数据范围内）',
    en: 'View stock, lots and expiry, the movement ledger and near-expiry warnings (within the data scope)',
  },
  'inventory.stock.move': {
    zh: '库内移库（货位、库区之间），不含质量状态放行',
    en: 'Move stock between locations within its quality zone',
  },
  'inventory.lot.hold': {
    zh: '对批号设置或解除质量锁定（暂停销售）',
    en: 'Put lots on quality hold (stop sale) and release them',
  },
  'inventory.movement.reverse': {
    zh: '以冲销单更正已过账的库存流水（保留原记录）',
    en: 'Correct a posted stock movement by a reversal entry (the original is kept)',
  },
  'inventory.climate.record': {
    zh: '记录库区温湿度与在库养护检查',
    en: 'Record storage-area temperature / humidity and in-stock maintenance checks',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const DateOnly = z.iso.date();

export const MOVEMENT_KINDS = [
  'receipt',
  'putaway',
  'transfer',
  /** Sales picking: qualified zone → shipping zone (and back when an order is cancelled). */
  'pick',
  'issue',
  'return_in',
  'return_out',
  'disposal',
  'adjustment',
  'reversal',
  /** GSP art. 77: a stocktake variance approved by QA (more found than on the book). */
  'stocktake_gain',
  /** GSP art. 77: a stocktake variance approved by QA (less found than on the book). */
  'stocktake_loss',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const LotView = z.object({
  id: z.string(),
  productId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  sterilisationBatch: z.string().nullable(),
  /** Set while the lot is on quality hold (stop sale), with the reason. */
  holdReason: z.string().nullable(),
});
export type LotView = z.infer<typeof LotView>;

export const StockRow = z.object({
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  locationId: z.string(),
  locationCode: z.string(),
  zone: z.enum(GSP_ZONES),
  quantity: z.number().int(),
  /** `expired` stock is locked: it cannot be allocated or shipped. */
  state: z.enum(['available', 'near_expiry', 'expired', 'held', 'not_qualified']),
  holdReason: z.string().nullable(),
});
export type StockRow = z.infer<typeof StockRow>;

export const StockQuery = z.strictObject({
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  zone: z.enum(GSP_ZONES).optional(),
  state: z.enum(['available', 'near_expiry', 'expired', 'held', 'not_qualified']).optional(),
  lot: z.string().trim().max(40).optional(),
});
export const StockResponse = z.object({
  today: z.string(),
  nearExpiryDays: z.number().int(),
  rows: z.array(StockRow),
  /** Rows are capped; true when more exist. */
  truncated: z.boolean(),
});

export const MovementView = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  productId: z.string(),
  lotId: z.string(),
  lot: z.string(),
  serial: z.string().nullable(),
  locationId: z.string(),
  locationCode: z.string(),
  zone: z.enum(GSP_ZONES),
  quantity: z.number().int(),
  docType: z.string(),
  docId: z.string(),
  reversalOf: z.string().nullable(),
  reversedBy: z.string().nullable(),
  actorName: z.string(),
  note: z.string().nullable(),
});
export type MovementView = z.infer<typeof MovementView>;
export const MovementQuery = z.strictObject({
  productId: z.uuid().optional(),
  lotId: z.uuid().optional(),
  docId: z.string().max(64).optional(),
});
export const MovementListResponse = z.object({ movements: z.array(MovementView) });

export const TransferInput = z.strictObject({
  lotId: z.uuid(),
  fromLocationId: z.uuid(),
  toLocationId: z.uuid(),
  quantity: z.number().int().min(1).max(1_000_000),
  note: z.string().trim().max(200).optional(),
});
export const ReverseInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export const HoldInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export const LotResponse = z.object({ lot: LotView });

export const ClimateInput = z.strictObject({
  areaId: z.uuid(),
  /** Degrees Celsius, one decimal. */
  temperature: z.number().min(-60).max(60),
  /** Relative humidity in percent. */
  humidity: z.number().min(0).max(100),
  note: z.string().trim().max(200).optional(),
});
export const ClimateView = z.object({
  id: z.string(),
  areaId: z.string(),
  at: z.string(),
  temperature: z.number(),
  humidity: z.number(),
  /** Outside the area's storage condition (2–8 ℃, ≤ −20 ℃, 0–30 ℃ normal) or the humidity limit. */
  outOfRange: z.boolean(),
  recordedByName: z.string(),
  note: z.string().nullable(),
});
export const ClimateListResponse = z.object({ records: z.array(ClimateView) });
export const ClimateResponse = z.object({ record: ClimateView });
export const ClimateQuery = z.strictObject({
  areaId: z.uuid().optional(),
  from: DateOnly.optional(),
  to: DateOnly.optional(),
});

/** Audit events of the inventory module. */
export const INVENTORY_AUDIT_EVENTS = {
  'inventory.stock.transferred': {
    zh: '移库',
    en: 'Stock moved',
    category: 'business',
    data: z.strictObject({
      lotId: z.string(),
      fromLocationId: z.string(),
      toLocationId: z.string(),
      quantity: z.number().int(),
    }),
  },
  'inventory.movement.reversed': {
    zh: '冲销库存流水',
    en: 'Stock movement reversed',
    category: 'business',
    data: z.strictObject({ movementId: z.string(), reversalId: z.string(), quantity: z.number().int() }),
  },
  'inventory.lot.held': {
    zh: '批号质量锁定',
    en: 'Lot put on hold',
    category: 'business',
    data: z.strictObject({ lotId: z.string(), lot: z.string() }),
  },
  'inventory.lot.released': {
    zh: '解除批号锁定',
    en: 'Lot hold released',
    category: 'business',
    data: z.strictObject({ lotId: z.string(), lot: z.string() }),
  },
  'inventory.climate.recorded': {
    zh: '记录温湿度',
    en: 'Climate recorded',
    category: 'business',
    data: z.strictObject({
      areaId: z.string(),
      temperature: z.number(),
      humidity: z.number(),
      outOfRange: z.boolean(),
    }),
  },
} as const;
