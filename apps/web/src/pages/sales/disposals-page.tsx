import type { DisposalSummary, StockRow } from '@medledger/contract';
import { useQueryClient } from '@tanstack/react-query';
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
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPOSAL_CREATE_PERMISSION, createDisposal, useDisposal, useDisposals } from '../../api/ledgers';
import { inventoryKey } from '../../api/inventory';
import { salesKey } from '../../api/sales';
import { useCurrentSession } from '../../app/session';
import { SignatureDialog } from '../../components/signature-dialog';
import { GspErrorAlert } from '../gsp/gsp-format';
import { WarehouseSelect } from '../gsp/pickers';
import { StockDocLines } from './stock-doc-lines';
import { StockItemsPicker, itemsOf, type ItemQuantities } from './stock-items';

type FormValues = { method: string; reason: string; witnesses: string };

const witnessList = (text: string | undefined) =>
  (text ?? '')
    .split(/[,，、;；\n]/)
    .map((w) => w.trim())
    .filter((w) => w !== '');

function NewDisposalDrawer({ open, onClose }: { open: boolean; onClose: (number?: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [warehouseId, setWarehouseId] = useState<string>();
  const [quantities, setQuantities] = useState<ItemQuantities>({});
  const [rows, setRows] = useState<StockRow[]>([]);
  const [noItems, setNoItems] = useState(false);
  const [signing, setSigning] = useState<FormValues | null>(null);
  const items = itemsOf(rows, quantities);
  const units = items.reduce((n, i) => n + i.quantity, 0);
  return (
    <Drawer open={open} size="large" title={t('ledgers.disposals.create')} onClose={() => onClose()} destroyOnHidden>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setNoItems(items.length === 0);
          if (items.length > 0) setSigning(v);
        }}
      >
        <Form.Item
          name="method"
          label={t('ledgers.disposals.method')}
          rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
        >
          <Input maxLength={200} aria-label={t('ledgers.disposals.method')} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('ledgers.disposals.reason')}
          rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
        >
          <Input.TextArea maxLength={500} rows={2} aria-label={t('ledgers.disposals.reason')} />
        </Form.Item>
        <Form.Item
          name="witnesses"
          label={t('ledgers.disposals.witnesses')}
          rules={[
            {
              validator: (_r, value: string | undefined) =>
                witnessList(value).length >= 2
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('ledgers.disposals.witnessesMin'))),
            },
          ]}
        >
          <Input maxLength={400} aria-label={t('ledgers.disposals.witnesses')} />
        </Form.Item>
        <Typography.Title level={5}>{t('ledgers.disposals.items')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('ledgers.disposals.itemsIntro')}</Typography.Paragraph>
        <StockItemsPicker
          warehouseId={warehouseId}
          onWarehouse={setWarehouseId}
          zones={['nonconforming']}
          quantities={quantities}
          onQuantities={setQuantities}
          onRows={setRows}
        />
        {noItems && (
          <Alert className="ml-form-notice" type="error" showIcon title={t('ledgers.supplierReturns.noItems')} />
        )}
        <Space className="ml-form-notice">
          <Button type="primary" htmlType="submit">
            {t('ledgers.disposals.confirm')}
          </Button>
          <Button onClick={() => onClose()}>{t('gsp.common.cancel')}</Button>
        </Space>
      </Form>
      <SignatureDialog
        open={signing !== null}
        title={t('ledgers.disposals.signTitle')}
        renderError={(e) => <GspErrorAlert error={e} />}
        meaning={<Alert type="warning" title={t('ledgers.disposals.meaning', { units })} />}
        confirmLabel={t('ledgers.disposals.confirm')}
        onSign={(code) =>
          createDisposal({
            method: signing?.method.trim() ?? '',
            reason: signing?.reason.trim() ?? '',
            witnesses: witnessList(signing?.witnesses),
            items,
            ...(code === undefined ? {} : { code }),
          }).then(({ disposal }) => {
            void queryClient.invalidateQueries({ queryKey: salesKey });
            void queryClient.invalidateQueries({ queryKey: inventoryKey });
            form.resetFields();
            setQuantities({});
            setWarehouseId(undefined);
            setSigning(null);
            onClose(disposal.disposalNo);
          })
        }
        onSigned={() => setSigning(null)}
        onCancel={() => setSigning(null)}
      />
    </Drawer>
  );
}

function DisposalDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const doc = useDisposal(id);
  const d = doc.data?.disposal;
  return (
    <Drawer
      open={id !== null}
      size="large"
      title={d ? t('ledgers.disposals.detail', { number: d.disposalNo }) : ''}
      onClose={onClose}
      destroyOnHidden
    >
      {doc.isError && <GspErrorAlert error={doc.error} />}
      {d && (
        <Space orientation="vertical" className="ml-page-stack">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'w', label: t('ledgers.lists.warehouse'), children: d.warehouseCode },
              { key: 'd', label: t('ledgers.disposals.date'), children: d.disposalDate },
              { key: 'm', label: t('ledgers.disposals.method'), children: d.method },
              { key: 'r', label: t('ledgers.disposals.reason'), children: d.reason },
              { key: 'x', label: t('ledgers.disposals.witnesses'), children: d.witnesses.join('、') },
              { key: 's', label: t('ledgers.disposals.signer'), children: d.signerName },
            ]}
          />
          <StockDocLines lines={d.lines} />
        </Space>
      )}
    </Drawer>
  );
}

/** `/sales/disposals`: destruction records of nonconforming stock (list, new with a signature, view). */
export function DisposalsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<{
    from?: string | undefined;
    to?: string | undefined;
    warehouseId?: string | undefined;
    page: number;
  }>({ page: 1 });
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const list = useDisposals({ ...filters, pageSize: 50 });
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('ledgers.disposals.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('ledgers.disposals.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <DatePicker.RangePicker
            aria-label={t('ledgers.disposals.date')}
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
          {permissions.includes(DISPOSAL_CREATE_PERMISSION) && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('ledgers.disposals.create')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <GspErrorAlert error={list.error} />
        ) : (
          <Table<DisposalSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.disposals ?? []}
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
              { title: t('ledgers.disposals.number'), dataIndex: 'disposalNo' },
              { title: t('ledgers.disposals.date'), dataIndex: 'disposalDate' },
              { title: t('ledgers.lists.warehouse'), dataIndex: 'warehouseCode' },
              { title: t('ledgers.disposals.method'), dataIndex: 'method' },
              { title: t('ledgers.disposals.reason'), dataIndex: 'reason' },
              { title: t('ledgers.lists.units'), dataIndex: 'units', className: 'ml-amount' },
              { title: t('ledgers.disposals.signer'), dataIndex: 'signerName' },
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
      <NewDisposalDrawer
        open={creating}
        onClose={(number) => {
          setCreating(false);
          if (number !== undefined) void message.success(t('ledgers.disposals.created', { number }));
        }}
      />
      <DisposalDrawer id={viewing} onClose={() => setViewing(null)} />
    </Space>
  );
}
