import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

// Masked synthetic test number (1340000xxxx block).
const MASKED = '134****0001';
const signedOut: MockResponse = { status: 401, body: { code: 'unauthenticated', message: 'x', requestId: 'r0' } };
const session = (permissions: string[] = []): MockResponse => ({
  status: 200,
  body: {
    user: { id: 'u1', name: '李娜', login: 'li.na' },
    permissions,
    idleTimeoutSeconds: 1800,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});
const smsStatus: MockResponse = { status: 200, body: { available: true, maskedPhone: MASKED, resendInSeconds: 0 } };
const sent: MockResponse = { status: 200, body: { maskedPhone: MASKED, expiresInSeconds: 300, resendInSeconds: 60 } };
const error = (status: number, code: string): MockResponse => ({
  status,
  body: { code, message: 'server text', requestId: 'req-9' },
});

const postOf = (body: unknown) =>
  expect.objectContaining({ method: 'POST', body: JSON.stringify(body) }) as RequestInit;

async function passwordStep(loginLabel = '账号', passwordLabel = '密码', submit = '登录') {
  fireEvent.change(await screen.findByLabelText(loginLabel), { target: { value: 'li.na' } });
  fireEvent.change(screen.getByLabelText(passwordLabel), { target: { value: 'synthetic phrase 1' } });
  fireEvent.click(screen.getByRole('button', { name: submit }));
}

/** The sign-in API of an account whose only second factor is SMS; `verify` answers the code. */
function smsSignIn(verify: () => MockResponse, extra: Record<string, MockResponse | (() => MockResponse)> = {}) {
  let signedIn = false;
  return mockApi({
    'GET /api/v1/session': () => (signedIn ? session() : signedOut),
    'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['sms', 'recovery'] } },
    'GET /api/v1/auth/mfa/sms': smsStatus,
    'POST /api/v1/auth/mfa/sms/send': sent,
    'POST /api/v1/auth/mfa/sms': () => {
      const answer = verify();
      if (answer.status === 200) signedIn = true;
      return answer;
    },
    ...extra,
  });
}

describe('AUTH-15 sign-in with a text-message code', () => {
  it('AUTH-15 shows the masked number, sends a code with a resend countdown, and signs in with it', async () => {
    const fetchMock = smsSignIn(() => ({ status: 200, body: { next: 'done', methods: [] } }));
    renderApp('/login');
    await passwordStep();

    expect(await screen.findByText(/手机号 134\*\*\*\*0001 发送 6 位验证码/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '发送验证码' }));
    expect(await screen.findByText('验证码已发送至 134****0001')).toBeTruthy();
    const resend = screen.getByRole('button', { name: /重新发送（(60|59) 秒）/ });
    expect(resend.hasAttribute('disabled')).toBe(true);
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/mfa/sms/send', expect.objectContaining({ method: 'POST' }));

    const code = screen.getByLabelText<HTMLInputElement>('短信验证码');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    fireEvent.change(code, { target: { value: '246 810' } });
    fireEvent.click(screen.getByRole('button', { name: '验证' }));

    expect(await screen.findByText('欢迎，李娜')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/mfa/sms', postOf({ code: '246810' }));
  });

  it('AUTH-15 says clearly when the code expired or was wrong, and clears the field', async () => {
    const answers = [error(410, 'sms_code_expired'), error(401, 'invalid_credentials')];
    smsSignIn(() => answers.shift() ?? error(401, 'invalid_credentials'));
    renderApp('/login');
    await passwordStep();
    fireEvent.click(await screen.findByRole('button', { name: '发送验证码' }));
    await screen.findByText('验证码已发送至 134****0001');

    const enter = (value: string) => {
      fireEvent.change(screen.getByLabelText('短信验证码'), { target: { value } });
      fireEvent.click(screen.getByRole('button', { name: '验证' }));
    };
    enter('111111');
    expect(await screen.findByText('验证码已过期或已被新的验证码取代，请重新获取验证码。')).toBeTruthy();
    enter('222222');
    expect(await screen.findByText('验证码不正确。请输入最新一条短信中的 6 位验证码。')).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('短信验证码').value).toBe(''));
  });

  it('AUTH-15 the daily limit message, in English', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    smsSignIn(() => error(401, 'invalid_credentials'), {
      'POST /api/v1/auth/mfa/sms/send': error(429, 'sms_limit_reached'),
    });
    renderApp('/login');
    await passwordStep('Login', 'Password', 'Sign in');
    expect(await screen.findByText(/The number on record, 134\*\*\*\*0001/i)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    expect(
      await screen.findByText(
        'The daily limit of text-message codes has been reached. Use the authenticator app or a recovery code, or try again tomorrow.',
      ),
    ).toBeTruthy();
  });

  it('AUTH-15 an account with an authenticator and SMS starts with the authenticator and can switch to SMS', async () => {
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['totp', 'sms', 'recovery'] } },
      'GET /api/v1/auth/mfa/sms': { status: 200, body: { available: true, maskedPhone: MASKED, resendInSeconds: 42 } },
    });
    renderApp('/login');
    await passwordStep();
    expect(await screen.findByLabelText('验证码')).toBeTruthy();
    expect(screen.getByRole('button', { name: '无法使用身份验证器？改用恢复码' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '改用短信验证码' }));
    // A code sent moments ago (e.g. in another tab): the server's countdown applies.
    const resend = await screen.findByRole('button', { name: /重新发送（4[12] 秒）/ });
    expect(resend.hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '改用身份验证器的验证码' }));
    expect(await screen.findByLabelText('验证码')).toBeTruthy();
  });

  it('AUTH-11 an account that may not use SMS gets no SMS link', async () => {
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/login': { status: 200, body: { next: 'mfa', methods: ['totp', 'recovery'] } },
    });
    renderApp('/login');
    await passwordStep();
    expect(await screen.findByLabelText('验证码')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '改用短信验证码' })).toBeNull();
  });
});

