import type { StocktakeStatus } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { inventoryKey } from '../../api/inventory';
import { useWarehouses } from '../../api/master-data';
import { openStocktake, STOCKTAKE_COUNT_PERMISSION, useStocktakes, type StocktakeSummary } from '../../api/stocktake';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert } from '../gsp/gsp-format';

const STATUS_COLOURS: Record<StocktakeStatus, string> = {
  counting: 'blue',
  submitted: 'orange',
  approved: 'green',
  cancelled: 'default',
};

/** The status of a stocktake as a coloured tag. */
export function StocktakeStatusTag({ status }: { status: StocktakeStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-status={status}>
      {t(`stocktake.status.${status}`)}
    </Tag>
  );
}

interface OpenValues {
  warehouseId?: string;
  areaId?: string;
  note?: string;
}

/** `/inventory/stocktakes`: stocktakes of my sites and, for keepers, opening a new one (GSP art. 77). */
export function StocktakesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const [status, setStatus] = useState<StocktakeStatus | undefined>();
  const [form] = Form.useForm<OpenValues>();
  const warehouseId = Form.useWatch('warehouseId', form);
  const list = useStocktakes({ status });
  const warehouses = useWarehouses();
  const areas = (warehouses.data?.warehouses ?? []).find((w) => w.id === warehouseId)?.areas ?? [];
  const open = useMutation({
    mutationFn: (v: OpenValues) => {
      const note = (v.note ?? '').trim();
      return openStocktake({
        warehouseId: v.warehouseId ?? '',
        ...(v.areaId === undefined ? {} : { areaId: v.areaId }),
        ...(note === '' ? {} : { note }),
      });
    },
    onSuccess: async ({ stocktake }) => {
      await queryClient.invalidateQueries({ queryKey: inventoryKey });
      void navigate(`/inventory/stocktakes/${stocktake.id}`);
    },
  });

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('stocktake.listTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('stocktake.intro')}</Typography.Paragraph>
      {permissions.includes(STOCKTAKE_COUNT_PERMISSION) && (
        <Card title={t('stocktake.open')}>
          <Form<OpenValues>
            form={form}
            name="open-stocktake"
            layout="inline"
            requiredMark={false}
            onFinish={(v) => open.mutate(v)}
          >
            <Form.Item
              label={t('stocktake.warehouse')}
              name="warehouseId"
              rules={[{ required: true, message: t('gsp.common.required') }]}
            >
              <Select
                className="ml-select-wide"
                aria-label={t('stocktake.warehouse')}
                loading={warehouses.isPending}
                options={(warehouses.data?.warehouses ?? []).map((w) => ({
                  value: w.id,
                  label: `${w.code} ${w.name}`,
                }))}
                onChange={() => form.setFieldValue('areaId', undefined)}
              />
            </Form.Item>
            <Form.Item label={t('stocktake.area')} name="areaId">
              <Select
                allowClear
                className="ml-select-wide"
                aria-label={t('stocktake.area')}
                placeholder={t('stocktake.wholeWarehouse')}
                options={areas.map((a) => ({ value: a.id, label: `${a.code} ${a.name}` }))}
              />
            </Form.Item>
            <Form.Item label={t('gsp.common.note')} name="note" rules={[{ max: 200 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={open.isPending}>
                {t('stocktake.openButton')}
              </Button>
            </Form.Item>
          </Form>
          {open.isError && <GspErrorAlert error={open.error} />}
        </Card>
      )}
      <Card>
        <Select
          allowClear
          className="ml-select-status ml-toolbar"
          placeholder={t('stocktake.statusFilter')}
          aria-label={t('stocktake.statusFilter')}
          options={(['counting', 'submitted', 'approved', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`stocktake.status.${s}`),
          }))}
          onChange={(v: StocktakeStatus | undefined) => setStatus(v)}
        />
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<StocktakeSummary>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={list.data?.stocktakes ?? []}
            locale={{ emptyText: t('stocktake.empty') }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              {
                title: t('stocktake.number'),
                key: 'number',
                render: (_: unknown, r) => <Link to={`/inventory/stocktakes/${r.id}`}>{r.number}</Link>,
              },
              {
                title: t('stocktake.scope'),
                key: 'scope',
                render: (_: unknown, r) => `${r.warehouseCode}${r.areaCode === null ? '' : ` / ${r.areaCode}`}`,
              },
              {
                title: t('gsp.common.status'),
                key: 'status',
                render: (_: unknown, r) => <StocktakeStatusTag status={r.status} />,
              },
              { title: t('stocktake.openedBy'), dataIndex: 'openedByName' },
              {
                title: t('stocktake.openedAt'),
                key: 'openedAt',
                render: (_: unknown, r) => formatLocalTime(r.openedAt, i18n.language, 'short'),
              },
              { title: t('stocktake.round'), dataIndex: 'round' },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
