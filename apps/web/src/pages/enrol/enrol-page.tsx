import { KeyOutlined, MessageOutlined, MobileOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSmsStatus } from '../../api/auth';
import { PublicLayout } from '../../components/public-layout';
import { passkeysSupported } from '../login/passkey-ceremony';
import { EnrolPasskey } from './enrol-passkey';
import { EnrolTotpPage } from './enrol-totp-page';

/**
 * `/enrol-totp`: the session after the password can only enrol a second factor. Where the browser
 * can use passkeys the user chooses between a passkey and an authenticator app; elsewhere the
 * authenticator app set-up starts directly.
 */
export function EnrolPage() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<'passkey' | 'totp' | 'sms' | null>(() => (passkeysSupported() ? null : 'totp'));
  // AUTH-11: text-message codes are offered only to accounts the server allows them for.
  const sms = useQuery({ queryKey: ['auth', 'sms-status'], queryFn: getSmsStatus, retry: false, gcTime: 0 });
  const smsOffered = sms.data?.available === true;

  if (choice === 'totp' || choice === 'sms') {
    return (
      <EnrolTotpPage
        initialMethod={choice}
        onChoosePasskey={passkeysSupported() ? () => setChoice('passkey') : undefined}
      />
    );
  }
  if (choice === 'passkey') return <EnrolPasskey onBack={() => setChoice(null)} />;
  return (
    <PublicLayout wide>
      <Card>
        <Typography.Title level={2}>{t('passkey.choiceTitle')}</Typography.Title>
        <Typography.Paragraph>{t('passkey.choiceIntro')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          <Col xs={24} md={smsOffered ? 8 : 12}>
            <Card size="small" title={t('passkey.choicePasskeyTitle')}>
              <Typography.Paragraph>{t('passkey.choicePasskeyText')}</Typography.Paragraph>
              <Button type="primary" block icon={<KeyOutlined aria-hidden />} onClick={() => setChoice('passkey')}>
                {t('passkey.choicePasskey')}
              </Button>
            </Card>
          </Col>
          <Col xs={24} md={smsOffered ? 8 : 12}>
            <Card size="small" title={t('passkey.choiceTotpTitle')}>
              <Typography.Paragraph>{t('passkey.choiceTotpText')}</Typography.Paragraph>
              <Button block icon={<MobileOutlined aria-hidden />} onClick={() => setChoice('totp')}>
                {t('passkey.choiceTotp')}
              </Button>
            </Card>
          </Col>
          {smsOffered && (
            <Col xs={24} md={8}>
              <Card size="small" title={t('enrol.methodSms')}>
                <Typography.Paragraph>
                  {t('enrol.smsChoiceText', { phone: sms.data?.maskedPhone ?? '' })}
                </Typography.Paragraph>
                <Typography.Paragraph type="warning">{t('notices.smsRisk.choiceWeaker')}</Typography.Paragraph>
                <Button block icon={<MessageOutlined aria-hidden />} onClick={() => setChoice('sms')}>
                  {t('enrol.smsChoice')}
                </Button>
              </Card>
            </Col>
          )}
        </Row>
      </Card>
    </PublicLayout>
  );
}
