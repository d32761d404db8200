import type { AuditEventDetailResponse, AuditEventView, AuditStatusResponse } from '@medledger/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';

type Handler = MockResponse | ((url: URL) => MockResponse);

/** The shared API mock, with handlers that only need the URL. */
function stubApi(table: Record<string, Handler>) {
  return mockApi(
    Object.fromEntries(
      Object.entries(table).map(([key, h]) => [
        key,
        typeof h === 'function' ? (_init: RequestInit | undefined, url: URL) => h(url) : h,
      ]),
    ),
  );
}

/** Every URL requested under `pathname`, in order. */
function requests(fetchMock: ReturnType<typeof stubApi>, pathname: string): URL[] {
  return fetchMock.mock.calls
    .map(([input]) => new URL(typeof input === 'string' ? input : 'about:blank', 'http://localhost'))
    .filter((url) => url.pathname === pathname);
}

const session = (permissions: string[]): MockResponse => ({
  status: 200,
  body: {
    user: { id: 'u1', name: '张三', login: 'zhang.san' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

const CHECKPOINT_ROOT = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';
const PUBLIC_KEY = 'MCowBQYDK2VwAyEAq1w2e3r4t5y6u7i8o9p0aSdFgHjKlZxCvBnM1234567=';

const statusOk: AuditStatusResponse = {
  treeSize: 1234,
  unsealed: 3,
  latestCheckpoint: { treeSize: 1230, rootHash: CHECKPOINT_ROOT, at: '2026-11-29T10:00:00.000Z' },
  lastVerification: {
    at: '2026-11-29T09:00:00.000Z',
    ok: true,
    treeSize: 1230,
    firstBadIndex: null,
    problems: [],
    trigger: 'scheduled',
  },
  publicKey: PUBLIC_KEY,
  origin: 'medledger.example.cn/audit',
};

const statusFailed: AuditStatusResponse = {
  ...statusOk,
  lastVerification: {
    at: '2026-11-29T09:30:00.000Z',
    ok: false,
    treeSize: 1230,
    firstBadIndex: 7,
    problems: ['leaf 7: hash does not match the stored event', 'checkpoint 1230: root mismatch'],
    trigger: 'cli',
  },
};

function event(overrides: Partial<AuditEventView>): AuditEventView {
  return {
    index: 5,
    id: '0b7f3c1e-0000-4000-8000-000000000001',
    at: '2026-11-29T08:15:30.000Z',
    action: 'audit.chain.verified',
    outcome: 'success',
    reason: null,
    actor: { kind: 'user', id: 'u1', name: '张三', roles: ['audit-admin'] },
    ip: '10.0.0.8',
    userAgent: 'Mozilla/5.0',
    requestId: 'req-abc',
    resource: null,
    data: { treeSize: 5, checkpoints: 1, trigger: 'cli' },
    changes: [],
    ...overrides,
  };
}

const firstPage = {
  events: [
    event({}),
    event({
      index: null,
      id: '0b7f3c1e-0000-4000-8000-000000000002',
      action: 'http.request.denied',
      outcome: 'denied',
      actor: null,
      ip: '203.0.113.9',
      resource: { type: 'device', id: 'DEV-001' },
      data: { method: 'GET', route: '/api/v1/audit/events', status: 403, code: 'forbidden' },
    }),
  ],
  nextBefore: '41',
};

const secondPage = {
  events: [
    event({
      index: 2,
      id: '0b7f3c1e-0000-4000-8000-000000000003',
      action: 'inventory.lot.recalled',
      outcome: 'failure',
      actor: { kind: 'user', id: 'u2', name: '李四', roles: [] },
    }),
  ],
  nextBefore: null,
};

const PROOF_HASHES = [
  '1111111111111111111111111111111111111111111111111111111111111111',
  '2222222222222222222222222222222222222222222222222222222222222222',
];
const CANONICAL = '{"action":"audit.chain.verified","at":"2026-11-29T08:15:30.000Z","data":{"trigger":"cli"}}';
const CHECKPOINT_NOTE = `medledger.example.cn/audit\n1230\no/HC1OW2BxgpOktcbX6PkBEiM0RVZneImaq7zN3u/wA=\n\n— medledger.example.cn/audit AbCdEf==\n`;

const detail: AuditEventDetailResponse = {
  event: firstPage.events[0]!,
  canonical: CANONICAL,
  leafHash: 'feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface',
  proof: { treeSize: 1230, rootHash: CHECKPOINT_ROOT, checkpoint: CHECKPOINT_NOTE, hashes: PROOF_HASHES },
};

function auditApi(
  overrides: Record<string, Handler> = {},
  permissions = ['audit.event.read'],
): ReturnType<typeof stubApi> {
  return stubApi({
    'GET /api/v1/session': session(permissions),
    'GET /api/v1/audit/status': { status: 200, body: statusOk },
    'GET /api/v1/audit/events': (url) => ({
      status: 200,
      body: url.searchParams.get('before') === '41' ? secondPage : firstPage,
    }),
    [`GET /api/v1/audit/events/${detail.event.id}`]: { status: 200, body: detail },
    ...overrides,
  });
}

/**
 * The button showing `text`. Found by its text rather than by role: computing accessible names over
 * the whole audit page (antd's CSS-in-JS makes every style lookup slow in jsdom) takes seconds.
 */
function button(text: string): HTMLButtonElement {
  const found = screen.getAllByText(text).flatMap((el) => el.closest('button') ?? []);
  expect(found, text).toHaveLength(1);
  return found[0]!;
}

async function openDetails(row: number, text = '详情') {
  const buttons = await waitFor(() => {
    const found = screen.getAllByText(text).flatMap((el) => el.closest('button') ?? []);
    expect(found.length).toBeGreaterThan(row);
    return found;
  });
  fireEvent.click(buttons[row]!);
  return screen.findByTestId('audit-drawer');
}

/** A page heading, checked by element rather than by role for the same reason. */
async function findHeading(text: string) {
  const el = await screen.findByText(text, { selector: 'h1, h2, h3, h4, h5, [role="heading"]' });
  return el;
}

/** Opens an antd Select by its form label and picks the option with `title`. */
async function pick(label: string, title: string, search?: string) {
  const input = screen.getByLabelText(label);
  fireEvent.mouseDown(input);
  if (search !== undefined) fireEvent.change(input, { target: { value: search } });
  const option = await waitFor(() => {
    const found = document.querySelector<HTMLElement>(`.ant-select-item-option[title="${title}"]`);
    expect(found).toBeTruthy();
    return found!;
  });
  fireEvent.click(option);
}

/** Types a time into one side of the range picker and confirms it. */
function typeTime(placeholder: string, text: string) {
  const input = screen.getByPlaceholderText(placeholder);
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
}

describe('audit menu', () => {
  it('shows the audit trail item only with audit.event.read', async () => {
    auditApi();
    renderApp('/');

    const item = await screen.findByRole('menuitem', { name: /审计日志/ });
    fireEvent.click(item);
    await waitFor(() => expect(window.location.pathname).toBe('/audit'));
    expect(await findHeading('审计日志')).toBeTruthy();
  });

  it('hides the item without the permission', async () => {
    auditApi({}, ['system.info.read']);
    renderApp('/');

    expect(await screen.findByRole('menuitem', { name: /首页/ })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: /审计日志/ })).toBeNull();
  });
});

describe('audit page', () => {
  it('shows a localized 403 page without the permission and never calls the audit API', async () => {
    const fetchMock = auditApi({}, []);
    renderApp('/audit');

    expect(await findHeading('无权访问')).toBeTruthy();
    expect(screen.getByText('403')).toBeTruthy();
    expect(button('返回首页')).toBeTruthy();
    expect(
      fetchMock.mock.calls.filter(([input]) => typeof input !== 'string' || input.startsWith('/api/v1/audit')),
    ).toEqual([]);
  });

  it('shows the integrity status when the last verification passed', async () => {
    auditApi();
    renderApp('/audit');

    const card = await screen.findByTestId('audit-status');
    expect(await within(card).findByText('完整性校验通过')).toBeTruthy();
    expect(within(card).getByText('1234')).toBeTruthy();
    expect(within(card).getByText('3')).toBeTruthy();
    expect(within(card).getByText('树大小 1230')).toBeTruthy();
    expect(within(card).getByText(/校验事件数：1230 · 触发方式：scheduled/)).toBeTruthy();
    // The root is shortened on screen but kept whole for copying and in the title.
    expect(within(card).getByTitle(CHECKPOINT_ROOT).textContent).toContain('a3f1c2d4e5b6…');
    expect(within(card).getByText(PUBLIC_KEY)).toBeTruthy();
    expect(within(card).getByText('medledger.example.cn/audit')).toBeTruthy();
    expect(within(card).queryByText('完整性校验失败')).toBeNull();
  });

  it('raises a red alert with every problem when verification failed', async () => {
    auditApi({ 'GET /api/v1/audit/status': { status: 200, body: statusFailed } });
    renderApp('/audit');

    const alert = (await screen.findByText('完整性校验失败')).closest('[role="alert"]');
    expect(alert).toBeTruthy();
    expect(alert!.className).toContain('ant-alert-error');
    const box = within(alert as HTMLElement);
    expect(box.getByText('首个异常事件序号：7')).toBeTruthy();
    expect(box.getByText('leaf 7: hash does not match the stored event')).toBeTruthy();
    expect(box.getByText('checkpoint 1230: root mismatch')).toBeTruthy();
    expect(box.getByText(/触发方式：cli/)).toBeTruthy();
    expect(screen.queryByText('完整性校验通过')).toBeNull();
  });

  it('shows an API error in the status card instead of crashing', async () => {
    auditApi({
      'GET /api/v1/audit/status': { status: 403, body: { code: 'forbidden', message: 'x', requestId: 'req-9' } },
    });
    renderApp('/audit');

    const card = await screen.findByTestId('audit-status');
    expect(await within(card).findByText('您没有执行此操作的权限。')).toBeTruthy();
    expect(within(card).getByText('请求编号：req-9')).toBeTruthy();
  });

  it('lists events with labels, coloured outcomes, actors, resources and sealing state', async () => {
    auditApi();
    renderApp('/audit');

    const table = await screen.findByTestId('audit-events');
    expect(await within(table).findByText('审计日志完整性校验通过')).toBeTruthy();
    expect(within(table).getByText('请求被拒绝（未登录、无权限或跨站）')).toBeTruthy();
    expect(within(table).getByText('成功').closest('.ant-tag')?.className).toContain('success');
    expect(within(table).getByText('被拒绝').closest('.ant-tag')?.className).toContain('error');
    expect(within(table).getByText('匿名')).toBeTruthy();
    expect(within(table).getByText('203.0.113.9')).toBeTruthy();
    expect(within(table).getByText('DEV-001')).toBeTruthy();
    expect(within(table).getByText('未封存')).toBeTruthy();
    expect(within(table).getByText('5')).toBeTruthy();
    const time = table.querySelector('time');
    expect(time?.getAttribute('dateTime')).toBe('2026-11-29T08:15:30.000Z');
  });

  it('sends only the filters that are set, with times as ISO instants', async () => {
    const fetchMock = auditApi();
    renderApp('/audit');
    await screen.findByText('审计日志完整性校验通过');
    // The first page is asked for without any query string at all.
    expect(requests(fetchMock, '/api/v1/audit/events').map((url) => url.search)).toEqual(['']);

    fireEvent.change(screen.getByLabelText('操作人'), { target: { value: '  zhang.san ' } });
    await pick('操作', '审计日志完整性校验失败', '校验失败');
    await pick('结果', '被拒绝');
    fireEvent.change(screen.getByLabelText('资源类型'), { target: { value: 'device' } });
    fireEvent.change(screen.getByLabelText('资源 ID'), { target: { value: '   ' } });
    typeTime('开始时间', '2026-11-01 08:00:00');
    typeTime('结束时间', '2026-11-30 18:00:00');
    fireEvent.click(button('查询'));

    await waitFor(() => expect(requests(fetchMock, '/api/v1/audit/events')).toHaveLength(2));
    const params = requests(fetchMock, '/api/v1/audit/events')[1]!.searchParams;
    expect([...params.keys()]).toEqual(['actor', 'action', 'outcome', 'resourceType', 'from', 'to']);
    expect(params.get('actor')).toBe('zhang.san');
    expect(params.get('action')).toBe('audit.chain.broken');
    expect(params.get('outcome')).toBe('denied');
    expect(params.get('resourceType')).toBe('device');
    expect(params.get('from')).toBe(new Date(2026, 10, 1, 8, 0, 0).toISOString());
    // The end second is included: the server's `to` is exclusive.
    expect(params.get('to')).toBe(new Date(2026, 10, 30, 18, 0, 1).toISOString());

    // Reset goes back to an unfiltered search.
    fireEvent.click(button('重置'));
    await waitFor(() => expect(requests(fetchMock, '/api/v1/audit/events').length).toBeGreaterThan(2));
    expect(requests(fetchMock, '/api/v1/audit/events').at(-1)!.search).toBe('');
  });

  it('loads the next page with the cursor from nextBefore and keeps the filters', async () => {
    const fetchMock = auditApi();
    renderApp('/audit');
    await screen.findByText('审计日志完整性校验通过');

    await pick('结果', '失败');
    fireEvent.click(button('查询'));
    await waitFor(() => expect(requests(fetchMock, '/api/v1/audit/events')).toHaveLength(2));
    expect(await screen.findByText('已显示 2 条事件')).toBeTruthy();

    fireEvent.click(await waitFor(() => button('加载更多')));

    expect(await screen.findByText('李四')).toBeTruthy();
    const last = requests(fetchMock, '/api/v1/audit/events').at(-1)!;
    expect(last.search).toBe('?outcome=failure&before=41');
    // Unknown actions are shown by their raw name.
    expect(screen.getByText('inventory.lot.recalled')).toBeTruthy();
    expect(screen.getByText('审计日志完整性校验通过')).toBeTruthy();
    expect(screen.getByText('已显示全部 3 条匹配的事件')).toBeTruthy();
    expect(screen.queryByText('加载更多')).toBeNull();
  });

  it('shows one event with its canonical bytes, leaf hash, inclusion proof and checkpoint', async () => {
    const fetchMock = auditApi();
    renderApp('/audit');

    const drawer = await openDetails(0);
    const view = within(drawer);
    expect(await view.findByText(CANONICAL)).toBeTruthy();
    expect(requests(fetchMock, `/api/v1/audit/events/${detail.event.id}`)).toHaveLength(1);
    expect(view.getByText(detail.leafHash!)).toBeTruthy();
    const hashes = view.getByTestId('audit-proof-hashes');
    expect([...hashes.querySelectorAll('li')].map((li) => li.textContent)).toEqual(PROOF_HASHES);
    expect(view.getByText('证明路径哈希（2 个）')).toBeTruthy();
    expect(view.getAllByText(CHECKPOINT_ROOT).length).toBeGreaterThan(0);
    expect(view.getByLabelText('签名检查点').textContent).toBe(CHECKPOINT_NOTE);
    expect(view.getByText(/此事件是大小为 1230 的已签名 Merkle 树（RFC 6962）中序号为 5 的叶子/)).toBeTruthy();
    expect(view.getByText(/medledger audit export .*medledger audit verify-bundle/)).toBeTruthy();
    expect(view.getByLabelText('事件数据').textContent).toBe(JSON.stringify(detail.event.data, null, 2));
    expect(view.getByText('audit.chain.verified')).toBeTruthy();
    expect(view.getByText('安全')).toBeTruthy();
  });

  it('explains that an unsealed event has no proof yet', async () => {
    const unsealed = firstPage.events[1]!;
    auditApi({
      [`GET /api/v1/audit/events/${unsealed.id}`]: {
        status: 200,
        body: { event: unsealed, canonical: '{}', leafHash: null, proof: null },
      },
    });
    renderApp('/audit');

    const drawer = await openDetails(1);
    expect(await within(drawer).findByText(/此事件尚未封存进 Merkle 树/)).toBeTruthy();
  });

  it('renders markup in event data as text (ATK-XSS-1)', async () => {
    const payload = '<img src=x onerror=alert(1)>';
    const hostile = event({
      id: '0b7f3c1e-0000-4000-8000-0000000000ff',
      action: payload,
      actor: { kind: 'user', id: payload, name: payload, roles: [payload] },
      userAgent: payload,
      resource: { type: payload, id: payload },
      data: { note: payload, nested: { html: `<script>alert(2)</script>${payload}` } },
      changes: [{ field: 'name', before: payload, after: '<b>bold</b>' }],
    });
    const alertSpy = vi.fn();
    vi.stubGlobal('alert', alertSpy);
    auditApi({
      'GET /api/v1/audit/events': { status: 200, body: { events: [hostile], nextBefore: null } },
      [`GET /api/v1/audit/events/${hostile.id}`]: {
        status: 200,
        body: { event: hostile, canonical: JSON.stringify(hostile), leafHash: null, proof: null },
      },
    });
    renderApp('/audit');

    const drawer = await openDetails(0);
    const data = await within(drawer).findByLabelText('事件数据');
    expect(data.textContent).toContain(payload);
    expect(within(drawer).getByLabelText('字段变更').textContent).toContain('<b>bold</b>');
    expect(within(drawer).getByLabelText(/规范化 JSON/).textContent).toContain(payload);
    expect(screen.getAllByText(payload).length).toBeGreaterThan(0);
    // Nothing from the payload became an element: the only image is the brand mark.
    expect(document.querySelectorAll('img[src="x"], script, b')).toHaveLength(0);
    expect([...document.querySelectorAll('img')].every((img) => img.getAttribute('src') !== 'x')).toBe(true);
    expect(alertSpy).not.toHaveBeenCalled();
  });

  it('switches to English labels', async () => {
    auditApi({ 'GET /api/v1/audit/status': { status: 200, body: statusFailed } });
    renderApp('/audit');
    await screen.findByText('审计日志完整性校验通过');

    fireEvent.click(button('English'));

    expect(await findHeading('Audit trail')).toBeTruthy();
    expect(within(document.querySelector<HTMLElement>('.ml-sider')!).getByText('Audit trail')).toBeTruthy();
    expect(screen.getByText('Verification FAILED')).toBeTruthy();
    expect(screen.getByText('First bad event index: 7')).toBeTruthy();
    expect(screen.getByText('Audit trail verified intact')).toBeTruthy();
    expect(screen.getByText('Request refused (not signed in, no permission, or cross-site)')).toBeTruthy();
    expect(screen.getByText('Success')).toBeTruthy();
    expect(screen.getByText('Denied')).toBeTruthy();
    expect(screen.getByText('not yet sealed')).toBeTruthy();
    expect(screen.getByText('Anonymous')).toBeTruthy();
    expect(button('Load more')).toBeTruthy();

    const drawer = await openDetails(0, 'Details');
    expect(
      await within(drawer).findByText(/This event is leaf 5 of a signed Merkle tree \(RFC 6962\) of size 1230/),
    ).toBeTruthy();
  });
});
