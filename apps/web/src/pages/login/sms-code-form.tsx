import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSmsStatus, sendSmsCode } from '../../api/auth';
import { ApiError } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { TOTP_CODE, normaliseTotpCode } from './one-time-code';
import { SmsRiskNotice, type SmsRiskChoices } from './sms-risk-notice';

const isUnauthenticated = (error: unknown) => error instanceof ApiError && error.code === 'unauthenticated';

/** Counts down once a second to zero. */
function useCountdown(): [number, (seconds: number) => void] {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (seconds <= 0) return;
    const timer = setTimeout(() => setSeconds((s) => Math.max(0, s - 1)), 1000);
    return () => clearTimeout(timer);
  }, [seconds]);
  return [seconds, setSeconds];
}

interface Props<R> {
  /** Checks the code on the server (sign-in step or enrolment), with the risk notice's acknowledgement. */
  verify: (code: string, riskAcknowledged: boolean) => Promise<R>;
  onVerified: (result: R) => Promise<void> | void;
  /** The pending sign-in is gone on the server (expired, or too many wrong codes). */
  onExpired: () => void;
  submitLabel: string;
  /**
   * TRN-03: choosing SMS (enrolment) shows the risk notice, and nothing is sent or confirmed until
   * the user acknowledges it; the stronger factors it offers switch the set-up.
   */
  riskNotice?: SmsRiskChoices;
}

/**
 * AUTH-15: a code by text message. Shows the masked number, sends on request (with the server's
 * resend countdown), and verifies the 6-digit code. Used at the sign-in step and at enrolment.
 */
export function SmsCodeForm<R>({ verify, onVerified, onExpired, submitLabel, riskNotice }: Props<R>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const [countdown, setCountdown] = useCountdown();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  // Only the enrolment asks for the acknowledgement; a sign-in code needs none.
  const blocked = riskNotice !== undefined && !acknowledged;

  const status = useQuery({ queryKey: ['auth', 'sms-status'], queryFn: getSmsStatus, retry: false, gcTime: 0 });
  const statusData = status.data;
  useEffect(() => {
    if (statusData) setCountdown(statusData.resendInSeconds);
  }, [statusData, setCountdown]);
  useEffect(() => {
    if (isUnauthenticated(status.error)) onExpired();
  }, [status.error, onExpired]);

  const send = useMutation({
    mutationFn: () => sendSmsCode(riskNotice !== undefined && acknowledged),
    onSuccess: (answer) => {
      setSentTo(answer.maskedPhone);
      setCountdown(answer.resendInSeconds);
      form.setFieldValue('code', '');
    },
    onError: async (error) => {
      if (isUnauthenticated(error)) onExpired();
      // The cooldown is still running (another tab, or a new sign-in): show the server's countdown.
      else if (error instanceof ApiError && error.code === 'rate_limited') await status.refetch();
    },
  });
  const check = useMutation({
    mutationFn: (code: string) => verify(code, riskNotice !== undefined && acknowledged),
    onSuccess: (result) => onVerified(result),
    onError: (error) => {
      form.setFieldValue('code', '');
      if (isUnauthenticated(error)) onExpired();
    },
  });

  if (status.isPending) {
    return (
      <div className="ml-centered">
        <Spin />
      </div>
    );
  }
  if (status.isError || !status.data.available) {
    return status.isError && isUnauthenticated(status.error) ? null : (
      <ApiErrorAlert error={status.error} message={t('sms.unavailable')} />
    );
  }

  const phone = sentTo ?? status.data.maskedPhone ?? '';
  const error = check.error ?? send.error;
  const message =
    error instanceof ApiError && error.code === 'invalid_credentials'
      ? t('sms.invalidCode')
      : error instanceof ApiError && error.code === 'rate_limited'
        ? t('sms.wait')
        : undefined;
  const showError = (check.isError || send.isError) && !isUnauthenticated(error);

  return (
    <Form<{ code: string }>
      form={form}
      name="mfa-sms"
      layout="vertical"
      requiredMark={false}
      disabled={check.isPending}
      onFinish={({ code }) => check.mutate(code)}
    >
      {riskNotice !== undefined && (
        <SmsRiskNotice {...riskNotice} acknowledged={acknowledged} onAcknowledgedChange={setAcknowledged} />
      )}
      <Typography.Paragraph>{t('sms.intro', { phone })}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('notices.smsRisk.neverAsk')}</Typography.Paragraph>
      <Space className="ml-form-action" wrap>
        <Button onClick={() => send.mutate()} loading={send.isPending} disabled={countdown > 0 || blocked}>
          {countdown > 0 ? t('sms.resendIn', { seconds: countdown }) : t(sentTo === null ? 'sms.send' : 'sms.resend')}
        </Button>
        {sentTo !== null && <Typography.Text type="secondary">{t('sms.sent', { phone: sentTo })}</Typography.Text>}
      </Space>
      <Form.Item
        label={t('sms.code')}
        name="code"
        normalize={normaliseTotpCode}
        rules={[
          { required: true, message: t('sms.codeRequired') },
          { pattern: TOTP_CODE, message: t('sms.codeFormat') },
        ]}
      >
        <Input className="ml-code-input" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />
      </Form.Item>
      {showError && (
        <Form.Item>
          <ApiErrorAlert error={error} message={message} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" block loading={check.isPending} disabled={blocked}>
        {submitLabel}
      </Button>
    </Form>
  );
}
