import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';

const session = (permissions: string[]) => ({
  status: 200,
  body: {
    user: { id: 'a1', name: '张卫国', login: 'qa.zhang' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

const nurse = {
  id: '01900000-0000-7000-8000-000000000001',
  login: 'ward.li',
  name: '李晓梅',
  phoneMasked: '134****0017',
  emailMasked: null,
  organisation: '器械科',
  employmentEndsOn: null,
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  locked: true,
  lockedUntil: '2026-11-29T13:00:00.000Z',
  passwordSet: true,
  factors: ['totp'],
  lastLoginAt: null,
  createdAt: '2026-11-29T10:00:00.000Z',
};
const list = { status: 200, body: { users: [nurse], total: 1, page: 1, pageSize: 20 } };
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

describe('users page', () => {
  it('lists accounts with masked phone numbers and their state', async () => {
    mockApi({
      'GET /api/v1/session': session(['identity.user.read', 'identity.user.manage']),
      'GET /api/v1/users': list,
    });
    renderApp('/users');
    // The first render of the page loads the table code: allow for it.
    expect(await screen.findByText('ward.li', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('134****0017')).toBeTruthy();
    expect(screen.getByText('已锁定')).toBeTruthy();
    expect(screen.getByRole('button', { name: /新建用户/ })).toBeTruthy();
  });

  it('AC-01 without the manage permission there is no create button and no actions', async () => {
    mockApi({ 'GET /api/v1/session': session(['identity.user.read']), 'GET /api/v1/users': list });
    renderApp('/users');
    expect(await screen.findByText('ward.li')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /新建用户/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'ward.li 的操作' })).toBeNull();
  });

  it('SESS-09 creating a user asks for an authenticator code when needed, then shows the link once', async () => {
    let creates = 0;
    let stepUps = 0;
    mockApi({
      'GET /api/v1/session': session(['identity.user.read', 'identity.user.manage']),
      'GET /api/v1/users': list,
      'POST /api/v1/users': () => {
        creates++;
        return creates === 1
          ? { status: 401, body: { code: 'step_up_required', message: 'x', requestId: 'r' } }
          : {
              status: 201,
              body: {
                user: { ...nurse, id: '01900000-0000-7000-8000-000000000002', login: 'pharm.wu', locked: false },
                link: { token: TOKEN, purpose: 'invite', expiresAt: '2026-11-30T10:00:00.000Z' },
              },
            };
      },
      'POST /api/v1/auth/step-up': () => {
        stepUps++;
        return { status: 200, body: { ok: true } };
      },
    });
    renderApp('/users');
    fireEvent.click(await screen.findByRole('button', { name: /新建用户/ }));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('登录名'), { target: { value: 'pharm.wu' } });
    fireEvent.change(within(drawer).getByLabelText('姓名'), { target: { value: '吴思远' } });
    fireEvent.change(within(drawer).getByLabelText('手机号'), { target: { value: '13400000023' } });
    fireEvent.click(within(drawer).getByRole('button', { name: '创建' }));
    const code = await screen.findByLabelText(/6 位验证码/);
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: /^确\s*认$/ }));
    const link = await screen.findByTestId('password-link');
    expect((link as HTMLTextAreaElement).value).toBe(`http://localhost:3000/set-password#token=${TOKEN}`);
    expect(stepUps).toBe(1);
    expect(creates).toBe(2);
  });

  it('SESS-06 disabling needs a reason and sends it', async () => {
    let reason: unknown;
    mockApi({
      'GET /api/v1/session': session(['identity.user.read', 'identity.user.manage']),
      'GET /api/v1/users': list,
      'POST /api/v1/users/01900000-0000-7000-8000-000000000001/disable': (init) => {
        reason = JSON.parse(init?.body as string);
        return { status: 200, body: { user: { ...nurse, status: 'disabled' } } };
      },
    });
    renderApp('/users');
    fireEvent.click(await screen.findByRole('button', { name: 'ward.li 的操作' }));
    fireEvent.click(await screen.findByText('停用'));
    const dialog = await screen.findByRole('dialog');
    const ok = within(dialog).getByRole('button', { name: /停\s*用/ });
    expect(ok.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('停用原因'), { target: { value: '调岗' } });
    fireEvent.click(ok);
    await waitFor(() => expect(reason).toEqual({ reason: '调岗' }));
  });
});
