import { z } from 'zod';
import { INVENTORY_AUDIT_EVENTS } from './inventory.js';
import { STOCKTAKE_AUDIT_EVENTS } from './inventory-stocktake.js';
import { MASTER_DATA_AUDIT_EVENTS } from './master-data.js';
import { SALES_AUDIT_EVENTS } from './sales.js';
import { FILES_AUDIT_EVENTS } from './files.js';
import { PROCUREMENT_AUDIT_EVENTS } from './procurement.js';
import { TRAINING_AUDIT_EVENTS } from './training.js';
import { LEDGER_AUDIT_EVENTS } from './ledgers.js';
import { CLINICAL_AUDIT_EVENTS } from './clinical.js';

/** How an audited attempt ended. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** `security` events feed alerts (VULN-05); `business` events are GSP records; `system` is operations. */
export const AUDIT_CATEGORIES = ['security', 'business', 'system'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

type EventSpec = {
  zh: string;
  en: string;
  category: AuditCategory;
  /** An alert is shown to security and audit administrators as soon as it is recorded. */
  alert?: true;
  /** The shape of the event's `data`. Never passwords, one-time codes, tokens or full ID numbers. */
  data: z.ZodType;
};

/**
 * The audit event catalogue: every action name that can appear in the audit trail. Names are the
 * past tense of the permission or operation (`module.entity.verb`). Renaming one is a breaking
 * change; adding fields to `data` is not.
 */
export const AUDIT_EVENTS = {
  'http.request.denied': {
    zh: '请求被拒绝（未登录、无权限或跨站）',
    en: 'Request refused (not signed in, no permission, or cross-site)',
    category: 'security',
    data: z.strictObject({ method: z.string(), route: z.string(), status: z.number().int(), code: z.string() }),
  },
  'http.request.rejected': {
    zh: '请求数据无效被拒绝',
    en: 'Request rejected as invalid',
    category: 'security',
    data: z.strictObject({
      method: z.string(),
      route: z.string(),
      status: z.number().int(),
      code: z.string(),
      fields: z.array(z.string()).max(50),
    }),
  },
  'http.request.failed': {
    zh: '服务器内部错误',
    en: 'Server error while handling a request',
    category: 'system',
    data: z.strictObject({ method: z.string(), route: z.string(), status: z.number().int() }),
  },
  'identity.setupToken.issued': {
    zh: '签发一次性初始化链接',
    en: 'One-time setup link issued',
    category: 'security',
    data: z.strictObject({ expiresAt: z.string() }),
  },
  'identity.admin.created': {
    zh: '通过一次性链接创建首个管理员',
    en: 'First administrator created with the one-time setup link',
    category: 'security',
    data: z.strictObject({ login: z.string() }),
  },
  'identity.login.succeeded': {
    zh: '登录成功',
    en: 'Signed in',
    category: 'security',
    data: z.strictObject({ method: z.string() }),
  },
  'identity.login.failed': {
    zh: '登录失败',
    en: 'Sign-in failed',
    category: 'security',
    data: z.strictObject({
      step: z.enum(['password', 'totp', 'sms', 'recovery', 'passkey']),
      failures: z.number().int(),
    }),
  },
  'identity.account.locked': {
    zh: '账号因连续登录失败被临时锁定',
    en: 'Account temporarily locked after repeated failures',
    category: 'security',
    alert: true,
    data: z.strictObject({ failures: z.number().int(), lockedUntil: z.string() }),
  },
  'identity.mfa.replayed': {
    zh: '动态口令被重复使用',
    en: 'A one-time code was used twice',
    category: 'security',
    alert: true,
    data: z.strictObject({ factor: z.enum(['totp']) }),
  },
  'identity.totp.enrolled': {
    zh: '绑定身份验证器（TOTP）',
    en: 'Authenticator app (TOTP) enrolled',
    category: 'security',
    data: z.strictObject({ codesIssued: z.number().int() }),
  },
  'identity.passkey.enrolled': {
    zh: '添加通行密钥（指纹/面容/设备密码）',
    en: 'Passkey added (fingerprint, face or device PIN)',
    category: 'security',
    data: z.strictObject({ credentialRef: z.string(), name: z.string(), codesIssued: z.number().int() }),
  },
  'identity.passkey.renamed': {
    zh: '通行密钥改名',
    en: 'Passkey renamed',
    category: 'security',
    data: z.strictObject({ credentialRef: z.string(), name: z.string() }),
  },
  'identity.passkey.removed': {
    zh: '删除通行密钥',
    en: 'Passkey removed',
    category: 'security',
    data: z.strictObject({ credentialRef: z.string(), name: z.string() }),
  },
  'identity.passkey.refused': {
    zh: '通行密钥验证未通过',
    en: 'Passkey not accepted',
    category: 'security',
    data: z.strictObject({
      ceremony: z.enum(['enrol', 'add', 'login', 'mfa', 'step_up']),
      reason: z.enum(['challenge', 'unknown_credential', 'wrong_user', 'verification', 'counter', 'account_inactive']),
    }),
  },
  'identity.passkey.cloneSuspected': {
    zh: '通行密钥签名计数器回退，疑似被复制',
    en: 'Passkey signature counter went backwards: possibly a cloned authenticator',
    category: 'security',
    alert: true,
    data: z.strictObject({
      credentialRef: z.string(),
      storedCounter: z.number().int(),
      receivedCounter: z.number().int(),
    }),
  },
  'identity.smsCode.sent': {
    zh: '发送短信验证码',
    en: 'Text-message code sent',
    category: 'security',
    // Never the code, never the full number.
    data: z.strictObject({
      purpose: z.enum(['login', 'enrol']),
      provider: z.enum(['outbox', 'http']),
      providerMessageId: z.string().max(128),
      /** TRN-03: at enrolment, the user acknowledged this version of the SMS risk notice first. */
      riskNoticeVersion: z.number().int().optional(),
    }),
  },
  'identity.smsCode.refused': {
    zh: '拒绝发送或使用短信验证码',
    en: 'Text-message code refused',
    category: 'security',
    data: z.strictObject({
      reason: z.enum([
        'not_allowed',
        'no_phone',
        'not_enrolled',
        'disabled',
        'cooldown',
        'daily_limit',
        'address_limit',
        'risk_not_acknowledged',
      ]),
    }),
  },
  'identity.smsCode.sendFailed': {
    zh: '短信验证码发送失败',
    en: 'Text-message code could not be sent',
    category: 'system',
    data: z.strictObject({
      purpose: z.enum(['login', 'enrol']),
      provider: z.enum(['outbox', 'http']),
      error: z.string().max(300),
    }),
  },
  'identity.sms.enrolled': {
    zh: '绑定短信验证码作为第二因素',
    en: 'Text-message codes enrolled as the second factor',
    category: 'security',
    data: z.strictObject({
      codesIssued: z.number().int(),
      /** TRN-03: the risk notice was acknowledged (always true: the enrolment is refused otherwise). */
      riskNoticeAcknowledged: z.literal(true),
      riskNoticeVersion: z.number().int(),
    }),
  },
  'identity.stepUp.succeeded': {
    zh: '敏感操作前再次验证身份',
    en: 'Identity confirmed again before a sensitive action',
    category: 'security',
    data: z.strictObject({ method: z.string() }),
  },
  'identity.signature.applied': {
    zh: '电子签名',
    en: 'Electronic signature applied',
    category: 'business',
    data: z.strictObject({
      signatureId: z.string(),
      meaning: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      recordHash: z.string(),
      signerLogin: z.string(),
    }),
  },
  'identity.notification.dismissed': {
    zh: '用户关闭账号安全通知',
    en: 'Account notification dismissed by the user',
    category: 'security',
    // TRN-03: e.g. the new-device sign-in warning; `wasUnread` false when it had been read already.
    data: z.strictObject({ kind: z.string().max(64), wasUnread: z.boolean() }),
  },
  'identity.session.ended': {
    zh: '会话结束',
    en: 'Session ended',
    category: 'security',
    data: z.strictObject({ reason: z.string() }),
  },
  'identity.user.created': {
    zh: '创建用户账号',
    en: 'User account created',
    category: 'security',
    data: z.strictObject({ login: z.string() }),
  },
  'identity.user.revealed': {
    zh: '查看用户完整联系方式',
    en: "A user's full contact details were shown",
    category: 'security',
    data: z.strictObject({ fields: z.array(z.enum(['phone', 'email'])), level: z.number().int().min(1).max(5) }),
  },
  'identity.user.updated': {
    zh: '修改用户账号信息',
    en: 'User account details changed',
    category: 'security',
    data: z.strictObject({ fields: z.array(z.string()).max(20) }),
  },
  'identity.user.disabled': {
    zh: '停用用户账号',
    en: 'User account disabled',
    category: 'security',
    data: z.strictObject({ reason: z.string(), sessionsEnded: z.number().int() }),
  },
  'identity.user.enabled': {
    zh: '重新启用用户账号',
    en: 'User account enabled again',
    category: 'security',
    data: z.strictObject({ previousReason: z.string().nullable() }),
  },
  'identity.account.dormant': {
    zh: '账号因长期未登录或合同到期被自动停用',
    en: 'Account disabled automatically (dormant or employment ended)',
    category: 'security',
    data: z.strictObject({
      reason: z.enum(['dormant', 'employment_ended']),
      lastLoginAt: z.string().nullable(),
      sessionsEnded: z.number().int(),
    }),
  },
  'identity.account.unlocked': {
    zh: '管理员解除账号锁定',
    en: 'Account unlocked by an administrator',
    category: 'security',
    data: z.strictObject({ failures: z.number().int() }),
  },
  'identity.passwordLink.issued': {
    zh: '签发一次性设置密码链接',
    en: 'Single-use password link issued',
    category: 'security',
    data: z.strictObject({ purpose: z.enum(['invite', 'reset']), expiresAt: z.string() }),
  },
  'identity.password.set': {
    zh: '设置或修改密码',
    en: 'Password set or changed',
    category: 'security',
    data: z.strictObject({
      via: z.enum(['invite', 'reset', 'change', 'expired']),
      sessionsEnded: z.number().int(),
    }),
  },
  'identity.sessions.revoked': {
    zh: '管理员结束用户的全部会话',
    en: "An administrator ended all of a user's sessions",
    category: 'security',
    data: z.strictObject({ ended: z.number().int() }),
  },
  'access.role.assigned': {
    zh: '授予角色（高风险角色待第二人审批）',
    en: 'Role granted (high-risk roles wait for a second approver)',
    category: 'security',
    data: z.strictObject({
      assignmentId: z.string(),
      roleCode: z.string(),
      site: z.string().nullable(),
      status: z.enum(['pending', 'active']),
      /** Granted directly by the initial administrator before any security administrator existed. */
      bootstrap: z.boolean(),
      sessionsEnded: z.number().int(),
    }),
  },
  'access.role.approved': {
    zh: '审批通过高风险授权',
    en: 'High-risk grant approved',
    category: 'security',
    data: z.strictObject({
      assignmentId: z.string(),
      roleCode: z.string(),
      site: z.string().nullable(),
      sessionsEnded: z.number().int(),
    }),
  },
  'access.role.rejected': {
    zh: '驳回高风险授权',
    en: 'High-risk grant rejected',
    category: 'security',
    data: z.strictObject({
      assignmentId: z.string(),
      roleCode: z.string(),
      site: z.string().nullable(),
      sessionsEnded: z.number().int(),
    }),
  },
  'access.role.revoked': {
    zh: '撤销角色',
    en: 'Role revoked',
    category: 'security',
    data: z.strictObject({
      assignmentId: z.string(),
      roleCode: z.string(),
      site: z.string().nullable(),
      sessionsEnded: z.number().int(),
    }),
  },
  'access.bootstrap.retired': {
    zh: '初始管理员交出全部权限（三权分立已就位）',
    en: 'Initial administrator gave up the all-permission role (the three administrators are appointed)',
    category: 'security',
    data: z.strictObject({
      systemAdmins: z.array(z.string()),
      securityAdmins: z.array(z.string()),
      auditAdmins: z.array(z.string()),
      sessionsEnded: z.number().int(),
    }),
  },
  'audit.chain.verified': {
    zh: '审计日志完整性校验通过',
    en: 'Audit trail verified intact',
    category: 'security',
    data: z.strictObject({ treeSize: z.number().int(), checkpoints: z.number().int(), trigger: z.string() }),
  },
  'audit.chain.broken': {
    zh: '审计日志完整性校验失败',
    en: 'Audit trail verification FAILED',
    category: 'security',
    alert: true,
    data: z.strictObject({
      treeSize: z.number().int(),
      firstBadIndex: z.number().int().nullable(),
      problems: z.array(z.string()).max(20),
      trigger: z.string(),
    }),
  },
  'audit.bundle.exported': {
    zh: '导出审计证据包',
    en: 'Audit evidence bundle exported',
    category: 'security',
    data: z.strictObject({
      from: z.number().int(),
      to: z.number().int(),
      treeSize: z.number().int(),
      sha256: z.string(),
    }),
  },
  'keys.master.generated': {
    zh: '生成主密钥文件',
    en: 'Master key file generated',
    category: 'security',
    data: z.strictObject({ file: z.string() }),
  },
  'keys.key.created': {
    zh: '创建数据密钥',
    en: 'Data key created',
    category: 'security',
    data: z.strictObject({ purpose: z.string(), version: z.number().int() }),
  },
  'keys.key.rotated': {
    zh: '轮换数据密钥',
    en: 'Data key rotated',
    category: 'security',
    data: z.strictObject({ purpose: z.string(), fromVersion: z.number().int(), toVersion: z.number().int() }),
  },
  'keys.key.retired': {
    zh: '停用旧数据密钥',
    en: 'Old data key retired',
    category: 'security',
    data: z.strictObject({ purpose: z.string(), version: z.number().int() }),
  },
  'keys.rewrap.completed': {
    zh: '完成密文重新加密',
    en: 'Re-encryption to the newest key completed',
    category: 'security',
    data: z.strictObject({ toVersion: z.number().int(), rewrapped: z.number().int(), columns: z.number().int() }),
  },
  'keys.integrity.failed': {
    zh: '加密字段完整性校验失败',
    en: 'Encrypted field failed its integrity check',
    category: 'security',
    alert: true,
    data: z.strictObject({ table: z.string(), column: z.string(), rowId: z.string(), reason: z.string() }),
  },
  'backup.backup.created': {
    zh: '创建加密备份',
    en: 'Encrypted backup created',
    category: 'system',
    data: z.strictObject({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
  },
  'backup.backup.restored': {
    zh: '从备份恢复',
    en: 'Restored from backup',
    category: 'system',
    data: z.strictObject({ file: z.string(), sha256: z.string() }),
  },
  ...TRAINING_AUDIT_EVENTS,
  ...MASTER_DATA_AUDIT_EVENTS,
  ...INVENTORY_AUDIT_EVENTS,
  ...SALES_AUDIT_EVENTS,
  ...FILES_AUDIT_EVENTS,
  ...PROCUREMENT_AUDIT_EVENTS,
  ...STOCKTAKE_AUDIT_EVENTS,
  ...LEDGER_AUDIT_EVENTS,
  ...CLINICAL_AUDIT_EVENTS,
} as const satisfies Record<string, EventSpec>;

export type AuditAction = keyof typeof AUDIT_EVENTS;
export type AuditEventData<A extends AuditAction> = z.input<(typeof AUDIT_EVENTS)[A]['data']>;

export function isAuditAction(name: string): name is AuditAction {
  return Object.hasOwn(AUDIT_EVENTS, name);
}

/** One audit event as the API shows it (GET /api/v1/audit/events). */
export const AuditEventView = z.object({
  index: z.number().int().nullable(),
  id: z.string(),
  at: z.string(),
  action: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  reason: z.string().nullable(),
  actor: z.object({ kind: z.string(), id: z.string(), name: z.string(), roles: z.array(z.string()) }).nullable(),
  ip: z.string(),
  userAgent: z.string(),
  requestId: z.string(),
  resource: z.object({ type: z.string(), id: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

const isoTime = z.iso.datetime({ offset: true });

export const AuditSearchQuery = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** Opaque cursor from the previous page. */
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a number from 1 to 200')
    .optional(),
});
export type AuditSearchQuery = z.infer<typeof AuditSearchQuery>;

export const AuditSearchResponse = z.object({
  events: z.array(AuditEventView),
  nextBefore: z.string().nullable(),
});

export const AuditEventDetailResponse = z.object({
  event: AuditEventView,
  /** The exact canonical (RFC 8785) bytes that were hashed into the tree. */
  canonical: z.string(),
  leafHash: z.string().nullable(),
  proof: z
    .object({
      treeSize: z.number().int(),
      rootHash: z.string(),
      checkpoint: z.string(),
      hashes: z.array(z.string()),
    })
    .nullable(),
});
export type AuditEventDetailResponse = z.infer<typeof AuditEventDetailResponse>;

export const AuditStatusResponse = z.object({
  treeSize: z.number().int(),
  unsealed: z.number().int(),
  latestCheckpoint: z.object({ treeSize: z.number().int(), rootHash: z.string(), at: z.string() }).nullable(),
  lastVerification: z
    .object({
      at: z.string(),
      ok: z.boolean(),
      treeSize: z.number().int(),
      firstBadIndex: z.number().int().nullable(),
      problems: z.array(z.string()),
      trigger: z.string(),
    })
    .nullable(),
  publicKey: z.string().nullable(),
  origin: z.string(),
});
export type AuditStatusResponse = z.infer<typeof AuditStatusResponse>;

/**
 * LOG-11 access transparency (PIPL art. 45): the audit actions by which somebody else saw or changed
 * a user's own personal data. Each names the account as its resource.
 */
export const PERSONAL_DATA_ACCESS_ACTIONS = ['identity.user.revealed', 'identity.user.updated'] as const;

/** `GET /api/v1/audit/my-personal-data`: who saw or changed my personal data, newest first. */
export const MyPersonalDataAccessResponse = z.object({
  events: z.array(
    z.object({
      at: z.string(),
      action: z.enum(PERSONAL_DATA_ACCESS_ACTIONS),
      /** Who did it (name and login-free id), or null for MedLedger itself. */
      actor: z.object({ id: z.string(), name: z.string() }).nullable(),
      fields: z.array(z.string()),
      purpose: z.string().nullable(),
    }),
  ),
});
export type MyPersonalDataAccessResponse = z.infer<typeof MyPersonalDataAccessResponse>;
