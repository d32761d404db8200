import type { BreakGlassGrantView, UsageRecordView } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { button, findButton, gtin, id, session } from '../../../test/gsp-fixtures';
import { mockApi, renderApp } from '../../../test/render-app';
import { formatCountdown } from './break-glass-page';

const SLOW = { timeout: 60_000 };
const CLINICIAN = [
  'clinical.usage.read',
  'clinical.usage.record',
  'clinical.patient.read',
  'clinical.patient.reveal',
  'clinical.breakGlass.use',
];
const SECURITY = ['access.role.read', 'access.role.assign', 'clinical.breakGlass.review'];

// Synthetic patient: the ID number has a wrong check character, the phone is in the reserved test range 1340000xxxx.
const CLEAR = {
  masked: false,
  name: '张三',
  idNumber: '110101198703071234',
  medicalRecordNo: 'ZY2026000123',
  sex: 'male' as const,
  birthDate: '1987-03-07',
  phone: '13400005678',
};
const MASKED = {
  masked: true,
  name: '张*',
  idNumber: '110***********1234',
  medicalRecordNo: '********0123',
  sex: 'male' as const,
  birthDate: '1987-**-**',
  phone: '134****5678',
};

const RECORD_ID = id(0xc1);
const record = (patient: UsageRecordView['patient']): UsageRecordView => ({
  id: RECORD_ID,
  version: 1,
  versionId: RECORD_ID,
  site: 'H1',
  department: 'CARD',
  procedureDate: '2026-11-28',
  procedureName: '经皮冠状动脉介入治疗',
  surgeon: '王医生',
  bodySite: '左前降支',
  note: null,
  recordedBy: 'u-1',
  recordedByName: '刘护士',
  recordedAt: '2026-11-28T03:00:00.000Z',
  amendReason: null,
  patient,
  devices: [
    {
      lineNo: 1,
      rawScan: '(01)06901234000014(17)291231(10)ST2026A(21)SN0001',
      issuer: 'GS1',
      di: '06901234000014',
      lot: 'ST2026A',
      serial: 'SN0001',
      productionDate: null,
      expiryDate: '2029-12-31',
      quantity: 1,
      productId: id(0xd1),
      productCode: 'P-STENT',
      productName: '冠状动脉药物洗脱支架系统',
      model: 'DES-3018',
      specification: '3.0mm×18mm',
      certificateNo: '国械注准20263130001',
      registrant: '示例医疗科技有限公司',
    },
  ],
  versions: [
    {
      version: 1,
      versionId: RECORD_ID,
      recordedBy: 'u-1',
      recordedByName: '刘护士',
      recordedAt: '2026-11-28T03:00:00.000Z',
      amendReason: null,
    },
  ],
});

const GRANT_ID = id(0xb1);
const grant = (over: Partial<BreakGlassGrantView> = {}): BreakGlassGrantView => ({
  id: GRANT_ID,
  userId: 'u-dr',
  userName: '孙医生',
  reason: '急诊患者心律失常，需核对既往植入支架信息',
  target: 'record',
  recordId: RECORD_ID,
  patientIdMasked: null,
  grantedAt: '2026-12-01T01:00:00.000Z',
  expiresAt: '2026-12-01T02:00:00.000Z',
  minutes: 60,
  active: true,
  secondsLeft: 3600,
  reads: 0,
  review: {
    status: 'open',
    dueAt: '2026-12-02T01:00:00.000Z',
    overdue: false,
    escalatedAt: null,
    decision: null,
    comment: null,
    reviewedByName: null,
    reviewedAt: null,
  },
  ...over,
});

