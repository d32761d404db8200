import type { GspZone } from '@medledger/contract';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { ExpiryDate } from '../gsp/gsp-format';
import { ZoneTag } from '../master-data/md-format';

type Line = {
  productName: string;
  model: string;
  specification: string;
  certificateNo: string;
  lot: string;
  serial: string | null;
  expiryDate: string | null;
  zone: string;
  quantity: number;
};

/** The lines of a return to a supplier or a disposal. */
export function StockDocLines({ lines }: { lines: Line[] }) {
  const { t } = useTranslation();
  return (
    <Table<Line>
      rowKey={(l, i) => `${l.lot}|${l.serial ?? ''}|${i}`}
      size="small"
      pagination={false}
      dataSource={lines}
      scroll={{ x: true }}
      columns={[
        { title: t('gsp.common.productName'), dataIndex: 'productName' },
        { title: t('gsp.common.model'), dataIndex: 'model' },
        { title: t('gsp.common.specification'), dataIndex: 'specification' },
        { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
        {
          title: t('gsp.common.lot'),
          key: 'lot',
          render: (_: unknown, l) => (l.serial ? `${l.lot} / ${l.serial}` : l.lot),
        },
        {
          title: t('gsp.common.expiryDate'),
          key: 'exp',
          render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} />,
        },
        { title: t('gsp.common.zone'), key: 'zone', render: (_: unknown, l) => <ZoneTag zone={l.zone as GspZone} /> },
        { title: t('gsp.common.quantity'), dataIndex: 'quantity', className: 'ml-amount' },
      ]}
    />
  );
}
