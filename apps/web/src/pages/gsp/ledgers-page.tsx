import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import {
  LEDGER_EXPORT_MAX_ROWS,
  LEDGER_KINDS,
  LEDGER_VIEW_MAX_ROWS,
  LEDGERS,
  ledgerValueLabel,
  type LedgerColumn,
  type LedgerExportFormat,
  type LedgerKind,
} from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Space, Table, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { downloadLedger, useLedgerRows, type LedgerFilters, type LedgerRow } from '../../api/ledgers';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert } from './gsp-format';
import { PartySelect, ProductSelect, WarehouseSelect } from './pickers';

/** Ledger rows have no id of their own: their position keys them. */
const ROW_KEY = '__row';

type FormValues = {
  from?: Dayjs | null;
  to?: Dayjs | null;
  productId?: string;
  lot?: string;
  partyId?: string;
  warehouseId?: string;
};

/** A cell as shown: codes through their bilingual label, money in yuan, empty as a dash. */
function cellText(column: LedgerColumn, value: LedgerRow[string] | undefined, english: boolean): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return column.type === 'money' ? (value / 100).toFixed(2) : String(value);
  if (column.coded === true) return ledgerValueLabel(value, english ? 'en' : 'zh') ?? value;
  return value;
}

function LedgerTab({ kind }: { kind: LedgerKind }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const english = i18n.language === 'en';
  const def = LEDGERS[kind];
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<LedgerFilters>({});
  const rows = useLedgerRows(kind, filters);
  const download = useMutation({
    mutationFn: (format: LedgerExportFormat) => downloadLedger(kind, format, filters),
    onSuccess: () => void message.success(t('ledgers.page.exported', { name: english ? def.en : def.zh })),
  });
  const apply = (v: FormValues) =>
    setFilters({
      from: v.from?.format('YYYY-MM-DD'),
      to: v.to?.format('YYYY-MM-DD'),
      productId: def.filters.includes('product') ? v.productId : undefined,
      lot: def.filters.includes('lot') ? v.lot?.trim() || undefined : undefined,
      partyId: def.filters.includes('party') ? v.partyId : undefined,
      warehouseId: def.filters.includes('warehouse') ? v.warehouseId : undefined,
    });

  return (
    <Space orientation="vertical" size="middle" className="ml-page-stack">
      <Typography.Text type="secondary">{t('ledgers.page.basis', { basis: def.basis })}</Typography.Text>
      <Form<FormValues> form={form} layout="inline" onFinish={apply} className="ml-toolbar">
        <Form.Item name="from" label={t('ledgers.page.from')}>
          <DatePicker format="YYYY-MM-DD" aria-label={t('ledgers.page.from')} />
        </Form.Item>
        <Form.Item name="to" label={t('ledgers.page.to')}>
          <DatePicker format="YYYY-MM-DD" aria-label={t('ledgers.page.to')} />
        </Form.Item>
        {def.filters.includes('product') && (
          <Form.Item name="productId">
            <ProductSelect allowClear aria-label={t('ledgers.page.product')} placeholder={t('ledgers.page.product')} />
          </Form.Item>
        )}
        {def.filters.includes('lot') && (
          <Form.Item name="lot">
            <Input allowClear aria-label={t('ledgers.page.lot')} placeholder={t('ledgers.page.lot')} maxLength={40} />
          </Form.Item>
        )}
        {def.filters.includes('party') && def.party !== undefined && (
          <Form.Item name="partyId">
            <PartySelect
              role={def.party}
              allowClear
              aria-label={t(def.party === 'supplier' ? 'ledgers.page.supplier' : 'ledgers.page.customer')}
              placeholder={t(def.party === 'supplier' ? 'ledgers.page.supplier' : 'ledgers.page.customer')}
            />
          </Form.Item>
        )}
        {def.filters.includes('warehouse') && (
          <Form.Item name="warehouseId">
            <WarehouseSelect
              allowClear
              aria-label={t('ledgers.page.warehouse')}
              placeholder={t('ledgers.page.warehouse')}
            />
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('ledgers.page.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setFilters({});
            }}
          >
            {t('ledgers.page.reset')}
          </Button>
          <Button
            icon={<DownloadOutlined aria-hidden />}
            loading={download.isPending && download.variables === 'xlsx'}
            disabled={download.isPending}
            onClick={() => download.mutate('xlsx')}
          >
            {t('ledgers.page.exportXlsx')}
          </Button>
          <Button
            icon={<FilePdfOutlined aria-hidden />}
            loading={download.isPending && download.variables === 'pdf'}
            disabled={download.isPending}
            onClick={() => download.mutate('pdf')}
          >
            {t('ledgers.page.exportPdf')}
          </Button>
        </Space>
      </Form>
      {download.isError && <GspErrorAlert error={download.error} />}
      {rows.data?.truncated === true && (
        <Alert
          type="warning"
          showIcon
          title={t('ledgers.page.truncated', { count: LEDGER_VIEW_MAX_ROWS, max: LEDGER_EXPORT_MAX_ROWS })}
        />
      )}
      {rows.isError ? (
        <GspErrorAlert error={rows.error} />
      ) : (
        <Table<LedgerRow>
          rowKey={(r) => String(r[ROW_KEY])}
          size="small"
          loading={rows.isPending || rows.isFetching}
          dataSource={(rows.data?.rows ?? []).map((r, i) => ({ ...r, [ROW_KEY]: i }))}
          locale={{ emptyText: t('ledgers.page.empty') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          columns={def.columns.map((c) => ({
            key: c.key,
            title: english ? c.en : c.zh,
            className: c.type === undefined ? undefined : 'ml-amount',
            render: (_: unknown, r: LedgerRow) => cellText(c, r[c.key], english),
          }))}
        />
      )}
    </Space>
  );
}

/** `/gsp/ledgers`: one tab per GSP ledger the user may read, with filters and xlsx / PDF export. */
export function LedgersPage() {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const visible = LEDGER_KINDS.filter((k) => permissions.includes(LEDGERS[k].permission));
  const asked = params.get('ledger');
  const active = visible.find((k) => k === asked) ?? visible[0];
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('ledgers.page.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('ledgers.page.intro')}</Typography.Paragraph>
        {active === undefined ? (
          <Alert type="info" showIcon title={t('ledgers.page.noLedgers')} />
        ) : (
          <Tabs
            activeKey={active}
            onChange={(key) => setParams({ ledger: key }, { replace: true })}
            destroyOnHidden
            items={visible.map((k) => ({
              key: k,
              label: i18n.language === 'en' ? LEDGERS[k].en : LEDGERS[k].zh,
              children: <LedgerTab kind={k} />,
            }))}
          />
        )}
      </Card>
    </Space>
  );
}
