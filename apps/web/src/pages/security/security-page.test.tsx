import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';

const session = {
  status: 200,
  body: {
    user: { id: 'u2', name: '李晓梅', login: 'ward.li' },
    permissions: [],
    idleTimeoutSeconds: 1800,
    passwordExpiresSoon: '2026-12-10T00:00:00.000Z',
    unreadNotifications: 1,
  },
};
const overview = {
  status: 200,
  body: {
    login: 'ward.li',
    name: '李晓梅',
    factors: ['totp'],
    recoveryCodesLeft: 9,
    passwordChangedAt: '2026-09-11T00:00:00.000Z',
    passwordExpiresAt: '2026-12-10T00:00:00.000Z',
    passwordProfile: 'dengbao',
    privileged: false,
    recentLogins: [
      {
        at: '2026-11-29T09:00:00.000Z',
        method: 'password+totp',
        ip: '198.51.100.7',
        userAgent: 'Chromium',
        live: true,
      },
    ],
  },
};
const sessions = {
  status: 200,
  body: {
    sessions: [
      {
        id: 's1',
        current: true,
        createdAt: '2026-11-29T09:00:00.000Z',
        lastSeenAt: '2026-11-29T09:05:00.000Z',
        ip: '198.51.100.7',
        userAgent: 'Chromium',
      },
      {
        id: 's2',
        current: false,
        createdAt: '2026-11-28T09:00:00.000Z',
        lastSeenAt: '2026-11-28T09:05:00.000Z',
        ip: '203.0.113.9',
        userAgent: 'Firefox',
      },
    ],
  },
};
const notifications = {
  status: 200,
  body: {
    notifications: [
      {
        id: 'n1',
        kind: 'new_device',
        data: { ip: '203.0.113.9', userAgent: 'Firefox', method: 'password+totp' },
        createdAt: '2026-11-28T09:00:00.000Z',
        read: false,
      },
    ],
  },
};

describe('my security page', () => {
  it('AUTH-03 AUTH-20 shows factors, the password expiry reminder, sign-ins and notifications, and marks them read', async () => {
    let marked = 0;
    mockApi({
      'GET /api/v1/session': session,
      'GET /api/v1/auth/security': overview,
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      'GET /api/v1/auth/sessions': sessions,
      'GET /api/v1/auth/notifications': notifications,
      'POST /api/v1/auth/notifications/read': () => {
        marked++;
        return { status: 200, body: { ok: true } };
      },
    });
    renderApp('/security');
    expect(await screen.findByText('身份验证器 App', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('剩余 9 个未使用')).toBeTruthy();
    expect(screen.getByText(/您的密码将于 .* 到期/)).toBeTruthy();
    expect(screen.getByText(/新设备登录：203\.0\.113\.9（Firefox）/)).toBeTruthy();
    expect(screen.getByText('密码 + 身份验证器')).toBeTruthy();
    await waitFor(() => expect(marked).toBe(1));
  });

  it('AUTH-05 the password change form needs the current password and shows a wrong one under its field', async () => {
    let body: unknown;
    mockApi({
      'GET /api/v1/session': session,
      'GET /api/v1/auth/security': overview,
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      'GET /api/v1/auth/sessions': sessions,
      'GET /api/v1/auth/notifications': { status: 200, body: { notifications: [] } },
      'POST /api/v1/auth/password': (init) => {
        body = JSON.parse(init?.body as string);
        return {
          status: 400,
          body: {
            code: 'validation_failed',
            message: 'x',
            requestId: 'r',
            issues: [{ path: 'body.currentPassword', message: 'x', code: 'password.current_wrong' }],
          },
        };
      },
    });
    renderApp('/security');
    const card = await screen.findByTestId('change-password', {}, { timeout: 5000 });
    const current = within(card).getByLabelText('当前密码');
    expect(current.getAttribute('type')).toBe('password');
    expect(current.getAttribute('autocomplete')).toBe('current-password');
    fireEvent.change(current, { target: { value: 'not my password' } });
    fireEvent.change(within(card).getByLabelText('新密码'), { target: { value: 'silver kettle 晚霞 tundra' } });
    fireEvent.change(within(card).getByLabelText('再次输入新密码'), { target: { value: 'silver kettle 晚霞 tundra' } });
    fireEvent.click(within(card).getByRole('button', { name: '修改密码' }));
    expect(await within(card).findByText('当前密码不正确。')).toBeTruthy();
    expect(body).toEqual({ currentPassword: 'not my password', newPassword: 'silver kettle 晚霞 tundra' });
  });

  it('SESS-07 SESS-09 ending another session asks for a code first', async () => {
    let ends = 0;
    mockApi({
      'GET /api/v1/session': session,
      'GET /api/v1/auth/security': overview,
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
      'GET /api/v1/auth/sessions': sessions,
      'GET /api/v1/auth/notifications': { status: 200, body: { notifications: [] } },
      'POST /api/v1/auth/sessions/s2/end': () => {
        ends++;
        return ends === 1
          ? { status: 401, body: { code: 'step_up_required', message: 'x', requestId: 'r' } }
          : { status: 200, body: { ok: true } };
      },
      'POST /api/v1/auth/step-up': { status: 200, body: { ok: true } },
    });
    renderApp('/security');
    const table = await screen.findByTestId('my-sessions', {}, { timeout: 5000 });
    expect(await within(table).findByText('当前会话')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: /结\s*束/ }));
    fireEvent.change(await screen.findByLabelText(/6 位验证码/), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: /^确\s*认$/ }));
    await waitFor(() => expect(ends).toBe(2));
  });
});

describe('who has seen my personal data', () => {
  const quietPage = {
    'GET /api/v1/session': session,
    'GET /api/v1/auth/security': overview,
    'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [], totpEnrolled: true } },
    'GET /api/v1/auth/sessions': sessions,
    'GET /api/v1/auth/notifications': { status: 200, body: { notifications: [] } },
  };

  it('LOG-11 lists who viewed or changed my details, with the fields and purpose, in Chinese', async () => {
    mockApi({
      ...quietPage,
      'GET /api/v1/audit/my-personal-data': {
        status: 200,
        body: {
          events: [
            {
              at: '2026-11-29T03:00:00.000Z',
              action: 'identity.user.updated',
              actor: { id: 'a1', name: '张卫国' },
              fields: ['organisation'],
              purpose: null,
            },
            {
              at: '2026-11-28T03:00:00.000Z',
              action: 'identity.user.revealed',
              actor: { id: 'a1', name: '张卫国' },
              fields: ['phone', 'email'],
              purpose: '核对排班联系方式',
            },
          ],
        },
      },
    });
    renderApp('/security');
    const card = await screen.findByTestId('my-personal-data', {}, { timeout: 5000 });
    expect(await within(card).findByText('张卫国 查看了您的完整联系方式')).toBeTruthy();
    expect(within(card).getByText('张卫国 修改了您的账号信息')).toBeTruthy();
    expect(within(card).getByText('手机号')).toBeTruthy();
    expect(within(card).getByText('邮箱')).toBeTruthy();
    expect(within(card).getByText('部门')).toBeTruthy();
    expect(within(card).getByText('用途：核对排班联系方式')).toBeTruthy();
  });

  it('LOG-11 says so when nobody else has seen or changed my data', async () => {
    mockApi({
      ...quietPage,
      'GET /api/v1/audit/my-personal-data': { status: 200, body: { events: [] } },
    });
    renderApp('/security');
    const card = await screen.findByTestId('my-personal-data', {}, { timeout: 5000 });
    expect(await within(card).findByText('尚无他人查看或修改您的个人信息。')).toBeTruthy();
  });
});
