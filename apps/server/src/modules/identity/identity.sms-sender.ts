import { readFileSync, statSync } from 'node:fs';
import { seal } from '../keys/index.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { SmsSendError, gatewayClient, type GatewayOptions } from './identity.sms-gateway.js';

export { SmsSendError };

/** What is sent: the full text, and the template name and parameters for vendors that need templates. */
export type SmsMessage = { to: string; text: string; template: 'mfa_code'; params: { code: string; minutes: string } };

/**
 * A text-message provider. `send` resolves with the provider's message id once the provider has
 * accepted the message, and throws {@link SmsSendError} otherwise (fail closed: no id, no code).
 * It is called outside any database transaction.
 */
export type SmsSender = {
  provider: 'outbox' | 'http';
  send: (ctx: Pick<Ctx, 'runtime' | 'now'>, message: SmsMessage) => Promise<string>;
};

/** `MEDLEDGER_SMS_PROVIDER` and what each provider needs. */
export type SmsSettings =
  { provider: 'off' } | { provider: 'outbox' } | ({ provider: 'http' } & Omit<GatewayOptions, 'now'>);

/** The number with its middle four digits hidden: 134****0001 (mainland mobile numbers), else the last four. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  if (national.length === 11) return `${national.slice(0, 3)}****${national.slice(7)}`;
  return `****${national.slice(-4)}`;
}

/** E.164 for the gateway: 11-digit mainland numbers get +86; numbers already in +… form stay. */
export function e164(phone: string): string {
  const compact = phone.replace(/[\s()-]/g, '');
  if (/^1\d{10}$/.test(compact)) return `+86${compact}`;
  return compact;
}

/**
 * Development only: "sends" by storing the message (recipient and text sealed) for the outbox page
 * and for tests. Nothing leaves the server.
 */
export const outboxSender: SmsSender = {
  provider: 'outbox',
  send: async (ctx, message) => {
    const id = uuidv7(ctx.now.getTime());
    await ctx.runtime.db
      .insertInto('sms_outbox')
      .values({
        id,
        toMasked: maskPhone(message.to),
        toSealed: seal(ctx, { table: 'sms_outbox', column: 'toSealed', rowId: id }, message.to),
        textSealed: seal(ctx, { table: 'sms_outbox', column: 'textSealed', rowId: id }, message.text),
        createdAt: ctx.now.toISOString(),
      })
      .execute();
    return `outbox:${id}`;
  },
};

/** The signed HTTPS gateway (identity.sms-gateway.ts). */
export function httpSender(options: Omit<GatewayOptions, 'now'>): SmsSender {
  const client = gatewayClient(options);
  return {
    provider: 'http',
    send: (ctx, message) =>
      client.send({
        id: uuidv7(ctx.now.getTime()),
        to: e164(message.to),
        template: message.template,
        params: message.params,
        text: message.text,
      }),
  };
}

/** The sender for the settings; `null` when text messages are off. */
export function createSmsSender(settings: SmsSettings): SmsSender | null {
  switch (settings.provider) {
    case 'off':
      return null;
    case 'outbox':
      return outboxSender;
    case 'http': {
      const { provider: _provider, ...gateway } = settings;
      return httpSender(gateway);
    }
  }
}

/**
 * The SMS settings from the configuration, reading the gateway secret (and CA) files. Throws with a
 * readable message when the secret file is readable by other users or too short.
 */
export function loadSmsSettings(config: {
  smsProvider: 'off' | 'outbox' | 'http';
  smsGatewayUrl?: string | undefined;
  smsGatewaySecretFile?: string | undefined;
  smsGatewayKeyId: string;
  smsGatewayCaFile?: string | undefined;
  smsGatewayTimeoutMs: number;
}): SmsSettings {
  if (config.smsProvider !== 'http') return { provider: config.smsProvider };
  const file = config.smsGatewaySecretFile;
  if (config.smsGatewayUrl === undefined || file === undefined) {
    throw new Error('the http SMS provider needs MEDLEDGER_SMS_GATEWAY_URL and MEDLEDGER_SMS_GATEWAY_SECRET_FILE');
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    throw new Error(`SMS gateway secret file ${file} is readable by other users; run: chmod 600 ${file}`);
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  if (secret.length < 32) throw new Error(`SMS gateway secret file ${file} must hold at least 32 characters`);
  return {
    provider: 'http',
    url: config.smsGatewayUrl,
    secret,
    keyId: config.smsGatewayKeyId,
    timeoutMs: config.smsGatewayTimeoutMs,
    ca: config.smsGatewayCaFile === undefined ? undefined : readFileSync(config.smsGatewayCaFile),
  };
}
