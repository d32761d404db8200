import { INVENTORY_PERMISSIONS } from './inventory.js';
import { STOCKTAKE_PERMISSIONS } from './inventory-stocktake.js';
import { MASTER_DATA_PERMISSIONS } from './master-data.js';
import { SALES_PERMISSIONS } from './sales.js';
import { PROCUREMENT_PERMISSIONS } from './procurement.js';
import { TRAINING_PERMISSIONS } from './training.js';
import { LEDGER_PERMISSIONS } from './ledgers.js';
import { CLINICAL_PERMISSIONS } from './clinical.js';

/**
 * The permission catalogue: every permission a route may declare, named `module.entity.verb`.
 * A route whose permission is not listed here makes the server refuse to start. Labels are shown
 * in the role editor in both languages.
 */
export const PERMISSIONS = {
  'access.role.read': {
    zh: '查看角色、授权记录与待审批的授权',
    en: 'View roles, role assignments and pending approvals',
  },
  'access.role.assign': {
    zh: '为用户分配或撤销角色（不能授予自己没有的权限，不能给自己授权）',
    en: 'Assign and revoke roles (never a permission one lacks, never to oneself)',
  },
  'access.assignment.approve': {
    zh: '审批高风险授权（管理员角色、患者数据、批量导出），不能审批自己发起的',
    en: 'Approve high-risk grants (administrator roles, patient data, bulk export); never one’s own',
  },
  'audit.event.read': {
    zh: '查看审计日志、完整性证明与校验状态',
    en: 'Read the audit trail, its integrity proofs and verification status',
  },
  'identity.user.read': {
    zh: '查看用户账号列表（电话、邮箱脱敏显示）',
    en: 'View user accounts (phone and e-mail masked)',
  },
  'identity.user.reveal': {
    zh: '查看用户完整的手机号和邮箱（每次查看都记入审计日志）',
    en: "See a user's full phone number and e-mail (each look is recorded in the audit trail)",
  },
  'identity.user.manage': {
    zh: '创建、修改、停用、启用、解锁用户，签发设置密码链接，结束其会话',
    en: 'Create, edit, disable, enable and unlock users, issue password links, end their sessions',
  },
  'identity.smsOutbox.read': {
    zh: '查看开发用短信发件箱（仅开发环境，含验证码）',
    en: 'Read the development SMS outbox (development only; shows the codes sent)',
  },
  'system.info.read': {
    zh: '查看系统信息（版本、数据库、迁移状态）',
    en: 'View system information (version, database, migrations)',
  },
  'system.apiDocs.read': {
    zh: '查看接口说明文档（OpenAPI），仅限管理网络',
    en: 'Read the API description (OpenAPI); from the management networks only',
  },
  ...TRAINING_PERMISSIONS,
  ...MASTER_DATA_PERMISSIONS,
  ...INVENTORY_PERMISSIONS,
  ...SALES_PERMISSIONS,
  ...PROCUREMENT_PERMISSIONS,
  ...STOCKTAKE_PERMISSIONS,
  ...LEDGER_PERMISSIONS,
  ...CLINICAL_PERMISSIONS,
} as const satisfies Record<string, { zh: string; en: string }>;

/** One permission name from {@link PERMISSIONS}. */
export type Permission = keyof typeof PERMISSIONS;

/** True when `name` is a permission in the catalogue. */
export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}
