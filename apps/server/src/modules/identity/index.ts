/**
 * identity (layer 2): accounts, authentication, sessions. So far: the one-time setup token that
 * authorises creating the first administrator.
 */
import './identity.tables.js';
import './identity.runtime.js';
import './identity.passkey.tables.js';
import './identity.sms.tables.js';

export {
  /** Issues a fresh one-time setup token, revoking earlier ones; returns the token to print once. */
  issueSetupToken,
  /** Checks a setup token without consuming it; throws `setup_token_invalid`. */
  checkSetupToken,
  /** Consumes a setup token exactly once; throws `setup_token_invalid` otherwise. */
  consumeSetupToken,
  /** True once the first administrator has been created with a setup token. */
  isSetupComplete,
} from './identity.actions.js';
export { identityRoutes } from './identity.routes.js';
/** Sealed columns of this module, for key rotation (the composition root collects them). */
export { IDENTITY_SEALED_COLUMNS } from './identity.tables.js';
/** Passkey (WebAuthn) sign-in, enrolment and management routes for the given public URL (its origin and host name). */
export { passkeyRoutes } from './identity.passkey.routes.js';
/** The browser-session authenticator (cookie `__Host-sid`), for the composition root. */
export { sessionAuthenticator, endUserSessions } from './identity.sessions.js';
export type { IdentityRuntime } from './identity.runtime.js';
/** Loads the password dictionaries ahead of the first password change (optional warm-up). */
export { preloadPasswordPolicy } from './identity.password.js';
/** SESS-09 step-up and GSP-04 electronic signatures, for the modules with regulated sign-offs. */
export {
  stepUp,
  requireRecentAuthentication,
  sign,
  verifySignature,
  recordHash,
  STEP_UP_MAX_AGE_MS,
  type Signature,
  type SignatureInput,
  type SignatureCheck,
} from './identity.signature.js';
/** AUTH-23: the scheduled job that disables dormant and expired accounts. */
export { disableInactiveAccounts, DORMANT_DAYS_DEFAULT } from './identity.lifecycle.js';
/** AUTH-20: tells a user about a change to their account (shown on their security page). */
export { notifyUser, type NotificationKind } from './identity.notify.js';
/** Host-side recovery for the CLI: re-enable and unlock an account by login. */
export { enableByLogin } from './identity.users.js';
/** AC-06: the initial administrator's all-permission role ends once the three administrators exist. */
export { retireBootstrapRole } from './identity.users.js';
/** AUTH-15 text-message providers: settings, the sender factory for the composition root, the gateway signature. */
export { createSmsSender, loadSmsSettings, type SmsSettings, type SmsSender } from './identity.sms-sender.js';
export { canonicalRequest, signGatewayRequest, GATEWAY_HEADERS, GATEWAY_SCHEME } from './identity.sms-gateway.js';
