import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { changePassword } from '../../api/account';
import { ApiError } from '../../api/client';
import { fieldErrors } from '../../app/field-errors';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { NewPasswordFields } from '../../components/new-password-fields';

type Values = { currentPassword: string; newPassword: string; newPasswordConfirm: string };

interface Props {
  login: string;
  personal: readonly string[];
  min: number;
  onDone: () => void | Promise<void>;
  /** The server no longer accepts this session (expired, or the sign-in step timed out). */
  onUnauthenticated?: () => void;
}

/** AUTH-05: the current password, then the new one twice; other sessions end when it is saved. */
export function ChangePasswordForm({ login, personal, min, onDone, onUnauthenticated }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const save = useMutation({
    mutationFn: (values: Values) =>
      changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    onSuccess: async () => {
      form.resetFields();
      await onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'unauthenticated') onUnauthenticated?.();
      form.setFields(
        fieldErrors(t, error, { 'body.currentPassword': 'currentPassword', 'body.newPassword': 'newPassword' }),
      );
    },
  });
  const fieldProblem = save.error instanceof ApiError && save.error.code === 'validation_failed';
  return (
    <Form<Values>
      form={form}
      name="change-password"
      layout="vertical"
      requiredMark={false}
      disabled={save.isPending}
      onFinish={(values) => save.mutate(values)}
    >
      <input type="text" name="username" autoComplete="username" value={login} readOnly hidden />
      <Form.Item
        label={t('passwordPolicy.current')}
        name="currentPassword"
        rules={[{ required: true, message: t('passwordPolicy.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <NewPasswordFields name="newPassword" password={newPassword} personal={personal} min={min} />
      {save.isError && !fieldProblem && (
        <Form.Item>
          <ApiErrorAlert error={save.error} />
        </Form.Item>
      )}
      {save.isSuccess && (
        <Alert className="ml-form-notice" type="success" showIcon title={t('passwordPolicy.changed')} />
      )}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('passwordPolicy.submitChange')}
      </Button>
    </Form>
  );
}
