import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, QRCode, Segmented, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { confirmSmsEnrolment, confirmTotpEnrolment, getSmsStatus, startTotpEnrolment } from '../../api/auth';
import { ApiError } from '../../api/client';
import { refreshSession } from '../../api/session';
import type { LoginRedirectState } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PublicLayout } from '../../components/public-layout';
import { TOTP_CODE, groupSecret, normaliseTotpCode } from '../login/one-time-code';
import { SmsCodeForm } from '../login/sms-code-form';
import { RecoveryCodes } from './recovery-codes';

const isUnauthenticated = (error: unknown) => error instanceof ApiError && error.code === 'unauthenticated';

/** The account label of an `otpauth://totp/Issuer:account?…` URI, as the app will list it. */
export function otpauthAccount(uri: string): string | null {
  try {
    const label = decodeURIComponent(new URL(uri).pathname.replace(/^\/+/, ''));
    return label === '' ? null : label;
  } catch {
    return null;
  }
}

function Explanation() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Paragraph>{t('enrol.intro')}</Typography.Paragraph>
      <Typography.Paragraph>{t('enrol.apps')}</Typography.Paragraph>
      <Alert className="ml-form-notice" type="warning" showIcon title={t('enrol.notWechat')} />
    </>
  );
}

/**
 * `/enrol-totp`: the session after the password (or after creating the first administrator) can
 * only do this. Scan the secret, confirm with a first code, store the recovery codes, continue.
 */
