import { Alert, Card, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { useSetupTokenCheck } from '../../api/setup';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PublicLayout } from '../../components/public-layout';
import { readSetupToken } from './setup-token';

function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

function ValidToken({ expiresAt }: { expiresAt: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Result
      status="success"
      title={t('setup.validTitle')}
      subTitle={t('setup.validUntil', { time: formatTime(expiresAt, i18n.language) })}
      extra={
        <Alert
          type="info"
          showIcon
          data-testid="setup-not-available"
          title={t('setup.notYetAvailable')}
          description={t('setup.adminLater')}
        />
      }
    />
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
  if (location.hash !== lastHash) {
    // A new link pasted while this page is open is a same-document navigation, not a reload.
    setLastHash(location.hash);
    if (location.hash !== '') setHashToken(readSetupToken(location.hash));
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
  } else if (hashToken.kind === 'malformed') {
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
    body = <ValidToken expiresAt={check.data.expiresAt} />;
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
