import type { StockRow, SupplierReturnSummary, TransportInput } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  SUPPLIER_RETURN_CREATE_PERMISSION,
  createSupplierReturn,
  useSupplierReturn,
  useSupplierReturns,
} from '../../api/ledgers';
import { inventoryKey } from '../../api/inventory';
import { salesKey } from '../../api/sales';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert } from '../gsp/gsp-format';
import { PartySelect, WarehouseSelect } from '../gsp/pickers';
import { StockItemsPicker, itemsOf, type ItemQuantities } from './stock-items';
import { StockDocLines } from './stock-doc-lines';

type FormValues = {
  supplierId: string;
  reason: string;
  mode: TransportInput['mode'];
  carrier?: string;
  waybillNo?: string;
  vehiclePlate?: string;
  driver?: string;
};

function NewSupplierReturnDrawer({ open, onClose }: { open: boolean; onClose: (number?: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const mode = Form.useWatch('mode', form);
  const [warehouseId, setWarehouseId] = useState<string>();
  const [quantities, setQuantities] = useState<ItemQuantities>({});
  const [rows, setRows] = useState<StockRow[]>([]);
  const [noItems, setNoItems] = useState(false);
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      createSupplierReturn({
        supplierId: v.supplierId,
        reason: v.reason.trim(),
        transport:
          v.mode === 'carrier'
            ? { mode: 'carrier', carrier: v.carrier?.trim() ?? '', waybillNo: v.waybillNo?.trim() ?? '' }
            : { mode: 'own_fleet', vehiclePlate: v.vehiclePlate?.trim() ?? '', driver: v.driver?.trim() ?? '' },
        items: itemsOf(rows, quantities),
      }),
    onSuccess: ({ supplierReturn }) => {
      void queryClient.invalidateQueries({ queryKey: salesKey });
      void queryClient.invalidateQueries({ queryKey: inventoryKey });
      form.resetFields();
      setQuantities({});
      setWarehouseId(undefined);
      onClose(supplierReturn.returnNo);
    },
  });
  return (
    <Drawer
      open={open}
      size="large"
      title={t('ledgers.supplierReturns.create')}
      onClose={() => onClose()}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ mode: 'carrier' }}
        onFinish={(v) => {
          const none = itemsOf(rows, quantities).length === 0;
          setNoItems(none);
          if (!none) save.mutate(v);
        }}
      >
        <Form.Item
          name="supplierId"
          label={t('ledgers.supplierReturns.supplier')}
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <PartySelect role="supplier" aria-label={t('ledgers.supplierReturns.supplier')} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('ledgers.lists.reason')}
          rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
        >
          <Input.TextArea maxLength={500} rows={2} aria-label={t('ledgers.lists.reason')} />
        </Form.Item>
        <Form.Item name="mode" label={t('ledgers.supplierReturns.mode')}>
          <Radio.Group
            options={(['carrier', 'own_fleet'] as const).map((m) => ({
              value: m,
              label: t(`ledgers.supplierReturns.modes.${m}`),
            }))}
          />
        </Form.Item>
        {mode === 'own_fleet' ? (
          <Space wrap>
            <Form.Item
              name="vehiclePlate"
              label={t('ledgers.supplierReturns.vehiclePlate')}
              rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
            >
              <Input maxLength={20} aria-label={t('ledgers.supplierReturns.vehiclePlate')} />
            </Form.Item>
            <Form.Item
              name="driver"
              label={t('ledgers.supplierReturns.driver')}
              rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
            >
              <Input maxLength={60} aria-label={t('ledgers.supplierReturns.driver')} />
            </Form.Item>
          </Space>
        ) : (
          <Space wrap>
            <Form.Item
              name="carrier"
              label={t('ledgers.supplierReturns.carrier')}
              rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
            >
              <Input maxLength={120} aria-label={t('ledgers.supplierReturns.carrier')} />
            </Form.Item>
            <Form.Item
              name="waybillNo"
              label={t('ledgers.supplierReturns.waybillNo')}
              rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
            >
              <Input maxLength={64} aria-label={t('ledgers.supplierReturns.waybillNo')} />
            </Form.Item>
          </Space>
        )}
        <Typography.Title level={5}>{t('ledgers.supplierReturns.items')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('ledgers.supplierReturns.itemsIntro')}</Typography.Paragraph>
        <StockItemsPicker
          warehouseId={warehouseId}
          onWarehouse={setWarehouseId}
          zones={['qualified', 'nonconforming']}
          quantities={quantities}
          onQuantities={setQuantities}
          onRows={setRows}
        />
        {noItems && (
          <Alert className="ml-form-notice" type="error" showIcon title={t('ledgers.supplierReturns.noItems')} />
        )}
        {save.isError && <GspErrorAlert error={save.error} />}
        <Space className="ml-form-notice">
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('gsp.common.submit')}
          </Button>
          <Button onClick={() => onClose()}>{t('gsp.common.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

function SupplierReturnDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const doc = useSupplierReturn(id);
  const r = doc.data?.supplierReturn;
  return (
    <Drawer
      open={id !== null}
      size="large"
      title={r ? t('ledgers.supplierReturns.detail', { number: r.returnNo }) : ''}
      onClose={onClose}
      destroyOnHidden
    >
      {doc.isError && <GspErrorAlert error={doc.error} />}
      {r && (
        <Space orientation="vertical" className="ml-page-stack">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              {
                key: 's',
                label: t('ledgers.supplierReturns.supplier'),
                children: `${r.supplier.code} ${r.supplier.name}`,
              },
              { key: 'w', label: t('ledgers.lists.warehouse'), children: r.warehouseCode },
              { key: 'd', label: t('ledgers.supplierReturns.date'), children: r.returnDate },
              { key: 'r', label: t('ledgers.lists.reason'), children: r.reason },
              {
                key: 'm',
                label: t('ledgers.supplierReturns.mode'),
                children:
                  r.transport.mode === 'carrier'
                    ? `${t('ledgers.supplierReturns.modes.carrier')} ${r.transport.carrier ?? ''} ${r.transport.waybillNo ?? ''}`
                    : `${t('ledgers.supplierReturns.modes.own_fleet')} ${r.transport.vehiclePlate ?? ''} ${r.transport.driver ?? ''}`,
              },
              { key: 'b', label: t('ledgers.supplierReturns.returnedBy'), children: r.returnedByName },
            ]}
          />
          <StockDocLines lines={r.lines} />
        </Space>
      )}
    </Drawer>
  );
}

