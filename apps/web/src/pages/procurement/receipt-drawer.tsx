import type { PurchaseOrderView, ReceiptInput, ReceiptView } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { procurementKey, recordReceipt } from '../../api/procurement';
import { GspErrorAlert, StorageTag, isColdChain } from '../gsp/gsp-format';
import { issueFields } from '../gsp/form-issues';

type Mode = 'own_vehicle' | 'carrier' | 'courier';
interface LineValues {
  orderLineId: string;
  quantityReceived?: number | null;
  quantityRefused?: number | null;
  refusalReason?: string;
}
interface Values {
  deliverySlipNo?: string;
  deliverySlipDate?: Dayjs;
  mode: Mode;
  vehicle?: string;
  carrier?: string;
  waybillNo?: string;
  departedAt?: Dayjs;
  arrivedAt?: Dayjs;
  transitMinC?: number | null;
  transitMaxC?: number | null;
  arrivalC?: number | null;
  device?: string;
  lines: LineValues[];
  note?: string;
}

const SHOWN = new Set([
  'deliverySlipNo',
  'deliverySlipDate',
  'lines.#.quantityReceived',
  'lines.#.quantityRefused',
  'lines.#.refusalReason',
  'transitMinC',
  'transitMaxC',
  'arrivalC',
  'departedAt',
  'arrivedAt',
  'carrier',
  'waybillNo',
  'vehicle',
]);
/** `body.coldChain.transitMinC` → `transitMinC`, `body.transport.carrier` → `carrier`. */
const FLAT = (error: unknown) => issueFields(error, SHOWN, { coldChain: '', transport: '' });

const open = (l: PurchaseOrderView['lines'][number]) => l.quantity - l.receivedQuantity;
const text = (v: string | undefined) => (v ?? '').trim();

/** The receipt body from the form; lines with nothing taken in or refused are left out. */
export function receiptBody(v: Values, needsColdChain: boolean): ReceiptInput {
  const transport: ReceiptInput['transport'] =
    v.mode === 'own_vehicle'
      ? { mode: 'own_vehicle', ...(text(v.vehicle) === '' ? {} : { vehicle: text(v.vehicle) }) }
      : { mode: v.mode, carrier: text(v.carrier), waybillNo: text(v.waybillNo) };
  const device = text(v.device);
  const note = text(v.note);
  return {
    deliverySlipNo: text(v.deliverySlipNo),
    deliverySlipDate: (v.deliverySlipDate ?? dayjs()).format('YYYY-MM-DD'),
    transport,
    ...(needsColdChain
      ? {
          coldChain: {
            departedAt: (v.departedAt ?? dayjs()).toISOString(),
            arrivedAt: (v.arrivedAt ?? dayjs()).toISOString(),
            transitMinC: v.transitMinC ?? 0,
            transitMaxC: v.transitMaxC ?? 0,
            arrivalC: v.arrivalC ?? 0,
            ...(device === '' ? {} : { device }),
          },
        }
      : {}),
    lines: v.lines
      .filter((l) => (l.quantityReceived ?? 0) + (l.quantityRefused ?? 0) > 0)
      .map((l) => {
        const refused = l.quantityRefused ?? 0;
        return {
          orderLineId: l.orderLineId,
          quantityReceived: l.quantityReceived ?? 0,
          quantityRefused: refused,
          ...(refused > 0 ? { refusalReason: text(l.refusalReason) } : {}),
        };
      }),
    ...(note === '' ? {} : { note }),
  };
}

