import type { ChangeView, PartyView, ProductView } from '@medledger/contract';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_OPTIONS } from '../../../test/passkey-fixtures';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { installFakeWebAuthn, removeFakeWebAuthn } from '../../../test/webauthn';
import { ApiError } from '../../api/client';
import { createAppI18n } from '../../app/i18n';
import { ApiErrorAlert } from '../../components/api-error-alert';

// The forms and the review drawer are large antd trees: give jsdom time on a busy machine.
configure({ asyncUtilTimeout: 10_000 });
const SLOW = { timeout: 60_000 };

// Role queries by name are slow on these large antd trees in jsdom: buttons are found by their text.
const button = (container: HTMLElement, label: string | RegExp) =>
  within(container).getByText(label, { selector: 'button span' }).closest('button')!;
const findButton = async (container: HTMLElement, label: string | RegExp) =>
  (await within(container).findByText(label, { selector: 'button span' })).closest('button')!;

// Synthetic companies, people and numbers only.
const ALL = [
  'master-data.record.read',
  'master-data.record.edit',
  'master-data.change.approve',
  'master-data.warehouse.manage',
];
const session = (permissions: string[]): MockResponse => ({
  status: 200,
  body: {
    user: { id: 'u-qa', name: '李质量', login: 'qa.li' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});
const inDays = (days: number) => dayjs().add(days, 'day').format('YYYY-MM-DD');

const PARTY_ID = '01900000-0000-7000-8000-0000000000a1';
const LETTER_ID = '01900000-0000-7000-8000-0000000000b1';
const PRODUCT_ID = '01900000-0000-7000-8000-0000000000c1';
const CHANGE_ID = '01900000-0000-7000-8000-0000000000d1';

const supplier: PartyView = {
  id: PARTY_ID,
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
  licences: [
    {
      kind: 'business_licence',
      number: '91310000MA1K000001',
      authority: '上海市市场监督管理局',
      issuedOn: '2020-01-10',
      validUntil: null,
      scope: [],
    },
    {
      kind: 'operating_licence',
      number: '沪药监械经营许20200001号',
      authority: '上海市药品监督管理局',
      issuedOn: '2021-03-01',
      validUntil: inDays(12),
      scope: ['III:07', 'II:14'],
    },
  ],
  repAuthorisations: [
    {
      id: LETTER_ID,
      repName: '王晓红',
      idNumberMasked: '110***********1230',
      productCodes: [],
      territory: '上海市',
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
    },
  ],
  pendingChangeId: null,
};

const expiredCustomer: PartyView = {
  ...supplier,
  id: '01900000-0000-7000-8000-0000000000a2',
  code: 'HOS-001',
  name: '示例市第一人民医院',
  isSupplier: false,
  customerType: 'hospital',
  status: 'pending',
  version: 0,
  licences: [{ ...supplier.licences[1]!, kind: 'medical_institution_licence', validUntil: inDays(-3), scope: [] }],
  repAuthorisations: [],
  pendingChangeId: CHANGE_ID,
};

const stent: ProductView = {
  id: PRODUCT_ID,
  code: 'PRD-STENT-01',
  name: '冠状动脉支架系统',
  model: 'CS-3018',
  specification: '3.0mm×18mm',
  deviceClass: 'III',
  catalogCode: '13-07-02',
  registrant: '示例医疗科技股份有限公司',
  registrantLicenceNo: null,
  contractManufacturer: null,
  contractManufacturerLicenceNo: null,
  certificateNo: '国械注准20233130001',
  certificateIssuedOn: '2023-04-01',
  certificateValidUntil: '2028-03-31',
  certificateCancelledAt: null,
  implantable: true,
  storage: 'normal',
  humidityMax: 80,
  status: 'pending',
  version: 0,
  approvedAt: null,
  approvedByName: null,
  updatedAt: '2026-11-29T02:00:00.000Z',
  packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: '06901234567892' }] }],
  pendingChangeId: CHANGE_ID,
};

const change = (over: Partial<ChangeView> = {}): ChangeView => ({
  id: CHANGE_ID,
  entity: 'party',
  entityId: PARTY_ID,
  entityCode: 'SUP-001',
  entityName: '华康医疗器械贸易有限公司',
  version: 2,
  firstBusiness: false,
  reason: '企业更名，见新营业执照',
  status: 'pending',
  requestedByName: '李质量',
  requestedAt: '2026-11-29T03:00:00.000Z',
  decidedByName: null,
  decidedAt: null,
  decisionNote: null,
  signatureId: null,
  changedFields: ['name'],
  ...over,
});

