import type { StocktakeLineView, StocktakeView } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { inventoryKey } from '../../api/inventory';
import { useProducts, useWarehouses } from '../../api/master-data';
import {
  addFoundStock,
  approveStocktake,
  countStocktakeLine,
  rejectStocktake,
  cancelStocktake,
  scanStocktake,
  STOCKTAKE_APPROVE_PERMISSION,
  STOCKTAKE_COUNT_PERMISSION,
  submitStocktake,
  useStocktake,
} from '../../api/stocktake';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ScannerInput } from '../../components/scanner-input';
import { SignatureDialog } from '../../components/signature-dialog';
import { ExpiryDate, GspErrorAlert } from '../gsp/gsp-format';
import { ReasonModal } from '../gsp/reason-modal';
import { StocktakeStatusTag } from './stocktakes-page';

/** The variance of a line: red for a loss, blue for a gain, green when the count matches the book. */
export function VarianceTag({ variance }: { variance: number | null }) {
  const { t } = useTranslation();
  if (variance === null) return <Tag data-variance="uncounted">{t('stocktake.uncounted')}</Tag>;
  if (variance === 0) {
    return (
      <Tag color="green" data-variance="0">
        0
      </Tag>
    );
  }
  return (
    <Tag color={variance < 0 ? 'red' : 'blue'} data-variance={variance}>
      {variance > 0 ? `+${variance}` : variance}
    </Tag>
  );
}

