import type {
  PasskeyAuthenticationOptions,
  PasskeyAuthenticationResponse,
  PasskeyRegistrationOptions,
  PasskeyRegistrationResponse,
} from '@medledger/contract';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error-alert';

/** Why the browser did not produce a passkey response; each has its own advice for the user. */
export type PasskeyProblem =
  'unsupported' | 'cancelled' | 'already_registered' | 'wrong_address' | 'authenticator_unsuitable' | 'failed';

/** The browser (not the server) refused or could not finish the passkey step. */
export class PasskeyBrowserError extends Error {
  readonly problem: PasskeyProblem;
  constructor(problem: PasskeyProblem, cause?: unknown) {
    super(problem, { cause });
    this.name = 'PasskeyBrowserError';
    this.problem = problem;
  }
}

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

function classify(error: unknown): PasskeyBrowserError {
  if (error instanceof PasskeyBrowserError) return error;
  const e = error as { name?: string; code?: string; cause?: { name?: string } };
  const byCode: Record<string, PasskeyProblem> = {
    ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED: 'already_registered',
    ERROR_INVALID_DOMAIN: 'wrong_address',
    ERROR_INVALID_RP_ID: 'wrong_address',
    ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT: 'authenticator_unsuitable',
    ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT: 'authenticator_unsuitable',
    ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG: 'authenticator_unsuitable',
    ERROR_CEREMONY_ABORTED: 'cancelled',
  };
  const known = e.code === undefined ? undefined : byCode[e.code];
  if (known !== undefined) return new PasskeyBrowserError(known, error);
  const name = e.cause?.name ?? e.name;
  if (name === 'NotAllowedError' || name === 'AbortError') return new PasskeyBrowserError('cancelled', error);
  if (name === 'SecurityError') return new PasskeyBrowserError('wrong_address', error);
  if (name === 'InvalidStateError') return new PasskeyBrowserError('already_registered', error);
  return new PasskeyBrowserError('failed', error);
}

/** Asks the browser to create a passkey for the server's options. */
export async function createPasskey(optionsJSON: PasskeyRegistrationOptions): Promise<PasskeyRegistrationResponse> {
  if (!passkeysSupported()) throw new PasskeyBrowserError('unsupported');
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw classify(error);
  }
}

/** Asks the browser to sign the server's challenge with a passkey. */
export async function signWithPasskey(
  optionsJSON: PasskeyAuthenticationOptions,
): Promise<PasskeyAuthenticationResponse> {
  if (!passkeysSupported()) throw new PasskeyBrowserError('unsupported');
  try {
    return await startAuthentication({ optionsJSON });
  } catch (error) {
    throw classify(error);
  }
}

/** What to tell the user about a failed passkey step, or undefined for the generic error text. */
export function passkeyErrorText(t: TFunction, error: unknown, ceremony: 'sign_in' | 'register'): string | undefined {
  if (error instanceof PasskeyBrowserError) {
    if (error.problem === 'cancelled') {
      return t(ceremony === 'sign_in' ? 'passkey.problem.cancelledSignIn' : 'passkey.problem.cancelledRegister');
    }
    return t(`passkey.problem.${error.problem}`);
  }
  if (error instanceof ApiError && error.code === 'invalid_credentials') {
    return t(ceremony === 'sign_in' ? 'passkey.notAccepted' : 'passkey.notRegistered');
  }
  if (error instanceof ApiError && error.code === 'service_unavailable') return t('login.busy');
  return undefined;
}

/** A failed passkey step as an alert: the browser's refusal, or the server's answer. */
export function PasskeyErrorAlert({ error, ceremony }: { error: unknown; ceremony: 'sign_in' | 'register' }) {
  const { t } = useTranslation();
  if (error instanceof PasskeyBrowserError) {
    return <Alert type="error" showIcon title={passkeyErrorText(t, error, ceremony)} />;
  }
  return <ApiErrorAlert error={error} message={passkeyErrorText(t, error, ceremony)} />;
}