const payloadOf = (party: PartyView) => {
  const {
    id: _id,
    status: _s,
    version: _v,
    approvedAt: _a,
    approvedByName: _b,
    updatedAt: _u,
    pendingChangeId: _p,
    ...rest
  } = party;
  return rest;
};

describe('master data: parties', SLOW, () => {
  it('GSP-02 lists parties with role, status and licence expiry; the role filter asks the server', async () => {
    const urls: string[] = [];
    mockApi({
      'GET /api/v1/session': session(['master-data.record.read']),
      'GET /api/v1/master-data/parties': (_init, url) => {
        urls.push(url.search);
        return { status: 200, body: { total: 2, parties: [supplier, expiredCustomer] } };
      },
    });
    renderApp('/master-data/parties');
    expect(await screen.findByText('华康医疗器械贸易有限公司', { selector: 'a' })).toBeTruthy();
    const supplierRow = screen.getByText('SUP-001').closest('tr')!;
    expect(within(supplierRow).getByText('供应商')).toBeTruthy();
    expect(within(supplierRow).getByText('已生效')).toBeTruthy();
    expect(within(supplierRow).getByText(`${inDays(12)}（还剩 12 天）`)).toBeTruthy();
    const hospitalRow = screen.getByText('HOS-001').closest('tr')!;
    expect(within(hospitalRow).getByText('待审核')).toBeTruthy();
    expect(within(hospitalRow).getByText(`证照已过期（${inDays(-3)}）`)).toBeTruthy();
    // Readers get no create button.
    expect(screen.queryByText(/新建往来单位/, { selector: 'button span' })).toBeNull();

    fireEvent.mouseDown(screen.getByLabelText('角色'));
    fireEvent.click(await screen.findByText('供应商', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(urls.at(-1)).toBe('?page=1&pageSize=20&role=supplier'));
    expect(urls[0]).toBe('?page=1&pageSize=20');
  });

  it('FILE-01 FILE-02 the party page lists document scans with download links and uploads a scan as the raw body', async () => {
    const file = {
      id: '01900000-0000-7000-8000-0000000000f1',
      fileName: '营业执照.pdf',
      mediaType: 'application/pdf',
      size: 20480,
      sha256: 'ab'.repeat(32),
      uploadedBy: 'u-qa',
      uploadedByName: '李质量',
      uploadedAt: '2026-11-29T02:00:00.000Z',
    };
    const uploads: { type: string | null; name: string | null }[] = [];
    mockApi({
      'GET /api/v1/session': session(ALL),
      [`GET /api/v1/master-data/parties/${PARTY_ID}`]: { status: 200, body: { party: supplier } },
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [] } },
      [`GET /api/v1/master-data/parties/${PARTY_ID}/documents`]: { status: 200, body: { files: [file] } },
      [`POST /api/v1/master-data/parties/${PARTY_ID}/documents`]: (init) => {
        const headers = new Headers(init?.headers);
        uploads.push({ type: headers.get('content-type'), name: headers.get('x-file-name') });
        return { status: 201, body: { ...file, id: '01900000-0000-7000-8000-0000000000f2' } };
      },
    });
    renderApp(`/master-data/parties/${PARTY_ID}`);
    const link = (await screen.findByText('营业执照.pdf')).closest('tr')!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`/api/v1/master-data/parties/${PARTY_ID}/documents/${file.id}`);
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    fireEvent.change(input, { target: { files: [new File(['%PDF-1.7'], '许可证.pdf', { type: 'application/pdf' })] } });
    await waitFor(() => expect(uploads).toEqual([{ type: 'application/pdf', name: encodeURIComponent('许可证.pdf') }]));
  }, 60_000);

  it('GSP-03 the party page shows licences with validity colours, masked letters, the history and the pending banner', async () => {
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/parties/01900000-0000-7000-8000-0000000000a1': {
        status: 200,
        body: { party: { ...supplier, pendingChangeId: CHANGE_ID } },
      },
      'GET /api/v1/master-data/changes': (_init, url) => {
        expect(url.searchParams.get('entityId')).toBe(PARTY_ID);
        return {
          status: 200,
          body: {
            changes: [
              change(),
              change({
                id: '01900000-0000-7000-8000-0000000000d0',
                version: 1,
                firstBusiness: true,
                reason: '首营企业审核',
                status: 'approved',
                decidedByName: '张卫国',
                decidedAt: '2026-11-29T02:00:00.000Z',
                decisionNote: '资料齐全，同意',
                signatureId: 'sig-1',
                changedFields: [],
              }),
            ],
          },
        };
      },
    });
    renderApp(`/master-data/parties/${PARTY_ID}`);
    expect(await screen.findByText('华康医疗器械贸易有限公司', { selector: 'h2' })).toBeTruthy();
    expect(screen.getByText('有一项变更正在等待质量审核；审批通过前，现行版本继续有效。')).toBeTruthy();
    expect(screen.getByText('医疗器械经营许可证')).toBeTruthy();
    expect(screen.getByText('III:07')).toBeTruthy();
    expect(screen.getByText('长期')).toBeTruthy();
    const dueSoon = screen.getByText(`${inDays(12)}（还剩 12 天）`);
    expect(dueSoon.closest('[data-validity]')?.getAttribute('data-validity')).toBe('due30');
    expect(screen.getByText('110***********1230')).toBeTruthy();
    expect(screen.getByText('该企业全部产品')).toBeTruthy();
    expect(await screen.findByText('企业更名，见新营业执照')).toBeTruthy();
    expect(screen.getByText('资料齐全，同意')).toBeTruthy();
    expect(screen.getByText('已签名')).toBeTruthy();
    expect(screen.getByText('首营（全部资料）')).toBeTruthy();
    // One pending change at a time.
    expect(button(document.body, '提出变更').disabled).toBe(true);
  });

  it('GSP-03 AC-03 proposing a change sends every field, YYYY-MM-DD dates, 长期 as null and kept letters by id without an ID number', async () => {
    let sent: unknown;
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/parties/01900000-0000-7000-8000-0000000000a1': {
        status: 200,
        body: { party: supplier },
      },
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [] } },
      'POST /api/v1/master-data/parties/01900000-0000-7000-8000-0000000000a1/changes': (init) => {
        sent = JSON.parse(init?.body as string);
        return {
          status: 201,
          body: { change: { ...change(), proposed: {}, previous: {} } },
        };
      },
    });
    renderApp(`/master-data/parties/${PARTY_ID}`);
    fireEvent.click(await findButton(document.body, '提出变更'));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByText('已存：110***********1230。留空保留原号码；填写则作为新授权书保存。')).toBeTruthy();
    fireEvent.change(within(drawer).getByLabelText('企业名称'), { target: { value: ' 华康医疗科技有限公司 ' } });
    fireEvent.change(within(drawer).getByLabelText('提交原因'), { target: { value: '企业更名，见新营业执照' } });
    fireEvent.click(button(document.body, '提交审核'));
    await waitFor(() => expect(sent).toBeDefined());
    expect(sent).toEqual({
      reason: '企业更名，见新营业执照',
      party: {
        ...payloadOf(supplier),
        name: '华康医疗科技有限公司',
        repAuthorisations: [
          {
            id: LETTER_ID,
            repName: '王晓红',
            productCodes: [],
            territory: '上海市',
            validFrom: '2026-01-01',
            validUntil: '2027-12-31',
          },
        ],
      },
    });
    expect(await screen.findByText('已提交，等待质量审核。')).toBeTruthy();
  });

  it('VAL-01 a new party: a bad scope entry is refused before sending; the server’s issues land on their fields', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/parties': { status: 200, body: { total: 0, parties: [] } },
      'POST /api/v1/master-data/parties': (init) => {
        bodies.push(JSON.parse(init?.body as string));
        return {
          status: 400,
          body: {
            code: 'validation_failed',
            message: 'The request is not valid; see the listed fields.',
            requestId: 'req-v',
            issues: [
              { path: 'body.party.uscc', message: '18-character unified social credit code' },
              { path: 'body.party.licences.0.number', message: 'Too small: expected string to have >=1 characters' },
            ],
          },
        };
      },
    });
    renderApp('/master-data/parties');
    fireEvent.click(await findButton(document.body, /新建往来单位/));
    const drawer = await screen.findByRole('dialog');
    const fill = (label: string, value: string) =>
      fireEvent.change(within(drawer).getByLabelText(label), { target: { value } });
    fill('编码', 'SUP-002');
    fill('企业名称', '瑞安医械经销有限公司');
    fill('统一社会信用代码', '91330000MA2B000003');
    fireEvent.click(within(drawer).getByLabelText('供应商'));
    fill('法定代表人', '周若彤');
    fill('企业负责人', '周若彤');
    fill('注册地址', '示例省示例市解放路 8 号');
    fill('证照编号', '91330000MA2B000003');
    fill('发证机关', '示例市市场监督管理局');
    const issued = within(drawer).getByLabelText('发证日期');
    fireEvent.mouseDown(issued);
    fireEvent.change(issued, { target: { value: '2018-06-01' } });
    fireEvent.keyDown(issued, { key: 'Enter', code: 'Enter' });
    const scope = within(drawer).getByLabelText('证照 1 的经营范围');
    fireEvent.change(scope, { target: { value: 'IV:07' } });
    fireEvent.keyDown(scope, { key: 'Enter', code: 'Enter' });
    fill('提交原因', '首营企业审核');
    fireEvent.click(button(document.body, '提交审核'));
    expect(await within(drawer).findByText(/格式不正确：IV:07/)).toBeTruthy();
    expect(bodies).toHaveLength(0);

    // Remove the wrong entry (the tag's × icon), then submit again.
    fireEvent.click(drawer.querySelector('.ant-select-selection-item-remove')!);
    await waitFor(() => expect(within(drawer).queryByText(/格式不正确/)).toBeNull());
    fireEvent.click(button(document.body, '提交审核'));
    expect(
      await within(drawer).findByText('统一社会信用代码为 18 位数字和大写字母（不含 I、O、S、V、Z）。'),
    ).toBeTruthy();
    expect(within(drawer).getByText('Too small: expected string to have >=1 characters')).toBeTruthy();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      reason: '首营企业审核',
      party: {
        code: 'SUP-002',
        isSupplier: true,
        customerType: null,
        warehouseAddress: null,
        licences: [{ kind: 'business_licence', issuedOn: '2018-06-01', validUntil: null, scope: [] }],
        repAuthorisations: [],
      },
    });
  });
});

