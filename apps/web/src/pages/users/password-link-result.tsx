import type { PasswordLink } from '@medledger/contract';
import { Alert, Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passwordLinkUrl } from '../../api/users';
import { formatLocalTime } from '../../app/format';

interface Props {
  link: (PasswordLink & { login: string }) | null;
  onClose: () => void;
}

/**
 * The single-use password link, shown once to the administrator to hand over in person or by a
 * trusted channel. The administrator never sees or chooses the password (AUTH-18).
 */
export function PasswordLinkResult({ link, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const url = link === null ? '' : passwordLinkUrl(link.token);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Modal
      open={link !== null}
      title={t(link?.purpose === 'reset' ? 'users.linkResetTitle' : 'users.linkInviteTitle', { login: link?.login })}
      onCancel={() => {
        setCopied(null);
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      {link !== null && (
        <Space direction="vertical" className="ml-full-width">
          <Alert
            type="warning"
            showIcon
            title={t('users.linkOnce')}
            description={t('users.linkExpires', { time: formatLocalTime(link.expiresAt, i18n.language, 'short') })}
          />
          <Typography.Text>{t('users.linkHandOver')}</Typography.Text>
          <Input.TextArea value={url} readOnly autoSize aria-label={t('users.linkLabel')} data-testid="password-link" />
          <Button type="primary" onClick={() => void copy()}>
            {t('users.copyLink')}
          </Button>
          {copied === 'yes' && <Alert type="success" showIcon title={t('users.copied')} />}
          {copied === 'failed' && <Alert type="info" showIcon title={t('users.copyFailed')} />}
        </Space>
      )}
    </Modal>
  );
}
