/** A current code of the authenticator app: RFC 6238, 6 digits. */
export const TOTP_CODE = /^\d{6}$/;

/** A recovery code as the server issues it: four groups of five letters and digits. */
export const RECOVERY_CODE = /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/;

/** Digits only, at most 6: "123 456" and "123-456", as some apps show the code, work as typed. */
export function normaliseTotpCode(value: string): string {
  return value.replace(/\D/g, '').slice(0, 6);
}

/** `abcde fghjk …` or without separators → `ABCDE-FGHJK-LMNPQ-RSTUV`; anything else only trimmed. */
export function normaliseRecoveryCode(value: string): string {
  const compact = value.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === 20 ? (compact.match(/.{5}/g) ?? []).join('-') : value.trim();
}

/** A base32 secret in groups of four, as authenticator apps show it for typing by hand. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}
