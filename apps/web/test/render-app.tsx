import { render } from '@testing-library/react';
import { StrictMode } from 'react';
import { createBrowserRouter } from 'react-router';
import { vi } from 'vitest';
import { AppRoot } from '../src/app/app-root';
import { createAppI18n } from '../src/app/i18n';
import { createQueryClient } from '../src/app/query-client';
import { routes } from '../src/app/routes';

/**
 * Starts the whole app as src/main.tsx does, at `url` (path, query and hash). `strict` wraps it in
 * <StrictMode> as main.tsx does, so that effects run twice on mount.
 */
export function renderApp(url: string, { strict = false }: { strict?: boolean } = {}) {
  window.history.replaceState(null, '', url);
  const i18n = createAppI18n();
  const queryClient = createQueryClient();
  const router = createBrowserRouter(routes);
  const app = <AppRoot nonce={undefined} i18n={i18n} queryClient={queryClient} router={router} />;
  const view = render(strict ? <StrictMode>{app}</StrictMode> : app);
  return { ...view, i18n, queryClient, router };
}

export interface MockResponse {
  status: number;
  body?: unknown;
}

/**
 * Replaces `fetch` with a table of `METHOD /path` → response, matched on the path alone (so list
 * requests with a query string reach their handler, which receives the init and the full URL).
 * Unlisted requests get the 404 the server gives for unknown API routes.
 */
export function mockApi(
  routesTable: Record<string, MockResponse | ((init: RequestInit | undefined, url: URL) => MockResponse)>,
) {
  const fetchMock = vi.fn<typeof fetch>((input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'http://localhost');
    const route = routesTable[`${init?.method ?? 'GET'} ${url.pathname}`];
    const answer = (typeof route === 'function' ? route(init, url) : route) ?? {
      status: 404,
      body: { code: 'not_found', message: 'Route not found', requestId: 'req-test-404' },
    };
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return Promise.resolve(
      new Response(body, { status: answer.status, headers: { 'content-type': 'application/json' } }),
    );
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
