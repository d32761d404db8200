import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Input, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  MD_APPROVE_PERMISSION,
  decideChange,
  masterDataKey,
  useChange,
  type ChangeDetail,
} from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { SignatureDialog } from '../../components/signature-dialog';
import { ChangeValue, PARTY_FIELDS, PRODUCT_FIELDS, fieldLabel } from './change-value';
import { StatusTag } from './md-format';

type Decision = 'approve' | 'reject';

/** Where a change's record lives in the UI. */
export const recordPath = (change: Pick<ChangeDetail, 'entity' | 'entityId'>) =>
  change.entity === 'party' ? `/master-data/parties/${change.entityId}` : `/master-data/products/${change.entityId}`;

/** The proposed content against the version in force, changed fields highlighted. */
function ChangeDiff({ change }: { change: ChangeDetail }) {
  const { t } = useTranslation();
  const fields = change.entity === 'party' ? PARTY_FIELDS : PRODUCT_FIELDS;
  const changed = new Set(change.changedFields);
  const first = change.previous === null;
  return (
    <Table<{ field: string }>
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={fields.map((field) => ({ field }))}
      rowClassName={({ field }) => (changed.has(field) && !first ? 'ml-changed-row' : '')}
      columns={[
        {
          title: t('masterData.review.field'),
          key: 'field',
          width: 160,
          render: (_: unknown, { field }) => (
            <Space orientation="vertical" size={2}>
              <span>{fieldLabel(t, change.entity, field)}</span>
              {changed.has(field) && !first && <Tag color="orange">{t('masterData.review.changed')}</Tag>}
            </Space>
          ),
        },
        ...(first
          ? []
          : [
              {
                title: t('masterData.review.previous'),
                key: 'previous',
                render: (_: unknown, { field }: { field: string }) => (
                  <ChangeValue field={field} value={change.previous?.[field]} />
                ),
              },
            ]),
        {
          title: first ? t('masterData.review.content') : t('masterData.review.proposed'),
          key: 'proposed',
          render: (_: unknown, { field }) => <ChangeValue field={field} value={change.proposed[field]} />,
        },
      ]}
    />
  );
}

interface Props {
  changeId: string | null;
  onClose: () => void;
}

/**
 * One proposal: who asked for what and why, the content against the version in force, and — for
 * QA while it is pending — approve or reject with an electronic signature.
 */
export function ChangeDrawer({ changeId, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const canApprove = permissions.includes(MD_APPROVE_PERMISSION);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const change = useChange(changeId);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const [signing, setSigning] = useState<Decision | null>(null);
  const data = change.data?.change;

  const close = () => {
    setNote('');
    setNoteError(false);
    setSigning(null);
    onClose();
  };
  const start = (decision: Decision) => {
    if (decision === 'reject' && note.trim().length < 2) {
      setNoteError(true);
      return;
    }
    setNoteError(false);
    setSigning(decision);
  };
  const kind = data === undefined ? '' : t(`masterData.review.entity.${data.entity}`);

  return (
    <Drawer
      open={changeId !== null}
      size={900}
      title={data ? t('masterData.review.drawerTitle', { kind, code: data.entityCode, version: data.version }) : ''}
      onClose={close}
      destroyOnHidden
    >
      {change.isError ? (
        <ApiErrorAlert error={change.error} />
      ) : data === undefined ? (
        <Skeleton active />
      ) : (
        <Space orientation="vertical" size="middle" className="ml-full-width">
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              {
                key: 'record',
                label: t('masterData.review.record'),
                children: (
                  <Link to={recordPath(data)} onClick={close}>
                    {data.entityCode} {data.entityName}
                  </Link>
                ),
              },
              {
                key: 'status',
                label: t('masterData.review.status'),
                children: (
                  <Space size={4}>
                    <StatusTag status={data.status} change />
                    {data.firstBusiness && <Tag color="blue">{t('masterData.review.firstBusiness')}</Tag>}
                  </Space>
                ),
              },
              { key: 'reason', label: t('masterData.review.reason'), children: data.reason, span: 2 },
              {
                key: 'requested',
                label: t('masterData.review.requested'),
                children: `${data.requestedByName} · ${formatLocalTime(data.requestedAt, i18n.language, 'short')}`,
              },
              {
                key: 'changed',
                label: t('masterData.review.changedFields'),
                children: data.firstBusiness
                  ? t('masterData.history.allFields')
                  : data.changedFields
                      .map((f) => fieldLabel(t, data.entity, f))
                      .join(i18n.language === 'en' ? ', ' : '、'),
              },
              ...(data.decidedAt === null
                ? []
                : [
                    {
                      key: 'decided',
                      label: t('masterData.review.decided'),
                      children: `${data.decidedByName ?? ''} · ${formatLocalTime(data.decidedAt, i18n.language, 'short')}`,
                    },
                    {
                      key: 'signature',
                      label: t('masterData.review.signature'),
                      children:
                        data.signatureId === null ? '—' : t('masterData.review.signed', { id: data.signatureId }),
                    },
                    {
                      key: 'note',
                      label: t('masterData.review.note'),
                      children: data.decisionNote ?? '—',
                      span: 2,
                    },
                  ]),
            ]}
          />
          {data.firstBusiness && data.status === 'pending' && (
            <Alert type="info" showIcon title={t('masterData.review.firstBusinessHint')} />
          )}
          <ChangeDiff change={data} />
          {canApprove && data.status === 'pending' && (
            <div className="ml-decision">
              <Typography.Title level={5}>{t('masterData.review.decisionTitle')}</Typography.Title>
              <Input.TextArea
                rows={2}
                maxLength={500}
                value={note}
                status={noteError ? 'error' : undefined}
                aria-label={t('masterData.review.noteLabel')}
                placeholder={t('masterData.review.notePlaceholder')}
                onChange={(e) => setNote(e.target.value)}
              />
              {noteError && <Typography.Text type="danger">{t('masterData.issues.noteRequired')}</Typography.Text>}
              <Space className="ml-form-top">
                <Button type="primary" onClick={() => start('approve')}>
                  {t('masterData.review.approve')}
                </Button>
                <Button danger onClick={() => start('reject')}>
                  {t('masterData.review.reject')}
                </Button>
              </Space>
            </div>
          )}
          <SignatureDialog
            open={signing !== null}
            title={signing === 'reject' ? t('masterData.review.signReject') : t('masterData.review.signApprove')}
            meaning={
              <Alert
                type={signing === 'reject' ? 'warning' : 'success'}
                title={t(
                  signing === 'reject' ? 'masterData.review.meaningReject' : 'masterData.review.meaningApprove',
                  {
                    kind,
                    code: data.entityCode,
                    name: data.entityName,
                    version: data.version,
                  },
                )}
              />
            }
            confirmLabel={
              signing === 'reject' ? t('masterData.review.confirmReject') : t('masterData.review.confirmApprove')
            }
            onSign={(code) =>
              decideChange(data.id, {
                decision: signing ?? 'approve',
                note: note.trim(),
                ...(code === undefined ? {} : { code }),
              })
            }
            onSigned={() => {
              void message.success(
                t(signing === 'reject' ? 'masterData.review.rejected' : 'masterData.review.approved', {
                  code: data.entityCode,
                }),
              );
              void queryClient.invalidateQueries({ queryKey: masterDataKey });
              close();
            }}
            onCancel={() => setSigning(null)}
          />
        </Space>
      )}
    </Drawer>
  );
}