/** `/sales/supplier-returns`: returns to suppliers (list, new, view). */
export function SupplierReturnsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<{
    from?: string | undefined;
    to?: string | undefined;
    warehouseId?: string | undefined;
    supplierId?: string | undefined;
    page: number;
  }>({ page: 1 });
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const list = useSupplierReturns({ ...filters, pageSize: 50 });
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('ledgers.supplierReturns.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('ledgers.supplierReturns.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <DatePicker.RangePicker
            aria-label={t('ledgers.supplierReturns.date')}
            onChange={(range) =>
              setFilters({
                ...filters,
                page: 1,
                from: range?.[0]?.format('YYYY-MM-DD'),
                to: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
          />
          <PartySelect
            role="supplier"
            allowClear
            aria-label={t('ledgers.supplierReturns.supplier')}
            placeholder={t('ledgers.supplierReturns.supplier')}
            value={filters.supplierId}
            onChange={(supplierId) => setFilters({ ...filters, page: 1, supplierId })}
          />
          <WarehouseSelect
            allowClear
            aria-label={t('ledgers.lists.warehouse')}
            placeholder={t('ledgers.lists.warehouse')}
            value={filters.warehouseId}
            onChange={(warehouseId) => setFilters({ ...filters, page: 1, warehouseId })}
          />
          {permissions.includes(SUPPLIER_RETURN_CREATE_PERMISSION) && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('ledgers.supplierReturns.create')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<SupplierReturnSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.supplierReturns ?? []}
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
              { title: t('ledgers.supplierReturns.date'), dataIndex: 'returnDate' },
              { title: t('ledgers.supplierReturns.supplier'), dataIndex: 'supplierName' },
              { title: t('ledgers.lists.warehouse'), dataIndex: 'warehouseCode' },
              { title: t('ledgers.lists.reason'), dataIndex: 'reason' },
              {
                title: t('ledgers.supplierReturns.mode'),
                key: 'mode',
                render: (_: unknown, r) => t(`ledgers.supplierReturns.modes.${r.mode}`),
              },
              { title: t('ledgers.lists.units'), dataIndex: 'units', className: 'ml-amount' },
              { title: t('ledgers.supplierReturns.returnedBy'), dataIndex: 'returnedByName' },
              {
                title: '',
                key: 'open',
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => setViewing(r.id)}>
                    {t('ledgers.lists.view')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <NewSupplierReturnDrawer
        open={creating}
        onClose={(number) => {
          setCreating(false);
          if (number !== undefined) void message.success(t('ledgers.supplierReturns.created', { number }));
        }}
      />
      <SupplierReturnDrawer id={viewing} onClose={() => setViewing(null)} />
    </Space>
  );
}
