import type { MySecurityResponse } from '@medledger/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Descriptions, List, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  endMySession,
  markNotificationsRead,
  mySecurityQuery,
  mySessionsQuery,
  notificationsQuery,
  securityKey,
} from '../../api/account';
import { refreshSession } from '../../api/session';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { USER_PASSWORD_MIN_LENGTH } from '../../components/new-password-fields';
import { useStepUp } from '../../components/step-up';
import { ChangePasswordForm } from '../password/change-password-form';
import { PasskeysCard } from './passkeys-card';
import { PersonalDataAccessCard } from './personal-data-card';
import { ADMIN_PASSWORD_MIN_LENGTH } from '../setup/password-strength';

function Overview({ data }: { data: MySecurityResponse }) {
  const { t, i18n } = useTranslation();
  const time = (at: string | null) => (at === null ? t('security.never') : formatLocalTime(at, i18n.language, 'short'));
  return (
    <Descriptions
      column={1}
      bordered
      size="small"
      items={[
        { key: 'account', label: t('security.account'), children: `${data.name} (${data.login})` },
        {
          key: 'factors',
          label: t('security.factors'),
          children: (
            <Space wrap>
              {data.factors.length === 0 && <Tag color="red">{t('security.noFactor')}</Tag>}
              {data.factors.map((f) => (
                <Tag key={f} color="green">
                  {t(`security.factor.${f}` as 'security.factor.totp', { defaultValue: f })}
                </Tag>
              ))}
            </Space>
          ),
        },
        {
          key: 'recovery',
          label: t('security.recoveryCodes'),
          children: t('security.recoveryCodesLeft', { count: data.recoveryCodesLeft }),
        },
        { key: 'changed', label: t('security.passwordChanged'), children: time(data.passwordChangedAt) },
        ...(data.passwordExpiresAt === null
          ? []
          : [{ key: 'expires', label: t('security.passwordExpires'), children: time(data.passwordExpiresAt) }]),
      ]}
    />
  );
}

function SessionsCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const sessions = useQuery(mySessionsQuery);
  const { run, modal } = useStepUp();
  const end = useMutation({
    mutationFn: (id: string) => run(() => endMySession(id)),
    onSuccess: async () => {
      void message.success(t('security.sessionEnded'));
      await queryClient.invalidateQueries({ queryKey: securityKey });
    },
  });
  return (
    <Card title={t('security.sessionsTitle')} data-testid="my-sessions">
      {modal}
      <Typography.Paragraph type="secondary">{t('security.sessionsIntro')}</Typography.Paragraph>
      {end.isError && <ApiErrorAlert error={end.error} />}
      {sessions.isError ? (
        <ApiErrorAlert error={sessions.error} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          loading={sessions.isPending}
          pagination={false}
          dataSource={sessions.data?.sessions ?? []}
          columns={[
            {
              title: t('security.startedAt'),
              dataIndex: 'createdAt',
              render: (at: string) => formatLocalTime(at, i18n.language, 'short'),
            },
            {
              title: t('security.lastSeen'),
              dataIndex: 'lastSeenAt',
              render: (at: string) => formatLocalTime(at, i18n.language, 'short'),
            },
            { title: t('security.ip'), dataIndex: 'ip' },
            { title: t('security.device'), dataIndex: 'userAgent', ellipsis: true },
            {
              title: '',
              key: 'action',
              render: (_: unknown, row: { id: string; current: boolean }) =>
                row.current ? (
                  <Tag color="blue">{t('security.thisSession')}</Tag>
                ) : (
                  <Button
                    size="small"
                    danger
                    loading={end.isPending && end.variables === row.id}
                    onClick={() => end.mutate(row.id)}
                  >
                    {t('security.endSession')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function RecentLogins({ data }: { data: MySecurityResponse }) {
  const { t, i18n } = useTranslation();
  return (
    <Card title={t('security.recentTitle')}>
      <Table
        rowKey={(row) => `${row.at}-${row.ip}`}
        size="small"
        pagination={false}
        dataSource={data.recentLogins}
        columns={[
          {
            title: t('security.time'),
            dataIndex: 'at',
            render: (at: string) => formatLocalTime(at, i18n.language, 'short'),
          },
          {
            title: t('security.method'),
            dataIndex: 'method',
            render: (m: string | null) =>
              m === null
                ? '—'
                : t(`security.methodName.${m}` as 'security.methodName.password+totp', { defaultValue: m }),
          },
          { title: t('security.ip'), dataIndex: 'ip' },
          { title: t('security.device'), dataIndex: 'userAgent', ellipsis: true },
          {
            title: t('security.state'),
            dataIndex: 'live',
            render: (live: boolean) =>
              live ? <Tag color="green">{t('security.live')}</Tag> : <Tag>{t('security.ended')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}

function NotificationsCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const notes = useQuery(notificationsQuery);
  const unread = notes.data?.notifications.some((n) => !n.read) ?? false;
  const markRead = useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: () => refreshSession(queryClient),
  });
  const { mutate } = markRead;
  // Seeing the list is reading it; the badge in the menu then clears.
  useEffect(() => {
    if (unread) mutate();
  }, [unread, mutate]);
  return (
    <Card title={t('security.notificationsTitle')} data-testid="my-notifications">
      {notes.isError ? (
        <ApiErrorAlert error={notes.error} />
      ) : (
        <List
          loading={notes.isPending}
          locale={{ emptyText: t('security.noNotifications') }}
          dataSource={notes.data?.notifications ?? []}
          renderItem={(n) => (
            <List.Item key={n.id}>
              <List.Item.Meta
                title={
                  <Space>
                    {!n.read && <Badge status="processing" />}
                    {t(`security.notification.${n.kind}`, { ...n.data })}
                  </Space>
                }
                description={formatLocalTime(n.createdAt, i18n.language, 'short')}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** `/security`: the signed-in user's own factors, password, sessions, sign-ins and notifications. */
export function SecurityPage() {
  const { t } = useTranslation();
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const overview = useQuery(mySecurityQuery);
  return (
    <Space direction="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('security.title')}</Typography.Title>
      <Card title={t('security.overviewTitle')}>
        {overview.isPending ? (
          <Skeleton active />
        ) : overview.isError ? (
          <ApiErrorAlert error={overview.error} />
        ) : (
          <Overview data={overview.data} />
        )}
      </Card>
      <Card title={t('security.passwordTitle')} data-testid="change-password">
        <Typography.Paragraph type="secondary">{t('security.passwordIntro')}</Typography.Paragraph>
        <ChangePasswordForm
          login={session.user.login}
          personal={[session.user.login, session.user.name]}
          min={overview.data?.privileged === false ? USER_PASSWORD_MIN_LENGTH : ADMIN_PASSWORD_MIN_LENGTH}
          onDone={() => queryClient.invalidateQueries({ queryKey: securityKey })}
        />
      </Card>
      <PasskeysCard />
      <SessionsCard />
      {overview.data && <RecentLogins data={overview.data} />}
      <NotificationsCard />
      <PersonalDataAccessCard />
    </Space>
  );
}
