import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { endSessionOnUnauthenticated } from '../api/session';

/**
 * Client errors (4xx) are answers, not glitches: retrying them only repeats the same answer.
 * A 401 `unauthenticated` from any query or mutation while signed in ends the session in the page;
 * the route guard then sends the user to /login with a message.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => endSessionOnUnauthenticated(queryClient, error) }),
    mutationCache: new MutationCache({ onError: (error) => endSessionOnUnauthenticated(queryClient, error) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
