import type { AuditEventView } from '@medledger/contract';
import { Button, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../app/i18n';
import { actionInfo } from './audit-format';
import { AuditTime, OutcomeTag } from './audit-text';

interface Props {
  events: AuditEventView[];
  loading: boolean;
  onOpen: (id: string) => void;
}

export function ActionLabel({ action }: { action: string }) {
  const { t, i18n } = useTranslation();
  const info = actionInfo(action, currentLocale(i18n));
  return (
    <span title={action}>
      {info.label}
      {info.alert && (
        <Tag color="red" className="ml-audit-alert-tag">
          {t('audit.alert')}
        </Tag>
      )}
    </span>
  );
}

export function ResourceText({ resource }: { resource: AuditEventView['resource'] }) {
  const { t } = useTranslation();
  if (!resource) return <Typography.Text type="secondary">{t('audit.none')}</Typography.Text>;
  return (
    <span>
      {resource.type} <Typography.Text code>{resource.id}</Typography.Text>
    </span>
  );
}

export function IndexText({ index }: { index: number | null }) {
  const { t } = useTranslation();
  return index === null ? <Tag>{t('audit.table.unsealed')}</Tag> : <span>{index}</span>;
}

/** Events newest first; a row (or its Details button) opens the event. Everything is rendered as text. */
export function AuditEventsTable({ events, loading, onOpen }: Props) {
  const { t } = useTranslation();
  const columns: TableColumnsType<AuditEventView> = [
    { key: 'at', title: t('audit.table.time'), dataIndex: 'at', render: (at: string) => <AuditTime at={at} /> },
    {
      key: 'action',
      title: t('audit.table.action'),
      dataIndex: 'action',
      render: (action: string) => <ActionLabel action={action} />,
    },
    {
      key: 'outcome',
      title: t('audit.table.outcome'),
      dataIndex: 'outcome',
      render: (outcome: AuditEventView['outcome']) => <OutcomeTag outcome={outcome} />,
    },
    {
      key: 'actor',
      title: t('audit.table.actor'),
      dataIndex: 'actor',
      render: (actor: AuditEventView['actor']) => actor?.name ?? t('audit.anonymous'),
    },
    { key: 'ip', title: t('audit.table.ip'), dataIndex: 'ip' },
    {
      key: 'resource',
      title: t('audit.table.resource'),
      dataIndex: 'resource',
      render: (resource: AuditEventView['resource']) => <ResourceText resource={resource} />,
    },
    {
      key: 'index',
      title: t('audit.table.index'),
      dataIndex: 'index',
      align: 'right',
      render: (index: number | null) => <IndexText index={index} />,
    },
    {
      key: 'details',
      title: t('audit.table.details'),
      render: (_: unknown, event) => (
        <Button
          type="link"
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            onOpen(event.id);
          }}
        >
          {t('audit.table.details')}
        </Button>
      ),
    },
  ];
  return (
    <Table<AuditEventView>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={events}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowClassName="ml-audit-row"
      onRow={(event) => ({ onClick: () => onOpen(event.id) })}
      data-testid="audit-events"
    />
  );
}
