import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const STRONG = 'Lantern orchard 7 violet ferry';
const valid = { status: 200, body: { valid: true, expiresAt: '2026-11-29T12:00:00.000Z' } };

async function fillForm(values: { login: string; name: string; password: string; confirm: string }) {
  fireEvent.change(await screen.findByLabelText('登录账号'), { target: { value: values.login } });
  fireEvent.change(screen.getByLabelText('姓名'), { target: { value: values.name } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: values.password } });
  fireEvent.change(screen.getByLabelText('确认密码'), { target: { value: values.confirm } });
}
const checkCall = (token: string): [string, RequestInit] => [
  '/api/v1/setup/token/check',
  expect.objectContaining({
    method: 'POST',
    headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
    body: JSON.stringify({ token }),
  }) as RequestInit,
];

describe('setup page', () => {
  it('checks the token from the fragment, removes it from the address bar and shows that it is valid', async () => {
    const fetchMock = mockApi({
      'POST /api/v1/setup/token/check': { status: 200, body: { valid: true, expiresAt: '2026-11-29T12:00:00.000Z' } },
    });
    renderApp(`/setup#token=${TOKEN}`);

    expect(await screen.findByText('设置链接有效')).toBeTruthy();
    expect(screen.getByText(/此设置链接有效期至 .*2026/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '创建管理员账户' })).toBeTruthy();
    expect(screen.queryByText('当前版本尚不能创建账户。')).toBeNull();
    expect(fetchMock).toHaveBeenCalledWith(...checkCall(TOKEN));
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/setup');
    expect(window.location.href).not.toContain(TOKEN);
  });

  it('offers the first-administrator form in English', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({ 'POST /api/v1/setup/token/check': valid });
    renderApp(`/setup#token=${TOKEN}`);

    expect(await screen.findByText('The setup link is valid')).toBeTruthy();
    expect(screen.getByLabelText('Login').getAttribute('autocomplete')).toBe('username');
    expect(screen.getByLabelText('Name')).toBeTruthy();
    expect(screen.getByLabelText('Password').getAttribute('autocomplete')).toBe('new-password');
    expect(screen.getByLabelText('Confirm the password').getAttribute('autocomplete')).toBe('new-password');
    expect(screen.getByRole('button', { name: 'Create the administrator account' })).toBeTruthy();
    expect(screen.queryByText('Account creation is not yet available in this version.')).toBeNull();
  });

  it('creates the first administrator with the token from the fragment, then continues on /enrol-totp', async () => {
    const fetchMock = mockApi({
      'POST /api/v1/setup/token/check': valid,
      'POST /api/v1/setup/admin': { status: 201, body: { next: 'enrol_totp', methods: [] } },
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:wang.wu?secret=JBSWY3DPEHPK3PXP' },
      },
    });
    renderApp(`/setup#token=${TOKEN}`);

    await fillForm({ login: ' wang.wu ', name: ' 王五 ', password: STRONG, confirm: STRONG });
    fireEvent.click(screen.getByRole('button', { name: '创建管理员账户' }));

    expect(await screen.findByRole('heading', { name: '绑定身份验证器' })).toBeTruthy();
    expect(window.location.pathname).toBe('/enrol-totp');
    expect(window.location.href).not.toContain(TOKEN);
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/setup/admin',
      expect.objectContaining({
        method: 'POST',
        headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
        // The password exactly as typed; login and name without the surrounding spaces.
        body: JSON.stringify({ token: TOKEN, login: 'wang.wu', name: '王五', password: STRONG }),
      }),
    );
  });

  it('shows the server’s password problems under the password field', async () => {
    const fetchMock = mockApi({
      'POST /api/v1/setup/token/check': valid,
      'POST /api/v1/setup/admin': {
        status: 400,
        body: {
          code: 'validation_failed',
          message: 'Choose a stronger password.',
          requestId: 'req-9',
          issues: [
            { path: 'body.password', message: 'This password is too common or appears in lists of leaked passwords.' },
            { path: 'body.password', message: 'Do not use your login, your name or its pinyin.' },
          ],
        },
      },
    });
    renderApp(`/setup#token=${TOKEN}`);

    const weakButLong = 'wangwu-password-2026';
    await fillForm({ login: 'wang.wu', name: '王五', password: weakButLong, confirm: weakButLong });
    fireEvent.click(screen.getByRole('button', { name: '创建管理员账户' }));

    const problem = await screen.findByText('This password is too common or appears in lists of leaked passwords.');
    expect(screen.getByText('Do not use your login, your name or its pinyin.')).toBeTruthy();
    expect(screen.getByText('服务器认为此密码不够安全，请按密码框下方的提示修改后重试。')).toBeTruthy();
    // The problems belong to the password field (its error list), which keeps what was typed.
    const passwordItem = screen.getByLabelText<HTMLInputElement>('密码').closest('.ant-form-item');
    expect(passwordItem?.contains(problem)).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>('密码').value).toBe(weakButLong);
    expect(window.location.pathname).toBe('/setup');
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/v1/setup/admin')).toHaveLength(1);
  });

  it('says the link is no longer valid when creating the administrator is refused (410)', async () => {
    mockApi({
      'POST /api/v1/setup/token/check': valid,
      'POST /api/v1/setup/admin': {
        status: 410,
        body: { code: 'setup_token_invalid', message: 'Setup token is invalid or expired', requestId: 'req-10' },
      },
    });
    renderApp(`/setup#token=${TOKEN}`);

    await fillForm({ login: 'wang.wu', name: '王五', password: STRONG, confirm: STRONG });
    fireEvent.click(screen.getByRole('button', { name: '创建管理员账户' }));

    expect(await screen.findByText('设置链接无效')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '创建管理员账户' })).toBeNull();
  });

  it('checks the form before sending: login format, password length and confirmation', async () => {
    const fetchMock = mockApi({ 'POST /api/v1/setup/token/check': valid });
    renderApp(`/setup#token=${TOKEN}`);

    await fillForm({ login: 'wang wu', name: '王五', password: 'short', confirm: 'different' });
    fireEvent.click(screen.getByRole('button', { name: '创建管理员账户' }));

    expect(await screen.findByText('登录账号为 3 至 64 个字符，只能包含字母、数字及 . _ - @')).toBeTruthy();
    expect(screen.getByText('管理员密码至少需要 15 个字符')).toBeTruthy();
    expect(screen.getByText('两次输入的密码不一致')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/setup/admin');
  });

  it('rates the password while it is typed', async () => {
    mockApi({ 'POST /api/v1/setup/token/check': valid });
    renderApp(`/setup#token=${TOKEN}`);

    const password = await screen.findByLabelText('密码');
    expect(screen.getByText(/管理员密码至少 15 个字符/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('登录账号'), { target: { value: 'wang.wu' } });
    fireEvent.change(password, { target: { value: 'wang.wu123456' } });
    const meter = await screen.findByTestId('password-strength');
    expect(meter.getAttribute('data-score')).toBe('0');
    expect(within(meter).getByText('密码强度：非常弱')).toBeTruthy();
    expect(within(meter).getByText('长度不足 15 个字符')).toBeTruthy();
    expect(within(meter).getByText('不要包含登录账号或姓名')).toBeTruthy();
    expect(within(meter).getByText('避免连续的字母、数字或键盘序列（如 abcd、1234、qwer）')).toBeTruthy();

    fireEvent.change(password, { target: { value: STRONG } });
    await waitFor(() => expect(screen.getByTestId('password-strength').getAttribute('data-score')).toBe('4'));
    expect(screen.getByText('密码强度：非常强')).toBeTruthy();
  });

  it('explains how to get a new link when the server rejects the token (410)', async () => {
    const fetchMock = mockApi({
      'POST /api/v1/setup/token/check': {
        status: 410,
        body: { code: 'setup_token_invalid', message: 'Setup token is invalid or expired', requestId: 'req-7' },
      },
    });
    renderApp(`/setup#token=${TOKEN}`);

    expect(await screen.findByText('设置链接无效')).toBeTruthy();
    expect(screen.getByText(/请重启服务器，或运行 medledger admin setup-token/)).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith(...checkCall(TOKEN));
    expect(window.location.hash).toBe('');
  });

  it('never reads the token from the query string', async () => {
    const fetchMock = mockApi({});
    renderApp(`/setup?token=${TOKEN}`);

    expect(await screen.findByText(/地址中没有设置令牌/)).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/setup/token/check');
  });

  it('rejects a truncated link without sending it', async () => {
    const fetchMock = mockApi({});
    renderApp(`/setup#token=${TOKEN.slice(0, 20)}`);

    expect(await screen.findByText('设置链接无效')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe(''));
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/setup/token/check');
  });

  it('checks a new link pasted while the page is open (same-document navigation)', async () => {
    const other = TOKEN.replace('AbCd', 'ZyXw');
    mockApi({
      'POST /api/v1/setup/token/check': (init) =>
        init?.body === JSON.stringify({ token: other })
          ? { status: 200, body: { valid: true, expiresAt: '2026-11-29T12:00:00.000Z' } }
          : { status: 410, body: { code: 'setup_token_invalid', message: 'expired', requestId: 'req-8' } },
    });
    renderApp(`/setup#token=${TOKEN}`);
    expect(await screen.findByText('设置链接无效')).toBeTruthy();

    act(() => {
      window.history.pushState(null, '', `/setup#token=${other}`);
      window.dispatchEvent(new PopStateEvent('popstate'));
    });

    expect(await screen.findByText('设置链接有效')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe(''));
  });
});
