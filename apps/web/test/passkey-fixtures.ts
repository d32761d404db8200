import type { MockResponse } from './render-app';

/** Server answers for passkey ceremonies, as the real server sends them (see the server tests). */
export const AUTH_OPTIONS: MockResponse = {
  status: 200,
  body: {
    challenge: 'c2VydmVyLWNoYWxsZW5nZS0wMDAwMDAwMDAwMDAwMDAx',
    timeout: 120000,
    rpId: 'localhost',
    allowCredentials: [],
    userVerification: 'required',
  },
};

export const REGISTRATION_OPTIONS: MockResponse = {
  status: 200,
  body: {
    rp: { name: 'MedLedger', id: 'localhost' },
    user: { id: 'MDE5MDAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx', name: 'wang.wu', displayName: '王五' },
    challenge: 'c2VydmVyLWNoYWxsZW5nZS0wMDAwMDAwMDAwMDAwMDAy',
    pubKeyCredParams: [
      { type: 'public-key', alg: -8 },
      { type: 'public-key', alg: -7 },
      { type: 'public-key', alg: -257 },
    ],
    timeout: 120000,
    excludeCredentials: [],
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    attestation: 'none',
    extensions: { credProps: true },
  },
};

export const notAccepted: MockResponse = {
  status: 401,
  body: { code: 'invalid_credentials', message: 'The passkey was not accepted.', requestId: 'req-pk' },
};
