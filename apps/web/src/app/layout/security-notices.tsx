import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { dismissNotification, notificationsQuery, securityKey } from '../../api/account';
import { sessionQueryKey } from '../../api/session';
import { useSystemInfo } from '../../api/system';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { formatLocalTime } from '../format';
import { useCurrentSession } from '../session';
import { summariseUserAgent } from './user-agent';

/** Holders see the TLS certificate reminder (the system information's permission). */
export const SYSTEM_INFO_PERMISSION = 'system.info.read';

const DAY_MS = 86_400_000;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * TRN-03 / AUTH-20: right after a sign-in from a device not seen before, the details of that
 * sign-in, what to do if it was not the user, and how to recognise phishing. Dismissing it marks
 * the notification read on the server (audited).
 */
function NewDeviceNotice() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { unreadNotifications } = useCurrentSession();
  const notes = useQuery({ ...notificationsQuery, enabled: unreadNotifications > 0 });
  const dismiss = useMutation({
    mutationFn: dismissNotification,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: securityKey });
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
  const unread = (notes.data?.notifications ?? []).filter((n) => n.kind === 'new_device' && !n.read);
  const latest = unread[0];
  if (unreadNotifications === 0 || latest === undefined) return null;

  const userAgent = text(latest.data.userAgent);
  const device = summariseUserAgent(userAgent);
  return (
    <Alert
      className="ml-form-notice"
      type="error"
      showIcon
      role="alert"
      data-testid="new-device-notice"
      title={t('notices.newDevice.title')}
      description={
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'when',
                label: t('notices.newDevice.when'),
                children: formatLocalTime(latest.createdAt, i18n.language),
              },
              {
                key: 'device',
                label: t('notices.newDevice.device'),
                children: (
                  <span title={userAgent}>
                    {device === null
                      ? userAgent.slice(0, 80) || t('notices.newDevice.unknownDevice')
                      : t('notices.newDevice.deviceOn', { browser: device.browser, os: device.os })}
                  </span>
                ),
              },
              { key: 'ip', label: t('notices.newDevice.ip'), children: text(latest.data.ip) },
            ]}
          />
          <Typography.Paragraph strong className="ml-notice-gap">
            {t('notices.newDevice.notYou')}
          </Typography.Paragraph>
          <Typography.Text strong>{t('notices.newDevice.phishingTitle')}</Typography.Text>
          <ul className="ml-notice-list">
            <li>{t('notices.newDevice.checkAddress', { origin: window.location.origin })}</li>
            <li>{t('notices.newDevice.neverAsk')}</li>
          </ul>
          {unread.length > 1 && (
            <Typography.Paragraph type="secondary">
              {t('notices.newDevice.more', { count: unread.length - 1 })}
            </Typography.Paragraph>
          )}
          {dismiss.isError && <ApiErrorAlert error={dismiss.error} message={t('notices.newDevice.dismissFailed')} />}
          <Space wrap>
            <Button type="primary" danger onClick={() => void navigate('/security')}>
              {t('notices.newDevice.goSecurity')}
            </Button>
            <Button loading={dismiss.isPending} onClick={() => dismiss.mutate(latest.id)}>
              {t('notices.newDevice.dismiss')}
            </Button>
          </Space>
        </>
      }
    />
  );
}

/** TRN-03 / AUTH-03: from 14 days before the password expires (dengbao profile). */
function PasswordExpiryNotice() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { passwordExpiresSoon } = useCurrentSession();
  // When the shell opened: the days left are counted from then (the session refreshes it).
  const [openedAt] = useState(() => Date.now());
  if (passwordExpiresSoon === null) return null;
  const days = Math.max(0, Math.ceil((new Date(passwordExpiresSoon).getTime() - openedAt) / DAY_MS));
  return (
    <Alert
      className="ml-form-notice"
      type="warning"
      showIcon
      data-testid="password-expiry-notice"
      title={t('notices.passwordExpiry.title', {
        time: formatLocalTime(passwordExpiresSoon, i18n.language, 'short'),
        days,
      })}
      description={t('notices.passwordExpiry.text')}
      action={
        <Button size="small" onClick={() => void navigate('/security')}>
          {t('notices.passwordExpiry.change')}
        </Button>
      }
    />
  );
}

/** TRN-03: system administrators are told 30 days before the server's TLS certificate ends. */
function TlsExpiryNotice({ enabled }: { enabled: boolean }) {
  const { t, i18n } = useTranslation();
  const info = useSystemInfo(enabled);
  const tls = info.data?.tls;
  if (!enabled || tls === undefined || tls === null || !tls.expiresSoon) return null;
  const time = formatLocalTime(tls.notAfter, i18n.language, 'short');
  return (
    <Alert
      className="ml-form-notice"
      type={tls.expired || tls.daysLeft < 7 ? 'error' : 'warning'}
      showIcon
      data-testid="tls-expiry-notice"
      title={
        tls.expired
          ? t('notices.tls.expiredTitle', { time })
          : t('notices.tls.expiringTitle', { time, days: tls.daysLeft })
      }
      description={t(tls.configured ? 'notices.tls.configured' : 'notices.tls.selfSigned')}
    />
  );
}

/** The security notices at the top of every signed-in page (TRN-03). */
export function SecurityNotices() {
  const { permissions } = useCurrentSession();
  return (
    <>
      <NewDeviceNotice />
      <PasswordExpiryNotice />
      <TlsExpiryNotice enabled={permissions.includes(SYSTEM_INFO_PERMISSION)} />
    </>
  );
}
