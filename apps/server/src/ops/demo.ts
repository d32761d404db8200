/**
 * `medledger demo`: a synthetic demo company so that a new user can try every screen within a
 * minute of installing — suppliers and hospitals with licences (one expired, one expiring), products
 * with registration certificates and GS1 UDI-DIs (one certificate expired), a warehouse in the GSP
 * zones, and stock including near-expiry, expired, quarantined and nonconforming lots.
 * Everything is invented: company names, licence numbers, ID numbers with wrong check characters.
 */
import { gs1CheckDigit, PartyFields, PERMISSIONS, ProductFields, type Permission } from '@medledger/contract';
import { ensureLot, postMovements } from '../modules/inventory/index.js';
import {
  approveDemoChange,
  createArea,
  createLocation,
  createWarehouse,
  proposeNewParty,
  proposeNewProduct,
} from '../modules/master-data/index.js';
import { createPurchaseOrder, submitPurchaseOrder } from '../modules/procurement/index.js';
import { confirmSalesOrder, createSalesOrder } from '../modules/sales/index.js';
import { AppError } from '../platform/errors.js';
import { systemCtx, type Ctx } from '../platform/http/ctx.js';
import type { Runtime } from '../platform/runtime.js';

/** A GTIN-14 under the fictitious company prefix 6901234 (packaging indicator, item, check digit). */
export function demoGtin(indicator: number, item: number): string {
  const body = `${indicator}6901234${String(item).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/** An 18-character resident ID number with a deliberately wrong check character (never a real person's). */
export function demoIdNumber(seed: number): string {
  const body = `110101${1980 + (seed % 20)}0${1 + (seed % 9)}1${seed % 10}${String(100 + seed).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  const valid = '10X98765432'[sum % 11]!;
  return body + (valid === '0' ? '1' : '0');
}

function day(now: Date, offset: number): string {
  return new Date(now.getTime() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

function parties(now: Date): PartyFields[] {
  const business = (uscc: string, authority: string) => ({
    kind: 'business_licence' as const,
    number: uscc,
    authority,
    issuedOn: day(now, -2000),
    validUntil: null,
    scope: [],
  });
  return [
    {
      code: 'SUP-HK',
      name: '华康医疗器械贸易有限公司',
      uscc: '91310000MA1K0DEMX1',
      isSupplier: true,
      isManufacturer: false,
      customerType: null,
      legalRepresentative: '李明远',
      enterpriseHead: '李明远',
      address: '上海市浦东新区演示路 1 号',
      warehouseAddress: '上海市浦东新区演示路 1 号 3 号库',
      licences: [
        business('91310000MA1K0DEMX1', '上海市市场监督管理局'),
        {
          kind: 'operating_licence',
          number: '沪药监械经营许2021DEMO01号',
          authority: '上海市药品监督管理局',
          issuedOn: day(now, -700),
          validUntil: day(now, 1100),
          scope: ['III:13', 'III:16', 'II:14', 'II:18', 'I:14'],
        },
      ],
      repAuthorisations: [
        {
          repName: '王晓红',
          idNumber: demoIdNumber(1),
          productCodes: [],
          territory: '上海市、江苏省',
          validFrom: day(now, -100),
          validUntil: day(now, 265),
        },
      ],
    },
    {
      code: 'SUP-RX',
      name: '瑞信医疗科技股份有限公司',
      uscc: '91320500MA2DEMX002',
      isSupplier: true,
      isManufacturer: true,
      customerType: null,
      legalRepresentative: '陈立新',
      enterpriseHead: '陈立新',
      address: '江苏省苏州市演示工业园 8 号',
      warehouseAddress: null,
      licences: [
        business('91320500MA2DEMX002', '苏州市市场监督管理局'),
        {
          kind: 'production_licence',
          number: '苏食药监械生产许2019DEMO2号',
          authority: '江苏省药品监督管理局',
          issuedOn: day(now, -1800),
          validUntil: day(now, 25),
          scope: ['III:13', 'II:14'],
        },
      ],
      repAuthorisations: [],
    },
    {
      code: 'SUP-OLD',
      name: '旧源医疗用品有限公司',
      uscc: '91330100MA3DEMX003',
      isSupplier: true,
      isManufacturer: false,
      customerType: null,
      legalRepresentative: '赵德厚',
      enterpriseHead: '赵德厚',
      address: '浙江省杭州市演示街 20 号',
      warehouseAddress: null,
      licences: [
        business('91330100MA3DEMX003', '杭州市市场监督管理局'),
        {
          kind: 'operating_licence',
          number: '浙药监械经营许2016DEMO3号',
          authority: '浙江省药品监督管理局',
          issuedOn: day(now, -1835),
          validUntil: day(now, -10),
          scope: ['III:13', 'II:14'],
        },
      ],
      repAuthorisations: [],
    },
    {
      code: 'HOS-01',
      name: '演示市第一人民医院',
      uscc: '12310000MBDEMX0041',
      isSupplier: false,
      isManufacturer: false,
      customerType: 'hospital',
      legalRepresentative: '陈思齐',
      enterpriseHead: '陈思齐',
      address: '演示市中山路 100 号',
      warehouseAddress: null,
      licences: [
        business('12310000MBDEMX0041', '演示市卫生健康委员会'),
        {
          kind: 'medical_institution_licence',
          number: 'PDY0DEMO-3310100001A1001',
          authority: '演示市卫生健康委员会',
          issuedOn: day(now, -900),
          validUntil: day(now, 900),
          scope: [],
        },
      ],
      repAuthorisations: [],
    },
    {
      code: 'HOS-02',
      name: '演示市中医医院',
      uscc: '12310000MBDEMX0052',
      isSupplier: false,
      isManufacturer: false,
      customerType: 'hospital',
      legalRepresentative: '林若谷',
      enterpriseHead: '林若谷',
      address: '演示市人民路 8 号',
      warehouseAddress: null,
      licences: [
        business('12310000MBDEMX0052', '演示市卫生健康委员会'),
        {
          kind: 'medical_institution_licence',
          number: 'PDY0DEMO-3310100002A1002',
          authority: '演示市卫生健康委员会',
          issuedOn: day(now, -1700),
          validUntil: day(now, 60),
          scope: [],
        },
      ],
      repAuthorisations: [],
    },
    {
      code: 'DIS-01',
      name: '瑞安医械经销有限公司',
      uscc: '91330300MA4DEMX006',
      isSupplier: false,
      isManufacturer: false,
      customerType: 'distributor',
      legalRepresentative: '周若彤',
      enterpriseHead: '周若彤',
      address: '浙江省温州市演示路 8 号',
      warehouseAddress: '浙江省温州市演示路 8 号 1 号库',
      licences: [
        business('91330300MA4DEMX006', '温州市市场监督管理局'),
        {
          kind: 'operating_licence',
          number: '浙药监械经营许2022DEMO6号',
          authority: '浙江省药品监督管理局',
          issuedOn: day(now, -400),
          validUntil: day(now, 1400),
          scope: ['II:14', 'II:18'],
        },
      ],
      repAuthorisations: [],
    },
    {
      code: 'RET-01',
      name: '康宁大药房连锁有限公司',
      uscc: '91310100MA5DEMX007',
      isSupplier: false,
      isManufacturer: false,
      customerType: 'retail',
      legalRepresentative: '孙静怡',
      enterpriseHead: '孙静怡',
      address: '上海市徐汇区演示路 66 号',
      warehouseAddress: null,
      licences: [
        business('91310100MA5DEMX007', '上海市市场监督管理局'),
        {
          kind: 'operating_filing',
          number: '沪徐食药监械经营备2020DEMO7号',
          authority: '上海市徐汇区市场监督管理局',
          issuedOn: day(now, -1000),
          validUntil: null,
          scope: ['II:14', 'II:18'],
        },
      ],
      repAuthorisations: [],
    },
  ];
}

type DemoProduct = ProductFields & { demo: { serialised: boolean; item: number } };

function products(now: Date): DemoProduct[] {
  const base = {
    registrantLicenceNo: '苏食药监械生产许2019DEMO2号',
    contractManufacturer: null,
    contractManufacturerLicenceNo: null,
    humidityMax: 80,
  };
  const levels = (item: number, unit: string, caseUnit: string, perCase: number) => [
    { level: 0, unit, quantity: 1, dis: [{ issuer: 'GS1' as const, di: demoGtin(0, item) }] },
    { level: 1, unit: caseUnit, quantity: perCase, dis: [{ issuer: 'GS1' as const, di: demoGtin(1, item) }] },
  ];
  return [
    {
      ...base,
      code: 'P-STENT',
      name: '冠状动脉药物洗脱支架系统',
      model: 'DES-3018',
      specification: '3.0mm×18mm',
      deviceClass: 'III',
      catalogCode: '13-07-02',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '国械注准2023313DEMO1',
      certificateIssuedOn: day(now, -600),
      certificateValidUntil: day(now, 1200),
      implantable: true,
      storage: 'normal',
      packages: levels(1, '套', '箱', 10),
      demo: { serialised: true, item: 1 },
    },
    {
      ...base,
      code: 'P-BONE',
      name: '金属接骨板',
      model: 'LP-3.5',
      specification: '3.5mm 8 孔',
      deviceClass: 'III',
      catalogCode: '13-03-01',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '国械注准2022313DEMO2',
      certificateIssuedOn: day(now, -900),
      certificateValidUntil: day(now, 40),
      implantable: true,
      storage: 'normal',
      packages: levels(2, '块', '箱', 20),
      demo: { serialised: true, item: 2 },
    },
    {
      ...base,
      code: 'P-HA',
      name: '医用透明质酸钠凝胶',
      model: 'HA-2ml',
      specification: '2ml/支',
      deviceClass: 'III',
      catalogCode: '13-09-01',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '国械注准2024313DEMO3',
      certificateIssuedOn: day(now, -300),
      certificateValidUntil: day(now, 1500),
      implantable: false,
      storage: 'cold_2_8',
      packages: levels(3, '支', '盒', 10),
      demo: { serialised: false, item: 3 },
    },
    {
      ...base,
      code: 'P-SYR',
      name: '一次性使用无菌注射器',
      model: '5ml',
      specification: '5ml 带针 0.7×32mm',
      deviceClass: 'II',
      catalogCode: '14-01-01',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '苏械注准2021214DEMO4',
      certificateIssuedOn: day(now, -1000),
      certificateValidUntil: day(now, 800),
      implantable: false,
      storage: 'normal',
      packages: levels(4, '支', '箱', 100),
      demo: { serialised: false, item: 4 },
    },
    {
      ...base,
      code: 'P-CATH',
      name: '一次性使用无菌导尿管',
      model: 'F16',
      specification: '双腔 F16',
      deviceClass: 'II',
      catalogCode: '14-05-02',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '苏械注准2020214DEMO5',
      certificateIssuedOn: day(now, -1500),
      certificateValidUntil: day(now, -5),
      implantable: false,
      storage: 'normal',
      packages: levels(5, '根', '箱', 50),
      demo: { serialised: false, item: 5 },
    },
    {
      ...base,
      code: 'P-TAPE',
      name: '医用胶带',
      model: 'T-2.5',
      specification: '2.5cm×9.1m',
      deviceClass: 'I',
      catalogCode: '14-10-01',
      registrant: '瑞信医疗科技股份有限公司',
      certificateNo: '苏苏械备2019DEMO6',
      certificateIssuedOn: day(now, -2000),
      certificateValidUntil: null,
      implantable: false,
      storage: 'normal',
      packages: levels(6, '卷', '箱', 48),
      demo: { serialised: false, item: 6 },
    },
  ];
}

const ZONES = [
  ['Q', '待验区', 'quarantine', 'normal'],
  ['A', '合格区', 'qualified', 'normal'],
  ['C', '冷藏合格区', 'qualified', 'cold_2_8'],
  ['N', '不合格区', 'nonconforming', 'normal'],
  ['S', '发货区', 'shipping', 'normal'],
  ['R', '退货区', 'returns', 'normal'],
] as const;

export type DemoSummary = {
  parties: number;
  products: number;
  lots: number;
  movements: number;
  warehouse: string;
  orders: string[];
};

/**
 * Loads the demo company into an empty database in one transaction (all or nothing). Refused when
 * master data exists already: demo data never mixes with real records.
 */
export async function loadDemoCompany(runtime: Runtime): Promise<DemoSummary> {
  return runtime.db.transaction().execute(async (db) => {
    const base = systemCtx(runtime, 'cli:demo', db);
    const ctx: Ctx = {
      ...base,
      actor: { ...base.actor!, permissions: new Set(Object.keys(PERMISSIONS) as Permission[]) },
    };
    const existing = await db.selectFrom('md_party').select('id').limit(1).executeTakeFirst();
    if (existing !== undefined) {
      throw new AppError(
        'conflict',
        'This database already holds master data; load the demo company into a new, empty database only.',
      );
    }
    const now = ctx.now;
    for (const party of parties(now)) {
      const { changeId } = await proposeNewParty(ctx, {
        reason: '演示数据 / demo data',
        party: PartyFields.parse(party),
      });
      await approveDemoChange(ctx, changeId);
    }
    const productIds = new Map<string, string>();
    const list = products(now);
    for (const p of list) {
      const { demo: _demo, ...product } = p;
      const { productId, changeId } = await proposeNewProduct(ctx, {
        reason: '演示数据 / demo data',
        product: ProductFields.parse(product),
      });
      await approveDemoChange(ctx, changeId);
      productIds.set(p.code, productId);
    }
    let warehouse = await createWarehouse(ctx, {
      code: 'WH-SH-01',
      name: '上海浦东仓',
      site: 'SH',
      address: '上海市浦东新区演示路 1 号 3 号库',
    });
    const locations = new Map<string, string>();
    for (const [code, name, zone, storage] of ZONES) {
      warehouse = await createArea(ctx, warehouse.id, { code, name, zone, storage });
      const area = warehouse.areas.find((a) => a.code === code)!;
      for (const n of ['01', '02', '03']) {
        warehouse = await createLocation(ctx, area.id, { code: `${code}-${n}` });
      }
      for (const loc of warehouse.areas.find((a) => a.code === code)!.locations) locations.set(loc.code, loc.id);
    }
    let lots = 0;
    let movements = 0;
    const receive = async (
      code: string,
      lot: string,
      serials: (string | null)[],
      expiryOffset: number,
      location: string,
      qtyEach: number,
    ) => {
      const productId = productIds.get(code)!;
      for (const serial of serials) {
        const lotId = await ensureLot(ctx, {
          productId,
          lot,
          serial,
          productionDate: day(now, expiryOffset - 1095),
          expiryDate: day(now, expiryOffset),
        });
        lots++;
        await postMovements(
          ctx,
          [
            {
              kind: 'receipt',
              lotId,
              locationId: locations.get(location)!,
              quantity: qtyEach,
              docType: 'demo',
              docId: 'demo-opening-stock',
              note: '演示期初库存 / demo opening stock',
            },
          ],
          'inventory.stock.move',
        );
        movements++;
      }
    };
    const serials = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
    await receive('P-STENT', 'ST2401', serials('ST24A', 12), 700, 'A-01', 1);
    await receive('P-STENT', 'ST2311', serials('ST23K', 3), 45, 'A-01', 1);
    await receive('P-BONE', 'BP2402', serials('BP24B', 6), 900, 'A-02', 1);
    await receive('P-HA', 'HA2405', [null], 300, 'C-01', 40);
    await receive('P-HA', 'HA2310', [null], 20, 'C-01', 8);
    await receive('P-SYR', 'SY240601', [null], 1000, 'A-02', 2000);
    await receive('P-SYR', 'SY231101', [null], 60, 'A-03', 300);
    await receive('P-SYR', 'SY221001', [null], -12, 'A-03', 150);
    await receive('P-CATH', 'CT2312', [null], 500, 'A-03', 200);
    await receive('P-TAPE', 'TP2407', [null], 1400, 'A-02', 480);
    await receive('P-SYR', 'SY240901', [null], 1100, 'Q-01', 500);
    await receive('P-TAPE', 'TP2401', [null], 900, 'N-01', 24);
    // Open orders: a purchase order waiting for approval, a confirmed sales order waiting for picking.
    const partyId = async (code: string) =>
      (await db.selectFrom('md_party').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const po = await createPurchaseOrder(ctx, {
      supplierId: await partyId('SUP-HK'),
      warehouseId: warehouse.id,
      supplierContact: '王晓红 021-5555 0101',
      note: '演示采购订单 / demo purchase order',
      lines: [
        { productId: productIds.get('P-SYR')!, quantity: 1000, unitPriceFen: 120 },
        { productId: productIds.get('P-HA')!, quantity: 20, unitPriceFen: 8500 },
      ],
    });
    await submitPurchaseOrder(ctx, po.id);
    const so = await createSalesOrder(ctx, {
      customerId: await partyId('HOS-01'),
      warehouseId: warehouse.id,
      lines: [
        { productId: productIds.get('P-STENT')!, quantity: 2, unitPrice: 680_000 },
        { productId: productIds.get('P-SYR')!, quantity: 200, unitPrice: 150 },
      ],
      remarks: '演示销售订单 / demo sales order',
    });
    await confirmSalesOrder(ctx, so.id);
    return {
      parties: parties(now).length,
      products: list.length,
      lots,
      movements,
      warehouse: warehouse.code,
      orders: [po.number, so.orderNo],
    };
  });
}
