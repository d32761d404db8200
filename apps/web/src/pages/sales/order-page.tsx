import { ArrowLeftOutlined, CheckOutlined, FileTextOutlined, RollbackOutlined, ScanOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  RETURN_RECEIVE_PERMISSION,
  SHIP_PERMISSION,
  SO_ALLOCATE_PERMISSION,
  SO_CANCEL_PERMISSION,
  SO_CREATE_PERMISSION,
  allocateSalesOrder,
  cancelSalesOrder,
  confirmSalesOrder,
  salesKey,
  useSalesOrder,
  type SalesOrderView,
} from '../../api/sales';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ExpiryDate, GspErrorAlert, StorageTag, formatFen } from '../gsp/gsp-format';
import { ReasonModal } from '../gsp/reason-modal';
import { ShipmentDrawer } from './shipment-drawer';
import { SoStatusTag } from './so-format';

type Line = SalesOrderView['lines'][number];
type Allocation = SalesOrderView['allocations'][number];

/** `/sales/orders/:id`: a sales order with its lines, FEFO picks, review and shipment, and the next step. */
export function SalesOrderPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const query = useSalesOrder(id);
  const [shipping, setShipping] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: salesKey });
  const step = useMutation({
    mutationFn: (what: 'confirm' | 'allocate') => (what === 'confirm' ? confirmSalesOrder(id) : allocateSalesOrder(id)),
    onSuccess: async (_, what) => {
      void message.success(what === 'confirm' ? t('gsp.so.confirmed') : t('gsp.so.allocatedDone'));
      await refresh();
    },
  });
  const o = query.data?.order;
  if (query.isError) return <GspErrorAlert error={query.error} />;
  if (o === undefined) return <Skeleton active />;
  const can = (p: string) => permissions.includes(p);
  const at = (iso: string | null) => (iso === null ? '' : formatLocalTime(iso, i18n.language, 'short'));
  const pricesVisible = o.totalAmount !== null;

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate('/sales')}>
          {t('gsp.so.back')}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {t('gsp.so.orderNo')} {o.orderNo}
        </Typography.Title>
        <SoStatusTag status={o.status} />
      </Space>
      <Space wrap>
        {o.status === 'draft' && can(SO_CREATE_PERMISSION) && (
          <Button
            type="primary"
            icon={<CheckOutlined aria-hidden />}
            loading={step.isPending}
            onClick={() => step.mutate('confirm')}
          >
            {t('gsp.so.confirm')}
          </Button>
        )}
        {o.status === 'confirmed' && can(SO_ALLOCATE_PERMISSION) && (
          <Button type="primary" loading={step.isPending} onClick={() => step.mutate('allocate')}>
            {t('gsp.so.allocate')}
          </Button>
        )}
        {o.status === 'allocated' && (
          <Button
            type="primary"
            icon={<ScanOutlined aria-hidden />}
            onClick={() => void navigate(`/sales/orders/${o.id}/review`)}
          >
            {t('gsp.so.review')}
          </Button>
        )}
        {o.status === 'reviewed' && can(SHIP_PERMISSION) && (
          <Button type="primary" onClick={() => setShipping(true)}>
            {t('gsp.so.ship')}
          </Button>
        )}
        {(o.status === 'reviewed' || o.status === 'shipped') && (
          <Button onClick={() => void navigate(`/sales/orders/${o.id}/review`)}>{t('gsp.review.record')}</Button>
        )}
        {o.status === 'shipped' && (
          <Button icon={<FileTextOutlined aria-hidden />} onClick={() => void navigate(`/sales/orders/${o.id}/slip`)}>
            {t('gsp.so.slip')}
          </Button>
        )}
        {o.status === 'shipped' && can(RETURN_RECEIVE_PERMISSION) && (
          <Button
            icon={<RollbackOutlined aria-hidden />}
            onClick={() => void navigate(`/sales/returns/new?orderId=${encodeURIComponent(o.id)}`)}
          >
            {t('gsp.so.newReturn')}
          </Button>
        )}
        {o.status !== 'shipped' && o.status !== 'cancelled' && can(SO_CANCEL_PERMISSION) && (
          <Button danger onClick={() => setCancelling(true)}>
            {t('gsp.so.cancel')}
          </Button>
        )}
      </Space>
      {step.isError && <GspErrorAlert error={step.error} />}
      <Card title={t('gsp.so.details')}>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'customer', label: t('gsp.so.customer'), children: `${o.customer.code} ${o.customer.name}` },
            { key: 'warehouse', label: t('gsp.so.warehouse'), children: `${o.warehouse.code} (${o.warehouse.site})` },
            { key: 'address', label: t('gsp.so.address'), children: o.delivery.address, span: 'filled' },
            {
              key: 'contact',
              label: t('gsp.so.contact'),
              children: `${o.delivery.contact}${o.delivery.phone === null ? '' : ` · ${o.delivery.phone}`}`,
            },
            {
              key: 'total',
              label: t('gsp.so.total'),
              children: pricesVisible ? formatFen(o.totalAmount, i18n.language) : t('gsp.so.pricesHidden'),
            },
            { key: 'created', label: t('gsp.so.createdBy'), children: `${o.createdByName} · ${at(o.createdAt)}` },
            {
              key: 'confirmed',
              label: t('gsp.so.confirmedBy'),
              children: o.confirmedByName === null ? '—' : `${o.confirmedByName} · ${at(o.confirmedAt)}`,
            },
            {
              key: 'review',
              label: t('gsp.so.reviewedBy'),
              children: o.review === null ? '—' : `${o.review.reviewerName} · ${at(o.review.reviewedAt)}`,
            },
            {
              key: 'shipment',
              label: t('gsp.so.shipment'),
              children: o.shipment === null ? '—' : `${o.shipment.shipmentNo} · ${o.shipment.shipDate}`,
            },
            ...(o.cancelledAt === null
              ? []
              : [
                  {
                    key: 'cancelled',
                    label: t('gsp.so.cancelledBy'),
                    children: `${o.cancelledByName ?? ''} · ${at(o.cancelledAt)} · ${o.cancelReason ?? ''}`,
                  },
                ]),
            ...(o.remarks === null
              ? []
              : [{ key: 'remarks', label: t('gsp.so.remarks'), children: o.remarks, span: 'filled' as const }]),
          ]}
        />
      </Card>
      <Card title={t('gsp.so.lines')}>
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={o.lines}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 48 },
            { title: t('gsp.common.productCode'), dataIndex: 'productCode' },
            {
              title: t('gsp.common.productName'),
              key: 'name',
              render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
            },
            { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
            {
              title: t('gsp.common.storage'),
              key: 'storage',
              render: (_: unknown, l) => <StorageTag storage={l.storage} />,
            },
            { title: t('gsp.common.quantity'), key: 'q', render: (_: unknown, l) => `${l.quantity} ${l.unit}` },
            ...(pricesVisible
              ? [
                  {
                    title: t('gsp.so.unitPrice'),
                    key: 'price',
                    className: 'ml-amount',
                    render: (_: unknown, l: Line) => formatFen(l.unitPrice, i18n.language),
                  },
                  {
                    title: t('gsp.so.amount'),
                    key: 'amount',
                    className: 'ml-amount',
                    render: (_: unknown, l: Line) => formatFen(l.amount, i18n.language),
                  },
                ]
              : []),
            { title: t('gsp.so.allocated'), dataIndex: 'allocated' },
            { title: t('gsp.so.scanned'), dataIndex: 'scanned' },
          ]}
        />
      </Card>
      <Card title={t('gsp.so.picks')}>
        <Typography.Paragraph type="secondary">{t('gsp.so.picksIntro')}</Typography.Paragraph>
        <Table<Allocation>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={o.allocations}
          locale={{ emptyText: t('gsp.so.noPicks') }}
          columns={[
            {
              title: t('gsp.common.product'),
              key: 'product',
              render: (_: unknown, a) => o.lines.find((l) => l.id === a.lineId)?.productName ?? '—',
            },
            { title: t('gsp.common.lot'), dataIndex: 'lot' },
            { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, a) => a.serial ?? '—' },
            {
              title: t('gsp.common.expiryDate'),
              key: 'expiry',
              render: (_: unknown, a) => <ExpiryDate date={a.expiryDate} />,
            },
            { title: t('gsp.common.location'), dataIndex: 'locationCode' },
            { title: t('gsp.common.quantity'), dataIndex: 'quantity' },
            { title: t('gsp.so.scanned'), dataIndex: 'scanned' },
            { title: t('gsp.so.refused'), dataIndex: 'refused' },
            {
              title: t('gsp.common.status'),
              key: 'state',
              render: (_: unknown, a) => <Tag>{t(`gsp.so.allocationStates.${a.state}`)}</Tag>,
            },
          ]}
        />
      </Card>
      <ShipmentDrawer
        open={shipping}
        order={o}
        onClose={() => setShipping(false)}
        onShipped={() => {
          setShipping(false);
          void navigate(`/sales/orders/${o.id}/slip`);
        }}
      />
      <ReasonModal
        open={cancelling}
        title={t('gsp.so.cancelTitle', { number: o.orderNo })}
        intro={t('gsp.so.cancelIntro')}
        okText={t('gsp.so.cancel')}
        onConfirm={(reason) => cancelSalesOrder(o.id, reason)}
        onDone={() => {
          void message.success(t('gsp.so.cancelled'));
          setCancelling(false);
          void refresh();
        }}
        onCancel={() => setCancelling(false)}
      />
    </Space>
  );
}
