import type { Resources } from './zh-CN';

export const en: Resources = {
  app: {
    title: 'MedLedger Medical Device Compliance',
    subtitle: 'Secure compliance management for medical device distributors',
    loading: 'Loading…',
  },
  language: {
    switchTo: 'Change the interface language',
  },
  login: {
    title: 'Sign in',
    login: 'Login',
    loginRequired: 'Enter your login',
    password: 'Password',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    notAvailable:
      'Sign-in is not available on this server yet: accounts and sign-in come with the identity module in a later version.',
    invalidCredentials: 'The login or password is incorrect.',
  },
  setup: {
    title: 'Initial setup',
    checking: 'Checking the setup link…',
    validTitle: 'The setup link is valid',
    validUntil: 'This setup link is valid until {{time}}.',
    adminLater:
      'Creating the first administrator account (with a mandatory second factor) becomes available with the identity module.',
    notYetAvailable: 'Account creation is not yet available in this version.',
    invalidTitle: 'Invalid setup link',
    invalid:
      'This setup link is invalid or has expired. Restart the server, or run medledger admin setup-token to get a new setup link.',
    missingToken:
      'The address has no setup token. Open the complete setup link the server printed at start-up (https://…/setup#token=…).',
    toLogin: 'Go to sign in',
  },
  layout: {
    menuHome: 'Home',
    userMenu: 'User menu',
    signOut: 'Sign out',
    signOutFailed: 'Signing out failed on the server; the local session was cleared.',
  },
  home: {
    welcome: 'Welcome, {{name}}',
    systemInfo: 'System information',
    version: 'Version',
    database: 'Database',
    migrations: 'Database migrations',
    migrationsValue: '{{applied}} applied, {{pending}} pending',
    startedAt: 'Started at',
  },
  session: {
    checkFailed: 'Could not check whether you are signed in.',
    retry: 'Retry',
  },
  notFound: {
    title: 'Page not found',
    description: 'Nothing lives at this address; it may have been moved or removed.',
    backHome: 'Back to home',
  },
  routeError: {
    title: 'Something went wrong',
    description:
      'Sorry, this page ran into an unexpected error. Go back to the home page and try again; if it keeps happening, contact your system administrator.',
    backHome: 'Back to home',
  },
  errors: {
    validation_failed: 'Some of the data did not pass validation. Check it and try again.',
    invalid_json: 'The request was malformed.',
    unsupported_media_type: 'The request content type is not supported.',
    payload_too_large: 'The submitted data is too large.',
    unauthenticated: 'Please sign in first.',
    forbidden: 'You do not have permission to do this.',
    cross_origin_rejected: 'The request origin is not allowed. Open the system through its own address.',
    not_found: 'The requested resource does not exist.',
    method_not_allowed: 'The server does not support this operation.',
    conflict: 'The data was changed by someone else. Refresh and try again.',
    setup_token_invalid:
      'The setup link is invalid or has expired. Restart the server, or run medledger admin setup-token.',
    integrity_failed:
      'Encrypted data failed its integrity check; the security administrator has been alerted. Contact them with the request ID.',
    rate_limited: 'Too many attempts. Please wait a moment and try again.',
    service_unavailable: 'The service is temporarily unavailable. Please try again later.',
    internal: 'Internal server error.',
    network: 'Cannot reach the server. Check the network and try again.',
    unknown: 'An unexpected error occurred.',
    requestId: 'Request ID: {{requestId}}',
  },
};
