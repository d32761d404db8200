import {
  GSP_ZONES,
  STORAGE_CONDITIONS,
  type GspZone,
  type StorageCondition,
  type WarehouseView,
} from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MD_WAREHOUSE_PERMISSION,
  createArea,
  createLocation,
  createWarehouse,
  masterDataKey,
  useWarehouses,
} from '../../api/master-data';
import { ApiError } from '../../api/client';
import { fieldErrors } from '../../app/field-errors';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ZoneTag, useStorageLabel } from './md-format';

type Area = WarehouseView['areas'][number];
type Target =
  | { kind: 'warehouse' }
  | { kind: 'area'; warehouse: WarehouseView }
  | { kind: 'location'; warehouse: WarehouseView; area: Area };

interface Values {
  code: string;
  name?: string;
  site?: string;
  address?: string;
  zone?: GspZone;
  storage?: StorageCondition;
}

const FIELDS = {
  'body.code': 'code',
  'body.name': 'name',
  'body.site': 'site',
  'body.address': 'address',
  'body.zone': 'zone',
  'body.storage': 'storage',
} as const;

const CODE = /^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,39}\s*$/;
const SITE = /^\s*[A-Za-z0-9._-]{1,64}\s*$/;

/** One form for a new warehouse, storage area or location (master-data.warehouse.manage). */
function CreateModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const code = v.code.trim();
      if (target?.kind === 'area') {
        return createArea(target.warehouse.id, {
          code,
          name: (v.name ?? '').trim(),
          zone: v.zone ?? 'quarantine',
          storage: v.storage ?? 'normal',
        });
      }
      if (target?.kind === 'location') return createLocation(target.area.id, { code });
      return createWarehouse({
        code,
        name: (v.name ?? '').trim(),
        site: (v.site ?? '').trim(),
        address: (v.address ?? '').trim(),
      });
    },
    onSuccess: async () => {
      void message.success(t('masterData.warehouse.created'));
      form.resetFields();
      onClose();
      await queryClient.invalidateQueries({ queryKey: masterDataKey });
    },
    onError: (error) => form.setFields(fieldErrors(t, error, FIELDS)),
  });
  const title =
    target?.kind === 'area'
      ? t('masterData.warehouse.newAreaIn', { name: target.warehouse.name })
      : target?.kind === 'location'
        ? t('masterData.warehouse.newLocationIn', { name: target.area.name })
        : t('masterData.warehouse.newWarehouse');
  const required = { required: true, whitespace: true, message: t('masterData.form.required') };
  return (
    <Modal
      open={target !== null}
      title={title}
      okText={t('masterData.warehouse.create')}
      cancelText={t('masterData.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        name="warehouse-form"
        layout="vertical"
        requiredMark={false}
        initialValues={{ zone: 'quarantine', storage: 'normal' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label={t('masterData.warehouse.code')}
          name="code"
          extra={t('masterData.form.codeHelp')}
          rules={[required, { pattern: CODE, message: t('masterData.issues.code') }]}
        >
          <Input autoComplete="off" spellCheck={false} />
        </Form.Item>
        {target?.kind !== 'location' && (
          <Form.Item
            label={t('masterData.warehouse.name')}
            name="name"
            rules={[required, { max: target?.kind === 'area' ? 60 : 120 }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        {target?.kind === 'warehouse' && (
          <>
            <Form.Item
              label={t('masterData.warehouse.site')}
              name="site"
              extra={t('masterData.warehouse.siteHelp')}
              rules={[required, { pattern: SITE, message: t('masterData.warehouse.siteFormat') }]}
            >
              <Input autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Form.Item label={t('masterData.warehouse.address')} name="address" rules={[required, { max: 200 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </>
        )}
        {target?.kind === 'area' && (
          <>
            <Form.Item label={t('masterData.warehouse.zone')} name="zone" extra={t('masterData.warehouse.zoneHelp')}>
              <Select
                options={GSP_ZONES.map((z) => ({ value: z, label: <ZoneTag zone={z} /> }))}
                aria-label={t('masterData.warehouse.zone')}
              />
            </Form.Item>
            <Form.Item label={t('masterData.warehouse.storage')} name="storage">
              <Select
                options={STORAGE_CONDITIONS.map((s) => ({ value: s, label: t(`masterData.storage.${s}`) }))}
                aria-label={t('masterData.warehouse.storage')}
              />
            </Form.Item>
          </>
        )}
        {save.isError && !(save.error instanceof ApiError && save.error.code === 'validation_failed') && (
          <ApiErrorAlert error={save.error} />
        )}
      </Form>
    </Modal>
  );
}

/** `/master-data/warehouses`: warehouses of my sites, their GSP colour zones and locations. */
export function WarehousesPage() {
  const { t } = useTranslation();
  const storageLabel = useStorageLabel();
  const { permissions } = useCurrentSession();
  const canManage = permissions.includes(MD_WAREHOUSE_PERMISSION);
  const warehouses = useWarehouses();
  const [target, setTarget] = useState<Target | null>(null);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap className="ml-full-width ml-title-row">
        <Typography.Title level={2} className="ml-title-inline">
          {t('masterData.warehouse.title')}
        </Typography.Title>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setTarget({ kind: 'warehouse' })}>
            {t('masterData.warehouse.newWarehouse')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('masterData.warehouse.intro')}</Typography.Paragraph>
      {warehouses.isError && <ApiErrorAlert error={warehouses.error} />}
      {warehouses.isPending && <Skeleton active />}
      {warehouses.data?.warehouses.length === 0 && <Empty description={t('masterData.warehouse.empty')} />}
      {warehouses.data?.warehouses.map((w) => (
        <Card
          key={w.id}
          title={`${w.code} · ${w.name}`}
          extra={
            <Space wrap>
              <Tag>{t('masterData.warehouse.siteTag', { site: w.site })}</Tag>
              {canManage && (
                <Button
                  size="small"
                  icon={<PlusOutlined aria-hidden />}
                  onClick={() => setTarget({ kind: 'area', warehouse: w })}
                >
                  {t('masterData.warehouse.newArea')}
                </Button>
              )}
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">{w.address}</Typography.Paragraph>
          <Table<Area>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={w.areas}
            locale={{ emptyText: t('masterData.warehouse.noAreas') }}
            columns={[
              { title: t('masterData.warehouse.code'), dataIndex: 'code' },
              { title: t('masterData.warehouse.name'), dataIndex: 'name' },
              {
                title: t('masterData.warehouse.zone'),
                key: 'zone',
                render: (_: unknown, a) => <ZoneTag zone={a.zone} />,
              },
              {
                title: t('masterData.warehouse.storage'),
                key: 'storage',
                render: (_: unknown, a) => storageLabel(a.storage),
              },
              {
                title: t('masterData.warehouse.locations'),
                key: 'locations',
                render: (_: unknown, a) => (
                  <Space size={[4, 4]} wrap>
                    {a.locations.map((l) => (
                      <Tag key={l.id} color={l.active ? undefined : 'default'}>
                        {l.code}
                      </Tag>
                    ))}
                    {canManage && (
                      <Button
                        size="small"
                        type="dashed"
                        icon={<PlusOutlined aria-hidden />}
                        aria-label={t('masterData.warehouse.newLocationIn', { name: a.name })}
                        onClick={() => setTarget({ kind: 'location', warehouse: w, area: a })}
                      >
                        {t('masterData.warehouse.newLocation')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      ))}
      <CreateModal target={target} onClose={() => setTarget(null)} />
    </Space>
  );
}
