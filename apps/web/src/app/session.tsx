import { Button, Result, Spin } from 'antd';
import { createContext, use } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession, type Session } from '../api/session';

const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only for components rendered below {@link RequireSession}. */
export function useCurrentSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useCurrentSession() used outside <RequireSession>');
  return session;
}

/** Where the login page sends the user back to; kept in router state, never in the URL. */
export interface LoginRedirectState {
  from: string;
}

export function isLoginRedirectState(value: unknown): value is LoginRedirectState {
  return typeof value === 'object' && value !== null && typeof (value as Partial<LoginRedirectState>).from === 'string';
}

/** Route guard: renders its child routes with a session, otherwise redirects to /login. */
export function RequireSession() {
  const { t } = useTranslation();
  const location = useLocation();
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
    const state: LoginRedirectState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  return (
    <SessionContext value={session.data}>
      <Outlet />
    </SessionContext>
  );
}
