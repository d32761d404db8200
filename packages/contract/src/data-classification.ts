import { z } from 'zod';
import type { Permission } from './permissions.js';

/**
 * AC-07 data classification (GB/T 39725-2020 levels, GB/T 35273 categories): every personal or
 * sensitive field MedLedger stores, its level and category, and what a subject needs to see it in
 * clear. The server's reveal paths ask {@link decideFieldAccess} (one decision, one reason); the web
 * UI lists the catalogue on the data classification screen. A test derives the sealed columns and
 * masked response fields from the code and fails on any that is not classified here.
 * See docs/decisions/0030-data-classification.md.
 */

/** GB/T 39725-2020 §5.2: 1 public … 5 very small circle under strict conditions. */
export const DATA_LEVELS = [1, 2, 3, 4, 5] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];

export const DATA_LEVEL_LABELS: Readonly<Record<DataLevel, { zh: string; en: string }>> = {
  1: { zh: '1 级：可完全公开使用', en: 'Level 1: may be fully public' },
  2: { zh: '2 级：可在较大范围内访问使用', en: 'Level 2: may be used in a wide circle' },
  3: { zh: '3 级：可在中等范围内访问使用', en: 'Level 3: may be used in a medium circle' },
  4: { zh: '4 级：仅在较小范围内访问使用', en: 'Level 4: a small circle only' },
  5: { zh: '5 级：仅在极小范围内、严格限制条件下访问使用', en: 'Level 5: a very small circle under strict conditions' },
};

/**
 * From this level on (directly identifying health data) seeing a value in clear needs the reveal
 * permission, current training and a declared purpose; below it the permission alone decides.
 */
export const PURPOSE_LEVEL: DataLevel = 4;

