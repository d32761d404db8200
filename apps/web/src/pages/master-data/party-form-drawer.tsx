import {
  CUSTOMER_TYPES,
  LICENCE_KINDS,
  ScopeEntry,
  Uscc,
  type ChangeView,
  type CustomerType,
  type LicenceKind,
  type PartyView,
  type ProposePartyInput,
} from '@medledger/contract';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { masterDataKey, proposeParty, proposePartyChange } from '../../api/master-data';
import { ApiError } from '../../api/client';
import { ProposalErrorAlert, proposalIssues } from './md-form-errors';
import { DATE_FORMAT, useLicenceLabel } from './md-format';

interface LicenceValues {
  kind: LicenceKind;
  number?: string;
  authority?: string;
  issuedOn?: Dayjs | null;
  validUntil?: Dayjs | null;
  scope?: string[];
}

interface LetterValues {
  /** A letter on file: sent back by id, without the ID number, to keep its sealed number. */
  id?: string;
  idNumberMasked?: string;
  repName?: string;
  idNumber?: string;
  productCodes?: string[];
  territory?: string;
  validFrom?: Dayjs | null;
  validUntil?: Dayjs | null;
}

export interface PartyFormValues {
  code: string;
  name: string;
  uscc: string;
  isSupplier: boolean;
  isManufacturer: boolean;
  customerType: CustomerType | 'none';
  legalRepresentative: string;
  enterpriseHead: string;
  address: string;
  warehouseAddress?: string;
  licences: LicenceValues[];
  repAuthorisations: LetterValues[];
  reason: string;
}

/** Paths of PartyFields the form shows as fields (list entries as `#`). */
const SHOWN = new Set([
  'reason',
  'code',
  'name',
  'uscc',
  'isSupplier',
  'isManufacturer',
  'customerType',
  'legalRepresentative',
  'enterpriseHead',
  'address',
  'warehouseAddress',
  ...['kind', 'number', 'authority', 'issuedOn', 'validUntil', 'scope'].map((f) => `licences.#.${f}`),
  ...['repName', 'idNumber', 'productCodes', 'territory', 'validFrom', 'validUntil'].map(
    (f) => `repAuthorisations.#.${f}`,
  ),
]);

const text = (value: string | undefined) => (value ?? '').trim();
const date = (value: Dayjs | null | undefined) => (value ? value.format(DATE_FORMAT) : '');

/** The form's values as the API's proposal: trimmed texts, `YYYY-MM-DD` dates, kept letters by id. */
export function partyInput(values: PartyFormValues): ProposePartyInput {
  const warehouseAddress = text(values.warehouseAddress);
  return {
    reason: text(values.reason),
    party: {
      code: text(values.code),
      name: text(values.name),
      uscc: text(values.uscc).toUpperCase(),
      isSupplier: values.isSupplier,
      isManufacturer: values.isManufacturer,
      customerType: values.customerType === 'none' ? null : values.customerType,
      legalRepresentative: text(values.legalRepresentative),
      enterpriseHead: text(values.enterpriseHead),
      address: text(values.address),
      warehouseAddress: warehouseAddress === '' ? null : warehouseAddress,
      licences: (values.licences ?? []).map((l) => ({
        kind: l.kind,
        number: text(l.number),
        authority: text(l.authority),
        issuedOn: date(l.issuedOn),
        validUntil: l.validUntil ? date(l.validUntil) : null,
        scope: l.scope ?? [],
      })),
      repAuthorisations: (values.repAuthorisations ?? []).map((r) => {
        const idNumber = text(r.idNumber).toUpperCase();
        return {
          // A new ID number makes a new letter; otherwise the letter on file keeps its sealed number.
          ...(idNumber === '' && r.id !== undefined ? { id: r.id } : { idNumber }),
          repName: text(r.repName),
          productCodes: r.productCodes ?? [],
          territory: text(r.territory),
          validFrom: date(r.validFrom),
          validUntil: date(r.validUntil),
        };
      }),
    },
  };
}

