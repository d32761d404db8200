import type { DeliverySlip } from '@medledger/contract';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Skeleton, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { deliverySlipPdfUrl, useDeliverySlip } from '../../api/sales';
import { ExpiryDate, GspErrorAlert, StorageTag } from '../gsp/gsp-format';

type SlipLine = DeliverySlip['lines'][number];

/** `/sales/orders/:id/slip`: the delivery slip (随货同行单, GSP art. 92) and its printable PDF. */
export function DeliverySlipPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const query = useDeliverySlip(id);
  const slip = query.data;
  if (query.isError) return <GspErrorAlert error={query.error} />;
  if (slip === undefined) return <Skeleton active />;
  const tr = slip.transport;

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate(`/sales/orders/${id}`)}>
          {t('gsp.slip.back', { number: slip.orderNo })}
        </Button>
        {/* A plain link: the browser downloads the PDF with the session cookie (no script, CSP-safe). */}
        <Button
          type="primary"
          icon={<PrinterOutlined aria-hidden />}
          href={deliverySlipPdfUrl(id)}
          target="_blank"
          rel="noopener"
        >
          {t('gsp.slip.printPdf')}
        </Button>
      </Space>
      <Typography.Title level={2}>{t('gsp.slip.title', { number: slip.slipNo })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('gsp.slip.pdfHint')}</Typography.Paragraph>
      <Card>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'order', label: t('gsp.slip.orderNo'), children: slip.orderNo },
            { key: 'date', label: t('gsp.slip.shipDate'), children: slip.shipDate },
            {
              key: 'supplier',
              label: t('gsp.slip.supplier'),
              children: `${slip.supplier.name} · ${slip.supplier.address}${slip.supplier.phone === null ? '' : ` · ${slip.supplier.phone}`}`,
              span: 'filled',
            },
            { key: 'licence', label: t('gsp.slip.licenceNo'), children: slip.supplier.licenceNo, span: 'filled' },
            { key: 'consignee', label: t('gsp.slip.consignee'), children: slip.consignee.name },
            {
              key: 'contact',
              label: t('gsp.slip.contact'),
              children: `${slip.consignee.contact}${slip.consignee.phone === null ? '' : ` · ${slip.consignee.phone}`}`,
            },
            { key: 'address', label: t('gsp.slip.address'), children: slip.consignee.address, span: 'filled' },
            { key: 'mode', label: t('gsp.slip.transport'), children: t(`gsp.shipment.modes.${tr.mode}`) },
            tr.mode === 'carrier'
              ? {
                  key: 'carrier',
                  label: t('gsp.slip.carrier'),
                  children: `${tr.carrier ?? ''} · ${tr.waybillNo ?? ''}`,
                }
              : {
                  key: 'vehicle',
                  label: t('gsp.slip.vehicle'),
                  children: `${tr.vehiclePlate ?? ''} · ${tr.driver ?? ''}`,
                },
            {
              key: 'storage',
              label: t('gsp.slip.storage'),
              children: (
                <Space size={4}>
                  {tr.storageConditions.map((s) => (
                    <StorageTag key={s} storage={s} />
                  ))}
                </Space>
              ),
            },
            ...(tr.thirdPartyLogistics === undefined
              ? []
              : [{ key: '3pl', label: t('gsp.slip.thirdParty'), children: tr.thirdPartyLogistics }]),
            ...(slip.remarks === null
              ? []
              : [{ key: 'remarks', label: t('gsp.slip.remarks'), children: slip.remarks, span: 'filled' as const }]),
          ]}
        />
      </Card>
      <Card>
        <Table<SlipLine>
          rowKey={(l) => `${l.productName}|${l.lot}|${l.serial ?? ''}`}
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={slip.lines}
          columns={[
            {
              title: t('gsp.common.productName'),
              key: 'name',
              render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
            },
            {
              title: t('gsp.common.registrant'),
              key: 'reg',
              render: (_: unknown, l) => [l.registrant, l.contractManufacturer].filter((x) => x !== null).join(' · '),
            },
            {
              title: t('gsp.slip.manufacturerLicenceNo'),
              key: 'lic',
              render: (_: unknown, l) => l.manufacturerLicenceNo ?? '—',
            },
            { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
            { title: t('gsp.common.lot'), dataIndex: 'lot' },
            { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, l) => l.serial ?? '—' },
            { title: t('gsp.common.productionDate'), key: 'p', render: (_: unknown, l) => l.productionDate ?? '—' },
            {
              title: t('gsp.common.expiryDate'),
              key: 'e',
              render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} />,
            },
            { title: t('gsp.common.quantity'), key: 'q', render: (_: unknown, l) => `${l.quantity} ${l.unit}` },
            {
              title: t('gsp.common.storage'),
              key: 's',
              render: (_: unknown, l) => <StorageTag storage={l.storage} />,
            },
            { title: t('gsp.slip.hri'), key: 'hri', render: (_: unknown, l) => <code>{l.hri ?? '—'}</code> },
          ]}
        />
      </Card>
    </Space>
  );
}
