import type { AuthStepResponse } from '@medledger/contract';
import { KeyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Divider, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { passkeyLogin, passkeyLoginOptions } from '../../api/passkeys';
import { PasskeyErrorAlert, signWithPasskey } from './passkey-ceremony';

interface Props {
  /** A new attempt starts: earlier notices no longer apply. */
  onStart: () => void;
  onAnswer: (answer: AuthStepResponse) => Promise<void>;
}

/**
 * Sign-in without login or password: the browser offers the passkeys it holds for this site and
 * asks for the fingerprint, face or PIN. Works also while the password is locked (AUTH-09).
 */
export function PasskeySignIn({ onStart, onAnswer }: Props) {
  const { t } = useTranslation();
  const signIn = useMutation({
    mutationFn: async () => passkeyLogin(await signWithPasskey(await passkeyLoginOptions())),
    onSuccess: (answer) => onAnswer(answer),
  });

  return (
    <div className="ml-passkey-sign-in">
      <Divider plain>{t('passkey.or')}</Divider>
      {signIn.isError && (
        <div className="ml-form-notice">
          <PasskeyErrorAlert error={signIn.error} ceremony="sign_in" />
        </div>
      )}
      <Button
        block
        icon={<KeyOutlined aria-hidden />}
        loading={signIn.isPending}
        onClick={() => {
          onStart();
          signIn.mutate();
        }}
      >
        {t('passkey.signIn')}
      </Button>
      <Typography.Paragraph type="secondary" className="ml-passkey-hint">
        {t('passkey.signInHint')}
      </Typography.Paragraph>
    </div>
  );
}
