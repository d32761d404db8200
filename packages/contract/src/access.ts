import { z } from 'zod';
import type { Permission } from './permissions.js';

/**
 * The three separated administrators of 等保 (三权分立, AC-06): no account may hold two of them. The
 * system administrator runs accounts and the system, the security administrator grants roles, the
 * audit administrator reads and verifies the audit trail — and nothing else.
 */
export const ADMIN_CLASSES = ['system', 'security', 'audit'] as const;
export type AdminClass = (typeof ADMIN_CLASSES)[number];

export type RoleDefinition = {
  code: string;
  zh: string;
  en: string;
  descriptionZh: string;
  descriptionEn: string;
  /** One of the three separated administrators, or undefined for business roles. */
  adminClass?: AdminClass;
  /** High-risk grants (administrators, patient data, bulk export) need a second approver (AC-05). */
  highRisk: boolean;
  permissions: readonly Permission[];
  /**
   * TRN-02: training courses (codes) that must be current for the role's permissions to work;
   * when one lapses they stop at once and the denial names the course.
   */
  requiresTraining?: readonly string[];
  /**
   * AC-05 delegation: the holder may grant the permissions of business roles without using them
   * (see {@link DELEGABLE_BUSINESS_PERMISSIONS}); every other permission only if held.
   */
  delegatesBusinessRoles?: boolean;
};

/**
 * The built-in roles: GSP posts and the hospital side, each with the least permissions its work
 * needs, and the three separated administrators. Business modules add their permissions here as
 * they are built; a post without permissions yet is still assignable (its scope is recorded).
 */
