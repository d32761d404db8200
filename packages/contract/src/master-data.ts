import { z } from 'zod';
import { parseUdi, UDI_ISSUERS, type UdiIssuer } from './udi/index.js';

/**
 * Quality master data (GSP arts. 53, 54, 82; GSPI ※5.51 check 3): parties with their licences and
 * business scope, products with registration certificates and UDI-DIs, warehouses in the GSP colour
 * zones. Only QA proposes and approves; a proposal takes effect when QA approves it with an
 * electronic signature, and every approved version is kept.
 */

/** Permissions of the master-data module, merged into the catalogue. */
export const MASTER_DATA_PERMISSIONS = {
  'master-data.record.read': {
    zh: '查看供应商、客户、产品、证照与仓库（在数据范围内）',
    en: 'View suppliers, customers, products, licences and warehouses (within the data scope)',
  },
  'master-data.record.edit': {
    zh: '新建或修改质量主数据（首营资料），上传证照扫描件；须经质量审批后生效',
    en: 'Propose new quality master data (first-business files) and changes, upload document scans; effective after QA approval',
  },
  'master-data.change.approve': {
    zh: '以电子签名审批或驳回首营与主数据变更',
    en: 'Approve or reject first-business files and master-data changes with an electronic signature',
  },
  'master-data.warehouse.manage': {
    zh: '维护仓库、库区（待验、合格、不合格、发货、退货）与货位',
    en: 'Maintain warehouses, storage areas (quarantine, qualified, nonconforming, shipping, returns) and locations',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

const DateOnly = z.iso.date();
const Text = (max: number) => z.string().trim().min(1).max(max);
const OptionalText = (max: number) => z.string().trim().max(max).nullable();

/** Device risk class (TL art. 6). */
export const DEVICE_CLASSES = ['I', 'II', 'III'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/**
 * A 2017 分类目录 code: category `07`, subcategory `07-03`, or product category `07-03-01`. Business
 * scopes name categories or subcategories; a product names the most specific code it has.
 */
export const CatalogCode = z
  .string()
  .trim()
  .regex(/^\d{2}(-\d{2}){0,2}$/, 'a 分类目录 code such as 07, 07-03 or 07-03-01');

/**
 * One business-scope entry: the device class and a 分类目录 code prefix it covers, written
 * `III:07` or `II:07-03`. A licence lists the entries of its 经营范围 / 生产范围.
 */
export const ScopeEntry = z
  .string()
  .trim()
  .regex(/^(I|II|III):\d{2}(-\d{2}){0,2}$/, 'class and 分类目录 code, such as III:07 or II:07-03');

/** True when the scope entry covers a product of the given class and catalogue code. */
export function scopeCovers(entry: string, deviceClass: DeviceClass, catalogCode: string): boolean {
  const [cls, code] = entry.split(':');
  if (cls !== deviceClass || code === undefined) return false;
  return catalogCode === code || catalogCode.startsWith(`${code}-`);
}

/** The documents a party file holds (GSP arts. 53, 82). */
export const LICENCE_KINDS = [
  'business_licence',
  'operating_licence',
  'operating_filing',
  'production_licence',
  'production_filing',
  'medical_institution_licence',
] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

export const LICENCE_LABELS: Record<LicenceKind, { zh: string; en: string }> = {
  business_licence: { zh: '营业执照', en: 'Business licence' },
  operating_licence: { zh: '医疗器械经营许可证', en: 'Medical device operating licence' },
  operating_filing: { zh: '第二类医疗器械经营备案凭证', en: 'Class II operating filing certificate' },
  production_licence: { zh: '医疗器械生产许可证', en: 'Medical device production licence' },
  production_filing: { zh: '第一类医疗器械生产备案凭证', en: 'Class I production filing certificate' },
  medical_institution_licence: { zh: '医疗机构执业许可证', en: 'Medical institution practising licence' },
};

export const LicenceInput = z
  .strictObject({
    kind: z.enum(LICENCE_KINDS),
    number: Text(64),
    authority: Text(120),
    issuedOn: DateOnly,
    /** `null`: no expiry (a 营业执照 长期, a filing certificate). */
    validUntil: DateOnly.nullable(),
    /** Business or production scope; empty for a business licence. */
    scope: z.array(ScopeEntry).max(200),
  })
  .refine((l) => l.validUntil === null || l.validUntil >= l.issuedOn, {
    message: 'valid until must not be before the issue date',
    path: ['validUntil'],
  });
export type LicenceInput = z.infer<typeof LicenceInput>;

/**
 * A sales representative's authorisation letter (GSP art. 53(3)): products, territory, period and
 * the ID number, which is sealed at rest and shown masked.
 */
export const RepAuthorisationInput = z
  .strictObject({
    /** An authorisation letter already on file, to keep its sealed ID number when `idNumber` is left out. */
    id: z.uuid().optional(),
    repName: Text(60),
    /** 18-character resident ID number; sealed, never returned in clear. Required for a new letter. */
    idNumber: z
      .string()
      .trim()
      .regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X')
      .optional(),
    /** Product codes the letter covers; empty: every product of the party. */
    productCodes: z.array(Text(40)).max(500),
    territory: Text(200),
    validFrom: DateOnly,
    validUntil: DateOnly,
  })
  .refine((a) => a.validUntil >= a.validFrom, { message: 'the period ends before it starts', path: ['validUntil'] })
  .refine((a) => a.id !== undefined || a.idNumber !== undefined, {
    message: 'a new authorisation letter needs the representative’s ID number',
    path: ['idNumber'],
  });
export type RepAuthorisationInput = z.infer<typeof RepAuthorisationInput>;

export const CUSTOMER_TYPES = ['distributor', 'hospital', 'retail'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

const PartyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, . _ - (up to 40)');

/** 统一社会信用代码: 18 characters from the national code set (check character not verified here). */
export const Uscc = z
  .string()
  .trim()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '18-character unified social credit code');

/** The whole content of a party file as QA proposes it. */
export const PartyFields = z
  .strictObject({
    code: PartyCode,
    name: Text(120),
    uscc: Uscc,
    isSupplier: z.boolean(),
    isManufacturer: z.boolean(),
    /** `null`: not a customer. */
    customerType: z.enum(CUSTOMER_TYPES).nullable(),
    legalRepresentative: Text(60),
    enterpriseHead: Text(60),
    address: Text(200),
    warehouseAddress: OptionalText(200),
    licences: z.array(LicenceInput).min(1).max(20),
    repAuthorisations: z.array(RepAuthorisationInput).max(50),
  })
  .refine((p) => p.isSupplier || p.isManufacturer || p.customerType !== null, {
    message: 'a party is a supplier, a manufacturer or a customer',
    path: ['isSupplier'],
  });
export type PartyFields = z.infer<typeof PartyFields>;

/** Every proposal (new record or change) states why (GSP: changes record their reason). */
export const ChangeReason = z.string().trim().min(2).max(500);

export const ProposePartyInput = z.strictObject({ reason: ChangeReason, party: PartyFields });
export type ProposePartyInput = z.infer<typeof ProposePartyInput>;

export const STORAGE_CONDITIONS = ['normal', 'cold_2_8', 'frozen_minus_20'] as const;
export type StorageCondition = (typeof STORAGE_CONDITIONS)[number];

/** The UDI issuing agencies recognised in China, as an enum for schemas. */
export const UDI_ISSUER_CODES = Object.keys(UDI_ISSUERS) as [UdiIssuer, ...UdiIssuer[]];

export const UdiDiInput = z
  .strictObject({
    issuer: z.enum(UDI_ISSUER_CODES),
    di: z.string().trim().min(1).max(60),
  })
  .superRefine((d, issue) => {
    // A DI is what the parser reads from a DI-only scan of that issuer (check digit, segments).
    const parsed = parseUdi(d.di);
    if (!parsed.ok || parsed.udi.issuer !== d.issuer || parsed.udi.elements.length !== 1) {
      issue.addIssue({
        code: 'custom',
        path: ['di'],
        message: parsed.ok
          ? d.issuer === 'GS1'
            ? 'a GTIN-14 with a valid check digit'
            : d.issuer === 'MA'
              ? 'the five MA segments, e.g. MA.156.M0.100204.13351764'
              : 'MF followed by the product code'
          : parsed.error.message,
      });
    }
  })
  // Stored as the parser reads it from a scan (an AHM DI without its `MF` prefix), so a scan finds it.
  .transform((d) => {
    const parsed = parseUdi(d.di);
    return { issuer: d.issuer, di: parsed.ok ? parsed.udi.di : d.di };
  });
export type UdiDiInput = z.infer<typeof UdiDiInput>;

/** One packaging level: 0 is the minimum sales unit; each higher level contains `quantity` of the one below. */
export const PackageLevelInput = z.strictObject({
  level: z.number().int().min(0).max(9),
  unit: Text(20),
  quantity: z.number().int().min(1).max(100_000),
  dis: z.array(UdiDiInput).max(5),
});
export type PackageLevelInput = z.infer<typeof PackageLevelInput>;

/** The whole content of a product file (GSP art. 54) as QA proposes it. */
export const ProductFields = z
  .strictObject({
    code: PartyCode,
    name: Text(120),
    model: Text(120),
    specification: Text(200),
    deviceClass: z.enum(DEVICE_CLASSES),
    catalogCode: CatalogCode,
    registrant: Text(120),
    registrantLicenceNo: OptionalText(64),
    contractManufacturer: OptionalText(120),
    contractManufacturerLicenceNo: OptionalText(64),
    /** 注册证编号 (Class II/III) or 备案编号 (Class I). */
    certificateNo: Text(64),
    certificateIssuedOn: DateOnly,
    /** `null` for a filing, which does not expire. */
    certificateValidUntil: DateOnly.nullable(),
    implantable: z.boolean(),
    storage: z.enum(STORAGE_CONDITIONS),
    /** Relative humidity upper limit in percent, when the label states one. */
    humidityMax: z.number().int().min(1).max(100).nullable(),
    packages: z.array(PackageLevelInput).min(1).max(6),
  })
  .superRefine((p, issue) => {
    if (p.deviceClass !== 'I' && p.certificateValidUntil === null) {
      issue.addIssue({
        code: 'custom',
        path: ['certificateValidUntil'],
        message: 'a registration certificate (Class II/III) has an expiry date',
      });
    }
    const levels = p.packages.map((l) => l.level);
    if (new Set(levels).size !== levels.length || !levels.includes(0)) {
      issue.addIssue({
        code: 'custom',
        path: ['packages'],
        message: 'levels must be distinct and include 0 (minimum sales unit)',
      });
    }
    const dis = p.packages.flatMap((l) => l.dis.map((d) => d.di));
    if (new Set(dis).size !== dis.length) {
      issue.addIssue({ code: 'custom', path: ['packages'], message: 'each UDI-DI may appear once' });
    }
  });
export type ProductFields = z.infer<typeof ProductFields>;

export const ProposeProductInput = z.strictObject({ reason: ChangeReason, product: ProductFields });
export type ProposeProductInput = z.infer<typeof ProposeProductInput>;

/** A product's registration certificate can be cancelled by the regulator (GSP: stop at once). */
export const CancelCertificateInput = z.strictObject({ reason: ChangeReason });

export const RECORD_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const LicenceView = z.object({
  kind: z.enum(LICENCE_KINDS),
  number: z.string(),
  authority: z.string(),
  issuedOn: z.string(),
  validUntil: z.string().nullable(),
  scope: z.array(z.string()),
});

export const RepAuthorisationView = z.object({
  id: z.string(),
  repName: z.string(),
  /** Masked, e.g. `110***********123X`. */
  idNumberMasked: z.string(),
  productCodes: z.array(z.string()),
  territory: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
});

export const PartyView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  uscc: z.string(),
  isSupplier: z.boolean(),
  isManufacturer: z.boolean(),
  customerType: z.enum(CUSTOMER_TYPES).nullable(),
  legalRepresentative: z.string(),
  enterpriseHead: z.string(),
  address: z.string(),
  warehouseAddress: z.string().nullable(),
  /** `pending` until the first version is approved; `rejected` when the first proposal was refused. */
  status: z.enum(RECORD_STATUSES),
  version: z.number().int(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
  updatedAt: z.string(),
  licences: z.array(LicenceView),
  repAuthorisations: z.array(RepAuthorisationView),
  /** A proposed change waiting for QA, if any. */
  pendingChangeId: z.string().nullable(),
});
export type PartyView = z.infer<typeof PartyView>;

export const PackageLevelView = z.object({
  level: z.number().int(),
  unit: z.string(),
  quantity: z.number().int(),
  dis: z.array(z.object({ issuer: z.enum(UDI_ISSUER_CODES), di: z.string() })),
});

export const ProductView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  model: z.string(),
  specification: z.string(),
  deviceClass: z.enum(DEVICE_CLASSES),
  catalogCode: z.string(),
  registrant: z.string(),
  registrantLicenceNo: z.string().nullable(),
  contractManufacturer: z.string().nullable(),
  contractManufacturerLicenceNo: z.string().nullable(),
  certificateNo: z.string(),
  certificateIssuedOn: z.string(),
  certificateValidUntil: z.string().nullable(),
  /** Set when the regulator cancelled the certificate; the product is then blocked. */
  certificateCancelledAt: z.string().nullable(),
  implantable: z.boolean(),
  storage: z.enum(STORAGE_CONDITIONS),
  humidityMax: z.number().int().nullable(),
  status: z.enum(RECORD_STATUSES),
  version: z.number().int(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
  updatedAt: z.string(),
  packages: z.array(PackageLevelView),
  pendingChangeId: z.string().nullable(),
});
export type ProductView = z.infer<typeof ProductView>;

const Page = z
  .string()
  .regex(/^[1-9]\d{0,4}$/, 'a page number from 1')
  .optional();
const PageSize = z
  .string()
  .regex(/^([1-9]\d?|1\d\d|200)$/, '1 to 200')
  .optional();

export const PartyListQuery = z.strictObject({
  page: Page,
  pageSize: PageSize,
  q: z.string().trim().max(60).optional(),
  role: z.enum(['supplier', 'manufacturer', 'customer']).optional(),
  status: z.enum(RECORD_STATUSES).optional(),
});
export const ProductListQuery = z.strictObject({
  page: Page,
  pageSize: PageSize,
  q: z.string().trim().max(60).optional(),
  deviceClass: z.enum(DEVICE_CLASSES).optional(),
  status: z.enum(RECORD_STATUSES).optional(),
});

export const PartyListResponse = z.object({ total: z.number().int(), parties: z.array(PartyView) });
export const PartyResponse = z.object({ party: PartyView });
export const ProductListResponse = z.object({ total: z.number().int(), products: z.array(ProductView) });
export const ProductResponse = z.object({ product: ProductView });

export const CHANGE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const CHANGE_ENTITIES = ['party', 'product'] as const;

export const ChangeView = z.object({
  id: z.string(),
  entity: z.enum(CHANGE_ENTITIES),
  entityId: z.string(),
  entityCode: z.string(),
  entityName: z.string(),
  version: z.number().int(),
  /** True for the first version (首营): the record is unusable until it is approved. */
  firstBusiness: z.boolean(),
  reason: z.string(),
  status: z.enum(CHANGE_STATUSES),
  requestedByName: z.string(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  signatureId: z.string().nullable(),
  /** Top-level fields that differ from the version in force (all fields for a first version). */
  changedFields: z.array(z.string()),
});
export type ChangeView = z.infer<typeof ChangeView>;

export const ChangeDetailView = ChangeView.extend({
  /** The proposed content (ID numbers masked). */
  proposed: z.record(z.string(), z.unknown()),
  /** The content in force before, or null for a first version. */
  previous: z.record(z.string(), z.unknown()).nullable(),
});

export const ChangeListQuery = z.strictObject({
  status: z.enum(CHANGE_STATUSES).optional(),
  entity: z.enum(CHANGE_ENTITIES).optional(),
  entityId: z.uuid().optional(),
});
export const ChangeListResponse = z.object({ changes: z.array(ChangeView) });
export const ChangeResponse = z.object({ change: ChangeDetailView });

/** Approve or reject with an electronic signature (GSP-04): an authenticator code or a fresh passkey confirmation. */
export const DecideChangeInput = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500),
  code: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
});
export type DecideChangeInput = z.infer<typeof DecideChangeInput>;

