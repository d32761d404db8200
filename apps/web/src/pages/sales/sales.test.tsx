import type { DeliverySlip, OrderView } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  STENT_DI,
  button,
  findButton,
  hospital,
  id,
  salesOrder,
  session,
  stent,
  warehouse,
} from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';
import { mergeScans } from './return-new-page';
import { shipmentBody, shipmentProblems } from './shipment-drawer';

const SLOW = { timeout: 60_000 };

async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  const options = await screen.findAllByText(option, { selector: '.ant-select-item-option-content' });
  fireEvent.click(options.at(-1)!);
}

const allocation = (over: Partial<OrderView['allocations'][number]> = {}): OrderView['allocations'][number] => ({
  id: id(0x321),
  lineId: id(0x311),
  lotId: id(0x331),
  lot: 'LOTA',
  serial: null,
  productionDate: '2026-01-15',
  expiryDate: '2027-12-31',
  locationId: id(0x341),
  locationCode: 'S-01',
  quantity: 4,
  refused: 0,
  scanned: 0,
  state: 'active',
  ...over,
});

const slip: DeliverySlip = {
  slipNo: 'SH-20261129-0001',
  orderNo: 'SO-20261129-0001',
  shipDate: '2026-11-29',
  supplier: {
    name: '示例医疗器械经营有限公司',
    address: '示例路 9 号',
    licenceNo: '沪药监械经营许20200009号',
    phone: null,
  },
  consignee: { name: hospital.name, address: '示例市中山路 100 号 设备科库房', contact: '刘院长', phone: null },
  transport: { mode: 'own_fleet', vehiclePlate: '沪A12345', driver: '赵师傅', storageConditions: ['normal'] },
  lines: [
    {
      productName: stent.name,
      model: stent.model,
      specification: stent.specification,
      registrant: stent.registrant,
      contractManufacturer: null,
      manufacturerLicenceNo: stent.registrantLicenceNo,
      certificateNo: stent.certificateNo,
      lot: 'LOTA',
      serial: null,
      productionDate: '2026-01-15',
      expiryDate: '2027-12-31',
      quantity: 4,
      unit: '盒',
      storage: 'normal',
      gs1ElementString: `01${STENT_DI}17271231` + '10LOTA',
      hri: `(01)${STENT_DI}(17)271231(10)LOTA`,
    },
  ],
  remarks: null,
};

