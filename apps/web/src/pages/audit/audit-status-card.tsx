import type { AuditStatusResponse } from '@medledger/contract';
import { Alert, Card, Descriptions, Skeleton, Space, Typography, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { useAuditStatus } from '../../api/audit';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatLocalTime } from './audit-format';
import { AuditTime, HashText } from './audit-text';

type Verification = AuditStatusResponse['lastVerification'];

/** The last full verification: green when intact, a red alert with every problem when not. */
function VerificationResult({ verification }: { verification: Verification }) {
  const { t, i18n } = useTranslation();
  if (verification === null) {
    return <Alert type="warning" showIcon title={t('audit.status.notVerified')} data-testid="audit-verification" />;
  }
  const details = t('audit.status.verificationDetails', {
    treeSize: verification.treeSize,
    trigger: verification.trigger,
    time: formatLocalTime(verification.at, i18n.language),
  });
  if (verification.ok) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('audit.status.verifiedOk')}
        description={details}
        data-testid="audit-verification"
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      title={t('audit.status.verifiedFailed')}
      data-testid="audit-verification"
      description={
        <>
          <div>{details}</div>
          {verification.firstBadIndex !== null && (
            <div>{t('audit.status.firstBadIndex', { index: verification.firstBadIndex })}</div>
          )}
          {verification.problems.length > 0 && (
            <>
              <div>{t('audit.status.problems')}</div>
              <ul className="ml-audit-problems">
                {verification.problems.map((problem, i) => (
                  <li key={i}>{problem}</li>
                ))}
              </ul>
            </>
          )}
          <Typography.Text strong>{t('audit.status.failedAdvice')}</Typography.Text>
        </>
      }
    />
  );
}

function StatusDetails({ status }: { status: AuditStatusResponse }) {
  const { t } = useTranslation();
  const checkpoint = status.latestCheckpoint;
  const items: DescriptionsProps['items'] = [
    { key: 'treeSize', label: t('audit.status.treeSize'), children: status.treeSize },
    { key: 'unsealed', label: t('audit.status.unsealed'), children: status.unsealed },
    {
      key: 'checkpoint',
      label: t('audit.status.checkpoint'),
      span: 'filled',
      children: checkpoint ? (
        <Space wrap size={[12, 4]}>
          <span>{t('audit.status.checkpointSize', { treeSize: checkpoint.treeSize })}</span>
          <AuditTime at={checkpoint.at} />
          <span>
            {t('audit.status.rootHash')} <HashText value={checkpoint.rootHash} />
          </span>
        </Space>
      ) : (
        t('audit.status.noCheckpoint')
      ),
    },
    {
      key: 'origin',
      label: t('audit.status.origin'),
      span: 'filled',
      children: <HashText value={status.origin} full />,
    },
    {
      key: 'publicKey',
      label: t('audit.status.publicKey'),
      span: 'filled',
      children: status.publicKey ? (
        <div className="ml-audit-stack-tight">
          <HashText value={status.publicKey} full />
          <Typography.Text type="secondary">{t('audit.status.publicKeyHelp')}</Typography.Text>
        </div>
      ) : (
        t('audit.status.noPublicKey')
      ),
    },
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

/** Tree size, unsealed events, the latest signed checkpoint, the last verification and the signing key. */
export function AuditStatusCard({ status }: { status: ReturnType<typeof useAuditStatus> }) {
  const { t } = useTranslation();
  return (
    <Card title={t('audit.status.title')} data-testid="audit-status">
      {status.isPending ? (
        <Skeleton active />
      ) : status.isError ? (
        <ApiErrorAlert error={status.error} />
      ) : (
        <div className="ml-audit-stack">
          <VerificationResult verification={status.data.lastVerification} />
          <StatusDetails status={status.data} />
        </div>
      )}
    </Card>
  );
}
