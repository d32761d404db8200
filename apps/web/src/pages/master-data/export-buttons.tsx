import { DownloadOutlined } from '@ant-design/icons';
import { SHEET_FORMATS, type ImportKind, type SheetFormat } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { downloadApiFile, exportPath } from '../../api/md-import';

/**
 * "Export Excel / Export CSV" for a master-data list: every product or party in the import
 * template's columns (formula-safe, VAL-06), so the file can be edited and imported again. Needs
 * `master-data.record.read`, which every viewer of the lists has.
 */
export function ExportButtons({ kind }: { kind: ImportKind }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const download = useMutation({
    mutationFn: (format: SheetFormat) => downloadApiFile(exportPath(kind, format), `medledger-${kind}.${format}`),
    onError: () => void message.error(t('mdImport.exportFailed')),
  });
  return (
    <Space wrap>
      {SHEET_FORMATS.map((format) => (
        <Button
          key={format}
          icon={<DownloadOutlined aria-hidden />}
          loading={download.isPending && download.variables === format}
          disabled={download.isPending}
          onClick={() => download.mutate(format)}
        >
          {t(format === 'xlsx' ? 'mdImport.exportXlsx' : 'mdImport.exportCsv')}
        </Button>
      ))}
    </Space>
  );
}
