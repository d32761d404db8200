import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiJson } from './client';

/**
 * `GET /api/v1/session` once the identity module exists. Kept local until the contract defines it;
 * the server will answer 200 with this shape, anything else means "not signed in".
 */
export const SessionResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), login: z.string() }),
  permissions: z.array(z.string()),
});
export type Session = z.infer<typeof SessionResponse>;

export const sessionQueryKey = ['session'] as const;

/** The signed-in session, or `null` for any API error answer (401 and 404 today). */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    return await apiJson('/session', SessionResponse, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.code !== 'network') return null;
    throw error;
  }
}

export const sessionQuery = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: ({ signal }) => fetchSession(signal),
  staleTime: 60_000,
  retry: false,
});

export function useSession() {
  return useQuery(sessionQuery);
}
