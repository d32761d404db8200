import type { OrderInput, PurchaseOrderView } from '@medledger/contract';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { createPurchaseOrder, procurementKey, revisePurchaseOrder } from '../../api/procurement';
import { GspErrorAlert, YUAN, formatFen, yuanToFen } from '../gsp/gsp-format';
import { issueFields } from '../gsp/form-issues';
import { PartySelect, ProductSelect, WarehouseSelect } from '../gsp/pickers';

interface LineValues {
  productId?: string;
  quantity?: number;
  price?: string;
}
interface Values {
  supplierId?: string;
  warehouseId?: string;
  supplierContact?: string;
  note?: string;
  lines: LineValues[];
}

/** Server paths (`body.lines.0.unitPriceFen`) → the form's fields (`lines.0.price`). */
const RENAME = { unitPriceFen: 'price' };
const SHOWN = new Set([
  'supplierId',
  'warehouseId',
  'supplierContact',
  'note',
  'lines.#.productId',
  'lines.#.quantity',
  'lines.#.price',
]);

/** The order body from the form: prices typed in yuan become exact integer 分. */
export function orderBody(v: Values): OrderInput {
  const note = (v.note ?? '').trim();
  return {
    supplierId: v.supplierId ?? '',
    warehouseId: v.warehouseId ?? '',
    supplierContact: (v.supplierContact ?? '').trim(),
    ...(note === '' ? {} : { note }),
    lines: v.lines.map((l) => ({
      productId: l.productId ?? '',
      quantity: l.quantity ?? 0,
      unitPriceFen: yuanToFen(l.price) ?? 0,
    })),
  };
}

function initialValues(order: PurchaseOrderView | null): Values {
  if (order === null) return { lines: [{}] };
  return {
    supplierId: order.supplierId,
    warehouseId: order.warehouseId,
    supplierContact: order.supplierContact,
    note: order.note ?? '',
    lines: order.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      price: (l.unitPriceFen / 100).toFixed(2),
    })),
  };
}

/** Drafts a purchase order, or edits a draft (`order`). */
export function OrderFormDrawer({
  open,
  order,
  onClose,
  onSaved,
}: {
  open: boolean;
  order: PurchaseOrderView | null;
  onClose: () => void;
  onSaved: (order: PurchaseOrderView) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const lines = Form.useWatch('lines', form) ?? [];
  const total = lines.reduce((n, l) => n + (l.quantity ?? 0) * (yuanToFen(l?.price) ?? 0), 0);
  const save = useMutation({
    mutationFn: (v: Values) =>
      order === null ? createPurchaseOrder(orderBody(v)) : revisePurchaseOrder(order.id, orderBody(v)),
    onSuccess: async ({ order: saved }) => {
      void message.success(order === null ? t('gsp.po.created', { number: saved.number }) : t('gsp.po.revised'));
      await queryClient.invalidateQueries({ queryKey: procurementKey });
      form.resetFields();
      onSaved(saved);
    },
    onError: (error) => form.setFields(issueFields(error, SHOWN, RENAME) as Parameters<typeof form.setFields>[0]),
  });
  const required = { required: true, message: t('gsp.common.required') };
  const labelOf = (productId: string | undefined) => {
    const line = order?.lines.find((l) => l.productId === productId);
    return line === undefined
      ? undefined
      : `${line.productCode} ${line.productName} ${line.model} ${line.specification}`;
  };

  return (
    <Drawer
      open={open}
      size="large"
      title={order === null ? t('gsp.po.new') : t('gsp.po.edit')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('gsp.po.save')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        name="purchase-order"
        layout="vertical"
        requiredMark={false}
        initialValues={initialValues(order)}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item label={t('gsp.po.supplier')} name="supplierId" rules={[required]}>
          <PartySelect role="supplier" aria-label={t('gsp.po.supplier')} fallbackLabel={order?.supplierName} />
        </Form.Item>
        <Form.Item label={t('gsp.po.warehouse')} name="warehouseId" rules={[required]}>
          <WarehouseSelect aria-label={t('gsp.po.warehouse')} />
        </Form.Item>
        <Form.Item
          label={t('gsp.po.supplierContact')}
          name="supplierContact"
          extra={t('gsp.po.supplierContactHelp')}
          rules={[{ ...required, whitespace: true }, { max: 120 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Typography.Title level={5}>{t('gsp.po.lines')}</Typography.Title>
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
                      rules={[required]}
                    >
                      <ProductSelect
                        aria-label={`${t('gsp.common.product')} ${index + 1}`}
                        fallbackLabel={labelOf(line?.productId)}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.common.quantity')}
                      name={[field.name, 'quantity']}
                      rules={[required, { type: 'integer', min: 1, message: t('gsp.common.integer') }]}
                    >
                      <InputNumber min={1} precision={0} aria-label={`${t('gsp.common.quantity')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item
                      label={t('gsp.po.unitPrice')}
                      name={[field.name, 'price']}
                      extra={t('gsp.po.unitPriceHelp')}
                      rules={[required, { pattern: YUAN, message: t('gsp.po.yuanFormat') }]}
                    >
                      <Input
                        inputMode="decimal"
                        prefix="¥"
                        autoComplete="off"
                        aria-label={`${t('gsp.po.unitPrice')} ${index + 1}`}
                      />
                    </Form.Item>
                    <Form.Item label={t('gsp.po.amount')}>
                      <span className="ml-amount" data-testid={`line-amount-${index}`}>
                        {formatFen(amount, i18n.language)}
                      </span>
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
          {t('gsp.po.total')}: <span data-testid="order-total">{formatFen(total, i18n.language)}</span>
        </Typography.Paragraph>
        <Form.Item label={t('gsp.po.note')} name="note" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {save.isError && <GspErrorAlert error={save.error} />}
      </Form>
    </Drawer>
  );
}
