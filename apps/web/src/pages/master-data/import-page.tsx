import { CloudUploadOutlined, DownloadOutlined, KeyOutlined } from '@ant-design/icons';
import {
  IMPORT_COLUMNS,
  IMPORT_ERRORS_KEPT,
  IMPORT_KINDS,
  type ImportKind,
  type ImportRowError,
  type ImportView,
} from '@medledger/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Progress,
  Radio,
  Result,
  Space,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import {
  MD_IMPORT_APPROVE_PERMISSION,
  MD_IMPORT_EDIT_PERMISSION,
  approveImport,
  commitImport,
  downloadApiFile,
  formatOfFile,
  isRunning,
  mdImportKey,
  templatePath,
  uploadImport,
  useImport,
} from '../../api/md-import';
import { listPasskeys, passkeyStepUp, passkeyStepUpOptions } from '../../api/passkeys';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { myFactorsQueryKey } from '../../components/step-up';
import { PasskeyErrorAlert, signWithPasskey } from '../login/passkey-ceremony';

/** Where QA reviews proposals one by one (the master-data pages). */
export const QA_INBOX_PATH = '/master-data/changes';

/** An upload refusal in words the user can act on (the codes the import answers with). */
function UploadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'unsupported_media_type') {
    return <ApiErrorAlert error={error} message={t('mdImport.uploadErrors.unsupported_media_type')} />;
  }
  if (error instanceof ApiError && error.code === 'payload_too_large') {
    return <ApiErrorAlert error={error} message={t('mdImport.uploadErrors.payload_too_large')} />;
  }
  return <ApiErrorAlert error={error} />;
}