describe('sales screens', SLOW, () => {
  it('VAL-10 a new sales order takes the delivery address from the customer and sends prices in 分', async () => {
    const bodies: unknown[] = [];
    const created = salesOrder();
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'sales.order.create', 'master-data.record.read'], '何销售'),
      'GET /api/v1/sales/orders': { status: 200, body: { orders: [] } },
      'GET /api/v1/master-data/parties': (_init, url) => {
        expect(url.searchParams.get('role')).toBe('customer');
        return { status: 200, body: { total: 1, parties: [hospital] } };
      },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      'POST /api/v1/sales/orders': (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 201, body: { order: created } };
      },
      [`GET /api/v1/sales/orders/${created.id}`]: { status: 200, body: { order: created } },
    });
    renderApp('/sales');
    fireEvent.click(await findButton(document.body, '新建销售订单'));
    const drawer = await screen.findByRole('dialog');
    await choose('客户（收货单位）', 'HOS-001 示例市第一人民医院');
    await waitFor(() =>
      expect(within(drawer).getByLabelText<HTMLInputElement>('收货地址').value).toBe('示例市中山路 100 号 设备科库房'),
    );
    expect(within(drawer).getByLabelText<HTMLInputElement>('收货联系人').value).toBe('刘院长');
    await choose('发货仓库', 'WH-SH 上海仓');
    fireEvent.change(within(drawer).getByLabelText('联系电话'), { target: { value: '021-5555 0199' } });
    await choose('产品 1', 'PRD-STENT-01 冠状动脉支架系统 CS-3018 3.0mm×18mm');
    fireEvent.change(within(drawer).getByLabelText('数量 1'), { target: { value: '4' } });
    fireEvent.change(within(drawer).getByLabelText('单价（元） 1'), { target: { value: '125' } });
    fireEvent.click(button(document.body, '保存草稿'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      customerId: hospital.id,
      warehouseId: warehouse.id,
      delivery: { address: '示例市中山路 100 号 设备科库房', contact: '刘院长', phone: '021-5555 0199' },
      lines: [{ productId: stent.id, quantity: 4, unitPrice: 12_500 }],
    });
    expect(await screen.findByText('订单号 SO-20261129-0001', { selector: 'h2' })).toBeTruthy();
    expect(button(document.body, '确认订单')).toBeTruthy();
  });

  it('GSP-04 VAL-10 outbound review: scans are posted in one batch, a unit is refused under art. 87, the review is signed', async () => {
    let order = salesOrder({ status: 'allocated', allocations: [allocation()] });
    let scanned = 0;
    let refused = 0;
    const scanBodies: unknown[] = [];
    const refusals: unknown[] = [];
    const conclusions: unknown[] = [];
    const progress = () => ({
      status: 200,
      body: {
        review: {
          orderId: order.id,
          status: order.status,
          complete: scanned === 4 - refused,
          allocations: [
            {
              allocationId: id(0x321),
              productName: stent.name,
              lot: 'LOTA',
              serial: null,
              quantity: 4 - refused,
              scanned,
            },
          ],
        },
      },
    });
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'sales.review.perform'], '秦复核'),
      [`GET /api/v1/sales/orders/${order.id}`]: () => ({ status: 200, body: { order } }),
      [`GET /api/v1/sales/reviews/${order.id}`]: progress,
      [`POST /api/v1/sales/reviews/${order.id}/scans`]: (init) => {
        const body = JSON.parse(init?.body as string) as { scans: string[] };
        scanBodies.push(body);
        scanned += body.scans.length;
        return progress();
      },
      [`POST /api/v1/sales/reviews/${order.id}/refusals`]: (init) => {
        refusals.push(JSON.parse(init?.body as string));
        refused = 1;
        return progress();
      },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/sales/reviews/${order.id}/conclusion`]: (init) => {
        conclusions.push(JSON.parse(init?.body as string));
        order = salesOrder({
          status: 'reviewed',
          allocations: [allocation({ quantity: 4, refused: 1, scanned: 3 })],
          review: {
            id: id(0x351),
            reviewerName: '秦复核',
            reviewedAt: '2026-11-29T06:00:00.000Z',
            signatureId: 'sig-r',
          },
        });
        return { status: 200, body: { review: record } };
      },
      [`GET /api/v1/sales/reviews/${order.id}/record`]: () => ({ status: 200, body: { review: record } }),
    });
    const record = {
      reviewId: id(0x351),
      orderId: order.id,
      orderNo: order.orderNo,
      buyer: { code: hospital.code, name: hospital.name },
      outboundDate: '2026-11-29',
      reviewerName: '秦复核',
      reviewedAt: '2026-11-29T06:00:00.000Z',
      signatureId: 'sig-r',
      note: null,
      lines: [
        {
          productName: stent.name,
          model: stent.model,
          specification: stent.specification,
          registrant: stent.registrant,
          contractManufacturer: null,
          certificateNo: stent.certificateNo,
          lot: 'LOTA',
          serial: null,
          expiryDate: '2027-12-31',
          unit: '盒',
          quantity: 3,
          udi: `(01)${STENT_DI}(17)271231(10)LOTA`,
        },
      ],
      refusals: [
        {
          lot: 'LOTA',
          serial: null,
          quantity: 1,
          reason: 'packaging_damaged',
          note: '外盒压痕',
          refusedByName: '秦复核',
          refusedAt: '2026-11-29T05:50:00.000Z',
        },
      ],
    };
    renderApp(`/sales/orders/${order.id}/review`);
    const field = await screen.findByLabelText<HTMLInputElement>('扫描 UDI（出库复核）');
    expect(await screen.findByTestId('review-count-LOTA')).toBeTruthy();
    const scans = [
      `]d201${STENT_DI}10LOTA\x1d17271231`,
      `^01${STENT_DI}10LOTA^17271231`,
      `01${STENT_DI}10LOTA<GS>17271231`,
    ];
    for (const raw of scans) {
      fireEvent.change(field, { target: { value: raw } });
      fireEvent.keyDown(field, { key: 'Enter', code: 'Enter' });
    }
    await waitFor(() => expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(3));
    fireEvent.click(button(document.body, '提交 3 条扫码（Ctrl+Enter）'));
    await waitFor(() => expect(screen.getByTestId('review-count-LOTA').textContent).toBe('3 / 4'));
    expect(scanBodies).toEqual([{ scans }]);
    expect(screen.getByText('还有货物未复核：全部扫码后才能签名。')).toBeTruthy();
    expect(button(document.body, '签名并完成复核…').disabled).toBe(true);

    // GSP art. 87: the fourth box is damaged and refused.
    fireEvent.click(button(document.body, '拒绝…'));
    const dialog = (
      await screen.findByText('拒绝出库（GSP 第八十七条）：LOTA', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    await choose('拒绝原因', '包装破损');
    fireEvent.change(within(dialog).getByLabelText('情况说明'), { target: { value: '外盒压痕' } });
    fireEvent.click(button(dialog, '确认拒绝'));
    await waitFor(() =>
      expect(refusals).toEqual([
        { allocationId: id(0x321), quantity: 1, reason: 'packaging_damaged', note: '外盒压痕' },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('review-count-LOTA').textContent).toBe('3 / 3'));
    expect(await screen.findByText('全部货物已复核，可以签名。')).toBeTruthy();

    fireEvent.click(button(document.body, '签名并完成复核…'));
    const sign = (await screen.findByText('电子签名：出库复核', { selector: '.ant-modal-title' })).closest<HTMLElement>(
      '.ant-modal',
    )!;
    fireEvent.change(await within(sign).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '112233' },
    });
    fireEvent.click(button(sign, '签名并完成复核'));
    await waitFor(() => expect(conclusions).toEqual([{ code: '112233' }]));
    const card = await screen.findByTestId('review-record');
    expect(within(card).getByText('出库复核记录（GSP 第八十八条）')).toBeTruthy();
    expect(within(card).getByText(`(01)${STENT_DI}(17)271231(10)LOTA`)).toBeTruthy();
    expect(within(card).getByText('包装破损 · 外盒压痕')).toBeTruthy();
    expect(screen.queryByLabelText('扫描 UDI（出库复核）')).toBeNull();
  });

  it('GSP art. 96 the shipment sends exactly one transport shape: carrier + waybill, or vehicle plate + driver', async () => {
    // The body builder drops the fields of the other shape, and the contract refuses mixed or partial shapes.
    const carrier = shipmentBody(
      { mode: 'carrier', carrier: ' 示例快运 ', waybillNo: 'SF1234567890', vehiclePlate: '沪A12345', driver: '赵师傅' },
      false,
    );
    expect(carrier).toEqual({ transport: { mode: 'carrier', carrier: '示例快运', waybillNo: 'SF1234567890' } });
    expect(shipmentProblems(carrier)).toBeNull();
    expect(shipmentProblems(shipmentBody({ mode: 'carrier', carrier: '示例快运' }, false))).toEqual([
      'transport.waybillNo',
    ]);
    expect(shipmentProblems(shipmentBody({ mode: 'own_fleet', vehiclePlate: '沪A12345' }, false))).toEqual([
      'transport.driver',
    ]);
    const mixed = {
      transport: { mode: 'own_fleet', vehiclePlate: '沪A12345', driver: '赵师傅', carrier: 'x' },
    } as unknown as Parameters<typeof shipmentProblems>[0];
    expect(shipmentProblems(mixed)).not.toBeNull();

    const order = salesOrder({ status: 'reviewed', allocations: [allocation({ scanned: 4 })] });
    const shipments: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'sales.shipment.create']),
      [`GET /api/v1/sales/orders/${order.id}`]: { status: 200, body: { order } },
      [`POST /api/v1/sales/orders/${order.id}/shipment`]: (init) => {
        shipments.push(JSON.parse(init?.body as string));
        return {
          status: 201,
          body: {
            shipment: {
              id: id(0x361),
              shipmentNo: 'SH-20261129-0001',
              orderId: order.id,
              orderNo: order.orderNo,
              shipDate: '2026-11-29',
              shippedAt: '2026-11-29T07:00:00.000Z',
              shippedByName: '赵仓管',
              transport: {
                mode: 'own_fleet',
                carrier: null,
                waybillNo: null,
                vehiclePlate: '沪A12345',
                driver: '赵师傅',
              },
              consignee: slip.consignee,
              thirdPartyLogistics: null,
              coldChain: null,
              remarks: null,
            },
          },
        };
      },
      [`GET /api/v1/sales/orders/${order.id}/delivery-slip`]: { status: 200, body: slip },
    });
    renderApp(`/sales/orders/${order.id}`);
    fireEvent.click(await findButton(document.body, '发货…'));
    const drawer = await screen.findByRole('dialog');
    // No cold-chain record for a normal-temperature order.
    expect(within(drawer).queryByTestId('cold-chain')).toBeNull();
    fireEvent.change(within(drawer).getByLabelText('承运单位'), { target: { value: '示例快运' } });
    fireEvent.click(button(document.body, '确认发货'));
    expect(await within(drawer).findByText('必填')).toBeTruthy();
    expect(shipments).toHaveLength(0);
    // Switch to our own vehicle: plate and driver are asked for; the carrier typed before is not sent.
    fireEvent.click(within(drawer).getByText('自有车辆'));
    fireEvent.change(await within(drawer).findByLabelText('车牌号'), { target: { value: '沪A12345' } });
    fireEvent.change(within(drawer).getByLabelText('驾驶员'), { target: { value: '赵师傅' } });
    fireEvent.click(button(document.body, '确认发货'));
    await waitFor(() => expect(shipments).toHaveLength(1));
    expect(shipments[0]).toEqual({ transport: { mode: 'own_fleet', vehiclePlate: '沪A12345', driver: '赵师傅' } });

    // The delivery slip opens with its printable PDF link.
    expect(await screen.findByText('随货同行单 SH-20261129-0001', { selector: 'h2' })).toBeTruthy();
    const pdf = (await screen.findByText('打印 PDF')).closest('a')!;
    expect(pdf.getAttribute('href')).toBe(`/api/v1/sales/orders/${order.id}/delivery-slip.pdf`);
    expect(screen.getByText(`(01)${STENT_DI}(17)271231(10)LOTA`)).toBeTruthy();
    expect(screen.getByText('沪A12345 · 赵师傅')).toBeTruthy();
  });
  it('GSP-04 a customer return is recorded by scanning against the shipped order, then re-inspected with a signature', async () => {
    // Lot-level scans of the same code add up; a serialised unit counts once.
    const lotScan = `01${STENT_DI}10LOTA^17271231`;
    const merged = mergeScans([], [lotScan, `(01)${STENT_DI}(17)271231(10)LOTA`, `01${STENT_DI}10LOTB^21S1`]);
    expect(merged.map((i) => [i.scan, i.quantity])).toEqual([
      [lotScan, 2],
      [`01${STENT_DI}10LOTB^21S1`, 1],
    ]);
    expect(mergeScans(merged, [`01${STENT_DI}10LOTB^21S1`]).map((i) => i.quantity)).toEqual([2, 1]);

    const order = salesOrder({ status: 'shipped', allocations: [allocation({ scanned: 4, state: 'shipped' })] });
    const returnId = id(0x371);
    const received: unknown[] = [];
    const inspections: unknown[] = [];
    const ret = (status: 'received' | 'inspected') => ({
      id: returnId,
      returnNo: 'RT-20261130-0001',
      returnDate: '2026-11-30',
      orderId: order.id,
      orderNo: order.orderNo,
      originalOutboundNo: 'SH-20261129-0001',
      returningParty: { id: hospital.id, code: hospital.code, name: hospital.name },
      reason: '医院多订',
      transportConditions: '常温汽运',
      coldChain: null,
      status,
      receivedByName: '高收货',
      inspectorName: status === 'inspected' ? '许验收' : null,
      inspectedAt: status === 'inspected' ? '2026-11-30T03:00:00.000Z' : null,
      signatureId: status === 'inspected' ? 'sig-i' : null,
      note: null,
      lines: [
        {
          id: id(0x372),
          productName: stent.name,
          model: stent.model,
          specification: stent.specification,
          registrant: stent.registrant,
          contractManufacturer: null,
          certificateNo: stent.certificateNo,
          lot: 'LOTA',
          serial: null,
          expiryDate: '2027-12-31',
          udi: `(01)${STENT_DI}(17)271231(10)LOTA`,
          unit: '盒',
          quantity: 2,
          qualified: status === 'inspected' ? 1 : 0,
          nonconforming: status === 'inspected' ? 1 : 0,
          qualityStatus: status === 'inspected' ? ('nonconforming' as const) : ('pending' as const),
        },
      ],
    });
    let current = ret('received');
    mockApi({
      'GET /api/v1/session': session(['sales.order.read', 'sales.return.receive', 'sales.return.inspect'], '许验收'),
      [`GET /api/v1/sales/orders/${order.id}`]: { status: 200, body: { order } },
      'POST /api/v1/sales/returns': (init) => {
        received.push(JSON.parse(init?.body as string));
        return { status: 201, body: { return: current } };
      },
      [`GET /api/v1/sales/returns/${returnId}`]: () => ({ status: 200, body: { return: current } }),
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/sales/returns/${returnId}/inspection`]: (init) => {
        inspections.push(JSON.parse(init?.body as string));
        current = ret('inspected');
        return { status: 200, body: { return: current } };
      },
    });
    renderApp(`/sales/returns/new?orderId=${order.id}`);
    const field = await screen.findByLabelText<HTMLInputElement>('扫描退回货物的 UDI');
    for (const raw of [lotScan, lotScan]) {
      fireEvent.change(field, { target: { value: raw } });
      fireEvent.keyDown(field, { key: 'Enter', code: 'Enter' });
    }
    fireEvent.keyDown(field, { key: 'Enter', code: 'Enter', ctrlKey: true });
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>(`数量 ${STENT_DI} · LOTA`).value).toBe('2'));
    fireEvent.change(screen.getByLabelText('退货原因'), { target: { value: '医院多订' } });
    fireEvent.change(screen.getByLabelText('退回运输与储存条件'), { target: { value: '常温汽运' } });
    fireEvent.click(button(document.body, '登记退货'));
    await waitFor(() =>
      expect(received).toEqual([
        {
          orderId: order.id,
          reason: '医院多订',
          transportConditions: '常温汽运',
          items: [{ scan: lotScan, quantity: 2 }],
        },
      ]),
    );
    expect(await screen.findByText('客户退货 RT-20261130-0001', { selector: 'h2' })).toBeTruthy();
    fireEvent.change(await screen.findByLabelText('不合格 LOTA'), { target: { value: '1' } });
    fireEvent.click(button(document.body, '签名并完成复检…'));
    const sign = (
      await screen.findByText('电子签名：退货重新验收', { selector: '.ant-modal-title' })
    ).closest<HTMLElement>('.ant-modal')!;
    expect(within(sign).getByText(/合格 1，不合格 1/)).toBeTruthy();
    fireEvent.change(await within(sign).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '445566' },
    });
    fireEvent.click(button(sign, '签名并确认'));
    await waitFor(() =>
      expect(inspections).toEqual([
        { lines: [{ lineId: id(0x372), qualified: 1, nonconforming: 1 }], note: '', code: '445566' },
      ]),
    );
    expect(await screen.findByText('不合格 1 / 1')).toBeTruthy();
  });
});
