import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Field names whose values never reach a log line, at any depth: credentials, tokens, one-time
 * codes, cookies, ID numbers, phone numbers (CFG, LOG-02, PIPL). Matching is on the key name, so a
 * new field called `newPassword` or `smsOtp` is covered without a new rule.
 */
const SENSITIVE_KEY =
  /pass(word|phrase)?|secret|token|otp|totp|cookie|authorization|credential|id_?card|id_?number|identity_?number|phone|mobile|signature/i;

export const REDACTED = '[redacted]';

/** Returns a deep copy of `value` with sensitive fields replaced by {@link REDACTED}. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (value instanceof Error) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redactDeep(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** The process logger: JSON lines on stdout (or `destination`), redacted. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'medledger' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (obj) => redactDeep(obj) as Record<string, unknown>,
      },
      serializers: {
        err: pino.stdSerializers.err,
      },
    },
    options.destination,
  );
}
