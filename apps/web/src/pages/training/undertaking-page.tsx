import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { signUndertaking, trainingKey, useUndertaking } from '../../api/training';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatDate, usePick } from './training-format';

/** TRN-01: read and sign the confidentiality undertaking (electronic signature with a fresh code). */
export function UndertakingPage() {
  const { t, i18n } = useTranslation();
  const pick = usePick();
  const queryClient = useQueryClient();
  const undertaking = useUndertaking();
  const sign = useMutation({
    mutationFn: (code: string) => signUndertaking(undertaking.data!.version, code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trainingKey }),
  });
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
          {sign.error && <ApiErrorAlert error={sign.error} />}
        </Card>
      )}
    </Space>
  );
}
