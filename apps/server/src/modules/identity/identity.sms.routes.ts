import {
  AuthStepResponse,
  SmsCodeInput,
  SmsEnrolConfirmInput,
  SmsOutboxResponse,
  SmsSendInput,
  SmsSendResponse,
  SmsStatusResponse,
  TotpEnrolConfirmResponse,
} from '@medledger/contract';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { completeWithSms, confirmSmsEnrolment, listSmsOutbox, sendSmsCode, smsStatus } from './identity.sms.js';

// Public like the other sign-in steps: each checks the stage of the pending session it belongs to.
export const smsRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/auth/mfa/sms',
    public: true,
    summary: 'Sign-in step 2 / enrolment: can this sign-in use a text-message code, and to which (masked) number',
    response: SmsStatusResponse,
    handler: (ctx) => smsStatus(ctx),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/mfa/sms/send',
    audits: 'identity.smsCode.sent',
    public: true,
    transaction: false,
    summary:
      'Sign-in step 2 / enrolment: send a text-message code (replaces the previous one; throttled; at enrolment only with the risk notice acknowledged)',
    body: SmsSendInput,
    response: SmsSendResponse,
    handler: (ctx, { body }) => sendSmsCode(ctx, { riskAcknowledged: body?.smsRiskAcknowledged === true }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/mfa/sms',
    audits: 'identity.login.succeeded',
    public: true,
    transaction: false,
    summary: 'Sign in, step 2: text-message code',
    body: SmsCodeInput,
    response: AuthStepResponse,
    handler: (ctx, { body }) => completeWithSms(ctx, body.code, ctx.runtime.identity.passwordProfile),
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/sms/enrol/confirm',
    audits: 'identity.sms.enrolled',
    public: true,
    transaction: false,
    summary:
      'Text-message enrolment: confirm the number with the code and the acknowledged risk notice; returns recovery codes once',
    body: SmsEnrolConfirmInput,
    response: TotpEnrolConfirmResponse,
    handler: (ctx, { body }) =>
      confirmSmsEnrolment(
        ctx,
        { code: body.code, riskAcknowledged: body.smsRiskAcknowledged === true },
        ctx.runtime.identity.passwordProfile,
      ),
  }),
  route({
    method: 'GET',
    url: '/api/v1/dev/sms-outbox',
    permission: 'identity.smsOutbox.read',
    summary: 'Development SMS outbox, newest first (404 unless MEDLEDGER_SMS_PROVIDER=outbox)',
    response: SmsOutboxResponse,
    handler: (ctx) => listSmsOutbox(ctx),
  }),
];