const detail = (over: Partial<ChangeView> = {}) => ({
  ...change(over),
  proposed: { ...payloadOf(supplier), name: '华康医疗科技有限公司', repAuthorisations: supplier.repAuthorisations },
  previous: { ...payloadOf(supplier), repAuthorisations: supplier.repAuthorisations },
});

const reviewDrawer = async () =>
  (await screen.findByText('往来单位 SUP-001 第 2 版', { selector: '.ant-drawer-title' })).closest<HTMLElement>(
    '[role="dialog"]',
  )!;

/** The signature modal over the review drawer (in tests antd gives every dialog the same label id). */
async function signatureDialog(title: string): Promise<HTMLElement> {
  const heading = await screen.findByText(title, { selector: '.ant-modal-title' });
  return heading.closest<HTMLElement>('.ant-modal')!;
}

describe('master data: QA review', SLOW, () => {
  afterEach(removeFakeWebAuthn);

  it('GSP-02 GSP-04 the inbox opens a proposal against the version in force and approves it with an authenticator code', async () => {
    const decisions: unknown[] = [];
    let decided = false;
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/changes': (_init, url) => {
        expect(url.searchParams.get('status')).toBe('pending');
        return { status: 200, body: { changes: decided ? [] : [change()] } };
      },
      [`GET /api/v1/master-data/changes/${CHANGE_ID}`]: { status: 200, body: { change: detail() } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/master-data/changes/${CHANGE_ID}/decision`]: (init) => {
        const body = JSON.parse(init?.body as string) as { code?: string };
        decisions.push(body);
        if (body.code !== '123456') {
          return {
            status: 401,
            body: { code: 'step_up_required', message: 'The code is not valid.', requestId: 'req-sig' },
          };
        }
        decided = true;
        return {
          status: 200,
          body: {
            change: {
              ...detail({ status: 'approved', decidedByName: '李质量', decidedAt: '2026-11-29T04:00:00.000Z' }),
              signatureId: 'sig-2',
            },
          },
        };
      },
    });
    renderApp('/master-data/review');
    fireEvent.click(await screen.findByLabelText('审核 SUP-001'));
    const drawer = await reviewDrawer();
    expect(await within(drawer).findByText('华康医疗科技有限公司')).toBeTruthy();
    const nameRow = within(drawer).getByText('华康医疗科技有限公司').closest('tr')!;
    expect(nameRow.className).toContain('ml-changed-row');
    expect(within(nameRow).getByText('已变更')).toBeTruthy();
    expect(within(nameRow).getByText('华康医疗器械贸易有限公司')).toBeTruthy();
    // Unchanged rows are not marked.
    const usccRow = within(drawer).getAllByText('91310000MA1K000001')[0]!.closest('tr')!;
    expect(usccRow.className).not.toContain('ml-changed-row');

    fireEvent.click(button(drawer, '批准…'));
    const dialog = await signatureDialog('电子签名：批准');
    expect(
      within(dialog).getByText(/我已审核往来单位 SUP-001 华康医疗器械贸易有限公司 第 2 版的资料，同意生效。/),
    ).toBeTruthy();
    const code = await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码');
    fireEvent.change(code, { target: { value: '000000' } });
    fireEvent.click(button(dialog, '签名并批准'));
    expect(await within(dialog).findByText(/验证码不正确或已使用过/)).toBeTruthy();
    fireEvent.change(code, { target: { value: '123 456' } });
    fireEvent.click(button(dialog, '签名并批准'));
    expect(await screen.findByText('已批准 SUP-001，新版本已生效。')).toBeTruthy();
    expect(decisions).toEqual([
      { decision: 'approve', note: '', code: '000000' },
      { decision: 'approve', note: '', code: '123456' },
    ]);
    expect(await screen.findByText('没有待审核的资料')).toBeTruthy();
  });

  it('GSP-04 rejecting needs a note; the note goes with the signature', async () => {
    const decisions: unknown[] = [];
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [change()] } },
      [`GET /api/v1/master-data/changes/${CHANGE_ID}`]: { status: 200, body: { change: detail() } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`POST /api/v1/master-data/changes/${CHANGE_ID}/decision`]: (init) => {
        decisions.push(JSON.parse(init?.body as string));
        return { status: 200, body: { change: detail({ status: 'rejected' }) } };
      },
    });
    renderApp(`/master-data/review?change=${CHANGE_ID}`);
    const drawer = await reviewDrawer();
    fireEvent.click(await findButton(drawer, '驳回…'));
    expect(await within(drawer).findByText('驳回时请写明原因（至少 2 个字），提交人会据此修改。')).toBeTruthy();
    expect(screen.queryByText('电子签名：驳回')).toBeNull();
    fireEvent.change(within(drawer).getByLabelText('审核意见'), { target: { value: '缺少新营业执照复印件' } });
    fireEvent.click(button(drawer, '驳回…'));
    const dialog = await signatureDialog('电子签名：驳回');
    fireEvent.change(await within(dialog).findByLabelText('身份验证器应用中的 6 位验证码'), {
      target: { value: '654321' },
    });
    fireEvent.click(button(dialog, '签名并驳回'));
    await waitFor(() =>
      expect(decisions).toEqual([{ decision: 'reject', note: '缺少新营业执照复印件', code: '654321' }]),
    );
  });

  it('GSP-04 with a passkey: the dialog confirms with the passkey, then signs without a code', async () => {
    const credentials = installFakeWebAuthn();
    const calls: string[] = [];
    let decision: unknown;
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [change()] } },
      [`GET /api/v1/master-data/changes/${CHANGE_ID}`]: { status: 200, body: { change: detail() } },
      'GET /api/v1/auth/passkeys': {
        status: 200,
        body: {
          passkeys: [
            {
              id: 'pk-1',
              name: '办公室电脑',
              createdAt: '2026-11-01T08:00:00.000Z',
              lastUsedAt: null,
              deviceType: 'multiDevice',
              backedUp: true,
            },
          ],
          totpEnrolled: false,
        },
      },
      'POST /api/v1/auth/passkey/step-up/options': () => {
        calls.push('options');
        return AUTH_OPTIONS;
      },
      'POST /api/v1/auth/passkey/step-up': () => {
        calls.push('step-up');
        return { status: 200, body: { ok: true } };
      },
      [`POST /api/v1/master-data/changes/${CHANGE_ID}/decision`]: (init) => {
        calls.push('decision');
        decision = JSON.parse(init?.body as string);
        return { status: 200, body: { change: detail({ status: 'approved' }) } };
      },
    });
    renderApp(`/master-data/review?change=${CHANGE_ID}`);
    const drawer = await reviewDrawer();
    fireEvent.click(await findButton(drawer, '批准…'));
    const dialog = await signatureDialog('电子签名：批准');
    fireEvent.click(await findButton(dialog, '用通行密钥签名'));
    expect(await screen.findByText('已批准 SUP-001，新版本已生效。')).toBeTruthy();
    expect(calls).toEqual(['options', 'step-up', 'decision']);
    expect(decision).toEqual({ decision: 'approve', note: '' });
    expect(credentials.get).toHaveBeenCalledTimes(1);
    // No authenticator app: no code field is offered.
    expect(screen.queryByLabelText('身份验证器应用中的 6 位验证码')).toBeNull();
  });

  it('AC-01 the QA review menu entry needs master-data.change.approve; readers see the master-data menu only', async () => {
    mockApi({
      'GET /api/v1/session': session(['master-data.record.read']),
      'GET /api/v1/master-data/parties': { status: 200, body: { total: 0, parties: [] } },
    });
    renderApp('/master-data/parties');
    expect(await screen.findByRole('menuitem', { name: '往来单位' })).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: '资质校验' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: '质量审核' })).toBeNull();
  });
});

describe('master data: products, trade check, expiry, warehouses', SLOW, () => {
  it('VAL-01 a wrong GTIN check digit comes back from the server and shows on the UDI-DI field; a UDI-DI in use is named', async () => {
    let sent: { product: ProductView } | undefined;
    let attempts = 0;
    const approved = { ...stent, status: 'approved' as const, version: 1, pendingChangeId: null };
    mockApi({
      'GET /api/v1/session': session(ALL),
      [`GET /api/v1/master-data/products/${PRODUCT_ID}`]: { status: 200, body: { product: approved } },
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [] } },
      [`POST /api/v1/master-data/products/${PRODUCT_ID}/changes`]: (init) => {
        sent = JSON.parse(init?.body as string) as { product: ProductView };
        attempts += 1;
        if (attempts === 1) {
          return {
            status: 409,
            body: {
              code: 'conflict',
              message: 'The UDI-DI 06901234567891 already identifies product PRD-OTHER.',
              requestId: 'req-dup',
            },
          };
        }
        return {
          status: 400,
          body: {
            code: 'validation_failed',
            message: 'The request is not valid; see the listed fields.',
            requestId: 'req-gtin',
            issues: [{ path: 'body.product.packages.0.dis.0.di', message: 'a GTIN-14 with a valid check digit' }],
          },
        };
      },
    });
    renderApp(`/master-data/products/${PRODUCT_ID}`);
    expect(await screen.findByText('06901234567892')).toBeTruthy();
    fireEvent.click(button(document.body, '提出变更'));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('包装层级 1 的第 1 个 UDI-DI'), {
      target: { value: '06901234567891' },
    });
    fireEvent.change(within(drawer).getByLabelText('提交原因'), { target: { value: '更正 UDI-DI' } });
    fireEvent.click(button(document.body, '提交审核'));
    expect(await within(drawer).findByText(/与现有记录冲突：编码或 UDI-DI 已被其他记录使用/)).toBeTruthy();
    expect(within(drawer).getByText('The UDI-DI 06901234567891 already identifies product PRD-OTHER.')).toBeTruthy();
    fireEvent.click(button(document.body, '提交审核'));
    expect(
      await within(drawer).findByText('GS1 的 UDI-DI 应为 14 位 GTIN，且校验位正确。请核对标签上的条码数字。'),
    ).toBeTruthy();
    expect(sent?.product).toMatchObject({
      certificateIssuedOn: '2023-04-01',
      certificateValidUntil: '2028-03-31',
      implantable: true,
      humidityMax: 80,
      registrantLicenceNo: null,
      packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: '06901234567891' }] }],
    });
  });

  it('GSP-02 recording a certificate cancellation sends the reason', async () => {
    let reason: unknown;
    const approved = { ...stent, status: 'approved' as const, version: 1, pendingChangeId: null };
    mockApi({
      'GET /api/v1/session': session(['master-data.record.read', 'master-data.record.edit']),
      [`GET /api/v1/master-data/products/${PRODUCT_ID}`]: () => ({
        status: 200,
        body: { product: reason ? { ...approved, certificateCancelledAt: '2026-11-30T02:00:00.000Z' } : approved },
      }),
      'GET /api/v1/master-data/changes': { status: 200, body: { changes: [] } },
      [`POST /api/v1/master-data/products/${PRODUCT_ID}/certificate-cancellation`]: (init) => {
        reason = JSON.parse(init?.body as string);
        return { status: 200, body: { product: { ...approved, certificateCancelledAt: '2026-11-30T02:00:00.000Z' } } };
      },
    });
    renderApp(`/master-data/products/${PRODUCT_ID}`);
    fireEvent.click(await findButton(document.body, '登记注册证注销'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('注销依据'), { target: { value: '国家局公告注销' } });
    fireEvent.click(button(dialog, '登记注销'));
    await waitFor(() => expect(reason).toEqual({ reason: '国家局公告注销' }));
    expect(await screen.findByText(/注册证 国械注准20233130001 已于 .* 登记注销/)).toBeTruthy();
    expect(screen.queryByText('登记注册证注销', { selector: 'button span' })).toBeNull();
  });

  it('GSP-02 the trade check lists every block in the interface language with what to do', async () => {
    let asked: unknown;
    mockApi({
      'GET /api/v1/session': session(['master-data.record.read']),
      'GET /api/v1/master-data/parties': {
        status: 200,
        body: { total: 1, parties: [{ ...supplier, status: 'pending' }] },
      },
      'GET /api/v1/master-data/products': { status: 200, body: { total: 1, products: [stent] } },
      'POST /api/v1/master-data/trade-check': (init) => {
        asked = JSON.parse(init?.body as string);
        return {
          status: 200,
          body: {
            allowed: false,
            on: '2026-11-29',
            blocks: [
              {
                reason: 'party_not_approved',
                zh: '企业 SUP-001 的首营资料尚未审批。',
                en: 'Party SUP-001 is not approved.',
              },
              {
                reason: 'product_not_approved',
                zh: '产品 PRD-STENT-01 尚未审批。',
                en: 'Product PRD-STENT-01 is not approved.',
              },
            ],
          },
        };
      },
    });
    const { i18n } = renderApp('/master-data/trade-check');
    fireEvent.mouseDown(await screen.findByLabelText('往来单位'));
    fireEvent.click(
      await screen.findByText('SUP-001 · 华康医疗器械贸易有限公司 (待审核)', {
        selector: '.ant-select-item-option-content',
      }),
    );
    fireEvent.mouseDown(screen.getByLabelText('产品'));
    fireEvent.click(
      await screen.findByText(/PRD-STENT-01 · 冠状动脉支架系统/, { selector: '.ant-select-item-option-content' }),
    );
    fireEvent.click(screen.getByLabelText('销售（售给客户）'));
    fireEvent.click(button(document.body, '校验'));
    expect(await screen.findByText('企业 SUP-001 的首营资料尚未审批。')).toBeTruthy();
    expect(screen.getByText('产品 PRD-STENT-01 尚未审批。')).toBeTruthy();
    expect(screen.getByText(/处理：请质量管理人员在“质量审核”中审批该单位的首营资料/)).toBeTruthy();
    expect(asked).toEqual({ direction: 'sale', partyId: PARTY_ID, productId: PRODUCT_ID });
    await i18n.changeLanguage('en');
    expect(await screen.findByText('Party SUP-001 is not approved.')).toBeTruthy();
  });

  it('GSP-02 a qualification_blocked error lists its reasons and says what to do', () => {
    const i18n = createAppI18n('zh-CN');
    const error = new ApiError({
      status: 409,
      code: 'qualification_blocked',
      message: 'x',
      requestId: 'req-qb',
      issues: [
        {
          path: 'qualification.0',
          message: '企业 DIS-001 的经营许可证已过期。 / The licence of DIS-001 expired.',
          code: 'licence_expired',
        },
        {
          path: 'qualification.1',
          message: '经营范围不含 III:13-07-02。 / Scope lacks III:13-07-02.',
          code: 'scope_not_covered',
        },
      ],
    });
    render(
      <I18nextProvider i18n={i18n}>
        <ApiErrorAlert error={error} />
      </I18nextProvider>,
    );
    expect(screen.getByText('资质校验未通过，不能开具该单据：')).toBeTruthy();
    const items = within(screen.getByTestId('qualification-reasons')).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      '企业 DIS-001 的经营许可证已过期。 / The licence of DIS-001 expired.',
      '经营范围不含 III:13-07-02。 / Scope lacks III:13-07-02.',
    ]);
    expect(screen.getByText(/请按上述原因补齐或更新资质/)).toBeTruthy();
    expect(screen.getByText('请求编号：req-qb')).toBeTruthy();
  });

  it('GSP art. 51(5) the expiry dashboard counts each group and links to the owning record', async () => {
    const item = (level: 'expired' | 'due30' | 'due90', days: number, number: string) => ({
      kind: 'licence',
      document: 'operating_licence',
      number,
      ownerType: 'party',
      ownerId: PARTY_ID,
      ownerCode: 'SUP-001',
      ownerName: '华康医疗器械贸易有限公司',
      validUntil: inDays(days),
      daysLeft: days,
      level,
    });
    mockApi({
      'GET /api/v1/session': session(['master-data.record.read']),
      'GET /api/v1/master-data/expiry': {
        status: 200,
        body: {
          today: inDays(0),
          leadDays: [90, 30],
          items: [
            item('expired', -2, 'A-1'),
            item('due30', 5, 'A-2'),
            item('due30', 20, 'A-3'),
            {
              ...item('due90', 60, '国械注准20233130001'),
              kind: 'certificate',
              document: 'registration_certificate',
              ownerType: 'product',
              ownerId: PRODUCT_ID,
              ownerCode: 'PRD-STENT-01',
            },
          ],
        },
      },
    });
    renderApp('/master-data/expiry');
    expect(await screen.findByText('A-2')).toBeTruthy();
    expect(within(screen.getByTestId('expiry-expired')).getByText('1')).toBeTruthy();
    expect(within(screen.getByTestId('expiry-due30')).getByText('2')).toBeTruthy();
    expect(within(screen.getByTestId('expiry-due90')).getByText('1')).toBeTruthy();
    const certificateRow = screen.getByText('国械注准20233130001').closest('tr')!;
    expect(within(certificateRow).getByText('医疗器械注册证')).toBeTruthy();
    expect(within(certificateRow).getByRole('link').getAttribute('href')).toBe(`/master-data/products/${PRODUCT_ID}`);
    expect(within(screen.getByText('A-1').closest('tr')!).getByText('已过 2 天')).toBeTruthy();
  });

  it('GSP warehouses show GSP colour zones; an area is added in a zone', async () => {
    let sent: unknown;
    const warehouse = {
      id: '01900000-0000-7000-8000-0000000000e1',
      code: 'WH-SH',
      name: '上海仓',
      site: 'SH',
      address: '示例路 1 号',
      areas: [
        {
          id: '01900000-0000-7000-8000-0000000000f1',
          code: 'A-Q',
          name: '待验区一',
          zone: 'quarantine',
          storage: 'normal',
          locations: [{ id: 'l1', code: 'Q-01', active: true }],
        },
        {
          id: '01900000-0000-7000-8000-0000000000f2',
          code: 'A-N',
          name: '不合格区',
          zone: 'nonconforming',
          storage: 'normal',
          locations: [],
        },
      ],
    };
    mockApi({
      'GET /api/v1/session': session(ALL),
      'GET /api/v1/master-data/warehouses': { status: 200, body: { warehouses: [warehouse] } },
      [`POST /api/v1/master-data/warehouses/${warehouse.id}/areas`]: (init) => {
        sent = JSON.parse(init?.body as string);
        return { status: 201, body: { warehouse } };
      },
    });
    renderApp('/master-data/warehouses');
    expect(await screen.findByText('WH-SH · 上海仓')).toBeTruthy();
    expect(screen.getByText('待验区').getAttribute('data-zone-colour')).toBe('yellow');
    expect(screen.getByText('不合格品区').getAttribute('data-zone-colour')).toBe('red');
    expect(screen.getByText('Q-01')).toBeTruthy();
    fireEvent.click(button(document.body, '新建库区'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('编码'), { target: { value: 'A-G' } });
    fireEvent.change(within(dialog).getByLabelText('名称'), { target: { value: '合格品区一' } });
    fireEvent.mouseDown(within(dialog).getByLabelText('色标库区'));
    fireEvent.click((await screen.findAllByText('合格品区')).at(-1)!);
    fireEvent.click(button(dialog, '创建'));
    await waitFor(() =>
      expect(sent).toEqual({ code: 'A-G', name: '合格品区一', zone: 'qualified', storage: 'normal' }),
    );
  });
});
