import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { SMS_OUTBOX_PERMISSION, useSmsOutbox } from '../../api/sms-outbox';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';

/**
 * `/dev/sms-outbox`: the text messages the development outbox provider "sent" (nothing leaves the
 * server), so a developer can sign in with a text-message code. Administrators only.
 */
export function SmsOutboxPage() {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const allowed = permissions.includes(SMS_OUTBOX_PERMISSION);
  const outbox = useSmsOutbox(allowed);
  if (!allowed) return <Result status="403" title={t('errors.forbidden')} />;

  return (
    <Card>
      <Typography.Title level={2}>{t('smsOutbox.title')}</Typography.Title>
      <Alert className="ml-form-notice" type="warning" showIcon title={t('smsOutbox.devOnly')} />
      <Button
        className="ml-form-action"
        icon={<ReloadOutlined aria-hidden />}
        onClick={() => void outbox.refetch()}
        loading={outbox.isFetching}
      >
        {t('smsOutbox.refresh')}
      </Button>
      {outbox.isError ? (
        <ApiErrorAlert error={outbox.error} message={t('smsOutbox.unavailable')} />
      ) : (
        <Table
          rowKey="id"
          loading={outbox.isPending}
          dataSource={outbox.data?.messages ?? []}
          pagination={false}
          locale={{ emptyText: t('smsOutbox.empty') }}
          columns={[
            {
              title: t('smsOutbox.time'),
              dataIndex: 'createdAt',
              width: 200,
              render: (at: string) => new Date(at).toLocaleString(i18n.language),
            },
            { title: t('smsOutbox.to'), dataIndex: 'to', width: 140 },
            { title: t('smsOutbox.text'), dataIndex: 'text' },
          ]}
        />
      )}
    </Card>
  );
}
