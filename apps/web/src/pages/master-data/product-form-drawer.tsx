import {
  CatalogCode,
  DEVICE_CLASSES,
  STORAGE_CONDITIONS,
  UDI_ISSUER_CODES,
  type ChangeView,
  type DeviceClass,
  type ProductView,
  type ProposeProductInput,
  type StorageCondition,
  type UdiIssuer,
} from '@medledger/contract';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { masterDataKey, proposeProduct, proposeProductChange } from '../../api/master-data';
import { ProposalErrorAlert, proposalIssues } from './md-form-errors';
import { DATE_FORMAT } from './md-format';

interface DiValues {
  issuer: UdiIssuer;
  di?: string;
}

interface LevelValues {
  level?: number | null;
  unit?: string;
  quantity?: number | null;
  dis?: DiValues[];
}

export interface ProductFormValues {
  code: string;
  name: string;
  model: string;
  specification: string;
  deviceClass: DeviceClass;
  catalogCode: string;
  registrant: string;
  registrantLicenceNo?: string;
  contractManufacturer?: string;
  contractManufacturerLicenceNo?: string;
  certificateNo: string;
  certificateIssuedOn?: Dayjs | null;
  certificateValidUntil?: Dayjs | null;
  implantable: boolean;
  storage: StorageCondition;
  humidityMax?: number | null;
  packages: LevelValues[];
  reason: string;
}

const TOP_FIELDS = [
  'code',
  'name',
  'model',
  'specification',
  'deviceClass',
  'catalogCode',
  'registrant',
  'registrantLicenceNo',
  'contractManufacturer',
  'contractManufacturerLicenceNo',
  'certificateNo',
  'certificateIssuedOn',
  'certificateValidUntil',
  'implantable',
  'storage',
  'humidityMax',
];
const SHOWN = new Set([
  'reason',
  ...TOP_FIELDS,
  'packages.#.level',
  'packages.#.unit',
  'packages.#.quantity',
  'packages.#.dis.#.issuer',
  'packages.#.dis.#.di',
]);

const text = (value: string | undefined) => (value ?? '').trim();
const orNull = (value: string | undefined) => (text(value) === '' ? null : text(value));

/** The form's values as the API's proposal. */
export function productInput(values: ProductFormValues): ProposeProductInput {
  return {
    reason: text(values.reason),
    product: {
      code: text(values.code),
      name: text(values.name),
      model: text(values.model),
      specification: text(values.specification),
      deviceClass: values.deviceClass,
      catalogCode: text(values.catalogCode),
      registrant: text(values.registrant),
      registrantLicenceNo: orNull(values.registrantLicenceNo),
      contractManufacturer: orNull(values.contractManufacturer),
      contractManufacturerLicenceNo: orNull(values.contractManufacturerLicenceNo),
      certificateNo: text(values.certificateNo),
      certificateIssuedOn: values.certificateIssuedOn ? values.certificateIssuedOn.format(DATE_FORMAT) : '',
      certificateValidUntil: values.certificateValidUntil ? values.certificateValidUntil.format(DATE_FORMAT) : null,
      implantable: values.implantable,
      storage: values.storage,
      humidityMax: values.humidityMax ?? null,
      packages: (values.packages ?? []).map((p) => ({
        level: p.level ?? 0,
        unit: text(p.unit),
        quantity: p.quantity ?? 1,
        dis: (p.dis ?? []).map((d) => ({ issuer: d.issuer, di: text(d.di) })),
      })),
    },
  };
}

export function productValues(product: ProductView): Omit<ProductFormValues, 'reason'> {
  return {
    code: product.code,
    name: product.name,
    model: product.model,
    specification: product.specification,
    deviceClass: product.deviceClass,
    catalogCode: product.catalogCode,
    registrant: product.registrant,
    ...(product.registrantLicenceNo === null ? {} : { registrantLicenceNo: product.registrantLicenceNo }),
    ...(product.contractManufacturer === null ? {} : { contractManufacturer: product.contractManufacturer }),
    ...(product.contractManufacturerLicenceNo === null
      ? {}
      : { contractManufacturerLicenceNo: product.contractManufacturerLicenceNo }),
    certificateNo: product.certificateNo,
    certificateIssuedOn: dayjs(product.certificateIssuedOn),
    certificateValidUntil: product.certificateValidUntil === null ? null : dayjs(product.certificateValidUntil),
    implantable: product.implantable,
    storage: product.storage,
    humidityMax: product.humidityMax,
    packages: product.packages.map((p) => ({ level: p.level, unit: p.unit, quantity: p.quantity, dis: p.dis })),
  };
}

const NEW_PRODUCT: Partial<ProductFormValues> = {
  deviceClass: 'II',
  implantable: false,
  storage: 'normal',
  humidityMax: null,
  packages: [{ level: 0, quantity: 1, dis: [{ issuer: 'GS1' }] }],
};

interface Props {
  open: boolean;
  /** `null`: a new product (首营品种); otherwise the product a change is proposed for. */
  product: ProductView | null;
  onClose: () => void;
  onFiled: (change: ChangeView) => void;
}