/** Why a purchase or sale is refused; the message names the document, scope code or date. */
export const TRADE_BLOCK_REASONS = [
  'party_not_approved',
  'party_wrong_role',
  'licence_missing',
  'licence_expired',
  'scope_not_covered',
  'class_iii_filing_only',
  'product_not_approved',
  'certificate_expired',
  'certificate_cancelled',
] as const;
export type TradeBlockReason = (typeof TRADE_BLOCK_REASONS)[number];

export const TradeBlock = z.object({
  reason: z.enum(TRADE_BLOCK_REASONS),
  zh: z.string(),
  en: z.string(),
});
export type TradeBlock = z.infer<typeof TradeBlock>;

export const TradeCheckInput = z.strictObject({
  direction: z.enum(['purchase', 'sale']),
  partyId: z.uuid(),
  productId: z.uuid(),
});
export const TradeCheckResponse = z.object({
  allowed: z.boolean(),
  /** The server date the check was made for. */
  on: z.string(),
  blocks: z.array(TradeBlock),
});
export type TradeCheckResponse = z.infer<typeof TradeCheckResponse>;

/** Qualification expiry warnings (GSP art. 51(5)); lead times default to 90 and 30 days. */
export const ExpiryQuery = z.strictObject({
  days: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional(),
});
export const ExpiryItem = z.object({
  kind: z.enum(['licence', 'certificate', 'authorisation']),
  /** Licence kind, or `registration_certificate` / `rep_authorisation`. */
  document: z.string(),
  number: z.string(),
  ownerType: z.enum(['party', 'product']),
  ownerId: z.string(),
  ownerCode: z.string(),
  ownerName: z.string(),
  validUntil: z.string(),
  daysLeft: z.number().int(),
  /** `expired` (already locked), `due30` (renew now), `due90` (plan renewal). */
  level: z.enum(['expired', 'due30', 'due90']),
});
export type ExpiryItem = z.infer<typeof ExpiryItem>;
export const ExpiryResponse = z.object({
  today: z.string(),
  leadDays: z.array(z.number().int()),
  items: z.array(ExpiryItem),
});

