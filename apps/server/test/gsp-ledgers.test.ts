import { afterEach, describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { LEDGER_KINDS, LEDGERS, type LedgerKind } from '@medledger/contract';
import { buildTestApp, headerAuthenticator, type TestApp } from './harness.js';
import { manualClock } from '../src/platform/clock.js';

// Synthetic warehouses, parties, products and people only.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NOW = '2026-11-29T02:00:00.000Z'; // 10:00 in China
const ids = {
  whSh: '01900000-0000-7000-8000-000000000001',
  whBj: '01900000-0000-7000-8000-000000000002',
  areaSh: '01900000-0000-7000-8000-000000000003',
  areaBj: '01900000-0000-7000-8000-000000000004',
  locSh: '01900000-0000-7000-8000-000000000005',
  locBj: '01900000-0000-7000-8000-000000000006',
  product: '01900000-0000-7000-8000-000000000007',
  product2: '01900000-0000-7000-8000-000000000008',
  supplier: '01900000-0000-7000-8000-000000000009',
  customer: '01900000-0000-7000-8000-00000000000a',
};
/** Text that a spreadsheet would run as a formula (ATK-CSV). */
const FORMULA = '=HYPERLINK("http://127.0.0.1:9/x","click")';

type Site = 'SH' | 'BJ';
const wh = (site: Site) => (site === 'SH' ? ids.whSh : ids.whBj);
const area = (site: Site) => (site === 'SH' ? ids.areaSh : ids.areaBj);
const loc = (site: Site) => (site === 'SH' ? ids.locSh : ids.locBj);

async function seedMasterData(app: TestApp) {
  const db = app.db;
  for (const site of ['SH', 'BJ'] as const) {
    await db
      .insertInto('md_warehouse')
      .values({ id: wh(site), code: `WH-${site}`, name: `${site} 仓`, site, address: '示例路 1 号', createdAt: NOW })
      .execute();
    await db
      .insertInto('md_storage_area')
      .values({
        id: area(site),
        warehouseId: wh(site),
        code: 'A',
        name: '合格区',
        zone: 'qualified',
        storage: 'normal',
      })
      .execute();
    await db
      .insertInto('md_location')
      .values({ id: loc(site), areaId: area(site), code: 'A-01', active: 1 })
      .execute();
  }
  for (const [id, code, name] of [
    [ids.product, 'PRD-1', FORMULA],
    [ids.product2, 'PRD-2', '一次性使用无菌注射器'],
  ] as const) {
    await db
      .insertInto('md_product')
      .values({
        id,
        code,
        name,
        model: 'SY-5',
        specification: '5ml',
        deviceClass: 'III',
        catalogCode: '14-02-01',
        registrant: '示例医疗科技股份有限公司',
        registrantLicenceNo: null,
        contractManufacturer: null,
        contractManufacturerLicenceNo: null,
        certificateNo: '国械注准20233140001',
        certificateIssuedOn: '2023-04-01',
        certificateValidUntil: '2028-03-31',
        certificateCancelledAt: null,
        implantable: 0,
        storage: 'normal',
        humidityMax: null,
        status: 'approved',
        version: 1,
        approvedAt: NOW,
        approvedByName: '孙质量',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
  }
  for (const [id, code, name, supplier] of [
    [ids.supplier, 'SUP-1', '华康医疗器械贸易有限公司', 1],
    [ids.customer, 'CUS-1', '示例市第一人民医院', 0],
  ] as const) {
    await db
      .insertInto('md_party')
      .values({
        id,
        code,
        name,
        uscc: `91310000MA1K00000${supplier}`,
        isSupplier: supplier,
        isManufacturer: 0,
        customerType: supplier === 1 ? null : 'hospital',
        legalRepresentative: '李明远',
        enterpriseHead: '李明远',
        address: '上海市浦东新区示例路 1 号',
        warehouseAddress: null,
        status: 'approved',
        version: 1,
        approvedAt: NOW,
        approvedByName: '孙质量',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
  }
}

let n = 0;
const id = () => `01900000-0000-7000-9000-${String(++n).padStart(12, '0')}`;

/**
 * One record in every ledger at `site` on China day `day`, for `productId` and `lot`. Rows are
 * written directly: the flows that produce them are tested in their modules.
 */
async function seedDay(app: TestApp, site: Site, day: string, productId: string, lot: string) {
  const db = app.db;
  const at = `${day}T02:00:00.000Z`;
  const lotId = id();
  await db
    .insertInto('inv_lot')
    .values({
      id: lotId,
      productId,
      lot,
      serial: null,
      serialKey: '',
      productionDate: '2026-01-15',
      expiryDate: '2028-01-14',
      sterilisationBatch: null,
      holdReason: null,
      heldAt: null,
      createdAt: at,
    })
    .execute();
  // Inbound: receipt and put-away; climate.
  for (const kind of ['receipt', 'putaway'] as const) {
    await db
      .insertInto('inv_movement')
      .values({
        id: id(),
        at,
        kind,
        productId,
        lotId,
        locationId: loc(site),
        warehouseId: wh(site),
        zone: kind === 'receipt' ? 'quarantine' : 'qualified',
        quantity: 10,
        docType: 'test',
        docId: id(),
        reversalOf: null,
        actorId: 'u1',
        actorName: '马仓储',
        note: null,
      })
      .execute();
  }
  await db
    .insertInto('inv_climate')
    .values({
      id: id(),
      areaId: area(site),
      warehouseId: wh(site),
      at,
      temperatureTenths: -185,
      humidityTenths: 455,
      outOfRange: 1,
      recordedBy: 'u1',
      recordedByName: '马仓储',
      note: '-1+1',
    })
    .execute();
  // Purchase and acceptance.
  const orderId = id();
  const orderLineId = id();
  await db
    .insertInto('pur_order')
    .values({
      id: orderId,
      number: `PO-${day}-${site}`,
      orderDate: day,
      // Lines are written while the order is a draft (trigger), then it is approved.
      status: 'draft',
      supplierId: ids.supplier,
      supplierCode: 'SUP-1',
      supplierName: '华康医疗器械贸易有限公司',
      supplierContact: '王五 13812345678',
      warehouseId: wh(site),
      site,
      note: null,
      totalFen: 12345,
      createdBy: 'u1',
      createdByName: '采购员',
      createdAt: at,
      submittedBy: null,
      submittedByName: null,
      submittedAt: null,
      approvedBy: 'u2',
      approvedByName: '质量',
      approvedAt: at,
      approvedDate: day,
      approvalNote: null,
      approvalSignatureId: null,
      returnedByName: null,
      returnedAt: null,
      returnNote: null,
      cancelledByName: null,
      cancelledAt: null,
      cancelReason: null,
      closedByName: null,
      closedAt: null,
      closeReason: null,
      lockVersion: 1,
    })
    .execute();
  const product = await db.selectFrom('md_product').selectAll().where('id', '=', productId).executeTakeFirstOrThrow();
  await db
    .insertInto('pur_order_line')
    .values({
      id: orderLineId,
      orderId,
      lineNo: 1,
      productId,
      productCode: product.code,
      productName: product.name,
      model: product.model,
      specification: product.specification,
      deviceClass: 'III',
      registrant: product.registrant,
      registrantLicenceNo: null,
      contractManufacturer: null,
      contractManufacturerLicenceNo: null,
      certificateNo: product.certificateNo,
      unit: '支',
      storage: 'normal',
      quantity: 10,
      unitPriceFen: 1234,
      amountFen: 12340,
    })
    .execute();
  await db.updateTable('pur_order').set({ status: 'approved' }).where('id', '=', orderId).execute();
  const receiptId = id();
  const receiptLineId = id();
  await db
    .insertInto('pur_receipt')
    .values({
      id: receiptId,
      number: `RC-${day}-${site}`,
      orderId,
      warehouseId: wh(site),
      site,
      supplierId: ids.supplier,
      deliverySlipNo: 'DS-1',
      deliverySlipDate: day,
      transportMode: 'own_vehicle',
      carrier: null,
      waybillNo: null,
      vehicle: null,
      coldDepartedAt: null,
      coldArrivedAt: null,
      coldTransitMinTenths: null,
      coldTransitMaxTenths: null,
      coldArrivalTenths: null,
      coldDevice: null,
      note: null,
      receivedAt: at,
      receivedDate: day,
      receivedBy: 'u1',
      receivedByName: '高收货',
    })
    .execute();
  await db
    .insertInto('pur_receipt_line')
    .values({
      id: receiptLineId,
      receiptId,
      orderLineId,
      productId,
      quantityReceived: 10,
      quantityRefused: 0,
      refusalReason: null,
      quarantineLocationId: loc(site),
    })
    .execute();
  const acceptanceId = id();
  await db
    .insertInto('pur_acceptance')
    .values({
      id: acceptanceId,
      number: `YS-${day}-${site}`,
      receiptId,
      orderId,
      warehouseId: wh(site),
      site,
      supplierId: ids.supplier,
      purchaseDate: day,
      status: 'concluded',
      createdAt: at,
      lockVersion: 1,
      supplierName: '华康医疗器械贸易有限公司',
      supplierAddress: '上海市浦东新区示例路 1 号',
      supplierContact: '王五 13812345678',
      note: null,
      inspectorId: 'u3',
      inspectorName: '许验收',
      concludedAt: at,
      signatureId: null,
      recordHash: null,
    })
    .execute();
  await db
    .insertInto('pur_acceptance_line')
    .values({
      id: id(),
      acceptanceId,
      receiptLineId,
      accepted: 10,
      rejected: 0,
      conclusion: 'accepted',
      nonConformity: null,
      disposition: null,
      putawayLocationId: loc(site),
      nonconformingLocationId: null,
    })
    .execute();
  await db
    .insertInto('pur_acceptance_lot')
    .values({ id: id(), acceptanceId, receiptLineId, lotId, accepted: 10, rejected: 0 })
    .execute();
  // Sale, outbound review, shipment, customer return, return to supplier.
  const soId = id();
  const soLineId = id();
  const allocationId = id();
  const shipmentId = id();
  await db
    .insertInto('sales_order')
    .values({
      id: soId,
      orderNo: `SO-${day}-${site}`,
      customerId: ids.customer,
      customerCode: 'CUS-1',
      customerName: '示例市第一人民医院',
      customerLicenceNo: 'PDY-1',
      warehouseId: wh(site),
      warehouseCode: `WH-${site}`,
      site,
      deliveryAddress: '示例市人民路 8 号',
      deliveryContact: '赵六',
      deliveryPhone: '13912345678',
      status: 'shipped',
      totalAmount: 20000,
      remarks: null,
      createdBy: 'u4',
      createdByName: '何销售',
      createdAt: at,
      confirmedBy: 'u4',
      confirmedByName: '何销售',
      confirmedAt: at,
      cancelledBy: null,
      cancelledByName: null,
      cancelledAt: null,
      cancelReason: null,
    })
    .execute();
  await db
    .insertInto('sales_order_line')
    .values({
      id: soLineId,
      orderId: soId,
      lineNo: 1,
      productId,
      productCode: product.code,
      productName: product.name,
      model: product.model,
      specification: product.specification,
      registrant: product.registrant,
      contractManufacturer: null,
      manufacturerLicenceNo: null,
      certificateNo: product.certificateNo,
      unit: '支',
      storage: 'normal',
      gs1Di: null,
      quantity: 4,
      unitPrice: 5000,
      amount: 20000,
    })
    .execute();
  await db
    .insertInto('sales_allocation')
    .values({
      id: allocationId,
      orderId: soId,
      lineId: soLineId,
      productId,
      lotId,
      lot,
      serial: null,
      productionDate: '2026-01-15',
      expiryDate: '2028-01-14',
      fromLocationId: loc(site),
      locationId: loc(site),
      quantity: 4,
      refused: 0,
      state: 'shipped',
      allocatedBy: 'u5',
      allocatedByName: '马仓储',
      allocatedAt: at,
    })
    .execute();
  await db
    .insertInto('sales_review')
    .values({
      id: id(),
      orderId: soId,
      reviewerId: 'u6',
      reviewerName: '秦复核',
      reviewedAt: at,
      outboundDate: day,
      signatureId: 'sig',
      recordHash: 'hash',
      note: null,
      content: JSON.stringify({
        lines: [
          {
            productId,
            productName: product.name,
            model: product.model,
            specification: product.specification,
            registrant: product.registrant,
            contractManufacturer: null,
            certificateNo: product.certificateNo,
            lot,
            serial: null,
            expiryDate: '2028-01-14',
            unit: '支',
            quantity: 4,
            udi: null,
          },
        ],
      }),
    })
    .execute();
  await db
    .insertInto('sales_shipment')
    .values({
      id: shipmentId,
      shipmentNo: `SH-${day}-${site}`,
      orderId: soId,
      site,
      shipDate: day,
      shippedAt: at,
      shippedBy: 'u5',
      shippedByName: '马仓储',
      customerLicenceNo: 'PDY-1',
      mode: 'carrier',
      carrier: '示例快运有限公司',
      waybillNo: 'SF1234567890',
      vehiclePlate: null,
      driver: null,
      consigneeName: '示例市第一人民医院',
      consigneeAddress: '示例市人民路 8 号',
      consigneeContact: '赵六 13912345678',
      consigneePhone: '13912345678',
      thirdPartyLogistics: null,
      coldBoxPreconditioned: null,
      coldLoadedAt: null,
      coldTemperatureTenths: null,
      remarks: null,
    })
    .execute();
  const returnId = id();
  await db
    .insertInto('sales_return')
    .values({
      id: returnId,
      returnNo: `RT-${day}-${site}`,
      orderId: soId,
      shipmentId,
      customerId: ids.customer,
      warehouseId: wh(site),
      site,
      reason: '@SUM(1+1)',
      transportConditions: '常温运输',
      coldRecordChecked: null,
      coldMinTenths: null,
      coldMaxTenths: null,
      status: 'received',
      returnDate: day,
      receivedAt: at,
      receivedBy: 'u5',
      receivedByName: '马仓储',
      inspectorId: null,
      inspectorName: null,
      inspectedAt: null,
      signatureId: null,
      note: null,
    })
    .execute();
  await db
    .insertInto('sales_return_line')
    .values({
      id: id(),
      returnId,
      allocationId,
      orderLineId: soLineId,
      productId,
      lotId,
      lot,
      serial: null,
      expiryDate: '2028-01-14',
      udi: null,
      locationId: loc(site),
      quantity: 1,
      qualified: null,
      nonconforming: null,
    })
    .execute();
  const supplierReturnId = id();
  await db
    .insertInto('sales_supplier_return')
    .values({
      id: supplierReturnId,
      returnNo: `SR-${day}-${site}`,
      supplierId: ids.supplier,
      supplierCode: 'SUP-1',
      supplierName: '华康医疗器械贸易有限公司',
      warehouseId: wh(site),
      warehouseCode: `WH-${site}`,
      site,
      reason: '+cmd|calc',
      mode: 'carrier',
      carrier: '示例快运有限公司',
      waybillNo: 'SF0000000001',
      vehiclePlate: null,
      driver: null,
      returnDate: day,
      returnedAt: at,
      returnedBy: 'u5',
      returnedByName: '马仓储',
    })
    .execute();
  await db
    .insertInto('sales_stock_line')
    .values({
      id: id(),
      docType: 'supplier_return',
      docId: supplierReturnId,
      productId,
      productName: product.name,
      model: product.model,
      specification: product.specification,
      certificateNo: product.certificateNo,
      lotId,
      lot,
      serial: null,
      expiryDate: '2028-01-14',
      locationId: loc(site),
      zone: 'nonconforming',
      quantity: 2,
    })
    .execute();
  const disposalId = id();
  await db
    .insertInto('sales_disposal')
    .values({
      id: disposalId,
      disposalNo: `DP-${day}-${site}`,
      warehouseId: wh(site),
      warehouseCode: `WH-${site}`,
      site,
      method: '焚烧',
      reason: '破损',
      witnesses: JSON.stringify(['甲', '乙']),
      disposalDate: day,
      disposedAt: at,
      signerId: 'u2',
      signerName: '孙质量',
      signatureId: 'sig',
    })
    .execute();
  await db
    .insertInto('sales_stock_line')
    .values({
      id: id(),
      docType: 'disposal',
      docId: disposalId,
      productId,
      productName: product.name,
      model: product.model,
      specification: product.specification,
      certificateNo: product.certificateNo,
      lotId,
      lot,
      serial: null,
      expiryDate: '2028-01-14',
      locationId: loc(site),
      zone: 'nonconforming',
      quantity: 3,
    })
    .execute();
}

const READ = 'procurement.record.read,inventory.stock.read,sales.ledger.read,sales.order.read';

async function setUp() {
  n = 0;
  t = await buildTestApp({ authenticate: headerAuthenticator, clock: manualClock(NOW) });
  await seedMasterData(t);
  await seedDay(t, 'SH', '2026-11-27', ids.product, 'LOT-A');
  await seedDay(t, 'SH', '2026-11-28', ids.product2, 'LOT-B');
  await seedDay(t, 'BJ', '2026-11-28', ids.product2, 'LOT-BJ');
  return t;
}

const get = (app: TestApp, url: string, actor: string, sites?: string) =>
  app.app.inject({
    method: 'GET',
    url,
    headers: { 'x-test-actor': actor, ...(sites === undefined ? {} : { 'x-test-sites': sites }) },
  });

async function readSheet(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      (row.values as ExcelJS.CellValue[])
        .slice(1)
        .map((v) => (v === undefined || v === null ? null : (v as string | number))),
    );
  });
  return { rows, info: wb.worksheets[1]! };
}

async function exportEvents(app: TestApp) {
  return (await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute())
    .map((e) => JSON.parse(e.canonical) as { action: string; actor: unknown; data: Record<string, unknown> })
    .filter((e) => e.action.endsWith('.ledger.exported'));
}

/** The rows each ledger has for site SH on both days, and the column holding the lot (where shown). */
const EXPECTED_ROWS: Record<LedgerKind, number> = {
  purchase: 2,
  acceptance: 2,
  inbound: 4,
  'outbound-review': 2,
  sales: 2,
  'customer-returns': 2,
  'supplier-returns': 2,
  climate: 2,
};

describe('GSP ledgers: screens and exports', () => {
  test('VAL-06 FILE-04 LOG-01 AC-02 every ledger exports as xlsx with bilingual headers, its rows, formulas neutralised, another site absent, and an audit event', async () => {
    const app = await setUp();
    for (const kind of LEDGER_KINDS) {
      const def = LEDGERS[kind];
      const view = await get(app, def.path, READ, 'SH');
      expect(view.statusCode, `${kind}: ${view.body}`).toBe(200);
      expect(view.json<{ rows: unknown[] }>().rows, kind).toHaveLength(EXPECTED_ROWS[kind]);

      const res = await get(app, `${def.path}/export?format=xlsx`, READ, 'SH');
      expect(res.statusCode, `${kind}: ${res.body}`).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain('attachment');
      const { rows, info } = await readSheet(res.rawPayload);
      expect(rows[0], kind).toEqual(def.columns.map((c) => `${c.zh} ${c.en}`));
      expect(rows.length - 1, kind).toBe(EXPECTED_ROWS[kind]);
      const text = JSON.stringify(rows);
      // AC-02: nothing of the other site.
      expect(text).not.toContain('LOT-BJ');
      expect(text).not.toContain('WH-BJ');
      expect(text).not.toContain('-BJ');
      // VAL-06: no cell starts with a formula character.
      for (const row of rows) {
        for (const cell of row) {
          if (typeof cell === 'string') expect(cell, `${kind}: ${cell}`).not.toMatch(/^[=+\-@\t\r\0]/);
        }
      }
      expect(info.name).toBe('导出信息 Export');
    }
    // The formula-looking product name, return reason and note come out quoted.
    const purchase = await readSheet(
      (await get(app, `${LEDGERS.purchase.path}/export?format=xlsx`, READ, 'SH')).rawPayload,
    );
    expect(purchase.rows[1]).toContain(`'${FORMULA}`);
    const returns = await readSheet(
      (await get(app, `${LEDGERS['customer-returns'].path}/export?format=xlsx`, READ, 'SH')).rawPayload,
    );
    expect(returns.rows[1]).toContain("'@SUM(1+1)");
    const climate = await readSheet(
      (await get(app, `${LEDGERS.climate.path}/export?format=xlsx`, READ, 'SH')).rawPayload,
    );
    // Numbers are numeric cells (a negative temperature is not text), the note is quoted.
    expect(climate.rows[1]).toContain(-18.5);
    expect(climate.rows[1]).toContain("'-1+1");
    // Money is written in yuan.
    expect(purchase.rows[1]).toContain(12.34);
    // Codes are written in words, Chinese then English.
    const inbound = await readSheet(
      (await get(app, `${LEDGERS.inbound.path}/export?format=xlsx`, READ, 'SH')).rawPayload,
    );
    expect(inbound.rows[2]).toContain('验收入库 Put-away');
    expect(inbound.rows[2]).toContain('合格 Qualified');

    const events = await exportEvents(app);
    expect(events.map((e) => (e.data as { ledger: string }).ledger)).toEqual([
      ...LEDGER_KINDS,
      'purchase',
      'customer-returns',
      'climate',
      'inbound',
    ]);
    expect(events[0]).toMatchObject({
      action: 'procurement.ledger.exported',
      data: { ledger: 'purchase', format: 'xlsx', rows: 2, filters: {}, masked: false },
    });
    expect(events.find((e) => e.action === 'inventory.ledger.exported')).toBeDefined();
    expect(events.find((e) => e.action === 'sales.ledger.exported')).toBeDefined();
  });

  test('GSP-01 filters (China days, product, lot, party, warehouse) are respected and recorded in the audit event', async () => {
    const app = await setUp();
    const q = `from=2026-11-28&to=2026-11-28&productId=${ids.product2}&lot=LOT-B&partyId=${ids.customer}&warehouseId=${ids.whSh}`;
    const res = await get(app, `${LEDGERS.sales.path}/export?format=xlsx&${q}`, READ);
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await readSheet(res.rawPayload);
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).toContain('SO-2026-11-28-SH');
    // A day boundary in China time: the 27th's records are not on the 28th.
    for (const kind of LEDGER_KINDS) {
      const view = await get(app, `${LEDGERS[kind].path}?from=2026-11-27&to=2026-11-27`, READ, 'SH');
      expect(view.json<{ rows: unknown[] }>().rows.length, kind).toBe(EXPECTED_ROWS[kind] / 2);
    }
    const byLot = await get(app, `${LEDGERS.inbound.path}?lot=LOT-A`, READ);
    expect(byLot.json<{ rows: { lot: string }[] }>().rows.map((r) => r.lot)).toEqual(['LOT-A', 'LOT-A']);
    const bySupplier = await get(app, `${LEDGERS['supplier-returns'].path}?partyId=${ids.customer}`, READ);
    expect(bySupplier.json<{ rows: unknown[] }>().rows).toHaveLength(0);
    const [event] = await exportEvents(app);
    expect(event!.data).toMatchObject({
      ledger: 'sales',
      rows: 1,
      filters: {
        from: '2026-11-28',
        to: '2026-11-28',
        productId: ids.product2,
        lot: 'LOT-B',
        partyId: ids.customer,
        warehouseId: ids.whSh,
      },
    });
    // Bad filters are refused, not ignored.
    expect((await get(app, `${LEDGERS.sales.path}/export?format=csv`, READ)).statusCode).toBe(400);
    expect((await get(app, `${LEDGERS.sales.path}/export?format=xlsx&from=28.11.2026`, READ)).statusCode).toBe(400);
    expect((await get(app, `${LEDGERS.sales.path}/export?format=xlsx&tenant=x`, READ)).statusCode).toBe(400);
  });

  test('FILE-04 a PDF export is landscape A4 on every page with the Chinese font, runs over several pages, and is audited', async () => {
    const app = await setUp();
    // 120 climate readings: more than one page.
    await app.db
      .insertInto('inv_climate')
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          id: `01900000-0000-7000-b000-${String(i).padStart(12, '0')}`,
          areaId: ids.areaSh,
          warehouseId: ids.whSh,
          at: new Date(Date.parse('2026-10-01T00:00:00Z') + i * 3_600_000).toISOString(),
          temperatureTenths: 200 + i,
          humidityTenths: 500,
          outOfRange: 0,
          recordedBy: 'u1',
          recordedByName: '马仓储',
          note: '早班记录',
        })),
      )
      .execute();
    const res = await get(app, `${LEDGERS.climate.path}/export?format=pdf&from=2026-10-01&to=2026-10-31`, READ, 'SH');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    // Landscape A4 on every page, the Chinese font embedded.
    const boxes = text.match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g) ?? [];
    const pages = (text.match(/\/Type \/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(boxes.length).toBe(pages);
    for (const box of boxes) expect(box).toBe('/MediaBox [0 0 841.89 595.28]');
    expect(text).toContain('NotoSansHans');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.length).toBeLessThan(2_000_000);
    // Every ledger renders (with and without rows).
    for (const kind of LEDGER_KINDS) {
      const r = await get(app, `${LEDGERS[kind].path}/export?format=pdf&from=2030-01-01`, READ, 'SH');
      expect(r.statusCode, `${kind}: ${r.body}`).toBe(200);
      expect(r.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const events = await exportEvents(app);
    expect(events[0]!.data).toMatchObject({
      ledger: 'climate',
      format: 'pdf',
      rows: 120,
      filters: { from: '2026-10-01' },
    });
  });

  test('AC-01 without the read permission every ledger and its export answers 403', async () => {
    const app = await setUp();
    for (const kind of LEDGER_KINDS) {
      const def = LEDGERS[kind];
      const others = READ.split(',')
        .filter((p) => p !== def.permission)
        .join(',');
      expect((await get(app, def.path, others)).statusCode, kind).toBe(403);
      expect((await get(app, `${def.path}/export?format=xlsx`, others)).statusCode, kind).toBe(403);
    }
    expect(await exportEvents(app)).toHaveLength(0);
  });

  test('PRIV-06 FILE-04 personal data in exports is masked unless the reveal permission is held', async () => {
    const app = await setUp();
    const masked = await readSheet((await get(app, `${LEDGERS.sales.path}/export?format=xlsx`, READ)).rawPayload);
    const text = JSON.stringify(masked.rows);
    expect(text).not.toContain('13912345678');
    expect(text).toContain('139****5678');
    expect(text).not.toContain('赵六');
    const full = await readSheet(
      (await get(app, `${LEDGERS.sales.path}/export?format=xlsx`, `${READ},sales.contact.reveal`)).rawPayload,
    );
    expect(JSON.stringify(full.rows)).toContain('赵六 13912345678');
    const acceptance = await readSheet(
      (await get(app, `${LEDGERS.acceptance.path}/export?format=xlsx`, READ)).rawPayload,
    );
    expect(JSON.stringify(acceptance.rows)).toContain('王* 138****5678');
    const events = await exportEvents(app);
    expect(events.map((e) => (e.data as { masked: boolean }).masked)).toEqual([true, false, true]);
  });

  test('ATK-DOS an export above the row limit is refused with a clear error and nothing is audited', async () => {
    const app = await setUp();
    const many = Array.from({ length: 5001 }, (_, i) => ({
      id: `01900000-0000-7000-a000-${String(i).padStart(12, '0')}`,
      areaId: ids.areaSh,
      warehouseId: ids.whSh,
      at: new Date(Date.parse('2026-09-01T00:00:00Z') + i * 60_000).toISOString(),
      temperatureTenths: 200,
      humidityTenths: 500,
      outOfRange: 0,
      recordedBy: 'u1',
      recordedByName: '马仓储',
      note: null,
    }));
    for (let i = 0; i < many.length; i += 500) {
      await app.db
        .insertInto('inv_climate')
        .values(many.slice(i, i + 500))
        .execute();
    }
    const res = await get(app, `${LEDGERS.climate.path}/export?format=xlsx`, READ);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ code: string; message: string }>()).toMatchObject({ code: 'export_too_large' });
    expect(res.json<{ message: string }>().message).toContain('5000');
    const view = await get(app, LEDGERS.climate.path, READ);
    expect(view.json<{ rows: unknown[]; truncated: boolean }>()).toMatchObject({ truncated: true });
    expect(await exportEvents(app)).toHaveLength(0);
    // Narrowed, the same ledger exports.
    const narrowed = await get(app, `${LEDGERS.climate.path}/export?format=xlsx&from=2026-11-01`, READ);
    expect(narrowed.statusCode).toBe(200);
  });
});