/** A party in force as form values (for proposing a change). */
export function partyValues(party: PartyView): Omit<PartyFormValues, 'reason'> {
  return {
    code: party.code,
    name: party.name,
    uscc: party.uscc,
    isSupplier: party.isSupplier,
    isManufacturer: party.isManufacturer,
    customerType: party.customerType ?? 'none',
    legalRepresentative: party.legalRepresentative,
    enterpriseHead: party.enterpriseHead,
    address: party.address,
    ...(party.warehouseAddress === null ? {} : { warehouseAddress: party.warehouseAddress }),
    licences: party.licences.map((l) => ({
      kind: l.kind,
      number: l.number,
      authority: l.authority,
      issuedOn: dayjs(l.issuedOn),
      validUntil: l.validUntil === null ? null : dayjs(l.validUntil),
      scope: l.scope,
    })),
    repAuthorisations: party.repAuthorisations.map((r) => ({
      id: r.id,
      idNumberMasked: r.idNumberMasked,
      repName: r.repName,
      productCodes: r.productCodes,
      territory: r.territory,
      validFrom: dayjs(r.validFrom),
      validUntil: dayjs(r.validUntil),
    })),
  };
}

const NEW_PARTY: Partial<PartyFormValues> = {
  isSupplier: false,
  isManufacturer: false,
  customerType: 'none',
  licences: [{ kind: 'business_licence', scope: [] }],
  repAuthorisations: [],
};

interface Props {
  open: boolean;
  /** `null`: a new party (首营企业); otherwise the party a change is proposed for. */
  party: PartyView | null;
  onClose: () => void;
  onFiled: (change: ChangeView) => void;
}

