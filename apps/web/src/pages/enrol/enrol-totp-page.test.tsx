import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, renderApp, type MockResponse } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';
import { otpauthAccount } from './enrol-totp-page';
import { RECOVERY_CODES_FILE } from './recovery-codes';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const START: MockResponse = {
  status: 200,
  body: {
    secret: SECRET,
    otpauthUri: `otpauth://totp/MedLedger:wang.wu?secret=${SECRET}&issuer=MedLedger&algorithm=SHA1&digits=6&period=30`,
  },
};
const CODES = Array.from({ length: 10 }, (_, i) => `ABCDE-FGHJK-LMNPQ-RST${String.fromCharCode(65 + i)}${i}`);
const unauthenticated: MockResponse = {
  status: 401,
  body: { code: 'unauthenticated', message: 'Sign in again.', requestId: 'req-1' },
};

function calls(fetchMock: ReturnType<typeof mockApi>, url: string) {
  return fetchMock.mock.calls.filter(([called]) => called === url);
}

/** The API of a browser in the enrolment stage; the session becomes complete once confirmed. */
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
    'POST /api/v1/auth/totp/enrol/start': START,
    'POST /api/v1/auth/totp/enrol/confirm': () => {
      complete = true;
      return { status: 200, body: { next: 'done', recoveryCodes: CODES } };
    },
    ...overrides,
  });
}

async function confirmWith(code: string) {
  fireEvent.change(await screen.findByLabelText('验证码'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: '完成绑定' }));
}

