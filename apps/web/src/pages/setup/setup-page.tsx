import { Alert, Card, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { useSetupTokenCheck } from '../../api/setup';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PublicLayout } from '../../components/public-layout';
import { FirstAdminForm } from './first-admin-form';
import { readSetupToken } from './setup-token';

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
  const location = useLocation();
  const navigate = useNavigate();
  // The token is kept in state because the effect below removes it from the address bar at once.
  const [hashToken, setHashToken] = useState(() => readSetupToken(location.hash));
  const [lastHash, setLastHash] = useState(location.hash);
  // Set when creating the administrator is refused because the token was used or expired meanwhile.
  const [tokenRejected, setTokenRejected] = useState(false);
  if (location.hash !== lastHash) {
    // A new link pasted while this page is open is a same-document navigation, not a reload.
    setLastHash(location.hash);
    if (location.hash !== '') {
      setHashToken(readSetupToken(location.hash));
      setTokenRejected(false);
    }
  }
  const check = useSetupTokenCheck(hashToken.kind === 'token' ? hashToken.token : undefined);

  useEffect(() => {
    if (location.hash === '') return;
    // A replace navigation (history.replaceState) drops the token from the address bar and from
    // this history entry, and keeps the router's idea of the location in step.
    void navigate(
      { pathname: location.pathname, search: location.search },
      { replace: true, state: location.state as unknown },
    );
  }, [location, navigate]);

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
