import type { ChangeView } from '@medledger/contract';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChanges } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { fieldLabel } from './change-value';
import { StatusTag } from './md-format';

/** Every version of a record, newest first: who asked and why, who decided, the signature. */
export function ChangeHistory({ entityId, onOpen }: { entityId: string; onOpen: (changeId: string) => void }) {
  const { t, i18n } = useTranslation();
  const history = useChanges({ entityId });
  const when = (at: string) => formatLocalTime(at, i18n.language, 'short');
  return (
    <Card title={t('masterData.history.title')}>
      {history.isError ? (
        <ApiErrorAlert error={history.error} />
      ) : (
        <Table<ChangeView>
          rowKey="id"
          size="small"
          loading={history.isPending}
          pagination={false}
          dataSource={history.data?.changes ?? []}
          locale={{ emptyText: t('masterData.history.empty') }}
          columns={[
            { title: t('masterData.history.version'), dataIndex: 'version', width: 70 },
            {
              title: t('masterData.history.status'),
              key: 'status',
              render: (_: unknown, c) => (
                <Space size={4} wrap>
                  <StatusTag status={c.status} change />
                  {c.firstBusiness && <Tag color="blue">{t('masterData.review.firstBusiness')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('masterData.history.changed'),
              key: 'changed',
              render: (_: unknown, c) =>
                c.firstBusiness
                  ? t('masterData.history.allFields')
                  : c.changedFields.map((f) => fieldLabel(t, c.entity, f)).join(i18n.language === 'en' ? ', ' : '、'),
            },
            { title: t('masterData.history.reason'), dataIndex: 'reason' },
            {
              title: t('masterData.history.requested'),
              key: 'requested',
              render: (_: unknown, c) => (
                <>
                  {c.requestedByName}
                  <br />
                  <Typography.Text type="secondary">{when(c.requestedAt)}</Typography.Text>
                </>
              ),
            },
            {
              title: t('masterData.history.decision'),
              key: 'decision',
              render: (_: unknown, c) =>
                c.decidedAt === null ? (
                  '—'
                ) : (
                  <>
                    {c.decidedByName}
                    <br />
                    <Typography.Text type="secondary">{when(c.decidedAt)}</Typography.Text>
                    {c.decisionNote !== null && <div>{c.decisionNote}</div>}
                  </>
                ),
            },
            {
              title: t('masterData.history.signature'),
              key: 'signature',
              render: (_: unknown, c) =>
                c.signatureId === null ? (
                  '—'
                ) : (
                  <Tag color="green" title={c.signatureId}>
                    {t('masterData.history.signed')}
                  </Tag>
                ),
            },
            {
              title: '',
              key: 'open',
              render: (_: unknown, c) => (
                <Button size="small" onClick={() => onOpen(c.id)}>
                  {t('masterData.history.view')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
