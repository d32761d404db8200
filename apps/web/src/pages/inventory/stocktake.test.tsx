import type { MaintenanceDueResponse, StockRow, StocktakeLineView, StocktakeView } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { button, findButton, id, session, STENT_DI, stent, warehouse } from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';

const SLOW = { timeout: 60_000 };

async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  const options = await screen.findAllByText(option, { selector: '.ant-select-item-option-content' });
  fireEvent.click(options.at(-1)!);
}

const line = (over: Partial<StocktakeLineView>): StocktakeLineView => ({
  id: id(0x601),
  lineNo: 1,
  productId: stent.id,
  productCode: stent.code,
  productName: stent.name,
  lotId: id(0x701),
  lot: 'LOTA',
  serial: null,
  expiryDate: '2028-12-31',
  locationId: id(0xe3),
  locationCode: 'A-01',
  zone: 'qualified',
  held: false,
  onBook: true,
  bookQuantity: 5,
  countedQuantity: null,
  variance: null,
  countedByName: null,
  countedAt: null,
  bookChanged: false,
  ...over,
});

const stocktake = (over: Partial<StocktakeView> = {}): StocktakeView => ({
  id: id(0x600),
  number: 'PD-20261129-0001',
  status: 'counting',
  warehouseId: warehouse.id,
  warehouseCode: warehouse.code,
  areaId: null,
  areaCode: null,
  site: 'SH',
  note: null,
  round: 0,
  opened: { name: '赵仓管', at: '2026-11-29T02:00:00.000Z' },
  submitted: null,
  rejected: null,
  cancelled: null,
  approved: null,
  lines: [
    line({ countedQuantity: 4, variance: -1, countedByName: '赵仓管' }),
    line({ id: id(0x602), lineNo: 2, lot: 'LOTB', bookQuantity: 3, countedQuantity: 5, variance: 2 }),
    line({
      id: id(0x603),
      lineNo: 3,
      lot: 'LOTC',
      bookQuantity: 2,
      countedQuantity: 2,
      variance: 0,
      bookChanged: true,
    }),
    line({ id: id(0x604), lineNo: 4, lot: 'LOTD', bookQuantity: 7 }),
    line({ id: id(0x605), lineNo: 5, lot: 'LOTF', onBook: false, bookQuantity: 0, countedQuantity: 10, variance: 10 }),
  ],
  totals: { lines: 5, counted: 4, gain: 12, loss: 1, changed: 1 },
  ...over,
});

const passkeys = { status: 200, body: { passkeys: [], totpEnrolled: true } };

