import { apiRequest } from './client';

export interface LoginInput {
  login: string;
  password: string;
}

/** `POST /api/v1/auth/login`; the session itself comes from `GET /api/v1/session` afterwards. */
export async function login(input: LoginInput): Promise<void> {
  await apiRequest('/auth/login', { method: 'POST', body: input });
}

/** `POST /api/v1/auth/logout`, without a body. */
export async function logout(): Promise<void> {
  await apiRequest('/auth/logout', { method: 'POST' });
}
