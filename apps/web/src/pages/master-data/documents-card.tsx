import { StoredFileView } from '@medledger/contract';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { API_BASE, apiJson, apiUpload } from '../../api/client';
import { masterDataKey, MD_EDIT_PERMISSION } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';

const FileList = z.object({ files: z.array(StoredFileView) });

/**
 * The document scans of a party or product (营业执照, licences, certificates, authorisation letters,
 * seal and slip specimens): PDF, JPEG or PNG, checked by the server; downloads are attachments.
 */
export function DocumentsCard({ entity, id }: { entity: 'parties' | 'products'; id: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const base = `/master-data/${entity}/${encodeURIComponent(id)}/documents`;
  const files = useQuery({
    queryKey: [...masterDataKey, 'documents', entity, id],
    queryFn: ({ signal }) => apiJson(base, FileList, { signal }),
  });
  const [error, setError] = useState<unknown>(null);
  const [uploading, setUploading] = useState(false);

  return (
    <Card
      title={t('masterData.documents.title')}
      extra={
        permissions.includes(MD_EDIT_PERMISSION) ? (
          <Upload
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            showUploadList={false}
            customRequest={({ file }) => {
              setError(null);
              setUploading(true);
              apiUpload(base, file as File, StoredFileView)
                .then(() => queryClient.invalidateQueries({ queryKey: [...masterDataKey, 'documents', entity, id] }))
                .catch(setError)
                .finally(() => setUploading(false));
            }}
          >
            <Button icon={<UploadOutlined aria-hidden />} loading={uploading}>
              {t('masterData.documents.upload')}
            </Button>
          </Upload>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('masterData.documents.hint')}</Typography.Paragraph>
      {error !== null && <ApiErrorAlert error={error} />}
      {files.isError && <ApiErrorAlert error={files.error} />}
      <Table
        rowKey="id"
        size="small"
        loading={files.isPending}
        pagination={false}
        dataSource={files.data?.files ?? []}
        locale={{ emptyText: t('masterData.documents.none') }}
        columns={[
          { title: t('masterData.documents.name'), dataIndex: 'fileName' },
          {
            title: t('masterData.documents.size'),
            dataIndex: 'size',
            render: (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`,
          },
          {
            title: t('masterData.documents.uploaded'),
            dataIndex: 'uploadedAt',
            render: (at: string) => formatLocalTime(at, i18n.language),
          },
          {
            title: '',
            key: 'download',
            render: (_: unknown, f: StoredFileView) => (
              <a href={`${API_BASE}${base}/${encodeURIComponent(f.id)}`} download>
                <DownloadOutlined aria-hidden /> {t('masterData.documents.download')}
              </a>
            ),
          },
        ]}
      />
    </Card>
  );
}
