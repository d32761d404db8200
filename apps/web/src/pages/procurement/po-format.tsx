import type { PurchaseOrderStatus } from '@medledger/contract';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLOURS: Record<PurchaseOrderStatus, string | undefined> = {
  draft: undefined,
  submitted: 'gold',
  approved: 'blue',
  receiving: 'cyan',
  closed: 'green',
  cancelled: 'default',
};

export function PoStatusTag({ status }: { status: PurchaseOrderStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status]}>{t(`gsp.po.statuses.${status}`)}</Tag>;
}