/** 首营品种 or a change to a product: every ProductFields field, packaging levels with UDI-DIs. */
export function ProductFormDrawer({ open, product, onClose, onFiled }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProductFormValues>();
  const deviceClass = Form.useWatch('deviceClass', form);
  const [otherIssues, setOtherIssues] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (values: ProductFormValues) =>
      product === null ? proposeProduct(productInput(values)) : proposeProductChange(product.id, productInput(values)),
    onMutate: () => setOtherIssues([]),
    onSuccess: async ({ change }) => {
      void message.success(t('masterData.form.filed'));
      form.resetFields();
      onFiled(change);
      await queryClient.invalidateQueries({ queryKey: masterDataKey });
    },
    onError: (error) => {
      const { fields, other } = proposalIssues(t, error, 'body.product', SHOWN);
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setOtherIssues(other);
    },
  });
  const validation = save.error instanceof ApiError && save.error.code === 'validation_failed';
  const required = (max: number) => [
    { required: true, whitespace: true, message: t('masterData.form.required') },
    { max, message: t('masterData.form.tooLong', { max }) },
  ];

  return (
    <Drawer
      open={open}
      size={760}
      title={
        product === null
          ? t('masterData.product.createTitle')
          : t('masterData.product.changeTitle', { name: product.name })
      }
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('masterData.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('masterData.form.submit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('masterData.form.intro')}</Typography.Paragraph>
      <Form<ProductFormValues>
        form={form}
        name="product-form"
        layout="vertical"
        requiredMark={false}
        disabled={save.isPending}
        initialValues={product === null ? NEW_PRODUCT : productValues(product)}
        onFinish={(values) => save.mutate(values)}
        scrollToFirstError
      >
        <Space wrap align="start" className="ml-full-width">
          <Form.Item
            label={t('masterData.product.code')}
            name="code"
            extra={product === null ? t('masterData.form.codeHelp') : t('masterData.form.codeFixed')}
            rules={[
              { required: true, whitespace: true, message: t('masterData.form.required') },
              { pattern: /^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,39}\s*$/, message: t('masterData.issues.code') },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} disabled={product !== null} />
          </Form.Item>
          <Form.Item label={t('masterData.product.name')} name="name" rules={required(120)}>
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Space wrap align="start" className="ml-full-width">
          <Form.Item label={t('masterData.product.model')} name="model" rules={required(120)}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('masterData.product.specification')} name="specification" rules={required(200)}>
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Space wrap align="start" className="ml-full-width">
          <Form.Item label={t('masterData.product.deviceClass')} name="deviceClass">
            <Select
              className="ml-select-status"
              options={DEVICE_CLASSES.map((c) => ({ value: c, label: t(`masterData.classes.${c}`) }))}
            />
          </Form.Item>
          <Form.Item
            label={t('masterData.product.catalogCode')}
            name="catalogCode"
            extra={t('masterData.form.catalogHelp')}
            rules={[
              { required: true, whitespace: true, message: t('masterData.form.required') },
              {
                validator: (_r, v: string | undefined) =>
                  !v?.trim() || CatalogCode.safeParse(v).success
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('masterData.issues.catalogCode'))),
              },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} placeholder="07-03-01" />
          </Form.Item>
        </Space>
        <Space wrap align="start" className="ml-full-width">
          <Form.Item label={t('masterData.product.registrant')} name="registrant" rules={required(120)}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('masterData.product.registrantLicenceNo')}
            name="registrantLicenceNo"
            extra={t('masterData.form.optional')}
            rules={[{ max: 64, message: t('masterData.form.tooLong', { max: 64 }) }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Space wrap align="start" className="ml-full-width">
          <Form.Item
            label={t('masterData.product.contractManufacturer')}
            name="contractManufacturer"
            extra={t('masterData.form.optional')}
            rules={[{ max: 120, message: t('masterData.form.tooLong', { max: 120 }) }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('masterData.product.contractManufacturerLicenceNo')}
            name="contractManufacturerLicenceNo"
            extra={t('masterData.form.optional')}
            rules={[{ max: 64, message: t('masterData.form.tooLong', { max: 64 }) }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Space>

        <Typography.Title level={5}>{t('masterData.product.certificate')}</Typography.Title>
        <Form.Item
          label={t('masterData.product.certificateNo')}
          name="certificateNo"
          extra={t('masterData.form.certificateHelp')}
          rules={required(64)}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            label={t('masterData.product.certificateIssuedOn')}
            name="certificateIssuedOn"
            rules={[{ required: true, message: t('masterData.form.dateRequired') }]}
          >
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item
            label={t('masterData.product.certificateValidUntil')}
            name="certificateValidUntil"
            extra={deviceClass === 'I' ? t('masterData.form.filingHelp') : undefined}
            dependencies={['deviceClass']}
            rules={[
              {
                required: deviceClass !== 'I',
                message: t('masterData.issues.certificateExpiryRequired'),
              },
            ]}
          >
            <DatePicker format={DATE_FORMAT} placeholder={deviceClass === 'I' ? t('masterData.longTerm') : undefined} />
          </Form.Item>
        </Space>

        <Typography.Title level={5}>{t('masterData.product.storageTitle')}</Typography.Title>
        <Space wrap align="start">
          <Form.Item label={t('masterData.product.storage')} name="storage">
            <Select
              className="ml-select-wide"
              options={STORAGE_CONDITIONS.map((s) => ({ value: s, label: t(`masterData.storage.${s}`) }))}
            />
          </Form.Item>
          <Form.Item
            label={t('masterData.product.humidityMax')}
            name="humidityMax"
            extra={t('masterData.form.humidityHelp')}
          >
            <InputNumber min={1} max={100} precision={0} suffix="%" />
          </Form.Item>
          <Form.Item label={t('masterData.product.implantable')} name="implantable" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>

        <Typography.Title level={5}>{t('masterData.product.packages')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('masterData.form.packagesHelp')}</Typography.Paragraph>
        <Form.List
          name="packages"
          rules={[
            {
              validator: (_r, v: LevelValues[] | undefined) => {
                const levels = (v ?? []).map((p) => p?.level);
                return levels.includes(0) && new Set(levels).size === levels.length
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('masterData.issues.levels')));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  className="ml-form-notice"
                  title={t('masterData.form.levelN', { n: index + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t('masterData.form.removeLevel', { n: index + 1 })}
                      onClick={() => remove(field.name)}
                    />
                  }
                >
                  <Space wrap align="start">
                    <Form.Item
                      label={t('masterData.package.level')}
                      name={[field.name, 'level']}
                      rules={[{ required: true, message: t('masterData.form.required') }]}
                    >
                      <InputNumber min={0} max={9} precision={0} />
                    </Form.Item>
                    <Form.Item label={t('masterData.package.unit')} name={[field.name, 'unit']} rules={required(20)}>
                      <Input autoComplete="off" placeholder={t('masterData.form.unitPlaceholder')} />
                    </Form.Item>
                    <Form.Item
                      label={t('masterData.package.quantity')}
                      name={[field.name, 'quantity']}
                      extra={t('masterData.form.quantityHelp')}
                      rules={[{ required: true, message: t('masterData.form.required') }]}
                    >
                      <InputNumber min={1} max={100000} precision={0} />
                    </Form.Item>
                  </Space>
                  <Form.List name={[field.name, 'dis']}>
                    {(diFields, di) => (
                      <>
                        {diFields.map((diField, diIndex) => (
                          <Space key={diField.key} wrap align="start">
                            <Form.Item
                              label={t('masterData.package.issuer')}
                              name={[diField.name, 'issuer']}
                              rules={[{ required: true, message: t('masterData.form.required') }]}
                            >
                              <Select
                                className="ml-select-issuer"
                                options={UDI_ISSUER_CODES.map((u) => ({
                                  value: u,
                                  label: t(`masterData.issuers.${u}`),
                                }))}
                              />
                            </Form.Item>
                            <Form.Item
                              label={t('masterData.package.di')}
                              name={[diField.name, 'di']}
                              rules={required(60)}
                            >
                              <Input
                                autoComplete="off"
                                spellCheck={false}
                                className="ml-code-input ml-di-input"
                                aria-label={t('masterData.form.diOf', { level: index + 1, n: diIndex + 1 })}
                              />
                            </Form.Item>
                            <Form.Item label=" ">
                              <Button
                                type="text"
                                danger
                                icon={<DeleteOutlined aria-hidden />}
                                aria-label={t('masterData.form.removeDi', { level: index + 1, n: diIndex + 1 })}
                                onClick={() => di.remove(diField.name)}
                              />
                            </Form.Item>
                          </Space>
                        ))}
                        {diFields.length < 5 && (
                          <div>
                            <Button
                              size="small"
                              icon={<PlusOutlined aria-hidden />}
                              onClick={() => di.add({ issuer: 'GS1' })}
                            >
                              {t('masterData.form.addDi')}
                            </Button>
                          </div>
                        )}
                      </>
                    )}
                  </Form.List>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              {fields.length < 6 && (
                <Button
                  icon={<PlusOutlined aria-hidden />}
                  className="ml-form-notice"
                  onClick={() => add({ level: fields.length, quantity: 10, dis: [] })}
                >
                  {t('masterData.form.addLevel')}
                </Button>
              )}
            </>
          )}
        </Form.List>

        <Form.Item
          label={t('masterData.form.reason')}
          name="reason"
          extra={product === null ? t('masterData.form.reasonHelpNew') : t('masterData.form.reasonHelpChange')}
          rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('masterData.form.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {otherIssues.length > 0 && (
          <Alert
            className="ml-form-notice"
            type="error"
            showIcon
            title={t('masterData.form.fixBelow')}
            description={
              <ul className="ml-issue-list">
                {otherIssues.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            }
          />
        )}
        {save.isError && !validation && <ProposalErrorAlert error={save.error} />}
        {validation && otherIssues.length === 0 && (
          <Alert type="error" showIcon className="ml-form-notice" title={t('masterData.form.fixFields')} />
        )}
      </Form>
    </Drawer>
  );
}
