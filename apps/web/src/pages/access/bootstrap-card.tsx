import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bootstrapQuery, retireBootstrap, rolesQuery } from '../../api/access';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useStepUp } from '../../components/step-up';
import { roleName } from './role-label';

/**
 * AC-06: while the initial administrator still holds every permission, says so, shows who holds the
 * three separated administrator roles, and lets the initial administrator give the role up once all
 * three are appointed. Shows nothing once it is given up.
 */
export function BootstrapCard() {
  const { t, i18n } = useTranslation();
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { run, modal } = useStepUp();
  const roles = useQuery(rolesQuery);
  const status = useQuery(bootstrapQuery);
  const [reason, setReason] = useState('');
  const retire = useMutation({
    mutationFn: () => run(() => retireBootstrap(reason.trim())),
    onSuccess: async () => {
      void message.success(t('access.bootstrapDone'));
      // The account's sessions ended: the session check sends the user to the sign-in page.
      await queryClient.invalidateQueries();
    },
  });
  const data = status.data;
  if (data === undefined || data.holder === null) return null;
  const mine = data.holder.id === session.user.id;
  return (
    <Alert
      type="warning"
      showIcon
      message={t('access.bootstrapTitle')}
      description={
        <Space direction="vertical" className="ml-full-width">
          {modal}
          <Typography.Text>{t('access.bootstrapIntro')}</Typography.Text>
          <Typography.Text strong>{t('access.bootstrapHolder', data.holder)}</Typography.Text>
          <List
            size="small"
            dataSource={data.administrators}
            renderItem={(a) => (
              <List.Item data-testid={`bootstrap-${a.roleCode}`}>
                <Space wrap>
                  <Typography.Text>{roleName(roles.data?.roles, a.roleCode, i18n.language)}</Typography.Text>
                  {a.holders.length === 0 ? (
                    <Tag color="red">{t('access.bootstrapNotAppointed')}</Tag>
                  ) : (
                    a.holders.map((h) => (
                      <Tag key={h.id} color="green">
                        {h.name} ({h.login})
                      </Tag>
                    ))
                  )}
                </Space>
              </List.Item>
            )}
          />
          {mine && (
            <Space wrap>
              <Input
                aria-label={t('access.bootstrapReason')}
                placeholder={t('access.bootstrapReason')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Popconfirm title={t('access.bootstrapConfirm')} onConfirm={() => retire.mutate()}>
                <Button danger disabled={!data.ready || reason.trim().length < 4} loading={retire.isPending}>
                  {t('access.bootstrapRetire')}
                </Button>
              </Popconfirm>
              {!data.ready && <Typography.Text type="secondary">{t('access.bootstrapNotReady')}</Typography.Text>}
            </Space>
          )}
          {retire.isError && <ApiErrorAlert error={retire.error} />}
        </Space>
      }
    />
  );
}
