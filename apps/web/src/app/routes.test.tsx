import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from './i18n';

const signedOut: MockResponse = {
  status: 401,
  body: { code: 'unauthenticated', message: 'Sign in to continue.', requestId: 'r0' },
};

const signedIn = {
  'GET /api/v1/session': {
    status: 200,
    body: {
      user: { id: 'u1', name: '张三', login: 'zhang.san' },
      permissions: ['system.info.read', 'audit.event.read'],
      idleTimeoutSeconds: 900,
      passwordExpiresSoon: null,
      unreadNotifications: 0,
    },
  },
  'GET /api/v1/system/info': {
    status: 200,
    body: {
      version: '0.1.0',
      database: 'sqlite',
      migrations: { applied: 3, pending: 0 },
      startedAt: '2026-11-29T10:00:00Z',
      tls: {
        subject: 'CN=erp.example.test',
        notAfter: '2027-11-29T00:00:00Z',
        configured: true,
        daysLeft: 364,
        expiresSoon: false,
        expired: false,
      },
    },
  },
};

describe('routing', () => {
  it('shows the not-found page for an unknown route', async () => {
    mockApi({});
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { name: '页面不存在' })).toBeTruthy();
    expect(screen.getByText('404')).toBeTruthy();
    expect(screen.getByRole('button', { name: '返回首页' })).toBeTruthy();
  });

  it('redirects / to the login page without a session and keeps the target in router state', async () => {
    const fetchMock = mockApi({
      'GET /api/v1/session': {
        status: 404,
        body: { code: 'not_found', message: 'Route GET:/api/v1/session not found', requestId: 'r1' },
      },
    });
    const { router } = renderApp('/');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    expect(window.location.search).toBe('');
    expect(router.state.location.state).toEqual({ from: '/' });
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/session', expect.objectContaining({ credentials: 'same-origin' }));
  });

  it('treats a 401 from /session as signed out', async () => {
    mockApi({
      'GET /api/v1/session': { status: 401, body: { code: 'unauthenticated', message: 'x', requestId: 'r2' } },
    });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
  });

  it('shows the main layout and system information with a session', async () => {
    mockApi(signedIn);
    renderApp('/');

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    expect(screen.getByText('MedLedger 医疗器械合规管理')).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: /首页/ })).toBeTruthy();
    expect(await screen.findByText('已应用 3 个，待执行 0 个')).toBeTruthy();
    expect(screen.getByText('SQLite')).toBeTruthy();
    // TRN-03: the certificate's expiry is part of the system information; far off, so no warning.
    expect(screen.getByText('CN=erp.example.test (已配置)')).toBeTruthy();
    expect(screen.queryByTestId('tls-expiry-notice')).toBeNull();
  });

  it('signs out through POST /api/v1/auth/logout and returns to the login page', async () => {
    let loggedIn = true;
    const fetchMock = mockApi({
      ...signedIn,
      'GET /api/v1/session': () => (loggedIn ? signedIn['GET /api/v1/session'] : signedOut),
      'POST /api/v1/auth/logout': () => {
        loggedIn = false;
        return { status: 200, body: { ok: true } };
      },
    });
    renderApp('/');

    fireEvent.click(await screen.findByRole('button', { name: /张三/ }));
    fireEvent.click(await screen.findByText('退出登录'));

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    const logoutCall = fetchMock.mock.calls.find(([url]) => url === '/api/v1/auth/logout');
    expect(logoutCall?.[1]).toEqual(expect.objectContaining({ method: 'POST', credentials: 'same-origin' }));
    expect(logoutCall?.[1]?.body).toBeUndefined();
    // Signing out on purpose is not an ended session, and nothing of the user stays on screen.
    expect(screen.queryByText(/登录已结束/)).toBeNull();
    expect(screen.queryByText('欢迎，张三')).toBeNull();
  });

  it('sends a signed-in user from /login to the home page', async () => {
    mockApi(signedIn);
    renderApp('/login');

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
  });

  it('returns to the intended page once signing in succeeds', async () => {
    let loggedIn = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (loggedIn ? signedIn['GET /api/v1/session'] : signedOut),
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['totp', 'recovery'] } },
      'POST /api/v1/auth/mfa/totp': () => {
        loggedIn = true;
        return { status: 200, body: { next: 'done', methods: [] } };
      },
      'GET /api/v1/audit/status': { status: 503, body: { code: 'service_unavailable', message: 'x', requestId: 'r4' } },
      'GET /api/v1/audit/events': { status: 200, body: { events: [], nextBefore: null } },
    });
    const { router } = renderApp('/audit?outcome=denied');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    expect(router.state.location.state).toEqual({ from: '/audit?outcome=denied' });
    fireEvent.change(screen.getByLabelText('账号'), { target: { value: 'zhang.san' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse battery staple' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(await screen.findByRole('heading', { name: '审计日志' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/audit?outcome=denied');
    expect(fetchMock.mock.calls.map(([url]) => url)).toContain('/api/v1/auth/mfa/totp');
  });

  it('returns to /login with a message when a later call finds the session ended (401)', async () => {
    let sessionLive = true;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (sessionLive ? signedIn['GET /api/v1/session'] : signedOut),
      'GET /api/v1/system/info': () => {
        // The idle timeout passed on the server between the two calls.
        sessionLive = false;
        return signedOut;
      },
    });
    const { router } = renderApp('/');

    expect(await screen.findByText('您的登录已结束（长时间未操作，或已在服务器端退出），请重新登录。')).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    expect(router.state.location.state).toEqual({ from: '/', notice: 'session_ended' });
    expect(screen.queryByText('欢迎，张三')).toBeNull();
    expect(screen.getByLabelText('账号')).toBeTruthy();
    // No retry of the refused call, and no loop back into the signed-in pages.
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/v1/system/info')).toHaveLength(1);
  });

  it('still returns to the login page when signing out is refused with 401, without the ended-session message', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({
      'GET /api/v1/session': signedIn['GET /api/v1/session'],
      'GET /api/v1/system/info': signedIn['GET /api/v1/system/info'],
      'POST /api/v1/auth/logout': signedOut,
    });
    renderApp('/');

    // A logout refused as unauthenticated: the session was already gone on the server.
    fireEvent.click(await screen.findByRole('button', { name: /张三/ }));
    fireEvent.click(await screen.findByText('Sign out'));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    expect(screen.queryByText(/Your session has ended/)).toBeNull();
  });

  it('does not treat a 401 before signing in as an ended session', async () => {
    mockApi({ 'GET /api/v1/session': signedOut });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    expect(screen.queryByText(/登录已结束/)).toBeNull();
  });
});
