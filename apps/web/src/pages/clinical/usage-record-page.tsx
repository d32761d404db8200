import type { PatientView, UsageRecordView } from '@medledger/contract';
import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PATIENT_REVEAL_PERMISSION, USAGE_RECORD_PERMISSION, revealPatient, useUsageRecord } from '../../api/clinical';
import { AmendDrawer } from './amend-drawer';
import { useCurrentSession } from '../../app/session';
import { ClinicalErrorAlert, PatientDetails } from './clinical-format';

/** The procedure, devices and versions of a record (shared by the record page and break-glass). */
export function UsageRecordDetails({ record }: { record: UsageRecordView }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="middle" className="ml-page-stack">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'unit', label: t('clinical.usage.department'), children: `${record.site} / ${record.department}` },
          { key: 'date', label: t('clinical.usage.procedureDate'), children: record.procedureDate },
          { key: 'name', label: t('clinical.usage.procedureName'), children: record.procedureName },
          { key: 'surgeon', label: t('clinical.usage.surgeon'), children: record.surgeon },
          { key: 'bodySite', label: t('clinical.usage.bodySite'), children: record.bodySite ?? '—' },
          { key: 'version', label: t('clinical.usage.version'), children: record.version },
          { key: 'by', label: t('clinical.usage.recordedBy'), children: record.recordedByName },
          { key: 'at', label: t('clinical.usage.recordedAt'), children: record.recordedAt },
        ]}
      />
      <Table
        rowKey="lineNo"
        size="small"
        pagination={false}
        dataSource={record.devices}
        columns={[
          { title: t('gsp.common.productCode'), dataIndex: 'productCode' },
          { title: t('gsp.common.productName'), dataIndex: 'productName' },
          { title: t('gsp.common.model'), dataIndex: 'model' },
          { title: t('gsp.common.lot'), dataIndex: 'lot' },
          { title: t('gsp.common.serial'), dataIndex: 'serial' },
          { title: t('clinical.usage.quantity'), dataIndex: 'quantity' },
          { title: 'UDI', dataIndex: 'rawScan', render: (s: string) => <code className="ml-raw-scan">{s}</code> },
        ]}
      />
      {record.versions.length > 1 && (
        <Table
          rowKey="versionId"
          size="small"
          pagination={false}
          title={() => t('clinical.usage.versions')}
          dataSource={record.versions}
          columns={[
            { title: t('clinical.usage.version'), dataIndex: 'version' },
            { title: t('clinical.usage.recordedBy'), dataIndex: 'recordedByName' },
            { title: t('clinical.usage.recordedAt'), dataIndex: 'recordedAt' },
            { title: t('clinical.usage.amendReason'), dataIndex: 'amendReason' },
          ]}
        />
      )}
    </Space>
  );
}

/** Asks for the purpose and says the reveal is audited before anything is sent. */
function RevealDialog({
  open,
  recordId,
  onClose,
  onRevealed,
}: {
  open: boolean;
  recordId: string;
  onClose: () => void;
  onRevealed: (patient: PatientView) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ purpose?: string }>();
  const reveal = useMutation({
    mutationFn: (purpose: string) => revealPatient(recordId, purpose),
    onSuccess: ({ patient }) => {
      form.resetFields();
      onRevealed(patient);
    },
  });
  return (
    <Modal
      open={open}
      title={t('clinical.usage.revealTitle')}
      okText={t('clinical.usage.revealConfirm')}
      cancelText={t('gsp.common.cancel')}
      okButtonProps={{ danger: true, loading: reveal.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('clinical.usage.revealWarning')} />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => reveal.mutate((v.purpose ?? '').trim())}
      >
        <Form.Item
          label={t('clinical.usage.purpose')}
          name="purpose"
          rules={[{ required: true, whitespace: true, min: 2, message: t('clinical.usage.purposeRequired') }]}
        >
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
      </Form>
      {reveal.isError && <ClinicalErrorAlert error={reveal.error} />}
    </Modal>
  );
}

/** `/clinical/usage/:id`: one record; patient masked, revealed only through the audited dialog. */
export function UsageRecordPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { permissions } = useCurrentSession();
  const record = useUsageRecord(id);
  const [revealing, setRevealing] = useState(false);
  const [clear, setClear] = useState<PatientView | null>(null);
  const [amending, setAmending] = useState(false);

  if (record.isError) return <ClinicalErrorAlert error={record.error} />;
  if (record.data === undefined) return <Card loading />;
  const r = record.data.record;
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>
        {r.procedureName} · {r.procedureDate}
      </Typography.Title>
      <Card title={t('clinical.usage.patient')}>
        {r.patient === null ? (
          <Typography.Text type="secondary">{t('clinical.usage.patientHidden')}</Typography.Text>
        ) : (
          <Space orientation="vertical" className="ml-page-stack">
            <PatientDetails patient={clear ?? r.patient} />
            {clear === null && permissions.includes(PATIENT_REVEAL_PERMISSION) && (
              <Button icon={<EyeOutlined aria-hidden />} onClick={() => setRevealing(true)}>
                {t('clinical.usage.reveal')}
              </Button>
            )}
            {clear !== null && <Button onClick={() => setClear(null)}>{t('clinical.usage.hide')}</Button>}
          </Space>
        )}
      </Card>
      <Card
        title={t('clinical.usage.devices')}
        extra={
          permissions.includes(USAGE_RECORD_PERMISSION) && (
            <Button onClick={() => setAmending(true)}>{t('clinical.usage.amend')}</Button>
          )
        }
      >
        <UsageRecordDetails record={r} />
      </Card>
      <AmendDrawer record={r} open={amending} onClose={() => setAmending(false)} />
      <RevealDialog
        open={revealing}
        recordId={r.id}
        onClose={() => setRevealing(false)}
        onRevealed={(patient) => {
          setRevealing(false);
          setClear(patient);
        }}
      />
    </Space>
  );
}
