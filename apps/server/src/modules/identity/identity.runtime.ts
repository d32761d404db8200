import type { RateLimiter } from '../../platform/rate-limit.js';
import type { PasswordProfile } from './identity.password.js';
import type { SmsSender } from './identity.sms-sender.js';

/** Settings the identity module reads at run time. */
export type IdentityRuntime = {
  passwordProfile: PasswordProfile;
  /** AUTH-23: days without a sign-in after which an account is disabled. */
  dormantDays: number;
  /** AUTH-08: sign-in attempts per client IP (the IP comes from the trusted-proxy resolver). */
  loginLimiter: RateLimiter;
  /** AUTH-15: the text-message provider (`null`: off), and code sends per client IP per hour. */
  sms: { sender: SmsSender | null; addressLimiter: RateLimiter };
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    identity: IdentityRuntime;
  }
}
