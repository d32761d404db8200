import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

const signedOut: MockResponse = {
  status: 401,
  body: { code: 'unauthenticated', message: 'x', requestId: 'r0' },
};
const notSignedIn = { 'GET /api/v1/session': signedOut };

const session: MockResponse = {
  status: 200,
  body: {
    user: { id: 'u1', name: '张三', login: 'zhang.san' },
    permissions: [],
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
};

const mfaNext: MockResponse = { status: 200, body: { next: 'mfa', methods: ['totp', 'recovery'] } };

const invalidCredentials = (requestId: string): MockResponse => ({
  status: 401,
  body: { code: 'invalid_credentials', message: 'The login or password is incorrect.', requestId },
});

/** The init of a JSON POST with exactly this body. */
const postOf = (body: unknown) =>
  expect.objectContaining({
    method: 'POST',
    credentials: 'same-origin',
    headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
    body: JSON.stringify(body),
  }) as RequestInit;

async function submitPassword(login: string, password: string) {
  fireEvent.change(await screen.findByLabelText('账号'), { target: { value: login } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('login page', () => {
  it('renders in Chinese by default', async () => {
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    const login = screen.getByLabelText('账号');
    expect(login.getAttribute('autocomplete')).toBe('username');
    const password = screen.getByLabelText('密码');
    expect(password.getAttribute('type')).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('current-password');
    expect(screen.getByRole('button', { name: '登录' }).getAttribute('type')).toBe('submit');
    expect(screen.getByRole('button', { name: 'English' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches to English and remembers the choice', async () => {
    mockApi(notSignedIn);
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: 'English' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Login')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: '中文' })).toBeTruthy();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('starts in the stored language', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('Secure compliance management for medical device distributors')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });

  it('ignores an unknown stored language', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'fr');
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
  });

  it('signs in with password and authenticator code, posting exactly what was typed', async () => {
    let signedIn = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (signedIn ? session : signedOut),
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['totp', 'recovery'] } },
      'POST /api/v1/auth/mfa/totp': () => {
        signedIn = true;
        return { status: 200, body: { next: 'done', methods: [] } };
      },
    });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('账号'), { target: { value: ' zhang.san ' } });
    const password = screen.getByLabelText('密码');
    // AUTH-05: pasting into the password field is never blocked.
    expect(fireEvent.paste(password)).toBe(true);
    fireEvent.change(password, { target: { value: ' correct horse ' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByRole('heading', { name: '两步验证' })).toBeTruthy();
    expect(screen.getByText(/输入账号 zhang.san 当前显示的 6 位验证码/)).toBeTruthy();
    const code = screen.getByLabelText<HTMLInputElement>('验证码');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(document.activeElement).toBe(code);
    // Spaces as some apps show the code are dropped while typing.
    fireEvent.change(code, { target: { value: '123 456' } });
    expect(code.value).toBe('123456');
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/auth/login',
      postOf({ login: 'zhang.san', password: ' correct horse ' }),
    );
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/mfa/totp', postOf({ code: '123456' }));
    // Only the language choice is ever stored in the browser.
    expect(Object.keys(window.localStorage)).toEqual([]);
  });

  it('shows one generic message for wrong credentials or a locked account (401 invalid_credentials)', async () => {
    mockApi({ ...notSignedIn, 'POST /api/v1/auth/login': invalidCredentials('req-43') });
    renderApp('/login');

    await submitPassword('li.si', 'wrong');

    expect(
      await screen.findByText('账号或密码不正确，或账号已被临时锁定。请核对后稍候再试，或联系管理员。'),
    ).toBeTruthy();
    expect(screen.getByText('请求编号：req-43')).toBeTruthy();
    // The password never outlives a failed attempt.
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('密码').value).toBe(''));
    expect(screen.getByLabelText<HTMLInputElement>('账号').value).toBe('li.si');
  });

  it('shows the generic message in English too', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({ ...notSignedIn, 'POST /api/v1/auth/login': invalidCredentials('req-44') });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('Login'), { target: { value: 'li.si' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(
      await screen.findByText(
        'The login or password is incorrect, or the account is temporarily locked. Check them and try again in a few minutes, or ask an administrator.',
      ),
    ).toBeTruthy();
  });

  it('asks to retry when the server is busy (503)', async () => {
    mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': {
        status: 503,
        body: { code: 'service_unavailable', message: 'busy', requestId: 'req-45' },
      },
    });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');

    expect(await screen.findByText('服务器正忙，请稍后重试。')).toBeTruthy();
  });

  it('shows the generic message for a wrong code and lets the user try again', async () => {
    let attempts = 0;
    mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': mfaNext,
      'POST /api/v1/auth/mfa/totp': () => {
        attempts += 1;
        return {
          status: 401,
          body: { code: 'invalid_credentials', message: 'The code is not valid.', requestId: `req-${attempts}` },
        };
      },
    });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');
    fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(
      await screen.findByText('验证码不正确。请输入身份验证器当前显示的验证码（并确认手机时间准确），或改用恢复码。'),
    ).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('验证码').value).toBe(''));
    expect(screen.getByRole('heading', { name: '两步验证' })).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
  });

  it('does not send a code that is not 6 digits', async () => {
    const fetchMock = mockApi({ ...notSignedIn, 'POST /api/v1/auth/login': mfaNext });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');
    fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(await screen.findByText('验证码为 6 位数字')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/mfa/totp');
  });

  it('signs in with a recovery code instead, sent in its canonical form', async () => {
    let signedIn = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (signedIn ? session : signedOut),
      'POST /api/v1/auth/login': mfaNext,
      'POST /api/v1/auth/mfa/recovery': () => {
        signedIn = true;
        return { status: 200, body: { next: 'done', methods: [] } };
      },
    });
    const { router } = renderApp('/login');
    await act(() => router.navigate('/login', { replace: true, state: { from: '/audit' } }));

    await submitPassword('zhang.san', 'correct horse');
    fireEvent.click(await screen.findByRole('button', { name: '无法使用身份验证器？改用恢复码' }));
    const code = await screen.findByLabelText<HTMLInputElement>('恢复码');
    expect(code.getAttribute('placeholder')).toBe('ABCDE-FGHJK-LMNPQ-RSTUV');
    expect(document.activeElement).toBe(code);
    fireEvent.change(code, { target: { value: ' abcde fghjk lmnpq rstuv ' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    await waitFor(() => expect(window.location.pathname).toBe('/audit'));
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/mfa/recovery', postOf({ code: 'ABCDE-FGHJK-LMNPQ-RSTUV' }));
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/mfa/totp');
  });

  it('says a wrong recovery code is not valid, and switches back to the authenticator code', async () => {
    mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': mfaNext,
      'POST /api/v1/auth/mfa/recovery': invalidCredentials('req-46'),
    });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');
    fireEvent.click(await screen.findByRole('button', { name: '无法使用身份验证器？改用恢复码' }));
    fireEvent.change(await screen.findByLabelText('恢复码'), { target: { value: 'ABCDE-FGHJK-LMNPQ-RSTUV' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));
    expect(await screen.findByText('恢复码不正确，或已经使用过。')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '改用身份验证器的验证码' }));
    expect(await screen.findByLabelText('验证码')).toBeTruthy();
    expect(screen.queryByText('恢复码不正确，或已经使用过。')).toBeNull();
  });

  it('goes back to the password step with a message when the sign-in expired (401 unauthenticated)', async () => {
    mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': mfaNext,
      'POST /api/v1/auth/mfa/totp': {
        status: 401,
        body: { code: 'unauthenticated', message: 'Sign in again.', requestId: 'req-47' },
      },
    });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');
    fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(
      await screen.findByText('本次登录已失效（超时，或验证码错误次数过多），请重新输入账号和密码。'),
    ).toBeTruthy();
    expect(screen.getByRole('heading', { name: '登录' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('密码').value).toBe('');
    expect(window.location.pathname).toBe('/login');
  });

  it('continues on /enrol-totp when the account has no authenticator yet', async () => {
    const fetchMock = mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': { status: 200, body: { next: 'enrol_totp', methods: [] } },
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:zhang.san?secret=JBSWY3DPEHPK3PXP' },
      },
    });
    renderApp('/login');

    await submitPassword('zhang.san', 'correct horse');

    expect(await screen.findByRole('heading', { name: '绑定身份验证器' })).toBeTruthy();
    expect(window.location.pathname).toBe('/enrol-totp');
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/mfa/totp');
  });

  it('AUTH-03 continues on /change-password when the password has expired, then signs in', async () => {
    let changed: unknown;
    let signedIn = false;
    mockApi({
      'GET /api/v1/session': () => (signedIn ? session : signedOut),
      'POST /api/v1/auth/login': mfaNext,
      'POST /api/v1/auth/mfa/totp': { status: 200, body: { next: 'change_password', methods: [] } },
      'POST /api/v1/auth/password': (init) => {
        changed = JSON.parse(init?.body as string);
        signedIn = true;
        return { status: 200, body: { next: 'done' } };
      },
    });
    renderApp('/login');
    await submitPassword('zhang.san', 'Old-Password-2026-spring');
    fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));
    expect(await screen.findByRole('heading', { name: '请修改密码' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('当前密码'), { target: { value: 'Old-Password-2026-spring' } });
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'Harbour-Quiet-9蓝-Meadow' } });
    fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: 'Harbour-Quiet-9蓝-Meadow' } });
    fireEvent.click(screen.getByRole('button', { name: '修改密码' }));
    await waitFor(() => expect(window.location.pathname).toBe('/'));
    expect(changed).toEqual({ currentPassword: 'Old-Password-2026-spring', newPassword: 'Harbour-Quiet-9蓝-Meadow' });
  });

  it('SESS-06 after a reload, a session that ended on the server is reported as ended', async () => {
    window.sessionStorage.setItem('medledger.signedIn', '1');
    mockApi(notSignedIn);
    renderApp('/');
    expect(await screen.findByText(/您的登录已结束/)).toBeTruthy();
    expect(window.sessionStorage.getItem('medledger.signedIn')).toBeNull();
  });

  it('does not submit an empty form', async () => {
    const fetchMock = mockApi(notSignedIn);
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: '登录' }));

    expect(await screen.findByText('请输入账号')).toBeTruthy();
    expect(screen.getByText('请输入密码')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/login');
  });
});
