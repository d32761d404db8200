import type { RoleAssignmentView } from '@medledger/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessKey, assignmentsQuery, decideAssignment, rolesQuery } from '../../api/access';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useStepUp } from '../../components/step-up';
import { BootstrapCard } from './bootstrap-card';
import { roleName } from './role-label';

/** `/access/approvals`: high-risk grants waiting for a second person (AC-05). */
export function ApprovalsPage() {
  const { t, i18n } = useTranslation();
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { run, modal } = useStepUp();
  const roles = useQuery(rolesQuery);
  const pending = useQuery(assignmentsQuery({ status: 'pending' }));
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) =>
      run(() => decideAssignment(id, decision, (reasons[id] ?? '').trim())),
    onSuccess: async ({ assignment }) => {
      void message.success(t(assignment.status === 'active' ? 'access.approved' : 'access.rejected'));
      await queryClient.invalidateQueries({ queryKey: accessKey });
    },
  });
  return (
    <Space direction="vertical" size="large" className="ml-page-stack">
      {modal}
      <Typography.Title level={2}>{t('access.approvalsTitle')}</Typography.Title>
      <BootstrapCard />
      <Card>
        <Typography.Paragraph type="secondary">{t('access.approvalsIntro')}</Typography.Paragraph>
        {decide.isError && (
          <Space direction="vertical" className="ml-full-width">
            <ApiErrorAlert error={decide.error} />
            <Typography.Text type="secondary">{decide.error.message}</Typography.Text>
          </Space>
        )}
        {pending.isError ? (
          <ApiErrorAlert error={pending.error} />
        ) : (
          <Table<RoleAssignmentView>
            rowKey="id"
            loading={pending.isPending}
            pagination={false}
            locale={{ emptyText: t('access.noPending') }}
            dataSource={pending.data?.assignments ?? []}
            columns={[
              { title: t('access.user'), key: 'user', render: (_: unknown, a) => `${a.userName} (${a.userLogin})` },
              {
                title: t('access.role'),
                dataIndex: 'roleCode',
                render: (code: string) => roleName(roles.data?.roles, code, i18n.language),
              },
              {
                title: t('access.scope'),
                dataIndex: 'site',
                render: (site: string | null) => site ?? t('access.wholeOrganisation'),
              },
              { title: t('access.requestedBy'), dataIndex: 'requestedByName' },
              { title: t('access.reason'), dataIndex: 'reason' },
              {
                title: t('access.requestedAt'),
                dataIndex: 'createdAt',
                render: (at: string) => formatLocalTime(at, i18n.language, 'short'),
              },
              {
                title: '',
                key: 'decide',
                render: (_: unknown, a) =>
                  a.requestedBy === session.user.id || a.userId === session.user.id ? (
                    <Tag>{t('access.notYours')}</Tag>
                  ) : (
                    <Space direction="vertical">
                      <Input
                        size="small"
                        placeholder={t('access.decisionReason')}
                        aria-label={t('access.decisionReasonFor', { login: a.userLogin })}
                        value={reasons[a.id] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [a.id]: e.target.value })}
                      />
                      <Space>
                        <Button
                          size="small"
                          type="primary"
                          disabled={(reasons[a.id] ?? '').trim().length < 2}
                          onClick={() => decide.mutate({ id: a.id, decision: 'approve' })}
                        >
                          {t('access.approve')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          disabled={(reasons[a.id] ?? '').trim().length < 2}
                          onClick={() => decide.mutate({ id: a.id, decision: 'reject' })}
                        >
                          {t('access.reject')}
                        </Button>
                      </Space>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
