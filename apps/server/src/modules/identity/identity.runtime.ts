import type { PasswordProfile } from './identity.password.js';

/** Settings the identity module reads at run time. */
export type IdentityRuntime = { passwordProfile: PasswordProfile };

declare module '../../platform/runtime.js' {
  interface Runtime {
    identity: IdentityRuntime;
  }
}
