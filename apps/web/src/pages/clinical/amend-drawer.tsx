import type { AmendUsageInput, UsageRecordView } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Drawer, Form, Input, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { amendUsage, clinicalKey } from '../../api/clinical';
import { ClinicalErrorAlert } from './clinical-format';

interface Values {
  reason?: string;
  department?: string;
  procedureDate?: Dayjs;
  procedureName?: string;
  surgeon?: string;
  bodySite?: string;
  note?: string;
}

/** Only what changed goes to the server, with the reason; the server keeps every earlier version. */
export function amendBody(record: UsageRecordView, v: Values): AmendUsageInput {
  const body: AmendUsageInput = { reason: (v.reason ?? '').trim() };
  const text = (x: string | undefined) => (x ?? '').trim();
  if (text(v.department) !== record.department) body.department = text(v.department);
  const date = v.procedureDate?.format('YYYY-MM-DD');
  if (date !== undefined && date !== record.procedureDate) body.procedureDate = date;
  if (text(v.procedureName) !== record.procedureName) body.procedureName = text(v.procedureName);
  if (text(v.surgeon) !== record.surgeon) body.surgeon = text(v.surgeon);
  const bodySite = text(v.bodySite) === '' ? null : text(v.bodySite);
  if (bodySite !== record.bodySite) body.bodySite = bodySite;
  const note = text(v.note) === '' ? null : text(v.note);
  if (note !== record.note) body.note = note;
  return body;
}

/** Corrects a usage record: a new version with the reason (SY art. 14 records are never edited). */
export function AmendDrawer({
  record,
  open,
  onClose,
}: {
  record: UsageRecordView;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const amend = useMutation({
    mutationFn: (v: Values) => amendUsage(record.id, amendBody(record, v)),
    onSuccess: async () => {
      void message.success(t('clinical.usage.amended'));
      await queryClient.invalidateQueries({ queryKey: clinicalKey });
      onClose();
    },
  });
  const required = { required: true, message: t('gsp.common.required') };
  return (
    <Drawer
      open={open}
      size="large"
      title={t('clinical.usage.amend')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={amend.isPending} onClick={() => form.submit()}>
            {t('clinical.usage.saveAmendment')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Alert type="info" showIcon title={t('clinical.usage.amendIntro')} />
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          department: record.department,
          procedureDate: dayjs(record.procedureDate),
          procedureName: record.procedureName,
          surgeon: record.surgeon,
          bodySite: record.bodySite ?? '',
          note: record.note ?? '',
        }}
        onFinish={(v) => amend.mutate(v)}
      >
        <Form.Item
          label={t('clinical.usage.amendReason')}
          name="reason"
          rules={[{ required: true, whitespace: true, min: 5, message: t('clinical.usage.amendReasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('clinical.usage.department')} name="department" rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('clinical.usage.procedureDate')} name="procedureDate" rules={[required]}>
          <DatePicker />
        </Form.Item>
        <Form.Item label={t('clinical.usage.procedureName')} name="procedureName" rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('clinical.usage.surgeon')} name="surgeon" rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('clinical.usage.bodySite')} name="bodySite">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('clinical.usage.note')} name="note">
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      {amend.isError && <ClinicalErrorAlert error={amend.error} />}
    </Drawer>
  );
}
