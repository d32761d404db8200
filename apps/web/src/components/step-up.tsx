import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { stepUp } from '../api/account';
import { ApiError } from '../api/client';

type Pending = { resolve: () => void; reject: (error: unknown) => void };

/**
 * SESS-09 in the UI: `run(action)` performs the action; when the server answers `step_up_required`
 * it asks for an authenticator code, confirms it, and runs the action once more. Render `modal`.
 */
export function useStepUp(): { run: <T>(action: () => Promise<T>) => Promise<T>; modal: ReactNode } {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const pending = useRef<Pending | null>(null);
  const [form] = Form.useForm<{ code: string }>();

  const confirm = useMutation({
    mutationFn: (code: string) => stepUp(code),
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      pending.current?.resolve();
      pending.current = null;
    },
    onError: () => form.setFieldValue('code', ''),
  });

  const askForCode = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject };
        confirm.reset();
        setOpen(true);
      }),
    [confirm],
  );

  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'step_up_required') throw error;
        await askForCode();
        return action();
      }
    },
    [askForCode],
  );

  const cancel = () => {
    setOpen(false);
    form.resetFields();
    pending.current?.reject(new ApiError({ status: 401, code: 'step_up_required', message: 'cancelled' }));
    pending.current = null;
  };

  const error = confirm.error;
  const modal = (
    <Modal
      open={open}
      title={t('stepUp.title')}
      okText={t('stepUp.confirm')}
      cancelText={t('stepUp.cancel')}
      confirmLoading={confirm.isPending}
      onOk={() => form.submit()}
      onCancel={cancel}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('stepUp.intro')}</Typography.Paragraph>
      <Form<{ code: string }>
        form={form}
        name="step-up"
        layout="vertical"
        requiredMark={false}
        onFinish={({ code }) => confirm.mutate(code.replace(/\s/g, ''))}
      >
        <Form.Item
          label={t('stepUp.code')}
          name="code"
          rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: t('stepUp.codeFormat') }]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus />
        </Form.Item>
      </Form>
      {error instanceof ApiError && (
        <Alert
          type="error"
          showIcon
          title={error.code === 'unauthenticated' ? t('stepUp.sessionEnded') : t('stepUp.invalid')}
        />
      )}
    </Modal>
  );
  return { run, modal };
}