describe('Lists of customer returns, supplier returns and disposals', () => {
  test('AC-02 lists filter, page and stay within the actor’s sites', async () => {
    const app = await setUp();
    const returns = await get(app, '/api/v1/sales/returns?pageSize=1', 'sales.order.read', 'SH');
    expect(returns.statusCode, returns.body).toBe(200);
    expect(returns.json()).toMatchObject({
      total: 2,
      returns: [{ returnNo: 'RT-2026-11-28-SH', units: 1, status: 'received', shipmentNo: 'SH-2026-11-28-SH' }],
    });
    const page2 = await get(app, '/api/v1/sales/returns?pageSize=1&page=2', 'sales.order.read', 'SH');
    expect(page2.json<{ returns: { returnNo: string }[] }>().returns[0]!.returnNo).toBe('RT-2026-11-27-SH');
    const byProduct = await get(app, `/api/v1/sales/returns?productId=${ids.product}`, 'sales.order.read');
    expect(byProduct.json()).toMatchObject({ total: 1, returns: [{ returnNo: 'RT-2026-11-27-SH' }] });

    const sr = await get(app, '/api/v1/sales/supplier-returns?from=2026-11-28', 'sales.order.read', 'BJ');
    expect(sr.json()).toMatchObject({
      total: 1,
      supplierReturns: [{ returnNo: 'SR-2026-11-28-BJ', units: 2, mode: 'carrier' }],
    });
    const dp = await get(app, `/api/v1/sales/disposals?warehouseId=${ids.whSh}`, 'sales.order.read', 'SH');
    expect(dp.json()).toMatchObject({ total: 2, disposals: [{ disposalNo: 'DP-2026-11-28-SH', units: 3 }, {}] });
    const otherSite = await get(app, `/api/v1/sales/disposals?warehouseId=${ids.whSh}`, 'sales.order.read', 'BJ');
    expect(otherSite.json()).toMatchObject({ total: 0, disposals: [] });
    for (const url of ['/api/v1/sales/returns', '/api/v1/sales/supplier-returns', '/api/v1/sales/disposals']) {
      expect((await get(app, url, 'sales.ledger.read')).statusCode).toBe(403);
      expect((await get(app, `${url}?pageSize=500`, 'sales.order.read')).statusCode).toBe(400);
    }
  });
});
