import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Typography } from 'antd';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { listPasskeys, passkeyStepUp, passkeyStepUpOptions, totpStepUp } from '../api/passkeys';
import { PasskeyErrorAlert, signWithPasskey } from '../pages/login/passkey-ceremony';
import { TOTP_CODE, normaliseTotpCode } from '../pages/login/one-time-code';
import { ApiErrorAlert } from './api-error-alert';

export const isStepUpRequired = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'step_up_required';

/** The user's factors, for offering the right step-up methods. */
export const myFactorsQueryKey = ['auth', 'passkeys'] as const;

interface StepUpProps {
  open: boolean;
  canUsePasskey: boolean;
  canUseCode: boolean;
  onDone: () => void;
  onCancel: () => void;
}

/** SESS-09: confirm your identity again, with a passkey or an authenticator code. */
export function StepUpModal({ open, canUsePasskey, canUseCode, onDone, onCancel }: StepUpProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const withPasskey = useMutation({
    mutationFn: async () => passkeyStepUp(await signWithPasskey(await passkeyStepUpOptions())),
    onSuccess: onDone,
  });
  const withCode = useMutation({
    mutationFn: totpStepUp,
    onSuccess: () => {
      form.resetFields();
      onDone();
    },
    onError: () => form.setFieldValue('code', ''),
  });
  const busy = withPasskey.isPending || withCode.isPending;
  const codeError = withCode.error;

  return (
    <Modal open={open} title={t('stepUp.title')} footer={null} onCancel={onCancel} destroyOnHidden>
      <Typography.Paragraph>{t('stepUp.intro')}</Typography.Paragraph>
      {canUsePasskey && withPasskey.isError && (
        <div className="ml-form-notice">
          <PasskeyErrorAlert error={withPasskey.error} ceremony="sign_in" />
        </div>
      )}
      {canUsePasskey && (
        <Button
          type="primary"
          block
          icon={<KeyOutlined aria-hidden />}
          loading={withPasskey.isPending}
          disabled={busy}
          onClick={() => withPasskey.mutate()}
        >
          {t('stepUp.usePasskey')}
        </Button>
      )}
      {canUseCode && (
        <Form<{ code: string }>
          form={form}
          name="step-up-code"
          layout="vertical"
          requiredMark={false}
          className="ml-form-action"
          disabled={busy}
          onFinish={({ code }) => withCode.mutate(code)}
        >
          <Form.Item
            label={t(canUsePasskey ? 'stepUp.orCode' : 'stepUp.code')}
            name="code"
            normalize={normaliseTotpCode}
            rules={[
              { required: true, message: t('login.totpCodeRequired') },
              { pattern: TOTP_CODE, message: t('login.totpCodeFormat') },
            ]}
          >
            <Input className="ml-code-input" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />
          </Form.Item>
          {codeError && (
            <Form.Item>
              <ApiErrorAlert
                error={codeError}
                message={
                  isStepUpRequired(codeError)
                    ? t('stepUp.invalid')
                    : codeError instanceof ApiError && codeError.code === 'unauthenticated'
                      ? t('stepUp.sessionEnded')
                      : undefined
                }
              />
            </Form.Item>
          )}
          <Button htmlType="submit" block loading={withCode.isPending}>
            {t('stepUp.confirm')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}

type Pending = { resolve: () => void; reject: (error: unknown) => void };

/**
 * `run(action)` performs the action; when the server answers `step_up_required` it asks the user to
 * confirm their identity (passkey or authenticator code), then runs the action once more.
 * Render `modal` somewhere in the page.
 */
export function useStepUp(): { run: <T>(action: () => Promise<T>) => Promise<T>; modal: ReactNode } {
  const [open, setOpen] = useState(false);
  const pending = useRef<Pending | null>(null);
  const factors = useQuery({ queryKey: myFactorsQueryKey, queryFn: listPasskeys, enabled: open });

  const ask = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject };
        setOpen(true);
      }),
    [],
  );

  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (!isStepUpRequired(error)) throw error;
        await ask();
        return action();
      }
    },
    [ask],
  );

  const finish = (outcome: 'done' | 'cancelled') => {
    setOpen(false);
    const waiting = pending.current;
    pending.current = null;
    if (outcome === 'done') waiting?.resolve();
    else waiting?.reject(new ApiError({ status: 401, code: 'step_up_required', message: 'cancelled' }));
  };

  const modal = (
    <StepUpModal
      open={open}
      canUsePasskey={(factors.data?.passkeys.length ?? 0) > 0}
      // Until the factors are known, the code field is offered (the server decides anyway).
      canUseCode={factors.data?.totpEnrolled ?? true}
      onDone={() => finish('done')}
      onCancel={() => finish('cancelled')}
    />
  );
  return { run, modal };
}
