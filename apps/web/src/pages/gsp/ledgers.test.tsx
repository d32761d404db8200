import type { StockRow } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { button, findButton, id, session, stent, supplier, warehouse } from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';

const SLOW = { timeout: 60_000 };

const reviewRow = {
  reviewedAt: '2026-11-29T02:00:00.000Z',
  outboundDate: '2026-11-29',
  orderNo: 'SO-20261129-0001',
  buyerName: '示例市第一人民医院',
  productName: stent.name,
  model: stent.model,
  specification: stent.specification,
  registrant: stent.registrant,
  contractManufacturer: null,
  certificateNo: stent.certificateNo,
  lot: 'LOT-1',
  serial: null,
  expiryDate: '2028-12-31',
  unit: '盒',
  quantity: 4,
  udi: null,
  conclusion: 'passed',
  refusalReason: null,
  reviewerName: '秦复核',
};

/** Catches file downloads: the anchor's download name and the fetched URLs. */
function catchDownloads() {
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:test'), revokeObjectURL: vi.fn() }));
  const clicked: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  });
  return clicked;
}

describe('GSP ledgers page', SLOW, () => {
  it('AC-01 GSP-01 VAL-06 shows the ledgers the user may read, filters on the server and exports xlsx and PDF with the filters; the row limit is explained', async () => {
    const searches: string[] = [];
    const exports: string[] = [];
    mockApi({
      'GET /api/v1/session': session(['sales.ledger.read', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/master-data/parties': { status: 200, body: { total: 0, parties: [] } },
      'GET /api/v1/sales/ledgers/outbound-reviews': (_init, url) => {
        searches.push(url.search);
        return { status: 200, body: { rows: [reviewRow], truncated: true } };
      },
      'GET /api/v1/sales/ledgers/outbound-reviews/export': (_init, url) => {
        exports.push(url.search);
        return url.searchParams.get('format') === 'pdf'
          ? {
              status: 422,
              body: { code: 'export_too_large', message: 'more than 5000 rows', requestId: 'req-1' },
            }
          : { status: 200, body: {} };
      },
    });
    const clicked = catchDownloads();
    renderApp('/gsp/ledgers');
    // Only the sales-module ledgers: no purchase or inbound tab without their permissions.
    expect(await screen.findByText('出库复核记录', { selector: '.ant-tabs-tab-btn' })).toBeTruthy();
    expect(screen.getByText('销售记录', { selector: '.ant-tabs-tab-btn' })).toBeTruthy();
    expect(screen.getByText('购进退出记录', { selector: '.ant-tabs-tab-btn' })).toBeTruthy();
    expect(screen.queryByText('采购记录', { selector: '.ant-tabs-tab-btn' })).toBeNull();
    expect(screen.queryByText('温湿度记录', { selector: '.ant-tabs-tab-btn' })).toBeNull();
    // The menu entry is there too.
    expect(screen.getAllByText('GSP 台账').length).toBeGreaterThan(0);

    // Rows with their coded values in words; the truncation is explained.
    expect(await screen.findByText('SO-20261129-0001')).toBeTruthy();
    expect(screen.getByText('通过')).toBeTruthy();
    expect(screen.getByText(/只显示前 1000 行/)).toBeTruthy();
    expect(searches[0]).toBe('');

    fireEvent.change(screen.getByLabelText('批号'), { target: { value: ' LOT-1 ' } });
    fireEvent.click(button(document.body, '查询'));
    await waitFor(() => expect(searches.at(-1)).toBe('?lot=LOT-1'));

    fireEvent.click(button(document.body, '导出 Excel'));
    await waitFor(() => expect(clicked).toEqual(['出库复核记录.xlsx']));
    expect(exports[0]).toBe('?format=xlsx&lot=LOT-1');
    fireEvent.click(button(document.body, '导出 PDF'));
    expect(await screen.findByText('导出的记录超过了上限，请缩小日期范围或增加筛选条件后再导出。')).toBeTruthy();
    expect(exports[1]).toBe('?format=pdf&lot=LOT-1');
    expect(clicked).toHaveLength(1);
  });

  it('shows in English the column headers and tab names of the ledger', async () => {
    window.localStorage.setItem('medledger.lang', 'en');
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/inventory/ledgers/inbound': {
        status: 200,
        body: {
          truncated: false,
          rows: [
            {
              inboundDate: '2026-11-29',
              at: '2026-11-29 10:00:00',
              kind: 'putaway',
              productName: stent.name,
              model: stent.model,
              specification: stent.specification,
              certificateNo: stent.certificateNo,
              registrant: stent.registrant,
              lot: 'LOT-9',
              serial: null,
              expiryDate: '2028-12-31',
              warehouseCode: 'WH-SH',
              locationCode: 'A-01',
              zone: 'qualified',
              quantity: 20,
              docType: 'procurement_acceptance',
              actorName: '王验收',
            },
          ],
        },
      },
    });
    try {
      renderApp('/gsp/ledgers');
      expect(await screen.findByText('Inbound record', { selector: '.ant-tabs-tab-btn' })).toBeTruthy();
      expect(screen.getByText('Temperature and humidity record', { selector: '.ant-tabs-tab-btn' })).toBeTruthy();
      expect(await screen.findByText('LOT-9')).toBeTruthy();
      expect(screen.getByText('Put-away')).toBeTruthy();
      expect(screen.getByText('Qualified')).toBeTruthy();
      expect(screen.getAllByText('Inbound date', { selector: 'th' })).toHaveLength(1);
      expect(screen.getByText('Export PDF', { selector: 'button span' })).toBeTruthy();
    } finally {
      window.localStorage.removeItem('medledger.lang');
    }
  });
});

