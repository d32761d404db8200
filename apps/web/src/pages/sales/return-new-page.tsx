import { parseUdi } from '@medledger/contract';
import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { receiveCustomerReturn, salesKey, useSalesOrder, type CustomerReturnInput } from '../../api/sales';
import { ScannerInput } from '../../components/scanner-input';
import { GspErrorAlert, isColdChain } from '../gsp/gsp-format';

interface Item {
  key: string;
  scan: string;
  summary: string;
  serial: boolean;
  quantity: number;
}
interface Values {
  reason?: string;
  transportConditions?: string;
  temperatureRecordChecked?: boolean;
  minTemperature?: number | null;
  maxTemperature?: number | null;
}

/**
 * Adds scans to the return: a serialised unit once; the same lot-level code scanned again adds one
 * to its quantity (the first scan is kept as the one sent).
 */
export function mergeScans(items: Item[], scans: string[]): Item[] {
  const next = items.map((i) => ({ ...i }));
  for (const scan of scans) {
    const parsed = parseUdi(scan);
    if (!parsed.ok) continue;
    const { udi } = parsed;
    // The same unit or lot whatever the order of its elements or the FNC1 form.
    const key = [udi.di, udi.lot ?? '', udi.serial ?? '', udi.expiryDate ?? ''].join('|');
    const existing = next.find((i) => i.key === key);
    if (existing !== undefined) {
      if (!existing.serial) existing.quantity += 1;
      continue;
    }
    next.push({
      key,
      scan,
      summary: [udi.di, udi.lot, udi.serial].filter((x) => x !== undefined).join(' · '),
      serial: udi.serial !== undefined,
      quantity: 1,
    });
  }
  return next;
}

/** `/sales/returns/new?orderId=`: a customer return against a shipped order, by scanning (GSP art. 107). */
export function NewReturnPage() {
  const [params] = useSearchParams();
  const orderId = params.get('orderId') ?? '';
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const order = useSalesOrder(orderId);
  const [form] = Form.useForm<Values>();
  const [items, setItems] = useState<Item[]>([]);
  const [noItems, setNoItems] = useState(false);
  const o = order.data?.order;
  const cold = o?.lines.some((l) => isColdChain(l.storage)) ?? false;
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: CustomerReturnInput = {
        orderId,
        reason: (v.reason ?? '').trim(),
        transportConditions: (v.transportConditions ?? '').trim(),
        ...(cold
          ? {
              coldChain: {
                temperatureRecordChecked: v.temperatureRecordChecked === true,
                minTemperature: v.minTemperature ?? 0,
                maxTemperature: v.maxTemperature ?? 0,
              },
            }
          : {}),
        items: items.map((i) => ({ scan: i.scan, quantity: i.quantity })),
      };
      return receiveCustomerReturn(body);
    },
    onSuccess: async ({ return: ret }) => {
      void message.success(t('gsp.returns.received', { number: ret.returnNo }));
      await queryClient.invalidateQueries({ queryKey: salesKey });
      void navigate(`/sales/returns/${ret.id}`);
    },
  });
  if (order.isError) return <GspErrorAlert error={order.error} />;
  if (o === undefined) return <Skeleton active />;
  const required = { required: true, whitespace: true, message: t('gsp.common.required') };

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate(`/sales/orders/${o.id}`)}>
          {t('gsp.returns.back', { number: o.orderNo })}
        </Button>
      </Space>
      <Typography.Title level={2}>{t('gsp.returns.newTitle', { number: o.orderNo })}</Typography.Title>
      <Alert type="info" showIcon title={t('gsp.returns.intro')} />
      <Card>
        <ScannerInput
          label={t('gsp.returns.scanLabel')}
          maxBatch={200}
          submitLabel={(count) => t('gsp.returns.addScans', { count })}
          onSubmit={(scans) => {
            setItems((prev) => mergeScans(prev, scans));
            setNoItems(false);
            return Promise.resolve();
          }}
        />
      </Card>
      <Card title={t('gsp.returns.items')}>
        <Table<Item>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={items}
          locale={{ emptyText: t('gsp.returns.noItems') }}
          columns={[
            {
              title: t('gsp.returns.scan'),
              key: 'summary',
              render: (_: unknown, i) => <code className="ml-raw-scan">{i.summary}</code>,
            },
            {
              title: t('gsp.common.quantity'),
              key: 'quantity',
              render: (_: unknown, i) =>
                i.serial ? (
                  1
                ) : (
                  <InputNumber
                    min={1}
                    precision={0}
                    size="small"
                    aria-label={`${t('gsp.common.quantity')} ${i.summary}`}
                    value={i.quantity}
                    onChange={(v) =>
                      setItems(items.map((x) => (x.key === i.key ? { ...x, quantity: Math.max(1, v ?? 1) } : x)))
                    }
                  />
                ),
            },
            {
              title: '',
              key: 'remove',
              render: (_: unknown, i) => (
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined aria-hidden />}
                  onClick={() => setItems(items.filter((x) => x.key !== i.key))}
                >
                  {t('gsp.returns.removeItem')}
                </Button>
              ),
            },
          ]}
        />
        {noItems && <Alert type="error" showIcon className="ml-form-top" title={t('gsp.returns.noItems')} />}
      </Card>
      <Card>
        <Form<Values>
          form={form}
          name="customer-return"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            if (items.length === 0) {
              setNoItems(true);
              return;
            }
            save.mutate(v);
          }}
        >
          <Form.Item label={t('gsp.returns.reason')} name="reason" rules={[required, { max: 500 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item
            label={t('gsp.returns.transportConditions')}
            name="transportConditions"
            extra={t('gsp.returns.transportConditionsHelp')}
            rules={[required, { max: 200 }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          {cold && (
            <Card size="small" title={t('gsp.returns.coldChain')} className="ml-form-notice">
              <Form.Item
                name="temperatureRecordChecked"
                valuePropName="checked"
                rules={[
                  {
                    validator: (_: unknown, v: boolean | undefined) =>
                      v === true ? Promise.resolve() : Promise.reject(new Error(t('gsp.common.required'))),
                  },
                ]}
              >
                <Checkbox>{t('gsp.returns.temperatureRecordChecked')}</Checkbox>
              </Form.Item>
              <Space wrap align="start">
                <Form.Item
                  label={t('gsp.returns.minTemperature')}
                  name="minTemperature"
                  rules={[{ required: true, message: t('gsp.common.required') }]}
                >
                  <InputNumber min={-80} max={60} step={0.1} />
                </Form.Item>
                <Form.Item
                  label={t('gsp.returns.maxTemperature')}
                  name="maxTemperature"
                  rules={[{ required: true, message: t('gsp.common.required') }]}
                >
                  <InputNumber min={-80} max={60} step={0.1} />
                </Form.Item>
              </Space>
            </Card>
          )}
          {save.isError && <GspErrorAlert error={save.error} />}
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('gsp.returns.submit')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
