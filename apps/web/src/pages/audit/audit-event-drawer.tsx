import type { AuditEventDetailResponse, AuditEventView } from '@medledger/contract';
import { Alert, Descriptions, Drawer, Skeleton, Typography, type DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditEvent } from '../../api/audit';
import { currentLocale } from '../../app/i18n';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { actionInfo, jsonText } from './audit-format';
import { ActionLabel, IndexText, ResourceText } from './audit-events-table';
import { AuditTime, CopyText, HashText, OutcomeTag, PreText } from './audit-text';

function SectionTitle({ children, copy }: { children: ReactNode; copy?: string }) {
  return (
    <div className="ml-audit-section-title">
      <Typography.Title level={5}>{children}</Typography.Title>
      {copy !== undefined && <CopyText value={copy} />}
    </div>
  );
}

function EventFields({ event }: { event: AuditEventView }) {
  const { t, i18n } = useTranslation();
  const info = actionInfo(event.action, currentLocale(i18n));
  const orNone = (value: string | null | undefined) => value || t('audit.none');
  const items: DescriptionsProps['items'] = [
    { key: 'id', label: t('audit.detail.id'), children: <HashText value={event.id} full /> },
    { key: 'index', label: t('audit.detail.index'), children: <IndexText index={event.index} /> },
    { key: 'at', label: t('audit.detail.time'), children: <AuditTime at={event.at} /> },
    { key: 'action', label: t('audit.detail.action'), children: <ActionLabel action={event.action} /> },
    {
      key: 'actionName',
      label: t('audit.detail.actionName'),
      children: <Typography.Text code>{event.action}</Typography.Text>,
    },
    {
      key: 'category',
      label: t('audit.detail.category'),
      children: info.category ? t(`audit.category.${info.category}`) : t('audit.none'),
    },
    { key: 'outcome', label: t('audit.detail.outcome'), children: <OutcomeTag outcome={event.outcome} /> },
    { key: 'reason', label: t('audit.detail.reason'), children: orNone(event.reason) },
    { key: 'actor', label: t('audit.detail.actor'), children: event.actor?.name ?? t('audit.anonymous') },
    { key: 'actorKind', label: t('audit.detail.actorKind'), children: orNone(event.actor?.kind) },
    { key: 'actorId', label: t('audit.detail.actorId'), children: orNone(event.actor?.id) },
    {
      key: 'actorRoles',
      label: t('audit.detail.actorRoles'),
      children: orNone(event.actor?.roles.join(', ')),
    },
    { key: 'ip', label: t('audit.detail.ip'), children: orNone(event.ip) },
    { key: 'userAgent', label: t('audit.detail.userAgent'), children: orNone(event.userAgent) },
    {
      key: 'requestId',
      label: t('audit.detail.requestId'),
      children: event.requestId ? <HashText value={event.requestId} full /> : t('audit.none'),
    },
    { key: 'resource', label: t('audit.detail.resource'), children: <ResourceText resource={event.resource} /> },
  ];
  return <Descriptions bordered size="small" column={1} items={items} />;
}

function Proof({ detail }: { detail: AuditEventDetailResponse }) {
  const { t } = useTranslation();
  const { proof, event } = detail;
  if (!proof || event.index === null) {
    return (
      <Alert
        type="warning"
        showIcon
        title={
          event.index === null
            ? t('audit.detail.noProofUnsealed')
            : t('audit.detail.noProofCheckpoint', { index: event.index })
        }
      />
    );
  }
  return (
    <>
      <Alert
        type="info"
        showIcon
        title={t('audit.detail.proofTitle')}
        description={
          <>
            <Typography.Paragraph>
              {t('audit.detail.proofExplanation', { index: event.index, treeSize: proof.treeSize })}
            </Typography.Paragraph>
            <Typography.Paragraph className="ml-audit-last">{t('audit.detail.proofOffline')}</Typography.Paragraph>
          </>
        }
      />
      <Descriptions
        className="ml-audit-proof"
        bordered
        size="small"
        column={1}
        items={[
          { key: 'treeSize', label: t('audit.detail.proofTreeSize'), children: proof.treeSize },
          { key: 'root', label: t('audit.detail.proofRoot'), children: <HashText value={proof.rootHash} full /> },
        ]}
      />
      <SectionTitle>{t('audit.detail.proofHashes', { count: proof.hashes.length })}</SectionTitle>
      {proof.hashes.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('audit.detail.proofHashesEmpty')}</Typography.Paragraph>
      ) : (
        <ol className="ml-audit-hashes" data-testid="audit-proof-hashes">
          {proof.hashes.map((hash, i) => (
            <li key={i}>{hash}</li>
          ))}
        </ol>
      )}
      <SectionTitle copy={proof.checkpoint}>{t('audit.detail.checkpoint')}</SectionTitle>
      <PreText text={proof.checkpoint} label={t('audit.detail.checkpoint')} />
    </>
  );
}

function EventDetail({ detail }: { detail: AuditEventDetailResponse }) {
  const { t } = useTranslation();
  const { event } = detail;
  return (
    <>
      <EventFields event={event} />
      <SectionTitle>{t('audit.detail.data')}</SectionTitle>
      <PreText text={jsonText(event.data)} label={t('audit.detail.data')} />
      <SectionTitle>{t('audit.detail.changes')}</SectionTitle>
      {event.changes.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('audit.detail.noChanges')}</Typography.Paragraph>
      ) : (
        <PreText text={jsonText(event.changes)} label={t('audit.detail.changes')} />
      )}
      <SectionTitle copy={detail.canonical}>{t('audit.detail.canonical')}</SectionTitle>
      <PreText text={detail.canonical} label={t('audit.detail.canonical')} />
      <SectionTitle>{t('audit.detail.leafHash')}</SectionTitle>
      <Typography.Paragraph>
        {detail.leafHash ? <HashText value={detail.leafHash} full /> : <IndexText index={null} />}
      </Typography.Paragraph>
      <SectionTitle>{t('audit.detail.proof')}</SectionTitle>
      <Proof detail={detail} />
    </>
  );
}

interface Props {
  /** The event to show; kept while the drawer closes so its content does not vanish mid-animation. */
  eventId: string | null;
  open: boolean;
  onClose: () => void;
}

/** One audit event: every field, its data as text, the canonical bytes, leaf hash and inclusion proof. */
export function AuditEventDrawer({ eventId, open, onClose }: Props) {
  const { t } = useTranslation();
  const detail = useAuditEvent(eventId);
  return (
    <Drawer title={t('audit.detail.title')} open={open} onClose={onClose} size="large" data-testid="audit-drawer">
      {eventId === null ? null : detail.isPending ? (
        <Skeleton active />
      ) : detail.isError ? (
        <ApiErrorAlert error={detail.error} />
      ) : (
        <EventDetail detail={detail.data} />
      )}
    </Drawer>
  );
}
