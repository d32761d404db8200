import {
  BREAK_GLASS_MAX_MINUTES,
  BREAK_GLASS_MIN_REASON,
  type BreakGlassGrantView,
  type BreakGlassRequestInput,
} from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { clinicalKey, requestBreakGlass } from '../../api/clinical';
import { ClinicalErrorAlert } from './clinical-format';

interface Values {
  reason?: string;
  target: 'record' | 'patient';
  recordId?: string;
  patientIdNumber?: string;
  minutes: number;
}

export function breakGlassBody(v: Values): BreakGlassRequestInput {
  return {
    reason: (v.reason ?? '').trim(),
    ...(v.target === 'record'
      ? { recordId: (v.recordId ?? '').trim() }
      : { patientIdNumber: (v.patientIdNumber ?? '').trim().toUpperCase() }),
    minutes: v.minutes,
  };
}

/** AC-10: the emergency request — reason, one record or one patient, and how long (≤ 60 min). */
export function BreakGlassDialog({
  open,
  onClose,
  onGranted,
}: {
  open: boolean;
  onClose: () => void;
  onGranted: (grant: BreakGlassGrantView) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const target = Form.useWatch('target', form) ?? 'record';
  const minutes = Form.useWatch('minutes', form) ?? BREAK_GLASS_MAX_MINUTES;
  const request = useMutation({
    mutationFn: (v: Values) => requestBreakGlass(breakGlassBody(v)),
    onSuccess: async ({ grant }) => {
      await queryClient.invalidateQueries({ queryKey: clinicalKey });
      form.resetFields();
      onGranted(grant);
    },
  });
  return (
    <Modal
      open={open}
      title={t('clinical.breakGlass.title')}
      okText={t('clinical.breakGlass.submit')}
      cancelText={t('gsp.common.cancel')}
      okButtonProps={{ danger: true, loading: request.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('clinical.breakGlass.warning', { minutes: BREAK_GLASS_MAX_MINUTES })} />
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ target: 'record', minutes: BREAK_GLASS_MAX_MINUTES }}
        onFinish={(v) => request.mutate(v)}
      >
        <Form.Item
          label={t('clinical.breakGlass.reason')}
          name="reason"
          rules={[
            {
              required: true,
              whitespace: true,
              min: BREAK_GLASS_MIN_REASON,
              message: t('clinical.breakGlass.reasonRequired', { min: BREAK_GLASS_MIN_REASON }),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('clinical.breakGlass.target')} name="target">
          <Radio.Group
            options={[
              { value: 'record', label: t('clinical.breakGlass.targetRecord') },
              { value: 'patient', label: t('clinical.breakGlass.targetPatient') },
            ]}
          />
        </Form.Item>
        {target === 'record' ? (
          <Form.Item
            label={t('clinical.breakGlass.recordId')}
            name="recordId"
            rules={[{ required: true, whitespace: true, message: t('gsp.common.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('clinical.breakGlass.patientIdNumber')}
            name="patientIdNumber"
            rules={[{ required: true, pattern: /^[0-9A-Za-z]{6,30}$/, message: t('gsp.common.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item label={t('clinical.breakGlass.minutes')} name="minutes">
          <InputNumber
            min={5}
            max={BREAK_GLASS_MAX_MINUTES}
            precision={0}
            aria-label={t('clinical.breakGlass.minutes')}
          />
        </Form.Item>
        <Typography.Text strong data-testid="break-glass-duration">
          {t('clinical.breakGlass.duration', { minutes })}
        </Typography.Text>
      </Form>
      {request.isError && <ClinicalErrorAlert error={request.error} />}
    </Modal>
  );
}
