import type { AuthStepResponse } from '@medledger/contract';
import { KeyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { passkeyMfa, passkeyMfaOptions } from '../../api/passkeys';
import type { SecondFactor } from './code-step';
import { PasskeyErrorAlert, signWithPasskey } from './passkey-ceremony';

interface Props {
  login: string;
  methods: AuthStepResponse['methods'];
  onAnswer: (answer: AuthStepResponse) => Promise<void>;
  onSwitch: (factor: SecondFactor) => void;
  onExpired: () => void;
  onCancel: () => void;
}

/** Step 2 with a passkey: the browser signs this sign-in's challenge after the fingerprint, face or PIN. */
export function PasskeyStep({ login, methods, onAnswer, onSwitch, onExpired, onCancel }: Props) {
  const { t } = useTranslation();
  const verify = useMutation({
    mutationFn: async () => passkeyMfa(await signWithPasskey(await passkeyMfaOptions())),
    onSuccess: (answer) => onAnswer(answer),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'unauthenticated') onExpired();
    },
  });
  const expired = verify.error instanceof ApiError && verify.error.code === 'unauthenticated';

  return (
    <>
      <Typography.Paragraph>{t('passkey.mfaIntro', { login })}</Typography.Paragraph>
      {verify.isError && !expired && (
        <div className="ml-form-notice">
          <PasskeyErrorAlert error={verify.error} ceremony="sign_in" />
        </div>
      )}
      <Button
        type="primary"
        block
        icon={<KeyOutlined aria-hidden />}
        loading={verify.isPending}
        onClick={() => verify.mutate()}
      >
        {t('passkey.mfaButton')}
      </Button>
      <div className="ml-form-links">
        {methods.includes('totp') && (
          <Button type="link" onClick={() => onSwitch('totp')}>
            {t('login.useTotp')}
          </Button>
        )}
        {methods.includes('sms') && (
          <Button type="link" onClick={() => onSwitch('sms')}>
            {t('login.useSms')}
          </Button>
        )}
        {methods.includes('recovery') && (
          <Button type="link" onClick={() => onSwitch('recovery')}>
            {t('login.useRecoveryCode')}
          </Button>
        )}
        <Button type="link" onClick={onCancel}>
          {t('login.startOver')}
        </Button>
      </div>
    </>
  );
}
