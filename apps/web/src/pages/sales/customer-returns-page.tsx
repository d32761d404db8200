import type { ReturnSummary } from '@medledger/contract';
import { Button, Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCustomerReturns } from '../../api/ledgers';
import { RETURN_RECEIVE_PERMISSION } from '../../api/sales';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert } from '../gsp/gsp-format';
import { WarehouseSelect } from '../gsp/pickers';

type Status = ReturnSummary['status'];

/** `/sales/returns`: customer returns of my sites, filtered and paged; each opens its record. */
export function CustomerReturnsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<{
    from?: string | undefined;
    to?: string | undefined;
    warehouseId?: string | undefined;
    status?: Status | undefined;
    page: number;
  }>({ page: 1 });
  const list = useCustomerReturns({ ...filters, pageSize: 50 });
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('ledgers.menu.customerReturns')}</Typography.Title>
      <Card>
        <Space wrap className="ml-toolbar">
          <DatePicker.RangePicker
            aria-label={t('ledgers.lists.returnDate')}
            onChange={(range) =>
              setFilters({
                ...filters,
                page: 1,
                from: range?.[0]?.format('YYYY-MM-DD'),
                to: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
          />
          <WarehouseSelect
            allowClear
            aria-label={t('ledgers.lists.warehouse')}
            placeholder={t('ledgers.lists.warehouse')}
            value={filters.warehouseId}
            onChange={(warehouseId) => setFilters({ ...filters, page: 1, warehouseId })}
          />
          <Select<Status>
            allowClear
            className="ml-select-status"
            aria-label={t('ledgers.lists.status')}
            placeholder={t('ledgers.lists.status')}
            options={(['received', 'inspected'] as const).map((s) => ({
              value: s,
              label: t(`ledgers.lists.statuses.${s}`),
            }))}
            onChange={(status) => setFilters({ ...filters, page: 1, status })}
          />
          {permissions.includes(RETURN_RECEIVE_PERMISSION) && (
            <Button type="primary" onClick={() => void navigate('/sales/returns/new')}>
              {t('ledgers.lists.newReturn')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<ReturnSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.returns ?? []}
            locale={{ emptyText: t('ledgers.lists.empty') }}
            scroll={{ x: true }}
            pagination={{
              current: filters.page,
              pageSize: 50,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              showTotal: (total) => t('ledgers.lists.total', { total }),
              onChange: (page) => setFilters({ ...filters, page }),
            }}
            columns={[
              { title: t('ledgers.lists.returnNo'), dataIndex: 'returnNo' },
              { title: t('ledgers.lists.returnDate'), dataIndex: 'returnDate' },
              { title: t('ledgers.lists.customer'), dataIndex: 'customerName' },
              { title: t('ledgers.lists.order'), dataIndex: 'orderNo' },
              { title: t('ledgers.lists.shipment'), dataIndex: 'shipmentNo' },
              { title: t('ledgers.lists.warehouse'), dataIndex: 'warehouseCode' },
              { title: t('ledgers.lists.reason'), dataIndex: 'reason' },
              { title: t('ledgers.lists.units'), dataIndex: 'units', className: 'ml-amount' },
              {
                title: t('ledgers.lists.status'),
                key: 'status',
                render: (_: unknown, r) => (
                  <Tag color={r.status === 'inspected' ? 'green' : 'gold'}>
                    {t(`ledgers.lists.statuses.${r.status}`)}
                  </Tag>
                ),
              },
              { title: t('ledgers.lists.inspector'), key: 'insp', render: (_: unknown, r) => r.inspectorName ?? '—' },
              {
                title: '',
                key: 'open',
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => void navigate(`/sales/returns/${r.id}`)}>
                    {t('ledgers.lists.view')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
