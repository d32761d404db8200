/**
 * The permission catalogue: every permission a route may declare, named `module.entity.verb`.
 * A route whose permission is not listed here makes the server refuse to start. Labels are shown
 * in the role editor in both languages.
 */
export const PERMISSIONS = {
  'audit.event.read': {
    zh: '查看审计日志、完整性证明与校验状态',
    en: 'Read the audit trail, its integrity proofs and verification status',
  },
  'identity.smsOutbox.read': {
    zh: '查看开发用短信发件箱（仅开发环境，含验证码）',
    en: 'Read the development SMS outbox (development only; shows the codes sent)',
  },
  'system.info.read': {
    zh: '查看系统信息（版本、数据库、迁移状态）',
    en: 'View system information (version, database, migrations)',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

/** One permission name from {@link PERMISSIONS}. */
export type Permission = keyof typeof PERMISSIONS;

/** True when `name` is a permission in the catalogue. */
export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}