describe('AUTH-11 AUTH-15 choosing SMS at enrolment', () => {
  it('TRN-03 AUTH-15 an allowed account reads and acknowledges the risk notice, confirms its number with a code and gets its recovery codes once', async () => {
    let complete = false;
    const codes = Array.from({ length: 10 }, (_, i) => `ABCDE-FGHJK-LMNPQ-RST${String.fromCharCode(65 + i)}${i}`);
    const fetchMock = mockApi({
      'GET /api/v1/session': () => (complete ? session() : signedOut),
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:li.na?secret=X' },
      },
      'GET /api/v1/auth/mfa/sms': smsStatus,
      'POST /api/v1/auth/mfa/sms/send': sent,
      'POST /api/v1/auth/sms/enrol/confirm': () => {
        complete = true;
        return { status: 200, body: { next: 'done', recoveryCodes: codes } };
      },
    });
    renderApp('/enrol-totp');

    expect(await screen.findByRole('heading', { name: '设置第二重身份验证' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('radio', { name: '手机短信' }));
    // TRN-03 / D2: the risk notice, in Chinese; nothing can be sent until it is acknowledged.
    const notice = await screen.findByRole('region', { name: '选择短信验证码前，请阅读以下风险提示' });
    expect(notice.textContent).toMatch(/截获或转移.*SIM 卡调包.*网络钓鱼/);
    expect(notice.textContent).toContain('通行密钥（Passkey）或身份验证器应用更安全');
    expect(notice.textContent).toContain('MedLedger 绝不会通过电话向您索要验证码');
    const send = screen.getByRole('button', { name: '发送验证码' });
    expect((send as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(send);
    expect(fetchMock).not.toHaveBeenCalledWith('/api/v1/auth/mfa/sms/send', expect.anything());
    fireEvent.click(screen.getByRole('checkbox', { name: '我已阅读以上提示，了解短信验证码的风险' }));
    await waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(send);
    await screen.findByText('验证码已发送至 134****0001');
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/mfa/sms/send', postOf({ smsRiskAcknowledged: true }));
    fireEvent.change(screen.getByLabelText('短信验证码'), { target: { value: '135790' } });
    fireEvent.click(screen.getByRole('button', { name: '确认手机号并完成设置' }));

    const list = await screen.findByRole('list', { name: '恢复码列表' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((i) => i.textContent),
    ).toEqual(codes);
    expect(screen.getByRole('heading', { name: '短信验证码已启用' })).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/auth/sms/enrol/confirm',
      postOf({ code: '135790', smsRiskAcknowledged: true }),
    );
  });

  it('TRN-03 the risk notice offers the authenticator app instead, which switches the set-up', async () => {
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:li.na?secret=X' },
      },
      'GET /api/v1/auth/mfa/sms': smsStatus,
    });
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    renderApp('/enrol-totp');
    fireEvent.click(await screen.findByRole('radio', { name: 'Text message (SMS)' }));
    const notice = await screen.findByRole('region', { name: 'Before you choose text-message codes, read this' });
    expect(notice.textContent).toContain('SIM swap');
    fireEvent.click(within(notice).getByRole('button', { name: 'Use an authenticator app instead' }));
    expect(await screen.findByRole('radio', { name: 'Authenticator app', checked: true })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Before you choose text-message codes, read this' })).toBeNull();
  });

  it('AUTH-11 a privileged account (SMS not offered) sees only the authenticator set-up', async () => {
    mockApi({
      'GET /api/v1/session': signedOut,
      'POST /api/v1/auth/totp/enrol/start': {
        status: 200,
        body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/MedLedger:qa?secret=X' },
      },
      'GET /api/v1/auth/mfa/sms': { status: 200, body: { available: false, maskedPhone: null, resendInSeconds: 0 } },
    });
    renderApp('/enrol-totp');
    expect(await screen.findByRole('heading', { name: '绑定身份验证器' })).toBeTruthy();
    expect(await screen.findByRole('img', { name: '用于身份验证器的二维码' })).toBeTruthy();
    expect(screen.queryByText('手机短信')).toBeNull();
  });
});

describe('AUTH-15 development SMS outbox page', () => {
  const admin = session(['identity.smsOutbox.read', 'audit.event.read']);
  it('lists the messages for an administrator when the server has the outbox on, with a menu entry', async () => {
    mockApi({
      'GET /api/v1/session': admin,
      'GET /api/v1/dev/sms-outbox': {
        status: 200,
        body: {
          messages: [
            {
              id: 'm1',
              to: MASKED,
              text: 'MedLedger 登录验证码：864200，5 分钟内有效',
              createdAt: '2026-11-30T02:00:00.000Z',
            },
          ],
        },
      },
    });
    renderApp('/');
    const entry = await screen.findByText('短信发件箱（开发）');
    fireEvent.click(entry);
    expect(await screen.findByRole('heading', { name: '短信发件箱（开发环境）' })).toBeTruthy();
    expect(screen.getByText(/仅限开发和测试使用/)).toBeTruthy();
    expect(await screen.findByText('MedLedger 登录验证码：864200，5 分钟内有效')).toBeTruthy();
    expect(screen.getByText(MASKED)).toBeTruthy();
  });

  it('has no menu entry when the outbox is off (404)', async () => {
    mockApi({ 'GET /api/v1/session': admin });
    renderApp('/');
    expect(await screen.findByText('欢迎，李娜')).toBeTruthy();
    expect(await screen.findByText('审计日志')).toBeTruthy();
    expect(screen.queryByText('短信发件箱（开发）')).toBeNull();
  });
});
