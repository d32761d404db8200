import { CheckSetupTokenResponse, type CheckSetupTokenInput } from '@medledger/contract';
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