export const BUILTIN_ROLES = [
  {
    code: 'system-admin',
    zh: '系统管理员',
    en: 'System administrator',
    descriptionZh: '管理用户账号与系统运行；不能授权，也不能查看审计日志。',
    descriptionEn: 'Runs user accounts and the system; cannot grant roles or read the audit trail.',
    adminClass: 'system',
    highRisk: true,
    requiresTraining: ['security-basics'],
    permissions: [
      'identity.user.read',
      'identity.user.manage',
      'identity.user.reveal',
      'system.info.read',
      'system.apiDocs.read',
    ],
  },
  {
    code: 'security-admin',
    zh: '安全管理员',
    en: 'Security administrator',
    descriptionZh: '为用户分配角色和数据范围、审批高风险授权；不能管理账号，也不能查看审计日志。',
    descriptionEn:
      'Assigns roles and data scopes and approves high-risk grants; cannot manage accounts or read the audit trail.',
    adminClass: 'security',
    highRisk: true,
    requiresTraining: ['security-basics'],
    permissions: [
      'access.role.read',
      'access.role.assign',
      'access.assignment.approve',
      'identity.user.read',
      'clinical.breakGlass.review',
    ],
    delegatesBusinessRoles: true,
  },
  {
    code: 'audit-admin',
    zh: '审计管理员',
    en: 'Audit administrator',
    descriptionZh: '查看、校验和导出审计日志；不能修改任何其他内容。',
    descriptionEn: 'Reads, verifies and exports the audit trail; changes nothing else.',
    adminClass: 'audit',
    highRisk: true,
    requiresTraining: ['security-basics'],
    permissions: ['audit.event.read'],
  },
  {
    code: 'enterprise-head',
    zh: '企业负责人',
    en: 'Enterprise head',
    descriptionZh: '对企业质量管理全面负责；审批采购订单。',
    descriptionEn: 'Overall responsibility for quality management; approves purchase orders.',
    highRisk: false,
    permissions: [
      'system.info.read',
      'master-data.record.read',
      'inventory.stock.read',
      'sales.order.read',
      'sales.ledger.read',
      'procurement.record.read',
      'procurement.order.approve',
    ],
  },
  {
    code: 'qa-manager',
    zh: '质量负责人 / 质量管理',
    en: 'Quality manager (QA)',
    descriptionZh: '首营审核、质量否决、不合格品与召回管理。',
    descriptionEn: 'First-business approval, quality veto, nonconforming goods and recalls.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'master-data.record.edit',
      'master-data.change.approve',
      'master-data.warehouse.manage',
      'inventory.stock.read',
      'inventory.lot.hold',
      'inventory.movement.reverse',
      'sales.order.read',
      'sales.ledger.read',
      'sales.supplierReturn.create',
      'sales.disposal.create',
      'procurement.record.read',
      'inventory.stocktake.approve',
    ],
    requiresTraining: ['security-basics'],
  },
  {
    code: 'purchasing',
    zh: '采购',
    en: 'Purchasing',
    descriptionZh: '采购订单与供应商联系。',
    descriptionEn: 'Purchase orders and suppliers.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'procurement.record.read',
      'procurement.order.edit',
    ],
  },
  {
    code: 'receiving',
    zh: '收货',
    en: 'Receiving',
    descriptionZh: '到货核对与收货记录。',
    descriptionEn: 'Checking and recording deliveries.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'sales.order.read',
      'sales.return.receive',
      'procurement.record.read',
      'procurement.receipt.record',
    ],
  },
  {
    code: 'acceptance',
    zh: '验收',
    en: 'Acceptance inspection',
    descriptionZh: '按 GSP 逐批验收并签名。',
    descriptionEn: 'Batch acceptance inspection and sign-off under GSP.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'sales.order.read',
      'sales.return.inspect',
      'procurement.record.read',
      'procurement.acceptance.scan',
      'procurement.acceptance.conclude',
    ],
  },
  {
    code: 'warehouse',
    zh: '仓储 / 养护',
    en: 'Storage and maintenance',
    descriptionZh: '在库储存、养护检查与温湿度记录。',
    descriptionEn: 'Storage, maintenance checks and climate records.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'inventory.stock.move',
      'inventory.climate.record',
      'sales.order.read',
      'sales.order.allocate',
      'sales.shipment.create',
      'inventory.stocktake.count',
      'inventory.maintenance.record',
    ],
  },
  {
    code: 'sales',
    zh: '销售',
    en: 'Sales',
    descriptionZh: '销售订单与客户资质核对。',
    descriptionEn: 'Sales orders and customer licence checks.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'sales.order.read',
      'sales.price.read',
      'sales.order.create',
      'sales.order.cancel',
      'sales.ledger.read',
    ],
  },
  {
    code: 'outbound-review',
    zh: '出库复核',
    en: 'Outbound review',
    descriptionZh: '出库复核并签名。',
    descriptionEn: 'Outbound review and sign-off.',
    highRisk: false,
    permissions: ['master-data.record.read', 'inventory.stock.read', 'sales.order.read', 'sales.review.perform'],
  },
  {
    code: 'finance',
    zh: '财务',
    en: 'Finance',
    descriptionZh: '价格、结算与发票。',
    descriptionEn: 'Prices, settlement and invoices.',
    highRisk: false,
    permissions: [
      'master-data.record.read',
      'inventory.stock.read',
      'sales.order.read',
      'sales.price.read',
      'sales.ledger.read',
    ],
  },
  {
    code: 'clinical-use',
    zh: '设备科 / 临床使用',
    en: 'Equipment department / clinical use',
    descriptionZh: '医院侧植入与介入器械使用记录；患者信息脱敏显示，查看完整信息与紧急访问全程留痕。',
    descriptionEn:
      'Implant and interventional device usage records on the hospital side; patient details masked, reveals and break-glass fully logged.',
    // Patient data: a second person approves the grant (AC-05).
    highRisk: true,
    permissions: [
      'master-data.record.read',
      'clinical.usage.read',
      'clinical.usage.record',
      'clinical.patient.read',
      'clinical.patient.reveal',
      'clinical.breakGlass.use',
    ],
    requiresTraining: ['privacy-pipl'],
  },
] as const satisfies readonly RoleDefinition[];

export type RoleCode = (typeof BUILTIN_ROLES)[number]['code'];
export const ROLE_CODES = BUILTIN_ROLES.map((r) => r.code) as [RoleCode, ...RoleCode[]];

/**
 * Permissions that are never delegated: they can be granted only by someone who holds them
 * (administration, the audit trail, user accounts and — once they exist — patient data).
 */
export const NEVER_DELEGATED_PREFIXES = [
  'access.',
  'audit.',
  'identity.',
  'system.',
  'clinical.patient',
  'patient.',
  'clinical.breakGlass',
] as const;

/**
 * AC-05: what a security administrator may hand out without using it — the permissions of the
 * business roles (not administrators, not high-risk), minus {@link NEVER_DELEGATED_PREFIXES}.
 */
export const DELEGABLE_BUSINESS_PERMISSIONS: ReadonlySet<Permission> = new Set(
  (BUILTIN_ROLES as readonly RoleDefinition[])
    .filter((r) => r.adminClass === undefined && !r.highRisk)
    .flatMap((r) => r.permissions)
    .filter((p) => !NEVER_DELEGATED_PREFIXES.some((prefix) => p.startsWith(prefix))),
);

