import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../test/render-app';

const signedIn = {
  'GET /api/v1/session': {
    status: 200,
    body: { user: { id: 'u1', name: '张三', login: 'zhang.san' }, permissions: ['system.info.read'] },
  },
  'GET /api/v1/system/info': {
    status: 200,
    body: {
      version: '0.1.0',
      database: 'sqlite',
      migrations: { applied: 3, pending: 0 },
      startedAt: '2026-11-29T10:00:00Z',
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
  });

  it('signs out through POST /api/v1/auth/logout and returns to the login page', async () => {
    const fetchMock = mockApi({ ...signedIn, 'POST /api/v1/auth/logout': { status: 204 } });
    renderApp('/');

    fireEvent.click(await screen.findByRole('button', { name: /张三/ }));
    fireEvent.click(await screen.findByText('退出登录'));

    await waitFor(() => expect(window.location.pathname).toBe('/login'));
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/logout', expect.objectContaining({ method: 'POST' }));
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
      'GET /api/v1/session': () =>
        loggedIn
          ? signedIn['GET /api/v1/session']
          : { status: 401, body: { code: 'unauthenticated', message: 'x', requestId: 'r3' } },
      'POST /api/v1/auth/login': () => {
        loggedIn = true;
        return { status: 204 };
      },
      'GET /api/v1/system/info': signedIn['GET /api/v1/system/info'],
    });
    renderApp('/');

    fireEvent.change(await screen.findByLabelText('账号'), { target: { value: 'zhang.san' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse battery staple' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(fetchMock.mock.calls.map(([url]) => url)).toContain('/api/v1/auth/login');
  });
});