describe('clinical screens', SLOW, () => {
  it('AC-03 the record page shows the patient masked; reveal asks for a purpose, warns it is audited, then shows the clear values', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '刘护士'),
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: { status: 200, body: { record: record(MASKED) } },
      [`POST /api/v1/clinical/usage-records/${RECORD_ID}/patient-reveal`]: (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 200, body: { patient: CLEAR } };
      },
    });
    renderApp(`/clinical/usage/${RECORD_ID}`);
    const masked = await screen.findByTestId('patient-masked');
    expect(within(masked).getByText('张*')).toBeTruthy();
    expect(within(masked).getByText('110***********1234')).toBeTruthy();
    expect(within(masked).getByText('134****5678')).toBeTruthy();
    expect(document.body.textContent).not.toContain(CLEAR.idNumber);
    expect(screen.getByText('P-STENT')).toBeTruthy();

    fireEvent.click(await findButton(document.body, '查看完整信息'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/此操作将记入审计日志/)).toBeTruthy();
    fireEvent.click(button(dialog, '确认查看（记入审计）'));
    expect(await within(dialog).findByText('请说明查看目的（至少 2 个字）。')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    fireEvent.change(within(dialog).getByLabelText('查看目的'), { target: { value: ' 植入物召回核对 ' } });
    fireEvent.click(button(dialog, '确认查看（记入审计）'));
    const clear = await screen.findByTestId('patient-clear');
    expect(bodies).toEqual([{ purpose: '植入物召回核对' }]);
    expect(within(clear).getByText(CLEAR.idNumber)).toBeTruthy();
    expect(within(clear).getByText('13400005678')).toBeTruthy();
  });

  it('AC-03 without the reveal permission there is no reveal button; without patient permission no patient section', async () => {
    mockApi({
      'GET /api/v1/session': session(['clinical.usage.read', 'clinical.patient.read'], '赵医生'),
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: { status: 200, body: { record: record(MASKED) } },
    });
    const view = renderApp(`/clinical/usage/${RECORD_ID}`);
    await screen.findByTestId('patient-masked');
    expect(screen.queryByText('查看完整信息')).toBeNull();
    view.unmount();
    mockApi({
      'GET /api/v1/session': session(['clinical.usage.read'], '钱科员'),
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: { status: 200, body: { record: record(null) } },
    });
    renderApp(`/clinical/usage/${RECORD_ID}`);
    expect(await screen.findByText('您的角色不含查看患者信息的权限。')).toBeTruthy();
    expect(screen.queryByTestId('patient-masked')).toBeNull();
  });

  it('TRN-02 a lapsed privacy training shows the server’s message naming the course to take', async () => {
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '刘护士'),
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: {
        status: 403,
        body: {
          code: 'training_required',
          message:
            'Your training “Protecting patient personal information (PIPL)” (患者个人信息保护（个人信息保护法）) expired on 2027-12-01: take it again in the Training centre to use this permission.',
          requestId: 'req-1',
        },
      },
    });
    renderApp(`/clinical/usage/${RECORD_ID}`);
    const alert = await screen.findByTestId('training-required');
    expect(alert.textContent).toContain('患者个人信息保护（个人信息保护法）');
  });

  it('AC-10 the break-glass dialog needs a reason, shows the duration, and opens the records with a countdown', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '孙医生'),
      'GET /api/v1/clinical/usage-records': { status: 200, body: { records: [] } },
      'POST /api/v1/clinical/break-glass': (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 201, body: { grant: grant() } };
      },
      [`GET /api/v1/clinical/break-glass/${GRANT_ID}/records`]: {
        status: 200,
        body: { grant: grant({ reads: 1, secondsLeft: 3599 }), records: [record(CLEAR)] },
      },
    });
    renderApp('/clinical');
    expect(await screen.findByText('没有符合条件的使用记录')).toBeTruthy();
    fireEvent.click(await findButton(document.body, '紧急访问（破窗）'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('break-glass-duration').textContent).toBe('访问将于开启后 60 分钟自动结束。');
    fireEvent.click(button(dialog, '开启紧急访问'));
    expect(await within(dialog).findByText('请说明紧急原因（至少 10 个字）。')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    fireEvent.change(within(dialog).getByLabelText('紧急原因'), {
      target: { value: '急诊患者心律失常，需核对既往植入支架信息' },
    });
    fireEvent.change(within(dialog).getByLabelText('使用记录编号'), { target: { value: RECORD_ID } });
    fireEvent.change(within(dialog).getByLabelText('时长（分钟）'), { target: { value: '30' } });
    await waitFor(() =>
      expect(within(dialog).getByTestId('break-glass-duration').textContent).toBe('访问将于开启后 30 分钟自动结束。'),
    );
    fireEvent.click(button(dialog, '开启紧急访问'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ reason: '急诊患者心律失常，需核对既往植入支架信息', recordId: RECORD_ID, minutes: 30 });
    const countdown = await screen.findByTestId('break-glass-countdown');
    expect(countdown.textContent).toMatch(/^59:5\d$/);
    expect(screen.getByText(new RegExp(`紧急访问编号 ${GRANT_ID}`))).toBeTruthy();
    expect(within(await screen.findByTestId('patient-clear')).getByText(CLEAR.idNumber)).toBeTruthy();
  });

  it('AC-10 an ended grant shows no patient data', async () => {
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '孙医生'),
      [`GET /api/v1/clinical/break-glass/${GRANT_ID}/records`]: {
        status: 403,
        body: { code: 'forbidden', message: 'This break-glass grant ended.', requestId: 'req-2' },
      },
    });
    renderApp(`/clinical/break-glass/${GRANT_ID}`);
    expect(await screen.findByText(/本次紧急访问已结束/)).toBeTruthy();
    expect(screen.queryByTestId('patient-clear')).toBeNull();
    expect(formatCountdown(3600)).toBe('1:00:00');
    expect(formatCountdown(61)).toBe('01:01');
    expect(formatCountdown(-5)).toBe('00:00');
  });

  it('AC-10 the security administrator’s queue flags overdue reviews and records a decision with a comment', async () => {
    const bodies: unknown[] = [];
    const overdue = grant({
      active: false,
      secondsLeft: 0,
      reads: 3,
      review: { ...grant().review, overdue: true, escalatedAt: '2026-12-02T01:30:00.000Z' },
    });
    mockApi({
      'GET /api/v1/session': session(SECURITY, '王安全'),
      'GET /api/v1/clinical/break-glass/reviews': { status: 200, body: { grants: [overdue] } },
      [`POST /api/v1/clinical/break-glass/${GRANT_ID}/review`]: (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 200, body: { grant: overdue } };
      },
    });
    renderApp('/clinical/break-glass/reviews');
    expect(await screen.findByText('已逾期')).toBeTruthy();
    expect(screen.getByText('已上报')).toBeTruthy();
    expect(screen.getByText('临床使用')).toBeTruthy();
    fireEvent.click(await findButton(document.body, '审查'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(button(dialog, '提交审查结论'));
    expect(await within(dialog).findByText('请填写审查意见（至少 2 个字）。')).toBeTruthy();
    fireEvent.click(within(dialog).getByLabelText('合理'));
    fireEvent.change(within(dialog).getByLabelText('审查意见'), { target: { value: '急诊抢救，范围相符' } });
    fireEvent.click(button(dialog, '提交审查结论'));
    await waitFor(() => expect(bodies).toEqual([{ decision: 'justified', comment: '急诊抢救，范围相符' }]));
  });

  it('SY-14 AC-04 the usage form sends the procedure, the patient and the devices exactly as scanned, never an operator or time', async () => {
    const bodies: Record<string, unknown>[] = [];
    const scan = `(01)${gtin('0690123400001')}(17)291231(10)ST2026A(21)SN0001`;
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '刘护士'),
      'GET /api/v1/clinical/usage-records': { status: 200, body: { records: [] } },
      'POST /api/v1/clinical/usage-records': (init) => {
        bodies.push(JSON.parse(init?.body as string) as Record<string, unknown>);
        return { status: 201, body: { record: record(MASKED) } };
      },
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: { status: 200, body: { record: record(MASKED) } },
    });
    renderApp('/clinical');
    fireEvent.click(await findButton(document.body, '登记使用记录'));
    const drawer = await screen.findByRole('dialog');
    const type = (label: string, value: string) =>
      fireEvent.change(within(drawer).getByLabelText(label), { target: { value } });
    const date = (label: string, value: string) => {
      const input = within(drawer).getByLabelText(label);
      fireEvent.mouseDown(input);
      fireEvent.focus(input);
      fireEvent.change(input, { target: { value } });
      fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
    };
    type('院区', 'H1');
    type('科室', 'CARD');
    date('手术日期', '2026-11-28');
    type('手术名称', '经皮冠状动脉介入治疗');
    type('术者', '王医生');
    type('患者姓名', '张三');
    type('证件号码', '110101198703071234');
    type('病历号 / 住院号', 'ZY2026000123');
    fireEvent.mouseDown(within(drawer).getByLabelText('性别'));
    fireEvent.click((await screen.findAllByText('男', { selector: '.ant-select-item-option-content' })).at(-1)!);
    date('出生日期', '1987-03-07');
    type('手机号', '13400005678');
    fireEvent.click(button(document.body, '保存使用记录'));
    expect(await screen.findByText('请至少扫描一件器械。')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    const field = within(drawer).getByLabelText('扫描器械 UDI');
    fireEvent.change(field, { target: { value: scan } });
    fireEvent.keyDown(field, { key: 'Enter', code: 'Enter' });
    fireEvent.keyDown(field, { key: 'Enter', code: 'Enter', ctrlKey: true });
    expect(await within(drawer).findByText(scan, { selector: 'code' })).toBeTruthy();
    fireEvent.click(button(document.body, '保存使用记录'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      site: 'H1',
      department: 'CARD',
      procedureDate: '2026-11-28',
      procedureName: '经皮冠状动脉介入治疗',
      surgeon: '王医生',
      bodySite: null,
      note: null,
      patient: {
        name: '张三',
        idNumber: '110101198703071234',
        medicalRecordNo: 'ZY2026000123',
        sex: 'male',
        birthDate: '1987-03-07',
        phone: '13400005678',
      },
      devices: [{ scan, quantity: 1 }],
    });
    await waitFor(() => expect(window.location.pathname).toBe(`/clinical/usage/${RECORD_ID}`));
  });

  it('SY-14 a correction sends only what changed with its reason; the record is never edited in place', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(CLINICIAN, '刘护士'),
      [`GET /api/v1/clinical/usage-records/${RECORD_ID}`]: { status: 200, body: { record: record(MASKED) } },
      [`POST /api/v1/clinical/usage-records/${RECORD_ID}/amendments`]: (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return { status: 201, body: { record: { ...record(MASKED), version: 2, surgeon: '赵医生' } } };
      },
    });
    renderApp(`/clinical/usage/${RECORD_ID}`);
    fireEvent.click(await findButton(document.body, '更正（保存为新版本）'));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('术者'), { target: { value: '赵医生' } });
    fireEvent.change(within(drawer).getByLabelText('更正原因'), { target: { value: '错' } });
    fireEvent.click(button(document.body, '保存更正'));
    expect(await within(drawer).findByText('请说明更正原因（至少 5 个字）。')).toBeTruthy();
    expect(bodies).toHaveLength(0);
    fireEvent.change(within(drawer).getByLabelText('更正原因'), { target: { value: '术者登记错误，更正' } });
    fireEvent.click(button(document.body, '保存更正'));
    await waitFor(() => expect(bodies).toEqual([{ reason: '术者登记错误，更正', surgeon: '赵医生' }]));
  });

  it('AC-09 the clinical menu appears only with clinical permissions', async () => {
    mockApi({
      'GET /api/v1/session': session(['inventory.stock.read'], '赵仓管'),
      'GET /api/v1/inventory/stock': { status: 200, body: { total: 0, items: [] } },
    });
    renderApp('/training');
    await screen.findByText('库存');
    expect(screen.queryByText('临床使用')).toBeNull();
  });
});
