import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_OPTIONS, notAccepted } from '../../../test/passkey-fixtures';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { FAKE_CREDENTIAL_ID, installFakeWebAuthn, notAllowed, removeFakeWebAuthn } from '../../../test/webauthn';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

const signedOut: MockResponse = { status: 401, body: { code: 'unauthenticated', message: 'x', requestId: 'r0' } };
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

function bodyOf(fetchMock: ReturnType<typeof mockApi>, url: string): unknown {
  const call = fetchMock.mock.calls.find(([called]) => called === url);
  return call ? (JSON.parse(call[1]?.body as string) as unknown) : undefined;
}

afterEach(removeFakeWebAuthn);

describe('passkey sign-in on the login page', () => {
  it('AUTH-16 signs in with a passkey alone: no login or password, the browser response goes to the server', async () => {
    const browser = installFakeWebAuthn();
    let signedIn = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (signedIn ? session : signedOut),
      'POST /api/v1/auth/passkey/login/options': AUTH_OPTIONS,
      'POST /api/v1/auth/passkey/login': () => {
        signedIn = true;
        return { status: 200, body: { next: 'done', methods: [] } };
      },
    });
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: /使用通行密钥登录/ }));

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    // The browser was asked for user verification, for this site, with the server's challenge.
    const request = browser.get.mock.calls[0]?.[0] as {
      publicKey: { userVerification: string; rpId: string };
    };
    expect(request.publicKey).toMatchObject({ userVerification: 'required', rpId: 'localhost' });
    expect(bodyOf(fetchMock, '/api/v1/auth/passkey/login')).toMatchObject({
      response: { id: FAKE_CREDENTIAL_ID, type: 'public-key', response: { signature: 'c2lnbmF0dXJl' } },
    });
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/login');
  });

  it('AUTH-16 says what to do when the browser refuses (cancelled, no passkey, or failed fingerprint check)', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    installFakeWebAuthn({ get: notAllowed });
    const fetchMock = mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/passkey/login/options': AUTH_OPTIONS,
    });
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: /Sign in with a passkey/ }));

    expect(await screen.findByText(/The passkey step did not finish/)).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/passkey/login');
    // The password form is still there to use instead.
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it('AUTH-16 says the passkey was not accepted when the server refuses it', async () => {
    installFakeWebAuthn();
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/passkey/login/options': AUTH_OPTIONS,
      'POST /api/v1/auth/passkey/login': notAccepted,
    });
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: /使用通行密钥登录/ }));

    expect(await screen.findByText(/通行密钥未被接受/)).toBeTruthy();
    expect(screen.getByText('请求编号：req-pk')).toBeTruthy();
  });

  it('says so when the browser cannot use passkeys at all', async () => {
    mockApi({ 'GET /api/v1/session': signedOut, 'POST /api/v1/auth/passkey/login/options': AUTH_OPTIONS });
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: /使用通行密钥登录/ }));

    expect(await screen.findByText(/此浏览器不支持通行密钥/)).toBeTruthy();
  });

  it('AUTH-11 offers the passkey first as the second factor, with the recovery code as the alternative', async () => {
    const browser = installFakeWebAuthn();
    let signedIn = false;
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (signedIn ? session : signedOut),
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['passkey', 'recovery'] } },
      'POST /api/v1/auth/passkey/mfa/options': {
        status: 200,
        body: {
          ...(AUTH_OPTIONS.body as object),
          allowCredentials: [{ id: FAKE_CREDENTIAL_ID, type: 'public-key', transports: ['internal'] }],
        },
      },
      'POST /api/v1/auth/passkey/mfa': () => {
        signedIn = true;
        return { status: 200, body: { next: 'done', methods: [] } };
      },
    });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('账号'), { target: { value: 'zhang.san' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByRole('heading', { name: '两步验证' })).toBeTruthy();
    expect(screen.getByText(/为 zhang.san 保存的通行密钥/)).toBeTruthy();
    // No authenticator app on this account: no link to one.
    expect(screen.queryByRole('button', { name: '改用身份验证器的验证码' })).toBeNull();
    expect(screen.getByRole('button', { name: /恢复码/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /使用通行密钥验证/ }));

    expect(await screen.findByText('欢迎，张三')).toBeTruthy();
    const request = browser.get.mock.calls[0]?.[0] as { publicKey: { allowCredentials: unknown[] } };
    expect(request.publicKey.allowCredentials).toHaveLength(1);
    await waitFor(() =>
      expect(bodyOf(fetchMock, '/api/v1/auth/passkey/mfa')).toMatchObject({ response: { id: FAKE_CREDENTIAL_ID } }),
    );
  });

  it('AUTH-11 lets an account with both switch from the passkey to the authenticator code and back', async () => {
    installFakeWebAuthn();
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['passkey', 'totp', 'recovery'] } },
    });
    renderApp('/login');
    fireEvent.change(await screen.findByLabelText('账号'), { target: { value: 'zhang.san' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    fireEvent.click(await screen.findByRole('button', { name: '改用身份验证器的验证码' }));
    expect(await screen.findByLabelText('验证码')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '改用通行密钥验证' }));
    expect(await screen.findByRole('button', { name: /使用通行密钥验证/ })).toBeTruthy();
  });
});
