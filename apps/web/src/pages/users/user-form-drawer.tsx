import { Login, PhoneNumber, type CreateUserInput, type UserSummary } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Form, Input, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { fieldErrors } from '../../app/field-errors';
import { ApiErrorAlert } from '../../components/api-error-alert';

interface Values {
  login: string;
  name: string;
  phone?: string;
  email?: string;
  organisation?: string;
  employmentEndsOn?: Dayjs | null;
}

const FIELDS = {
  'body.login': 'login',
  'body.name': 'name',
  'body.phone': 'phone',
  'body.email': 'email',
  'body.organisation': 'organisation',
  'body.employmentEndsOn': 'employmentEndsOn',
} as const;

interface Props {
  /** `null`: a new account; otherwise the account being edited (its login never changes). */
  editing: UserSummary | null;
  open: boolean;
  onClose: () => void;
  onSubmit: (input: CreateUserInput) => Promise<unknown>;
}

const orNull = (value: string | undefined) => (value === undefined || value.trim() === '' ? null : value.trim());

/** Create or edit an account. Phone and e-mail of an existing account are shown masked: leave blank to keep. */
export function UserFormDrawer({ editing, open, onClose, onSubmit }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (values: Values) =>
      onSubmit({
        login: values.login.trim(),
        name: values.name.trim(),
        phone: orNull(values.phone),
        email: orNull(values.email),
        organisation: orNull(values.organisation),
        employmentEndsOn: values.employmentEndsOn ? values.employmentEndsOn.format('YYYY-MM-DD') : null,
      }),
    onSuccess: () => {
      form.resetFields();
      onClose();
    },
    onError: (error) => form.setFields(fieldErrors(t, error, FIELDS)),
  });
  return (
    <Drawer
      open={open}
      width={480}
      title={editing === null ? t('users.createTitle') : t('users.editTitle', { login: editing.login })}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('users.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {editing === null ? t('users.create') : t('users.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        name="user-form"
        layout="vertical"
        requiredMark={false}
        disabled={save.isPending}
        initialValues={
          editing === null
            ? {}
            : {
                login: editing.login,
                name: editing.name,
                organisation: editing.organisation ?? undefined,
                employmentEndsOn: editing.employmentEndsOn === null ? null : dayjs(editing.employmentEndsOn),
              }
        }
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          label={t('users.login')}
          name="login"
          extra={editing === null ? t('setup.loginHelp') : undefined}
          rules={[
            { required: true, whitespace: true, message: t('setup.loginRequired') },
            {
              validator: (_r, v: string | undefined) =>
                !v?.trim() || Login.safeParse(v.trim()).success
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('setup.loginFormat'))),
            },
          ]}
        >
          <Input autoComplete="off" autoCapitalize="none" spellCheck={false} disabled={editing !== null} />
        </Form.Item>
        <Form.Item
          label={t('users.name')}
          name="name"
          rules={[{ required: true, whitespace: true, max: 100, message: t('setup.nameRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('users.phone')}
          name="phone"
          extra={editing?.phoneMasked ? t('users.keepMasked', { value: editing.phoneMasked }) : t('users.phoneHelp')}
          rules={[
            {
              validator: (_r, v: string | undefined) =>
                !v?.trim() || PhoneNumber.safeParse(v.trim()).success
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('users.phoneFormat'))),
            },
          ]}
        >
          <Input inputMode="tel" autoComplete="off" maxLength={11} />
        </Form.Item>
        <Form.Item
          label={t('users.email')}
          name="email"
          extra={editing?.emailMasked ? t('users.keepMasked', { value: editing.emailMasked }) : undefined}
          rules={[{ type: 'email', message: t('users.emailFormat') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('users.organisation')} name="organisation">
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item label={t('users.employmentEndsOn')} name="employmentEndsOn" extra={t('users.employmentHelp')}>
          <DatePicker className="ml-full-width" />
        </Form.Item>
        {save.isError && (save.error as { code?: string }).code !== 'validation_failed' && (
          <ApiErrorAlert error={save.error} />
        )}
      </Form>
    </Drawer>
  );
}
