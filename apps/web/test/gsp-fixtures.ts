import {
  gs1CheckDigit,
  type AcceptanceView,
  type OrderView,
  type PartyView,
  type ProductView,
  type PurchaseOrderView,
  type WarehouseView,
} from '@medledger/contract';
import { within } from '@testing-library/react';
import type { MockResponse } from './render-app';

/** Synthetic companies, people, products and codes for the warehouse-screen tests. */
export const session = (permissions: string[], name = '赵仓管'): MockResponse => ({
  status: 200,
  body: {
    user: { id: 'u-wh', name, login: 'wh.zhao' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

/** Buttons are found by their text (role queries are slow on large antd trees in jsdom). */
export const button = (container: HTMLElement, label: string | RegExp) =>
  within(container).getByText(label, { selector: 'button span' }).closest('button')!;
export const findButton = async (container: HTMLElement, label: string | RegExp) =>
  (await within(container).findByText(label, { selector: 'button span' })).closest('button')!;

export const id = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const gtin = (first13: string) => `${first13}${gs1CheckDigit(first13)}`;
export const STENT_DI = gtin('0690123456789');

export const supplier: PartyView = {
  id: id(0xa1),
  code: 'SUP-001',
  name: '华康医疗器械贸易有限公司',
  uscc: '91310000MA1K000001',
  isSupplier: true,
  isManufacturer: false,
  customerType: null,
  legalRepresentative: '李明远',
  enterpriseHead: '李明远',
  address: '上海市浦东新区示例路 1 号',
  warehouseAddress: null,
  status: 'approved',
  version: 1,
  approvedAt: '2026-11-29T02:00:00.000Z',
  approvedByName: '李质量',
  updatedAt: '2026-11-29T02:00:00.000Z',
  licences: [],
  repAuthorisations: [],
  pendingChangeId: null,
};

export const hospital: PartyView = {
  ...supplier,
  id: id(0xa2),
  code: 'HOS-001',
  name: '示例市第一人民医院',
  isSupplier: false,
  customerType: 'hospital',
  enterpriseHead: '刘院长',
  address: '示例市中山路 100 号',
  warehouseAddress: '示例市中山路 100 号 设备科库房',
};

export const stent: ProductView = {
  id: id(0xc1),
  code: 'PRD-STENT-01',
  name: '冠状动脉支架系统',
  model: 'CS-3018',
  specification: '3.0mm×18mm',
  deviceClass: 'III',
  catalogCode: '13-07-02',
  registrant: '示例医疗科技股份有限公司',
  registrantLicenceNo: '沪食药监械生产许20150001号',
  contractManufacturer: null,
  contractManufacturerLicenceNo: null,
  certificateNo: '国械注准20233130001',
  certificateIssuedOn: '2023-04-01',
  certificateValidUntil: '2028-03-31',
  certificateCancelledAt: null,
  implantable: true,
  storage: 'normal',
  humidityMax: 80,
  status: 'approved',
  version: 1,
  approvedAt: '2026-11-29T02:00:00.000Z',
  approvedByName: '李质量',
  updatedAt: '2026-11-29T02:00:00.000Z',
  packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: STENT_DI }] }],
  pendingChangeId: null,
};

export const ivd: ProductView = {
  ...stent,
  id: id(0xc2),
  code: 'PRD-IVD-01',
  name: '抗原检测试剂盒',
  model: 'AG-25',
  specification: '25人份/盒',
  deviceClass: 'II',
  storage: 'cold_2_8',
  implantable: false,
  packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: gtin('0690123456790') }] }],
};

export const warehouse: WarehouseView = {
  id: id(0xe1),
  code: 'WH-SH',
  name: '上海仓',
  site: 'SH',
  address: '示例路 1 号',
  areas: [
    {
      id: id(0xe2),
      code: 'A',
      name: '合格品区',
      zone: 'qualified',
      storage: 'normal',
      locations: [{ id: id(0xe3), code: 'A-01', active: true }],
    },
    {
      id: id(0xe4),
      code: 'AC',
      name: '冷藏合格品区',
      zone: 'qualified',
      storage: 'cold_2_8',
      locations: [{ id: id(0xe5), code: 'AC-01', active: true }],
    },
  ],
};

