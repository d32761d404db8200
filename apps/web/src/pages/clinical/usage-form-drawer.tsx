import { PATIENT_SEXES, type RecordUsageInput, type UsageRecordView } from '@medledger/contract';
import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clinicalKey, recordUsage } from '../../api/clinical';
import { ScannerInput } from '../../components/scanner-input';
import { issueFields } from '../gsp/form-issues';
import { ClinicalErrorAlert } from './clinical-format';

interface Values {
  site?: string;
  department?: string;
  procedureDate?: Dayjs;
  procedureName?: string;
  surgeon?: string;
  bodySite?: string;
  note?: string;
  patient?: {
    name?: string;
    idNumber?: string;
    medicalRecordNo?: string;
    sex?: (typeof PATIENT_SEXES)[number];
    birthDate?: Dayjs;
    phone?: string;
  };
}

interface Device {
  key: number;
  scan: string;
  quantity: number;
}

const SHOWN = new Set([
  'site',
  'department',
  'procedureDate',
  'procedureName',
  'surgeon',
  'bodySite',
  'note',
  'patient.name',
  'patient.idNumber',
  'patient.medicalRecordNo',
  'patient.sex',
  'patient.birthDate',
  'patient.phone',
]);

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const text = (v: string | undefined) => (v ?? '').trim();
const orNull = (v: string | undefined) => (text(v) === '' ? null : text(v));

/** The request body: devices exactly as scanned; no operator or time (the server sets them). */
export function usageBody(v: Values, devices: Device[]): RecordUsageInput {
  const p = v.patient ?? {};
  return {
    site: text(v.site),
    department: text(v.department),
    procedureDate: v.procedureDate?.format('YYYY-MM-DD') ?? '',
    procedureName: text(v.procedureName),
    surgeon: text(v.surgeon),
    bodySite: orNull(v.bodySite),
    note: orNull(v.note),
    patient: {
      name: text(p.name),
      idNumber: text(p.idNumber).toUpperCase(),
      medicalRecordNo: text(p.medicalRecordNo),
      sex: p.sex ?? 'unknown',
      birthDate: p.birthDate?.format('YYYY-MM-DD') ?? '',
      phone: orNull(p.phone),
    },
    devices: devices.map((d) => ({ scan: d.scan, quantity: d.quantity })),
  };
}

/** Records the devices used in one procedure: patient, procedure and the scanned UDIs. */
export function UsageFormDrawer({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (record: UsageRecordView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [devices, setDevices] = useState<Device[]>([]);
  const [next, setNext] = useState(1);
  const [noDevices, setNoDevices] = useState(false);
  const save = useMutation({
    mutationFn: (v: Values) => recordUsage(usageBody(v, devices)),
    onSuccess: async ({ record }) => {
      void message.success(t('clinical.usage.saved'));
      await queryClient.invalidateQueries({ queryKey: clinicalKey });
      form.resetFields();
      setDevices([]);
      onSaved(record);
    },
    onError: (error) => form.setFields(issueFields(error, SHOWN) as Parameters<typeof form.setFields>[0]),
  });
  const required = { required: true, message: t('gsp.common.required') };
  const codeRule = { pattern: CODE, message: t('gsp.common.required') };

  return (
    <Drawer
      open={open}
      size="large"
      title={t('clinical.usage.new')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('clinical.usage.save')}
          </Button>
          <Button onClick={onClose}>{t('gsp.common.cancel')}</Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        name="usage-record"
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => {
          if (devices.length === 0) {
            setNoDevices(true);
            return;
          }
          save.mutate(v);
        }}
      >
        <Space wrap>
          <Form.Item label={t('clinical.usage.site')} name="site" rules={[required, codeRule]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('clinical.usage.department')} name="department" rules={[required, codeRule]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('clinical.usage.procedureDate')} name="procedureDate" rules={[required]}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item label={t('clinical.usage.procedureName')} name="procedureName" rules={[required, { max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t('clinical.usage.surgeon')} name="surgeon" rules={[required, { max: 50 }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('clinical.usage.bodySite')} name="bodySite" rules={[{ max: 100 }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('clinical.usage.patient')}</Typography.Title>
        <Space wrap>
          <Form.Item label={t('clinical.usage.patientName')} name={['patient', 'name']} rules={[required]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('clinical.usage.idNumber')}
            name={['patient', 'idNumber']}
            rules={[required, { pattern: /^[0-9A-Za-z]{6,30}$/, message: t('gsp.common.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('clinical.usage.medicalRecordNo')}
            name={['patient', 'medicalRecordNo']}
            rules={[required, { pattern: /^[0-9A-Za-z-]{1,40}$/, message: t('gsp.common.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('clinical.usage.sex')} name={['patient', 'sex']} rules={[required]}>
            <Select
              className="ml-select-status"
              aria-label={t('clinical.usage.sex')}
              options={PATIENT_SEXES.map((s) => ({ value: s, label: t(`clinical.usage.sexes.${s}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('clinical.usage.birthDate')} name={['patient', 'birthDate']} rules={[required]}>
            <DatePicker />
          </Form.Item>
          <Form.Item
            label={t('clinical.usage.phone')}
            name={['patient', 'phone']}
            rules={[{ pattern: /^1[0-9]{10}$/, message: t('gsp.common.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Space>
        <Form.Item label={t('clinical.usage.note')} name="note" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      <Typography.Title level={5}>{t('clinical.usage.devices')}</Typography.Title>
      <ScannerInput
        label={t('clinical.usage.scanLabel')}
        submitLabel={(count) => t('clinical.usage.addScans', { count })}
        maxBatch={50}
        onSubmit={(scans) => {
          setDevices((prev) => [...prev, ...scans.map((scan, i) => ({ key: next + i, scan, quantity: 1 }))]);
          setNext((n) => n + scans.length);
          setNoDevices(false);
          return Promise.resolve();
        }}
      />
      {noDevices && <Typography.Text type="danger">{t('clinical.usage.noDevices')}</Typography.Text>}
      <Table<Device>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={devices}
        data-testid="usage-devices"
        columns={[
          { title: 'UDI', dataIndex: 'scan', render: (scan: string) => <code className="ml-raw-scan">{scan}</code> },
          {
            title: t('clinical.usage.quantity'),
            key: 'quantity',
            render: (_: unknown, d) => (
              <InputNumber
                min={1}
                max={100}
                precision={0}
                value={d.quantity}
                aria-label={`${t('clinical.usage.quantity')} ${d.key}`}
                onChange={(q) =>
                  setDevices((prev) => prev.map((x) => (x.key === d.key ? { ...x, quantity: q ?? 1 } : x)))
                }
              />
            ),
          },
          {
            title: '',
            key: 'remove',
            render: (_: unknown, d) => (
              <Button
                type="text"
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t('clinical.usage.remove')}
                onClick={() => setDevices((prev) => prev.filter((x) => x.key !== d.key))}
              />
            ),
          },
        ]}
      />
      {save.isError && <ClinicalErrorAlert error={save.error} />}
    </Drawer>
  );
}
