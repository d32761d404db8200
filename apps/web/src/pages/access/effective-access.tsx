import { PERMISSIONS, isPermission } from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { Alert, List, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { effectiveAccessQuery } from '../../api/access';
import { ApiErrorAlert } from '../../components/api-error-alert';

function permissionLabel(name: string, language: string): string {
  if (!isPermission(name)) return name;
  return language.startsWith('zh') ? PERMISSIONS[name].zh : PERMISSIONS[name].en;
}

/** "What can this user do": the permissions in force now, and those suspended until training is done. */
export function EffectiveAccess({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const effective = useQuery(effectiveAccessQuery(userId));
  if (effective.isPending) return <Skeleton active />;
  if (effective.isError) return <ApiErrorAlert error={effective.error} />;
  const { permissions, suspended, bootstrap } = effective.data;
  return (
    <div className="ml-form-top" data-testid="effective-access">
      <Typography.Title level={5}>{t('access.effectiveTitle')}</Typography.Title>
      {bootstrap && <Alert className="ml-form-notice" type="info" showIcon title={t('access.bootstrapNote')} />}
      <List
        size="small"
        locale={{ emptyText: t('access.noPermissions') }}
        dataSource={permissions}
        renderItem={(p) => (
          <List.Item>
            <Tag color="green">{p}</Tag> {permissionLabel(p, i18n.language)}
          </List.Item>
        )}
      />
      {suspended.length > 0 && (
        <Alert
          className="ml-form-top"
          type="warning"
          showIcon
          title={t('access.suspendedTitle')}
          description={
            <ul>
              {suspended.map((s) => (
                <li key={s.permission}>
                  <Tag color="orange">{s.permission}</Tag> {permissionLabel(s.permission, i18n.language)} — {s.reason}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}
