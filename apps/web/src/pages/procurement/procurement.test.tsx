import type { AcceptanceView } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  STENT_DI,
  acceptance,
  button,
  findButton,
  id,
  ivd,
  purchaseOrder,
  session,
  stent,
  supplier,
  warehouse,
} from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';

const SLOW = { timeout: 60_000 };
const BUYER = ['procurement.record.read', 'procurement.order.edit', 'master-data.record.read'];
const INSPECTOR = ['procurement.record.read', 'procurement.acceptance.scan', 'procurement.acceptance.conclude'];

async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  // Earlier dropdowns stay in the document: the option of the one just opened is the last.
  const options = await screen.findAllByText(option, { selector: '.ant-select-item-option-content' });
  fireEvent.click(options.at(-1)!);
}

describe('procurement screens', SLOW, () => {
  it('VAL-10 a new purchase order sends prices typed in yuan as integer 分; a bad amount is refused before sending', async () => {
    const bodies: unknown[] = [];
    const created = purchaseOrder();
    mockApi({
      'GET /api/v1/session': session(BUYER, '孙采购'),
      'GET /api/v1/procurement/orders': { status: 200, body: { total: 0, orders: [] } },
      'GET /api/v1/master-data/parties': (_init, url) => {
        expect(url.searchParams.get('role')).toBe('supplier');
        expect(url.searchParams.get('status')).toBe('approved');
        return { status: 200, body: { total: 1, parties: [supplier] } };
      },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 2, products: [stent, ivd] } },
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'POST /api/v1/procurement/orders': (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 201, body: { order: created } };
      },
      [`GET /api/v1/procurement/orders/${created.id}`]: { status: 200, body: { order: created } },
    });
    renderApp('/procurement');
    expect(await screen.findByText('没有符合条件的采购订单')).toBeTruthy();
    fireEvent.click(await findButton(document.body, '新建采购订单'));
    const drawer = await screen.findByRole('dialog');
    await choose('供应商', 'SUP-001 华康医疗器械贸易有限公司');
    await choose('收货仓库', 'WH-SH 上海仓');
    fireEvent.change(within(drawer).getByLabelText('供应商联系人及电话'), {
      target: { value: ' 王晓红 021-5555 0101 ' },
    });
    await choose('产品 1', 'PRD-STENT-01 冠状动脉支架系统 CS-3018 3.0mm×18mm');
    fireEvent.change(within(drawer).getByLabelText('数量 1'), { target: { value: '12' } });
    fireEvent.change(within(drawer).getByLabelText('单价（元） 1'), { target: { value: '3500.5' } });
    fireEvent.click(button(drawer, '添加产品'));
    await choose('产品 2', 'PRD-IVD-01 抗原检测试剂盒 AG-25 25人份/盒');
    fireEvent.change(within(drawer).getByLabelText('数量 2'), { target: { value: '5' } });
    fireEvent.change(within(drawer).getByLabelText('单价（元） 2'), { target: { value: '19.999' } });
    fireEvent.click(button(document.body, '保存草稿'));
    expect(await within(drawer).findByText('请输入金额（元），最多两位小数，例如 3500 或 35.5。')).toBeTruthy();
    expect(bodies).toHaveLength(0);

    fireEvent.change(within(drawer).getByLabelText('单价（元） 2'), { target: { value: '19.9' } });
    // Amounts follow the watched form values, which settle after the change event.
    await waitFor(() => expect(within(drawer).getByTestId('line-amount-1').textContent).toBe('¥99.50'));
    await waitFor(() => expect(within(drawer).getByTestId('order-total').textContent).toBe('¥42,105.50'));
    expect(within(drawer).getByTestId('line-amount-0').textContent).toBe('¥42,006.00');
    fireEvent.click(button(document.body, '保存草稿'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      supplierId: supplier.id,
      warehouseId: warehouse.id,
      supplierContact: '王晓红 021-5555 0101',
      lines: [
        { productId: stent.id, quantity: 12, unitPriceFen: 350_050 },
        { productId: ivd.id, quantity: 5, unitPriceFen: 1_990 },
      ],
    });
    // The new draft opens; the server's amounts are shown.
    expect(await screen.findByText('订单号 PO-20261129-0001', { selector: 'h2' })).toBeTruthy();
    expect(screen.getByTestId('po-total').textContent).toBe(
      `¥${(created.totalFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`,
    );
    expect(button(document.body, '提交审批')).toBeTruthy();
  });

  it('GSP-04 the approver signs; the drafter’s own approval is refused with what to do', async () => {
    const submitted = purchaseOrder({
      status: 'submitted',
      submitted: { name: '孙采购', at: '2026-11-29T03:00:00.000Z' },
    });
    const decisions: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['procurement.record.read', 'procurement.order.approve'], '钱总'),
      [`GET /api/v1/procurement/orders/${submitted.id}`]: { status: 200, body: { order: submitted } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/procurement/orders/${submitted.id}/decision`]: (init) => {
        decisions.push(JSON.parse(init?.body as string));
        return {
          status: 403,
          body: {
            code: 'forbidden',
            message: 'You drafted or submitted purchase order PO-20261129-0001: another person must approve it.',
            requestId: 'req-self',
          },
        };
      },
    });
    renderApp(`/procurement/orders/${submitted.id}`);
    fireEvent.click(await findButton(document.body, '批准…'));
    const dialog = (
      await screen.findByText('电子签名：批准采购订单', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    expect(within(dialog).getByText(/我已审核采购订单 PO-20261129-0001（华康医疗器械贸易有限公司/)).toBeTruthy();
    fireEvent.change(await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '123456' },
    });
    fireEvent.click(button(dialog, '签名并批准'));
    await waitFor(() => expect(decisions).toEqual([{ decision: 'approve', note: '', code: '123456' }]));
    expect(await within(dialog).findByText('您没有执行此操作的权限。')).toBeTruthy();
    expect(
      within(dialog).getByText(
        '服务器说明：You drafted or submitted purchase order PO-20261129-0001: another person must approve it.',
      ),
    ).toBeTruthy();
    expect(within(dialog).getByText(/此步骤必须由另一人完成/)).toBeTruthy();
  });

  it('GSP-04 VAL-10 acceptance: scans in several FNC1 forms are posted in one batch, counts update, the signed conclusion shows the art. 65 record', async () => {
    let current: AcceptanceView = acceptance();
    const scanBodies: unknown[] = [];
    const concludeBodies: unknown[] = [];
    const lot = (n: number) => ({
      lotId: id(0x220 + n),
      lot: 'L2611A',
      serial: `SN000${n}`,
      productionDate: null,
      expiryDate: '2028-12-31',
      quantity: 1,
      accepted: null,
      rejected: null,
      dis: [{ issuer: 'GS1' as const, di: STENT_DI }],
    });
    mockApi({
      'GET /api/v1/session': session(INSPECTOR, '王验收'),
      [`GET /api/v1/procurement/acceptances/${current.id}`]: () => ({ status: 200, body: { acceptance: current } }),
      [`GET /api/v1/procurement/acceptances/${current.id}/scans`]: { status: 200, body: { scans: [] } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/procurement/acceptances/${current.id}/scans`]: (init) => {
        const body = JSON.parse(init?.body as string) as { scans: string[] };
        scanBodies.push(body);
        current = acceptance({
          lines: [{ ...current.lines[0]!, identified: 3, lots: [lot(1), lot(2), lot(3)] }],
        });
        return {
          status: 201,
          body: {
            results: body.scans.map((_, i) => ({
              index: i,
              scanId: id(0x230 + i),
              productId: stent.id,
              productCode: stent.code,
              lotId: id(0x221 + i),
              lot: 'L2611A',
              serial: `SN000${i + 1}`,
              expiryDate: '2028-12-31',
              level: 0,
              quantity: 1,
              expired: false,
            })),
            progress: [
              { receiptLineId: id(0x211), productId: stent.id, productCode: stent.code, received: 3, identified: 3 },
            ],
            warnings: [],
          },
        };
      },
      [`POST /api/v1/procurement/acceptances/${current.id}/conclude`]: (init) => {
        concludeBodies.push(JSON.parse(init?.body as string));
        current = acceptance({
          status: 'concluded',
          lines: [
            {
              ...current.lines[0]!,
              conclusion: 'partially_accepted',
              accepted: 2,
              rejected: 1,
              nonConformity: '标签污损',
              disposition: 'return_to_supplier',
            },
          ],
          inspector: {
            name: '王验收',
            signedAt: '2026-11-29T05:00:00.000Z',
            signatureId: 'sig-1',
            recordHash: 'ab12',
            signatureValid: true,
          },
        });
        return { status: 200, body: { acceptance: current } };
      },
    });
    renderApp(`/procurement/acceptances/${current.id}`);
    expect(await screen.findByText('验收单 YS-20261129-0001', { selector: 'h2' })).toBeTruthy();
    expect(screen.getByTestId('identified-PRD-STENT-01').textContent).toBe('0 / 3');
    const field = screen.getByLabelText<HTMLInputElement>('扫描 UDI（验收）');
    const scans = [
      `]d201${STENT_DI}1728123110L2611A\x1d21SN0001`,
      `01${STENT_DI}17281231^10L2611A^21SN0002`,
      `(01)${STENT_DI}(17)281231(10)L2611A(21)SN0003`,
    ];
    for (const raw of scans) {
      fireEvent.change(field, { target: { value: raw } });
      fireEvent.keyDown(field, { key: 'Enter', code: 'Enter' });
    }
    await waitFor(() => expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(3));
    fireEvent.keyDown(field, { key: 'Enter', code: 'Enter', ctrlKey: true });
    expect(await screen.findByText('已扫入 3 条，共 3 个单位。')).toBeTruthy();
    expect(scanBodies).toEqual([{ scans }]);
    await waitFor(() => expect(screen.getByTestId('identified-PRD-STENT-01').textContent).toBe('3 / 3'));

    // Conclusion: SN0002 rejected, with the non-conformity and the disposition; signed with a code.
    fireEvent.change(await screen.findByLabelText('不合格数量 L2611A / SN0002'), { target: { value: '1' } });
    await waitFor(() => expect(screen.getByTestId('totals-PRD-STENT-01').textContent).toBe('合格 2 · 不合格 1 / 3 盒'));
    fireEvent.click(button(document.body, '签名并作出结论…'));
    expect(await screen.findByText('有不合格数量时请描述不合格情况（至少 2 个字）。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('不合格情况 PRD-STENT-01'), { target: { value: '标签污损' } });
    await choose('处置方式 PRD-STENT-01', '退回供应商');
    fireEvent.click(button(document.body, '签名并作出结论…'));
    const dialog = (
      await screen.findByText('电子签名：验收结论', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    expect(within(dialog).getByText(/合格 2，不合格 1/)).toBeTruthy();
    fireEvent.change(await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '654321' },
    });
    fireEvent.click(button(dialog, '签名并确认结论'));
    await waitFor(() => expect(concludeBodies).toHaveLength(1));
    expect(concludeBodies[0]).toEqual({
      code: '654321',
      lines: [
        {
          receiptLineId: id(0x211),
          acceptedQuantity: 2,
          rejectedQuantity: 1,
          rejections: [{ lotId: id(0x222), quantity: 1 }],
          nonConformity: '标签污损',
          disposition: 'return_to_supplier',
        },
      ],
    });
    const record = await screen.findByTestId('acceptance-record');
    expect(within(record).getByText('验收记录（GSP 第六十五条）')).toBeTruthy();
    expect(within(record).getByText('签名有效')).toBeTruthy();
    expect(within(record).getByText('部分合格')).toBeTruthy();
    expect(within(record).getByText('标签污损 · 退回供应商')).toBeTruthy();
    // The scan field is gone once the acceptance is concluded.
    expect(screen.queryByLabelText('扫描 UDI（验收）')).toBeNull();
  });
  it('VAL-10 receiving: the cold-chain record is asked for while a 2–8 ℃ line is on the receipt; untouched lines are left out', async () => {
    const order = purchaseOrder({
      status: 'approved',
      approved: { name: '钱总', at: '2026-11-29T03:00:00.000Z', signatureId: 'sig-a', note: null },
    });
    const receipts: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['procurement.record.read', 'procurement.receipt.record'], '赵收货'),
      [`GET /api/v1/procurement/orders/${order.id}`]: { status: 200, body: { order } },
      [`POST /api/v1/procurement/orders/${order.id}/receipts`]: (init) => {
        receipts.push(JSON.parse(init?.body as string));
        return {
          status: 409,
          body: {
            code: 'conflict',
            message: 'Line 1 (PRD-STENT-01): 12 盒 would exceed what is still open — 0 of 12 ordered.',
            requestId: 'req-r',
          },
        };
      },
    });
    renderApp(`/procurement/orders/${order.id}`);
    fireEvent.click(await findButton(document.body, '收货…'));
    const drawer = await screen.findByRole('dialog');
    // Both lines default to what is still open: the IVD kit (2–8 ℃) needs the cold-chain record.
    expect(await within(drawer).findByTestId('cold-chain')).toBeTruthy();
    fireEvent.change(within(drawer).getByLabelText('实收数量 PRD-IVD-01'), { target: { value: '0' } });
    await waitFor(() => expect(within(drawer).queryByTestId('cold-chain')).toBeNull());
    fireEvent.change(within(drawer).getByLabelText('随货同行单号'), { target: { value: 'SX-20261129-001' } });
    fireEvent.change(within(drawer).getByLabelText('承运单位'), { target: { value: '顺达物流' } });
    fireEvent.change(within(drawer).getByLabelText('运单号'), { target: { value: 'YD123456789' } });
    fireEvent.change(within(drawer).getByLabelText('拒收数量 PRD-STENT-01'), { target: { value: '1' } });
    fireEvent.click(button(document.body, '确认收货'));
    expect(await within(drawer).findByText('拒收时请写明原因（至少 2 个字）。')).toBeTruthy();
    fireEvent.change(within(drawer).getByLabelText('拒收原因 PRD-STENT-01'), { target: { value: '外包装破损' } });
    fireEvent.change(within(drawer).getByLabelText('实收数量 PRD-STENT-01'), { target: { value: '11' } });
    fireEvent.click(button(document.body, '确认收货'));
    await waitFor(() => expect(receipts).toHaveLength(1));
    expect(receipts[0]).toEqual({
      deliverySlipNo: 'SX-20261129-001',
      deliverySlipDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      transport: { mode: 'carrier', carrier: '顺达物流', waybillNo: 'YD123456789' },
      lines: [
        {
          orderLineId: order.lines[0]!.id,
          quantityReceived: 11,
          quantityRefused: 1,
          refusalReason: '外包装破损',
        },
      ],
    });
    // A refusal names the line and what is still open.
    expect(
      await within(drawer).findByText(
        '服务器说明：Line 1 (PRD-STENT-01): 12 盒 would exceed what is still open — 0 of 12 ordered.',
      ),
    ).toBeTruthy();
  });
});
