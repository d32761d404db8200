import type { DeliverySlip, ShipInput, StorageCondition } from '@medledger/contract';
import { record } from '../audit/index.js';
import { assertLotShippable, chinaToday, postMovements } from '../inventory/index.js';
import { assertTradeAllowed } from '../master-data/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { actorOf, buyerLicenceNo, gs1Codes, loadOrder, nextNumber, transition } from './sales.common.js';
import type { SalesShipmentTable } from './sales.tables.js';

/** Temperature limits (℃) of each cold-chain storage condition, for the loading check (GSP art. 95). */
const COLD_RANGES: Partial<Record<StorageCondition, { min: number; max: number; label: string }>> = {
  cold_2_8: { min: 2, max: 8, label: '2–8 ℃' },
  frozen_minus_20: { min: -80, max: -20, label: '≤ −20 ℃' },
};

/** True when `t` (℃) is within the range of a cold-chain storage condition. */
export function withinCold(storage: StorageCondition, t: number): boolean {
  const r = COLD_RANGES[storage];
  return r === undefined || (t >= r.min && t <= r.max);
}

export function coldLabel(storage: StorageCondition): string {
  return COLD_RANGES[storage]?.label ?? storage;
}

/**
 * Ships a reviewed order (GSP arts. 93–96): only after a signed outbound review; the buyer and the
 * products are checked once more, every lot must still be shippable (not expired, not held), the
 * transport record names a carrier and waybill or a vehicle and driver, and cold-chain goods need
 * the loading record. The issue is posted from the shipping zone. The status change comes first,
 * so two people shipping the same order at the same moment cannot both succeed.
 */
