import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type {
  PasskeyAuthenticationOptions,
  PasskeyAuthenticationResponse,
  PasskeyRegistrationOptions,
  PasskeyRegistrationResponse,
} from '@medledger/contract';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator for tests: ECDSA P-256 (ES256) keys from node:crypto,
 * attestation "none", real CBOR and real signatures. It plays both the authenticator and the
 * browser (client data with origin and challenge), and every field a browser or authenticator
 * controls can be overridden so that tests can forge what an attacker would.
 */

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export type StoredKey = {
  credentialId: Buffer;
  privateKey: KeyObject;
  rpId: string;
  /** The user handle the relying party gave at registration (base64url). */
  userHandle: string;
  counter: number;
};

/** Overrides of what the browser and authenticator would normally send. */
export type Forgery = {
  origin?: string;
  rpId?: string;
  /** The user-verified flag (default true). */
  uv?: boolean;
  challenge?: string;
  type?: string;
  /** The signature counter to report (default: one more than last time; zero-counter mode keeps 0). */
  counter?: number;
  userHandle?: string | null;
};

export class SoftAuthenticator {
  readonly keys: StoredKey[] = [];

  constructor(
    readonly origin: string,
    /** Authenticators that never count (some platform passkeys) always report 0. */
    readonly counting = true,
  ) {}

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** `navigator.credentials.create()` for the given options: a new resident ES256 credential. */
  register(options: PasskeyRegistrationOptions, forge: Forgery = {}): PasskeyRegistrationResponse {
    const rpId = forge.rpId ?? options.rp.id;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credentialId = randomBytes(32);
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, credentialId, Buffer.from(cose)]);
    const flags = FLAG_UP | (forge.uv === false ? 0 : FLAG_UV) | FLAG_AT | FLAG_BE | FLAG_BS;
    const authData = this.authData(rpId, flags, 0, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    const clientDataJSON = this.clientData(
      forge.type ?? 'webauthn.create',
      forge.challenge ?? options.challenge,
      forge.origin ?? this.origin,
    );
    this.keys.push({ credentialId, privateKey, rpId: options.rp.id, userHandle: options.user.id, counter: 0 });
    const id = b64url(credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /**
   * `navigator.credentials.get()`: signs with the first allowed credential this authenticator
   * holds, or (discoverable) with its first credential for the RP ID, or with `key` when given.
   */
  assert(options: PasskeyAuthenticationOptions, forge: Forgery = {}, key?: StoredKey): PasskeyAuthenticationResponse {
    const rpId = options.rpId ?? '';
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const chosen =
      key ?? this.keys.find((k) => (allowed.size === 0 ? k.rpId === rpId : allowed.has(b64url(k.credentialId))));
    if (chosen === undefined) throw new Error('NotAllowedError: no passkey for this site');
    const counter = forge.counter ?? (this.counting ? chosen.counter + 1 : 0);
    chosen.counter = Math.max(chosen.counter, counter);
    const flags = FLAG_UP | (forge.uv === false ? 0 : FLAG_UV) | FLAG_BE | FLAG_BS;
    const authData = this.authData(forge.rpId ?? rpId, flags, counter);
    const clientDataJSON = this.clientData(
      forge.type ?? 'webauthn.get',
      forge.challenge ?? options.challenge,
      forge.origin ?? this.origin,
    );
    const signature = createSign('sha256')
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(chosen.privateKey);
    const userHandle = forge.userHandle === undefined ? chosen.userHandle : forge.userHandle;
    const id = b64url(chosen.credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}
