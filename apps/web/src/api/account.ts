import {
  CheckPasswordLinkResponse,
  MySecurityResponse,
  NotificationListResponse,
  OkResponse,
  SessionListResponse,
  type ChangePasswordInput,
} from '@medledger/contract';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiJson } from './client';

/** Self-service: password links, password change, the user's own security overview. */

export function checkPasswordLink(token: string, signal?: AbortSignal) {
  return apiJson('/password-link/check', CheckPasswordLinkResponse, {
    method: 'POST',
    body: { token },
    ...(signal ? { signal } : {}),
  });
}

export function usePasswordLinkCheck(token: string | undefined) {
  return useQuery({
    queryKey: ['password-link', token],
    queryFn: ({ signal }) => checkPasswordLink(token!, signal),
    enabled: token !== undefined,
    retry: false,
    staleTime: Infinity,
  });
}

export function setPasswordWithLink(token: string, password: string) {
  return apiJson('/password-link/use', OkResponse, { method: 'POST', body: { token, password } });
}

export function changePassword(input: ChangePasswordInput) {
  return apiJson('/auth/password', z.object({ next: z.literal('done') }), { method: 'POST', body: input });
}

export const securityKey = ['my-security'] as const;

export const mySecurityQuery = queryOptions({
  queryKey: [...securityKey, 'overview'],
  queryFn: ({ signal }) => apiJson('/auth/security', MySecurityResponse, { signal }),
});

export const mySessionsQuery = queryOptions({
  queryKey: [...securityKey, 'sessions'],
  queryFn: ({ signal }) => apiJson('/auth/sessions', SessionListResponse, { signal }),
});

export const notificationsQuery = queryOptions({
  queryKey: [...securityKey, 'notifications'],
  queryFn: ({ signal }) => apiJson('/auth/notifications', NotificationListResponse, { signal }),
});

export function endMySession(id: string) {
  return apiJson(`/auth/sessions/${encodeURIComponent(id)}/end`, OkResponse, { method: 'POST' });
}

export function markNotificationsRead() {
  return apiJson('/auth/notifications/read', OkResponse, { method: 'POST' });
}

/** TRN-03: dismisses one notification (the new-device warning): marked read on the server, audited. */
export function dismissNotification(id: string) {
  return apiJson(`/auth/notifications/${encodeURIComponent(id)}/dismiss`, OkResponse, { method: 'POST' });
}
