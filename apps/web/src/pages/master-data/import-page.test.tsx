import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { fileNameOf } from '../../api/md-import';
import { AppRoot } from '../../app/app-root';
import { createAppI18n } from '../../app/i18n';
import { createQueryClient } from '../../app/query-client';
import { mockApi, renderApp } from '../../../test/render-app';
import { ExportButtons } from './export-buttons';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID = '01a22508-4a30-7000-8000-000000000001';

const session = (permissions: string[]) => ({
  status: 200,
  body: {
    user: { id: 'a1', name: '李质量', login: 'qa.li' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

const QA = ['master-data.record.read', 'master-data.record.edit', 'master-data.change.approve'];

function view(overrides: Record<string, unknown>) {
  return {
    importId: ID,
    kind: 'products',
    format: 'xlsx',
    status: 'validating',
    sha256: 'ab'.repeat(32),
    rows: 0,
    processed: 0,
    valid: 0,
    errorCount: 0,
    errors: [],
    message: null,
    createdByName: '李质量',
    createdAt: '2026-11-29T02:00:00.000Z',
    committedByName: null,
    committedAt: null,
    changes: { pending: 0, approved: 0, rejected: 0 },
    ...overrides,
  };
}

/** Answers the polled import with each view in turn, then keeps answering with the last. */
function sequence(views: Record<string, unknown>[]) {
  let i = 0;
  return () => ({ status: 200, body: { import: views[Math.min(i++, views.length - 1)] } });
}

function chooseFile(name: string) {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  expect(input).not.toBeNull();
  fireEvent.change(input!, { target: { files: [new File(['PK'], name, { type: XLSX })] } });
}

describe('master-data import wizard', () => {
  it('FILE-01 uploads the file as its own body, shows the progress of the check, then the row errors', async () => {
    const fetchMock = mockApi({
      'GET /api/v1/session': session(QA),
      'POST /api/v1/master-data/imports': { status: 202, body: { import: view({}) } },
      [`GET /api/v1/master-data/imports/${ID}`]: sequence([
        view({ rows: 1000, processed: 400 }),
        view({
          status: 'validated',
          rows: 1000,
          processed: 1000,
          valid: 997,
          errorCount: 3,
          errors: [
            { row: 1, column: 'specification', code: 'missing_column', message: 'the column is missing' },
            { row: 3, column: 'dis', code: 'invalid', message: 'a GTIN-14 with a valid check digit' },
            { row: 5, column: 'code', code: 'duplicate_in_file', message: 'the code IMP-000001 is also in row 2' },
          ],
        }),
      ]),
    });
    renderApp('/master-data/import');
    expect(await screen.findByText('主数据批量导入', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('Excel 模板（含填写说明）')).toBeTruthy();
    chooseFile('产品.xlsx');

    expect(await screen.findByText('正在校验：400 / 1000 行', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    const uploadCall = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(uploadCall?.[0] as string).toBe('/api/v1/master-data/imports?kind=products');
    expect((uploadCall?.[1]?.headers as Record<string, string>)['content-type']).toBe(XLSX);
    expect(uploadCall?.[1]?.body).toBeInstanceOf(File);

    expect(
      await screen.findByText('发现错误 3 处，未保存任何数据。请修改文件后重新上传。', {}, { timeout: 5000 }),
    ).toBeTruthy();
    expect(screen.getByText('缺少列')).toBeTruthy();
    expect(screen.getByText('规格')).toBeTruthy();
    expect(screen.getByText('UDI-DI')).toBeTruthy();
    expect(screen.getByText('a GTIN-14 with a valid check digit')).toBeTruthy();
    expect(screen.getByText('文件内重复')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '提交为首营资料' })).toBeNull();
    expect(window.location.search).toBe(`?id=${ID}`);
  });

  it('GSP-04 a valid file is committed with a reason, then QA approves the whole import with one code', async () => {
    let approved = false;
    const committed = (pending: number, ok: number) =>
      view({
        status: 'committed',
        rows: 3,
        processed: 3,
        valid: 3,
        committedByName: '李质量',
        committedAt: '2026-11-29T02:01:00.000Z',
        changes: { pending, approved: ok, rejected: 0 },
      });
    const polled = sequence([
      view({ status: 'validated', rows: 3, processed: 3, valid: 3 }),
      view({ status: 'committing', rows: 3, processed: 1 }),
      committed(3, 0),
    ]);
    const fetchMock = mockApi({
      'GET /api/v1/session': session(QA),
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      [`GET /api/v1/master-data/imports/${ID}`]: () =>
        approved ? { status: 200, body: { import: committed(0, 3) } } : polled(),
      [`POST /api/v1/master-data/imports/${ID}/commit`]: {
        status: 202,
        body: { import: view({ status: 'committing', rows: 3, processed: 0 }) },
      },
      [`POST /api/v1/master-data/imports/${ID}/approve`]: () => {
        approved = true;
        return { status: 200, body: { import: committed(0, 3), approved: 3, signatureId: 'sig-1' } };
      },
    });
    renderApp(`/master-data/import?id=${ID}`);
    expect(await screen.findByText('全部 3 行校验通过，尚未保存。', {}, { timeout: 5000 })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('提交原因'), { target: { value: '期初首营资料批量导入' } });
    fireEvent.click(screen.getByRole('button', { name: '提交为首营资料' }));
    expect(await screen.findByText('已提交 3 份首营资料，等待质量审核。', {}, { timeout: 8000 })).toBeTruthy();
    const commitCall = fetchMock.mock.calls.find(([url]) => (url as string).endsWith('/commit'));
    expect(JSON.parse(commitCall?.[1]?.body as string)).toEqual({ reason: '期初首营资料批量导入' });

    expect(await screen.findByText('批量审批此次导入')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '签名并批准' }));
    expect(await screen.findByText('已批准 3 份首营资料。', {}, { timeout: 5000 })).toBeTruthy();
    const approveCall = fetchMock.mock.calls.find(([url]) => (url as string).endsWith('/approve'));
    expect(JSON.parse(approveCall?.[1]?.body as string)).toEqual({ note: '', code: '123456' });
    await waitFor(() => expect(screen.queryByText('批量审批此次导入')).toBeNull());
  });

  it('AC-01 the menu offers the import only with the edit permission', async () => {
    mockApi({ 'GET /api/v1/session': session(['master-data.record.read']) });
    renderApp('/');
    expect(await screen.findByText('培训', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByText('主数据导入')).toBeNull();
  });

  it('AC-01 QA staff find the import in the menu', async () => {
    mockApi({ 'GET /api/v1/session': session(QA) });
    renderApp('/');
    // The import sits in the master-data menu group.
    fireEvent.click(await screen.findByText('主数据', {}, { timeout: 5000 }));
    expect(await screen.findByText('主数据导入', {}, { timeout: 5000 })).toBeTruthy();
  });

  it('VAL-06 the export buttons download the file under the name the server gives', async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        new Response('\uFEFF"产品编码 / Product code"\r\n', {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="medledger-products-2026-11-29.csv"; filename*=UTF-8''medledger-products-2026-11-29.csv`,
          },
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const created = vi.fn(() => 'blob:test');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const router = createMemoryRouter([{ path: '/', element: <ExportButtons kind="products" /> }]);
    render(<AppRoot nonce={undefined} i18n={createAppI18n()} queryClient={createQueryClient()} router={router} />);
    fireEvent.click(await screen.findByRole('button', { name: /导出 CSV/ }));
    await waitFor(() => expect(clicked).toEqual(['medledger-products-2026-11-29.csv']));
    expect(fetchMock.mock.calls[0]?.[0] as string).toBe('/api/v1/master-data/products/export?format=csv');
    expect(created).toHaveBeenCalledTimes(1);
    expect(fileNameOf(`attachment; filename="__.xlsx"; filename*=UTF-8''%E4%BA%A7%E5%93%81.xlsx`, 'x')).toBe(
      '产品.xlsx',
    );
    expect(fileNameOf(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
