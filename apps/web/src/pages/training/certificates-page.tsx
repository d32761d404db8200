import { Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMyCertificates } from '../../api/training';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatDate, usePick } from './training-format';

/** TRN-01: my certificates, one card each, printable (the browser's print; no file is produced). */
export function CertificatesPage() {
  const { t, i18n } = useTranslation();
  const pick = usePick();
  const certs = useMyCertificates();
  if (certs.error) return <ApiErrorAlert error={certs.error} />;
  if (!certs.data) return <Card loading />;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2}>{t('training.certificates')}</Typography.Title>
        <Button className="ml-no-print" onClick={() => window.print()}>
          {t('training.print')}
        </Button>
      </Space>
      {certs.data.certificates.length === 0 && <Empty description={t('training.noCertificates')} />}
      {certs.data.certificates.map((c) => (
        <Card key={c.id} className="ml-certificate" data-testid="certificate">
          <Typography.Title level={3} style={{ textAlign: 'center' }}>
            {t('training.certificateTitle')}
          </Typography.Title>
          <Typography.Paragraph>
            {t('training.certificateText', {
              name: c.holderName,
              login: c.holderLogin,
              course: pick(c.titleZh, c.titleEn),
              version: c.version,
              score: c.score,
            })}
          </Typography.Paragraph>
          <Space wrap>
            <span>{t('training.completedOn', { date: formatDate(c.completedAt, i18n.language) })}</span>
            <span>{t('training.validUntil', { date: formatDate(c.expiresAt, i18n.language) })}</span>
            {!c.current && <Tag color="red">{t('training.certificateExpired')}</Tag>}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
