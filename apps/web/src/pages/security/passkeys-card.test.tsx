import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_OPTIONS, REGISTRATION_OPTIONS } from '../../../test/passkey-fixtures';
import { mockApi, type MockResponse } from '../../../test/render-app';
import { installFakeWebAuthn, notAllowed, removeFakeWebAuthn } from '../../../test/webauthn';
import { AppRoot } from '../../app/app-root';
import { LANGUAGE_STORAGE_KEY, createAppI18n } from '../../app/i18n';
import { createQueryClient } from '../../app/query-client';
import { PasskeysCard } from './passkeys-card';

const OFFICE = {
  id: '01900000-0000-7000-8000-0000000000a1',
  name: '办公室电脑',
  createdAt: '2026-11-01T08:00:00.000Z',
  lastUsedAt: '2026-11-20T09:30:00.000Z',
  deviceType: 'multiDevice',
  backedUp: true,
};
const PHONE = {
  id: '01900000-0000-7000-8000-0000000000a2',
  name: '我的手机',
  createdAt: '2026-11-02T08:00:00.000Z',
  lastUsedAt: null,
  deviceType: 'singleDevice',
  backedUp: false,
};
const stepUpRequired: MockResponse = {
  status: 401,
  body: { code: 'step_up_required', message: 'Confirm your identity again.', requestId: 'req-su' },
};
const ok: MockResponse = { status: 200, body: { ok: true } };

/** The card on its own, inside the app's providers (the "my security" page includes it). */
function renderCard() {
  const router = createMemoryRouter([{ path: '/', element: <PasskeysCard /> }]);
  return render(<AppRoot nonce={undefined} i18n={createAppI18n()} queryClient={createQueryClient()} router={router} />);
}

afterEach(removeFakeWebAuthn);

/** A modal by its title (antd gives every modal the same title id under test, so not by name). */
async function dialogTitled(title: string): Promise<HTMLElement> {
  return (await screen.findByText(title)).closest<HTMLElement>('[role=dialog]')!;
}

/** Clicks the confirm button of the open "remove?" popover (rendered after the table rows). */
async function confirmPopover() {
  const popover = await screen.findByRole('tooltip');
  await waitFor(() => expect(within(popover).getByRole('button', { name: 'Remove' })).toBeTruthy());
  fireEvent.click(within(popover).getByRole('button', { name: 'Remove' }));
}

describe('passkeys card', () => {
  it('lists your passkeys with when they were added and last used, marking synced ones', async () => {
    mockApi({ 'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [OFFICE, PHONE], totpEnrolled: false } } });
    renderCard();

    expect(await screen.findByText('办公室电脑')).toBeTruthy();
    expect(screen.getByText('我的手机')).toBeTruthy();
    expect(screen.getByText('已同步')).toBeTruthy();
    expect(screen.getByText(/尚未使用/)).toBeTruthy();
    expect(screen.getByText(/服务器只保存公钥/)).toBeTruthy();
  });

  it('SESS-09 adds a passkey after confirming your identity with an existing passkey, then retries', async () => {
    const browser = installFakeWebAuthn();
    let steppedUp = false;
    let added = false;
    const fetchMock = mockApi({
      'GET /api/v1/auth/passkeys': () => ({
        status: 200,
        body: { passkeys: added ? [OFFICE, PHONE] : [OFFICE], totpEnrolled: false },
      }),
      'POST /api/v1/auth/passkeys/options': () => (steppedUp ? REGISTRATION_OPTIONS : stepUpRequired),
      'POST /api/v1/auth/passkey/step-up/options': AUTH_OPTIONS,
      'POST /api/v1/auth/passkey/step-up': () => {
        steppedUp = true;
        return ok;
      },
      'POST /api/v1/auth/passkeys': () => {
        added = true;
        return { status: 201, body: { passkey: PHONE } };
      },
    });
    renderCard();

    fireEvent.click(await screen.findByRole('button', { name: /添加通行密钥/ }));
    const nameDialog = await screen.findByRole('dialog');
    fireEvent.change(within(nameDialog).getByLabelText('名称'), { target: { value: '我的手机' } });
    fireEvent.click(within(nameDialog).getByRole('button', { name: /保\s*存/ }));

    const stepUp = await dialogTitled('请再次确认身份');
    // No authenticator app on this account: only the passkey is offered.
    expect(within(stepUp).queryByLabelText(/6 位验证码/)).toBeNull();
    fireEvent.click(within(stepUp).getByRole('button', { name: /用通行密钥确认/ }));

    expect(await screen.findByText('我的手机')).toBeTruthy();
    expect(await screen.findByText('通行密钥已添加。')).toBeTruthy();
    expect(browser.get).toHaveBeenCalledTimes(1);
    expect(browser.create).toHaveBeenCalledTimes(1);
    const body = fetchMock.mock.calls.filter(
      ([url, init]) => url === '/api/v1/auth/passkeys' && init?.method === 'POST',
    );
    expect(JSON.parse(body[0]?.[1]?.body as string)).toMatchObject({ name: '我的手机' });
  });

  it('SESS-09 removes a passkey after an authenticator code, and explains why the last strong factor stays', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    installFakeWebAuthn({ get: notAllowed });
    let steppedUp = false;
    const fetchMock = mockApi({
      'GET /api/v1/auth/passkeys': { status: 200, body: { passkeys: [OFFICE, PHONE], totpEnrolled: true } },
      'POST /api/v1/auth/passkey/step-up/options': AUTH_OPTIONS,
      'POST /api/v1/auth/step-up': () => {
        steppedUp = true;
        return ok;
      },
      [`POST /api/v1/auth/passkeys/${PHONE.id}/remove`]: () => (steppedUp ? ok : stepUpRequired),
      [`POST /api/v1/auth/passkeys/${OFFICE.id}/remove`]: {
        status: 409,
        body: { code: 'conflict', message: 'This is your only passkey.', requestId: 'req-last' },
      },
    });
    renderCard();

    const phoneRow = (await screen.findByText('我的手机')).closest('tr')!;
    fireEvent.click(within(phoneRow).getByRole('button', { name: 'Remove' }));
    await confirmPopover();
    const stepUp = await dialogTitled('Confirm it is you');
    // The passkey is refused by the browser: the card says so, and the code still works.
    fireEvent.click(within(stepUp).getByRole('button', { name: /Confirm with a passkey/ }));
    expect(await within(stepUp).findByText(/The passkey step did not finish/)).toBeTruthy();
    fireEvent.change(within(stepUp).getByLabelText(/6-digit code/), { target: { value: '123456' } });
    fireEvent.click(within(stepUp).getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('The passkey was removed.')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/step-up', expect.objectContaining({ method: 'POST' }));

    const officeRow = screen.getByText('办公室电脑').closest('tr')!;
    fireEvent.click(within(officeRow).getByRole('button', { name: 'Remove' }));
    await confirmPopover();
    expect(await screen.findByText(/add another passkey or an authenticator app first/)).toBeTruthy();
  });
});
