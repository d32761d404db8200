import {
  CreateUserResponse,
  EndedSessionsResponse,
  PasswordLink,
  RevealedContactResponse,
  UserListResponse,
  UserResponse,
  type CreateUserInput,
  type UpdateUserInput,
  type UserListQuery,
} from '@medledger/contract';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiJson } from './client';

export const USER_READ_PERMISSION = 'identity.user.read';
export const USER_MANAGE_PERMISSION = 'identity.user.manage';
export const USER_REVEAL_PERMISSION = 'identity.user.reveal';

export type UserFilters = Pick<UserListQuery, 'q' | 'status' | 'page' | 'pageSize'>;

export const usersKey = ['users'] as const;

export function userListQuery(filters: UserFilters) {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  params.set('page', String(filters.page));
  params.set('pageSize', String(filters.pageSize));
  return queryOptions({
    queryKey: [...usersKey, 'list', filters],
    queryFn: ({ signal }) => apiJson(`/users?${params.toString()}`, UserListResponse, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useUserList(filters: UserFilters) {
  return useQuery(userListQuery(filters));
}

export function createUser(input: CreateUserInput) {
  return apiJson('/users', CreateUserResponse, { method: 'POST', body: input });
}

export function updateUser(id: string, input: UpdateUserInput) {
  return apiJson(`/users/${encodeURIComponent(id)}`, UserResponse, { method: 'PATCH', body: input });
}

export function disableUser(id: string, reason: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/disable`, UserResponse, { method: 'POST', body: { reason } });
}

export function enableUser(id: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/enable`, UserResponse, { method: 'POST' });
}

export function unlockUser(id: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/unlock`, UserResponse, { method: 'POST' });
}

export function issuePasswordLink(id: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/password-link`, PasswordLink, { method: 'POST' });
}

export function endUserSessions(id: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/sessions/end`, EndedSessionsResponse, { method: 'POST' });
}

/** The address a user opens to set a password; the token stays in the fragment (never sent to a server). */
export function passwordLinkUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/set-password#token=${token}`;
}

/** AC-03: the unmasked phone and e-mail; the server audits each reveal. */
export function revealContact(id: string) {
  return apiJson(`/users/${encodeURIComponent(id)}/reveal`, RevealedContactResponse, { method: 'POST' });
}
