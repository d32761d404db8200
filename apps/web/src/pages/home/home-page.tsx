import type { SystemInfoResponse } from '@medledger/contract';
import { Card, Descriptions, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSystemInfo } from '../../api/system';
import { useCurrentSession } from '../../app/session';
import { formatLocalTime } from '../../app/format';
import { ApiErrorAlert } from '../../components/api-error-alert';

function SystemInfo({ info }: { info: SystemInfoResponse }) {
  const { t, i18n } = useTranslation();
  const startedAt = new Date(info.startedAt);
  return (
    <Descriptions
      column={1}
      bordered
      size="small"
      items={[
        { key: 'version', label: t('home.version'), children: info.version },
        {
          key: 'database',
          label: t('home.database'),
          children: info.database === 'postgres' ? 'PostgreSQL' : 'SQLite',
        },
        { key: 'migrations', label: t('home.migrations'), children: t('home.migrationsValue', info.migrations) },
        {
          key: 'startedAt',
          label: t('home.startedAt'),
          children: Number.isNaN(startedAt.getTime())
            ? info.startedAt
            : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(startedAt),
        },
        // TRN-03: when the server's TLS certificate ends (the shell warns from 30 days before).
        ...(info.tls === null
          ? []
          : [
              {
                key: 'tlsExpires',
                label: t('notices.tls.expires'),
                children: (
                  <Typography.Text type={info.tls.expiresSoon ? 'danger' : undefined}>
                    {formatLocalTime(info.tls.notAfter, i18n.language)}{' '}
                    {info.tls.expired ? '' : t('notices.tls.daysLeft', { days: info.tls.daysLeft })}
                  </Typography.Text>
                ),
              },
              {
                key: 'tlsSubject',
                label: t('notices.tls.subject'),
                children: `${info.tls.subject} (${t(info.tls.configured ? 'notices.tls.kindConfigured' : 'notices.tls.kindSelfSigned')})`,
              },
            ]),
      ]}
    />
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const session = useCurrentSession();
  const canReadSystemInfo = session.permissions.includes('system.info.read');
  const systemInfo = useSystemInfo(canReadSystemInfo);

  return (
    <>
      <Typography.Title level={2}>{t('home.welcome', { name: session.user.name })}</Typography.Title>
      {canReadSystemInfo && (
        <Card title={t('home.systemInfo')} data-testid="system-info">
          {systemInfo.isPending ? (
            <Skeleton active />
          ) : systemInfo.isError ? (
            <ApiErrorAlert error={systemInfo.error} />
          ) : (
            <SystemInfo info={systemInfo.data} />
          )}
        </Card>
      )}
    </>
  );
}
