import type { StockRow } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { button, findButton, id, session, stent, warehouse } from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';

const SLOW = { timeout: 60_000 };

const row = (over: Partial<StockRow>): StockRow => ({
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
  ...over,
});

const ROWS: StockRow[] = [
  row({}),
  row({ lotId: id(0x402), lot: 'LOTN', expiryDate: '2026-12-20', state: 'near_expiry', quantity: 6 }),
  row({ lotId: id(0x403), lot: 'LOTX', expiryDate: '2025-01-31', state: 'expired', quantity: 3 }),
  row({ lotId: id(0x404), lot: 'LOTH', state: 'held', holdReason: '疑似标签错印', quantity: 5 }),
  row({
    lotId: id(0x405),
    lot: 'LOTQ',
    zone: 'quarantine',
    locationId: id(0xe9),
    locationCode: 'Q-01',
    state: 'not_qualified',
    quantity: 2,
  }),
];

describe('stock screens', SLOW, () => {
  it('GSP-03 stock states are tagged by colour (expired red and locked, near expiry orange, held purple, not qualified grey); filters ask the server', async () => {
    const searches: string[] = [];
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/inventory/stock': (_init, url) => {
        searches.push(url.search);
        return { status: 200, body: { today: '2026-11-29', nearExpiryDays: 90, rows: ROWS, truncated: false } };
      },
    });
    renderApp('/inventory');
    expect(await screen.findByText('LOTX')).toBeTruthy();
    const tagOf = (lot: string) =>
      within(screen.getByText(lot).closest('tr')!).getByText(/./, { selector: '[data-state]' });
    expect(tagOf('LOTA').textContent).toBe('可用');
    expect(tagOf('LOTN').className).toContain('orange');
    expect(tagOf('LOTN').textContent).toBe('近效期');
    expect(tagOf('LOTX').className).toContain('red');
    expect(tagOf('LOTX').textContent).toBe('已过期（锁定）');
    expect(within(screen.getByText('LOTX').closest('tr')!).getByText('已过期 2025-01-31')).toBeTruthy();
    expect(tagOf('LOTH').className).toContain('purple');
    expect(within(screen.getByText('LOTH').closest('tr')!).getByText('疑似标签错印')).toBeTruthy();
    expect(tagOf('LOTQ').textContent).toBe('非合格区');
    expect(within(screen.getByText('LOTQ').closest('tr')!).getByText('待验区')).toBeTruthy();
    expect(screen.getByText('今天 2026-11-29；有效期在 90 天内的显示为近效期。')).toBeTruthy();
    // Readers without inventory.lot.hold get no hold buttons.
    expect(screen.queryByText('锁定…', { selector: 'button span' })).toBeNull();

    fireEvent.mouseDown(screen.getByLabelText('库存状态'));
    fireEvent.click(await screen.findByText('已过期（锁定）', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(searches.at(-1)).toBe('?state=expired'));
    fireEvent.mouseDown(screen.getByLabelText('质量区域'));
    fireEvent.click(await screen.findByText('合格品区', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(searches.at(-1)).toBe('?state=expired&zone=qualified'));
    expect(searches[0]).toBe('');
  });

  it('GSP-03 a permitted user holds a lot with a reason; a lot’s ledger shows its movements', async () => {
    const holds: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(
        ['inventory.stock.read', 'inventory.lot.hold', 'master-data.record.read'],
        '李质量',
      ),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: { today: '2026-11-29', nearExpiryDays: 90, rows: [row({})], truncated: false },
      },
      [`POST /api/v1/inventory/lots/${id(0x401)}/hold`]: (init) => {
        holds.push(JSON.parse(init?.body as string));
        return {
          status: 200,
          body: {
            lot: {
              id: id(0x401),
              productId: stent.id,
              lot: 'LOTA',
              serial: null,
              productionDate: null,
              expiryDate: '2028-12-31',
              sterilisationBatch: null,
              holdReason: '供应商召回通知',
            },
          },
        };
      },
      'GET /api/v1/inventory/movements': (_init, url) => {
        expect(url.searchParams.get('lotId')).toBe(id(0x401));
        return {
          status: 200,
          body: {
            movements: [
              {
                seq: 1,
                id: id(0x411),
                at: '2026-11-29T02:00:00.000Z',
                kind: 'receipt',
                productId: stent.id,
                lotId: id(0x401),
                lot: 'LOTA',
                serial: null,
                locationId: id(0xe9),
                locationCode: 'Q-01',
                zone: 'quarantine',
                quantity: 20,
                docType: 'procurement_acceptance',
                docId: id(0x201),
                reversalOf: null,
                reversedBy: null,
                actorName: '王验收',
                note: null,
              },
              {
                seq: 2,
                id: id(0x412),
                at: '2026-11-29T03:00:00.000Z',
                kind: 'putaway',
                productId: stent.id,
                lotId: id(0x401),
                lot: 'LOTA',
                serial: null,
                locationId: id(0xe9),
                locationCode: 'Q-01',
                zone: 'quarantine',
                quantity: -20,
                docType: 'procurement_acceptance',
                docId: id(0x201),
                reversalOf: null,
                reversedBy: null,
                actorName: '王验收',
                note: null,
              },
            ],
          },
        };
      },
    });
    renderApp('/inventory');
    fireEvent.click(await findButton(document.body, '流水'));
    const drawer = (await screen.findByText('批号 LOTA 的出入库流水')).closest<HTMLElement>('.ant-drawer')!;
    expect(await within(drawer).findByText('收货入待验')).toBeTruthy();
    expect(within(drawer).getByText('+20')).toBeTruthy();
    expect(within(drawer).getByText('-20')).toBeTruthy();

    fireEvent.click(button(document.body, '锁定…'));
    const dialog = (await screen.findByText('质量锁定批号 LOTA（暂停销售）')).closest<HTMLElement>('.ant-modal')!;
    fireEvent.click(button(dialog, '锁定…'));
    expect(await within(dialog).findByText('请填写原因（至少 2 个字）。')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('原因'), { target: { value: '供应商召回通知' } });
    fireEvent.click(button(dialog, '锁定…'));
    await waitFor(() => expect(holds).toEqual([{ reason: '供应商召回通知' }]));
    expect(await screen.findByText('已锁定批号 LOTA。')).toBeTruthy();
  });

  it('GSP art. 74 a climate reading outside the area’s storage condition is flagged', async () => {
    const readings: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read', 'inventory.climate.record', 'master-data.record.read']),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'GET /api/v1/inventory/climate': { status: 200, body: { records: [] } },
      'POST /api/v1/inventory/climate': (init) => {
        const body = JSON.parse(init?.body as string) as { areaId: string; temperature: number; humidity: number };
        readings.push(body);
        return {
          status: 201,
          body: {
            record: {
              id: id(0x501),
              areaId: body.areaId,
              at: '2026-11-29T08:00:00.000Z',
              temperature: body.temperature,
              humidity: body.humidity,
              outOfRange: true,
              recordedByName: '赵仓管',
              note: null,
            },
          },
        };
      },
    });
    renderApp('/inventory/climate');
    fireEvent.mouseDown(await screen.findByLabelText('库区'));
    fireEvent.click(
      await screen.findByText('WH-SH / AC 冷藏合格品区（合格品区 · 冷藏 2–8 ℃）', {
        selector: '.ant-select-item-option-content',
      }),
    );
    fireEvent.change(screen.getByLabelText('温度（℃）'), { target: { value: '9.5' } });
    fireEvent.change(screen.getByLabelText('相对湿度（%）'), { target: { value: '60' } });
    fireEvent.click(button(document.body, '记录'));
    await waitFor(() => expect(readings).toEqual([{ areaId: id(0xe4), temperature: 9.5, humidity: 60 }]));
    const result = await screen.findByTestId('climate-result');
    expect(within(result).getByText('已记录，但超出该库区的储存条件：请立即采取调控措施并记录。')).toBeTruthy();
  });

  it('AC-01 the purchasing, sales and stock menus follow the read permissions', async () => {
    mockApi({
      'GET /api/v1/session': session(['procurement.record.read', 'inventory.stock.read']),
      'GET /api/v1/inventory/stock': {
        status: 200,
        body: { today: '2026-11-29', nearExpiryDays: 90, rows: [], truncated: false },
      },
    });
    renderApp('/inventory');
    await screen.findByText('库存查询', { selector: 'h2' });
    const menu = document.querySelector<HTMLElement>('.ml-sider')!;
    expect(within(menu).getByText('采购')).toBeTruthy();
    expect(within(menu).getByText('库存')).toBeTruthy();
    expect(within(menu).getByText('温湿度记录')).toBeTruthy();
    expect(within(menu).queryByText('销售')).toBeNull();
  });
});
