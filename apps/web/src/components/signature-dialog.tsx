import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Divider, Form, Input, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { listPasskeys, passkeyStepUp, passkeyStepUpOptions } from '../api/passkeys';
import { PasskeyErrorAlert, signWithPasskey } from '../pages/login/passkey-ceremony';
import { TOTP_CODE, normaliseTotpCode } from '../pages/login/one-time-code';
import { ApiErrorAlert } from './api-error-alert';
import { isStepUpRequired, myFactorsQueryKey } from './step-up';

interface Props {
  open: boolean;
  title: string;
  /** What the signer confirms, shown above the signing methods. */
  meaning: ReactNode;
  /** Label of the button that signs with a code, e.g. "Sign and approve". */
  confirmLabel: string;
  /**
   * Performs the signed action: with an authenticator `code`, or with `undefined` after a passkey
   * confirmation (which the server accepts for exactly one signature within two minutes).
   */
  onSign: (code: string | undefined) => Promise<unknown>;
  onSigned: () => void;
  onCancel: () => void;
  /**
   * Shows a refusal of the signed action itself (not of the code or passkey), e.g. with the
   * server's detail; by default the localized message only.
   */
  renderError?: (error: unknown) => ReactNode;
}

/** Refusals of the signed action (as opposed to a wrong code or a failed passkey ceremony). */
const ACTION_REFUSALS = new Set(['forbidden', 'conflict', 'validation_failed', 'qualification_blocked', 'not_found']);
const isActionRefusal = (error: unknown) => error instanceof ApiError && ACTION_REFUSALS.has(error.code);

function SignatureMethods({
  meaning,
  confirmLabel,
  onSign,
  onSigned,
  renderError,
}: Omit<Props, 'open' | 'title' | 'onCancel'>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const factors = useQuery({ queryKey: myFactorsQueryKey, queryFn: listPasskeys });
  const withCode = useMutation({
    mutationFn: (code: string) => onSign(code),
    onSuccess: onSigned,
    onError: () => form.setFieldValue('code', ''),
  });
  // GSP-04 with a passkey: confirm with it, then sign (the confirmation is used up by this signature).
  const withPasskey = useMutation({
    mutationFn: async () => {
      await passkeyStepUp(await signWithPasskey(await passkeyStepUpOptions()));
      return onSign(undefined);
    },
    onSuccess: onSigned,
  });
  const hasPasskey = (factors.data?.passkeys.length ?? 0) > 0;
  // Until the factors are known, the code field is offered (the server decides anyway).
  const hasCode = factors.data?.totpEnrolled ?? true;
  const busy = withCode.isPending || withPasskey.isPending;
  const codeError = withCode.error;

  return (
    <>
      <div className="ml-form-notice">{meaning}</div>
      <Typography.Paragraph type="secondary">{t('signature.intro')}</Typography.Paragraph>
      {factors.isSuccess && !hasPasskey && !hasCode && (
        <Alert className="ml-form-notice" type="warning" showIcon title={t('signature.needStrongFactor')} />
      )}
      {hasPasskey && (
        <>
          {withPasskey.isError && (
            <div className="ml-form-notice">
              {renderError && isActionRefusal(withPasskey.error) ? (
                renderError(withPasskey.error)
              ) : (
                <PasskeyErrorAlert error={withPasskey.error} ceremony="sign_in" />
              )}
            </div>
          )}
          <Button
            type="primary"
            block
            icon={<KeyOutlined aria-hidden />}
            loading={withPasskey.isPending}
            disabled={busy}
            onClick={() => withPasskey.mutate()}
          >
            {t('signature.withPasskey')}
          </Button>
          {hasCode && <Divider plain>{t('signature.or')}</Divider>}
        </>
      )}
      {hasCode && (
        <Form<{ code: string }>
          form={form}
          name="signature-code"
          layout="vertical"
          requiredMark={false}
          disabled={busy}
          onFinish={({ code }) => withCode.mutate(code)}
        >
          <Form.Item
            label={t('signature.code')}
            name="code"
            normalize={normaliseTotpCode}
            rules={[
              { required: true, message: t('login.totpCodeRequired') },
              { pattern: TOTP_CODE, message: t('login.totpCodeFormat') },
            ]}
          >
            <Input className="ml-code-input" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />
          </Form.Item>
          {codeError && renderError && isActionRefusal(codeError) && <Form.Item>{renderError(codeError)}</Form.Item>}
          {codeError && !(renderError && isActionRefusal(codeError)) && (
            <Form.Item>
              <ApiErrorAlert
                error={codeError}
                message={
                  isStepUpRequired(codeError)
                    ? t('signature.codeRejected')
                    : codeError instanceof ApiError && codeError.code === 'unauthenticated'
                      ? t('stepUp.sessionEnded')
                      : undefined
                }
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={withCode.isPending}>
            {confirmLabel}
          </Button>
        </Form>
      )}
    </>
  );
}

/**
 * GSP-04 electronic signature: the signer confirms what they sign with an authenticator code or a
 * passkey. The dialog itself signs nothing; `onSign` performs the signed request.
 */
export function SignatureDialog({ open, title, onCancel, ...methods }: Props) {
  return (
    <Modal open={open} title={title} footer={null} onCancel={onCancel} destroyOnHidden>
      <SignatureMethods {...methods} />
    </Modal>
  );
}
