import type { CreateOrderInput, PartyView } from '@medledger/contract';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { createSalesOrder, salesKey, type SalesOrderView } from '../../api/sales';
import { GspErrorAlert, YUAN, formatFen, yuanToFen } from '../gsp/gsp-format';
import { issueFields } from '../gsp/form-issues';
import { PartySelect, ProductSelect, WarehouseSelect } from '../gsp/pickers';

interface Values {
  customerId?: string;
  warehouseId?: string;
  address?: string;
  contact?: string;
  phone?: string;
  remarks?: string;
  lines: { productId?: string; quantity?: number; price?: string }[];
}

const RENAME = { unitPrice: 'price', delivery: '' };
const SHOWN = new Set([
  'customerId',
  'warehouseId',
  'address',
  'contact',
  'phone',
  'remarks',
  'lines.#.productId',
  'lines.#.quantity',
  'lines.#.price',
]);
const PHONE = /^\s*[0-9+\-() ]{5,30}\s*$/;

/** The order body from the form: prices in yuan become integer 分; an empty phone is null. */
export function salesOrderBody(v: Values): CreateOrderInput {
  const phone = (v.phone ?? '').trim();
  const remarks = (v.remarks ?? '').trim();
  return {
    customerId: v.customerId ?? '',
    warehouseId: v.warehouseId ?? '',
    delivery: {
      address: (v.address ?? '').trim(),
      contact: (v.contact ?? '').trim(),
      phone: phone === '' ? null : phone,
    },
    lines: v.lines.map((l) => ({
      productId: l.productId ?? '',
      quantity: l.quantity ?? 0,
      unitPrice: yuanToFen(l.price) ?? 0,
    })),
    ...(remarks === '' ? {} : { remarks }),
  };
}

/** A new sales order: customer, shipping warehouse, delivery (defaulting from the customer), lines. */
export function SalesOrderFormDrawer({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (order: SalesOrderView) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const lines = Form.useWatch('lines', form) ?? [];
  const total = lines.reduce((n, l) => n + (l?.quantity ?? 0) * (yuanToFen(l?.price) ?? 0), 0);
  const save = useMutation({
    mutationFn: (v: Values) => createSalesOrder(salesOrderBody(v)),
    onSuccess: async ({ order }) => {
      void message.success(t('gsp.so.created', { number: order.orderNo }));
      await queryClient.invalidateQueries({ queryKey: salesKey });
      form.resetFields();
      onSaved(order);
    },
    onError: (error) => form.setFields(issueFields(error, SHOWN, RENAME) as Parameters<typeof form.setFields>[0]),
  });
  const required = { required: true, whitespace: true, message: t('gsp.common.required') };
  // GSP: goods go to the customer's warehouse address (else its registered one), to its head by default.
  const onCustomer = (c: PartyView | undefined) => {
    if (c === undefined) return;
    form.setFieldsValue({ address: c.warehouseAddress ?? c.address, contact: c.enterpriseHead });
  };

  return (
    <Drawer
      open={open}
      size="large"
      title={t('gsp.so.new')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('gsp.so.save')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        name="sales-order"
        layout="vertical"
        requiredMark={false}
        initialValues={{ lines: [{}] }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label={t('gsp.so.customer')}
          name="customerId"
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <PartySelect role="customer" aria-label={t('gsp.so.customer')} onPick={onCustomer} />
        </Form.Item>
        <Form.Item
          label={t('gsp.so.warehouse')}
          name="warehouseId"
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <WarehouseSelect aria-label={t('gsp.so.warehouse')} />
        </Form.Item>
        <Typography.Title level={5}>{t('gsp.so.delivery')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('gsp.so.deliveryHelp')}</Typography.Paragraph>
        <Form.Item label={t('gsp.so.address')} name="address" rules={[required, { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('gsp.so.contact')} name="contact" rules={[required, { max: 60 }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('gsp.so.phone')}
            name="phone"
            rules={[{ pattern: PHONE, message: t('gsp.so.phoneFormat') }]}
          >
            <Input autoComplete="off" inputMode="tel" />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('gsp.so.lines')}</Typography.Title>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const line = lines[index];
                const amount = (line?.quantity ?? 0) * (yuanToFen(line?.price) ?? 0);
                return (
                  <Space key={field.key} align="start" wrap className="ml-order-line">
                    <Form.Item
                      label={`${index + 1}. ${t('gsp.common.product')}`}
                      name={[field.name, 'productId']}
                      rules={[{ required: true, message: t('gsp.common.required') }]}
                    >
                      <ProductSelect aria-label={`${t('gsp.common.product')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.common.quantity')}
                      name={[field.name, 'quantity']}
                      rules={[
                        { required: true, message: t('gsp.common.required') },
                        { type: 'integer', min: 1, message: t('gsp.common.integer') },
                      ]}
                    >
                      <InputNumber min={1} precision={0} aria-label={`${t('gsp.common.quantity')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.so.unitPrice')}
                      name={[field.name, 'price']}
                      rules={[required, { pattern: YUAN, message: t('gsp.po.yuanFormat') }]}
                    >
                      <Input
                        inputMode="decimal"
                        prefix="¥"
                        autoComplete="off"
                        aria-label={`${t('gsp.so.unitPrice')} ${index + 1}`}
                      />
                    </Form.Item>
                    <Form.Item label={t('gsp.so.amount')}>
                      <span className="ml-amount">{formatFen(amount, i18n.language)}</span>
                    </Form.Item>
                    {fields.length > 1 && (
                      <Form.Item label=" ">
                        <Button
                          icon={<DeleteOutlined aria-hidden />}
                          aria-label={t('gsp.po.removeLine', { index: index + 1 })}
                          onClick={() => remove(field.name)}
                        />
                      </Form.Item>
                    )}
                  </Space>
                );
              })}
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({})} className="ml-form-action">
                {t('gsp.po.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Paragraph strong>
          {t('gsp.so.total')}: <span data-testid="order-total">{formatFen(total, i18n.language)}</span>
        </Typography.Paragraph>
        <Form.Item label={t('gsp.so.remarks')} name="remarks" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {save.isError && <GspErrorAlert error={save.error} />}
      </Form>
    </Drawer>
  );
}
