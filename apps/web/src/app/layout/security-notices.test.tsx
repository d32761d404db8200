import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { summariseUserAgent } from './user-agent';

// Synthetic people, documentation addresses and a made-up host name only.
const DAY = 86_400_000;
const NEW_DEVICE_ID = '01900000-0000-7000-8000-0000000000a1';
const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function session(overrides: Record<string, unknown> = {}): MockResponse {
  return {
    status: 200,
    body: {
      user: { id: 'u1', name: '李娜', login: 'li.na' },
      permissions: [],
      idleTimeoutSeconds: 900,
      passwordExpiresSoon: null,
      unreadNotifications: 0,
      ...overrides,
    },
  };
}

const newDevice = (read: boolean) => ({
  id: NEW_DEVICE_ID,
  kind: 'new_device',
  data: { ip: '198.51.100.77', userAgent: WINDOWS_CHROME, method: 'password+totp' },
  createdAt: '2026-11-29T08:30:00.000Z',
  read,
});

function systemInfo(tls: Record<string, unknown> | null): MockResponse {
  return {
    status: 200,
    body: {
      version: '0.1.0',
      database: 'postgres',
      migrations: { applied: 30, pending: 0 },
      startedAt: '2026-11-29T06:00:00Z',
      tls,
    },
  };
}

describe('TRN-03 AUTH-20 the new-device sign-in warning in the shell', () => {
  it('TRN-03 AUTH-20 shows when, which device and which address, what to do, and the phishing advice; dismissing marks it read', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    let read = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => session({ unreadNotifications: read ? 0 : 1 }),
      'GET /api/v1/auth/notifications': () => ({ status: 200, body: { notifications: [newDevice(read)] } }),
      [`POST /api/v1/auth/notifications/${NEW_DEVICE_ID}/dismiss`]: () => {
        read = true;
        return { status: 200, body: { ok: true } };
      },
    });
    renderApp('/');

    const notice = await screen.findByTestId('new-device-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(within(notice).getByText('Your account was just signed in from a new device')).toBeTruthy();
    expect(within(notice).getByText('Chrome 131 on Windows')).toBeTruthy();
    expect(within(notice).getByText('198.51.100.77')).toBeTruthy();
    expect(notice.textContent).toContain('2026');
    expect(notice.textContent).toContain('If this was not you, change your password now and end all other sessions.');
    expect(notice.textContent).toContain(
      `check that the browser's address bar shows your company's MedLedger address: ${window.location.origin}`,
    );
    expect(notice.textContent).toContain(
      'MedLedger never asks for codes or passwords by phone, by text message or through a link in an e-mail.',
    );

    fireEvent.click(within(notice).getByRole('button', { name: 'It was me, dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('new-device-notice')).toBeNull());
    expect(fetchMock).toHaveBeenCalledWith(
      `/api/v1/auth/notifications/${NEW_DEVICE_ID}/dismiss`,
      expect.objectContaining({ method: 'POST' }),
    );
  });

  it('TRN-03 the warning links to the account security page, in Chinese', async () => {
    mockApi({
      'GET /api/v1/session': session({ unreadNotifications: 1 }),
      'GET /api/v1/auth/notifications': { status: 200, body: { notifications: [newDevice(false)] } },
      'GET /api/v1/auth/security': { status: 500, body: { code: 'internal', message: 'x', requestId: 'r' } },
      'GET /api/v1/auth/sessions': { status: 200, body: { sessions: [] } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [] } },
    });
    renderApp('/');
    const notice = await screen.findByTestId('new-device-notice');
    expect(within(notice).getByText('您的账号刚刚在一台新设备上登录')).toBeTruthy();
    expect(notice.textContent).toContain('谨防网络钓鱼');
    fireEvent.click(within(notice).getByRole('button', { name: '前往账号安全页面' }));
    await waitFor(() => expect(window.location.pathname).toBe('/security'));
  });

  it('TRN-03 no warning when the new-device notification was already read, or there is none', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({
      'GET /api/v1/session': session({ unreadNotifications: 1 }),
      'GET /api/v1/auth/notifications': {
        status: 200,
        body: {
          notifications: [
            newDevice(true),
            { id: 'n2', kind: 'password_changed', data: {}, createdAt: '2026-11-29T08:00:00Z', read: false },
          ],
        },
      },
    });
    renderApp('/');
    expect(await screen.findByText('Welcome, 李娜')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('new-device-notice')).toBeNull();
  });
});

