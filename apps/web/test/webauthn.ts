import { vi } from 'vitest';

/**
 * A stand-in for the browser's WebAuthn API in jsdom (which has none): `navigator.credentials`
 * answers with fixed credentials, or rejects like a browser does (e.g. NotAllowedError when the
 * user cancels). The real @simplewebauthn/browser code runs on top of it; the server side is
 * proven with real signatures in the server tests and in Chromium in the e2e test.
 */
const bytes = (text: string) => new TextEncoder().encode(text).buffer;

export const FAKE_CREDENTIAL_ID = 'Y3JlZGVudGlhbC0wMDAwMDAwMQ';

export function assertionCredential() {
  return {
    id: FAKE_CREDENTIAL_ID,
    rawId: bytes('credential-00000001'),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      authenticatorData: bytes('authenticator-data'),
      clientDataJSON: bytes('{"type":"webauthn.get"}'),
      signature: bytes('signature'),
      userHandle: bytes('01900000-0000-7000-8000-000000000001'),
    },
    getClientExtensionResults: () => ({}),
  };
}

export function registrationCredential() {
  return {
    id: FAKE_CREDENTIAL_ID,
    rawId: bytes('credential-00000001'),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      attestationObject: bytes('attestation-object'),
      clientDataJSON: bytes('{"type":"webauthn.create"}'),
      getTransports: () => ['internal'],
    },
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
  };
}

type Answer = (options?: unknown) => Promise<unknown>;

/** Installs the fake; `get`/`create` decide each ceremony's outcome. Undo with {@link removeFakeWebAuthn}. */
export function installFakeWebAuthn(answers: { get?: Answer; create?: Answer } = {}) {
  vi.stubGlobal(
    'PublicKeyCredential',
    class PublicKeyCredential {
      static isConditionalMediationAvailable = () => Promise.resolve(false);
    },
  );
  const credentials = {
    get: vi.fn<Answer>(answers.get ?? (() => Promise.resolve(assertionCredential()))),
    create: vi.fn<Answer>(answers.create ?? (() => Promise.resolve(registrationCredential()))),
  };
  Object.defineProperty(window.navigator, 'credentials', { configurable: true, value: credentials });
  return credentials;
}

export function removeFakeWebAuthn() {
  Reflect.deleteProperty(window.navigator, 'credentials');
}

/** What a browser throws when the user cancels, the check fails, or there is no passkey. */
export const notAllowed = () =>
  Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