/** Step 1: what to import, the template, and the file. */
function ChooseAndUpload({ onStarted }: { onStarted: (view: ImportView) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ImportKind>('products');
  const [wrongType, setWrongType] = useState(false);
  const template = useMutation({
    mutationFn: (format: 'xlsx' | 'csv') =>
      downloadApiFile(templatePath(kind, format), `medledger-${kind}-template.${format}`),
  });
  const upload = useMutation({ mutationFn: (file: File) => uploadImport(kind, file), onSuccess: onStarted });
  return (
    <Card>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Form layout="vertical">
          <Form.Item label={t('mdImport.kindLabel')}>
            <Radio.Group
              value={kind}
              onChange={(e) => setKind(e.target.value as ImportKind)}
              options={IMPORT_KINDS.map((k) => ({ value: k, label: t(`mdImport.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('mdImport.template')} extra={t('mdImport.templateHint')}>
            <Space wrap>
              <Button
                icon={<DownloadOutlined aria-hidden />}
                loading={template.isPending}
                onClick={() => template.mutate('xlsx')}
              >
                {t('mdImport.templateXlsx')}
              </Button>
              <Button
                icon={<DownloadOutlined aria-hidden />}
                loading={template.isPending}
                onClick={() => template.mutate('csv')}
              >
                {t('mdImport.templateCsv')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {template.error && <ApiErrorAlert error={template.error} />}
        {kind === 'parties' && <Alert type="info" showIcon title={t('mdImport.partiesNote')} />}
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={upload.isPending}
          beforeUpload={(file) => {
            const ok = formatOfFile(file.name) !== null;
            setWrongType(!ok);
            if (ok) upload.mutate(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <CloudUploadOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{t('mdImport.uploadTitle')}</p>
          <p className="ant-upload-hint">{t('mdImport.uploadHint')}</p>
        </Upload.Dragger>
        {upload.isPending && <Progress percent={0} status="active" aria-label={t('mdImport.reading')} />}
        {wrongType && <Alert type="error" showIcon title={t('mdImport.wrongType')} />}
        {upload.error && <UploadError error={upload.error} />}
      </Space>
    </Card>
  );
}

/** Rows processed so far as a progress bar. */
function JobProgress({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const percent = view.rows === 0 ? 0 : Math.floor((view.processed / view.rows) * 100);
  const label =
    view.rows === 0
      ? t(view.status === 'committing' ? 'mdImport.committingWait' : 'mdImport.reading')
      : t(view.status === 'committing' ? 'mdImport.committing' : 'mdImport.validating', {
          processed: view.processed,
          rows: view.rows,
        });
  return (
    <Card>
      <Typography.Paragraph>{label}</Typography.Paragraph>
      <Progress percent={percent} status="active" aria-label={label} />
    </Card>
  );
}

/** The row errors of a validation, by row and column. */
function ErrorTable({ view }: { view: ImportView }) {
  const { t, i18n } = useTranslation();
  const columnName = (key: string) => {
    const column = IMPORT_COLUMNS[view.kind].find((c) => c.key === key);
    if (column === undefined) return key;
    return i18n.language === 'en' ? column.en : column.zh;
  };
  return (
    <Table<ImportRowError & { key: number }>
      size="small"
      rowKey="key"
      dataSource={view.errors.map((e, key) => ({ ...e, key }))}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      columns={[
        { title: t('mdImport.row'), dataIndex: 'row', width: 80 },
        { title: t('mdImport.column'), key: 'column', width: 200, render: (_, e) => columnName(e.column) },
        { title: t('mdImport.problem'), key: 'code', width: 160, render: (_, e) => t(`mdImport.errorCodes.${e.code}`) },
        { title: t('mdImport.detail'), dataIndex: 'message' },
      ]}
    />
  );
}

/** Step 3: the reason, then the all-or-nothing commit. */
function CommitForm({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const commit = useMutation({
    mutationFn: (reason: string) => commitImport(view.importId, reason),
    onSuccess: (next) => queryClient.setQueryData([...mdImportKey, view.importId], next),
  });
  return (
    <Card>
      <Alert className="ml-form-notice" type="success" showIcon title={t('mdImport.allValid', { count: view.rows })} />
      <Form<{ reason: string }> layout="vertical" onFinish={({ reason }) => commit.mutate(reason)}>
        <Form.Item
          name="reason"
          label={t('mdImport.reason')}
          extra={t('mdImport.commitHint', { count: view.rows })}
          rules={[{ required: true, min: 2, whitespace: true, message: t('mdImport.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={500} placeholder={t('mdImport.reasonPlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={commit.isPending}>
          {t('mdImport.commit')}
        </Button>
      </Form>
      {commit.error && (
        <div className="ml-form-action">
          <ApiErrorAlert error={commit.error} />
        </div>
      )}
    </Card>
  );
}

/** GSP-04: one electronic signature for every pending proposal of the import. */
function ApproveImport({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const factors = useQuery({ queryKey: myFactorsQueryKey, queryFn: listPasskeys });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['masterData'] });
  const withCode = useMutation({
    mutationFn: (code: string) => approveImport(view.importId, note.trim(), code),
    onSuccess: refresh,
  });
  // With a passkey: confirm with it, then sign (the confirmation is used up by this one signature).
  const withKey = useMutation({
    mutationFn: async () => {
      await passkeyStepUp(await signWithPasskey(await passkeyStepUpOptions()));
      return approveImport(view.importId, note.trim());
    },
    onSuccess: refresh,
  });
  const hasPasskey = (factors.data?.passkeys.length ?? 0) > 0;
  const hasCode = factors.data?.totpEnrolled ?? true;
  if (view.changes.pending === 0) {
    return <Alert type="success" showIcon title={t('mdImport.approved', { count: view.changes.approved })} />;
  }
  return (
    <Card title={t('mdImport.approveTitle')}>
      <Typography.Paragraph>{t('mdImport.approveIntro', { count: view.changes.pending })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('mdImport.note')}>
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={note}
            placeholder={t('mdImport.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
          />
        </Form.Item>
      </Form>
      {hasPasskey && (
        <Space orientation="vertical" className="ml-form-notice">
          <Button
            type="primary"
            icon={<KeyOutlined aria-hidden />}
            loading={withKey.isPending}
            onClick={() => withKey.mutate()}
          >
            {t('mdImport.signWithPasskey')}
          </Button>
          {withKey.error && <PasskeyErrorAlert error={withKey.error} ceremony="sign_in" />}
        </Space>
      )}
      {hasCode && (
        <Form layout="inline" onFinish={(values: { code: string }) => withCode.mutate(values.code)}>
          <Form.Item
            name="code"
            label={t('mdImport.code')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('mdImport.codeFormat') }]}
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={withCode.isPending}>
            {t('mdImport.signWithCode')}
          </Button>
        </Form>
      )}
      {withCode.error && (
        <div className="ml-form-action">
          <ApiErrorAlert error={withCode.error} />
        </div>
      )}
    </Card>
  );
}

function stepOf(view: ImportView | undefined): { current: number; failed: boolean } {
  if (view === undefined) return { current: 1, failed: false };
  switch (view.status) {
    case 'validating':
      return { current: 2, failed: false };
    case 'validated':
      return view.errorCount > 0 ? { current: 2, failed: true } : { current: 3, failed: false };
    case 'committing':
      return { current: 3, failed: false };
    case 'committed':
      return { current: 4, failed: false };
    case 'failed':
      return { current: view.rows > 0 && view.errorCount === 0 ? 3 : 2, failed: true };
  }
}

/**
 * The import wizard: choose and download the template → upload → progress of the check → row
 * errors, or commit with a reason → progress → done, with the QA inbox and (for QA approvers) the
 * approval of the whole import with one signature. The import id stays in the address, so the page
 * can be reloaded or sent to the approver.
 */
export function MdImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id');
  const queryClient = useQueryClient();
  const imported = useImport(importId);
  const view = imported.data;
  const canEdit = permissions.includes(MD_IMPORT_EDIT_PERMISSION);
  const canApprove = permissions.includes(MD_IMPORT_APPROVE_PERMISSION);
  const step = stepOf(importId === null ? undefined : view);
  const restart = () => setParams({});
  const started = (next: ImportView) => {
    queryClient.setQueryData([...mdImportKey, next.importId], next);
    setParams({ id: next.importId });
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('mdImport.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('mdImport.intro')}</Typography.Paragraph>
      <Steps
        current={step.current}
        status={step.failed ? 'error' : step.current === 4 ? 'finish' : 'process'}
        items={[
          { title: t('mdImport.steps.prepare') },
          { title: t('mdImport.steps.upload') },
          { title: t('mdImport.steps.check') },
          { title: t('mdImport.steps.commit') },
          { title: t('mdImport.steps.review') },
        ]}
      />
      {importId === null && canEdit && <ChooseAndUpload onStarted={started} />}
      {importId === null && !canEdit && <Alert type="info" showIcon title={t('errors.forbidden')} />}
      {importId !== null && imported.error && <ApiErrorAlert error={imported.error} />}
      {importId !== null && view === undefined && imported.isPending && <Card loading />}
      {view !== undefined && importId !== null && (
        <>
          {isRunning(view) && <JobProgress view={view} />}
          {view.status === 'validated' && view.errorCount > 0 && (
            <Card>
              <Alert
                className="ml-form-notice"
                type="error"
                showIcon
                title={t('mdImport.errorsFound', { count: view.errorCount })}
                description={
                  view.errorCount > view.errors.length
                    ? t('mdImport.errorsShown', { shown: IMPORT_ERRORS_KEPT })
                    : undefined
                }
              />
              <ErrorTable view={view} />
            </Card>
          )}
          {view.status === 'validated' && view.errorCount === 0 && canEdit && <CommitForm view={view} />}
          {view.status === 'failed' && (
            <Result status="error" title={t('mdImport.failed')} subTitle={view.message ?? undefined} />
          )}
          {view.status === 'committed' && (
            <Result
              status="success"
              title={t('mdImport.committed', { count: view.processed })}
              subTitle={
                <Space orientation="vertical">
                  <span>{t('mdImport.reviewState', view.changes)}</span>
                  <Typography.Text type="secondary" copyable={{ text: view.sha256 }}>
                    {t('mdImport.fileHash', { sha256: `${view.sha256.slice(0, 16)}…` })}
                  </Typography.Text>
                </Space>
              }
              extra={<Button onClick={() => void navigate(QA_INBOX_PATH)}>{t('mdImport.inbox')}</Button>}
            />
          )}
          {view.status === 'committed' && canApprove && view.changes.pending + view.changes.approved > 0 && (
            <ApproveImport view={view} />
          )}
          {!isRunning(view) && canEdit && (
            <Button onClick={restart}>
              {view.status === 'committed' ? t('mdImport.newImport') : t('mdImport.again')}
            </Button>
          )}
        </>
      )}
    </Space>
  );
}
