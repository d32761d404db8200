import type { Permission } from '@medledger/contract';
import type { Db } from '../../platform/db/database.js';
import type { RateLimiter } from '../../platform/rate-limit.js';
import type { PasswordProfile } from './identity.password.js';
import type { SmsSender } from './identity.sms-sender.js';

/**
 * What a higher layer (the access module) says about a user's roles: their names, the permissions
 * they carry now, and whether any is privileged (administrators, high-risk grants). The composition
 * root wires it in; identity never imports access.
 */
export type RoleResolver = (
  db: Db,
  userId: string,
  now?: Date,
) => Promise<{
  roles: string[];
  permissions: ReadonlySet<Permission>;
  privileged: boolean;
  /** Permissions held through a role whose required training has lapsed (TRN-02), with advice. */
  suspended?: ReadonlyMap<Permission, string>;
  /** AC-02: permissions held only through site-limited assignments, with those sites. */
  sites?: ReadonlyMap<Permission, ReadonlySet<string>>;
}>;

/** Settings the identity module reads at run time. */
export type IdentityRuntime = {
  passwordProfile: PasswordProfile;
  /** AUTH-23: days without a sign-in after which an account is disabled. */
  dormantDays: number;
  /** AUTH-08: sign-in attempts per client IP (the IP comes from the trusted-proxy resolver). */
  loginLimiter: RateLimiter;
  /** Role assignments from the access module; absent, only the bootstrap role counts. */
  roles?: RoleResolver;
  /** AUTH-15: the text-message provider (`null`: off), and code sends per client IP per hour. */
  sms: { sender: SmsSender | null; addressLimiter: RateLimiter };
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    identity: IdentityRuntime;
  }
}
