import { ShipInput, type TransportMode } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { salesKey, shipSalesOrder, type SalesOrderView, type ShipmentView } from '../../api/sales';
import { GspErrorAlert, isColdChain } from '../gsp/gsp-format';
import { issueFields } from '../gsp/form-issues';

export interface ShipmentValues {
  mode: TransportMode;
  carrier?: string;
  waybillNo?: string;
  vehiclePlate?: string;
  driver?: string;
  thirdPartyLogistics?: string;
  boxPreconditioned?: boolean;
  loadedAt?: Dayjs;
  temperatureAtLoading?: number | null;
  remarks?: string;
}

const text = (v: string | undefined) => (v ?? '').trim();

/**
 * The shipment body: exactly one transport shape — carrier + waybill, or vehicle plate + driver —
 * whatever else the form still holds; the cold-chain loading record only for cold-chain orders.
 */
export function shipmentBody(v: ShipmentValues, coldChain: boolean): ShipInput {
  const tpl = text(v.thirdPartyLogistics);
  const remarks = text(v.remarks);
  return {
    transport:
      v.mode === 'carrier'
        ? { mode: 'carrier', carrier: text(v.carrier), waybillNo: text(v.waybillNo) }
        : { mode: 'own_fleet', vehiclePlate: text(v.vehiclePlate), driver: text(v.driver) },
    ...(tpl === '' ? {} : { thirdPartyLogistics: tpl }),
    ...(coldChain
      ? {
          coldChain: {
            boxPreconditioned: v.boxPreconditioned === true,
            loadedAt: (v.loadedAt ?? dayjs()).toISOString(),
            temperatureAtLoading: v.temperatureAtLoading ?? 0,
          },
        }
      : {}),
    ...(remarks === '' ? {} : { remarks }),
  };
}

/**
 * Checks the body against the contract before sending, so that a wrong transport shape is named
 * on the form: the field names of the problems, or null when it is valid.
 */
export function shipmentProblems(body: ShipInput): string[] | null {
  const parsed = ShipInput.safeParse(body);
  if (parsed.success) return null;
  return parsed.error.issues.map((i) => i.path.join('.'));
}

const SHOWN = new Set(['carrier', 'waybillNo', 'vehiclePlate', 'driver', 'loadedAt', 'temperatureAtLoading']);

/** Ship a reviewed order with its transport record (GSP art. 96) and cold-chain loading record (art. 95). */
export function ShipmentDrawer({
  open,
  order,
  onClose,
  onShipped,
}: {
  open: boolean;
  order: SalesOrderView;
  onClose: () => void;
  onShipped: (shipment: ShipmentView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ShipmentValues>();
  const mode = Form.useWatch('mode', form) ?? 'carrier';
  const cold = order.lines.some((l) => isColdChain(l.storage));
  const ship = useMutation({
    mutationFn: (body: ShipInput) => shipSalesOrder(order.id, body),
    onSuccess: async ({ shipment }) => {
      void message.success(t('gsp.shipment.shipped', { number: shipment.shipmentNo }));
      await queryClient.invalidateQueries({ queryKey: salesKey });
      onShipped(shipment);
    },
    onError: (error) =>
      form.setFields(
        issueFields(error, SHOWN, { transport: '', coldChain: '' }) as Parameters<typeof form.setFields>[0],
      ),
  });
  const required = { required: true, whitespace: true, message: t('gsp.common.required') };
  return (
    <Drawer
      open={open}
      size="large"
      title={t('gsp.shipment.title', { number: order.orderNo })}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={ship.isPending} onClick={() => form.submit()}>
            {t('gsp.shipment.confirm')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Alert type="info" showIcon className="ml-form-notice" title={t('gsp.shipment.intro')} />
      <Form<ShipmentValues>
        form={form}
        name="shipment"
        layout="vertical"
        requiredMark={false}
        initialValues={{ mode: 'carrier', loadedAt: dayjs(), boxPreconditioned: false }}
        onFinish={(v) => {
          const body = shipmentBody(v, cold);
          const problems = shipmentProblems(body);
          if (problems !== null) {
            void message.error(t('gsp.shipment.invalid', { fields: problems.join(', ') }));
            return;
          }
          ship.mutate(body);
        }}
      >
        <Form.Item label={t('gsp.shipment.mode')} name="mode">
          <Radio.Group
            optionType="button"
            options={(['carrier', 'own_fleet'] as const).map((m) => ({
              value: m,
              label: t(`gsp.shipment.modes.${m}`),
            }))}
          />
        </Form.Item>
        {mode === 'carrier' ? (
          <Space wrap align="start">
            <Form.Item label={t('gsp.shipment.carrier')} name="carrier" rules={[required, { max: 120 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('gsp.shipment.waybillNo')} name="waybillNo" rules={[required, { max: 64 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Space>
        ) : (
          <Space wrap align="start">
            <Form.Item label={t('gsp.shipment.vehiclePlate')} name="vehiclePlate" rules={[required, { max: 20 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('gsp.shipment.driver')} name="driver" rules={[required, { max: 60 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Space>
        )}
        <Form.Item label={t('gsp.shipment.thirdPartyLogistics')} name="thirdPartyLogistics" rules={[{ max: 120 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        {cold && (
          <Card size="small" title={t('gsp.shipment.coldChain')} className="ml-form-notice" data-testid="cold-chain">
            <Alert type="info" showIcon className="ml-form-notice" title={t('gsp.shipment.coldChainIntro')} />
            <Form.Item
              name="boxPreconditioned"
              valuePropName="checked"
              rules={[
                {
                  validator: (_: unknown, v: boolean | undefined) =>
                    v === true ? Promise.resolve() : Promise.reject(new Error(t('gsp.shipment.boxRequired'))),
                },
              ]}
            >
              <Checkbox>{t('gsp.shipment.boxPreconditioned')}</Checkbox>
            </Form.Item>
            <Space wrap align="start">
              <Form.Item
                label={t('gsp.shipment.loadedAt')}
                name="loadedAt"
                rules={[{ required: true, message: t('gsp.common.required') }]}
              >
                <DatePicker showTime format="YYYY-MM-DD HH:mm" aria-label={t('gsp.shipment.loadedAt')} />
              </Form.Item>
              <Form.Item
                label={t('gsp.shipment.temperatureAtLoading')}
                name="temperatureAtLoading"
                rules={[{ required: true, message: t('gsp.common.required') }]}
              >
                <InputNumber min={-80} max={60} step={0.1} aria-label={t('gsp.shipment.temperatureAtLoading')} />
              </Form.Item>
            </Space>
          </Card>
        )}
        <Form.Item label={t('gsp.shipment.remarks')} name="remarks" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {ship.isError && <GspErrorAlert error={ship.error} />}
      </Form>
    </Drawer>
  );
}
