import { z } from 'zod';

/**
 * Hospital side: implant and interventional device usage records (使用记录, SY art. 14; TL art.
 * 51), kept permanently and never edited — a correction is a new version with a reason. Patient
 * identifiers are sealed at rest, masked in every response, shown in clear only through an audited
 * reveal, and only while the holder's privacy training is current. Break-glass gives time-boxed,
 * fully logged access outside one's departments, reviewed afterwards by the security administrator.
 */

/** Permissions of the clinical module, merged into the catalogue. */
export const CLINICAL_PERMISSIONS = {
  'clinical.usage.read': {
    zh: '查看本院区/科室的植入与介入器械使用记录（器械、手术、术者；不含患者信息）',
    en: 'View implant / interventional device usage records of one’s sites and departments (devices, procedure, surgeon; no patient details)',
  },
  'clinical.usage.record': {
    zh: '扫码登记器械使用记录，以新版本（附原因）更正，不能修改或删除',
    en: 'Record device usage by scanning UDIs and correct it as a new version with a reason (never edit or delete)',
  },
  'clinical.patient.read': {
    zh: '查看使用记录中的患者信息（脱敏显示），按证件号或病历号精确查找患者',
    en: 'See the patient section of usage records (masked) and find a patient by exact ID or record number',
  },
  'clinical.patient.reveal': {
    zh: '查看完整的患者身份信息（每次查看都记入审计日志）',
    en: 'See patient identifiers in clear (each look is recorded in the audit trail)',
  },
  'clinical.breakGlass.use': {
    zh: '紧急访问（破窗）：说明原因后在 60 分钟内访问本范围以外的患者使用记录，全程记录并事后审查',
    en: 'Break-glass: with a stated reason, access patient usage records outside one’s scope for up to 60 minutes, fully logged and reviewed afterwards',
  },
  'clinical.breakGlass.review': {
    zh: '审查紧急访问（破窗）记录并作出结论（不能审查自己发起的）',
    en: 'Review break-glass grants and record a decision (never one’s own)',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

/** AC-10: the longest a break-glass grant lasts, in minutes (server-side; it ends by itself). */
export const BREAK_GLASS_MAX_MINUTES = 60;
/** AC-10: the security administrator reviews a grant within this many hours, else it escalates. */
export const BREAK_GLASS_REVIEW_HOURS = 24;
/** AC-10: the shortest acceptable reason for a break-glass grant, in characters. */
export const BREAK_GLASS_MIN_REASON = 10;
/** Devices on one usage record. */
export const MAX_USAGE_DEVICES = 50;

/**
 * A site or department code. No dots: the data scope of a record is `<site>` (every department of
 * the site) or `<site>.<department>` as granted in the access module.
 */
export const ClinicalUnitCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -');

export const PATIENT_SEXES = ['male', 'female', 'unknown'] as const;

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A patient's identity document number (居民身份证 or another document): letters and digits. */
export const PatientIdNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{6,30}$/, '6 to 30 letters or digits');
/** The hospital's medical-record / admission number (病历号 / 住院号). */
export const MedicalRecordNo = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{1,40}$/, 'up to 40 letters, digits or -');

export const PatientInput = z.strictObject({
  name: Text(50),
  idNumber: PatientIdNumber,
  medicalRecordNo: MedicalRecordNo,
  sex: z.enum(PATIENT_SEXES),
  birthDate: z.iso.date(),
  phone: z
    .string()
    .trim()
    .regex(/^1[0-9]{10}$/, 'an 11-digit mobile number')
    .nullable(),
});
export type PatientInput = z.infer<typeof PatientInput>;

export const UsageDeviceInput = z.strictObject({
  /** The scan exactly as the scanner sent it (GS1, MA or AHM UDI). */
  scan: z.string().min(1).max(500),
  quantity: z.number().int().min(1).max(100),
});

/** `POST /api/v1/clinical/usage-records`: operator and time come from the session and server clock. */
export const RecordUsageInput = z.strictObject({
  site: ClinicalUnitCode,
  department: ClinicalUnitCode,
  procedureDate: z.iso.date(),
  procedureName: Text(200),
  surgeon: Text(50),
  bodySite: z.string().trim().max(100).nullable(),
  note: z.string().trim().max(500).nullable(),
  patient: PatientInput,
  devices: z.array(UsageDeviceInput).min(1).max(MAX_USAGE_DEVICES),
});
export type RecordUsageInput = z.infer<typeof RecordUsageInput>;

/** `POST …/usage-records/:id/amendments`: a new version; omitted parts are carried over unchanged. */
export const AmendUsageInput = z.strictObject({
  reason: z.string().trim().min(5).max(500),
  department: ClinicalUnitCode.optional(),
  procedureDate: z.iso.date().optional(),
  procedureName: Text(200).optional(),
  surgeon: Text(50).optional(),
  bodySite: z.string().trim().max(100).nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
  patient: PatientInput.optional(),
  devices: z.array(UsageDeviceInput).min(1).max(MAX_USAGE_DEVICES).optional(),
});
export type AmendUsageInput = z.infer<typeof AmendUsageInput>;

