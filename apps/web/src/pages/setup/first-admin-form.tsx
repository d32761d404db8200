import { Login } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { createFirstAdmin } from '../../api/setup';
import { fieldErrors } from '../../app/field-errors';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ADMIN_PASSWORD_MIN_LENGTH } from './password-strength';
import { PasswordStrengthMeter } from './password-strength-meter';

interface Values {
  login: string;
  name: string;
  password: string;
  confirm: string;
}

/** Server validation paths shown under the matching field. */
const FIELD_OF_ISSUE = {
  'body.login': 'login',
  'body.name': 'name',
  'body.password': 'password',
} as const;

interface Props {
  /** The setup token from the link's fragment. */
  token: string;
  /** The server refused the token (used meanwhile, or expired). */
  onTokenRejected: () => void;
}

/** The first administrator: login, name and a strong password; then the authenticator enrolment. */
export function FirstAdminForm({ token, onTokenRejected }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const password = Form.useWatch('password', form) ?? '';
  const login = Form.useWatch('login', form) ?? '';
  const name = Form.useWatch('name', form) ?? '';
  const min = ADMIN_PASSWORD_MIN_LENGTH;

  const create = useMutation({
    mutationFn: createFirstAdmin,
    // The new session can only enrol the authenticator; nothing else is possible before that.
    onSuccess: () => navigate('/enrol-totp', { replace: true }),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'setup_token_invalid') {
        onTokenRejected();
        return;
      }
      form.setFields(fieldErrors(t, error, FIELD_OF_ISSUE));
    },
  });

  const error = create.error;
  const passwordRejected = fieldErrors(t, error, FIELD_OF_ISSUE).some((field) => field.name === 'password');

  return (
    <Form<Values>
      form={form}
      name="first-admin"
      layout="vertical"
      requiredMark={false}
      disabled={create.isPending}
      onFinish={(values) =>
        create.mutate({ token, login: values.login.trim(), name: values.name.trim(), password: values.password })
      }
    >
      <Form.Item
        label={t('setup.login')}
        name="login"
        extra={t('setup.loginHelp')}
        rules={[
          { required: true, whitespace: true, message: t('setup.loginRequired') },
          {
            validator: (_rule, value: string | undefined) =>
              !value?.trim() || Login.safeParse(value.trim()).success
                ? Promise.resolve()
                : Promise.reject(new Error(t('setup.loginFormat'))),
          },
        ]}
      >
        <Input autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus />
      </Form.Item>
      <Form.Item
        label={t('setup.name')}
        name="name"
        rules={[
          { required: true, whitespace: true, message: t('setup.nameRequired') },
          { max: 100, message: t('setup.nameTooLong') },
        ]}
      >
        <Input autoComplete="name" />
      </Form.Item>
      <Form.Item
        label={t('setup.password')}
        name="password"
        validateTrigger={['onChange', 'onBlur']}
        extra={<PasswordStrengthMeter password={password} personal={[login, name]} />}
        rules={[
          { required: true, message: t('setup.passwordRequired') },
          {
            // Counted in code points, as the server does; checked when leaving the field, not per key.
            validateTrigger: 'onBlur',
            validator: (_rule, value: string | undefined) =>
              !value || [...value].length >= min
                ? Promise.resolve()
                : Promise.reject(new Error(t('setup.passwordTooShort', { min }))),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('setup.confirmPassword')}
        name="confirm"
        dependencies={['password']}
        rules={[
          { required: true, message: t('setup.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string | undefined) =>
              !value || value === getFieldValue('password')
                ? Promise.resolve()
                : Promise.reject(new Error(t('setup.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      {create.isError && (
        <Form.Item>
          {passwordRejected ? (
            <Alert type="error" showIcon title={t('setup.passwordRejected')} />
          ) : (
            <ApiErrorAlert error={error} />
          )}
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" block loading={create.isPending}>
        {t('setup.submit')}
      </Button>
    </Form>
  );
}
