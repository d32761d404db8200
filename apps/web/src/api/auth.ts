import {
  AuthStepResponse,
  SmsSendResponse,
  SmsStatusResponse,
  TotpEnrolConfirmResponse,
  TotpEnrolStartResponse,
  type LoginInput,
} from '@medledger/contract';
import { apiJson, apiRequest } from './client';

export type { LoginInput };

/**
 * The sign-in steps. Each answers with what comes next; the session cookie (HttpOnly) is set by the
 * server along the way, and the signed-in session itself comes from `GET /api/v1/session` at the end.
 */

/** Step 1, `POST /api/v1/auth/login`. */
export function login(input: LoginInput): Promise<AuthStepResponse> {
  return apiJson('/auth/login', AuthStepResponse, { method: 'POST', body: input });
}

/** Step 2, `POST /api/v1/auth/mfa/totp`: the 6-digit code of the authenticator app. */
export function verifyTotpCode(code: string): Promise<AuthStepResponse> {
  return apiJson('/auth/mfa/totp', AuthStepResponse, { method: 'POST', body: { code } });
}

/** Step 2 instead, `POST /api/v1/auth/mfa/recovery`: one of the recovery codes. */
export function verifyRecoveryCode(code: string): Promise<AuthStepResponse> {
  return apiJson('/auth/mfa/recovery', AuthStepResponse, { method: 'POST', body: { code } });
}

/** Authenticator enrolment, step 1: a new secret. Each call replaces the previous unconfirmed one. */
export function startTotpEnrolment() {
  return apiJson('/auth/totp/enrol/start', TotpEnrolStartResponse, { method: 'POST' });
}

/** Authenticator enrolment, step 2: the first code confirms it; the recovery codes come back once. */
export function confirmTotpEnrolment(code: string) {
  return apiJson('/auth/totp/enrol/confirm', TotpEnrolConfirmResponse, { method: 'POST', body: { code } });
}

/** `POST /api/v1/auth/logout`, without a body. */
export async function logout(): Promise<void> {
  await apiRequest('/auth/logout', { method: 'POST' });
}

/** Text-message codes (AUTH-15): can this pending sign-in use them, and to which masked number. */
export function getSmsStatus() {
  return apiJson('/auth/mfa/sms', SmsStatusResponse);
}

/** Sends a new code to the number on record; the previous code stops working. */
export function sendSmsCode(riskAcknowledged = false) {
  // TRN-03: at enrolment the server sends a code only with the acknowledged SMS risk notice.
  return apiJson('/auth/mfa/sms/send', SmsSendResponse, {
    method: 'POST',
    ...(riskAcknowledged ? { body: { smsRiskAcknowledged: true } } : {}),
  });
}

/** Step 2 with the text-message code. */
export function verifySmsCode(code: string): Promise<AuthStepResponse> {
  return apiJson('/auth/mfa/sms', AuthStepResponse, { method: 'POST', body: { code } });
}

/** Enrolment with a text-message code instead of an authenticator; the recovery codes come back once. */
export function confirmSmsEnrolment(code: string, riskAcknowledged: boolean) {
  return apiJson('/auth/sms/enrol/confirm', TotpEnrolConfirmResponse, {
    method: 'POST',
    body: riskAcknowledged ? { code, smsRiskAcknowledged: true } : { code },
  });
}
