import { RECORD_STATUSES, type PartyView, type RecordStatus } from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { MD_EDIT_PERMISSION, useParties, type PartyFilters, type PartyRole } from '../../api/master-data';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { LicenceExpiryIndicator, RoleTags, StatusTag } from './md-format';
import { PartyFormDrawer } from './party-form-drawer';

/** `/master-data/parties`: suppliers, manufacturers and customers with their qualification state. */
export function PartiesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const canEdit = permissions.includes(MD_EDIT_PERMISSION);
  const [filters, setFilters] = useState<PartyFilters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useParties(filters);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('masterData.party.listTitle')}</Typography.Title>
      <Card>
        <Space wrap className="ml-toolbar">
          <Input.Search
            allowClear
            placeholder={t('masterData.party.search')}
            aria-label={t('masterData.party.search')}
            onSearch={(q) => setFilters({ ...filters, q: q.trim() || undefined, page: 1 })}
          />
          <Select
            allowClear
            placeholder={t('masterData.party.roleFilter')}
            aria-label={t('masterData.party.roleFilter')}
            className="ml-select-status"
            options={(['supplier', 'manufacturer', 'customer'] as const).map((r) => ({
              value: r,
              label: t(`masterData.roles.${r}`),
            }))}
            onChange={(role: PartyRole | undefined) => setFilters({ ...filters, role, page: 1 })}
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
              {t('masterData.party.new')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <ApiErrorAlert error={list.error} />
        ) : (
          <Table<PartyView>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.parties ?? []}
            locale={{ emptyText: t('masterData.party.empty') }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
            }}
            columns={[
              { title: t('masterData.party.code'), dataIndex: 'code' },
              {
                title: t('masterData.party.name'),
                key: 'name',
                render: (_: unknown, p) => <Link to={`/master-data/parties/${p.id}`}>{p.name}</Link>,
              },
              { title: t('masterData.party.roles'), key: 'roles', render: (_: unknown, p) => <RoleTags party={p} /> },
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
              {
                title: t('masterData.party.licenceExpiry'),
                key: 'expiry',
                render: (_: unknown, p) => <LicenceExpiryIndicator party={p} />,
              },
            ]}
          />
        )}
      </Card>
      <PartyFormDrawer
        open={creating}
        party={null}
        onClose={() => setCreating(false)}
        onFiled={(change) => {
          setCreating(false);
          void navigate(`/master-data/parties/${change.entityId}`);
        }}
      />
    </Space>
  );
}
