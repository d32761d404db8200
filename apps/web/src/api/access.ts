import {
  BootstrapStatusResponse,
  EffectiveAccessResponse,
  RoleAssignmentListResponse,
  RoleAssignmentResponse,
  RoleListResponse,
  type AssignRoleInput,
} from '@medledger/contract';
import { queryOptions } from '@tanstack/react-query';
import { apiJson } from './client';

export const ROLE_READ_PERMISSION = 'access.role.read';
export const ROLE_ASSIGN_PERMISSION = 'access.role.assign';
export const APPROVE_PERMISSION = 'access.assignment.approve';

export const accessKey = ['access'] as const;

export const rolesQuery = queryOptions({
  queryKey: [...accessKey, 'roles'],
  queryFn: ({ signal }) => apiJson('/access/roles', RoleListResponse, { signal }),
  staleTime: 5 * 60_000,
});

export function assignmentsQuery(filter: { userId?: string; status?: 'pending' }) {
  const params = new URLSearchParams(filter);
  return queryOptions({
    queryKey: [...accessKey, 'assignments', filter],
    queryFn: ({ signal }) =>
      apiJson(`/access/assignments?${params.toString()}`, RoleAssignmentListResponse, { signal }),
  });
}

export function assignRole(input: AssignRoleInput) {
  return apiJson('/access/assignments', RoleAssignmentResponse, { method: 'POST', body: input });
}

export function decideAssignment(id: string, decision: 'approve' | 'reject' | 'revoke', reason: string) {
  return apiJson(`/access/assignments/${encodeURIComponent(id)}/${decision}`, RoleAssignmentResponse, {
    method: 'POST',
    body: { reason },
  });
}

export function effectiveAccessQuery(userId: string) {
  return queryOptions({
    queryKey: [...accessKey, 'effective', userId],
    queryFn: ({ signal }) =>
      apiJson(`/access/users/${encodeURIComponent(userId)}/effective`, EffectiveAccessResponse, { signal }),
  });
}

/** AC-06: the initial administrator's all-permission role and the three administrator roles. */
export const bootstrapQuery = queryOptions({
  queryKey: [...accessKey, 'bootstrap'],
  queryFn: ({ signal }) => apiJson('/access/bootstrap', BootstrapStatusResponse, { signal }),
});

export function retireBootstrap(reason: string) {
  return apiJson('/access/bootstrap/retirement', BootstrapStatusResponse, { method: 'POST', body: { reason } });
}
