import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';

const TOKEN = 'Zy9xWvUtSrQpOnMlKjIhGfEdCbA0123456789-_abcd';
const check = {
  status: 200,
  body: {
    purpose: 'invite',
    login: 'ward.li',
    name: '李晓梅',
    expiresAt: '2026-11-30T12:00:00.000Z',
    privileged: false,
  },
};

describe('set-password page (AUTH-18)', () => {
  it('AUTH-18 reads the token from the fragment, drops it from the address bar and sets the password', async () => {
    let sent: unknown;
    const fetchMock = mockApi({
      'POST /api/v1/password-link/check': check,
      'POST /api/v1/password-link/use': (init) => {
        sent = JSON.parse(init?.body as string);
        return { status: 200, body: { ok: true } };
      },
    });
    renderApp(`/set-password#token=${TOKEN}`);
    expect(await screen.findByText('为账号 李晓梅（ward.li）设置登录密码')).toBeTruthy();
    expect(window.location.href).not.toContain(TOKEN);
    const password = 'lantern orchard 七彩 river';
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: password } });
    fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: password } });
    expect(screen.getByLabelText('新密码').getAttribute('autocomplete')).toBe('new-password');
    fireEvent.click(screen.getByRole('button', { name: '保存密码' }));
    expect(await screen.findByText('密码已设置')).toBeTruthy();
    expect(sent).toEqual({ token: TOKEN, password });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('AUTH-04 shows the server’s policy problems in the interface language, by code', async () => {
    mockApi({
      'POST /api/v1/password-link/check': check,
      'POST /api/v1/password-link/use': {
        status: 400,
        body: {
          code: 'validation_failed',
          message: 'Choose a stronger password.',
          requestId: 'r1',
          issues: [{ path: 'body.password', message: 'english text', code: 'password.common' }],
        },
      },
    });
    renderApp(`/set-password#token=${TOKEN}`);
    await screen.findByText('为账号 李晓梅（ward.li）设置登录密码');
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'woaini1314woaini1314' } });
    fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: 'woaini1314woaini1314' } });
    fireEvent.click(screen.getByRole('button', { name: '保存密码' }));
    expect(await screen.findByText(/这是常见或已泄露的密码/)).toBeTruthy();
    expect(screen.queryByText('english text')).toBeNull();
  });

  it('AUTH-18 a used or expired link says so and offers no form', async () => {
    mockApi({
      'POST /api/v1/password-link/check': {
        status: 410,
        body: { code: 'link_invalid', message: 'x', requestId: 'r2' },
      },
    });
    renderApp(`/set-password#token=${TOKEN}`);
    expect(await screen.findByText('链接无效')).toBeTruthy();
    await waitFor(() => expect(screen.queryByLabelText('新密码')).toBeNull());
  });
});
