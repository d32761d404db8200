import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { refreshSession } from '../../api/session';
import { PublicLayout } from '../../components/public-layout';
import { USER_PASSWORD_MIN_LENGTH } from '../../components/new-password-fields';
import { ChangePasswordForm } from './change-password-form';

/**
 * `/change-password`: the sign-in found the password past its maximum age (dengbao, AUTH-03); the
 * session reaches nothing else until the password is changed.
 */
export function ExpiredPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <PublicLayout>
      <Card>
        <Typography.Title level={2}>{t('expiredPassword.title')}</Typography.Title>
        <Alert className="ml-form-notice" type="warning" showIcon title={t('expiredPassword.intro')} />
        <ChangePasswordForm
          login=""
          personal={[]}
          // The server applies 15 for privileged accounts; this page does not know the account yet.
          min={USER_PASSWORD_MIN_LENGTH}
          onDone={async () => {
            await refreshSession(queryClient);
            await navigate('/', { replace: true });
          }}
          onUnauthenticated={() => void navigate('/login', { replace: true, state: { notice: 'sign_in_expired' } })}
        />
      </Card>
    </PublicLayout>
  );
}
