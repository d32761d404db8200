import { createHash, createHmac } from 'node:crypto';
import https from 'node:https';
import { z } from 'zod';
import { randomPooled } from '../../platform/ids.js';

/**
 * The generic HTTPS SMS gateway: MedLedger POSTs one JSON message per text to a bridge the operator
 * runs (docs/operations/sms-gateway.md), which calls the SMS vendor's template API. Every request
 * is signed with HMAC-SHA-256 over method, path, timestamp, nonce, key id and the body's SHA-256,
 * so the bridge can refuse forged, altered and replayed requests (API-02 scheme).
 */

export const GATEWAY_SCHEME = 'MEDLEDGER-HMAC-SHA256';
export const GATEWAY_HEADERS = {
  keyId: 'x-medledger-key-id',
  timestamp: 'x-medledger-timestamp',
  nonce: 'x-medledger-nonce',
  contentSha256: 'x-medledger-content-sha256',
  signature: 'x-medledger-signature',
} as const;
/** The largest answer read from the gateway; anything longer fails. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Raised for every way a send can fail; the message names the cause, never the recipient or code. */
export class SmsSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** The JSON body MedLedger sends. `template` and `params` let the bridge use a pre-approved template. */
export type GatewayMessage = {
  id: string;
  to: string;
  template: 'mfa_code';
  params: { code: string; minutes: string };
  text: string;
};

/** The only answer accepted: HTTP 2xx with exactly `{ "messageId": "…" }`. */
const GatewayAnswer = z.strictObject({ messageId: z.string().min(1).max(128) });

/** The string that is signed: one field per line, in this order. */
export function canonicalRequest(p: {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  keyId: string;
  contentSha256: string;
}): string {
  return [GATEWAY_SCHEME, p.method.toUpperCase(), p.path, p.timestamp, p.nonce, p.keyId, p.contentSha256].join('\n');
}

/** The signature headers for one request (a fresh 128-bit nonce and the current time each call). */
export function signGatewayRequest(options: {
  secret: Buffer;
  keyId: string;
  method: string;
  path: string;
  body: Buffer;
  now: Date;
}): Record<string, string> {
  const timestamp = String(Math.floor(options.now.getTime() / 1000));
  const nonce = randomPooled(16).toString('base64url');
  const contentSha256 = createHash('sha256').update(options.body).digest('hex');
  const canonical = canonicalRequest({
    method: options.method,
    path: options.path,
    timestamp,
    nonce,
    keyId: options.keyId,
    contentSha256,
  });
  const signature = createHmac('sha256', options.secret).update(canonical, 'utf8').digest('hex');
  return {
    [GATEWAY_HEADERS.keyId]: options.keyId,
    [GATEWAY_HEADERS.timestamp]: timestamp,
    [GATEWAY_HEADERS.nonce]: nonce,
    [GATEWAY_HEADERS.contentSha256]: contentSha256,
    [GATEWAY_HEADERS.signature]: `v1=${signature}`,
  };
}

export type GatewayOptions = {
  url: string;
  secret: Buffer;
  keyId: string;
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM) for a bridge with a private certificate authority. */
  ca?: Buffer | undefined;
  /** Wall-clock time for the signature timestamp. */
  now?: () => Date;
};

/**
 * Builds the gateway client. Refuses anything but https:// at construction; each send fails closed
 * (throws {@link SmsSendError}) on a network error, a timeout, a non-2xx status, a redirect, or an
 * answer that is not exactly `{ "messageId": "…" }`.
 */
export function gatewayClient(options: GatewayOptions): { send: (message: GatewayMessage) => Promise<string> } {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new Error('the SMS gateway URL must start with https://');
  if (options.secret.length < 32) throw new Error('the SMS gateway secret must have at least 32 bytes');
  const now = options.now ?? (() => new Date());
  const path = `${url.pathname}${url.search}`;

  const send = (message: GatewayMessage): Promise<string> => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      accept: 'application/json',
      ...signGatewayRequest({ secret: options.secret, keyId: options.keyId, method: 'POST', path, body, now: now() }),
    };
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(new SmsSendError(reason));
      };
      const request = https.request(url, {
        method: 'POST',
        headers,
        minVersion: 'TLSv1.2',
        ...(options.ca ? { ca: options.ca } : {}),
        agent: false,
      });
      // One deadline for connecting, sending and reading the whole answer.
      const timer = setTimeout(
        () => fail(`the SMS gateway did not answer within ${options.timeoutMs} ms`),
        options.timeoutMs,
      );
      request.on('error', (err: NodeJS.ErrnoException) =>
        fail(`the SMS gateway could not be reached (${err.code ?? err.message})`),
      );
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) {
          response.resume();
          fail(`the SMS gateway answered HTTP ${status}`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail('the SMS gateway answer is too large');
          else chunks.push(chunk);
        });
        response.on('error', () => fail('the SMS gateway answer was cut off'));
        response.on('end', () => {
          if (settled) return;
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            fail('the SMS gateway answer is not JSON');
            return;
          }
          const answer = GatewayAnswer.safeParse(parsed);
          if (!answer.success) {
            fail('the SMS gateway answer is not {"messageId": "…"}');
            return;
          }
          settled = true;
          clearTimeout(timer);
          resolve(answer.data.messageId);
        });
      });
      request.end(body);
    });
  };
  return { send };
}
