import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GspErrorAlert } from './gsp-format';

/** Asks for a reason (at least 2 characters) and performs `onConfirm` with it; refusals stay in the dialog. */
export function ReasonModal({
  open,
  title,
  intro,
  okText,
  onConfirm,
  onDone,
  onCancel,
}: {
  open: boolean;
  title: string;
  intro?: ReactNode;
  okText: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const run = useMutation({
    mutationFn: ({ reason }: { reason: string }) => onConfirm(reason.trim()),
    onSuccess: () => {
      form.resetFields();
      onDone();
    },
  });
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('gsp.common.cancel')}
      confirmLoading={run.isPending}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      {intro !== undefined && <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
      <Form form={form} name="reason" layout="vertical" requiredMark={false} onFinish={(v) => run.mutate(v)}>
        <Form.Item
          label={t('gsp.common.reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('gsp.common.reasonMin') }]}
        >
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
      </Form>
      {run.isError && <GspErrorAlert error={run.error} />}
    </Modal>
  );
}