/** The counted quantity of a line, typed; saved when the field is left or Enter is pressed. */
function CountInput({ stocktakeId, line }: { stocktakeId: string; line: StocktakeLineView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<number | null>(line.countedQuantity);
  const save = useMutation({
    mutationFn: (n: number) => countStocktakeLine(stocktakeId, line.id, n),
    onSuccess: ({ stocktake }) => {
      queryClient.setQueryData([...inventoryKey, 'stocktake', stocktakeId], { stocktake });
    },
  });
  const commit = () => {
    if (value === null || (value === line.countedQuantity && !line.bookChanged)) return;
    save.mutate(value);
  };
  return (
    <Space orientation="vertical" size={0}>
      <InputNumber
        min={0}
        max={1_000_000}
        precision={0}
        value={value}
        status={save.isError ? 'error' : undefined}
        aria-label={t('stocktake.countFor', { line: line.lineNo })}
        onChange={(v) => setValue(typeof v === 'number' ? v : null)}
        onBlur={commit}
        onPressEnter={commit}
      />
      {save.isError && <GspErrorAlert error={save.error} />}
    </Space>
  );
}

interface FoundValues {
  productId?: string;
  lot?: string;
  serial?: string;
  expiryDate?: string;
  locationId?: string;
  countedQuantity?: number | null;
}

/** Stock found that is not on the book, typed (a product without a UDI or a label read by eye). */
function FoundForm({
  stocktake,
  locations,
}: {
  stocktake: StocktakeView;
  locations: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FoundValues>();
  const products = useProducts({ status: 'approved', page: 1, pageSize: 200 });
  const add = useMutation({
    mutationFn: (v: FoundValues) => {
      const serial = (v.serial ?? '').trim();
      const expiry = (v.expiryDate ?? '').trim();
      return addFoundStock(stocktake.id, {
        productId: v.productId ?? '',
        lot: (v.lot ?? '').trim(),
        serial: serial === '' ? null : serial,
        expiryDate: expiry === '' ? null : expiry,
        locationId: v.locationId ?? '',
        countedQuantity: v.countedQuantity ?? 0,
      });
    },
    onSuccess: ({ stocktake: next }) => {
      queryClient.setQueryData([...inventoryKey, 'stocktake', stocktake.id], { stocktake: next });
      form.resetFields();
    },
  });
  const required = { required: true, message: t('gsp.common.required') };
  return (
    <>
      <Form<FoundValues> form={form} name="found" layout="inline" requiredMark={false} onFinish={(v) => add.mutate(v)}>
        <Form.Item label={t('gsp.common.product')} name="productId" rules={[required]}>
          <Select
            showSearch
            optionFilterProp="label"
            className="ml-select-wide"
            aria-label={t('gsp.common.product')}
            options={(products.data?.products ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
          />
        </Form.Item>
        <Form.Item label={t('stocktake.lot')} name="lot" rules={[required, { max: 40 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('stocktake.serial')} name="serial" rules={[{ max: 40 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('stocktake.expiry')}
          name="expiryDate"
          rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('stocktake.dateFormat') }]}
        >
          <Input autoComplete="off" placeholder="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item label={t('stocktake.location')} name="locationId" rules={[required]}>
          <Select className="ml-select-status" aria-label={t('stocktake.foundLocation')} options={locations} />
        </Form.Item>
        <Form.Item label={t('stocktake.counted')} name="countedQuantity" rules={[required]}>
          <InputNumber min={1} max={1_000_000} precision={0} aria-label={t('stocktake.foundQuantity')} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={add.isPending}>
            {t('stocktake.addFound')}
          </Button>
        </Form.Item>
      </Form>
      {add.isError && <GspErrorAlert error={add.error} />}
    </>
  );
}

/** `/inventory/stocktakes/:id`: count by scanning or typing, the variance table, submit, and QA's decision. */
export function StocktakePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const query = useStocktake(id);
  const warehouses = useWarehouses();
  const [locationId, setLocationId] = useState<string | undefined>();
  const [signing, setSigning] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [note, setNote] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: inventoryKey });
  const submit = useMutation({ mutationFn: () => submitStocktake(id), onSuccess: refresh });

  if (query.isError) return <GspErrorAlert error={query.error} />;
  const st = query.data?.stocktake;
  if (st === undefined) return <Card loading />;
  const canCount = st.status === 'counting' && permissions.includes(STOCKTAKE_COUNT_PERMISSION);
  const canDecide = st.status === 'submitted' && permissions.includes(STOCKTAKE_APPROVE_PERMISSION);
  const warehouse = (warehouses.data?.warehouses ?? []).find((w) => w.id === st.warehouseId);
  const locations = (warehouse?.areas ?? [])
    .filter((a) => st.areaId === null || a.id === st.areaId)
    .flatMap((a) => a.locations.filter((l) => l.active).map((l) => ({ value: l.id, label: `${a.code} / ${l.code}` })));

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Link to="/inventory/stocktakes">{t('gsp.common.back')}</Link>
      <Typography.Title level={2}>
        {t('stocktake.title', { number: st.number })} <StocktakeStatusTag status={st.status} />
      </Typography.Title>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('stocktake.scope')}>
          {`${st.warehouseCode}${st.areaCode === null ? ` (${t('stocktake.wholeWarehouse')})` : ` / ${st.areaCode}`}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('stocktake.opened')}>
          {`${st.opened.name} · ${formatLocalTime(st.opened.at, i18n.language, 'short')}`}
        </Descriptions.Item>
        {st.submitted !== null && (
          <Descriptions.Item label={t('stocktake.submitted')}>
            {`${st.submitted.name} · ${formatLocalTime(st.submitted.at, i18n.language, 'short')}`}
          </Descriptions.Item>
        )}
        {st.approved !== null && (
          <Descriptions.Item label={t('stocktake.approved')}>
            <Space>
              {`${st.approved.name} · ${formatLocalTime(st.approved.at, i18n.language, 'short')}`}
              <Tag color={st.approved.signatureValid ? 'green' : 'red'} data-testid="signature-state">
                {st.approved.signatureValid ? t('stocktake.signatureValid') : t('stocktake.signatureInvalid')}
              </Tag>
            </Space>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('stocktake.totals')}>{t('stocktake.totalsText', st.totals)}</Descriptions.Item>
      </Descriptions>
      {st.cancelled !== null && (
        <Alert
          type="info"
          showIcon
          data-testid="stocktake-cancelled"
          title={t('stocktake.cancelledTitle', { name: st.cancelled.name })}
          description={st.cancelled.reason}
        />
      )}
      {st.rejected !== null && st.status === 'counting' && (
        <Alert
          type="warning"
          showIcon
          title={t('stocktake.rejectedTitle', { name: st.rejected.name })}
          description={st.rejected.reason}
        />
      )}
      {st.totals.changed > 0 && st.status !== 'approved' && st.status !== 'cancelled' && (
        <Alert type="error" showIcon data-testid="book-changed" title={t('stocktake.changedWarning', st.totals)} />
      )}
      {canCount && (
        <Card title={t('stocktake.scanTitle')}>
          <Select
            className="ml-select-wide ml-toolbar"
            placeholder={t('stocktake.scanLocation')}
            aria-label={t('stocktake.scanLocation')}
            options={locations}
            value={locationId}
            onChange={(v: string) => setLocationId(v)}
          />
          <ScannerInput
            label={t('stocktake.scanLabel')}
            maxBatch={500}
            disabled={locationId === undefined}
            onSubmit={(scans) => scanStocktake(st.id, locationId ?? '', scans)}
            onSubmitted={(answer) => {
              queryClient.setQueryData([...inventoryKey, 'stocktake', st.id], answer);
            }}
          />
        </Card>
      )}
      <Card title={t('stocktake.linesTitle')}>
        <Table<StocktakeLineView>
          rowKey="id"
          size="small"
          dataSource={st.lines}
          locale={{ emptyText: t('stocktake.noLines') }}
          pagination={{ pageSize: 100, hideOnSinglePage: true }}
          columns={[
            { title: '#', dataIndex: 'lineNo' },
            {
              title: t('gsp.common.product'),
              key: 'product',
              render: (_: unknown, l) => `${l.productCode} ${l.productName}`,
            },
            {
              title: t('stocktake.lot'),
              key: 'lot',
              render: (_: unknown, l) => (
                <Space size={4}>
                  <span>{l.serial === null ? l.lot : `${l.lot} / ${l.serial}`}</span>
                  {!l.onBook && <Tag color="purple">{t('stocktake.found')}</Tag>}
                  {l.held && <Tag color="purple">{t('stocktake.held')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('stocktake.expiry'),
              key: 'expiry',
              render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} />,
            },
            { title: t('stocktake.location'), dataIndex: 'locationCode' },
            { title: t('stocktake.zone'), key: 'zone', render: (_: unknown, l) => t(`masterData.zones.${l.zone}`) },
            { title: t('stocktake.book'), dataIndex: 'bookQuantity' },
            {
              title: t('stocktake.counted'),
              key: 'counted',
              render: (_: unknown, l) =>
                canCount ? (
                  <CountInput
                    key={`${l.id}-${l.countedQuantity ?? ''}-${l.bookQuantity}`}
                    stocktakeId={st.id}
                    line={l}
                  />
                ) : (
                  (l.countedQuantity ?? '')
                ),
            },
            {
              title: t('stocktake.variance'),
              key: 'variance',
              render: (_: unknown, l) => (
                <Space size={4}>
                  <VarianceTag variance={l.variance} />
                  {l.bookChanged && (
                    <Tag color="orange" data-testid="line-changed">
                      {t('stocktake.bookChanged')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t('stocktake.countedBy'), key: 'by', render: (_: unknown, l) => l.countedByName ?? '' },
          ]}
        />
        {canCount && (
          <Space orientation="vertical" className="ml-form-top ml-full-width">
            <Typography.Text strong>{t('stocktake.foundTitle')}</Typography.Text>
            <FoundForm stocktake={st} locations={locations} />
            <Space>
              <Button type="primary" loading={submit.isPending} onClick={() => submit.mutate()}>
                {t('stocktake.submit')}
              </Button>
              <Button danger onClick={() => setCancelling(true)}>
                {t('stocktake.cancel')}
              </Button>
            </Space>
            {submit.isError && <GspErrorAlert error={submit.error} />}
          </Space>
        )}
      </Card>
      {canDecide && (
        <Card title={t('stocktake.decisionTitle')}>
          <Typography.Paragraph type="secondary">{t('stocktake.decisionIntro')}</Typography.Paragraph>
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={note}
            aria-label={t('gsp.common.note')}
            placeholder={t('gsp.common.note')}
            onChange={(e) => setNote(e.target.value)}
          />
          <Space className="ml-form-top">
            <Button type="primary" onClick={() => setSigning(true)}>
              {t('stocktake.approve')}
            </Button>
            <Button danger onClick={() => setRejecting(true)}>
              {t('stocktake.reject')}
            </Button>
          </Space>
        </Card>
      )}
      <SignatureDialog
        renderError={(e) => <GspErrorAlert error={e} />}
        open={signing}
        title={t('stocktake.signTitle')}
        meaning={<Alert type="info" title={t('stocktake.meaning', { number: st.number, ...st.totals })} />}
        confirmLabel={t('stocktake.signConfirm')}
        onSign={(code) => {
          const trimmed = note.trim();
          return approveStocktake(st.id, { ...(trimmed === '' ? {} : { note: trimmed }), code });
        }}
        onSigned={() => {
          setSigning(false);
          void refresh();
        }}
        onCancel={() => setSigning(false)}
      />
      <ReasonModal
        open={cancelling}
        title={t('stocktake.cancelTitle')}
        intro={t('stocktake.cancelIntro')}
        okText={t('stocktake.cancelOk')}
        onConfirm={(reason) => cancelStocktake(st.id, reason)}
        onDone={() => {
          setCancelling(false);
          void refresh();
        }}
        onCancel={() => setCancelling(false)}
      />
      <ReasonModal
        open={rejecting}
        title={t('stocktake.rejectTitle')}
        intro={t('stocktake.rejectIntro')}
        okText={t('stocktake.reject')}
        onConfirm={(reason) => rejectStocktake(st.id, reason)}
        onDone={() => {
          setRejecting(false);
          void refresh();
        }}
        onCancel={() => setRejecting(false)}
      />
    </Space>
  );
}
