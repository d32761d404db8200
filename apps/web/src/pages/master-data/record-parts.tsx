import type { PartyView, ProductView } from '@medledger/contract';
import { Alert, Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ValidUntil } from './md-format';

/** The state of the file: first business waiting, rejected, or a change waiting for QA. */
export function RecordBanner({
  status,
  pendingChangeId,
  onOpen,
}: {
  status: PartyView['status'];
  pendingChangeId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const action =
    pendingChangeId === null ? undefined : (
      <Button size="small" onClick={() => onOpen(pendingChangeId)}>
        {t('masterData.banner.openChange')}
      </Button>
    );
  if (status === 'pending') {
    return <Alert type="warning" showIcon title={t('masterData.banner.firstBusiness')} action={action} />;
  }
  if (status === 'rejected') {
    return <Alert type="error" showIcon title={t('masterData.banner.rejected')} action={action} />;
  }
  if (pendingChangeId !== null) {
    return <Alert type="info" showIcon title={t('masterData.banner.pendingChange')} action={action} />;
  }
  return null;
}

/** The registration certificate's state: cancelled by the regulator, or its validity. */
export function CertificateState({ product }: { product: ProductView }) {
  const { t } = useTranslation();
  if (product.certificateCancelledAt !== null) {
    return <Tag color="red">{t('masterData.product.cancelled')}</Tag>;
  }
  return <ValidUntil date={product.certificateValidUntil} />;
}
