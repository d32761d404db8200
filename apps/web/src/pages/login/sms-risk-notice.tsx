import { KeyOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface SmsRiskChoices {
  /** Switches to the authenticator app set-up. */
  onUseAuthenticator?: (() => void) | undefined;
  /** Switches to the passkey set-up (only where the browser supports passkeys). */
  onUsePasskey?: (() => void) | undefined;
}

interface Props extends SmsRiskChoices {
  acknowledged: boolean;
  onAcknowledgedChange: (acknowledged: boolean) => void;
}

/**
 * TRN-03 / D2 (ASVS 6.6.1): what a user must read before choosing text-message codes — they can be
 * intercepted or redirected, stronger factors are offered, the code is never told to anyone. The
 * code is sent only once the notice is acknowledged (the server checks it too).
 */
export function SmsRiskNotice({ acknowledged, onAcknowledgedChange, onUseAuthenticator, onUsePasskey }: Props) {
  const { t } = useTranslation();
  return (
    <div className="ml-form-notice" data-testid="sms-risk-notice">
      <Alert
        type="warning"
        showIcon
        role="region"
        aria-label={t('notices.smsRisk.title')}
        title={t('notices.smsRisk.title')}
        description={
          <>
            <ul className="ml-notice-list">
              <li>{t('notices.smsRisk.intercept')}</li>
              <li>{t('notices.smsRisk.stronger')}</li>
              <li>
                <Typography.Text strong>{t('notices.smsRisk.neverShare')}</Typography.Text>
              </li>
            </ul>
            {(onUsePasskey !== undefined || onUseAuthenticator !== undefined) && (
              <Space wrap>
                {onUsePasskey !== undefined && (
                  <Button size="small" icon={<KeyOutlined aria-hidden />} onClick={onUsePasskey}>
                    {t('notices.smsRisk.usePasskey')}
                  </Button>
                )}
                {onUseAuthenticator !== undefined && (
                  <Button size="small" icon={<MobileOutlined aria-hidden />} onClick={onUseAuthenticator}>
                    {t('notices.smsRisk.useApp')}
                  </Button>
                )}
              </Space>
            )}
          </>
        }
      />
      <Checkbox
        className="ml-sms-risk-check"
        checked={acknowledged}
        onChange={(e) => onAcknowledgedChange(e.target.checked)}
      >
        {t('notices.smsRisk.acknowledge')}
      </Checkbox>
      {!acknowledged && <Typography.Paragraph type="secondary">{t('notices.smsRisk.required')}</Typography.Paragraph>}
    </div>
  );
}
