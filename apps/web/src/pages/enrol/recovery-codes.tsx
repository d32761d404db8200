import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadTextFile } from '../../app/download';

export const RECOVERY_CODES_FILE = 'medledger-recovery-codes.txt';

interface Props {
  codes: string[];
  /** The authenticator account label, written into the file so it is clear whose codes they are. */
  account: string | null;
  onContinue: () => Promise<void>;
}

/** The recovery codes, shown this one time: copy, download, and confirm they are stored. */
export function RecoveryCodes({ codes, account, onContinue }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [stored, setStored] = useState(false);
  const [leaving, setLeaving] = useState(false);

  async function copyAll() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      void message.success(t('enrol.copiedAll'));
    } catch {
      void message.error(t('enrol.copyFailed'));
    }
  }

  function download() {
    const created = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' }).format(
      new Date(),
    );
    const lines = [
      t('enrol.fileTitle'),
      ...(account ? [t('enrol.account', { account })] : []),
      t('enrol.fileCreated', { time: created }),
      t('enrol.fileAdvice'),
      '',
      ...codes.map((code, index) => `${String(index + 1).padStart(2, ' ')}. ${code}`),
      '',
    ];
    // CRLF: the file is most likely opened with Notepad.
    downloadTextFile(RECOVERY_CODES_FILE, lines.join('\r\n'));
  }

  return (
    <>
      <Typography.Title level={3}>{t('enrol.recoveryTitle')}</Typography.Title>
      <Alert
        className="ml-form-notice"
        type="warning"
        showIcon
        title={t('enrol.recoveryWarning')}
        description={t('enrol.recoveryAdvice')}
      />
      <ol className="ml-recovery-codes" aria-label={t('enrol.recoveryList')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <Space wrap className="ml-form-action">
        <Button icon={<CopyOutlined aria-hidden />} onClick={() => void copyAll()}>
          {t('enrol.copyAll')}
        </Button>
        <Button icon={<DownloadOutlined aria-hidden />} onClick={download}>
          {t('enrol.download')}
        </Button>
      </Space>
      <div className="ml-form-action">
        <Checkbox checked={stored} onChange={(event) => setStored(event.target.checked)}>
          {t('enrol.stored')}
        </Checkbox>
      </div>
      <Button
        type="primary"
        block
        disabled={!stored}
        loading={leaving}
        onClick={() => {
          setLeaving(true);
          void onContinue().finally(() => setLeaving(false));
        }}
      >
        {t('enrol.continue')}
      </Button>
    </>
  );
}
