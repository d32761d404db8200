import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { signUndertaking, trainingKey, useUndertaking } from '../../api/training';
import { listPasskeys, passkeyStepUp, passkeyStepUpOptions } from '../../api/passkeys';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { myFactorsQueryKey } from '../../components/step-up';
import { PasskeyErrorAlert, signWithPasskey } from '../login/passkey-ceremony';
import { formatDate, usePick } from './training-format';

/** TRN-01: read and sign the confidentiality undertaking (electronic signature with a fresh code). */
export function UndertakingPage() {
  const { t, i18n } = useTranslation();
  const pick = usePick();
  const queryClient = useQueryClient();
  const undertaking = useUndertaking();
  const factors = useQuery({ queryKey: myFactorsQueryKey, queryFn: listPasskeys });
  const sign = useMutation({
    mutationFn: (code: string) => signUndertaking(undertaking.data!.version, code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trainingKey }),
  });
  // GSP-04 with a passkey: confirm with it, then sign (the confirmation is used up by this signature).
  const signWithKey = useMutation({
    mutationFn: async () => {
      await passkeyStepUp(await signWithPasskey(await passkeyStepUpOptions()));
      return signUndertaking(undertaking.data!.version);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trainingKey }),
  });
  const hasPasskey = (factors.data?.passkeys.length ?? 0) > 0;
  const hasCode = factors.data?.totpEnrolled ?? true;
  if (undertaking.error) return <ApiErrorAlert error={undertaking.error} />;
  if (!undertaking.data) return <Card loading />;
  const { signature } = undertaking.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('training.undertaking')}</Typography.Title>
      <Card>
        <Typography.Paragraph style={{ whiteSpace: 'pre-line' }}>
          {pick(undertaking.data.textZh, undertaking.data.textEn)}
        </Typography.Paragraph>
      </Card>
      {signature ? (
        <Alert
          type="success"
          showIcon
          title={t('training.signedBy', {
            name: signature.signerName,
            date: formatDate(signature.signedAt, i18n.language),
          })}
        />
      ) : (
        <Card title={t('training.signTitle')}>
          <Typography.Paragraph>{t('training.signIntro')}</Typography.Paragraph>
          {factors.isSuccess && !hasPasskey && !hasCode && (
            <Alert className="ml-form-notice" type="warning" showIcon title={t('training.needStrongFactor')} />
          )}
          {hasPasskey && (
            <Space orientation="vertical" className="ml-form-notice">
              <Button
                type="primary"
                icon={<KeyOutlined aria-hidden />}
                loading={signWithKey.isPending}
                onClick={() => signWithKey.mutate()}
              >
                {t('training.signWithPasskey')}
              </Button>
              {signWithKey.error && <PasskeyErrorAlert error={signWithKey.error} ceremony="sign_in" />}
            </Space>
          )}
          {hasCode && (
            <Form layout="inline" onFinish={(values: { code: string }) => sign.mutate(values.code)}>
              <Form.Item
                name="code"
                label={t('training.code')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('training.codeFormat') }]}
              >
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={sign.isPending}>
                {t('training.sign')}
              </Button>
            </Form>
          )}
          {sign.error && <ApiErrorAlert error={sign.error} />}
        </Card>
      )}
    </Space>
  );
}
