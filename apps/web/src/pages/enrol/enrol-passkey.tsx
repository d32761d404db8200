import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { confirmPasskeyEnrolment, passkeyEnrolOptions } from '../../api/passkeys';
import { refreshSession } from '../../api/session';
import type { LoginRedirectState } from '../../app/session';
import { PublicLayout } from '../../components/public-layout';
import { PasskeyErrorAlert, createPasskey } from '../login/passkey-ceremony';
import { RecoveryCodes } from './recovery-codes';

/** Today as YYYY-MM-DD, for the suggested passkey name. */
const today = () => new Date().toISOString().slice(0, 10);

/**
 * A passkey as the second factor (instead of an authenticator app): name it, let the browser create
 * it (fingerprint, face or PIN), then store the recovery codes shown this once.
 */
export function EnrolPasskey({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const [initialName] = useState(() => t('passkey.defaultName', { date: today() }));

  const enrol = useMutation({
    mutationFn: async (name: string) => confirmPasskeyEnrolment(name, await createPasskey(await passkeyEnrolOptions())),
    // The recovery codes do not stay in the mutation cache once this page is gone.
    gcTime: 0,
    onError: async (error) => {
      if (error instanceof ApiError && error.code === 'unauthenticated') {
        const state: LoginRedirectState = { notice: 'enrolment_expired' };
        await navigate('/login', { replace: true, state });
      }
    },
  });

  let body;
  if (enrol.isSuccess) {
    body = (
      <RecoveryCodes
        codes={enrol.data.recoveryCodes}
        account={null}
        onContinue={async () => {
          await refreshSession(queryClient);
          await navigate('/', { replace: true });
        }}
      />
    );
  } else {
    body = (
      <Form<{ name: string }>
        form={form}
        name="enrol-passkey"
        layout="vertical"
        requiredMark={false}
        initialValues={{ name: initialName }}
        disabled={enrol.isPending}
        onFinish={({ name }) => enrol.mutate(name.trim())}
      >
        <Typography.Paragraph>{t('passkey.enrolIntro')}</Typography.Paragraph>
        <Form.Item
          label={t('passkey.name')}
          name="name"
          extra={t('passkey.nameHelp')}
          rules={[
            { required: true, whitespace: true, message: t('passkey.nameRequired') },
            { max: 60, message: t('passkey.nameRequired') },
          ]}
        >
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
        {enrol.isError && !(enrol.error instanceof ApiError && enrol.error.code === 'unauthenticated') && (
          <Form.Item>
            <PasskeyErrorAlert error={enrol.error} ceremony="register" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block icon={<KeyOutlined aria-hidden />} loading={enrol.isPending}>
          {t('passkey.create')}
        </Button>
        <div className="ml-form-links">
          <Button type="link" onClick={onBack} disabled={enrol.isPending}>
            {t('passkey.back')}
          </Button>
        </div>
      </Form>
    );
  }

  return (
    <PublicLayout wide>
      <Card>
        <Typography.Title level={2}>
          {t(enrol.isSuccess ? 'passkey.enrolDoneTitle' : 'passkey.enrolTitle')}
        </Typography.Title>
        {body}
      </Card>
    </PublicLayout>
  );
}
