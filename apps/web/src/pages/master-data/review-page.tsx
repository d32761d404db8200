import type { ChangeView } from '@medledger/contract';
import { Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useChanges } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ChangeDrawer } from './change-drawer';
import { fieldLabel } from './change-value';
import { StatusTag } from './md-format';

type StatusFilter = 'pending' | 'approved' | 'rejected';

/**
 * `/master-data/review`: the QA inbox (GSP arts. 53, 54): first-business files and changes waiting
 * for a decision; `?change=<id>` opens one.
 */
export function ReviewPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const list = useChanges({ status });
  const openId = params.get('change');
  const open = (id: string | null) => setParams(id === null ? {} : { change: id });

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('masterData.review.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('masterData.review.intro')}</Typography.Paragraph>
        <Segmented<StatusFilter>
          className="ml-toolbar"
          value={status}
          onChange={setStatus}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`masterData.changeStatus.${s}`),
          }))}
        />
        {list.isError ? (
          <ApiErrorAlert error={list.error} />
        ) : (
          <Table<ChangeView>
            rowKey="id"
            loading={list.isPending}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={list.data?.changes ?? []}
            locale={{ emptyText: t(status === 'pending' ? 'masterData.review.empty' : 'masterData.history.empty') }}
            columns={[
              {
                title: t('masterData.review.kind'),
                key: 'kind',
                render: (_: unknown, c) => (
                  <Space size={4} wrap>
                    <Tag>{t(`masterData.review.entity.${c.entity}`)}</Tag>
                    {c.firstBusiness && <Tag color="blue">{t('masterData.review.firstBusiness')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('masterData.review.record'),
                key: 'record',
                render: (_: unknown, c) => `${c.entityCode} ${c.entityName}`,
              },
              { title: t('masterData.history.version'), dataIndex: 'version', width: 70 },
              {
                title: t('masterData.review.changedFields'),
                key: 'changed',
                render: (_: unknown, c) =>
                  c.firstBusiness
                    ? t('masterData.history.allFields')
                    : c.changedFields.map((f) => fieldLabel(t, c.entity, f)).join(i18n.language === 'en' ? ', ' : '、'),
              },
              { title: t('masterData.review.reason'), dataIndex: 'reason' },
              {
                title: t('masterData.review.requested'),
                key: 'requested',
                render: (_: unknown, c) =>
                  `${c.requestedByName} · ${formatLocalTime(c.requestedAt, i18n.language, 'short')}`,
              },
              ...(status === 'pending'
                ? []
                : [
                    {
                      title: t('masterData.review.status'),
                      key: 'status',
                      render: (_: unknown, c: ChangeView) => <StatusTag status={c.status} change />,
                    },
                  ]),
              {
                title: '',
                key: 'open',
                render: (_: unknown, c) => (
                  <Button
                    type={status === 'pending' ? 'primary' : 'default'}
                    size="small"
                    aria-label={t('masterData.review.openFor', { code: c.entityCode })}
                    onClick={() => open(c.id)}
                  >
                    {status === 'pending' ? t('masterData.review.open') : t('masterData.history.view')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <ChangeDrawer changeId={openId} onClose={() => open(null)} />
    </Space>
  );
}
