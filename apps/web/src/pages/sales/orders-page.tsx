import { ORDER_STATUSES, type OrderStatus } from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { SO_CREATE_PERMISSION, useSalesOrders, type SalesOrderFilters, type SalesOrderSummary } from '../../api/sales';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert, formatFen } from '../gsp/gsp-format';
import { SalesOrderFormDrawer } from './order-form-drawer';
import { SoStatusTag } from './so-format';

/** `/sales`: sales orders of my sites, newest first. */
export function SalesOrdersPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<SalesOrderFilters>({});
  const [creating, setCreating] = useState(false);
  const list = useSalesOrders(filters);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('gsp.so.listTitle')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('gsp.so.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <Input.Search
            allowClear
            placeholder={t('gsp.so.orderNoSearch')}
            aria-label={t('gsp.so.orderNoSearch')}
            onSearch={(q) => setFilters({ ...filters, orderNo: q.trim() || undefined })}
          />
          <Select
            allowClear
            placeholder={t('gsp.so.statusFilter')}
            aria-label={t('gsp.so.statusFilter')}
            className="ml-select-status"
            options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`gsp.so.statuses.${s}`) }))}
            onChange={(status: OrderStatus | undefined) => setFilters({ ...filters, status })}
          />
          {permissions.includes(SO_CREATE_PERMISSION) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('gsp.so.new')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<SalesOrderSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.orders ?? []}
            locale={{ emptyText: t('gsp.so.empty') }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: t('gsp.so.orderNo'),
                key: 'no',
                render: (_: unknown, o) => <Link to={`/sales/orders/${o.id}`}>{o.orderNo}</Link>,
              },
              { title: t('gsp.so.customer'), dataIndex: 'customerName' },
              { title: t('gsp.so.warehouse'), dataIndex: 'warehouseCode' },
              {
                title: t('gsp.so.createdAt'),
                key: 'at',
                render: (_: unknown, o) => formatLocalTime(o.createdAt, i18n.language, 'short'),
              },
              {
                title: t('gsp.so.total'),
                key: 'total',
                className: 'ml-amount',
                render: (_: unknown, o) => formatFen(o.totalAmount, i18n.language),
              },
              {
                title: t('gsp.common.status'),
                key: 'status',
                render: (_: unknown, o) => <SoStatusTag status={o.status} />,
              },
            ]}
          />
        )}
      </Card>
      <SalesOrderFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(order) => {
          setCreating(false);
          void navigate(`/sales/orders/${order.id}`);
        }}
      />
    </Space>
  );
}
