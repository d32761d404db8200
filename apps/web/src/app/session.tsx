import { useQueryClient } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { createContext, use } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession, wasSessionEnded, type Session } from '../api/session';

const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only for components rendered below {@link RequireSession}. */
export function useCurrentSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useCurrentSession() used outside <RequireSession>');
  return session;
}

/** Why the user was sent to the login page; each has a message there. */
export const LOGIN_NOTICES = ['session_ended', 'sign_in_expired', 'enrolment_expired'] as const;
export type LoginNotice = (typeof LOGIN_NOTICES)[number];

/** Router state of /login: where to go back to, and why the user is here. Never in the URL. */
export interface LoginRedirectState {
  from?: string;
  notice?: LoginNotice;
}

/** Reads router state defensively: it survives reloads and could come from an older version. */
export function readLoginRedirectState(value: unknown): LoginRedirectState {
  if (typeof value !== 'object' || value === null) return {};
  const { from, notice } = value as Record<string, unknown>;
  return {
    ...(typeof from === 'string' ? { from } : {}),
    ...((LOGIN_NOTICES as readonly unknown[]).includes(notice) ? { notice: notice as LoginNotice } : {}),
  };
}

/** Route guard: renders its child routes with a session, otherwise redirects to /login. */
export function RequireSession() {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const session = useSession();

  if (session.isPending) {
    return (
      <div className="ml-centered">
        <Spin size="large" description={t('app.loading')} />
      </div>
    );
  }
  if (session.isError) {
    return (
      <Result
        status="warning"
        title={t('session.checkFailed')}
        extra={
          <Button type="primary" onClick={() => void session.refetch()}>
            {t('session.retry')}
          </Button>
        }
      />
    );
  }
  if (!session.data) {
    const state: LoginRedirectState = {
      from: location.pathname + location.search,
      ...(wasSessionEnded(queryClient) ? { notice: 'session_ended' as const } : {}),
    };
    return <Navigate to="/login" replace state={state} />;
  }
  return (
    <SessionContext value={session.data}>
      <Outlet />
    </SessionContext>
  );
}
