import type { RouteObject } from 'react-router';
import { AuditPage } from '../pages/audit/audit-page';
import { SmsOutboxPage } from '../pages/dev/sms-outbox-page';
import { EnrolTotpPage } from '../pages/enrol/enrol-totp-page';
import { NotFoundPage } from '../pages/errors/not-found-page';
import { RouteErrorPage } from '../pages/errors/route-error-page';
import { HomePage } from '../pages/home/home-page';
import { LoginPage } from '../pages/login/login-page';
import { SetupPage } from '../pages/setup/setup-page';
import { MainLayout } from './layout/main-layout';
import { RequireSession } from './session';

/**
 * All routes. Everything under the main layout needs a session; /login, /setup and /enrol-totp (the
 * sign-in steps before the session is complete) do not.
 */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/setup', element: <SetupPage /> },
      { path: '/enrol-totp', element: <EnrolTotpPage /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <MainLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: '/audit', element: <AuditPage /> },
              { path: '/dev/sms-outbox', element: <SmsOutboxPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
