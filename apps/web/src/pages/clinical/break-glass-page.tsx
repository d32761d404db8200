import type { BreakGlassGrantView } from '@medledger/contract';
import { Alert, Card, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useBreakGlassRecords, useMyBreakGlass } from '../../api/clinical';
import { ClinicalErrorAlert, PatientDetails } from './clinical-format';
import { UsageRecordDetails } from './usage-record-page';

/** `mm:ss` (or `h:mm:ss`) of a number of seconds. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds left, counted down from the server's figure; the server alone decides when access ends. */
function useCountdown(initial: number | undefined, receivedAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return initial === undefined ? 0 : initial - Math.max(0, now - receivedAt) / 1000;
}

/** `/clinical/break-glass/:id`: the records under a live grant, patient in clear, with the countdown. */
export function BreakGlassPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const records = useBreakGlassRecords(id);
  const left = useCountdown(records.data?.grant.secondsLeft, records.dataUpdatedAt);
  const ended = records.data !== undefined && left <= 0;

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('clinical.breakGlass.pageTitle')}</Typography.Title>
      {records.isError ? (
        <Alert
          type="error"
          showIcon
          title={t('clinical.breakGlass.ended')}
          description={<ClinicalErrorAlert error={records.error} />}
        />
      ) : records.data === undefined ? (
        <Card loading />
      ) : ended ? (
        // When the time is up the clear data leaves the screen too.
        <Alert type="info" showIcon title={t('clinical.breakGlass.ended')} data-testid="break-glass-ended" />
      ) : (
        <>
          <Alert
            type="warning"
            showIcon
            title={
              <span>
                {t('clinical.breakGlass.remaining')}:{' '}
                <strong data-testid="break-glass-countdown">{formatCountdown(left)}</strong>
              </span>
            }
            description={t('clinical.breakGlass.auditedNotice', { id: records.data.grant.id })}
          />
          {records.data.records.map((r) => (
            <Card key={r.id} title={`${r.procedureName} · ${r.procedureDate}`}>
              {r.patient !== null && <PatientDetails patient={r.patient} />}
              <UsageRecordDetails record={r} />
            </Card>
          ))}
        </>
      )}
    </Space>
  );
}

/** `/clinical/break-glass`: my grants with their state and review. */
export function MyBreakGlassPage() {
  const { t } = useTranslation();
  const mine = useMyBreakGlass(true);
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('clinical.breakGlass.mineTitle')}</Typography.Title>
      <Card>
        {mine.isError ? (
          <ClinicalErrorAlert error={mine.error} />
        ) : (
          <Table<BreakGlassGrantView>
            rowKey="id"
            size="middle"
            loading={mine.isPending}
            dataSource={mine.data?.grants ?? []}
            locale={{ emptyText: t('clinical.breakGlass.emptyMine') }}
            columns={[
              { title: t('clinical.breakGlass.grantedAt'), dataIndex: 'grantedAt' },
              { title: t('clinical.breakGlass.reason'), dataIndex: 'reason' },
              {
                title: t('clinical.breakGlass.state'),
                key: 'active',
                render: (_: unknown, g) =>
                  g.active ? (
                    <Link to={`/clinical/break-glass/${g.id}`}>{t('clinical.breakGlass.open')}</Link>
                  ) : (
                    <Tag>{t('clinical.breakGlass.expired')}</Tag>
                  ),
              },
              { title: t('clinical.breakGlass.reads'), dataIndex: 'reads' },
              {
                title: t('clinical.breakGlass.review'),
                key: 'review',
                render: (_: unknown, g) =>
                  g.review.decision === null
                    ? t('clinical.breakGlass.states.open')
                    : t(`clinical.breakGlass.decisions.${g.review.decision}`),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
