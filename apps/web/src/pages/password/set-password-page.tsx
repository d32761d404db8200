import type { CheckPasswordLinkResponse } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { setPasswordWithLink, usePasswordLinkCheck } from '../../api/account';
import { ApiError } from '../../api/client';
import { fieldErrors } from '../../app/field-errors';
import { formatLocalTime } from '../../app/format';
import { useHashToken } from '../../app/use-hash-token';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { NewPasswordFields, USER_PASSWORD_MIN_LENGTH } from '../../components/new-password-fields';
import { PublicLayout } from '../../components/public-layout';
import { ADMIN_PASSWORD_MIN_LENGTH } from '../setup/password-strength';

type Values = { password: string; passwordConfirm: string };

function SetPasswordForm({
  token,
  account,
  onRejected,
  onDone,
}: {
  token: string;
  account: CheckPasswordLinkResponse;
  onRejected: () => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const password = Form.useWatch('password', form) ?? '';
  const min = account.privileged ? ADMIN_PASSWORD_MIN_LENGTH : USER_PASSWORD_MIN_LENGTH;
  const save = useMutation({
    mutationFn: (values: Values) => setPasswordWithLink(token, values.password),
    onSuccess: onDone,
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'link_invalid') onRejected();
      form.setFields(fieldErrors(t, error, { 'body.password': 'password' }));
    },
  });
  const rejected =
    save.error instanceof ApiError && save.error.code === 'validation_failed' && save.error.issues.length > 0;
  return (
    <>
      <Alert
        type="info"
        showIcon
        title={t(account.purpose === 'invite' ? 'setPassword.inviteFor' : 'setPassword.resetFor', {
          name: account.name,
          login: account.login,
        })}
        description={t('setPassword.validUntil', { time: formatLocalTime(account.expiresAt, i18n.language, 'short') })}
      />
      <Form<Values>
        form={form}
        name="set-password"
        layout="vertical"
        requiredMark={false}
        disabled={save.isPending}
        className="ml-form-top"
        onFinish={(values) => save.mutate(values)}
      >
        {/* Lets password managers store the new password under the right login. */}
        <input type="text" name="username" autoComplete="username" value={account.login} readOnly hidden />
        <NewPasswordFields name="password" password={password} personal={[account.login, account.name]} min={min} />
        {save.isError && !rejected && (
          <Form.Item>
            <ApiErrorAlert error={save.error} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={save.isPending}>
          {t('setPassword.submit')}
        </Button>
      </Form>
    </>
  );
}

/** `/set-password#token=…`: a new user's invitation, or a reset an administrator issued (AUTH-18). */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const [rejected, setRejected] = useState(false);
  const [done, setDone] = useState(false);
  const hashToken = useHashToken(() => {
    setRejected(false);
    setDone(false);
  });
  const check = usePasswordLinkCheck(hashToken.kind === 'token' && !done ? hashToken.token : undefined);

  let body;
  if (done) {
    body = (
      <Result
        status="success"
        title={t('setPassword.doneTitle')}
        subTitle={t('setPassword.done')}
        extra={
          <Link to="/login">
            <Button type="primary">{t('setPassword.toLogin')}</Button>
          </Link>
        }
      />
    );
  } else if (hashToken.kind !== 'token' || rejected) {
    body = <Result status="error" title={t('setPassword.invalidTitle')} subTitle={t('errors.link_invalid')} />;
  } else if (check.isPending) {
    body = (
      <div className="ml-centered">
        <Spin size="large" description={t('setPassword.checking')} />
      </div>
    );
  } else if (check.isError) {
    body =
      check.error instanceof ApiError && check.error.code === 'link_invalid' ? (
        <Result status="error" title={t('setPassword.invalidTitle')} subTitle={t('errors.link_invalid')} />
      ) : (
        <ApiErrorAlert error={check.error} />
      );
  } else {
    body = (
      <SetPasswordForm
        token={hashToken.token}
        account={check.data}
        onRejected={() => setRejected(true)}
        onDone={() => setDone(true)}
      />
    );
  }

  return (
    <PublicLayout>
      <Card>
        <Typography.Title level={2}>{t('setPassword.title')}</Typography.Title>
        {body}
      </Card>
    </PublicLayout>
  );
}