describe('returns and disposals screens', SLOW, () => {
  it('AC-02 customer returns are listed with their status and filtered on the server', async () => {
    const searches: string[] = [];
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/sales/returns': (_init, url) => {
        searches.push(url.search);
        return {
          status: 200,
          body: {
            total: 1,
            returns: [
              {
                id: id(0x701),
                returnNo: 'RT-20261129-0001',
                returnDate: '2026-11-29',
                status: 'received',
                customerName: '示例市第一人民医院',
                orderNo: 'SO-20261128-0003',
                shipmentNo: 'SH-20261128-0002',
                warehouseCode: 'WH-SH',
                reason: '包装破损',
                units: 2,
                receivedByName: '马仓储',
                inspectorName: null,
              },
            ],
          },
        };
      },
    });
    renderApp('/sales/returns');
    expect(await screen.findByText('RT-20261129-0001')).toBeTruthy();
    expect(screen.getByText('待验收')).toBeTruthy();
    expect(screen.getByText('SH-20261128-0002')).toBeTruthy();
    // Without sales.return.receive there is no button to receive one.
    expect(screen.queryByText('登记销售退回', { selector: 'button span' })).toBeNull();
    fireEvent.mouseDown(screen.getByLabelText('状态'));
    fireEvent.click(await screen.findByText('已验收', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(searches.at(-1)).toBe('?page=1&status=inspected&pageSize=50'));
  });

  it('GSP art. 107 a return to a supplier is recorded from stock with its transport, and viewed', async () => {
    const posted: unknown[] = [];
    const stockRow: StockRow = {
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      lotId: id(0x401),
      lot: 'LOTN',
      serial: null,
      expiryDate: '2028-12-31',
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      locationId: id(0xe3),
      locationCode: 'N-01',
      zone: 'nonconforming',
      quantity: 5,
      state: 'not_qualified',
      holdReason: null,
    };
    const view = {
      id: id(0x801),
      returnNo: 'SR-20261129-0001',
      supplier: { id: supplier.id, code: supplier.code, name: supplier.name },
      warehouseCode: 'WH-SH',
      reason: '包装破损退回',
      transport: { mode: 'carrier', carrier: '示例快运', waybillNo: 'SF1', vehiclePlate: null, driver: null },
      returnedAt: '2026-11-29T02:00:00.000Z',
      returnDate: '2026-11-29',
      returnedByName: '马仓储',
      lines: [
        {
          productName: stent.name,
          model: stent.model,
          specification: stent.specification,
          certificateNo: stent.certificateNo,
          lot: 'LOTN',
          serial: null,
          expiryDate: '2028-12-31',
          zone: 'nonconforming',
          quantity: 3,
        },
      ],
    };
    mockApi({
      'GET /api/v1/session': session([
        'sales.order.read',
        'sales.supplierReturn.create',
        'inventory.stock.read',
        'master-data.record.read',
      ]),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/parties': { status: 200, body: { total: 1, parties: [supplier] } },
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: {
          today: '2026-11-29',
          nearExpiryDays: 90,
          truncated: false,
          rows: [stockRow, { ...stockRow, lotId: id(0x402), lot: 'LOTQ', zone: 'quarantine' }],
        },
      },
      'GET /api/v1/sales/supplier-returns': {
        status: 200,
        body: {
          total: 1,
          supplierReturns: [
            {
              id: view.id,
              returnNo: view.returnNo,
              returnDate: view.returnDate,
              supplierName: supplier.name,
              warehouseCode: 'WH-SH',
              reason: view.reason,
              mode: 'carrier',
              units: 3,
              returnedByName: '马仓储',
            },
          ],
        },
      },
      [`GET /api/v1/sales/supplier-returns/${id(0x801)}`]: { status: 200, body: { supplierReturn: view } },
      'POST /api/v1/sales/supplier-returns': (init) => {
        posted.push(JSON.parse(init?.body as string));
        return { status: 201, body: { supplierReturn: view } };
      },
    });
    renderApp('/sales/supplier-returns');
    expect(await screen.findByText('SR-20261129-0001')).toBeTruthy();
    fireEvent.click(button(document.body, '查看'));
    const detail = (await screen.findByText('购进退出 SR-20261129-0001')).closest<HTMLElement>('.ant-drawer')!;
    expect(await within(detail).findByText('委托承运 示例快运 SF1')).toBeTruthy();
    expect(within(detail).getByText('LOTN')).toBeTruthy();
    fireEvent.click(within(detail).getByLabelText('关闭'));

    fireEvent.click(button(document.body, '新建购进退出'));
    const drawer = (await screen.findByText('新建购进退出', { selector: '.ant-drawer-title' })).closest<HTMLElement>(
      '.ant-drawer',
    )!;
    fireEvent.mouseDown(within(drawer).getByLabelText('供货者'));
    fireEvent.click(
      await screen.findByText(`${supplier.code} ${supplier.name}`, { selector: '.ant-select-item-option-content' }),
    );
    fireEvent.change(within(drawer).getByLabelText('原因'), { target: { value: '包装破损退回' } });
    fireEvent.change(within(drawer).getByLabelText('承运单位'), { target: { value: '示例快运' } });
    fireEvent.change(within(drawer).getByLabelText('运单号'), { target: { value: 'SF1' } });
    fireEvent.click(button(drawer, '提交'));
    expect(await within(drawer).findByText('请先选择仓库。')).toBeTruthy();
    fireEvent.mouseDown(within(drawer).getByLabelText('仓库'));
    fireEvent.click(await screen.findByText('WH-SH 上海仓', { selector: '.ant-select-item-option-content' }));
    // Quarantine stock is not offered; nonconforming is.
    expect(await within(drawer).findByText('N-01')).toBeTruthy();
    expect(within(drawer).queryByText('LOTQ')).toBeNull();
    fireEvent.click(button(drawer, '提交'));
    expect(await within(drawer).findByText('请至少填写一行退货数量。')).toBeTruthy();
    const qty = within(drawer).getByLabelText('本次数量 LOTN N-01');
    fireEvent.change(qty, { target: { value: '3' } });
    fireEvent.blur(qty);
    fireEvent.click(button(drawer, '提交'));
    await waitFor(
      () =>
        expect(posted).toEqual([
          {
            supplierId: supplier.id,
            reason: '包装破损退回',
            transport: { mode: 'carrier', carrier: '示例快运', waybillNo: 'SF1' },
            items: [{ lotId: id(0x401), locationId: id(0xe3), quantity: 3 }],
          },
        ]),
      { timeout: 10_000 },
    );
    expect(await screen.findByText('已登记购进退出 SR-20261129-0001。')).toBeTruthy();
  });

  it('GSP art. 76 disposal records are listed and viewed with their witnesses; only QA may record one', async () => {
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/sales/disposals': {
        status: 200,
        body: {
          total: 1,
          disposals: [
            {
              id: id(0x901),
              disposalNo: 'DP-20261129-0001',
              disposalDate: '2026-11-29',
              warehouseCode: 'WH-SH',
              method: '焚烧',
              reason: '过期',
              units: 3,
              signerName: '孙质量',
            },
          ],
        },
      },
      [`GET /api/v1/sales/disposals/${id(0x901)}`]: {
        status: 200,
        body: {
          disposal: {
            id: id(0x901),
            disposalNo: 'DP-20261129-0001',
            warehouseCode: 'WH-SH',
            method: '焚烧',
            reason: '过期',
            witnesses: ['甲监销', '乙监销'],
            disposalDate: '2026-11-29',
            disposedAt: '2026-11-29T02:00:00.000Z',
            signerName: '孙质量',
            signatureId: id(0x902),
            lines: [],
          },
        },
      },
    });
    renderApp('/sales/disposals');
    expect(await screen.findByText('DP-20261129-0001')).toBeTruthy();
    expect(screen.queryByText('登记销毁', { selector: 'button span' })).toBeNull();
    fireEvent.click(button(document.body, '查看'));
    const detail = (await screen.findByText('销毁记录 DP-20261129-0001')).closest<HTMLElement>('.ant-drawer')!;
    expect(await within(detail).findByText('甲监销、乙监销')).toBeTruthy();
  });
});

