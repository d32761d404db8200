import { z } from 'zod';
import { STORAGE_CONDITIONS } from './master-data.js';

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
