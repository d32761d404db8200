import { KeyOutlined, MobileOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const [choice, setChoice] = useState<'passkey' | 'totp' | null>(() => (passkeysSupported() ? null : 'totp'));

  if (choice === 'totp') return <EnrolTotpPage />;
  if (choice === 'passkey') return <EnrolPasskey onBack={() => setChoice(null)} />;
  return (
    <PublicLayout wide>
      <Card>
        <Typography.Title level={2}>{t('passkey.choiceTitle')}</Typography.Title>
        <Typography.Paragraph>{t('passkey.choiceIntro')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          <Col xs={24} md={12}>
            <Card size="small" title={t('passkey.choicePasskeyTitle')}>
              <Typography.Paragraph>{t('passkey.choicePasskeyText')}</Typography.Paragraph>
              <Button type="primary" block icon={<KeyOutlined aria-hidden />} onClick={() => setChoice('passkey')}>
                {t('passkey.choicePasskey')}
              </Button>
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('passkey.choiceTotpTitle')}>
              <Typography.Paragraph>{t('passkey.choiceTotpText')}</Typography.Paragraph>
              <Button block icon={<MobileOutlined aria-hidden />} onClick={() => setChoice('totp')}>
                {t('passkey.choiceTotp')}
              </Button>
            </Card>
          </Col>
        </Row>
      </Card>
    </PublicLayout>
  );
}
