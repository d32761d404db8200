import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { randomPooled } from '../../platform/ids.js';

/**
 * AUTH-13: RFC 6238 TOTP, 20-byte secret from the CSPRNG, SHA-1 (what authenticator apps and
 * oathtool expect; documented exception), 6 digits, 30-second steps, ±1 step, server time only.
 * Each code is usable once: the caller stores the accepted step and passes it back as `lastStep`.
 */
export const TOTP_PERIOD_SECONDS = 30;

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'MedLedger',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ buffer: Uint8Array.from(randomPooled(20)).buffer }).base32;
}

export function totpUri(secretBase32: string, label: string): string {
  return totpFor(secretBase32, label).toString();
}

export type TotpCheck = { ok: true; step: number } | { ok: false; replay: boolean };

/** Checks a code at `now`; a code from a step at or before `lastStep` is a replay. */
export function checkTotp(secretBase32: string, code: string, now: Date, lastStep: number): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, replay: false };
  const delta = totpFor(secretBase32, 'check').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return { ok: false, replay: false };
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (step <= lastStep) return { ok: false, replay: true };
  return { ok: true, step };
}

/** The current code (for tests and tooling on the same clock). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, 'code').generate({ timestamp: at.getTime() });
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** AUTH-19: ten single-use recovery codes of 20 characters (100 bits each), shown once. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomPooled(20);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]!).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5, 10)}-${chars.slice(10, 15)}-${chars.slice(15, 20)}`;
  });
}

/** Recovery codes are stored as SHA-256 of the normalised code (high-entropy, so no slow hash needed). */
export function recoveryCodeDigest(code: string): string {
  const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return createHash('sha256').update(`medledger-recovery/1|${normalised}`).digest('hex');
}