describe('disposal with an electronic signature', SLOW, () => {
  it('GSP-04 QA records the destruction of nonconforming stock with witnesses and a signature', async () => {
    const posted: unknown[] = [];
    const nonconforming: StockRow = {
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      lotId: id(0x401),
      lot: 'LOTX',
      serial: null,
      expiryDate: '2025-01-31',
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      locationId: id(0xe9),
      locationCode: 'N-01',
      zone: 'nonconforming',
      quantity: 3,
      state: 'expired',
      holdReason: null,
    };
    mockApi({
      'GET /api/v1/session': session(
        ['sales.order.read', 'sales.disposal.create', 'inventory.stock.read', 'master-data.record.read'],
        '孙质量',
      ),
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: {
          today: '2026-11-29',
          nearExpiryDays: 90,
          truncated: false,
          rows: [nonconforming, { ...nonconforming, lotId: id(0x402), lot: 'LOTA', zone: 'qualified' }],
        },
      },
      'GET /api/v1/sales/disposals': { status: 200, body: { total: 0, disposals: [] } },
      'POST /api/v1/sales/disposals': (init) => {
        posted.push(JSON.parse(init?.body as string));
        return {
          status: 201,
          body: {
            disposal: {
              id: id(0x901),
              disposalNo: 'DP-20261129-0001',
              warehouseCode: 'WH-SH',
              method: '焚烧',
              reason: '过期',
              witnesses: ['甲监销', '乙监销'],
              disposalDate: '2026-11-29',
              disposedAt: '2026-11-29T02:00:00.000Z',
              signerName: '孙质量',
              signatureId: id(0x902),
              lines: [],
            },
          },
        };
      },
    });
    renderApp('/sales/disposals');
    fireEvent.click(await findButton(document.body, '登记销毁'));
    const drawer = (await screen.findByText('登记销毁', { selector: '.ant-drawer-title' })).closest<HTMLElement>(
      '.ant-drawer',
    )!;
    fireEvent.change(within(drawer).getByLabelText('销毁方法'), { target: { value: '焚烧' } });
    fireEvent.change(within(drawer).getByLabelText('销毁原因'), { target: { value: '过期' } });
    fireEvent.change(within(drawer).getByLabelText('监销人（至少 2 人，用逗号分隔）'), { target: { value: '甲监销' } });
    fireEvent.click(button(drawer, '签名并登记'));
    expect(await within(drawer).findByText('请填写至少 2 名监销人。')).toBeTruthy();
    fireEvent.change(within(drawer).getByLabelText('监销人（至少 2 人，用逗号分隔）'), {
      target: { value: '甲监销，乙监销' },
    });
    fireEvent.mouseDown(within(drawer).getByLabelText('仓库'));
    fireEvent.click(await screen.findByText('WH-SH 上海仓', { selector: '.ant-select-item-option-content' }));
    // Only nonconforming stock can be destroyed.
    expect(await within(drawer).findByText('LOTX')).toBeTruthy();
    expect(within(drawer).queryByText('LOTA')).toBeNull();
    const qty = within(drawer).getByLabelText('本次数量 LOTX N-01');
    fireEvent.change(qty, { target: { value: '3' } });
    fireEvent.blur(qty);
    fireEvent.click(button(drawer, '签名并登记'));
    const sign = (
      await screen.findByText('电子签名：不合格品销毁', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    expect(within(sign).getByText(/3 件不合格品/)).toBeTruthy();
    fireEvent.change(await within(sign).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '778899' },
    });
    fireEvent.click(button(sign, '签名并登记'));
    await waitFor(
      () =>
        expect(posted).toEqual([
          {
            method: '焚烧',
            reason: '过期',
            witnesses: ['甲监销', '乙监销'],
            items: [{ lotId: id(0x401), locationId: id(0xe9), quantity: 3 }],
            code: '778899',
          },
        ]),
      { timeout: 10_000 },
    );
    expect(await screen.findByText('已登记销毁记录 DP-20261129-0001。')).toBeTruthy();
  });
});

