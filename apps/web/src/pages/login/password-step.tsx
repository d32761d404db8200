import type { AuthStepResponse } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { login, type LoginInput } from '../../api/auth';
import { ApiError } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error-alert';

interface Props {
  /** A new attempt starts: earlier notices no longer apply. */
  onSubmit: () => void;
  /** The server accepted the password; `login` is what the user typed (for the next step's text). */
  onAnswer: (answer: AuthStepResponse, login: string) => Promise<void>;
}

/** Step 1: login and password. Password managers fill it; pasting is never blocked (AUTH-05). */
export function PasswordStep({ onSubmit, onAnswer }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginInput>();

  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (answer, input) => onAnswer(answer, input.login),
    // The password never outlives a failed attempt.
    onError: () => form.setFieldValue('password', ''),
  });

  const error = signIn.error;
  // Wrong login, wrong password and a locked account get the same answer (errors.invalid_credentials).
  const message = error instanceof ApiError && error.code === 'service_unavailable' ? t('login.busy') : undefined;

  return (
    <Form<LoginInput>
      form={form}
      name="login"
      layout="vertical"
      requiredMark={false}
      disabled={signIn.isPending}
      onFinish={(values) => {
        onSubmit();
        signIn.mutate({ login: values.login.trim(), password: values.password });
      }}
    >
      <Form.Item
        label={t('login.login')}
        name="login"
        rules={[{ required: true, whitespace: true, message: t('login.loginRequired') }]}
      >
        <Input autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus />
      </Form.Item>
      <Form.Item
        label={t('login.password')}
        name="password"
        rules={[{ required: true, message: t('login.passwordRequired') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      {signIn.isError && (
        <Form.Item>
          <ApiErrorAlert error={error} message={message} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
        {t('login.submit')}
      </Button>
    </Form>
  );
}