/** Receiving against an approved order and the supplier's delivery slip (GSP arts. 60–63). */
export function ReceiptDrawer({
  open: isOpen,
  order,
  onClose,
  onRecorded,
}: {
  open: boolean;
  order: PurchaseOrderView;
  onClose: () => void;
  onRecorded: (receipt: ReceiptView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const openLines = order.lines.filter((l) => open(l) > 0);
  const mode = Form.useWatch('mode', form) ?? 'carrier';
  const watched = Form.useWatch('lines', form) ?? [];
  // The cold-chain record is asked for as soon as a 2–8 ℃ or frozen line is on the receipt.
  const needsColdChain = openLines.some((l, i) => {
    const w = watched[i];
    return isColdChain(l.storage) && (w?.quantityReceived ?? 0) + (w?.quantityRefused ?? 0) > 0;
  });
  const save = useMutation({
    mutationFn: (v: Values) => recordReceipt(order.id, receiptBody(v, needsColdChain)),
    onSuccess: async ({ receipt }) => {
      void message.success(
        receipt.acceptanceId === null
          ? t('gsp.receipt.recordedNoAcceptance', { number: receipt.number })
          : t('gsp.receipt.recorded', { number: receipt.number }),
      );
      await queryClient.invalidateQueries({ queryKey: procurementKey });
      onRecorded(receipt);
    },
    onError: (error) => form.setFields(FLAT(error) as Parameters<typeof form.setFields>[0]),
  });
  const required = { required: true, whitespace: true, message: t('gsp.common.required') };
  const celsius = [
    { required: true, message: t('gsp.common.required') },
    {
      validator: (_: unknown, v: number | null | undefined) =>
        v === null || v === undefined || Math.abs(v * 10 - Math.round(v * 10)) < 1e-6
          ? Promise.resolve()
          : Promise.reject(new Error(t('gsp.receipt.celsius'))),
    },
  ];

  return (
    <Drawer
      open={isOpen}
      size="large"
      title={t('gsp.receipt.title', { number: order.number })}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('gsp.receipt.confirm')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('gsp.receipt.intro')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        name="receipt"
        layout="vertical"
        requiredMark={false}
        initialValues={{
          mode: 'carrier',
          deliverySlipDate: dayjs(),
          arrivedAt: dayjs(),
          lines: openLines.map((l) => ({ orderLineId: l.id, quantityReceived: open(l), quantityRefused: 0 })),
        }}
        onFinish={(v) => {
          if (receiptBody(v, needsColdChain).lines.length === 0) {
            void message.error(t('gsp.receipt.nothing'));
            return;
          }
          save.mutate(v);
        }}
      >
        <Space wrap align="start">
          <Form.Item label={t('gsp.receipt.slipNo')} name="deliverySlipNo" rules={[required, { max: 64 }]}>
            <Input autoComplete="off" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('gsp.receipt.slipDate')}
            name="deliverySlipDate"
            rules={[{ required: true, message: t('gsp.common.required') }]}
          >
            <DatePicker
              format="YYYY-MM-DD"
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              aria-label={t('gsp.receipt.slipDate')}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t('gsp.receipt.transport')} name="mode">
          <Radio.Group
            optionType="button"
            options={(['carrier', 'courier', 'own_vehicle'] as const).map((m) => ({
              value: m,
              label: t(`gsp.receipt.modes.${m}`),
            }))}
          />
        </Form.Item>
        {mode === 'own_vehicle' ? (
          <Form.Item label={t('gsp.receipt.vehicle')} name="vehicle" rules={[{ max: 40 }]}>
            <Input autoComplete="off" />
          </Form.Item>
        ) : (
          <Space wrap align="start">
            <Form.Item label={t('gsp.receipt.carrier')} name="carrier" rules={[required, { max: 120 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('gsp.receipt.waybillNo')} name="waybillNo" rules={[required, { max: 64 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Space>
        )}
        <Typography.Title level={5}>{t('gsp.receipt.lines')}</Typography.Title>
        <Form.List name="lines">
          {(fields) =>
            fields.map((field, index) => {
              // The order refreshes once the receipt is recorded (its lines are then received):
              // find each line by its id, and draw nothing for one that is no longer open.
              const lineId = watched[index]?.orderLineId;
              const line = openLines.find((l) => l.id === lineId) ?? openLines[index];
              if (line === undefined) return null;
              const refused = watched[index]?.quantityRefused ?? 0;
              return (
                <Card
                  key={field.key}
                  size="small"
                  className="ml-form-notice"
                  title={
                    <Space wrap>
                      <span>
                        {line.lineNo}. {line.productCode} {line.productName} {line.model} {line.specification}
                      </span>
                      <StorageTag storage={line.storage} />
                    </Space>
                  }
                  extra={`${t('gsp.receipt.ordered')} ${line.quantity} · ${t('gsp.receipt.alreadyReceived')} ${line.receivedQuantity} ${line.unit}`}
                >
                  {/* Registered so that the line's id is among the submitted values. */}
                  <Form.Item name={[field.name, 'orderLineId']} hidden>
                    <Input />
                  </Form.Item>
                  <Space wrap align="start">
                    <Form.Item
                      label={t('gsp.receipt.quantityReceived')}
                      name={[field.name, 'quantityReceived']}
                      rules={[
                        { type: 'integer', min: 0, message: t('gsp.common.integerOrZero') },
                        {
                          type: 'integer',
                          max: open(line),
                          message: t('gsp.receipt.tooMany', { open: open(line) }),
                        },
                      ]}
                    >
                      <InputNumber
                        min={0}
                        precision={0}
                        aria-label={`${t('gsp.receipt.quantityReceived')} ${line.productCode}`}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.receipt.quantityRefused')}
                      name={[field.name, 'quantityRefused']}
                      rules={[{ type: 'integer', min: 0, message: t('gsp.common.integerOrZero') }]}
                    >
                      <InputNumber
                        min={0}
                        precision={0}
                        aria-label={`${t('gsp.receipt.quantityRefused')} ${line.productCode}`}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.receipt.refusalReason')}
                      name={[field.name, 'refusalReason']}
                      dependencies={[['lines', field.name, 'quantityRefused']]}
                      rules={[
                        { max: 200 },
                        ({ getFieldValue }) => ({
                          validator: (_: unknown, v: string | undefined) => {
                            const refused = getFieldValue(['lines', field.name, 'quantityRefused']) as
                              number | null | undefined;
                            return (refused ?? 0) === 0 || (v ?? '').trim().length >= 2
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('gsp.receipt.refusalReasonRequired')));
                          },
                        }),
                      ]}
                    >
                      <Input
                        autoComplete="off"
                        disabled={refused === 0}
                        aria-label={`${t('gsp.receipt.refusalReason')} ${line.productCode}`}
                      />
                    </Form.Item>
                  </Space>
                </Card>
              );
            })
          }
        </Form.List>
        {needsColdChain && (
          <Card size="small" title={t('gsp.receipt.coldChain')} className="ml-form-notice" data-testid="cold-chain">
            <Alert type="info" showIcon className="ml-form-notice" title={t('gsp.receipt.coldChainIntro')} />
            <Space wrap align="start">
              <Form.Item
                label={t('gsp.receipt.departedAt')}
                name="departedAt"
                rules={[{ required: true, message: t('gsp.common.required') }]}
              >
                <DatePicker showTime format="YYYY-MM-DD HH:mm" aria-label={t('gsp.receipt.departedAt')} />
              </Form.Item>
              <Form.Item
                label={t('gsp.receipt.arrivedAt')}
                name="arrivedAt"
                dependencies={['departedAt']}
                rules={[
                  { required: true, message: t('gsp.common.required') },
                  ({ getFieldValue }) => ({
                    validator: (_: unknown, v: Dayjs | undefined) => {
                      const departed = getFieldValue('departedAt') as Dayjs | undefined;
                      return v === undefined || departed === undefined || !v.isBefore(departed)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('gsp.receipt.arrivalBeforeDeparture')));
                    },
                  }),
                ]}
              >
                <DatePicker showTime format="YYYY-MM-DD HH:mm" aria-label={t('gsp.receipt.arrivedAt')} />
              </Form.Item>
            </Space>
            <Space wrap align="start">
              <Form.Item
                label={t('gsp.receipt.transitMinC')}
                name="transitMinC"
                dependencies={['transitMaxC']}
                rules={[
                  ...celsius,
                  ({ getFieldValue }) => ({
                    validator: (_: unknown, v: number | null | undefined) => {
                      const max = getFieldValue('transitMaxC') as number | null | undefined;
                      return v === null || v === undefined || max === null || max === undefined || v <= max
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('gsp.receipt.minAboveMax')));
                    },
                  }),
                ]}
              >
                <InputNumber min={-90} max={60} step={0.1} aria-label={t('gsp.receipt.transitMinC')} />
              </Form.Item>
              <Form.Item label={t('gsp.receipt.transitMaxC')} name="transitMaxC" rules={celsius}>
                <InputNumber min={-90} max={60} step={0.1} aria-label={t('gsp.receipt.transitMaxC')} />
              </Form.Item>
              <Form.Item label={t('gsp.receipt.arrivalC')} name="arrivalC" rules={celsius}>
                <InputNumber min={-90} max={60} step={0.1} aria-label={t('gsp.receipt.arrivalC')} />
              </Form.Item>
            </Space>
            <Form.Item label={t('gsp.receipt.device')} name="device" rules={[{ max: 64 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Card>
        )}
        <Form.Item label={t('gsp.common.note')} name="note" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {save.isError && <GspErrorAlert error={save.error} />}
      </Form>
    </Drawer>
  );
}