/** 首营企业 or a change to a party: every PartyFields field, with the reason QA will read. */
export function PartyFormDrawer({ open, party, onClose, onFiled }: Props) {
  const { t } = useTranslation();
  const licenceLabel = useLicenceLabel();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<PartyFormValues>();
  const [otherIssues, setOtherIssues] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (values: PartyFormValues) =>
      party === null ? proposeParty(partyInput(values)) : proposePartyChange(party.id, partyInput(values)),
    onMutate: () => setOtherIssues([]),
    onSuccess: async ({ change }) => {
      void message.success(t('masterData.form.filed'));
      form.resetFields();
      onFiled(change);
      await queryClient.invalidateQueries({ queryKey: masterDataKey });
    },
    onError: (error) => {
      const { fields, other } = proposalIssues(t, error, 'body.party', SHOWN);
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
        party === null ? t('masterData.party.createTitle') : t('masterData.party.changeTitle', { name: party.name })
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
      <Form<PartyFormValues>
        form={form}
        name="party-form"
        layout="vertical"
        requiredMark={false}
        disabled={save.isPending}
        initialValues={party === null ? NEW_PARTY : partyValues(party)}
        onFinish={(values) => save.mutate(values)}
        scrollToFirstError
      >
        <Space wrap align="start" className="ml-full-width">
          <Form.Item
            label={t('masterData.party.code')}
            name="code"
            extra={party === null ? t('masterData.form.codeHelp') : t('masterData.form.codeFixed')}
            rules={[
              { required: true, whitespace: true, message: t('masterData.form.required') },
              { pattern: /^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,39}\s*$/, message: t('masterData.issues.code') },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} disabled={party !== null} />
          </Form.Item>
          <Form.Item
            label={t('masterData.party.uscc')}
            name="uscc"
            rules={[
              { required: true, whitespace: true, message: t('masterData.form.required') },
              {
                validator: (_r, v: string | undefined) =>
                  !v?.trim() || Uscc.safeParse(v.trim().toUpperCase()).success
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('masterData.issues.uscc'))),
              },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} maxLength={18} />
          </Form.Item>
        </Space>
        <Form.Item label={t('masterData.party.name')} name="name" rules={required(120)}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('masterData.party.roles')} required>
          <Space wrap>
            <Form.Item
              name="isSupplier"
              valuePropName="checked"
              noStyle
              dependencies={['isManufacturer', 'customerType']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_r, v: boolean) =>
                    v || getFieldValue('isManufacturer') === true || getFieldValue('customerType') !== 'none'
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('masterData.issues.roleRequired'))),
                }),
              ]}
            >
              <Checkbox>{t('masterData.roles.supplier')}</Checkbox>
            </Form.Item>
            <Form.Item name="isManufacturer" valuePropName="checked" noStyle>
              <Checkbox>{t('masterData.roles.manufacturer')}</Checkbox>
            </Form.Item>
            <Form.Item name="customerType" noStyle>
              <Select
                aria-label={t('masterData.party.customerType')}
                className="ml-select-wide"
                options={[
                  { value: 'none', label: t('masterData.party.notCustomer') },
                  ...CUSTOMER_TYPES.map((c) => ({
                    value: c,
                    label: `${t('masterData.roles.customer')} · ${t(`masterData.customerTypes.${c}`)}`,
                  })),
                ]}
              />
            </Form.Item>
          </Space>
          <Form.Item noStyle shouldUpdate>
            {() => <Form.ErrorList errors={form.getFieldError('isSupplier')} />}
          </Form.Item>
        </Form.Item>
        <Space wrap align="start" className="ml-full-width">
          <Form.Item label={t('masterData.party.legalRepresentative')} name="legalRepresentative" rules={required(60)}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('masterData.party.enterpriseHead')} name="enterpriseHead" rules={required(60)}>
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Form.Item label={t('masterData.party.address')} name="address" rules={required(200)}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('masterData.party.warehouseAddress')}
          name="warehouseAddress"
          extra={t('masterData.form.optional')}
          rules={[{ max: 200, message: t('masterData.form.tooLong', { max: 200 }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>

        <Typography.Title level={5}>{t('masterData.party.licences')}</Typography.Title>
        <Form.List
          name="licences"
          rules={[
            {
              validator: (_r, v: unknown[] | undefined) =>
                (v?.length ?? 0) > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('masterData.form.licenceRequired'))),
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
                  title={t('masterData.form.licenceN', { n: index + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t('masterData.form.removeLicence', { n: index + 1 })}
                      onClick={() => remove(field.name)}
                    />
                  }
                >
                  <Space wrap align="start" className="ml-full-width">
                    <Form.Item
                      label={t('masterData.licence.kind')}
                      name={[field.name, 'kind']}
                      rules={[{ required: true, message: t('masterData.form.required') }]}
                    >
                      <Select
                        className="ml-select-wide"
                        options={LICENCE_KINDS.map((k) => ({ value: k, label: licenceLabel(k) }))}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('masterData.licence.number')}
                      name={[field.name, 'number']}
                      rules={required(64)}
                    >
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    label={t('masterData.licence.authority')}
                    name={[field.name, 'authority']}
                    rules={required(120)}
                  >
                    <Input autoComplete="off" />
                  </Form.Item>
                  <Space wrap align="start">
                    <Form.Item
                      label={t('masterData.licence.issuedOn')}
                      name={[field.name, 'issuedOn']}
                      rules={[{ required: true, message: t('masterData.form.dateRequired') }]}
                    >
                      <DatePicker format={DATE_FORMAT} />
                    </Form.Item>
                    <Form.Item
                      label={t('masterData.licence.validUntil')}
                      name={[field.name, 'validUntil']}
                      extra={t('masterData.form.longTermHelp')}
                      dependencies={[['licences', field.name, 'issuedOn']]}
                      rules={[
                        ({ getFieldValue }) => ({
                          validator: (_r, v: Dayjs | null | undefined) => {
                            const issued = getFieldValue(['licences', field.name, 'issuedOn']) as Dayjs | undefined;
                            return !v || !issued || !v.isBefore(issued, 'day')
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('masterData.issues.validBeforeIssued')));
                          },
                        }),
                      ]}
                    >
                      <DatePicker format={DATE_FORMAT} placeholder={t('masterData.longTerm')} />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    label={t('masterData.licence.scope')}
                    name={[field.name, 'scope']}
                    extra={t('masterData.form.scopeHelp')}
                    normalize={(v: string[] | undefined) => (v ?? []).map((s) => s.trim().toUpperCase())}
                    rules={[
                      {
                        validator: (_r, v: string[] | undefined) => {
                          const bad = (v ?? []).filter((s) => !ScopeEntry.safeParse(s).success);
                          return bad.length === 0
                            ? Promise.resolve()
                            : Promise.reject(new Error(t('masterData.form.scopeBad', { entries: bad.join(', ') })));
                        },
                      },
                    ]}
                  >
                    <Select
                      mode="tags"
                      open={false}
                      suffixIcon={null}
                      tokenSeparators={[',', '，', ' ']}
                      aria-label={t('masterData.form.scopeOf', { n: index + 1 })}
                      placeholder="III:07, II:07-03"
                    />
                  </Form.Item>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                icon={<PlusOutlined aria-hidden />}
                className="ml-form-notice"
                onClick={() => add({ kind: 'operating_licence', scope: [] })}
              >
                {t('masterData.form.addLicence')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('masterData.party.letters')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('masterData.form.lettersHelp')}</Typography.Paragraph>
        <Form.List name="repAuthorisations">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const masked = form.getFieldValue(['repAuthorisations', field.name, 'idNumberMasked']) as
                  string | undefined;
                return (
                  <Card
                    key={field.key}
                    size="small"
                    className="ml-form-notice"
                    title={t('masterData.form.letterN', { n: index + 1 })}
                    extra={
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined aria-hidden />}
                        aria-label={t('masterData.form.removeLetter', { n: index + 1 })}
                        onClick={() => remove(field.name)}
                      />
                    }
                  >
                    <Form.Item name={[field.name, 'id']} hidden>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'idNumberMasked']} hidden>
                      <Input />
                    </Form.Item>
                    <Space wrap align="start" className="ml-full-width">
                      <Form.Item
                        label={t('masterData.letter.repName')}
                        name={[field.name, 'repName']}
                        rules={required(60)}
                      >
                        <Input autoComplete="off" />
                      </Form.Item>
                      <Form.Item
                        label={t('masterData.letter.idNumber')}
                        name={[field.name, 'idNumber']}
                        extra={
                          masked === undefined
                            ? t('masterData.form.idNumberHelp')
                            : t('masterData.form.idNumberKeep', { masked })
                        }
                        rules={[
                          {
                            required: masked === undefined,
                            whitespace: true,
                            message: t('masterData.issues.idNumberRequired'),
                          },
                          { pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('masterData.issues.idNumber') },
                        ]}
                      >
                        <Input
                          autoComplete="off"
                          spellCheck={false}
                          maxLength={18}
                          placeholder={masked}
                          className="ml-code-input"
                        />
                      </Form.Item>
                    </Space>
                    <Form.Item
                      label={t('masterData.letter.territory')}
                      name={[field.name, 'territory']}
                      rules={required(200)}
                    >
                      <Input autoComplete="off" />
                    </Form.Item>
                    <Form.Item
                      label={t('masterData.letter.productCodes')}
                      name={[field.name, 'productCodes']}
                      extra={t('masterData.form.productCodesHelp')}
                    >
                      <Select
                        mode="tags"
                        open={false}
                        suffixIcon={null}
                        tokenSeparators={[',', '，', ' ']}
                        aria-label={t('masterData.form.productCodesOf', { n: index + 1 })}
                      />
                    </Form.Item>
                    <Space wrap align="start">
                      <Form.Item
                        label={t('masterData.letter.validFrom')}
                        name={[field.name, 'validFrom']}
                        rules={[{ required: true, message: t('masterData.form.dateRequired') }]}
                      >
                        <DatePicker format={DATE_FORMAT} />
                      </Form.Item>
                      <Form.Item
                        label={t('masterData.letter.validUntil')}
                        name={[field.name, 'validUntil']}
                        dependencies={[['repAuthorisations', field.name, 'validFrom']]}
                        rules={[
                          { required: true, message: t('masterData.form.dateRequired') },
                          ({ getFieldValue }) => ({
                            validator: (_r, v: Dayjs | null | undefined) => {
                              const from = getFieldValue(['repAuthorisations', field.name, 'validFrom']) as
                                Dayjs | undefined;
                              return !v || !from || !v.isBefore(from, 'day')
                                ? Promise.resolve()
                                : Promise.reject(new Error(t('masterData.issues.periodEndsBeforeStart')));
                            },
                          }),
                        ]}
                      >
                        <DatePicker format={DATE_FORMAT} />
                      </Form.Item>
                    </Space>
                  </Card>
                );
              })}
              <Button
                icon={<PlusOutlined aria-hidden />}
                className="ml-form-notice"
                onClick={() => add({ productCodes: [] })}
              >
                {t('masterData.form.addLetter')}
              </Button>
            </>
          )}
        </Form.List>

        <Form.Item
          label={t('masterData.form.reason')}
          name="reason"
          extra={party === null ? t('masterData.form.reasonHelpNew') : t('masterData.form.reasonHelpChange')}
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
