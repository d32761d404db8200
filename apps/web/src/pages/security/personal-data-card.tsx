import { MyPersonalDataAccessResponse } from '@medledger/contract';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Card, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { apiJson } from '../../api/client';
import { securityKey } from '../../api/account';
import { formatLocalTime } from '../../app/format';
import { ApiErrorAlert } from '../../components/api-error-alert';

export const myPersonalDataQuery = queryOptions({
  queryKey: [...securityKey, 'personal-data'],
  queryFn: ({ signal }) => apiJson('/audit/my-personal-data', MyPersonalDataAccessResponse, { signal }),
});

const FIELDS = ['phone', 'email', 'name', 'organisation', 'employmentEndsOn'] as const;
const isKnownField = (f: string): f is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(f);
const ACTION_KEY = { 'identity.user.revealed': 'revealed', 'identity.user.updated': 'updated' } as const;

/** LOG-11: who saw or changed the user's own personal data, from the audit trail (PIPL art. 45). */
export function PersonalDataAccessCard() {
  const { t, i18n } = useTranslation();
  const access = useQuery(myPersonalDataQuery);
  const fieldLabel = (f: string) => (isKnownField(f) ? t(`dataAccess.field.${f}`) : f);
  return (
    <Card title={t('dataAccess.title')} data-testid="my-personal-data">
      <Typography.Paragraph type="secondary">{t('dataAccess.intro')}</Typography.Paragraph>
      {access.isError ? (
        <ApiErrorAlert error={access.error} />
      ) : (
        <List
          loading={access.isPending}
          locale={{ emptyText: t('dataAccess.none') }}
          dataSource={access.data?.events ?? []}
          renderItem={(e) => (
            <List.Item key={`${e.at}-${e.action}`}>
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span>
                      {t(`dataAccess.action.${ACTION_KEY[e.action]}`, {
                        name: e.actor?.name ?? t('dataAccess.system'),
                      })}
                    </span>
                    {e.fields.map((f) => (
                      <Tag key={f}>{fieldLabel(f)}</Tag>
                    ))}
                  </Space>
                }
                description={
                  <Space wrap>
                    <span>{formatLocalTime(e.at, i18n.language, 'short')}</span>
                    {e.purpose !== null && <span>{t('dataAccess.purpose', { purpose: e.purpose })}</span>}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
