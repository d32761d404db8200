import {
  DEVICE_CLASSES,
  RECORD_STATUSES,
  type DeviceClass,
  type ProductView,
  type RecordStatus,
} from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { MD_EDIT_PERMISSION, useProducts, type ProductFilters } from '../../api/master-data';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { StatusTag } from './md-format';
import { CertificateState } from './record-parts';
import { ProductFormDrawer } from './product-form-drawer';

/** `/master-data/products`: device models with their certificates. */
export function ProductsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const canEdit = permissions.includes(MD_EDIT_PERMISSION);
  const [filters, setFilters] = useState<ProductFilters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useProducts(filters);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('masterData.product.listTitle')}</Typography.Title>
      <Card>
        <Space wrap className="ml-toolbar">
          <Input.Search
            allowClear
            placeholder={t('masterData.product.search')}
            aria-label={t('masterData.product.search')}
            onSearch={(q) => setFilters({ ...filters, q: q.trim() || undefined, page: 1 })}
          />
          <Select
            allowClear
            placeholder={t('masterData.product.classFilter')}
            aria-label={t('masterData.product.classFilter')}
            className="ml-select-status"
            options={DEVICE_CLASSES.map((c) => ({ value: c, label: t(`masterData.classes.${c}`) }))}
            onChange={(deviceClass: DeviceClass | undefined) => setFilters({ ...filters, deviceClass, page: 1 })}
          />
          <Select
            allowClear
            placeholder={t('masterData.statusFilter')}
            aria-label={t('masterData.statusFilter')}
            className="ml-select-status"
            options={RECORD_STATUSES.map((s) => ({ value: s, label: t(`masterData.status.${s}`) }))}
            onChange={(status: RecordStatus | undefined) => setFilters({ ...filters, status, page: 1 })}
          />
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('masterData.product.new')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <ApiErrorAlert error={list.error} />
        ) : (
          <Table<ProductView>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.products ?? []}
            locale={{ emptyText: t('masterData.product.empty') }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
            }}
            columns={[
              { title: t('masterData.product.code'), dataIndex: 'code' },
              {
                title: t('masterData.product.name'),
                key: 'name',
                render: (_: unknown, p) => <Link to={`/master-data/products/${p.id}`}>{p.name}</Link>,
              },
              {
                title: t('masterData.product.modelSpec'),
                key: 'model',
                render: (_: unknown, p) => `${p.model} / ${p.specification}`,
              },
              {
                title: t('masterData.product.deviceClass'),
                key: 'class',
                render: (_: unknown, p) => t(`masterData.classes.${p.deviceClass}`),
              },
              { title: t('masterData.product.certificateNo'), dataIndex: 'certificateNo' },
              {
                title: t('masterData.product.certificateValidUntil'),
                key: 'validity',
                render: (_: unknown, p) => <CertificateState product={p} />,
              },
              {
                title: t('masterData.status.title'),
                key: 'status',
                render: (_: unknown, p) => (
                  <Space size={4} wrap>
                    <StatusTag status={p.status} />
                    {p.pendingChangeId !== null && p.status === 'approved' && (
                      <Tag color="gold">{t('masterData.pendingChangeTag')}</Tag>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <ProductFormDrawer
        open={creating}
        product={null}
        onClose={() => setCreating(false)}
        onFiled={(change) => {
          setCreating(false);
          void navigate(`/master-data/products/${change.entityId}`);
        }}
      />
    </Space>
  );
}