export function EnrolTotpPage({
  initialMethod = 'totp',
  onChoosePasskey,
}: {
  initialMethod?: 'totp' | 'sms';
  /** Back to the passkey set-up (offered by the SMS risk notice where passkeys work). */
  onChoosePasskey?: (() => void) | undefined;
} = {}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ code: string }>();

  /** This browser has no sign-in in the enrolment stage (expired, finished, or never started). */
  const backToLogin = useCallback(() => {
    const state: LoginRedirectState = { notice: 'enrolment_expired' };
    return navigate('/login', { replace: true, state });
  }, [navigate]);

  // Neither the secret nor the recovery codes stay in the mutation cache once this page is gone.
  const start = useMutation({
    mutationFn: startTotpEnrolment,
    gcTime: 0,
    onError: async (error) => {
      if (isUnauthenticated(error)) await backToLogin();
    },
  });
  const confirm = useMutation({
    mutationFn: confirmTotpEnrolment,
    gcTime: 0,
    onError: async (error) => {
      form.setFieldValue('code', '');
      if (isUnauthenticated(error)) await backToLogin();
    },
  });

  // Each start replaces the unconfirmed secret on the server, which would leave an already scanned
  // QR code useless: only one request per visit, also when StrictMode runs the effect twice.
  const started = useRef(false);
  const startEnrolment = start.mutate;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startEnrolment();
  }, [startEnrolment]);

  // AUTH-11: the server offers text-message codes only to accounts allowed to use them, with a number.
  const sms = useQuery({ queryKey: ['auth', 'sms-status'], queryFn: getSmsStatus, retry: false, gcTime: 0 });
  const smsOffered = sms.data?.available === true;
  const [method, setMethod] = useState<'totp' | 'sms'>(initialMethod);
  const [smsRecoveryCodes, setSmsRecoveryCodes] = useState<string[] | null>(null);
  const finished = confirm.isSuccess || smsRecoveryCodes !== null;
  const continueSignedIn = async () => {
    await refreshSession(queryClient);
    await navigate('/', { replace: true });
  };

  function restart() {
    confirm.reset();
    form.resetFields();
    start.mutate();
  }

  let body;
  if (smsRecoveryCodes !== null) {
    body = <RecoveryCodes codes={smsRecoveryCodes} account={null} onContinue={continueSignedIn} />;
  } else if (confirm.isSuccess) {
    body = (
      <RecoveryCodes
        codes={confirm.data.recoveryCodes}
        account={start.data ? otpauthAccount(start.data.otpauthUri) : null}
        onContinue={continueSignedIn}
      />
    );
  } else if (smsOffered && method === 'sms') {
    body = (
      <>
        <Typography.Paragraph>{t('enrol.smsIntro')}</Typography.Paragraph>
        <SmsCodeForm
          verify={confirmSmsEnrolment}
          onVerified={(answer) => setSmsRecoveryCodes(answer.recoveryCodes)}
          onExpired={() => void backToLogin()}
          submitLabel={t('enrol.smsConfirm')}
          riskNotice={{ onUseAuthenticator: () => setMethod('totp'), onUsePasskey: onChoosePasskey }}
        />
      </>
    );
  } else if (start.isError) {
    body = isUnauthenticated(start.error) ? null : (
      <>
        <Explanation />
        <ApiErrorAlert error={start.error} />
        <Button className="ml-form-action" onClick={() => start.mutate()}>
          {t('enrol.retry')}
        </Button>
      </>
    );
  } else if (!start.isSuccess) {
    body = (
      <div className="ml-centered">
        <Spin size="large" description={t('enrol.starting')} />
      </div>
    );
  } else {
    const { secret, otpauthUri } = start.data;
    const account = otpauthAccount(otpauthUri);
    const error = confirm.error;
    const conflict = error instanceof ApiError && error.code === 'conflict';
    body = (
      <>
        <Explanation />
        <Typography.Title level={3}>{t('enrol.scanTitle')}</Typography.Title>
        <div className="ml-qr">
          <QRCode value={otpauthUri} size={200} color="#000000" bgColor="#ffffff" aria-label={t('enrol.qrLabel')} />
        </div>
        {account && (
          <Typography.Paragraph className="ml-qr-account">{t('enrol.account', { account })}</Typography.Paragraph>
        )}
        <Typography.Paragraph>{t('enrol.manualTitle')}</Typography.Paragraph>
        <Typography.Paragraph className="ml-secret">
          <Typography.Text
            code
            data-testid="totp-secret"
            copyable={{ text: secret, tooltips: [t('enrol.copySecret'), t('enrol.copied')] }}
          >
            {groupSecret(secret)}
          </Typography.Text>
        </Typography.Paragraph>
        <Typography.Title level={3}>{t('enrol.confirmTitle')}</Typography.Title>
        <Form<{ code: string }>
          form={form}
          name="enrol-totp"
          layout="vertical"
          requiredMark={false}
          disabled={confirm.isPending}
          onFinish={({ code }) => confirm.mutate(code)}
        >
          <Form.Item
            label={t('enrol.code')}
            name="code"
            normalize={normaliseTotpCode}
            rules={[
              { required: true, message: t('enrol.codeRequired') },
              { pattern: TOTP_CODE, message: t('enrol.codeFormat') },
            ]}
          >
            <Input className="ml-code-input" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />
          </Form.Item>
          {confirm.isError && !isUnauthenticated(error) && (
            <Form.Item>
              <ApiErrorAlert
                error={error}
                message={
                  error instanceof ApiError && error.code === 'invalid_credentials' ? t('enrol.invalidCode') : undefined
                }
              />
              {conflict && (
                <Button className="ml-form-action" onClick={restart}>
                  {t('enrol.restart')}
                </Button>
              )}
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={confirm.isPending}>
            {t('enrol.confirm')}
          </Button>
        </Form>
      </>
    );
  }

  return (
    <PublicLayout wide>
      <Card>
        <Typography.Title level={2}>
          {t(
            finished
              ? smsRecoveryCodes !== null
                ? 'enrol.smsDoneTitle'
                : 'enrol.doneTitle'
              : smsOffered
                ? 'enrol.chooseTitle'
                : 'enrol.title',
          )}
        </Typography.Title>
        {smsOffered && !finished && (
          <Segmented<'totp' | 'sms'>
            className="ml-form-action"
            block
            value={method}
            onChange={setMethod}
            options={[
              { label: t('enrol.methodTotp'), value: 'totp' },
              { label: t('enrol.methodSms'), value: 'sms' },
            ]}
          />
        )}
        {body}
      </Card>
    </PublicLayout>
  );
}
