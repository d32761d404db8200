import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { REGISTRATION_OPTIONS, notAccepted } from '../../../test/passkey-fixtures';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { FAKE_CREDENTIAL_ID, installFakeWebAuthn, notAllowed, removeFakeWebAuthn } from '../../../test/webauthn';

const CODES = Array.from({ length: 10 }, (_, i) => `ABCDE-FGHJK-LMNPQ-RST${String.fromCharCode(65 + i)}${i}`);
const unauthenticated: MockResponse = {
  status: 401,
  body: { code: 'unauthenticated', message: 'Sign in again.', requestId: 'req-1' },
};

function enrolmentApi(overrides: Record<string, MockResponse | (() => MockResponse)> = {}) {
  let complete = false;
  return mockApi({
    'GET /api/v1/session': () =>
      complete
        ? {
            status: 200,
            body: {
              user: { id: 'u1', name: '王五', login: 'wang.wu' },
              permissions: [],
              idleTimeoutSeconds: 900,
              passwordExpiresSoon: null,
              unreadNotifications: 0,
            },
          }
        : unauthenticated,
    'POST /api/v1/auth/passkey/enrol/options': REGISTRATION_OPTIONS,
    'POST /api/v1/auth/passkey/enrol/confirm': () => {
      complete = true;
      return { status: 200, body: { next: 'done', recoveryCodes: CODES } };
    },
    ...overrides,
  });
}

afterEach(removeFakeWebAuthn);

describe('second-factor enrolment: passkey or authenticator app', () => {
  it('AUTH-16 AUTH-19 enrols a passkey instead of an authenticator app, then shows the recovery codes once', async () => {
    const browser = installFakeWebAuthn();
    const fetchMock = enrolmentApi();
    renderApp('/enrol-totp');

    expect(await screen.findByRole('heading', { name: '设置第二种登录验证方式' })).toBeTruthy();
    // Nothing is started before the user chooses.
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/totp/enrol/start');
    fireEvent.click(screen.getByRole('button', { name: /设置通行密钥/ }));
    expect(await screen.findByRole('heading', { name: '设置通行密钥' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('名称'), { target: { value: '办公室电脑' } });
    fireEvent.click(screen.getByRole('button', { name: /创建通行密钥/ }));

    expect(await screen.findByRole('heading', { name: '通行密钥已设置' })).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(10);
    const request = browser.create.mock.calls[0]?.[0] as {
      publicKey: { authenticatorSelection: { residentKey: string; userVerification: string } };
    };
    expect(request.publicKey.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    const confirm = fetchMock.mock.calls.find(([url]) => url === '/api/v1/auth/passkey/enrol/confirm');
    expect(JSON.parse(confirm?.[1]?.body as string)).toMatchObject({
      name: '办公室电脑',
      response: { id: FAKE_CREDENTIAL_ID, response: { transports: ['internal'] } },
    });

    fireEvent.click(screen.getByText('我已妥善保存恢复码'));
    fireEvent.click(screen.getByRole('button', { name: '继续' }));
    expect(await screen.findByText('欢迎，王五')).toBeTruthy();
  });

  it('explains a cancelled or refused passkey and lets the user choose the authenticator app instead', async () => {
    installFakeWebAuthn({ create: notAllowed });
    const fetchMock = enrolmentApi({
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:wang.wu?secret=JBSWY3DPEHPK3PXP' },
      },
    });
    renderApp('/enrol-totp');

    fireEvent.click(await screen.findByRole('button', { name: /设置通行密钥/ }));
    fireEvent.click(await screen.findByRole('button', { name: /创建通行密钥/ }));
    expect(await screen.findByText(/通行密钥未创建/)).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/passkey/enrol/confirm');

    fireEvent.click(screen.getByRole('button', { name: '返回，选择其他方式' }));
    fireEvent.click(await screen.findByRole('button', { name: /使用身份验证器应用/ }));
    expect(await screen.findByRole('heading', { name: '绑定身份验证器' })).toBeTruthy();
  });

  it('shows the server refusal of a passkey, and returns to sign-in when the enrolment expired', async () => {
    installFakeWebAuthn();
    let expired = false;
    enrolmentApi({
      'POST /api/v1/auth/passkey/enrol/confirm': () => {
        const answer = expired ? unauthenticated : notAccepted;
        expired = true;
        return answer;
      },
    });
    renderApp('/enrol-totp');

    fireEvent.click(await screen.findByRole('button', { name: /设置通行密钥/ }));
    fireEvent.click(await screen.findByRole('button', { name: /创建通行密钥/ }));
    expect(await screen.findByText(/通行密钥未能添加/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /创建通行密钥/ }));
    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
  });
});