describe('authenticator enrolment page', () => {
  it('starts the enrolment exactly once, also under StrictMode, and shows the QR code and the secret', async () => {
    const fetchMock = enrolmentApi();
    renderApp('/enrol-totp', { strict: true });

    expect(await screen.findByRole('img', { name: '用于身份验证器的二维码' })).toBeTruthy();
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    expect(screen.getByText('账户：MedLedger:wang.wu')).toBeTruthy();
    expect(screen.getByText('微信和支付宝不是身份验证器，不能用于此处。')).toBeTruthy();
    expect(screen.getByText(/Microsoft Authenticator、Google Authenticator、FreeOTP/)).toBeTruthy();
    const start = calls(fetchMock, '/api/v1/auth/totp/enrol/start');
    expect(start).toHaveLength(1);
    expect(start[0]?.[1]).toEqual(expect.objectContaining({ method: 'POST', credentials: 'same-origin' }));
    expect(start[0]?.[1]?.body).toBeUndefined();
    const code = screen.getByLabelText('验证码');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
  });

  it('explains the authenticator requirement in English', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    enrolmentApi();
    renderApp('/enrol-totp');

    expect(await screen.findByRole('heading', { name: 'Set up your authenticator app' })).toBeTruthy();
    expect(screen.getByText('WeChat and Alipay are not authenticator apps and cannot be used here.')).toBeTruthy();
    expect(await screen.findByRole('img', { name: 'QR code for the authenticator app' })).toBeTruthy();
  });

  it('confirms with the first code, shows the 10 recovery codes once and continues only after the checkbox', async () => {
    const fetchMock = enrolmentApi();
    renderApp('/enrol-totp', { strict: true });

    await confirmWith('654321');

    const list = await screen.findByRole('list', { name: '恢复码列表' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual(CODES);
    expect(screen.getByText(/以下 10 个恢复码只显示这一次/)).toBeTruthy();
    expect(screen.queryByRole('img', { name: '用于身份验证器的二维码' })).toBeNull();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/auth/totp/enrol/confirm',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ code: '654321' }) }),
    );

    const proceed = screen.getByRole('button', { name: '继续' });
    expect(proceed.hasAttribute('disabled')).toBe(true);
    fireEvent.click(proceed);
    expect(window.location.pathname).toBe('/enrol-totp');

    fireEvent.click(screen.getByRole('checkbox', { name: '我已妥善保存恢复码' }));
    expect(proceed.hasAttribute('disabled')).toBe(false);
    fireEvent.click(proceed);

    expect(await screen.findByText('欢迎，王五')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(calls(fetchMock, '/api/v1/auth/totp/enrol/start')).toHaveLength(1);
  });

  it('downloads the recovery codes as a .txt file through a short-lived object URL', async () => {
    enrolmentApi();
    let blob: Blob | undefined;
    const createObjectURL = vi.fn((object: Blob) => {
      blob = object;
      return 'blob:https://localhost/recovery';
    });
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(class extends URL {}, { createObjectURL, revokeObjectURL }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderApp('/enrol-totp');

    await confirmWith('654321');
    // Nothing is prepared before the click.
    await screen.findByRole('list', { name: '恢复码列表' });
    expect(createObjectURL).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: '下载为 .txt 文件' }));

    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe(RECOVERY_CODES_FILE);
    expect(clicked[0]?.getAttribute('href')).toBe('blob:https://localhost/recovery');
    expect(clicked[0]?.isConnected).toBe(false);
    expect(blob?.type).toBe('text/plain;charset=utf-8');
    const text = (await blob?.text()) ?? '';
    expect(text).toContain('MedLedger 恢复码');
    expect(text).toContain('账户：MedLedger:wang.wu');
    for (const code of CODES) expect(text).toContain(code);
    await waitFor(() => expect(revokeObjectURL).toHaveBeenCalledWith('blob:https://localhost/recovery'), {
      timeout: 3000,
    });
  });

  it('copies all recovery codes to the clipboard', async () => {
    enrolmentApi();
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator) as Navigator, { clipboard: { writeText } }));
    renderApp('/enrol-totp');

    await confirmWith('654321');
    fireEvent.click(await screen.findByRole('button', { name: '复制全部' }));

    expect(await screen.findByText('恢复码已复制到剪贴板。')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(CODES.join('\n'));
  });

  it('keeps the QR code and says so when the confirmation code is wrong', async () => {
    const fetchMock = enrolmentApi({
      'POST /api/v1/auth/totp/enrol/confirm': {
        status: 401,
        body: { code: 'invalid_credentials', message: 'The code is not valid.', requestId: 'req-2' },
      },
    });
    renderApp('/enrol-totp');

    await confirmWith('000000');

    expect(await screen.findByText('验证码不正确。请确认手机时间准确，并输入应用当前显示的验证码。')).toBeTruthy();
    expect(screen.getByRole('img', { name: '用于身份验证器的二维码' })).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('验证码').value).toBe(''));
    expect(calls(fetchMock, '/api/v1/auth/totp/enrol/start')).toHaveLength(1);
  });

  it('sends the user to /login with a message when the session is not in the enrolment stage (401)', async () => {
    enrolmentApi({ 'POST /api/v1/auth/totp/enrol/start': unauthenticated });
    const { router } = renderApp('/enrol-totp');

    expect(await screen.findByText('绑定身份验证器的步骤已失效，请重新输入账号和密码后继续。')).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    expect(router.state.location.state).toEqual({ notice: 'enrolment_expired' });
  });

  it('offers a retry when starting fails for another reason', async () => {
    let attempts = 0;
    const fetchMock = enrolmentApi({
      'POST /api/v1/auth/totp/enrol/start': () => {
        attempts += 1;
        return attempts === 1
          ? { status: 503, body: { code: 'service_unavailable', message: 'busy', requestId: 'req-3' } }
          : START;
      },
    });
    renderApp('/enrol-totp');

    expect(await screen.findByText('服务暂时不可用，请稍后再试。')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));

    expect(await screen.findByRole('img', { name: '用于身份验证器的二维码' })).toBeTruthy();
    expect(calls(fetchMock, '/api/v1/auth/totp/enrol/start')).toHaveLength(2);
  });

  it('reads the account label from the otpauth URI', () => {
    expect(otpauthAccount('otpauth://totp/MedLedger:%E7%8E%8B%E4%BA%94?secret=X')).toBe('MedLedger:王五');
    expect(otpauthAccount('otpauth://totp/?secret=X')).toBeNull();
    expect(otpauthAccount('not a uri')).toBeNull();
  });
});
