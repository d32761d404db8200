import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
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
    expect(screen.getByText('当前版本尚不能创建账户。')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith(...checkCall(TOKEN));
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/setup');
    expect(window.location.href).not.toContain(TOKEN);
  });

  it('says in English that account creation is not available yet', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({
      'POST /api/v1/setup/token/check': { status: 200, body: { valid: true, expiresAt: '2026-11-29T12:00:00.000Z' } },
    });
    renderApp(`/setup#token=${TOKEN}`);

    expect(await screen.findByText('The setup link is valid')).toBeTruthy();
    expect(screen.getByText('Account creation is not yet available in this version.')).toBeTruthy();
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
