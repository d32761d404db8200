import { z } from 'zod';

/** What the client must do next after a sign-in step. */
export const AUTH_NEXT = ['mfa', 'enrol_totp', 'change_password', 'done'] as const;
export type AuthNext = (typeof AUTH_NEXT)[number];

/** Logins: letters, digits and . _ - @, 3 to 64 characters; compared case-insensitively. */
export const Login = z
  .string()
  .min(3, 'at least 3 characters')
  .max(64, 'at most 64 characters')
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ - @ only');

/** Passwords are taken byte-exactly: no trimming, any Unicode, at most 128 characters checked server-side. */
export const Password = z.string().min(1, 'enter the password').max(512, 'too long');

export const PersonName = z.string().trim().min(1).max(100);

/** `POST /api/v1/setup/admin`: consume the one-time setup token and create the first administrator. */
export const CreateFirstAdminInput = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  login: Login,
  name: PersonName,
  password: Password,
});
export type CreateFirstAdminInput = z.infer<typeof CreateFirstAdminInput>;

/** `POST /api/v1/auth/login`. */
export const LoginInput = z.strictObject({ login: z.string().min(1).max(64), password: Password });
export type LoginInput = z.infer<typeof LoginInput>;

export const AuthStepResponse = z.object({
  next: z.enum(AUTH_NEXT),
  /** Second factors the account can use at the `mfa` step. */
  methods: z.array(z.enum(['passkey', 'totp', 'sms', 'recovery'])),
});
export type AuthStepResponse = z.infer<typeof AuthStepResponse>;

/** `POST /api/v1/auth/mfa/totp` and `/recovery`. */
export const OneTimeCodeInput = z.strictObject({ code: z.string().min(6).max(32) });

/** `POST /api/v1/auth/totp/enrol/start`: the secret to show as a QR code (once). */
export const TotpEnrolStartResponse = z.object({ secret: z.string(), otpauthUri: z.string() });

/** `POST /api/v1/auth/totp/enrol/confirm`: recovery codes, shown once. */
export const TotpEnrolConfirmResponse = z.object({ next: z.enum(AUTH_NEXT), recoveryCodes: z.array(z.string()) });

/** `GET /api/v1/session`. */
export const SessionResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), login: z.string() }),
  permissions: z.array(z.string()),
  idleTimeoutSeconds: z.number().int(),
  /** dengbao profile: when the password expires, from 14 days before (AUTH-03 reminder); else null. */
  passwordExpiresSoon: z.string().nullable(),
  unreadNotifications: z.number().int(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const OkResponse = z.object({ ok: z.literal(true) });

/** `GET /api/v1/auth/sessions`: the signed-in user's live sessions (SESS-07). */
export const SessionListResponse = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
      ip: z.string(),
      userAgent: z.string(),
    }),
  ),
});
export type SessionListResponse = z.infer<typeof SessionListResponse>;