export const GSP_ZONES = ['quarantine', 'qualified', 'nonconforming', 'shipping', 'returns'] as const;
export type GspZone = (typeof GSP_ZONES)[number];
/** GSP colour code of each zone: 待验 yellow, 合格 green, 不合格 red, 发货 green, 退货 yellow. */
export const GSP_ZONE_COLOURS: Record<GspZone, 'yellow' | 'green' | 'red'> = {
  quarantine: 'yellow',
  qualified: 'green',
  nonconforming: 'red',
  shipping: 'green',
  returns: 'yellow',
};

const SiteCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'site code: letters, digits, . _ -');

export const CreateWarehouseInput = z.strictObject({
  code: PartyCode,
  name: Text(120),
  /** The data-scope site this warehouse belongs to (role assignments are scoped by site). */
  site: SiteCode,
  address: Text(200),
});
export const CreateAreaInput = z.strictObject({
  code: PartyCode,
  name: Text(60),
  zone: z.enum(GSP_ZONES),
  storage: z.enum(STORAGE_CONDITIONS),
});
export const CreateLocationInput = z.strictObject({ code: PartyCode });

export const LocationView = z.object({ id: z.string(), code: z.string(), active: z.boolean() });
export const AreaView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  zone: z.enum(GSP_ZONES),
  storage: z.enum(STORAGE_CONDITIONS),
  locations: z.array(LocationView),
});
export const WarehouseView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  site: z.string(),
  address: z.string(),
  areas: z.array(AreaView),
});
export type WarehouseView = z.infer<typeof WarehouseView>;
export const WarehouseListResponse = z.object({ warehouses: z.array(WarehouseView) });
export const WarehouseResponse = z.object({ warehouse: WarehouseView });

