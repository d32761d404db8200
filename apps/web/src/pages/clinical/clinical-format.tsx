import type { PatientView } from '@medledger/contract';
import { Alert, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { GspErrorAlert } from '../gsp/gsp-format';

/**
 * A failed clinical call. A training lapse (TRN-02) shows the server's message, which names the
 * course to take; everything else the usual localized alert.
 */
export function ClinicalErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'training_required') {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="training-required"
        title={t('errors.training_required')}
        description={`${t('clinical.usage.trainingRequired')} ${error.message}`}
      />
    );
  }
  if (error instanceof ApiError && error.code === 'not_found') {
    return <Alert type="error" showIcon title={t('clinical.usage.notFound')} />;
  }
  return <GspErrorAlert error={error} />;
}

/** The patient section: masked values carry a tag; revealed ones say they were audited. */
export function PatientDetails({ patient }: { patient: PatientView }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2 }}
      data-testid={patient.masked ? 'patient-masked' : 'patient-clear'}
      title={
        patient.masked ? (
          <Tag>{t('clinical.usage.masked')}</Tag>
        ) : (
          <Tag color="orange">{t('clinical.usage.revealed')}</Tag>
        )
      }
      items={[
        {
          key: 'name',
          label: t('clinical.usage.patientName'),
          children: <span data-field="name">{patient.name}</span>,
        },
        {
          key: 'idNumber',
          label: t('clinical.usage.idNumber'),
          children: <span data-field="idNumber">{patient.idNumber}</span>,
        },
        { key: 'mrn', label: t('clinical.usage.medicalRecordNo'), children: patient.medicalRecordNo },
        { key: 'sex', label: t('clinical.usage.sex'), children: t(`clinical.usage.sexes.${patient.sex}`) },
        { key: 'birthDate', label: t('clinical.usage.birthDate'), children: patient.birthDate },
        {
          key: 'phone',
          label: t('clinical.usage.phone'),
          children: <span data-field="phone">{patient.phone ?? '—'}</span>,
        },
      ]}
    />
  );
}
