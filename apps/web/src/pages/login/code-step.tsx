import type { AuthStepResponse } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { verifyRecoveryCode, verifySmsCode, verifyTotpCode } from '../../api/auth';
import { ApiError } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { RECOVERY_CODE, TOTP_CODE, normaliseRecoveryCode, normaliseTotpCode } from './one-time-code';
import { SmsCodeForm } from './sms-code-form';

export type SecondFactor = 'passkey' | 'totp' | 'sms' | 'recovery';

const SWITCH_LABEL = {
  passkey: 'passkey.usePasskey',
  totp: 'login.useTotp',
  sms: 'login.useSms',
  recovery: 'login.useRecoveryCode',
} as const;

interface Props {
  factor: 'totp' | 'sms' | 'recovery';
  /** The second factors this account has (the links offer the others). */
  methods: AuthStepResponse['methods'];
  /** The login of this sign-in, shown so the user picks the right entry in the app. */
  login: string;
  onAnswer: (answer: AuthStepResponse) => Promise<void>;
  onSwitch: (factor: SecondFactor) => void;
  /** The server no longer knows this sign-in (expired, or too many wrong codes). */
  onExpired: () => void;
  onCancel: () => void;
}

/** Step 2: the authenticator app's code, a text-message code, or one of the recovery codes instead. */
export function CodeStep({ factor, methods, login, onAnswer, onSwitch, onExpired, onCancel }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const totp = factor === 'totp';

  const verify = useMutation({
    mutationFn: (code: string) => (totp ? verifyTotpCode(code) : verifyRecoveryCode(code)),
    onSuccess: (answer) => onAnswer(answer),
    onError: (error) => {
      form.setFieldValue('code', '');
      if (error instanceof ApiError && error.code === 'unauthenticated') onExpired();
    },
  });

  const links = (
    <div className="ml-form-links">
      {methods
        .filter((m) => m !== factor)
        .map((m) => (
          <Button key={m} type="link" onClick={() => onSwitch(m)}>
            {t(m === 'recovery' && factor === 'sms' ? 'login.useRecoveryCodeForSms' : SWITCH_LABEL[m])}
          </Button>
        ))}
      <Button type="link" onClick={onCancel}>
        {t('login.startOver')}
      </Button>
    </div>
  );
  if (factor === 'sms') {
    return (
      <>
        <SmsCodeForm
          verify={verifySmsCode}
          onVerified={onAnswer}
          onExpired={onExpired}
          submitLabel={t('login.verify')}
        />
        {links}
      </>
    );
  }

  const error = verify.error;
  // One message for every wrong code, whatever the reason (wrong, used before, out of time).
  const message =
    error instanceof ApiError && error.code === 'invalid_credentials'
      ? t(totp ? 'login.invalidTotp' : 'login.invalidRecovery')
      : error instanceof ApiError && error.code === 'service_unavailable'
        ? t('login.busy')
        : undefined;

  return (
    <Form<{ code: string }>
      form={form}
      name={`mfa-${factor}`}
      layout="vertical"
      requiredMark={false}
      disabled={verify.isPending}
      onFinish={({ code }) => verify.mutate(totp ? code : normaliseRecoveryCode(code))}
    >
      <Typography.Paragraph>{t(totp ? 'login.mfaIntro' : 'login.recoveryIntro', { login })}</Typography.Paragraph>
      {totp ? (
        <Form.Item
          label={t('login.totpCode')}
          name="code"
          normalize={normaliseTotpCode}
          rules={[
            { required: true, message: t('login.totpCodeRequired') },
            { pattern: TOTP_CODE, message: t('login.totpCodeFormat') },
          ]}
        >
          <Input
            className="ml-code-input"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
            autoFocus
          />
        </Form.Item>
      ) : (
        <Form.Item
          label={t('login.recoveryCode')}
          name="code"
          rules={[
            { required: true, whitespace: true, message: t('login.recoveryCodeRequired') },
            {
              validator: (_rule, value: string | undefined) =>
                !value?.trim() || RECOVERY_CODE.test(normaliseRecoveryCode(value))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('login.recoveryCodeFormat'))),
            },
          ]}
        >
          <Input
            className="ml-code-input"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="ABCDE-FGHJK-LMNPQ-RSTUV"
            autoFocus
          />
        </Form.Item>
      )}
      {verify.isError && !(error instanceof ApiError && error.code === 'unauthenticated') && (
        <Form.Item>
          <ApiErrorAlert error={error} message={message} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" block loading={verify.isPending}>
        {t('login.verify')}
      </Button>
      {links}
    </Form>
  );
}
