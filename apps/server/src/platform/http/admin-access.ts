import { BlockList, isIPv4 } from 'node:net';
import { ADMINISTRATIVE_PERMISSIONS, type Permission } from '@medledger/contract';
import { AppError } from '../errors.js';
import type { Actor } from './ctx.js';

/**
 * AC-11 (等保 8.1.4.4 c, 限制管理终端接入): administrative interfaces answer only to requests from the
 * management networks, and — when `mfa` is `passkey` — only to a session signed in with a passkey,
 * the phishing-resistant factor. The source address is Fastify's `request.ip`: the direct peer, or
 * the client named by a trusted proxy (MEDLEDGER_TRUSTED_PROXIES) and nobody else.
 */
export type AdminAccessPolicy = {
  /** IP addresses and CIDR ranges of the management networks. */
  networks: readonly string[];
  /** `any`: every second factor MedLedger offers; `passkey`: administration needs a passkey sign-in. */
  mfa: 'any' | 'passkey';
};

/** Loopback only: administration from the server itself until management networks are configured. */
export const DEFAULT_ADMIN_ACCESS: AdminAccessPolicy = { networks: ['127.0.0.1', '::1'], mfa: 'any' };

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The address list as a matcher; an IPv4 client seen through an IPv6 socket (`::ffff:a.b.c.d`) counts as IPv4. */
export function networkMatcher(networks: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const entry of networks) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (ip) => {
    const mapped = MAPPED_V4.exec(ip);
    const address = mapped === null ? ip : mapped[1]!;
    try {
      return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
    } catch {
      return false; // not an address at all: never a management workstation
    }
  };
}

/** The sign-in used a passkey (`passkey` alone or `password+passkey`); codes from an app, SMS or recovery do not count. */
const signedInWithPasskey = (actor: Actor): boolean => (actor.authMethod ?? '').split('+').includes('passkey');

/**
 * The check for one request, run after the permission check: throws 403 with what to do when an
 * administrative permission is used from outside the management networks or without a passkey.
 */
export function adminAccessGuard(
  policy: AdminAccessPolicy,
): (ip: string, actor: Actor, permission: Permission) => void {
  const inManagementNetwork = networkMatcher(policy.networks);
  return (ip, actor, permission) => {
    if (!ADMINISTRATIVE_PERMISSIONS.has(permission)) return;
    if (!inManagementNetwork(ip)) {
      throw new AppError(
        'admin_network_refused',
        `Administration ("${permission}") is only possible from a management workstation; this request came from ${ip}, which is not in the management networks (MEDLEDGER_ADMIN_NETWORKS). Use an administration workstation or ask the system administrator to add your network.`,
      );
    }
    if (policy.mfa === 'passkey' && !signedInWithPasskey(actor)) {
      throw new AppError(
        'admin_passkey_required',
        'Administration needs a sign-in with a passkey (security key or fingerprint), which phishing sites cannot copy. Sign out and sign in with your passkey, or add one under Account security first.',
      );
    }
  };
}
