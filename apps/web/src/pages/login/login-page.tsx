import type { AuthStepResponse } from '@medledger/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { forgetUserData, refreshSession, sessionEndedKey, sessionQueryKey, useSession } from '../../api/session';
import { readLoginRedirectState, type LoginNotice } from '../../app/session';
import { PublicLayout } from '../../components/public-layout';
import { CodeStep, type SecondFactor } from './code-step';
import { PasskeySignIn } from './passkey-sign-in';
import { PasskeyStep } from './passkey-step';
import { PasswordStep } from './password-step';

/** Only a path inside this app is a valid place to return to after signing in. */
function returnPath(from: string | undefined): string {
  // "//host" and "/\host" would leave the origin.
  return from !== undefined && /^\/(?![/\\])/.test(from) ? from : '/';
}

type Step =
  { kind: 'password' } | { kind: 'code'; factor: SecondFactor; login: string; methods: AuthStepResponse['methods'] };

/** The factor offered first: a passkey when the account has one (phishing-resistant), then the app, then SMS. */
function firstFactor(methods: AuthStepResponse['methods']): SecondFactor {
  if (methods.includes('passkey')) return 'passkey';
  return methods.includes('totp') ? 'totp' : methods.includes('sms') ? 'sms' : 'recovery';
}

/**
 * `/login`: the password, then (same page) a passkey, the authenticator code or a recovery code;
 * or a passkey alone. Accounts without a second factor yet continue on /enrol-totp.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const redirect = readLoginRedirectState(location.state);
  const target = returnPath(redirect.from);
  const [step, setStep] = useState<Step>({ kind: 'password' });
  // The reason the user was sent here applies until they start signing in again.
  const [notice, setNotice] = useState<LoginNotice | null>(redirect.notice ?? null);

  useEffect(() => {
    // Whoever signs in next starts from nothing; the message about an ended session has been
    // passed on, so later redirects are ordinary ones.
    forgetUserData(queryClient);
    queryClient.setQueryData(sessionEndedKey, false);
  }, [queryClient]);

  if (session.data) return <Navigate to={target} replace />;

  /** What the server said comes next, after either step. */
  async function proceed(answer: AuthStepResponse, login: string): Promise<void> {
    switch (answer.next) {
      case 'mfa':
        setStep({ kind: 'code', factor: firstFactor(answer.methods), login, methods: answer.methods });
        return;
      case 'enrol_totp':
        await navigate('/enrol-totp');
        return;
      case 'change_password':
        await navigate('/change-password');
        return;
      case 'done':
        // The session query then holds the user, and the <Navigate> above leaves this page.
        await refreshSession(queryClient);
        if (!queryClient.getQueryData(sessionQueryKey)) {
          setStep({ kind: 'password' });
          setNotice('sign_in_expired');
        }
        return;
    }
  }

  /** The pending sign-in ended on the server (timeout, too many wrong codes): start again. */
  function startOver(reason: LoginNotice | null) {
    setStep({ kind: 'password' });
    setNotice(reason);
  }

  return (
    <PublicLayout>
      <Card>
        {step.kind === 'password' ? (
          <>
            <Typography.Title level={2}>{t('login.title')}</Typography.Title>
            {notice && <Alert className="ml-form-notice" type="warning" showIcon title={t(`login.notice.${notice}`)} />}
            <PasswordStep onSubmit={() => setNotice(null)} onAnswer={(answer, login) => proceed(answer, login)} />
            <PasskeySignIn onStart={() => setNotice(null)} onAnswer={(answer) => proceed(answer, '')} />
          </>
        ) : (
          <>
            <Typography.Title level={2}>{t('login.mfaTitle')}</Typography.Title>
            {step.factor === 'passkey' ? (
              <PasskeyStep
                login={step.login}
                methods={step.methods}
                onAnswer={(answer) => proceed(answer, step.login)}
                onSwitch={(factor) => setStep({ ...step, factor })}
                onExpired={() => startOver('sign_in_expired')}
                onCancel={() => startOver(null)}
              />
            ) : (
              <CodeStep
                // A fresh form and error state for each factor.
                key={step.factor}
                factor={step.factor}
                methods={step.methods}
                login={step.login}
                onAnswer={(answer) => proceed(answer, step.login)}
                onSwitch={(factor) => setStep({ ...step, factor })}
                onExpired={() => startOver('sign_in_expired')}
                onCancel={() => startOver(null)}
              />
            )}
          </>
        )}
      </Card>
    </PublicLayout>
  );
}