export async function shipOrder(ctx: Ctx, orderId: string, input: ShipInput) {
  const actor = actorOf(ctx);
  const order = await loadOrder(ctx, orderId, 'sales.shipment.create');
  if (order.status !== 'reviewed') {
    const why: Record<string, string> = {
      draft: 'is a draft',
      confirmed: 'has not been allocated',
      allocated: 'has no signed outbound review (出库复核)',
      shipped: 'has already been shipped',
      cancelled: 'is cancelled',
    };
    throw new AppError(
      'conflict',
      `Order ${order.orderNo} ${why[order.status] ?? `is ${order.status}`}: it cannot be shipped.`,
    );
  }
  await transition(ctx, order, ['reviewed'], 'shipped');
  const review = await ctx.db.selectFrom('sales_review').select('id').where('orderId', '=', orderId).executeTakeFirst();
  if (review === undefined) throw new AppError('conflict', `Order ${order.orderNo} has no signed outbound review.`);
  const lines = await ctx.db
    .selectFrom('sales_order_line')
    .select(['id', 'productId', 'storage'])
    .where('orderId', '=', orderId)
    .execute();
  for (const line of lines) {
    await assertTradeAllowed(ctx, { direction: 'sale', partyId: order.customerId, productId: line.productId });
  }
  const allocations = (
    await ctx.db
      .selectFrom('sales_allocation')
      .selectAll()
      .where('orderId', '=', orderId)
      .where('state', '=', 'active')
      .execute()
  ).filter((a) => Number(a.quantity) - Number(a.refused) > 0);
  for (const a of allocations) await assertLotShippable(ctx, a.lotId);

  const cold = [...new Set(lines.map((l) => l.storage).filter((s) => COLD_RANGES[s] !== undefined))];
  if (cold.length > 0) {
    const c = input.coldChain;
    if (c === undefined) {
      throw new AppError(
        'validation_failed',
        `The order holds cold-chain goods (${cold.map(coldLabel).join(', ')}): record the loading (GSP art. 95).`,
        [{ path: 'body.coldChain', message: 'required for cold-chain goods' }],
      );
    }
    if (!c.boxPreconditioned) {
      throw new AppError('conflict', 'Cold-chain boxes must be pre-conditioned before loading (GSP art. 95).');
    }
    const loaded = Date.parse(c.loadedAt);
    if (loaded > ctx.now.getTime() + 60_000 || loaded < ctx.now.getTime() - 12 * 3_600_000) {
      throw new AppError('validation_failed', 'The loading time must lie within the last 12 hours.', [
        { path: 'body.coldChain.loadedAt', message: 'within the last 12 hours' },
      ]);
    }
    for (const s of cold) {
      if (!withinCold(s, c.temperatureAtLoading)) {
        throw new AppError(
          'conflict',
          `Temperature at loading ${c.temperatureAtLoading} ℃ is outside ${coldLabel(s)}: the goods may not be loaded.`,
        );
      }
    }
  }

  const id = uuidv7(ctx.now.getTime());
  const shipmentNo = await nextNumber(ctx, 'SH');
  // One global row order (lot, location) for concurrent shipments: no crosswise waits.
  allocations.sort((a, b) => a.lotId.localeCompare(b.lotId) || a.locationId.localeCompare(b.locationId));
  const postings = allocations.map((a) => ({
    kind: 'issue' as const,
    lotId: a.lotId,
    locationId: a.locationId,
    quantity: -(Number(a.quantity) - Number(a.refused)),
    docType: 'sales_shipment',
    docId: id,
  }));
  await postMovements(ctx, postings, 'sales.shipment.create');
  await ctx.db
    .updateTable('sales_allocation')
    .set({ state: 'shipped' })
    .where('orderId', '=', orderId)
    .where('state', '=', 'active')
    .execute();
  const t = input.transport;
  const party = await ctx.db
    .selectFrom('md_party')
    .select('customerType')
    .where('id', '=', order.customerId)
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('sales_shipment')
    .values({
      id,
      shipmentNo,
      orderId,
      site: order.site,
      shipDate: chinaToday(ctx.now),
      shippedAt: ctx.now.toISOString(),
      shippedBy: actor.id,
      shippedByName: actor.name,
      customerLicenceNo: await buyerLicenceNo(ctx, order.customerId, party.customerType === 'hospital'),
      mode: t.mode,
      carrier: t.mode === 'carrier' ? t.carrier : null,
      waybillNo: t.mode === 'carrier' ? t.waybillNo : null,
      vehiclePlate: t.mode === 'own_fleet' ? t.vehiclePlate : null,
      driver: t.mode === 'own_fleet' ? t.driver : null,
      consigneeName: order.customerName,
      consigneeAddress: order.deliveryAddress,
      consigneeContact: order.deliveryContact,
      consigneePhone: order.deliveryPhone,
      thirdPartyLogistics: input.thirdPartyLogistics ?? null,
      coldBoxPreconditioned: input.coldChain === undefined ? null : input.coldChain.boxPreconditioned ? 1 : 0,
      coldLoadedAt: input.coldChain === undefined ? null : new Date(Date.parse(input.coldChain.loadedAt)).toISOString(),
      coldTemperatureTenths:
        input.coldChain === undefined ? null : Math.round(input.coldChain.temperatureAtLoading * 10),
      remarks: input.remarks === undefined || input.remarks === '' ? null : input.remarks,
    })
    .execute();
  await record(ctx, {
    action: 'sales.order.shipped',
    outcome: 'success',
    resource: { type: 'sales_order', id: orderId },
    data: {
      orderId,
      shipmentId: id,
      shipmentNo,
      units: postings.reduce((n, p) => n - p.quantity, 0),
      coldChain: cold.length > 0,
    },
  });
  return shipmentView(ctx, orderId);
}

function transportOf(s: SalesShipmentTable) {
  return {
    mode: s.mode,
    carrier: s.carrier,
    waybillNo: s.waybillNo,
    vehiclePlate: s.vehiclePlate,
    driver: s.driver,
  };
}

/** The shipment and its transport record (GSP art. 96). */
export async function shipmentView(ctx: Ctx, orderId: string) {
  const order = await loadOrder(ctx, orderId, 'sales.order.read');
  const s = await ctx.db.selectFrom('sales_shipment').selectAll().where('orderId', '=', orderId).executeTakeFirst();
  if (s === undefined) throw new AppError('conflict', `Order ${order.orderNo} has not been shipped.`);
  return {
    id: s.id,
    shipmentNo: s.shipmentNo,
    orderId,
    orderNo: order.orderNo,
    shipDate: s.shipDate,
    shippedAt: s.shippedAt,
    shippedByName: s.shippedByName,
    transport: transportOf(s),
    consignee: {
      name: s.consigneeName,
      address: s.consigneeAddress,
      contact: s.consigneeContact,
      phone: s.consigneePhone,
    },
    thirdPartyLogistics: s.thirdPartyLogistics,
    coldChain:
      s.coldLoadedAt === null
        ? null
        : {
            boxPreconditioned: Number(s.coldBoxPreconditioned) === 1,
            loadedAt: s.coldLoadedAt,
            temperatureAtLoading: Number(s.coldTemperatureTenths) / 10,
          },
    remarks: s.remarks,
  };
}