describe('stock transfer and reversal', SLOW, () => {
  it('a permitted user moves stock within its zone and reverses a movement from the lot ledger with a reason', async () => {
    const transfers: unknown[] = [];
    const reversals: unknown[] = [];
    const row: StockRow = {
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      lotId: id(0x401),
      lot: 'LOTA',
      serial: null,
      expiryDate: '2028-12-31',
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      locationId: id(0xe3),
      locationCode: 'A-01',
      zone: 'qualified',
      quantity: 20,
      state: 'available',
      holdReason: null,
    };
    mockApi({
      'GET /api/v1/session': session([
        'inventory.stock.read',
        'inventory.stock.move',
        'inventory.movement.reverse',
        'master-data.record.read',
      ]),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: { today: '2026-11-29', nearExpiryDays: 90, rows: [row], truncated: false },
      },
      'POST /api/v1/inventory/transfers': (init) => {
        transfers.push(JSON.parse(init?.body as string));
        return { status: 201, body: { ok: true } };
      },
      'GET /api/v1/inventory/movements': {
        status: 200,
        body: {
          movements: [
            {
              seq: 7,
              id: id(0x411),
              at: '2026-11-29T02:00:00.000Z',
              kind: 'transfer',
              productId: stent.id,
              lotId: id(0x401),
              lot: 'LOTA',
              serial: null,
              locationId: id(0xe5),
              locationCode: 'AC-01',
              zone: 'qualified',
              quantity: 5,
              docType: 'transfer',
              docId: id(0x412),
              reversalOf: null,
              reversedBy: null,
              actorName: '马仓储',
              note: null,
            },
          ],
        },
      },
      [`POST /api/v1/inventory/movements/${id(0x411)}/reversal`]: (init) => {
        reversals.push(JSON.parse(init?.body as string));
        return { status: 201, body: { reversalId: id(0x413) } };
      },
    });
    renderApp('/inventory');
    fireEvent.click(await findButton(document.body, '移库'));
    const dialog = (await screen.findByText('移库：LOTA')).closest<HTMLElement>('.ant-modal')!;
    fireEvent.mouseDown(within(dialog).getByLabelText('目标货位'));
    // Only the other location of the same warehouse and zone is offered.
    fireEvent.click(await screen.findByText('AC / AC-01', { selector: '.ant-select-item-option-content' }));
    const qty = within(dialog).getByLabelText('数量');
    fireEvent.change(qty, { target: { value: '5' } });
    fireEvent.blur(qty);
    fireEvent.click(button(dialog, '移库'));
    await waitFor(() =>
      expect(transfers).toEqual([{ lotId: id(0x401), fromLocationId: id(0xe3), toLocationId: id(0xe5), quantity: 5 }]),
    );
    expect(await screen.findByText('已移库。')).toBeTruthy();

    fireEvent.click(button(document.body, '流水'));
    const drawer = (await screen.findByText('批号 LOTA 的出入库流水')).closest<HTMLElement>('.ant-drawer')!;
    fireEvent.click(await findButton(drawer, '冲销'));
    const modal = (await screen.findByText('冲销流水 #7')).closest<HTMLElement>('.ant-modal')!;
    fireEvent.change(within(modal).getByLabelText('原因'), { target: { value: '移错货位' } });
    fireEvent.click(button(modal, '冲销'));
    await waitFor(() => expect(reversals).toEqual([{ reason: '移错货位' }]));
    expect(await screen.findByText('已冲销。')).toBeTruthy();
  });
});
