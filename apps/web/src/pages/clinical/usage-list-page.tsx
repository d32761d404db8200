import type { UsageListQuery, UsageRecordSummary } from '@medledger/contract';
import { AlertOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  BREAK_GLASS_PERMISSION,
  PATIENT_READ_PERMISSION,
  USAGE_RECORD_PERMISSION,
  searchPatient,
  useUsageRecords,
} from '../../api/clinical';
import { useCurrentSession } from '../../app/session';
import { BreakGlassDialog } from './break-glass-dialog';
import { ClinicalErrorAlert } from './clinical-format';
import { UsageFormDrawer } from './usage-form-drawer';

/** `/clinical`: usage records of my sites and departments; patient search by exact number. */
export function UsageListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const [filters, setFilters] = useState<UsageListQuery>({});
  const [creating, setCreating] = useState(false);
  const [breakGlass, setBreakGlass] = useState(false);
  const list = useUsageRecords(filters);
  const search = useMutation({ mutationFn: searchPatient });
  const [query, setQuery] = useState('');
  const rows = search.data?.records ?? list.data?.records ?? [];
  const withPatient = permissions.includes(PATIENT_READ_PERMISSION);

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('clinical.usage.listTitle')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('clinical.usage.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <Input
            allowClear
            placeholder={t('clinical.usage.department')}
            aria-label={t('clinical.usage.department')}
            onChange={(e) => {
              const department = e.target.value.trim();
              setFilters({ ...filters, department: department === '' ? undefined : department });
            }}
          />
          {permissions.includes(USAGE_RECORD_PERMISSION) && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('clinical.usage.new')}
            </Button>
          )}
          {permissions.includes(BREAK_GLASS_PERMISSION) && (
            <Button danger icon={<AlertOutlined aria-hidden />} onClick={() => setBreakGlass(true)}>
              {t('clinical.breakGlass.button')}
            </Button>
          )}
        </Space>
        {withPatient && (
          <Form
            layout="inline"
            className="ml-toolbar"
            onFinish={() => {
              const q = query.trim();
              if (q === '') {
                search.reset();
                return;
              }
              // An 18-character resident ID number (or another document number) vs a record number.
              search.mutate(/^[0-9]{17}[0-9Xx]$/.test(q) ? { idNumber: q } : { medicalRecordNo: q });
            }}
          >
            <Form.Item label={t('clinical.usage.search')} extra={t('clinical.usage.searchHint')}>
              <Input
                allowClear
                autoComplete="off"
                aria-label={t('clinical.usage.search')}
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
            </Form.Item>
            <Button htmlType="submit">{t('clinical.usage.searchButton')}</Button>
          </Form>
        )}
        {list.isError || search.isError ? (
          <ClinicalErrorAlert error={list.error ?? search.error} />
        ) : (
          <Table<UsageRecordSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || search.isPending}
            dataSource={rows}
            locale={{ emptyText: t('clinical.usage.empty') }}
            columns={[
              {
                title: t('clinical.usage.procedureDate'),
                key: 'date',
                render: (_: unknown, r) => <Link to={`/clinical/usage/${r.id}`}>{r.procedureDate}</Link>,
              },
              { title: t('clinical.usage.procedureName'), dataIndex: 'procedureName' },
              {
                title: t('clinical.usage.department'),
                key: 'unit',
                render: (_: unknown, r) => `${r.site} / ${r.department}`,
              },
              { title: t('clinical.usage.surgeon'), dataIndex: 'surgeon' },
              ...(withPatient
                ? [
                    { title: t('clinical.usage.patientName'), dataIndex: 'patientName' },
                    { title: t('clinical.usage.medicalRecordNo'), dataIndex: 'medicalRecordNo' },
                  ]
                : []),
              { title: t('clinical.usage.deviceCount'), dataIndex: 'devices' },
              { title: t('clinical.usage.version'), dataIndex: 'version' },
            ]}
          />
        )}
      </Card>
      <UsageFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(record) => {
          setCreating(false);
          void navigate(`/clinical/usage/${record.id}`);
        }}
      />
      <BreakGlassDialog
        open={breakGlass}
        onClose={() => setBreakGlass(false)}
        onGranted={(grant) => {
          setBreakGlass(false);
          void navigate(`/clinical/break-glass/${grant.id}`);
        }}
      />
    </Space>
  );
}
