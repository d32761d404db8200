import { SessionResponse } from '@medledger/contract';
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { ApiError, apiJson } from './client';

export type Session = SessionResponse;

export const sessionQueryKey = ['session'] as const;

/**
 * `true` once a signed-in session stopped being accepted by the server (idle timeout, ended
 * elsewhere): the route guard then tells the login page why the user is there. Kept per QueryClient.
 */
export const sessionEndedKey = ['session-ended'] as const;

/** The signed-in session, or `null` for any API error answer (401 while not signed in, or mid-sign-in). */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    return await apiJson('/session', SessionResponse, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.code !== 'network') return null;
    throw error;
  }
}

/**
 * Forgets the session; `ended` says whether the server ended it (the login page then says so). The
 * route guard redirects to /login at once, where {@link forgetUserData} drops everything else: doing
 * it here would make the pages still on screen fetch their data again before they unmount.
 */
export function clearSession(queryClient: QueryClient, { ended }: { ended: boolean }): void {
  rememberSignedIn(false);
  queryClient.setQueryData(sessionEndedKey, ended);
  queryClient.setQueryData(sessionQueryKey, null);
}

/**
 * This tab had a signed-in session (per tab, gone with the tab or a sign-out's Clear-Site-Data). A
 * reload that finds no session then says the session ended, instead of a bare login page.
 */
const SIGNED_IN_KEY = 'medledger.signedIn';

function rememberSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) window.sessionStorage.setItem(SIGNED_IN_KEY, '1');
    else window.sessionStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // Storage disabled: the message after a reload is a nicety only.
  }
}

function wasSignedIn(): boolean {
  try {
    return window.sessionStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}

/** Nothing fetched for the previous user may show up for the next one. */
export function forgetUserData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] && query.queryKey[0] !== sessionEndedKey[0],
  });
}

/** While signed in, a 401 `unauthenticated` from any call means the session is over. */
export function endSessionOnUnauthenticated(queryClient: QueryClient, error: unknown): void {
  if (!(error instanceof ApiError) || error.code !== 'unauthenticated') return;
  if (!queryClient.getQueryData<Session | null>(sessionQueryKey)) return;
  clearSession(queryClient, { ended: true });
}

export function wasSessionEnded(queryClient: QueryClient): boolean {
  return queryClient.getQueryData<boolean>(sessionEndedKey) === true;
}

export const sessionQuery = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: async ({ signal, client }) => {
    const session = await fetchSession(signal);
    // A refetch (window focus, staleness) or a reload that finds no session any more: it ended on
    // the server.
    if (session === null && (client.getQueryData<Session | null>(sessionQueryKey) || wasSignedIn())) {
      clearSession(client, { ended: true });
    }
    if (session !== null) rememberSignedIn(true);
    return session;
  },
  staleTime: 60_000,
  retry: false,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** Refetches the session (also when no component watches it) and waits for the answer. */
export function refreshSession(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: sessionQueryKey, refetchType: 'all' });
}
