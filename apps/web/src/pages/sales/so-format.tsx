import type { OrderStatus } from '@medledger/contract';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLOURS: Record<OrderStatus, string | undefined> = {
  draft: undefined,
  confirmed: 'blue',
  allocated: 'gold',
  reviewed: 'cyan',
  shipped: 'green',
  cancelled: 'default',
};

export function SoStatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status]}>{t(`gsp.so.statuses.${status}`)}</Tag>;
}
