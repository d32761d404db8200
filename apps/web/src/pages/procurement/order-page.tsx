import type { PurchaseOrderView } from '@medledger/contract';
import { ArrowLeftOutlined, EditOutlined, InboxOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  PO_APPROVE_PERMISSION,
  PO_EDIT_PERMISSION,
  RECEIPT_PERMISSION,
  cancelPurchaseOrder,
  closePurchaseOrder,
  decidePurchaseOrder,
  procurementKey,
  submitPurchaseOrder,
  usePurchaseOrder,
} from '../../api/procurement';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { SignatureDialog } from '../../components/signature-dialog';
import { GspErrorAlert, StorageTag, formatFen } from '../gsp/gsp-format';
import { ReasonModal } from '../gsp/reason-modal';
import { OrderFormDrawer } from './order-form-drawer';
import { PoStatusTag } from './po-format';
import { ReceiptDrawer } from './receipt-drawer';

type Line = PurchaseOrderView['lines'][number];
type Receipt = PurchaseOrderView['receipts'][number];
type Decision = 'approve' | 'return';

/** The approver's note and buttons; the decision is signed in the signature dialog. */
function DecisionCard({ order }: { order: PurchaseOrderView }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const [signing, setSigning] = useState<Decision | null>(null);
  const start = (decision: Decision) => {
    if (decision === 'return' && note.trim().length < 2) {
      setNoteError(true);
      return;
    }
    setNoteError(false);
    setSigning(decision);
  };
  return (
    <Card title={t('gsp.po.decisionNote')}>
      <Typography.Paragraph type="secondary">{t('gsp.po.selfApproval')}</Typography.Paragraph>
      <Input.TextArea
        rows={2}
        aria-label={t('gsp.po.decisionNote')}
        value={note}
        maxLength={500}
        status={noteError ? 'error' : undefined}
        onChange={(e) => setNote(e.target.value)}
      />
      <Typography.Paragraph type={noteError ? 'danger' : 'secondary'}>
        {noteError ? t('gsp.po.returnNeedsNote') : t('gsp.po.decisionNoteHelp')}
      </Typography.Paragraph>
      <Space>
        <Button type="primary" onClick={() => start('approve')}>
          {t('gsp.po.approve')}
        </Button>
        <Button danger onClick={() => start('return')}>
          {t('gsp.po.return')}
        </Button>
      </Space>
      <SignatureDialog
        renderError={(e) => <GspErrorAlert error={e} />}
        open={signing !== null}
        title={signing === 'return' ? t('gsp.po.signReturn') : t('gsp.po.signApprove')}
        meaning={
          <Alert
            type={signing === 'return' ? 'warning' : 'success'}
            title={
              signing === 'return'
                ? t('gsp.po.meaningReturn', { number: order.number })
                : t('gsp.po.meaningApprove', {
                    number: order.number,
                    supplier: order.supplierName,
                    total: formatFen(order.totalFen, i18n.language),
                  })
            }
          />
        }
        confirmLabel={signing === 'return' ? t('gsp.po.confirmReturn') : t('gsp.po.confirmApprove')}
        onSign={(code) =>
          decidePurchaseOrder(order.id, {
            decision: signing ?? 'approve',
            note: note.trim(),
            ...(code === undefined ? {} : { code }),
          })
        }
        onSigned={() => {
          void message.success(
            signing === 'return'
              ? t('gsp.po.returned', { number: order.number })
              : t('gsp.po.approved', { number: order.number }),
          );
          setSigning(null);
          setNote('');
          void queryClient.invalidateQueries({ queryKey: procurementKey });
        }}
        onCancel={() => setSigning(null)}
      />
    </Card>
  );
}

