import { render, screen } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { AppRoot } from '../../app/app-root';
import { createAppI18n } from '../../app/i18n';
import { createQueryClient } from '../../app/query-client';
import { RouteErrorPage } from './route-error-page';

function Broken(): never {
  throw new Error('render failed');
}

describe('route error page', () => {
  it('replaces a crashed page with a friendly localized message and a way home', async () => {
    // React and the router report the caught render error on the console; that is expected here.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const router = createMemoryRouter([
      { errorElement: <RouteErrorPage />, children: [{ path: '/', element: <Broken /> }] },
    ]);
    render(<AppRoot nonce={undefined} i18n={createAppI18n('en')} queryClient={createQueryClient()} router={router} />);

    expect(await screen.findByRole('heading', { name: 'Something went wrong' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to home' }).getAttribute('href')).toBe('/');
    expect(screen.queryByText('render failed')).toBeNull();
  });
});