const snapshot = (p: ProductView) => ({
  productId: p.id,
  productCode: p.code,
  productName: p.name,
  model: p.model,
  specification: p.specification,
  deviceClass: p.deviceClass,
  registrant: p.registrant,
  registrantLicenceNo: p.registrantLicenceNo,
  contractManufacturer: p.contractManufacturer,
  contractManufacturerLicenceNo: p.contractManufacturerLicenceNo,
  certificateNo: p.certificateNo,
  unit: '盒',
  storage: p.storage,
});

export const purchaseOrder = (over: Partial<PurchaseOrderView> = {}): PurchaseOrderView => ({
  id: id(0x101),
  number: 'PO-20261129-0001',
  orderDate: '2026-11-29',
  status: 'draft',
  supplierId: supplier.id,
  supplierCode: supplier.code,
  supplierName: supplier.name,
  supplierContact: '王晓红 021-5555 0101',
  warehouseId: warehouse.id,
  warehouseCode: warehouse.code,
  site: 'SH',
  note: null,
  totalFen: 12 * 350_050 + 5 * 1_990,
  created: { name: '孙采购', at: '2026-11-29T02:00:00.000Z' },
  submitted: null,
  approved: null,
  returned: null,
  cancelled: null,
  closed: null,
  lines: [
    {
      id: id(0x111),
      lineNo: 1,
      ...snapshot(stent),
      quantity: 12,
      unitPriceFen: 350_050,
      amountFen: 12 * 350_050,
      receivedQuantity: 0,
    },
    {
      id: id(0x112),
      lineNo: 2,
      ...snapshot(ivd),
      quantity: 5,
      unitPriceFen: 1_990,
      amountFen: 5 * 1_990,
      receivedQuantity: 0,
    },
  ],
  receipts: [],
  ...over,
});

export const acceptance = (over: Partial<AcceptanceView> = {}): AcceptanceView => ({
  id: id(0x201),
  number: 'YS-20261129-0001',
  status: 'open',
  receiptId: id(0x202),
  receiptNumber: 'RC-20261129-0001',
  orderId: id(0x101),
  orderNumber: 'PO-20261129-0001',
  warehouseId: warehouse.id,
  purchaseDate: '2026-11-29',
  deliverySlipNo: 'SX-20261129-001',
  transportMode: 'carrier',
  coldChain: null,
  supplier: { id: supplier.id, name: supplier.name, address: supplier.address, contact: '王晓红 021-5555 0101' },
  lines: [
    {
      receiptLineId: id(0x211),
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      model: stent.model,
      specification: stent.specification,
      unit: '盒',
      certificateNo: stent.certificateNo,
      registrant: stent.registrant,
      registrantLicenceNo: stent.registrantLicenceNo,
      contractManufacturer: null,
      contractManufacturerLicenceNo: null,
      received: 3,
      identified: 0,
      conclusion: null,
      accepted: null,
      rejected: null,
      nonConformity: null,
      disposition: null,
      lots: [],
    },
  ],
  note: null,
  inspector: null,
  ...over,
});

export const salesOrder = (over: Partial<OrderView> = {}): OrderView => ({
  id: id(0x301),
  orderNo: 'SO-20261129-0001',
  status: 'draft',
  customer: { id: hospital.id, code: hospital.code, name: hospital.name },
  warehouse: { id: warehouse.id, code: warehouse.code, site: 'SH' },
  delivery: { address: '示例市中山路 100 号 设备科库房', contact: '刘院长', phone: null },
  lines: [
    {
      id: id(0x311),
      lineNo: 1,
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      model: stent.model,
      specification: stent.specification,
      registrant: stent.registrant,
      contractManufacturer: null,
      manufacturerLicenceNo: stent.registrantLicenceNo,
      certificateNo: stent.certificateNo,
      unit: '盒',
      storage: 'normal',
      quantity: 4,
      unitPrice: 12_500,
      amount: 50_000,
      allocated: 0,
      scanned: 0,
    },
  ],
  totalAmount: 50_000,
  allocations: [],
  remarks: null,
  createdByName: '何销售',
  createdAt: '2026-11-29T02:00:00.000Z',
  confirmedByName: null,
  confirmedAt: null,
  review: null,
  shipment: null,
  cancelledAt: null,
  cancelledByName: null,
  cancelReason: null,
  ...over,
});
