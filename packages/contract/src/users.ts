import { z } from 'zod';
import { Login, Password, PersonName } from './identity.js';

/** Mainland mobile numbers: 11 digits starting with 1 (stored sealed; shown masked). */
export const PhoneNumber = z.string().regex(/^1[3-9]\d{9}$/, '11-digit mobile number');

/** A calendar date `YYYY-MM-DD` (interpreted as the end of that day, China time). */
export const IsoDate = z.iso.date();

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatusName = (typeof USER_STATUSES)[number];

/** Why an account is disabled (AUTH-23 automatic reasons, or an administrator's decision). */
export const DISABLE_REASONS = ['dormant', 'employment_ended', 'administrator'] as const;

/** `POST /api/v1/users`: an administrator creates an account; the user sets the password by link. */
export const CreateUserInput = z.strictObject({
  login: Login,
  name: PersonName,
  phone: PhoneNumber.nullable(),
  email: z.email().max(254).nullable(),
  organisation: z.string().trim().min(1).max(200).nullable(),
  employmentEndsOn: IsoDate.nullable(),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

/** `PATCH /api/v1/users/:id`: every field optional; the login never changes. */
export const UpdateUserInput = CreateUserInput.omit({ login: true }).partial();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

/** One account as administrators see it: phone and e-mail masked (field masking). */
export const UserSummary = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  emailMasked: z.string().nullable(),
  organisation: z.string().nullable(),
  employmentEndsOn: z.string().nullable(),
  status: z.enum(USER_STATUSES),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  passwordSet: z.boolean(),
  factors: z.array(z.string()),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserListQuery = z.strictObject({
  q: z.string().trim().max(64).optional(),
  status: z.enum(USER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const UserListResponse = z.object({
  users: z.array(UserSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type UserListResponse = z.infer<typeof UserListResponse>;

/**
 * A single-use password link (AUTH-18): the token goes in the URL fragment (`/set-password#…`) so
 * it never reaches logs or Referer headers. Shown once, to the administrator who made it.
 */
export const PasswordLink = z.object({
  token: z.string(),
  purpose: z.enum(['invite', 'reset']),
  expiresAt: z.string(),
});
export type PasswordLink = z.infer<typeof PasswordLink>;

export const CreateUserResponse = z.object({ user: UserSummary, link: PasswordLink });
export type CreateUserResponse = z.infer<typeof CreateUserResponse>;

export const UserResponse = z.object({ user: UserSummary });

export const DisableUserInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const EndedSessionsResponse = z.object({ ended: z.number().int() });

/** The token part of a password link: 256 bits, base64url. */
export const PasswordLinkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a password link');

export const CheckPasswordLinkInput = z.strictObject({ token: PasswordLinkToken });
export const CheckPasswordLinkResponse = z.object({
  purpose: z.enum(['invite', 'reset']),
  login: z.string(),
  name: z.string(),
  expiresAt: z.string(),
  privileged: z.boolean(),
});
export type CheckPasswordLinkResponse = z.infer<typeof CheckPasswordLinkResponse>;

export const UsePasswordLinkInput = z.strictObject({ token: PasswordLinkToken, password: Password });

/** `POST /api/v1/auth/password`: change your own password (AUTH-05: the current one is required). */
export const ChangePasswordInput = z.strictObject({ currentPassword: Password, newPassword: Password });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/** AUTH-20: what the user is told about their own account. */
export const NOTIFICATION_KINDS = [
  'new_device',
  'login_after_failures',
  'password_changed',
  'password_reset',
  'password_expiring',
  'factor_added',
  'factor_removed',
  'account_unlocked',
  'account_enabled',
  'sessions_ended',
  'training_due',
  'training_expired',
  'qualification_expiring',
  'outbound_anomaly',
  'maintenance_suspect',
  'break_glass_used',
  'break_glass_review_overdue',
] as const;

export const NotificationListResponse = z.object({
  notifications: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(NOTIFICATION_KINDS),
      data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      createdAt: z.string(),
      read: z.boolean(),
    }),
  ),
});
export type NotificationListResponse = z.infer<typeof NotificationListResponse>;

/** `GET /api/v1/auth/security`: the signed-in user's own security overview. */
export const MySecurityResponse = z.object({
  login: z.string(),
  name: z.string(),
  factors: z.array(z.string()),
  recoveryCodesLeft: z.number().int(),
  passwordChangedAt: z.string().nullable(),
  passwordExpiresAt: z.string().nullable(),
  passwordProfile: z.enum(['asvs', 'dengbao']),
  privileged: z.boolean(),
  /** The last completed sign-ins (newest first), from the session store. */
  recentLogins: z.array(
    z.object({
      at: z.string(),
      method: z.string().nullable(),
      ip: z.string(),
      userAgent: z.string(),
      live: z.boolean(),
    }),
  ),
});
export type MySecurityResponse = z.infer<typeof MySecurityResponse>;

/** `POST /api/v1/users/:id/reveal`: the unmasked contact details (AC-03: each reveal is audited). */
export const RevealedContactResponse = z.object({ phone: z.string().nullable(), email: z.string().nullable() });
export type RevealedContactResponse = z.infer<typeof RevealedContactResponse>;
