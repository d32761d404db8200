import { CheckSetupTokenInput } from '@medledger/contract';

export type HashToken = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'token'; token: string };

/**
 * The server prints `https://host/setup#token=…`. The fragment is never sent to the server, so the
 * token does not end up in access logs or in a Referer header.
 */
export function readSetupToken(hash: string): HashToken {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (token === null || token === '') return { kind: 'missing' };
  return CheckSetupTokenInput.safeParse({ token }).success ? { kind: 'token', token } : { kind: 'malformed' };
}