describe('TRN-03 reminders before credentials and certificates expire', () => {
  it('TRN-03 AUTH-03 the password reminder says when and how many days are left, with a way to change it', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    const expires = new Date(Date.now() + 5 * DAY - 60_000).toISOString();
    mockApi({
      'GET /api/v1/session': session({ passwordExpiresSoon: expires }),
      'GET /api/v1/auth/security': { status: 500, body: { code: 'internal', message: 'x', requestId: 'r' } },
      'GET /api/v1/auth/sessions': { status: 200, body: { sessions: [] } },
      'GET /api/v1/auth/notifications': { status: 200, body: { notifications: [] } },
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [] } },
    });
    renderApp('/');
    const notice = await screen.findByTestId('password-expiry-notice');
    expect(notice.textContent).toMatch(/Your password expires on .+ \(5 days left\)/);
    fireEvent.click(within(notice).getByRole('button', { name: 'Change password now' }));
    await waitFor(() => expect(window.location.pathname).toBe('/security'));
  });

  it('TRN-03 system administrators are warned 30 days before the TLS certificate ends; the system information shows it', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({
      'GET /api/v1/session': session({ permissions: ['system.info.read'] }),
      'GET /api/v1/system/info': systemInfo({
        subject: 'CN=erp.example.test',
        notAfter: '2026-12-20T00:00:00.000Z',
        configured: true,
        daysLeft: 20,
        expiresSoon: true,
        expired: false,
      }),
    });
    renderApp('/');
    const notice = await screen.findByTestId('tls-expiry-notice');
    expect(notice.textContent).toMatch(/The server's TLS certificate expires on .+ \(20 days left\)/);
    expect(notice.textContent).toContain('MEDLEDGER_TLS_CERT_FILE');
    const info = await screen.findByTestId('system-info');
    expect(within(info).getByText('TLS certificate expires')).toBeTruthy();
    expect(within(info).getByText('CN=erp.example.test (configured)')).toBeTruthy();
  });

  it('TRN-03 an expired self-signed certificate is an error, in Chinese', async () => {
    mockApi({
      'GET /api/v1/session': session({ permissions: ['system.info.read'] }),
      'GET /api/v1/system/info': systemInfo({
        subject: 'CN=localhost, O=MedLedger self-signed',
        notAfter: '2026-11-20T00:00:00.000Z',
        configured: false,
        daysLeft: -10,
        expiresSoon: true,
        expired: true,
      }),
    });
    renderApp('/');
    const notice = await screen.findByTestId('tls-expiry-notice');
    expect(notice.textContent).toContain('服务器 TLS 证书已于');
    expect(notice.textContent).toContain('自签名证书');
    expect(notice.className).toContain('error');
  });

  it('TRN-03 users without system.info.read neither ask for nor see the certificate notice', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    const fetchMock = mockApi({ 'GET /api/v1/session': session() });
    renderApp('/');
    expect(await screen.findByText('Welcome, 李娜')).toBeTruthy();
    expect(screen.queryByTestId('tls-expiry-notice')).toBeNull();
    expect(fetchMock.mock.calls.filter(([url]) => url === '/api/v1/system/info')).toHaveLength(0);
  });
});

describe('TRN-03 the device of a sign-in, summarised', () => {
  it.each([
    [WINDOWS_CHROME, { browser: 'Chrome 131', os: 'Windows' }],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      { browser: 'Safari 17', os: 'macOS' },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN',
      { browser: 'WeChat 8', os: 'iOS' },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      { browser: 'Edge 131', os: 'Windows' },
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', { browser: 'Firefox 128', os: 'Linux' }],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      { browser: 'Chrome 131', os: 'Linux' },
    ],
  ])('TRN-03 %s', (userAgent, expected) => {
    expect(summariseUserAgent(userAgent)).toEqual(expected);
  });

  it('TRN-03 unrecognised or empty user agents give null (the raw text is shown instead)', () => {
    expect(summariseUserAgent('')).toBeNull();
    expect(summariseUserAgent('curl/8.5.0')).toBeNull();
  });
});