export const DATA_CATEGORIES = ['business-confidential', 'pi', 'sensitive-pi', 'health', 'credential'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const DATA_CATEGORY_LABELS: Readonly<Record<DataCategory, { zh: string; en: string }>> = {
  'business-confidential': { zh: '商业秘密', en: 'Business confidential' },
  pi: { zh: '个人信息', en: 'Personal information' },
  'sensitive-pi': { zh: '敏感个人信息', en: 'Sensitive personal information' },
  health: { zh: '个人健康医疗数据', en: 'Personal health data' },
  credential: { zh: '鉴别信息与密钥', en: 'Authentication secrets and keys' },
};

export type ClassifiedField = {
  zh: string;
  en: string;
  level: DataLevel;
  category: DataCategory;
  /** The permission that shows the value in clear; null: never shown in clear to anyone. */
  clear: Permission | null;
  /** Also in clear under a live break-glass grant (AC-10) to a holder of this permission. */
  breakGlass?: Permission;
  /** Level ≥ {@link PURPOSE_LEVEL}: the training course that must be current (TRN-02, grace 0 days). */
  training?: string;
  /** What everybody else gets: a masked value, nothing at all, or (secrets) never anything. */
  otherwise: 'masked' | 'omitted' | 'never';
  /** Columns sealed at rest holding the value (`table.column`). */
  sealed?: readonly string[];
  /** Response fields carrying it masked or in clear (`ExportedSchema.key`). */
  responses?: readonly string[];
  /** Personal columns of the GSP ledger exports (`ledger.column`). */
  ledgerColumns?: readonly string[];
  /** An exception worth knowing, shown on the classification screen. */
  note?: { zh: string; en: string };
};

const PATIENT = {
  category: 'health',
  level: 4,
  clear: 'clinical.patient.reveal',
  breakGlass: 'clinical.breakGlass.use',
  training: 'privacy-pipl',
  otherwise: 'masked',
} as const;

/** The catalogue, keyed `module.entity.field`. */
export const DATA_FIELDS = {
  'clinical.patient.name': {
    ...PATIENT,
    zh: '患者姓名（使用记录）',
    en: 'Patient name (usage record)',
    sealed: ['cl_usage_patient.nameSealed'],
    responses: ['PatientView.name'],
  },
  'clinical.patient.idNumber': {
    ...PATIENT,
    zh: '患者身份证件号码',
    en: 'Patient ID number',
    sealed: ['cl_usage_patient.idNumberSealed'],
    responses: ['PatientView.idNumber', 'BreakGlassGrantView.patientIdMasked'],
  },
  'clinical.patient.medicalRecordNo': {
    ...PATIENT,
    zh: '患者病历号 / 住院号',
    en: 'Patient medical record number',
    sealed: ['cl_usage_patient.mrnSealed'],
    responses: ['PatientView.medicalRecordNo'],
  },
  'clinical.patient.birthDate': {
    ...PATIENT,
    zh: '患者出生日期',
    en: 'Patient date of birth',
    sealed: ['cl_usage_patient.birthDateSealed'],
    responses: ['PatientView.birthDate'],
  },
  'clinical.patient.phone': {
    ...PATIENT,
    zh: '患者电话',
    en: 'Patient phone',
    sealed: ['cl_usage_patient.phoneSealed'],
    responses: ['PatientView.phone'],
  },
  'clinical.patient.sex': {
    zh: '患者性别',
    en: 'Patient sex',
    level: 3,
    category: 'health',
    clear: 'clinical.patient.read',
    breakGlass: 'clinical.breakGlass.use',
    otherwise: 'omitted',
    responses: ['PatientView.sex'],
  },
  'identity.user.phone': {
    zh: '用户手机号',
    en: 'User mobile number',
    level: 3,
    category: 'pi',
    clear: 'identity.user.reveal',
    otherwise: 'masked',
    sealed: ['user_account.phoneSealed'],
    responses: [
      'UserSummary.phoneMasked',
      'RevealedContactResponse.phone',
      'SmsStatusResponse.maskedPhone',
      'SmsSendResponse.maskedPhone',
    ],
  },
  'identity.user.email': {
    zh: '用户电子邮箱',
    en: 'User e-mail',
    level: 3,
    category: 'pi',
    clear: 'identity.user.reveal',
    otherwise: 'masked',
    responses: ['UserSummary.emailMasked', 'RevealedContactResponse.email'],
  },
  'identity.sms.recipient': {
    zh: '短信接收号码（发件箱）',
    en: 'Text message recipient (outbox)',
    level: 3,
    category: 'pi',
    clear: null,
    otherwise: 'masked',
    sealed: ['sms_outbox.toSealed'],
    responses: ['SmsOutboxResponse.messages.to'],
  },
  'identity.sms.text': {
    zh: '短信正文（含验证码）',
    en: 'Text message body (holds the code)',
    level: 5,
    category: 'credential',
    clear: null,
    otherwise: 'never',
    sealed: ['sms_outbox.textSealed'],
    note: {
      zh: '例外：仅在开发用短信发件箱（MEDLEDGER_SMS_PROVIDER=outbox）中向持有“查看开发用短信发件箱”权限的用户显示；正式环境使用短信网关，正文不落地显示。',
      en: 'Exception: only the development SMS outbox (MEDLEDGER_SMS_PROVIDER=outbox) shows it, to holders of the permission to read that outbox; production sends through the gateway and never shows it.',
    },
  },
  'identity.totp.secret': {
    zh: '动态口令密钥',
    en: 'Authenticator (TOTP) secret',
    level: 5,
    category: 'credential',
    clear: null,
    otherwise: 'never',
    sealed: ['mfa_totp.secretSealed'],
  },
  'files.content.key': {
    zh: '附件加密密钥',
    en: 'Attachment encryption key',
    level: 5,
    category: 'credential',
    clear: null,
    otherwise: 'never',
    sealed: ['stored_file.sealedKey'],
  },
  'master-data.representative.idNumber': {
    zh: '授权委托书被授权人身份证号',
    en: 'ID number of an authorised sales representative',
    level: 3,
    category: 'sensitive-pi',
    clear: null,
    otherwise: 'masked',
    sealed: ['md_rep_id_number.idNumberSealed'],
    responses: ['RepAuthorisationView.idNumberMasked'],
  },
  'procurement.supplier.contact': {
    zh: '供货者联系方式（验收记录导出）',
    en: 'Supplier contact (acceptance record export)',
    level: 3,
    category: 'pi',
    clear: 'procurement.contact.reveal',
    otherwise: 'masked',
    ledgerColumns: ['acceptance.supplierContact'],
  },
  'sales.customer.deliveryAddress': {
    zh: '购货者收货地址（销售记录导出）',
    en: 'Customer delivery address (sales record export)',
    level: 3,
    category: 'pi',
    clear: 'sales.contact.reveal',
    otherwise: 'masked',
    ledgerColumns: ['sales.deliveryAddress'],
  },
  'sales.customer.contact': {
    zh: '购货者联系方式（销售记录导出）',
    en: 'Customer contact (sales record export)',
    level: 3,
    category: 'pi',
    clear: 'sales.contact.reveal',
    otherwise: 'masked',
    ledgerColumns: ['sales.contact'],
  },
  'sales.order.price': {
    zh: '销售价格与金额',
    en: 'Sales prices and amounts',
    level: 2,
    category: 'business-confidential',
    clear: 'sales.price.read',
    otherwise: 'omitted',
  },
} as const satisfies Record<string, ClassifiedField>;

export type DataField = keyof typeof DATA_FIELDS;
export const DATA_FIELD_KEYS = Object.keys(DATA_FIELDS) as [DataField, ...DataField[]];

export function classifiedField(key: DataField): ClassifiedField {
  return DATA_FIELDS[key];
}

/** The classified field behind a personal column of a GSP ledger export, if any. */
export function ledgerColumnField(ledger: string, column: string): DataField | undefined {
  const ref = `${ledger}.${column}`;
  return DATA_FIELD_KEYS.find((k) => (DATA_FIELDS[k] as ClassifiedField).ledgerColumns?.includes(ref) === true);
}

// ---------------------------------------------------------------------------------------------
// The policy engine (ABAC): a pure function of the subject's attributes and the field's label.

/** What the subject does with the value: see it in clear, export it in clear, read it under break-glass. */
export type FieldAction = 'reveal' | 'export' | 'break-glass';

/** Training of one course as the server established it for this request. */
export type TrainingEvidence = { current: true } | { current: false; advice: string };

/** The subject's attributes the decision uses. */
export type FieldAccessSubject = {
  permissions: ReadonlySet<string>;
  /** TRN-02: permissions suspended by lapsed training, with advice naming the course. */
  suspended?: ReadonlyMap<string, string>;
  /** Per course code; a course missing here counts as not verified (fail closed). */
  training?: ReadonlyMap<string, TrainingEvidence>;
  /** The declared purpose of this look. */
  purpose?: string | null;
};

export const FIELD_DENIALS = [
  'never_in_clear',
  'permission_missing',
  'permission_suspended',
  'training_lapsed',
  'training_unverified',
  'purpose_missing',
  'purpose_too_short',
] as const;
export type FieldDenial = (typeof FIELD_DENIALS)[number];

export type FieldDecision =
  | { allow: true; field: DataField; level: DataLevel; permission: Permission }
  | {
      allow: false;
      field: DataField;
      level: DataLevel;
      reason: FieldDenial;
      message: string;
      permission?: Permission;
      course?: string;
    };

/** A declared purpose needs this many letters (Chinese characters count one each: `随访` is enough). */
export const PURPOSE_MIN_LETTERS = 2;

/** Letters in a purpose (digits, punctuation and spaces do not state one). */
export function purposeLetters(purpose: string): number {
  return [...purpose.matchAll(/\p{L}/gu)].length;
}

/**
 * AC-07: may `subject` see `field` in clear for `action`? Below level {@link PURPOSE_LEVEL} the
 * permission decides; from it on the permission, the field's training (current, no grace) and a
 * declared purpose are all required. Denials say what is missing.
 */
export function decideFieldAccess(subject: FieldAccessSubject, key: DataField, action: FieldAction): FieldDecision {
  const field: ClassifiedField = DATA_FIELDS[key];
  const base = { allow: false as const, field: key, level: field.level };
  const permission = action === 'break-glass' ? field.breakGlass : field.clear;
  if (field.clear === null || permission === undefined || permission === null) {
    return {
      ...base,
      reason: 'never_in_clear',
      message: `The ${field.en.toLowerCase()} is never shown in clear${action === 'break-glass' ? ' under break-glass' : ''}.`,
    };
  }
  if (!subject.permissions.has(permission)) {
    const advice = subject.suspended?.get(permission);
    if (advice !== undefined) return { ...base, reason: 'permission_suspended', message: advice, permission };
    return {
      ...base,
      reason: 'permission_missing',
      message: `Seeing the ${field.en.toLowerCase()} in clear needs the permission ${permission}.`,
      permission,
    };
  }
  if (field.level >= PURPOSE_LEVEL) {
    const course = field.training;
    const evidence = course === undefined ? undefined : subject.training?.get(course);
    if (course === undefined || evidence === undefined) {
      return {
        ...base,
        reason: 'training_unverified',
        message: `Seeing level-${field.level} data in clear needs current training${course === undefined ? '' : ` in the course ${course}`}, which could not be confirmed.`,
        permission,
        ...(course === undefined ? {} : { course }),
      };
    }
    if (!evidence.current) {
      return { ...base, reason: 'training_lapsed', message: evidence.advice, permission, course };
    }
    const purpose = subject.purpose?.trim() ?? '';
    if (purpose === '') {
      return {
        ...base,
        reason: 'purpose_missing',
        message: `Seeing level-${field.level} data (${field.en.toLowerCase()}) in clear needs a declared purpose.`,
        permission,
      };
    }
    if (purposeLetters(purpose) < PURPOSE_MIN_LETTERS) {
      return {
        ...base,
        reason: 'purpose_too_short',
        message: `State the purpose in words (at least ${PURPOSE_MIN_LETTERS} letters or characters).`,
        permission,
      };
    }
  }
  return { allow: true, field: key, level: field.level, permission };
}

/**
 * Several fields at once (a reveal shows a whole section): the highest-level field is decided first,
 * so the first denial is the strictest; allowed only when every field is, at the highest level.
 */
export function decideFieldsAccess(
  subject: FieldAccessSubject,
  keys: readonly DataField[],
  action: FieldAction,
): FieldDecision {
  const ordered = [...keys].sort((a, b) => DATA_FIELDS[b].level - DATA_FIELDS[a].level);
  let allowed: FieldDecision | undefined;
  for (const key of ordered) {
    const decision = decideFieldAccess(subject, key, action);
    if (!decision.allow) return decision;
    allowed ??= decision;
  }
  if (allowed === undefined) throw new Error('decideFieldsAccess needs at least one field');
  return allowed;
}

/** The highest level among `keys` (what an audit event of a reveal records). */
export function highestLevel(keys: readonly DataField[]): DataLevel {
  return keys.reduce<DataLevel>((max, k) => (DATA_FIELDS[k].level > max ? DATA_FIELDS[k].level : max), 1);
}

export const DataLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
