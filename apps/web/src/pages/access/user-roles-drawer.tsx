import type { RoleAssignmentView, UserSummary } from '@medledger/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ROLE_ASSIGN_PERMISSION,
  accessKey,
  assignRole,
  assignmentsQuery,
  decideAssignment,
  rolesQuery,
} from '../../api/access';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useStepUp } from '../../components/step-up';
import { EffectiveAccess } from './effective-access';
import { AssignmentStatusTag, roleName } from './role-label';

interface Values {
  roleCode: string;
  site?: string;
  reason: string;
}

interface Props {
  user: UserSummary | null;
  onClose: () => void;
}

/** A user's roles with their data scopes; grant and revoke (AC-05/06 are enforced by the server). */
export function UserRolesDrawer({ user, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const canAssign = permissions.includes(ROLE_ASSIGN_PERMISSION);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { run, modal } = useStepUp();
  const [form] = Form.useForm<Values>();
  const [revoking, setRevoking] = useState<RoleAssignmentView | null>(null);
  const [revokeReason, setRevokeReason] = useState('');
  const roles = useQuery(rolesQuery);
  const assignments = useQuery({ ...assignmentsQuery({ userId: user?.id ?? '' }), enabled: user !== null });
  const refresh = () => queryClient.invalidateQueries({ queryKey: accessKey });

  const grant = useMutation({
    mutationFn: (values: Values) =>
      run(() =>
        assignRole({
          userId: user!.id,
          roleCode: values.roleCode as never,
          site: values.site?.trim() ? values.site.trim() : null,
          reason: values.reason.trim(),
        }),
      ),
    onSuccess: async ({ assignment }) => {
      form.resetFields();
      void message.success(t(assignment.status === 'pending' ? 'access.grantPending' : 'access.granted'));
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => decideAssignment(id, 'revoke', reason),
    onSuccess: async () => {
      setRevoking(null);
      setRevokeReason('');
      void message.success(t('access.revoked'));
      await refresh();
    },
  });

  const roleOptions = (roles.data?.roles ?? []).map((r) => ({
    value: r.code,
    label: (
      <Space>
        {i18n.language.startsWith('zh') ? r.zh : r.en}
        {r.highRisk && <Tag color="orange">{t('access.highRisk')}</Tag>}
      </Space>
    ),
  }));

  return (
    <Drawer
      open={user !== null}
      width={640}
      title={t('access.rolesOf', { name: user?.name, login: user?.login })}
      onClose={onClose}
      destroyOnHidden
    >
      {modal}
      {assignments.isError ? (
        <ApiErrorAlert error={assignments.error} />
      ) : (
        <Table<RoleAssignmentView>
          rowKey="id"
          size="small"
          pagination={false}
          loading={assignments.isPending}
          locale={{ emptyText: t('access.noRoles') }}
          dataSource={(assignments.data?.assignments ?? []).filter(
            (a) => a.status === 'active' || a.status === 'pending',
          )}
          columns={[
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
            {
              title: t('access.state'),
              dataIndex: 'status',
              render: (status: string) => <AssignmentStatusTag status={status} />,
            },
            ...(canAssign
              ? [
                  {
                    title: '',
                    key: 'revoke',
                    render: (_: unknown, a: RoleAssignmentView) => (
                      <Button size="small" danger onClick={() => setRevoking(a)}>
                        {t('access.revoke')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {user !== null && <EffectiveAccess userId={user.id} />}
      {revoking !== null && (
        <Space direction="vertical" className="ml-full-width ml-form-top">
          <Typography.Text>
            {t('access.revokeIntro', { role: roleName(roles.data?.roles, revoking.roleCode, i18n.language) })}
          </Typography.Text>
          <Input.TextArea
            value={revokeReason}
            onChange={(e) => setRevokeReason(e.target.value)}
            aria-label={t('access.reason')}
            placeholder={t('access.reason')}
            maxLength={500}
          />
          <Space>
            <Button
              danger
              disabled={revokeReason.trim().length < 2}
              loading={revoke.isPending}
              onClick={() => revoke.mutate({ id: revoking.id, reason: revokeReason.trim() })}
            >
              {t('access.confirmRevoke')}
            </Button>
            <Button onClick={() => setRevoking(null)}>{t('users.cancel')}</Button>
          </Space>
          {revoke.isError && <ApiErrorAlert error={revoke.error} />}
        </Space>
      )}
      {canAssign && (
        <>
          <Typography.Title level={5} className="ml-form-top">
            {t('access.grantTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('access.grantIntro')}</Typography.Paragraph>
          <Form<Values>
            form={form}
            name="grant-role"
            layout="vertical"
            requiredMark={false}
            disabled={grant.isPending}
            onFinish={(v) => grant.mutate(v)}
          >
            <Form.Item
              label={t('access.role')}
              name="roleCode"
              rules={[{ required: true, message: t('access.roleRequired') }]}
            >
              <Select options={roleOptions} loading={roles.isPending} />
            </Form.Item>
            <Form.Item
              label={t('access.scope')}
              name="site"
              extra={t('access.scopeHelp')}
              rules={[{ pattern: /^[A-Za-z0-9._-]*$/, message: t('access.scopeFormat') }]}
            >
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
            <Form.Item
              label={t('access.reason')}
              name="reason"
              rules={[{ required: true, min: 2, whitespace: true, message: t('access.reasonRequired') }]}
            >
              <Input.TextArea maxLength={500} />
            </Form.Item>
            {grant.isError && (
              <Form.Item>
                <ApiErrorAlert error={grant.error} />
                {/* The server names the rule that refused the grant (escalation, separation of duties…). */}
                <Typography.Text type="secondary">{grant.error.message}</Typography.Text>
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={grant.isPending}>
              {t('access.grant')}
            </Button>
          </Form>
        </>
      )}
    </Drawer>
  );
}
