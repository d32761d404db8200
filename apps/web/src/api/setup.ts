import {
  AuthStepResponse,
  CheckSetupTokenResponse,
  type CheckSetupTokenInput,
  type CreateFirstAdminInput,
} from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { apiJson } from './client';

export function checkSetupToken(input: CheckSetupTokenInput, signal?: AbortSignal): Promise<CheckSetupTokenResponse> {
  return apiJson('/setup/token/check', CheckSetupTokenResponse, { method: 'POST', body: input, signal });
}

/** Checks (without consuming) the setup token; `token` undefined means there is nothing to check. */
export function useSetupTokenCheck(token: string | undefined) {
  return useQuery({
    queryKey: ['setup', 'token-check', token],
    queryFn: ({ signal }) => checkSetupToken({ token: token ?? '' }, signal),
    enabled: token !== undefined,
    retry: false,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

/**
 * `POST /api/v1/setup/admin`: consumes the setup token and creates the first administrator. The
 * answer's session can do nothing but enrol the authenticator (`next: 'enrol_totp'`).
 */
export function createFirstAdmin(input: CreateFirstAdminInput): Promise<AuthStepResponse> {
  return apiJson('/setup/admin', AuthStepResponse, { method: 'POST', body: input });
}