/** `/procurement/orders/:id`: one purchase order with its lines, receipts and next steps. */
export function PurchaseOrderPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const query = usePurchaseOrder(id);
  const [editing, setEditing] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const [reasonFor, setReasonFor] = useState<'cancel' | 'close' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: procurementKey });
  const submit = useMutation({
    mutationFn: () => submitPurchaseOrder(id),
    onSuccess: async () => {
      void message.success(t('gsp.po.submitted'));
      await refresh();
    },
  });
  const o = query.data?.order;
  if (query.isError) return <GspErrorAlert error={query.error} />;
  if (o === undefined) return <Skeleton active />;

  const can = (p: string) => permissions.includes(p);
  const at = (iso: string) => formatLocalTime(iso, i18n.language, 'short');
  const byAt = (p: { name: string; at: string } | null) =>
    p === null ? '—' : t('gsp.po.byAt', { name: p.name, at: at(p.at) });
  const receivable = o.status === 'approved' || o.status === 'receiving';

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate('/procurement')}>
          {t('gsp.po.back')}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {t('gsp.po.number')} {o.number}
        </Typography.Title>
        <PoStatusTag status={o.status} />
      </Space>
      {o.status === 'draft' && o.returned !== null && (
        <Alert
          type="warning"
          showIcon
          title={t('gsp.po.returnedTitle', { name: o.returned.name, at: at(o.returned.at), note: o.returned.note })}
          description={t('gsp.po.returnedAdvice')}
        />
      )}
      <Space wrap>
        {o.status === 'draft' && can(PO_EDIT_PERMISSION) && (
          <>
            <Button
              type="primary"
              icon={<SendOutlined aria-hidden />}
              loading={submit.isPending}
              onClick={() => submit.mutate()}
            >
              {t('gsp.po.submit')}
            </Button>
            <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
              {t('gsp.po.edit')}
            </Button>
          </>
        )}
        {receivable && can(RECEIPT_PERMISSION) && (
          <Button type="primary" icon={<InboxOutlined aria-hidden />} onClick={() => setReceiving(true)}>
            {t('gsp.po.receive')}
          </Button>
        )}
        {['draft', 'submitted', 'approved'].includes(o.status) && can(PO_EDIT_PERMISSION) && (
          <Button danger onClick={() => setReasonFor('cancel')}>
            {t('gsp.po.cancel')}
          </Button>
        )}
        {o.status === 'receiving' && can(PO_EDIT_PERMISSION) && (
          <Button onClick={() => setReasonFor('close')}>{t('gsp.po.close')}</Button>
        )}
      </Space>
      {submit.isError && <GspErrorAlert error={submit.error} />}
      {o.status === 'submitted' && can(PO_APPROVE_PERMISSION) && <DecisionCard order={o} />}
      <Card title={t('gsp.po.details')}>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'supplier', label: t('gsp.po.supplier'), children: `${o.supplierCode} ${o.supplierName}` },
            { key: 'contact', label: t('gsp.po.supplierContact'), children: o.supplierContact },
            { key: 'warehouse', label: t('gsp.po.warehouse'), children: `${o.warehouseCode} (${o.site})` },
            { key: 'date', label: t('gsp.po.orderDate'), children: o.orderDate },
            {
              key: 'total',
              label: t('gsp.po.total'),
              children: <span data-testid="po-total">{formatFen(o.totalFen, i18n.language)}</span>,
            },
            { key: 'created', label: t('gsp.po.createdBy'), children: byAt(o.created) },
            { key: 'submitted', label: t('gsp.po.submittedBy'), children: byAt(o.submitted) },
            {
              key: 'approved',
              label: t('gsp.po.approvedBy'),
              children:
                o.approved === null ? '—' : `${byAt(o.approved)}${o.approved.note ? ` · ${o.approved.note}` : ''}`,
            },
            ...(o.cancelled === null
              ? []
              : [
                  {
                    key: 'cancelled',
                    label: t('gsp.po.cancelledBy'),
                    children: `${byAt(o.cancelled)} · ${o.cancelled.reason}`,
                  },
                ]),
            ...(o.closed === null
              ? []
              : [{ key: 'closed', label: t('gsp.po.closedBy'), children: `${byAt(o.closed)} · ${o.closed.reason}` }]),
            ...(o.note === null
              ? []
              : [{ key: 'note', label: t('gsp.po.note'), children: o.note, span: 'filled' as const }]),
          ]}
        />
      </Card>
      <Card title={t('gsp.po.lines')}>
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={o.lines}
          scroll={{ x: true }}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 48 },
            { title: t('gsp.common.productCode'), dataIndex: 'productCode' },
            { title: t('gsp.common.productName'), dataIndex: 'productName' },
            { title: t('gsp.common.model'), dataIndex: 'model' },
            { title: t('gsp.common.specification'), dataIndex: 'specification' },
            { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
            {
              title: t('gsp.common.storage'),
              key: 'storage',
              render: (_: unknown, l) => <StorageTag storage={l.storage} />,
            },
            { title: t('gsp.common.quantity'), key: 'qty', render: (_: unknown, l) => `${l.quantity} ${l.unit}` },
            {
              title: t('gsp.po.unitPrice'),
              key: 'price',
              className: 'ml-amount',
              render: (_: unknown, l) => formatFen(l.unitPriceFen, i18n.language),
            },
            {
              title: t('gsp.po.amount'),
              key: 'amount',
              className: 'ml-amount',
              render: (_: unknown, l) => formatFen(l.amountFen, i18n.language),
            },
            { title: t('gsp.po.received'), dataIndex: 'receivedQuantity' },
          ]}
        />
      </Card>
      <Card title={t('gsp.po.receipts')}>
        <Table<Receipt>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={o.receipts}
          locale={{ emptyText: t('gsp.po.noReceipts') }}
          columns={[
            { title: t('gsp.po.receiptNumber'), dataIndex: 'number' },
            { title: t('gsp.po.receivedAt'), key: 'at', render: (_: unknown, r) => at(r.receivedAt) },
            {
              title: t('gsp.po.acceptance'),
              key: 'acceptance',
              render: (_: unknown, r) =>
                r.acceptanceId === null ? (
                  t('gsp.po.noAcceptance')
                ) : (
                  <Link to={`/procurement/acceptances/${r.acceptanceId}`}>{t('gsp.po.openAcceptance')}</Link>
                ),
            },
          ]}
        />
      </Card>
      <OrderFormDrawer open={editing} order={o} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <ReceiptDrawer
        open={receiving}
        order={o}
        onClose={() => setReceiving(false)}
        onRecorded={(receipt) => {
          setReceiving(false);
          if (receipt.acceptanceId !== null) void navigate(`/procurement/acceptances/${receipt.acceptanceId}`);
        }}
      />
      <ReasonModal
        open={reasonFor !== null}
        title={
          reasonFor === 'close'
            ? t('gsp.po.closeTitle', { number: o.number })
            : t('gsp.po.cancelTitle', { number: o.number })
        }
        okText={reasonFor === 'close' ? t('gsp.po.close') : t('gsp.po.cancel')}
        onConfirm={(reason) =>
          reasonFor === 'close' ? closePurchaseOrder(o.id, reason) : cancelPurchaseOrder(o.id, reason)
        }
        onDone={() => {
          void message.success(reasonFor === 'close' ? t('gsp.po.closed') : t('gsp.po.cancelled'));
          setReasonFor(null);
          void refresh();
        }}
        onCancel={() => setReasonFor(null)}
      />
    </Space>
  );
}
