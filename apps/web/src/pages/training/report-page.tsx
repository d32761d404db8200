import type { TrainingState } from '@medledger/contract';
import { Card, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTrainingReport } from '../../api/training';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatDate, StateTag, usePick } from './training-format';

type Row = NonNullable<ReturnType<typeof useTrainingReport>['data']>['rows'][number];
const FILTERS = ['all', 'expired', 'expiring', 'not_started', 'current'] as const;

/** TRN-01: required training per active user × course, filterable by state (training.report.read). */
export function TrainingReportPage() {
  const { t, i18n } = useTranslation();
  const pick = usePick();
  const [state, setState] = useState<'all' | TrainingState>('all');
  const report = useTrainingReport(state);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('training.report')}</Typography.Title>
      <Segmented
        value={state}
        onChange={(v) => setState(v)}
        options={FILTERS.map((f) => ({ value: f, label: t(`training.stateFilter.${f}`) }))}
      />
      {report.error && <ApiErrorAlert error={report.error} />}
      <Card>
        <Table<Row>
          rowKey={(r) => `${r.user.id}|${r.course.code}`}
          loading={report.isPending}
          dataSource={report.data?.rows ?? []}
          locale={{ emptyText: t('training.noRows') }}
          columns={[
            { title: t('training.user'), key: 'user', render: (_, r) => `${r.user.name} (${r.user.login})` },
            { title: t('training.course'), key: 'course', render: (_, r) => pick(r.course.titleZh, r.course.titleEn) },
            {
              title: t('training.state'),
              key: 'state',
              render: (_, r) => <StateTag state={r.status.state} expiresAt={r.status.expiresAt} />,
            },
            {
              title: t('training.completedAt'),
              key: 'completedAt',
              render: (_, r) => (r.status.completedAt === null ? '—' : formatDate(r.status.completedAt, i18n.language)),
            },
            { title: t('training.score'), key: 'score', render: (_, r) => r.status.score ?? '—' },
          ]}
        />
      </Card>
    </Space>
  );
}
