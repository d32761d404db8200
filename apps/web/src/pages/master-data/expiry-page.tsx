import type { ExpiryItem } from '@medledger/contract';
import { Badge, Calendar, Card, Col, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useExpiry } from '../../api/master-data';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useLicenceLabel } from './md-format';

type Level = ExpiryItem['level'];
const LEVELS: readonly Level[] = ['expired', 'due30', 'due90'];
const LEVEL_COLOURS: Record<Level, string> = { expired: 'red', due30: 'orange', due90: 'gold' };
const STATISTIC_COLOURS: Record<Level, string> = { expired: '#cf1322', due30: '#d46b08', due90: '#ad8b00' };

const ownerPath = (item: ExpiryItem) =>
  item.ownerType === 'party' ? `/master-data/parties/${item.ownerId}` : `/master-data/products/${item.ownerId}`;

/** The document's name: a licence kind, the registration certificate or an authorisation letter. */
function useDocumentLabel(): (item: ExpiryItem) => string {
  const { t } = useTranslation();
  const licenceLabel = useLicenceLabel();
  return (item) =>
    item.kind === 'certificate'
      ? t('masterData.expiry.certificate')
      : item.kind === 'authorisation'
        ? t('masterData.expiry.authorisation')
        : licenceLabel(item.document);
}

/** `/master-data/expiry`: licences, certificates and letters expired or due within 30 / 90 days. */
export function ExpiryPage() {
  const { t } = useTranslation();
  const documentLabel = useDocumentLabel();
  const expiry = useExpiry();
  const [level, setLevel] = useState<Level | 'all'>('all');
  const items = expiry.data?.items ?? [];
  const shown = level === 'all' ? items : items.filter((i) => i.level === level);
  const byDate = new Map<string, ExpiryItem[]>();
  for (const item of items) byDate.set(item.validUntil, [...(byDate.get(item.validUntil) ?? []), item]);
  const byMonth = new Map<string, number>();
  for (const item of items) {
    const month = item.validUntil.slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
  }

  const dateCell = (date: Dayjs) => {
    const due = byDate.get(date.format('YYYY-MM-DD')) ?? [];
    return (
      <ul className="ml-calendar-items">
        {due.map((item, i) => (
          <li key={i}>
            <Badge
              color={LEVEL_COLOURS[item.level]}
              text={
                <Link to={ownerPath(item)} title={`${documentLabel(item)} ${item.number}`}>
                  {item.ownerCode} · {documentLabel(item)}
                </Link>
              }
            />
          </li>
        ))}
      </ul>
    );
  };

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('masterData.expiry.title')}</Typography.Title>
      {expiry.isError && <ApiErrorAlert error={expiry.error} />}
      <Typography.Paragraph type="secondary">
        {t('masterData.expiry.intro', {
          today: expiry.data?.today ?? '',
          days: String(expiry.data?.leadDays[0] ?? 90),
        })}
      </Typography.Paragraph>
      <Row gutter={16}>
        {LEVELS.map((l) => (
          <Col key={l} xs={24} md={8}>
            <Card
              hoverable
              onClick={() => setLevel(level === l ? 'all' : l)}
              className={level === l ? 'ml-card-selected' : undefined}
              data-testid={`expiry-${l}`}
            >
              <Statistic
                title={t(`masterData.expiry.levels.${l}`)}
                value={items.filter((i) => i.level === l).length}
                loading={expiry.isPending}
                styles={{ content: { color: STATISTIC_COLOURS[l] } }}
              />
              <Typography.Text type="secondary">{t(`masterData.expiry.advice.${l}`)}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        title={t('masterData.expiry.listTitle')}
        extra={
          <Segmented<Level | 'all'>
            value={level}
            onChange={setLevel}
            options={[
              { value: 'all', label: t('masterData.expiry.all') },
              ...LEVELS.map((l) => ({ value: l, label: t(`masterData.expiry.levels.${l}`) })),
            ]}
          />
        }
      >
        <Table<ExpiryItem>
          rowKey={(i) => `${i.kind}-${i.ownerId}-${i.number}`}
          size="small"
          loading={expiry.isPending}
          dataSource={shown}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('masterData.expiry.empty') }}
          columns={[
            {
              title: t('masterData.expiry.level'),
              key: 'level',
              render: (_: unknown, i) => (
                <Tag color={LEVEL_COLOURS[i.level]}>{t(`masterData.expiry.levels.${i.level}`)}</Tag>
              ),
            },
            {
              title: t('masterData.expiry.owner'),
              key: 'owner',
              render: (_: unknown, i) => (
                <Link to={ownerPath(i)}>
                  {i.ownerCode} · {i.ownerName}
                </Link>
              ),
            },
            { title: t('masterData.expiry.document'), key: 'document', render: (_: unknown, i) => documentLabel(i) },
            { title: t('masterData.expiry.number'), dataIndex: 'number' },
            { title: t('masterData.expiry.validUntil'), dataIndex: 'validUntil' },
            {
              title: t('masterData.expiry.daysLeft'),
              key: 'days',
              render: (_: unknown, i) =>
                i.daysLeft < 0
                  ? t('masterData.expiry.daysAgo', { days: String(-i.daysLeft) })
                  : t('masterData.expiry.daysToGo', { days: String(i.daysLeft) }),
            },
          ]}
        />
      </Card>
      <Card title={t('masterData.expiry.calendar')}>
        <Calendar
          className="ml-expiry-calendar"
          defaultValue={dayjs()}
          cellRender={(current, info) => {
            if (info.type === 'date') return dateCell(current);
            if (info.type === 'month') {
              const count = byMonth.get(current.format('YYYY-MM')) ?? 0;
              return count === 0 ? null : <Badge count={count} color="orange" />;
            }
            return info.originNode;
          }}
        />
      </Card>
    </Space>
  );
}
