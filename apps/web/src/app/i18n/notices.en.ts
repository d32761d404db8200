import type { noticesZhCN } from './notices.zh-CN';

/** TRN-03 in-product security notices (English): SMS risks, new-device sign-in, expiry reminders. */
export const noticesEn: typeof noticesZhCN = {
  smsRisk: {
    title: 'Before you choose text-message codes, read this',
    intercept:
      'Text-message codes are the weakest second factor: they can be intercepted or redirected. Someone can have your number moved to their own SIM card (SIM swap), or lure you to a fake sign-in page (phishing), and then use the code themselves.',
    stronger:
      'A passkey or an authenticator app is stronger: it cannot be redirected or intercepted that way. Both are offered here, and we recommend them.',
    neverShare: 'Never tell anyone the code, not even colleagues or IT staff. MedLedger never asks for it by phone.',
    acknowledge: 'I have read this notice and understand the risks of text-message codes',
    required: 'Tick the box to confirm you have read the notice; then a code can be sent.',
    usePasskey: 'Set up a passkey instead',
    useApp: 'Use an authenticator app instead',
    neverAsk: 'Never tell anyone this code. MedLedger never asks for it by phone.',
    choiceWeaker: 'Weaker than a passkey or an authenticator app: text messages can be intercepted or redirected.',
  },
  newDevice: {
    title: 'Your account was just signed in from a new device',
    when: 'When',
    device: 'Device',
    ip: 'IP address',
    method: 'Signed in with',
    notYou: 'If this was not you, change your password now and end all other sessions.',
    goSecurity: 'Go to account security',
    phishingTitle: 'Watch out for phishing',
    checkAddress:
      "Before you enter your password, check that the browser's address bar shows your company's MedLedger address: {{origin}}",
    neverAsk: 'MedLedger never asks for codes or passwords by phone, by text message or through a link in an e-mail.',
    dismiss: 'It was me, dismiss',
    more: '{{count}} more sign-ins from new devices are listed on the account security page.',
    unknownDevice: 'Unknown device',
    deviceOn: '{{browser}} on {{os}}',
    dismissFailed: 'The notice could not be dismissed. Try again in a moment.',
  },
  passwordExpiry: {
    title: 'Your password expires on {{time}} ({{days}} days left)',
    text: 'Change it before then; once it has expired, you must change it at your next sign-in before you can continue.',
    change: 'Change password now',
  },
  tls: {
    expiringTitle: "The server's TLS certificate expires on {{time}} ({{days}} days left)",
    expiredTitle: "The server's TLS certificate expired on {{time}}",
    selfSigned:
      'This is the self-signed certificate; it is renewed automatically when the server restarts. In production, configure a certificate issued by a trusted authority.',
    configured:
      'Renew the certificate before then, configure it with MEDLEDGER_TLS_CERT_FILE and MEDLEDGER_TLS_KEY_FILE and restart the server, or browsers will refuse to connect.',
    expires: 'TLS certificate expires',
    subject: 'TLS certificate subject',
    kindSelfSigned: 'self-signed',
    kindConfigured: 'configured',
    daysLeft: '({{days}} days left)',
  },
};
