import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';

const notSignedIn = {
  'GET /api/v1/session': { status: 401, body: { code: 'unauthenticated', message: 'x', requestId: 'r0' } },
};

describe('login page', () => {
  it('renders in Chinese by default', async () => {
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
    const login = screen.getByLabelText('账号');
    expect(login.getAttribute('autocomplete')).toBe('username');
    const password = screen.getByLabelText('密码');
    expect(password.getAttribute('type')).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('current-password');
    expect(screen.getByRole('button', { name: '登录' }).getAttribute('type')).toBe('submit');
    expect(screen.getByRole('button', { name: 'English' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches to English and remembers the choice', async () => {
    mockApi(notSignedIn);
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: 'English' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Login')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: '中文' })).toBeTruthy();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('starts in the stored language', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('Secure compliance management for medical device distributors')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });

  it('ignores an unknown stored language', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'fr');
    mockApi(notSignedIn);
    renderApp('/login');

    expect(await screen.findByRole('heading', { name: '登录' })).toBeTruthy();
  });

  it('posts the credentials and explains that sign-in is not available yet (404 not_found)', async () => {
    const fetchMock = mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': {
        status: 404,
        body: { code: 'not_found', message: 'Route POST:/api/v1/auth/login not found', requestId: 'req-42' },
      },
    });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('账号'), { target: { value: ' zhang.san ' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByText(/此服务器暂未开放登录/)).toBeTruthy();
    expect(screen.getByText('请求编号：req-42')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/auth/login',
      expect.objectContaining({
        method: 'POST',
        credentials: 'same-origin',
        headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
        body: JSON.stringify({ login: 'zhang.san', password: 'correct horse' }),
      }),
    );
    // The password never outlives a failed attempt, and nothing but the language is stored.
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('密码').value).toBe(''));
    expect(Object.keys(window.localStorage)).toEqual([]);
  });

  it('shows a generic message for wrong credentials (401)', async () => {
    mockApi({
      ...notSignedIn,
      'POST /api/v1/auth/login': {
        status: 401,
        body: { code: 'unauthenticated', message: 'Invalid credentials', requestId: 'req-43' },
      },
    });
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('Login'), { target: { value: 'li.si' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('The login or password is incorrect.')).toBeTruthy();
  });

  it('does not submit an empty form', async () => {
    const fetchMock = mockApi(notSignedIn);
    renderApp('/login');

    fireEvent.click(await screen.findByRole('button', { name: '登录' }));

    expect(await screen.findByText('请输入账号')).toBeTruthy();
    expect(screen.getByText('请输入密码')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/v1/auth/login');
  });
});
