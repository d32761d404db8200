import { REVIEW_REFUSAL_REASONS, type ReviewRefusalReason } from '@medledger/contract';
import { ArrowLeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  REVIEW_PERMISSION,
  concludeReview,
  postReviewScans,
  refuseReviewUnits,
  salesKey,
  useReviewProgress,
  useReviewRecord,
  useSalesOrder,
  type ReviewProgress,
  type ReviewRecord,
} from '../../api/sales';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ScannerInput } from '../../components/scanner-input';
import { SignatureDialog } from '../../components/signature-dialog';
import { ExpiryDate, GspErrorAlert } from '../gsp/gsp-format';

type Row = ReviewProgress['allocations'][number];
interface RefusalValues {
  quantity?: number | null;
  reason?: ReviewRefusalReason;
  note?: string;
}

const lotLabel = (r: { lot: string; serial: string | null }) => (r.serial === null ? r.lot : `${r.lot} / ${r.serial}`);

/** GSP art. 87: units that fail the review are refused, with the reason; they go to the nonconforming zone. */
function RefusalDialog({ orderId, row, onClose }: { orderId: string; row: Row | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RefusalValues>();
  const reason = Form.useWatch('reason', form);
  const refuse = useMutation({
    mutationFn: (v: RefusalValues) =>
      refuseReviewUnits(orderId, {
        allocationId: row?.allocationId ?? '',
        quantity: v.quantity ?? 0,
        reason: v.reason ?? 'other',
        note: (v.note ?? '').trim(),
      }),
    onSuccess: async (_, v) => {
      void message.success(t('gsp.review.refusedDone', { quantity: v.quantity ?? 0 }));
      form.resetFields();
      onClose();
      await queryClient.invalidateQueries({ queryKey: salesKey });
    },
  });
  return (
    <Modal
      open={row !== null}
      title={row === null ? '' : t('gsp.review.refuseTitle', { lot: lotLabel(row) })}
      okText={t('gsp.review.refuseConfirm')}
      okButtonProps={{ danger: true }}
      cancelText={t('gsp.common.cancel')}
      confirmLoading={refuse.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('gsp.review.refuseIntro')}</Typography.Paragraph>
      <Form<RefusalValues>
        form={form}
        name="review-refusal"
        layout="vertical"
        requiredMark={false}
        initialValues={{ quantity: 1 }}
        onFinish={(v) => refuse.mutate(v)}
      >
        <Form.Item
          label={t('gsp.review.refuseQuantity')}
          name="quantity"
          rules={[
            { required: true, message: t('gsp.common.required') },
            { type: 'integer', min: 1, max: row?.quantity ?? 1, message: t('gsp.common.integer') },
          ]}
        >
          <InputNumber min={1} max={row?.quantity ?? 1} precision={0} />
        </Form.Item>
        <Form.Item
          label={t('gsp.review.refuseReason')}
          name="reason"
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <Select
            aria-label={t('gsp.review.refuseReason')}
            options={REVIEW_REFUSAL_REASONS.map((r) => ({ value: r, label: t(`gsp.review.reasons.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('gsp.review.refuseNote')}
          name="note"
          rules={[
            { max: 500 },
            {
              validator: (_: unknown, v: string | undefined) =>
                reason !== 'other' || (v ?? '').trim().length >= 2
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('gsp.review.refuseNoteRequired'))),
            },
          ]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      {refuse.isError && <GspErrorAlert error={refuse.error} />}
    </Modal>
  );
}

/** The signed outbound review record (GSP art. 88). */
function ReviewRecordCard({ record }: { record: ReviewRecord }) {
  const { t, i18n } = useTranslation();
  type RecordLine = ReviewRecord['lines'][number];
  type Refusal = ReviewRecord['refusals'][number];
  return (
    <Card title={t('gsp.review.record')} data-testid="review-record">
      <Descriptions
        size="small"
        bordered
        className="ml-form-notice"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'buyer', label: t('gsp.review.buyer'), children: `${record.buyer.code} ${record.buyer.name}` },
          { key: 'date', label: t('gsp.review.outboundDate'), children: record.outboundDate },
          { key: 'reviewer', label: t('gsp.review.reviewer'), children: record.reviewerName },
          {
            key: 'at',
            label: t('gsp.review.reviewedAt'),
            children: formatLocalTime(record.reviewedAt, i18n.language, 'short'),
          },
          ...(record.note === null ? [] : [{ key: 'note', label: t('gsp.common.note'), children: record.note }]),
        ]}
      />
      <Table<RecordLine>
        rowKey={(l) => `${l.lot}|${l.serial ?? ''}|${l.productName}`}
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={record.lines}
        columns={[
          {
            title: t('gsp.common.productName'),
            key: 'name',
            render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
          },
          { title: t('gsp.common.registrant'), dataIndex: 'registrant' },
          { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
          { title: t('gsp.common.lot'), key: 'lot', render: (_: unknown, l) => lotLabel(l) },
          {
            title: t('gsp.common.expiryDate'),
            key: 'e',
            render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} />,
          },
          { title: t('gsp.common.quantity'), key: 'q', render: (_: unknown, l) => `${l.quantity} ${l.unit}` },
          { title: t('gsp.review.udi'), key: 'udi', render: (_: unknown, l) => <code>{l.udi ?? '—'}</code> },
        ]}
      />
      {record.refusals.length > 0 && (
        <>
          <Typography.Title level={5} className="ml-form-top">
            {t('gsp.review.refusals')}
          </Typography.Title>
          <Table<Refusal>
            rowKey={(r) => `${r.lot}|${r.serial ?? ''}|${r.refusedAt}`}
            size="small"
            pagination={false}
            dataSource={record.refusals}
            columns={[
              { title: t('gsp.common.lot'), key: 'lot', render: (_: unknown, r) => lotLabel(r) },
              { title: t('gsp.common.quantity'), dataIndex: 'quantity' },
              {
                title: t('gsp.review.refuseReason'),
                key: 'reason',
                render: (_: unknown, r) => `${t(`gsp.review.reasons.${r.reason}`)}${r.note ? ` · ${r.note}` : ''}`,
              },
              {
                title: t('gsp.common.operator'),
                key: 'by',
                render: (_: unknown, r) =>
                  `${r.refusedByName} · ${formatLocalTime(r.refusedAt, i18n.language, 'short')}`,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** `/sales/orders/:id/review`: the outbound review (出库复核) by scanning, refusals, and the signature. */
export function ReviewPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const order = useSalesOrder(id);
  const status = order.data?.order.status;
  const reviewing = status === 'allocated';
  const progress = useReviewProgress(id, reviewing);
  const record = useReviewRecord(id, status === 'reviewed' || status === 'shipped');
  const [refusing, setRefusing] = useState<Row | null>(null);
  const [signing, setSigning] = useState(false);
  const [note, setNote] = useState('');
  const o = order.data?.order;
  if (order.isError) return <GspErrorAlert error={order.error} />;
  if (o === undefined) return <Skeleton active />;
  const canReview = reviewing && permissions.includes(REVIEW_PERMISSION);
  const p = progress.data?.review;

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate(`/sales/orders/${o.id}`)}>
          {t('gsp.review.back', { number: o.orderNo })}
        </Button>
      </Space>
      <Typography.Title level={2}>{t('gsp.review.title', { number: o.orderNo })}</Typography.Title>
      {canReview && (
        <Card>
          <Typography.Paragraph type="secondary">{t('gsp.review.intro')}</Typography.Paragraph>
          <ScannerInput
            label={t('gsp.review.scanLabel')}
            maxBatch={500}
            onSubmit={(scans) => postReviewScans(o.id, scans)}
            onSubmitted={() => void queryClient.invalidateQueries({ queryKey: salesKey })}
          />
        </Card>
      )}
      {reviewing && (
        <Card title={t('gsp.review.progress')}>
          {progress.isError && <GspErrorAlert error={progress.error} />}
          {p !== undefined && (
            <Alert
              className="ml-form-notice"
              type={p.complete ? 'success' : 'info'}
              showIcon
              title={p.complete ? t('gsp.review.complete') : t('gsp.review.incomplete')}
            />
          )}
          <Table<Row>
            rowKey="allocationId"
            size="small"
            loading={progress.isPending}
            pagination={false}
            dataSource={p?.allocations ?? []}
            columns={[
              { title: t('gsp.common.productName'), dataIndex: 'productName' },
              { title: t('gsp.common.lot'), key: 'lot', render: (_: unknown, r) => lotLabel(r) },
              {
                title: t('gsp.so.scanned'),
                key: 'scanned',
                render: (_: unknown, r) => (
                  <span data-testid={`review-count-${r.lot}`}>
                    {r.scanned} / {r.quantity}
                  </span>
                ),
              },
              {
                title: '',
                key: 'bar',
                width: 160,
                render: (_: unknown, r) => (
                  <Progress
                    size="small"
                    percent={r.quantity === 0 ? 100 : Math.round((100 * r.scanned) / r.quantity)}
                    status={r.scanned === r.quantity ? 'success' : 'active'}
                  />
                ),
              },
              ...(canReview
                ? [
                    {
                      title: '',
                      key: 'refuse',
                      render: (_: unknown, r: Row) => (
                        <Button size="small" danger onClick={() => setRefusing(r)}>
                          {t('gsp.review.refuse')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {canReview && (
            <Space orientation="vertical" className="ml-full-width ml-form-top">
              <Input.TextArea
                rows={2}
                placeholder={t('gsp.common.note')}
                aria-label={t('gsp.common.note')}
                maxLength={500}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <Button
                type="primary"
                icon={<SafetyCertificateOutlined aria-hidden />}
                disabled={p?.complete !== true}
                onClick={() => setSigning(true)}
              >
                {t('gsp.review.conclude')}
              </Button>
            </Space>
          )}
        </Card>
      )}
      {record.isError && <GspErrorAlert error={record.error} />}
      {record.data !== undefined && <ReviewRecordCard record={record.data.review} />}
      <RefusalDialog orderId={o.id} row={refusing} onClose={() => setRefusing(null)} />
      <SignatureDialog
        open={signing}
        title={t('gsp.review.signTitle')}
        renderError={(e) => <GspErrorAlert error={e} />}
        meaning={<Alert type="success" title={t('gsp.review.meaning', { number: o.orderNo })} />}
        confirmLabel={t('gsp.review.confirm')}
        onSign={(code) =>
          concludeReview(o.id, {
            ...(note.trim() === '' ? {} : { note: note.trim() }),
            ...(code === undefined ? {} : { code }),
          })
        }
        onSigned={() => {
          setSigning(false);
          void message.success(t('gsp.review.concluded'));
          void queryClient.invalidateQueries({ queryKey: salesKey });
        }}
        onCancel={() => setSigning(false)}
      />
    </Space>
  );
}
