import type { StockRow } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { transferStock } from '../../api/ledgers';
import { useWarehouses } from '../../api/master-data';
import { GspErrorAlert } from '../gsp/gsp-format';

type FormValues = { toLocationId: string; quantity: number; note?: string };

/**
 * Moves stock of one row to another location of the same warehouse and zone (`POST
 * /inventory/transfers`; a zone change is a quality decision and is not offered).
 */
export function TransferModal({
  row,
  onDone,
  onCancel,
}: {
  row: StockRow | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const warehouses = useWarehouses();
  const targets = (warehouses.data?.warehouses ?? [])
    .filter((w) => w.id === row?.warehouseId)
    .flatMap((w) => w.areas)
    .filter((a) => a.zone === row?.zone)
    .flatMap((a) =>
      a.locations
        .filter((l) => l.active && l.id !== row?.locationId)
        .map((l) => ({ value: l.id, label: `${a.code} / ${l.code}` })),
    );
  const run = useMutation({
    mutationFn: (v: FormValues) =>
      transferStock({
        lotId: row?.lotId ?? '',
        fromLocationId: row?.locationId ?? '',
        toLocationId: v.toLocationId,
        quantity: v.quantity,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      }),
    onSuccess: () => {
      form.resetFields();
      onDone();
    },
  });
  return (
    <Modal
      open={row !== null}
      title={
        row === null ? '' : t('ledgers.transfer.title', { lot: row.serial ? `${row.lot} / ${row.serial}` : row.lot })
      }
      okText={t('ledgers.transfer.confirm')}
      cancelText={t('gsp.common.cancel')}
      confirmLoading={run.isPending}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('ledgers.transfer.intro')}</Typography.Paragraph>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => run.mutate(v)}
        initialValues={{ quantity: row?.quantity }}
      >
        <Form.Item
          name="toLocationId"
          label={t('ledgers.transfer.to')}
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <Select
            aria-label={t('ledgers.transfer.to')}
            placeholder={t('ledgers.transfer.toPlaceholder')}
            options={targets}
          />
        </Form.Item>
        <Form.Item
          name="quantity"
          label={t('ledgers.transfer.quantity')}
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <InputNumber min={1} max={row?.quantity ?? 1} precision={0} aria-label={t('ledgers.transfer.quantity')} />
        </Form.Item>
        <Form.Item name="note" label={t('ledgers.transfer.note')}>
          <Input maxLength={200} aria-label={t('ledgers.transfer.note')} />
        </Form.Item>
      </Form>
      {run.isError && <GspErrorAlert error={run.error} />}
    </Modal>
  );
}
