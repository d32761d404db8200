import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ForbiddenResult } from '../../components/forbidden-result';
import {
  AUDIT_READ_PERMISSION,
  auditQueryKeys,
  auditSearchParams,
  useAuditEvents,
  useAuditStatus,
  type AuditFilters,
} from '../../api/audit';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { AuditEventDrawer } from './audit-event-drawer';
import { AuditEventsTable } from './audit-events-table';
import { AuditFilterForm } from './audit-filter-form';
import { AuditStatusCard } from './audit-status-card';
import './audit.css';

/** Shown instead of the page when the session lacks `audit.event.read`. */
export function AuditForbidden() {
  const { t } = useTranslation();
  return (
    <ForbiddenResult
      title={t('audit.forbiddenTitle')}
      description={t('audit.forbiddenDescription')}
      testId="audit-forbidden"
    />
  );
}

function AuditTrail() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [drawer, setDrawer] = useState<{ id: string | null; open: boolean }>({ id: null, open: false });
  const status = useAuditStatus();
  const events = useAuditEvents(filters);
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];

  // Searching again with the same filters, or refreshing, starts over from the newest event.
  const reload = (next: AuditFilters) => void queryClient.resetQueries({ queryKey: auditQueryKeys.events(next) });
  const search = (next: AuditFilters) => {
    if (auditSearchParams(next).toString() === auditSearchParams(filters).toString()) reload(filters);
    else setFilters(next);
  };
  const refresh = () => {
    void status.refetch();
    reload(filters);
  };

  return (
    <div className="ml-audit-page">
      <div>
        <Typography.Title level={2}>{t('audit.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      </div>
      <AuditStatusCard status={status} />
      <Card
        title={t('audit.table.title')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={refresh}>
            {t('audit.refresh')}
          </Button>
        }
      >
        <AuditFilterForm onSearch={search} />
        {events.isError && !events.isFetchNextPageError ? (
          <ApiErrorAlert error={events.error} />
        ) : (
          <>
            <AuditEventsTable
              events={rows}
              loading={events.isPending || (events.isFetching && !events.isFetchingNextPage)}
              onOpen={(id) => setDrawer({ id, open: true })}
            />
            {events.isFetchNextPageError && <ApiErrorAlert error={events.error} />}
            {rows.length > 0 && (
              <div className="ml-audit-more">
                <Typography.Text type="secondary">
                  {events.hasNextPage
                    ? t('audit.table.shown', { count: rows.length })
                    : t('audit.table.allShown', { count: rows.length })}
                </Typography.Text>
                {events.hasNextPage && (
                  <Button loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                    {t('audit.table.loadMore')}
                  </Button>
                )}
              </div>
            )}
          </>
        )}
      </Card>
      <AuditEventDrawer
        eventId={drawer.id}
        open={drawer.open}
        onClose={() => setDrawer((current) => ({ ...current, open: false }))}
      />
    </div>
  );
}

/** /audit: the audit trail, its integrity status and per-event inclusion proofs, for `audit.event.read`. */
export function AuditPage() {
  const session = useCurrentSession();
  return session.permissions.includes(AUDIT_READ_PERMISSION) ? <AuditTrail /> : <AuditForbidden />;
}
