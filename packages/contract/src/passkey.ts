import { z } from 'zod';

/**
 * Passkeys (WebAuthn, AUTH-16/17). The server sends the ceremony options as JSON for
 * `startRegistration` / `startAuthentication` of the browser library, and takes back what they
 * return. Only the credential's public key is ever stored: no biometric data leaves the device.
 */

/** base64url without padding, bounded. */
const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** Credential ids are at most 1023 bytes (WebAuthn §5.8.3), 1364 base64url characters. */
const CredentialId = b64url(1364).min(16);

/** The transports a browser reports (kept as hints for the next ceremony only). */
export const PASSKEY_TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
const Transport = z
  .string()
  .max(20)
  .regex(/^[a-z-]+$/);

/** Extension results: only `credProps` is requested; nothing here is stored. */
const ClientExtensionResults = z.strictObject({
  credProps: z.strictObject({ rk: z.boolean().optional() }).optional(),
  appid: z.boolean().optional(),
  hmacCreateSecret: z.boolean().optional(),
});

/** What `startRegistration` returns (RegistrationResponseJSON). */
export const PasskeyRegistrationResponse = z.strictObject({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.strictObject({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16384),
    authenticatorData: b64url(8192).optional(),
    transports: z.array(Transport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ClientExtensionResults,
});
export type PasskeyRegistrationResponse = z.infer<typeof PasskeyRegistrationResponse>;

/** What `startAuthentication` returns (AuthenticationResponseJSON). */
export const PasskeyAuthenticationResponse = z.strictObject({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.strictObject({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(8192),
    signature: b64url(2048),
    userHandle: b64url(128).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ClientExtensionResults,
});
export type PasskeyAuthenticationResponse = z.infer<typeof PasskeyAuthenticationResponse>;

/** A user-given label, e.g. "办公室电脑 / office PC". */
export const PasskeyName = z.string().trim().min(1, 'enter a name').max(60, 'at most 60 characters');

/** `POST …/passkey/enrol/confirm` and `POST /api/v1/auth/passkeys`: register a new passkey. */
export const PasskeyRegisterInput = z.strictObject({ name: PasskeyName, response: PasskeyRegistrationResponse });
export type PasskeyRegisterInput = z.infer<typeof PasskeyRegisterInput>;

/** `POST …/passkey/login`, `…/passkey/mfa`, `…/passkey/step-up`: an assertion. */
export const PasskeyAssertionInput = z.strictObject({ response: PasskeyAuthenticationResponse });
export type PasskeyAssertionInput = z.infer<typeof PasskeyAssertionInput>;

/** `POST /api/v1/auth/passkeys/:id/rename`. */
export const PasskeyRenameInput = z.strictObject({ name: PasskeyName });

const Descriptor = z.object({
  id: z.string(),
  type: z.literal('public-key'),
  transports: z.array(z.string()).optional(),
});
const UserVerification = z.enum(['discouraged', 'preferred', 'required']);

/** Options for `startRegistration({ optionsJSON })` (PublicKeyCredentialCreationOptionsJSON). */
export const PasskeyRegistrationOptions = z.object({
  rp: z.object({ name: z.string(), id: z.string() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(Descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      userVerification: UserVerification.optional(),
    })
    .optional(),
  attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});
export type PasskeyRegistrationOptions = z.infer<typeof PasskeyRegistrationOptions>;

/** Options for `startAuthentication({ optionsJSON })` (PublicKeyCredentialRequestOptionsJSON). */
export const PasskeyAuthenticationOptions = z.object({
  challenge: z.string(),
  timeout: z.number().int().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(Descriptor).optional(),
  userVerification: UserVerification.optional(),
});
export type PasskeyAuthenticationOptions = z.infer<typeof PasskeyAuthenticationOptions>;

/** One of the signed-in user's passkeys, as listed to them. */
export const PasskeyView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Synced between devices by the platform (e.g. a phone's password manager) or bound to one device. */
  deviceType: z.enum(['singleDevice', 'multiDevice']),
  backedUp: z.boolean(),
});
export type PasskeyView = z.infer<typeof PasskeyView>;

/** `GET /api/v1/auth/passkeys`. */
export const PasskeyListResponse = z.object({
  passkeys: z.array(PasskeyView),
  /** Whether an authenticator app is also enrolled (then the last passkey may be removed). */
  totpEnrolled: z.boolean(),
});
export type PasskeyListResponse = z.infer<typeof PasskeyListResponse>;

/** `POST /api/v1/auth/passkeys`: the passkey just added. */
export const PasskeyCreatedResponse = z.object({ passkey: PasskeyView });
