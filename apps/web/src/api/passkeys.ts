import {
  AuthStepResponse,
  OkResponse,
  PasskeyAuthenticationOptions,
  PasskeyCreatedResponse,
  PasskeyListResponse,
  PasskeyRegistrationOptions,
  TotpEnrolConfirmResponse,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationResponse,
} from '@medledger/contract';
import { apiJson } from './client';

/**
 * Passkeys (WebAuthn). Every ceremony has two calls: the options (a fresh, single-use challenge from
 * the server), then what the browser's authenticator returned for them.
 */

const post = { method: 'POST' } as const;

/** Sign in without a password, step 1: a challenge for any passkey of this site. */
export const passkeyLoginOptions = () => apiJson('/auth/passkey/login/options', PasskeyAuthenticationOptions, post);

/** Sign in without a password, step 2. */
export const passkeyLogin = (response: PasskeyAuthenticationResponse) =>
  apiJson('/auth/passkey/login', AuthStepResponse, { ...post, body: { response } });

/** The second sign-in step with a passkey, after the password. */
export const passkeyMfaOptions = () => apiJson('/auth/passkey/mfa/options', PasskeyAuthenticationOptions, post);
export const passkeyMfa = (response: PasskeyAuthenticationResponse) =>
  apiJson('/auth/passkey/mfa', AuthStepResponse, { ...post, body: { response } });

/** Enrolment of a passkey as the second factor (instead of an authenticator app). */
export const passkeyEnrolOptions = () => apiJson('/auth/passkey/enrol/options', PasskeyRegistrationOptions, post);
export const confirmPasskeyEnrolment = (name: string, response: PasskeyRegistrationResponse) =>
  apiJson('/auth/passkey/enrol/confirm', TotpEnrolConfirmResponse, { ...post, body: { name, response } });

/** Confirming your identity again with a passkey before a sensitive action (step-up). */
export const passkeyStepUpOptions = () => apiJson('/auth/passkey/step-up/options', PasskeyAuthenticationOptions, post);
export const passkeyStepUp = (response: PasskeyAuthenticationResponse) =>
  apiJson('/auth/passkey/step-up', OkResponse, { ...post, body: { response } });

/** Confirming your identity again with an authenticator code. */
export const totpStepUp = (code: string) => apiJson('/auth/step-up', OkResponse, { ...post, body: { code } });

/** The signed-in user's passkeys. */
export const listPasskeys = () => apiJson('/auth/passkeys', PasskeyListResponse);
export const addPasskeyOptions = () => apiJson('/auth/passkeys/options', PasskeyRegistrationOptions, post);
export const addPasskey = (name: string, response: PasskeyRegistrationResponse) =>
  apiJson('/auth/passkeys', PasskeyCreatedResponse, { ...post, body: { name, response } });
export const renamePasskey = (id: string, name: string) =>
  apiJson(`/auth/passkeys/${encodeURIComponent(id)}/rename`, OkResponse, { ...post, body: { name } });
export const removePasskey = (id: string) =>
  apiJson(`/auth/passkeys/${encodeURIComponent(id)}/remove`, OkResponse, post);
