import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { TRAINING_MANAGE_PERMISSION, TRAINING_REPORT_PERMISSION, useMyTraining } from '../../api/training';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatDate, StateTag, usePick } from './training-format';

type Course = NonNullable<ReturnType<typeof useMyTraining>['data']>['courses'][number];

/** TRN-01: my courses with their status, the undertaking, and links to certificates and management. */
export function TrainingPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const pick = usePick();
  const { permissions } = useCurrentSession();
  const my = useMyTraining();

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('training.title')}</Typography.Title>
      <Space wrap>
        <Button onClick={() => void navigate('/training/certificates')}>{t('training.certificates')}</Button>
        {permissions.includes(TRAINING_REPORT_PERMISSION) && (
          <Button onClick={() => void navigate('/training/report')}>{t('training.report')}</Button>
        )}
        {permissions.includes(TRAINING_MANAGE_PERMISSION) && (
          <Button onClick={() => void navigate('/training/assignments')}>{t('training.assignments')}</Button>
        )}
      </Space>
      {my.error && <ApiErrorAlert error={my.error} />}
      {my.data && (
        <Alert
          type={my.data.undertaking.signedAt === null ? 'warning' : 'success'}
          showIcon
          title={
            my.data.undertaking.signedAt === null
              ? t('training.undertakingUnsigned', { version: my.data.undertaking.version })
              : t('training.undertakingSigned', { date: formatDate(my.data.undertaking.signedAt, i18n.language) })
          }
          action={
            <Button size="small" onClick={() => void navigate('/training/undertaking')}>
              {my.data.undertaking.signedAt === null ? t('training.signNow') : t('training.undertaking')}
            </Button>
          }
        />
      )}
      <Card title={t('training.myCourses')}>
        <Table<Course>
          rowKey="code"
          loading={my.isPending}
          dataSource={my.data?.courses ?? []}
          pagination={false}
          locale={{ emptyText: t('training.noRows') }}
          columns={[
            {
              title: t('training.course'),
              key: 'course',
              render: (_, c) => (
                <Space>
                  <span>{pick(c.titleZh, c.titleEn)}</span>
                  <Tag color={c.required ? 'blue' : 'default'}>
                    {c.required ? t('training.required') : t('training.optional')}
                  </Tag>
                </Space>
              ),
            },
            {
              title: t('training.state'),
              key: 'state',
              render: (_, c) => <StateTag state={c.status.state} expiresAt={c.status.expiresAt} />,
            },
            {
              title: '',
              key: 'open',
              render: (_, c) => (
                <Button type="link" onClick={() => void navigate(`/training/courses/${c.code}`)}>
                  {t('training.open')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