describe('stocktake and maintenance screens', SLOW, () => {
  it('GSP art. 77 the list shows stocktakes by status; a keeper opens one for an area and lands on it; the menu offers stocktakes and maintenance to stock readers', async () => {
    const opened: unknown[] = [];
    const st = stocktake();
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.stocktake.count']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/inventory/stocktakes': {
        status: 200,
        body: {
          stocktakes: [
            {
              id: id(0x610),
              number: 'PD-20261128-0001',
              status: 'approved',
              warehouseCode: 'WH-SH',
              areaCode: 'AC',
              openedByName: '赵仓管',
              openedAt: '2026-11-28T02:00:00.000Z',
              round: 1,
            },
          ],
        },
      },
      'POST /api/v1/inventory/stocktakes': (init) => {
        opened.push(JSON.parse(init?.body as string));
        return { status: 201, body: { stocktake: st } };
      },
      [`GET /api/v1/inventory/stocktakes/${st.id}`]: { status: 200, body: { stocktake: st } },
    });
    const { router } = renderApp('/inventory/stocktakes');
    const tag = await screen.findByText('已审核过账');
    expect(tag.className).toContain('green');
    expect(within(tag.closest('tr')!).getByText('WH-SH / AC')).toBeTruthy();
    expect(screen.getByText('盘点', { selector: '.ant-menu-title-content' })).toBeTruthy();
    expect(screen.getByText('在库养护', { selector: '.ant-menu-title-content' })).toBeTruthy();
    await choose('仓库', 'WH-SH 上海仓');
    await choose('库区', 'AC 冷藏合格品区');
    fireEvent.click(button(document.body, '发起并记录账面'));
    await waitFor(() => expect(opened).toEqual([{ warehouseId: warehouse.id, areaId: id(0xe4) }]));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/inventory/stocktakes/${st.id}`));
  });

  it('GSP art. 77 the keeper sees variances by colour and changed books, counts by typing and scanning at a location, and submits', async () => {
    const st = stocktake();
    const counts: unknown[] = [];
    const scans: unknown[] = [];
    let submitted = 0;
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.stocktake.count']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      [`GET /api/v1/inventory/stocktakes/${st.id}`]: { status: 200, body: { stocktake: st } },
      [`POST /api/v1/inventory/stocktakes/${st.id}/counts`]: (init) => {
        counts.push(JSON.parse(init?.body as string));
        return { status: 200, body: { stocktake: st } };
      },
      [`POST /api/v1/inventory/stocktakes/${st.id}/scans`]: (init) => {
        scans.push(JSON.parse(init?.body as string));
        return { status: 200, body: { stocktake: st } };
      },
      [`POST /api/v1/inventory/stocktakes/${st.id}/submit`]: () => {
        submitted += 1;
        return {
          status: 409,
          body: { code: 'conflict', message: '1 line(s) not counted yet (first: line 4)', requestId: 'req-1' },
        };
      },
    });
    renderApp(`/inventory/stocktakes/${st.id}`);
    expect(await screen.findByText('盘点单 PD-20261129-0001', { exact: false, selector: 'h2' })).toBeTruthy();
    const varianceOf = (lot: string) =>
      within(screen.getByText(lot).closest('tr')!).getByText(/./, { selector: '[data-variance]' });
    expect(varianceOf('LOTA').className).toContain('red');
    expect(varianceOf('LOTA').textContent).toBe('-1');
    expect(varianceOf('LOTB').className).toContain('blue');
    expect(varianceOf('LOTB').textContent).toBe('+2');
    expect(varianceOf('LOTC').className).toContain('green');
    expect(varianceOf('LOTD').textContent).toBe('未盘');
    expect(within(screen.getByText('LOTF').closest('tr')!).getByText('盘盈（账外）')).toBeTruthy();
    expect(within(screen.getByText('LOTC').closest('tr')!).getByTestId('line-changed').textContent).toBe(
      '账面已变动，请复盘',
    );
    expect(screen.getByTestId('book-changed')).toBeTruthy();

    const field = screen.getByLabelText('第 4 行实盘数量');
    fireEvent.change(field, { target: { value: '6' } });
    fireEvent.blur(field);
    await waitFor(() => expect(counts).toEqual([{ lineId: id(0x604), countedQuantity: 6 }]));

    await choose('扫码所在货位', 'A / A-01');
    const scanField = screen.getByLabelText<HTMLInputElement>('扫描 UDI（每扫一次计入对应单位数量）');
    const raw = `01${STENT_DI}1728123110LOTA`;
    fireEvent.change(scanField, { target: { value: raw } });
    fireEvent.keyDown(scanField, { key: 'Enter', code: 'Enter' });
    fireEvent.keyDown(scanField, { key: 'Enter', code: 'Enter', ctrlKey: true });
    await waitFor(() => expect(scans).toEqual([{ locationId: id(0xe3), scans: [raw] }]));

    fireEvent.click(button(document.body, '提交审核'));
    await waitFor(() => expect(submitted).toBe(1));
    expect(await screen.findByText(/1 line\(s\) not counted yet/)).toBeTruthy();
    // Keepers get no approval buttons.
    expect(screen.queryByText('签名审核通过', { selector: 'button span' })).toBeNull();
  });

  it('ATK-LOGIC a keeper cancels a stocktake opened by mistake, with a reason; the cancelled stocktake says who and why and offers no counting', async () => {
    const st = stocktake();
    const cancellations: unknown[] = [];
    let current = st;
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.stocktake.count']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      [`GET /api/v1/inventory/stocktakes/${st.id}`]: () => ({ status: 200, body: { stocktake: current } }),
      [`POST /api/v1/inventory/stocktakes/${st.id}/cancel`]: (init) => {
        const body = JSON.parse(init?.body as string) as { reason: string };
        cancellations.push(body);
        current = {
          ...st,
          status: 'cancelled',
          cancelled: { name: '王仓管', at: '2026-11-29T03:00:00.000Z', reason: body.reason },
        };
        return { status: 200, body: { stocktake: current } };
      },
    });
    renderApp(`/inventory/stocktakes/${st.id}`);
    expect(await screen.findByText('盘点单 PD-20261129-0001', { exact: false, selector: 'h2' })).toBeTruthy();
    fireEvent.click(button(document.body, '作废本次盘点…'));
    const modal = (await screen.findByText('作废本次盘点', { selector: '.ant-modal-title' })).closest<HTMLElement>(
      '.ant-modal',
    )!;
    fireEvent.change(within(modal).getByLabelText('原因'), { target: { value: '开错仓库' } });
    fireEvent.click(button(modal, '作废盘点'));
    await waitFor(() => expect(cancellations).toEqual([{ reason: '开错仓库' }]));
    const notice = await screen.findByTestId('stocktake-cancelled');
    expect(notice.textContent).toContain('已由 王仓管 作废');
    expect(notice.textContent).toContain('开错仓库');
    expect(screen.getByText('已作废', { selector: '[data-status]' })).toBeTruthy();
    expect(screen.queryByText('提交审核', { selector: 'button span' })).toBeNull();
  });

  it('GSP-04 ATK-LOGIC QA approves with a signature; the counter’s own approval is refused with the reason; a recount request needs a reason', async () => {
    const st = stocktake({
      status: 'submitted',
      submitted: { name: '赵仓管', at: '2026-11-29T03:00:00.000Z' },
      lines: stocktake().lines.map((l) => ({
        ...l,
        bookChanged: false,
        countedQuantity: l.countedQuantity ?? 7,
        variance: l.variance ?? 0,
      })),
      totals: { lines: 5, counted: 5, gain: 12, loss: 1, changed: 0 },
    });
    const approvals: unknown[] = [];
    const rejections: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.stocktake.approve'], '孙质量'),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/auth/passkeys': passkeys,
      [`GET /api/v1/inventory/stocktakes/${st.id}`]: { status: 200, body: { stocktake: st } },
      [`POST /api/v1/inventory/stocktakes/${st.id}/approve`]: (init) => {
        approvals.push(JSON.parse(init?.body as string));
        return {
          status: 403,
          body: {
            code: 'forbidden',
            message:
              'You opened, counted or submitted stocktake PD-20261129-0001: another person (QA) must decide its variances.',
            requestId: 'req-sod',
          },
        };
      },
      [`POST /api/v1/inventory/stocktakes/${st.id}/reject`]: (init) => {
        rejections.push(JSON.parse(init?.body as string));
        return { status: 200, body: { stocktake: { ...st, status: 'counting', round: 1 } } };
      },
    });
    renderApp(`/inventory/stocktakes/${st.id}`);
    // No counting inputs once submitted.
    expect(await findButton(document.body, '签名审核通过')).toBeTruthy();
    expect(screen.queryByLabelText('第 1 行实盘数量')).toBeNull();
    fireEvent.change(screen.getByLabelText('备注'), { target: { value: '差异已核实' } });
    fireEvent.click(button(document.body, '签名审核通过'));
    const dialog = (
      await screen.findByText('电子签名：审核盘点差异', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    expect(within(dialog).getByText(/盘盈 12，盘亏 1/)).toBeTruthy();
    fireEvent.change(await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '123456' },
    });
    fireEvent.click(button(dialog, '签名并过账'));
    await waitFor(() => expect(approvals).toEqual([{ note: '差异已核实', code: '123456' }]));
    expect(await within(dialog).findByText(/another person \(QA\) must decide its variances/)).toBeTruthy();
    fireEvent.click(within(dialog).getAllByLabelText('关闭')[0]!);

    fireEvent.click(button(document.body, '退回重盘'));
    const modal = (await screen.findByText('退回重盘', { selector: '.ant-modal-title' })).closest<HTMLElement>(
      '.ant-modal',
    )!;
    fireEvent.click(button(modal, '退回重盘'));
    expect(await within(modal).findByText('请填写原因（至少 2 个字）。')).toBeTruthy();
    expect(rejections).toEqual([]);
    fireEvent.change(within(modal).getByLabelText('原因'), { target: { value: '第 3 行复盘' } });
    fireEvent.click(button(modal, '退回重盘'));
    await waitFor(() => expect(rejections).toEqual([{ reason: '第 3 行复盘' }]));
  });

  it('GSP art. 74 the due-list, missing morning / afternoon climate records, and a signed check that marks a suspect lot', async () => {
    const due: MaintenanceDueResponse = {
      today: '2026-11-30',
      areas: [
        {
          areaId: id(0xe2),
          areaCode: 'A',
          areaName: '合格品区',
          warehouseCode: 'WH-SH',
          storage: 'normal',
          intervalDays: 15,
          reason: 'near_expiry',
          lastCheckedAt: null,
          dueDate: '2026-11-30',
          due: true,
          automaticMonitoring: false,
        },
        {
          areaId: id(0xe4),
          areaCode: 'AC',
          areaName: '冷藏合格品区',
          warehouseCode: 'WH-SH',
          storage: 'cold_2_8',
          intervalDays: 7,
          reason: 'cold_chain',
          lastCheckedAt: '2026-11-29T03:00:00.000Z',
          dueDate: '2026-12-06',
          due: false,
          automaticMonitoring: true,
        },
      ],
      climateGaps: [{ areaId: id(0xe2), areaCode: 'A', warehouseCode: 'WH-SH', day: '2026-11-30', slot: 'morning' }],
    };
    const stockRow = (over: Partial<StockRow>): StockRow => ({
      productId: stent.id,
      productCode: stent.code,
      productName: stent.name,
      lotId: id(0x801),
      lot: 'LOTA',
      serial: null,
      expiryDate: '2027-01-15',
      warehouseId: warehouse.id,
      warehouseCode: warehouse.code,
      locationId: id(0xe3),
      locationCode: 'A-01',
      zone: 'qualified',
      quantity: 5,
      state: 'near_expiry',
      holdReason: null,
      ...over,
    });
    const bodies: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.maintenance.record']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/auth/passkeys': passkeys,
      'GET /api/v1/inventory/maintenance-checks/due': { status: 200, body: due },
      'GET /api/v1/inventory/maintenance-checks': { status: 200, body: { checks: [] } },
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: {
          today: '2026-11-30',
          nearExpiryDays: 90,
          truncated: false,
          rows: [
            stockRow({}),
            stockRow({ lotId: id(0x802), lot: 'LOTB' }),
            stockRow({ lotId: id(0x803), lot: 'LOTCOLD', locationId: id(0xe5), locationCode: 'AC-01' }),
          ],
        },
      },
      'POST /api/v1/inventory/maintenance-checks': (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return {
          status: 201,
          body: {
            check: {
              id: id(0x900),
              areaId: id(0xe2),
              areaCode: 'A',
              warehouseId: warehouse.id,
              warehouseCode: warehouse.code,
              storage: 'normal',
              checklist: {
                storageConditions: true,
                protection: true,
                hygiene: true,
                climateMonitoring: true,
                coldAlarms: null,
              },
              note: null,
              checkedByName: '赵仓管',
              checkedAt: '2026-11-30T05:00:00.000Z',
              signatureId: id(0x901),
              signatureValid: true,
              suspectLots: 1,
              lots: [],
            },
          },
        };
      },
    });
    renderApp('/inventory/maintenance');
    const dueTag = await screen.findByText('应检查（2026-11-30）');
    expect(dueTag.className).toContain('red');
    expect(screen.getByText('每 15 天（有近效期产品）')).toBeTruthy();
    expect(screen.getByText('每 7 天（冷链）')).toBeTruthy();
    const gapRow = screen.getByText('2026-11-30', { selector: 'td' }).closest('tr')!;
    expect(within(gapRow).getByText('上午')).toBeTruthy();

    await choose('库区', 'WH-SH / A 合格品区');
    expect(await screen.findByText('LOTB')).toBeTruthy();
    // Only the lots of the chosen area are listed; the cold-room alarm item is not asked for a normal area.
    expect(screen.queryByText('LOTCOLD')).toBeNull();
    expect(screen.queryByText('冷库及报警装置正常')).toBeNull();
    fireEvent.click(screen.getByLabelText('可疑 LOTB'));
    fireEvent.click(screen.getByLabelText('包装 LOTB'));
    const sign = button(document.body, '签名提交检查记录');
    expect(sign.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('检查情况 LOTB'), { target: { value: '外包装破损' } });
    await waitFor(() => expect(button(document.body, '签名提交检查记录').disabled).toBe(false));
    expect(screen.getByText('1 个批号标记为可疑：签名后立即锁定并通知质量管理人员。')).toBeTruthy();
    fireEvent.click(button(document.body, '签名提交检查记录'));
    const dialog = (
      await screen.findByText('电子签名：在库养护检查', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    fireEvent.change(await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '246810' },
    });
    fireEvent.click(button(dialog, '签名并保存'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      areaId: id(0xe2),
      checklist: {
        storageConditions: true,
        protection: true,
        hygiene: true,
        climateMonitoring: true,
        coldAlarms: null,
      },
      lots: [
        { lotId: id(0x801), appearanceOk: true, packagingOk: true, expiryOk: true, suspect: false },
        {
          lotId: id(0x802),
          appearanceOk: true,
          packagingOk: false,
          expiryOk: true,
          suspect: true,
          finding: '外包装破损',
        },
      ],
      code: '246810',
    });
    expect(await screen.findByTestId('check-recorded')).toBeTruthy();
  });
});
