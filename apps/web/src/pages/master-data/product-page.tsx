import type { ProductView } from '@medledger/contract';
import { ArrowLeftOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { MD_EDIT_PERMISSION, cancelCertificate, masterDataKey, useProduct } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ChangeDrawer } from './change-drawer';
import { ChangeHistory } from './change-history';
import { DocumentsCard } from './documents-card';
import { StatusTag, useStorageLabel } from './md-format';
import { CertificateState, RecordBanner } from './record-parts';
import { ProductFormDrawer } from './product-form-drawer';

type Level = ProductView['packages'][number];

/** Records the regulator's cancellation of the registration certificate, with the reason. */
function CancelCertificateModal({
  product,
  open,
  onClose,
}: {
  product: ProductView;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => cancelCertificate(product.id, reason.trim()),
    onSuccess: async () => {
      void message.success(t('masterData.product.cancelDone', { number: product.certificateNo }));
      setReason('');
      onClose();
      await queryClient.invalidateQueries({ queryKey: masterDataKey });
    },
  });
  return (
    <Modal
      open={open}
      title={t('masterData.product.cancelTitle', { number: product.certificateNo })}
      okText={t('masterData.product.cancelConfirm')}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
      cancelText={t('masterData.cancel')}
      confirmLoading={cancel.isPending}
      onOk={() => cancel.mutate()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('masterData.product.cancelIntro')}</Typography.Paragraph>
      <Input.TextArea
        rows={2}
        maxLength={500}
        value={reason}
        aria-label={t('masterData.product.cancelReason')}
        placeholder={t('masterData.product.cancelReasonPlaceholder')}
        onChange={(e) => setReason(e.target.value)}
      />
      {cancel.isError && <ApiErrorAlert error={cancel.error} />}
    </Modal>
  );
}

/** `/master-data/products/:id`: one product file: certificate, packaging with UDI-DIs, versions. */
export function ProductPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const storageLabel = useStorageLabel();
  const { permissions } = useCurrentSession();
  const canEdit = permissions.includes(MD_EDIT_PERMISSION);
  const product = useProduct(id);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [openChange, setOpenChange] = useState<string | null>(null);
  const p = product.data?.product;

  if (product.isError) return <ApiErrorAlert error={product.error} />;
  if (p === undefined) return <Skeleton active />;
  const cancelled = p.certificateCancelledAt !== null;
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate('/master-data/products')}>
          {t('masterData.product.back')}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {p.name}
        </Typography.Title>
        <StatusTag status={p.status} />
        <Tag>{t(`masterData.classes.${p.deviceClass}`)}</Tag>
        {p.implantable && <Tag color="purple">{t('masterData.product.implantable')}</Tag>}
      </Space>
      <RecordBanner status={p.status} pendingChangeId={p.pendingChangeId} onOpen={setOpenChange} />
      {cancelled && (
        <Alert
          type="error"
          showIcon
          title={t('masterData.product.cancelledBanner', {
            number: p.certificateNo,
            at: formatLocalTime(p.certificateCancelledAt!, i18n.language, 'short'),
          })}
        />
      )}
      <Card
        title={t('masterData.product.details')}
        extra={
          canEdit && (
            <Space wrap>
              <Tooltip title={p.pendingChangeId === null ? undefined : t('masterData.banner.oneAtATime')}>
                <Button
                  icon={<EditOutlined aria-hidden />}
                  disabled={p.pendingChangeId !== null}
                  onClick={() => setEditing(true)}
                >
                  {t('masterData.proposeChange')}
                </Button>
              </Tooltip>
              {!cancelled && p.status === 'approved' && (
                <Button danger icon={<StopOutlined aria-hidden />} onClick={() => setCancelling(true)}>
                  {t('masterData.product.recordCancellation')}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'code', label: t('masterData.product.code'), children: p.code },
            { key: 'catalog', label: t('masterData.product.catalogCode'), children: p.catalogCode },
            { key: 'model', label: t('masterData.product.model'), children: p.model },
            { key: 'spec', label: t('masterData.product.specification'), children: p.specification },
            { key: 'registrant', label: t('masterData.product.registrant'), children: p.registrant },
            {
              key: 'registrantNo',
              label: t('masterData.product.registrantLicenceNo'),
              children: p.registrantLicenceNo ?? '—',
            },
            {
              key: 'contract',
              label: t('masterData.product.contractManufacturer'),
              children: p.contractManufacturer ?? '—',
            },
            {
              key: 'contractNo',
              label: t('masterData.product.contractManufacturerLicenceNo'),
              children: p.contractManufacturerLicenceNo ?? '—',
            },
            { key: 'certificate', label: t('masterData.product.certificateNo'), children: p.certificateNo },
            {
              key: 'certificateState',
              label: t('masterData.product.certificateValidity'),
              children: (
                <Space size={4} wrap>
                  <span>{p.certificateIssuedOn} –</span>
                  <CertificateState product={p} />
                </Space>
              ),
            },
            { key: 'storage', label: t('masterData.product.storage'), children: storageLabel(p.storage) },
            {
              key: 'humidity',
              label: t('masterData.product.humidityMax'),
              children: p.humidityMax === null ? '—' : `≤ ${p.humidityMax}%`,
            },
            {
              key: 'version',
              label: t('masterData.versionInForce'),
              children:
                p.version === 0
                  ? t('masterData.noVersionYet')
                  : t('masterData.versionApproved', {
                      version: p.version,
                      name: p.approvedByName ?? '',
                      at: p.approvedAt === null ? '' : formatLocalTime(p.approvedAt, i18n.language, 'short'),
                    }),
              span: 'filled',
            },
          ]}
        />
      </Card>
      <Card title={t('masterData.product.packages')}>
        <Table<Level>
          rowKey="level"
          size="small"
          pagination={false}
          dataSource={p.packages}
          columns={[
            { title: t('masterData.package.level'), dataIndex: 'level', width: 80 },
            { title: t('masterData.package.unit'), dataIndex: 'unit' },
            { title: t('masterData.package.quantity'), dataIndex: 'quantity' },
            {
              title: t('masterData.package.dis'),
              key: 'dis',
              render: (_: unknown, l) =>
                l.dis.length === 0 ? (
                  '—'
                ) : (
                  <Space orientation="vertical" size={2}>
                    {l.dis.map((d) => (
                      <span key={d.di}>
                        <Tag>{t(`masterData.issuers.${d.issuer}`)}</Tag>
                        <Typography.Text code>{d.di}</Typography.Text>
                      </span>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <DocumentsCard entity="products" id={p.id} />
      <ChangeHistory entityId={p.id} onOpen={setOpenChange} />
      <ProductFormDrawer
        open={editing}
        product={p}
        onClose={() => setEditing(false)}
        onFiled={() => setEditing(false)}
      />
      <CancelCertificateModal product={p} open={cancelling} onClose={() => setCancelling(false)} />
      <ChangeDrawer changeId={openChange} onClose={() => setOpenChange(null)} />
    </Space>
  );
}
