import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  PO_EDIT_PERMISSION,
  usePurchaseOrders,
  type PurchaseOrderFilters,
  type PurchaseOrderSummary,
} from '../../api/procurement';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert, formatFen } from '../gsp/gsp-format';
import { OrderFormDrawer } from './order-form-drawer';
import { PoStatusTag } from './po-format';

/** `/procurement`: purchase orders of my sites, newest first, filtered by status. */
export function PurchaseOrdersPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<PurchaseOrderFilters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = usePurchaseOrders(filters);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('gsp.po.listTitle')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('gsp.po.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <Select
            allowClear
            placeholder={t('gsp.po.statusFilter')}
            aria-label={t('gsp.po.statusFilter')}
            className="ml-select-status"
            options={PURCHASE_ORDER_STATUSES.map((s) => ({ value: s, label: t(`gsp.po.statuses.${s}`) }))}
            onChange={(status: PurchaseOrderStatus | undefined) => setFilters({ ...filters, status, page: 1 })}
          />
          {permissions.includes(PO_EDIT_PERMISSION) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('gsp.po.new')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<PurchaseOrderSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.orders ?? []}
            locale={{ emptyText: t('gsp.po.empty') }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
            }}
            columns={[
              {
                title: t('gsp.po.number'),
                key: 'number',
                render: (_: unknown, o) => <Link to={`/procurement/orders/${o.id}`}>{o.number}</Link>,
              },
              { title: t('gsp.po.orderDate'), dataIndex: 'orderDate' },
              { title: t('gsp.po.supplier'), dataIndex: 'supplierName' },
              { title: t('gsp.po.warehouse'), dataIndex: 'warehouseCode' },
              { title: t('gsp.po.lineCount'), dataIndex: 'lineCount' },
              {
                title: t('gsp.po.total'),
                key: 'total',
                className: 'ml-amount',
                render: (_: unknown, o) => formatFen(o.totalFen, i18n.language),
              },
              {
                title: t('gsp.common.status'),
                key: 'status',
                render: (_: unknown, o) => <PoStatusTag status={o.status} />,
              },
            ]}
          />
        )}
      </Card>
      <OrderFormDrawer
        open={creating}
        order={null}
        onClose={() => setCreating(false)}
        onSaved={(order) => {
          setCreating(false);
          void navigate(`/procurement/orders/${order.id}`);
        }}
      />
    </Space>
  );
}