/**
 * AC-11: the administrative interfaces are the routes guarded by these permissions — those that
 * only the three separated administrators hold (user accounts, grants, the audit trail, break-glass
 * review). They answer only to requests from the management networks and, where configured, only
 * to a passkey sign-in. A permission a business role also holds (e.g. system information for the
 * enterprise head) is not administrative.
 */
export const ADMINISTRATIVE_PERMISSIONS: ReadonlySet<Permission> = (() => {
  const roles = BUILTIN_ROLES as readonly RoleDefinition[];
  const business = new Set(roles.filter((r) => r.adminClass === undefined).flatMap((r) => r.permissions));
  return new Set(
    roles
      .filter((r) => r.adminClass !== undefined)
      .flatMap((r) => r.permissions)
      .filter((p) => !business.has(p)),
  );
})();

export function roleDefinition(code: string): RoleDefinition | undefined {
  return (BUILTIN_ROLES as readonly RoleDefinition[]).find((r) => r.code === code);
}

/** A data scope: the whole organisation (`null` site), or one site / warehouse. */
export const SiteScope = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'site code: letters, digits, . _ -');

/** `POST /api/v1/access/assignments`: grant a role (the grantor, time and status come from the server). */
export const AssignRoleInput = z.strictObject({
  userId: z.uuid(),
  roleCode: z.enum(ROLE_CODES),
  site: SiteScope.nullable(),
  reason: z.string().trim().min(2).max(500),
});
export type AssignRoleInput = z.infer<typeof AssignRoleInput>;

export const ASSIGNMENT_STATUSES = ['pending', 'active', 'rejected', 'revoked'] as const;

export const RoleAssignmentView = z.object({
  id: z.string(),
  userId: z.string(),
  userLogin: z.string(),
  userName: z.string(),
  roleCode: z.string(),
  site: z.string().nullable(),
  status: z.enum(ASSIGNMENT_STATUSES),
  reason: z.string(),
  requestedBy: z.string(),
  requestedByName: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type RoleAssignmentView = z.infer<typeof RoleAssignmentView>;

export const RoleAssignmentResponse = z.object({ assignment: RoleAssignmentView });
export const RoleAssignmentListResponse = z.object({ assignments: z.array(RoleAssignmentView) });
export type RoleAssignmentListResponse = z.infer<typeof RoleAssignmentListResponse>;

export const RoleAssignmentListQuery = z.strictObject({
  userId: z.uuid().optional(),
  status: z.enum(ASSIGNMENT_STATUSES).optional(),
});

export const DecideAssignmentInput = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const RoleListResponse = z.object({
  roles: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      descriptionZh: z.string(),
      descriptionEn: z.string(),
      adminClass: z.enum(ADMIN_CLASSES).nullable(),
      highRisk: z.boolean(),
      permissions: z.array(z.string()),
    }),
  ),
});
export type RoleListResponse = z.infer<typeof RoleListResponse>;

/** `GET /api/v1/access/users/:id/effective`: what this user can do now, and what is suspended. */
export const EffectiveAccessResponse = z.object({
  roles: z.array(z.object({ code: z.string(), site: z.string().nullable() })),
  permissions: z.array(z.string()),
  suspended: z.array(z.object({ permission: z.string(), reason: z.string() })),
  bootstrap: z.boolean(),
});
export type EffectiveAccessResponse = z.infer<typeof EffectiveAccessResponse>;

/** AC-06: whether the initial administrator's all-permission role is still in force, and what its retirement needs. */
export const BootstrapStatusResponse = z.object({
  /** The account that still holds the initial administrator role, or null once it is retired. */
  holder: z.object({ id: z.string(), login: z.string(), name: z.string() }).nullable(),
  /** Per separated administrator role: the other accounts holding it with their rights in force. */
  administrators: z.array(
    z.object({
      roleCode: z.string(),
      adminClass: z.enum(ADMIN_CLASSES),
      holders: z.array(z.object({ id: z.string(), login: z.string(), name: z.string() })),
    }),
  ),
  /** True when each of the three roles has a holder: the initial administrator may retire. */
  ready: z.boolean(),
});
export type BootstrapStatusResponse = z.infer<typeof BootstrapStatusResponse>;

/** AC-06: the initial administrator gives up the all-permission role, with a reason. */
export const RetireBootstrapInput = z.strictObject({ reason: z.string().trim().min(4).max(500) });
export type RetireBootstrapInput = z.infer<typeof RetireBootstrapInput>;
