import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { login, type LoginInput } from '../../api/auth';
import { ApiError } from '../../api/client';
import { sessionQuery, useSession } from '../../api/session';
import { isLoginRedirectState } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PublicLayout } from '../../components/public-layout';

/** Only a path inside this app is a valid place to return to after signing in. */
function returnPath(state: unknown): string {
  if (!isLoginRedirectState(state)) return '/';
  // "//host" and "/\host" would leave the origin.
  return /^\/(?![/\\])/.test(state.from) ? state.from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const session = useSession();
  const [form] = Form.useForm<LoginInput>();
  const target = returnPath(location.state);

  const signIn = useMutation({
    mutationFn: login,
    // The session query then holds the user, and the <Navigate> below leaves this page.
    onSuccess: () => queryClient.fetchQuery({ ...sessionQuery, staleTime: 0 }),
    onError: () => form.setFieldValue('password', ''),
  });

  if (session.data) return <Navigate to={target} replace />;

  const error = signIn.error;
  const errorMessage =
    error instanceof ApiError && (error.status === 404 || error.code === 'not_found')
      ? t('login.notAvailable')
      : error instanceof ApiError && error.code === 'unauthenticated'
        ? t('login.invalidCredentials')
        : undefined;

  return (
    <PublicLayout>
      <Card>
        <Typography.Title level={2}>{t('login.title')}</Typography.Title>
        <Form<LoginInput>
          form={form}
          name="login"
          layout="vertical"
          requiredMark={false}
          disabled={signIn.isPending}
          onFinish={(values) => signIn.mutate({ login: values.login.trim(), password: values.password })}
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
              <ApiErrorAlert error={error} message={errorMessage} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </PublicLayout>
  );
}