/** Audit events of the master-data module, merged into the audit catalogue. No ID numbers. */
export const MASTER_DATA_AUDIT_EVENTS = {
  'master-data.change.proposed': {
    zh: '提交主数据（首营/变更）',
    en: 'Master-data change proposed',
    category: 'business',
    data: z.strictObject({
      changeId: z.string(),
      entity: z.enum(CHANGE_ENTITIES),
      entityId: z.string(),
      code: z.string(),
      version: z.number().int(),
      firstBusiness: z.boolean(),
      changedFields: z.array(z.string()),
    }),
  },
  'master-data.change.approved': {
    zh: '审批通过主数据',
    en: 'Master-data change approved',
    category: 'business',
    data: z.strictObject({
      changeId: z.string(),
      entity: z.enum(CHANGE_ENTITIES),
      entityId: z.string(),
      version: z.number().int(),
      signatureId: z.string(),
      recordHash: z.string(),
    }),
  },
  'master-data.change.rejected': {
    zh: '驳回主数据',
    en: 'Master-data change rejected',
    category: 'business',
    data: z.strictObject({
      changeId: z.string(),
      entity: z.enum(CHANGE_ENTITIES),
      entityId: z.string(),
      version: z.number().int(),
      signatureId: z.string(),
    }),
  },
  'master-data.certificate.cancelled': {
    zh: '登记注册证注销',
    en: 'Registration certificate cancelled',
    category: 'business',
    data: z.strictObject({ productId: z.string(), certificateNo: z.string() }),
  },
  'master-data.trade.blocked': {
    zh: '资质校验拒绝交易',
    en: 'Trade refused by the qualification check',
    category: 'business',
    data: z.strictObject({
      direction: z.enum(['purchase', 'sale']),
      partyId: z.string(),
      productId: z.string(),
      reasons: z.array(z.enum(TRADE_BLOCK_REASONS)),
    }),
  },
  'master-data.warehouse.created': {
    zh: '新建仓库',
    en: 'Warehouse created',
    category: 'business',
    data: z.strictObject({ warehouseId: z.string(), code: z.string(), site: z.string() }),
  },
  'master-data.area.created': {
    zh: '新建库区',
    en: 'Storage area created',
    category: 'business',
    data: z.strictObject({ warehouseId: z.string(), areaId: z.string(), code: z.string(), zone: z.enum(GSP_ZONES) }),
  },
  'master-data.location.created': {
    zh: '新建货位',
    en: 'Location created',
    category: 'business',
    data: z.strictObject({ areaId: z.string(), locationId: z.string(), code: z.string() }),
  },
  'master-data.import.uploaded': {
    zh: '上传导入文件（后台校验）',
    en: 'Import file uploaded (validated in the background)',
    category: 'business',
    data: z.strictObject({
      importId: z.string(),
      kind: z.enum(['products', 'parties']),
      format: z.enum(['xlsx', 'csv']),
      sha256: z.string(),
      bytes: z.number().int(),
    }),
  },
  'master-data.import.commitRequested': {
    zh: '提交导入（后台写入）',
    en: 'Import commit requested (written in the background)',
    category: 'business',
    data: z.strictObject({ importId: z.string(), kind: z.enum(['products', 'parties']), rows: z.number().int() }),
  },
  'master-data.import.validated': {
    zh: '导入文件校验完成',
    en: 'Import file validated',
    category: 'business',
    data: z.strictObject({
      importId: z.string(),
      kind: z.enum(['products', 'parties']),
      format: z.enum(['xlsx', 'csv']),
      sha256: z.string(),
      rows: z.number().int(),
      errors: z.number().int(),
    }),
  },
  'master-data.import.committed': {
    zh: '导入提交为首营资料',
    en: 'Import filed as first-business proposals',
    category: 'business',
    data: z.strictObject({
      importId: z.string(),
      kind: z.enum(['products', 'parties']),
      sha256: z.string(),
      rows: z.number().int(),
      /** SHA-256 over the filed proposals (change id, record id, code, payload hash), in row order. */
      changesHash: z.string(),
    }),
  },
  'master-data.import.failed': {
    zh: '导入失败（未保存任何数据）',
    en: 'Import failed (nothing saved)',
    category: 'business',
    data: z.strictObject({
      importId: z.string(),
      kind: z.enum(['products', 'parties']),
      phase: z.enum(['validate', 'commit']),
      row: z.number().int().nullable(),
    }),
  },
  'master-data.import.approved': {
    zh: '批量审批通过导入的首营资料',
    en: 'Imported first-business proposals approved in one signature',
    category: 'business',
    data: z.strictObject({
      importId: z.string(),
      kind: z.enum(['products', 'parties']),
      sha256: z.string(),
      approved: z.number().int(),
      signatureId: z.string(),
      recordHash: z.string(),
    }),
  },
  'master-data.record.exported': {
    zh: '导出主数据',
    en: 'Master data exported',
    category: 'business',
    data: z.strictObject({
      kind: z.enum(['products', 'parties']),
      format: z.enum(['xlsx', 'csv']),
      rows: z.number().int(),
      sha256: z.string(),
    }),
  },
  'master-data.expiry.notified': {
    zh: '证照到期提醒',
    en: 'Qualification expiry reminders sent',
    category: 'business',
    data: z.strictObject({ items: z.number().int(), recipients: z.number().int() }),
  },
} as const;