export const UsageListQuery = z.strictObject({
  department: ClinicalUnitCode.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type UsageListQuery = z.infer<typeof UsageListQuery>;

/** `POST /api/v1/clinical/patient-search`: exact match on a keyed hash, never a LIKE over clear text. */
export const PatientSearchInput = z.strictObject({
  idNumber: PatientIdNumber.optional(),
  medicalRecordNo: MedicalRecordNo.optional(),
});
export type PatientSearchInput = z.infer<typeof PatientSearchInput>;

/** `POST …/usage-records/:id/patient-reveal`: why the identifiers are needed (audited). */
/**
 * The purpose is declared here and judged by the AC-07 policy engine (missing or without words →
 * 403 `purpose_required`), so the rule and its message live in one place.
 */
export const RevealPatientInput = z.strictObject({ purpose: z.string().trim().max(200).optional() });

/** The patient section: masked (`张*`, `110***********123X`, `134****5678`) unless revealed. */
export const PatientView = z.object({
  masked: z.boolean(),
  name: z.string(),
  idNumber: z.string(),
  medicalRecordNo: z.string(),
  sex: z.enum(PATIENT_SEXES),
  birthDate: z.string(),
  phone: z.string().nullable(),
});
export type PatientView = z.infer<typeof PatientView>;

export const UsageDeviceView = z.object({
  lineNo: z.number().int(),
  rawScan: z.string(),
  issuer: z.string(),
  di: z.string(),
  lot: z.string().nullable(),
  serial: z.string().nullable(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  quantity: z.number().int(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  model: z.string(),
  specification: z.string(),
  certificateNo: z.string(),
  registrant: z.string(),
});
export type UsageDeviceView = z.infer<typeof UsageDeviceView>;

export const UsageVersionView = z.object({
  version: z.number().int(),
  versionId: z.string(),
  recordedBy: z.string(),
  recordedByName: z.string(),
  recordedAt: z.string(),
  amendReason: z.string().nullable(),
});

export const UsageRecordView = z.object({
  /** The record's stable id (that of its first version). */
  id: z.string(),
  version: z.number().int(),
  versionId: z.string(),
  site: z.string(),
  department: z.string(),
  procedureDate: z.string(),
  procedureName: z.string(),
  surgeon: z.string(),
  bodySite: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedByName: z.string(),
  recordedAt: z.string(),
  amendReason: z.string().nullable(),
  /** Null when the caller may not see patient details (no `clinical.patient.read`). */
  patient: PatientView.nullable(),
  devices: z.array(UsageDeviceView),
  versions: z.array(UsageVersionView),
});
export type UsageRecordView = z.infer<typeof UsageRecordView>;

export const UsageRecordSummary = z.object({
  id: z.string(),
  version: z.number().int(),
  site: z.string(),
  department: z.string(),
  procedureDate: z.string(),
  procedureName: z.string(),
  surgeon: z.string(),
  /** Masked; null without `clinical.patient.read`. */
  patientName: z.string().nullable(),
  medicalRecordNo: z.string().nullable(),
  devices: z.number().int(),
  recordedAt: z.string(),
  recordedByName: z.string(),
});
export type UsageRecordSummary = z.infer<typeof UsageRecordSummary>;

export const UsageRecordResponse = z.object({ record: UsageRecordView });
export type UsageRecordResponse = z.infer<typeof UsageRecordResponse>;
export const UsageRecordListResponse = z.object({ records: z.array(UsageRecordSummary) });
export type UsageRecordListResponse = z.infer<typeof UsageRecordListResponse>;
export const PatientRevealResponse = z.object({ patient: PatientView });
export type PatientRevealResponse = z.infer<typeof PatientRevealResponse>;

/** `POST /api/v1/clinical/break-glass`: one record, or every record of one patient. */
export const BreakGlassRequestInput = z.strictObject({
  reason: z.string().trim().min(BREAK_GLASS_MIN_REASON).max(500),
  recordId: z.uuid().optional(),
  patientIdNumber: PatientIdNumber.optional(),
  minutes: z.number().int().min(5).max(BREAK_GLASS_MAX_MINUTES).optional(),
});
export type BreakGlassRequestInput = z.infer<typeof BreakGlassRequestInput>;

export const BREAK_GLASS_DECISIONS = ['justified', 'unjustified'] as const;

export const BreakGlassReviewInput = z.strictObject({
  decision: z.enum(BREAK_GLASS_DECISIONS),
  comment: z.string().trim().min(2).max(1000),
});
export type BreakGlassReviewInput = z.infer<typeof BreakGlassReviewInput>;

export const BreakGlassReviewQuery = z.strictObject({ state: z.enum(['open', 'closed']).optional() });

export const BreakGlassGrantView = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  reason: z.string(),
  target: z.enum(['record', 'patient']),
  recordId: z.string().nullable(),
  /** Masked ID number of the patient chosen (patient grants). */
  patientIdMasked: z.string().nullable(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  minutes: z.number().int(),
  active: z.boolean(),
  /** Seconds until the grant ends, by the server clock (0 once ended). */
  secondsLeft: z.number().int(),
  reads: z.number().int(),
  review: z.object({
    status: z.enum(['open', 'closed']),
    dueAt: z.string(),
    overdue: z.boolean(),
    escalatedAt: z.string().nullable(),
    decision: z.enum(BREAK_GLASS_DECISIONS).nullable(),
    comment: z.string().nullable(),
    reviewedByName: z.string().nullable(),
    reviewedAt: z.string().nullable(),
  }),
});
export type BreakGlassGrantView = z.infer<typeof BreakGlassGrantView>;

export const BreakGlassGrantResponse = z.object({ grant: BreakGlassGrantView });
export type BreakGlassGrantResponse = z.infer<typeof BreakGlassGrantResponse>;
export const BreakGlassGrantListResponse = z.object({ grants: z.array(BreakGlassGrantView) });
export type BreakGlassGrantListResponse = z.infer<typeof BreakGlassGrantListResponse>;
/** Records under a grant, patient identifiers in clear; every read is audited with the grant id. */
export const BreakGlassRecordsResponse = z.object({ grant: BreakGlassGrantView, records: z.array(UsageRecordView) });
export type BreakGlassRecordsResponse = z.infer<typeof BreakGlassRecordsResponse>;

/** Audit events of the clinical module, merged into the catalogue. `subject` is a pseudonym (keyed hash). */
export const CLINICAL_AUDIT_EVENTS = {
  'clinical.usage.recorded': {
    zh: '登记器械使用记录',
    en: 'Device usage recorded',
    category: 'business',
    data: z.strictObject({
      recordId: z.string(),
      versionId: z.string(),
      site: z.string(),
      department: z.string(),
      devices: z.number().int(),
      subject: z.string(),
    }),
  },
  'clinical.usage.amended': {
    zh: '更正器械使用记录（新版本）',
    en: 'Device usage record corrected (new version)',
    category: 'business',
    data: z.strictObject({
      recordId: z.string(),
      versionId: z.string(),
      version: z.number().int(),
      fields: z.array(z.string()),
      subject: z.string(),
    }),
  },
  'clinical.usage.viewed': {
    zh: '查看使用记录的患者信息（脱敏）',
    en: 'Usage record with (masked) patient section viewed',
    category: 'security',
    data: z.strictObject({ recordId: z.string(), version: z.number().int(), subject: z.string() }),
  },
  'clinical.patient.revealed': {
    zh: '查看完整的患者身份信息',
    en: 'Patient identifiers revealed in clear',
    category: 'security',
    data: z.strictObject({
      recordId: z.string(),
      version: z.number().int(),
      purpose: z.string(),
      /** AC-07: the highest data level shown in clear. */
      level: z.number().int().min(1).max(5),
      subject: z.string(),
    }),
  },
  'clinical.patient.searched': {
    zh: '按证件号或病历号查找患者',
    en: 'Patient looked up by ID or record number',
    category: 'security',
    data: z.strictObject({
      by: z.enum(['idNumber', 'medicalRecordNo']),
      results: z.number().int(),
      subject: z.string(),
    }),
  },
  'clinical.breakGlass.granted': {
    zh: '紧急访问（破窗）已开启',
    en: 'Break-glass access granted',
    category: 'security',
    alert: true,
    data: z.strictObject({
      grantId: z.string(),
      target: z.enum(['record', 'patient']),
      recordId: z.string().nullable(),
      subject: z.string().nullable(),
      minutes: z.number().int(),
      expiresAt: z.string(),
      notified: z.number().int(),
    }),
  },
  'clinical.breakGlass.read': {
    zh: '在紧急访问（破窗）下读取患者使用记录',
    en: 'Patient usage records read under break-glass',
    category: 'security',
    data: z.strictObject({
      grantId: z.string(),
      level: z.number().int().min(1).max(5),
      recordIds: z.array(z.string()).max(200),
    }),
  },
  'clinical.breakGlass.reviewed': {
    zh: '审查紧急访问（破窗）',
    en: 'Break-glass grant reviewed',
    category: 'security',
    data: z.strictObject({ grantId: z.string(), decision: z.enum(BREAK_GLASS_DECISIONS), requestedBy: z.string() }),
  },
  'clinical.breakGlass.escalated': {
    zh: '紧急访问（破窗）审查逾期，已上报',
    en: 'Break-glass review overdue: escalated',
    category: 'security',
    alert: true,
    data: z.strictObject({ grantId: z.string(), dueAt: z.string(), notified: z.number().int() }),
  },
} as const;
