import { Alert, Card, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useSetupTokenCheck } from '../../api/setup';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PublicLayout } from '../../components/public-layout';
import { FirstAdminForm } from './first-admin-form';
import { useHashToken } from '../../app/use-hash-token';

function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

function ValidToken({
  token,
  expiresAt,
  onTokenRejected,
}: {
  token: string;
  expiresAt: string;
  onTokenRejected: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <Alert
        type="success"
        showIcon
        title={t('setup.validTitle')}
        description={t('setup.validUntil', { time: formatTime(expiresAt, i18n.language) })}
      />
      <Typography.Paragraph className="ml-setup-intro">{t('setup.adminIntro')}</Typography.Paragraph>
      <FirstAdminForm token={token} onTokenRejected={onTokenRejected} />
    </>
  );
}

function InvalidToken({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <Result status="error" title={t('setup.invalidTitle')} extra={<Alert type="error" showIcon title={message} />} />
  );
}

/** `/setup#token=…`: checks the one-time setup link the server printed at start-up. */
export function SetupPage() {
  const { t } = useTranslation();
  // Set when creating the administrator is refused because the token was used or expired meanwhile.
  const [tokenRejected, setTokenRejected] = useState(false);
  const hashToken = useHashToken(() => setTokenRejected(false));
  const check = useSetupTokenCheck(hashToken.kind === 'token' ? hashToken.token : undefined);

  let body;
  if (hashToken.kind === 'missing') {
    body = <InvalidToken message={t('setup.missingToken')} />;
  } else if (hashToken.kind === 'malformed' || tokenRejected) {
    body = <InvalidToken message={t('setup.invalid')} />;
  } else if (check.isPending) {
    body = (
      <div className="ml-centered">
        <Spin size="large" description={t('setup.checking')} />
      </div>
    );
  } else if (check.isError) {
    const error = check.error;
    const code = error instanceof ApiError ? error.code : 'unknown';
    body =
      code === 'setup_token_invalid' || code === 'validation_failed' ? (
        <InvalidToken message={t('setup.invalid')} />
      ) : (
        <ApiErrorAlert error={error} />
      );
  } else {
    body = (
      <ValidToken
        token={hashToken.token}
        expiresAt={check.data.expiresAt}
        onTokenRejected={() => setTokenRejected(true)}
      />
    );
  }

  return (
    <PublicLayout wide>
      <Card>
        <Typography.Title level={2}>{t('setup.title')}</Typography.Title>
        {body}
        <Typography.Paragraph>
          <Link to="/login">{t('setup.toLogin')}</Link>
        </Typography.Paragraph>
      </Card>
    </PublicLayout>
  );
}