/**
 * The data of the delivery slip (随货同行单, GSP art. 92) of a shipped order: our company, the
 * consignee, the transport and storage conditions, and one line per lot / serial with the GS1
 * element string for its DataMatrix.
 */
export async function deliverySlip(ctx: Ctx, orderId: string): Promise<DeliverySlip> {
  const order = await loadOrder(ctx, orderId, 'sales.order.read');
  const s = await ctx.db.selectFrom('sales_shipment').selectAll().where('orderId', '=', orderId).executeTakeFirst();
  if (s === undefined) {
    throw new AppError(
      'conflict',
      `Order ${order.orderNo} has not been shipped: the delivery slip comes with the shipment.`,
    );
  }
  const company = ctx.runtime.sales.company;
  if (company === null) {
    throw new AppError(
      'conflict',
      'The company profile is not set: configure MEDLEDGER_COMPANY_NAME, MEDLEDGER_COMPANY_ADDRESS and MEDLEDGER_COMPANY_LICENCE_NO.',
    );
  }
  const rows = await ctx.db
    .selectFrom('sales_allocation as a')
    .innerJoin('sales_order_line as l', 'l.id', 'a.lineId')
    .select([
      'l.productName',
      'l.model',
      'l.specification',
      'l.registrant',
      'l.contractManufacturer',
      'l.manufacturerLicenceNo',
      'l.certificateNo',
      'l.unit',
      'l.storage',
      'l.gs1Di',
      'a.lot',
      'a.serial',
      'a.productionDate',
      'a.expiryDate',
      'a.quantity',
      'a.refused',
    ])
    .where('a.orderId', '=', orderId)
    .where('a.state', '=', 'shipped')
    .orderBy('l.lineNo')
    .orderBy('a.allocatedAt')
    .orderBy('a.expiryDate')
    .orderBy('a.lot')
    .orderBy('a.serial')
    .orderBy('a.id')
    .execute();
  const lines = rows
    .filter((r) => Number(r.quantity) - Number(r.refused) > 0)
    .map((r) => {
      const codes = gs1Codes(r.gs1Di, r);
      return {
        productName: r.productName,
        model: r.model,
        specification: r.specification,
        registrant: r.registrant,
        contractManufacturer: r.contractManufacturer,
        manufacturerLicenceNo: r.manufacturerLicenceNo,
        certificateNo: r.certificateNo,
        lot: r.lot,
        serial: r.serial,
        productionDate: r.productionDate,
        expiryDate: r.expiryDate,
        quantity: Number(r.quantity) - Number(r.refused),
        unit: r.unit,
        storage: r.storage,
        gs1ElementString: codes?.elementString ?? null,
        hri: codes?.hri ?? null,
      };
    });
  const order2 = ['normal', 'cold_2_8', 'frozen_minus_20'] as const;
  return {
    slipNo: s.shipmentNo,
    orderNo: order.orderNo,
    shipDate: s.shipDate,
    supplier: { name: company.name, address: company.address, licenceNo: company.licenceNo, phone: company.phone },
    consignee: {
      name: s.consigneeName,
      address: s.consigneeAddress,
      contact: s.consigneeContact,
      phone: s.consigneePhone,
    },
    transport: {
      mode: s.mode,
      ...(s.carrier === null ? {} : { carrier: s.carrier }),
      ...(s.waybillNo === null ? {} : { waybillNo: s.waybillNo }),
      ...(s.vehiclePlate === null ? {} : { vehiclePlate: s.vehiclePlate }),
      ...(s.driver === null ? {} : { driver: s.driver }),
      storageConditions: order2.filter((c) => lines.some((l) => l.storage === c)),
      ...(s.thirdPartyLogistics === null ? {} : { thirdPartyLogistics: s.thirdPartyLogistics }),
    },
    lines,
    remarks: s.remarks,
  };
}
