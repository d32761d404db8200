import {
  parseUdi,
  type AmendUsageInput,
  type PatientInput,
  type PatientSearchInput,
  type PatientView,
  type Permission,
  type RecordUsageInput,
  type UsageDeviceView,
  type UsageListQuery,
  type UsageRecordSummary,
  type UsageRecordView,
  type ValidationIssue,
} from '@medledger/contract';
import { authorizeFields } from '../access/index.js';
import { record } from '../audit/index.js';
import { open, seal } from '../keys/index.js';
import { loadProductRow, productByDi } from '../master-data/index.js';
import { chinaDay } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  actorOf,
  inUnitScope,
  maskBirthDate,
  maskIdNumber,
  maskName,
  maskPhone,
  maskRecordNo,
  PATIENT_FIELDS,
  patientIdIndex,
  patientMrnIndex,
  patientSectionAllowed,
  splitScope,
  unitScope,
} from './clinical.common.js';
import type { ClUsageDeviceTable, ClUsagePatientTable, ClUsageRecordTable } from './clinical.tables.js';

type DeviceInput = RecordUsageInput['devices'][number];
type PatientMode = 'none' | 'masked' | 'clear';

const ref = (versionId: string, column: keyof Omit<ClUsagePatientTable, 'id'>) => ({
  table: 'cl_usage_patient',
  column,
  rowId: versionId,
});

/** The newest version of a record, whatever its scope (callers check it). */
export async function currentVersion(ctx: Ctx, recordId: string): Promise<ClUsageRecordTable | undefined> {
  return ctx.db
    .selectFrom('cl_usage_record')
    .selectAll()
    .where('recordId', '=', recordId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** AC-02: the newest version within the actor's scope for `permission`; 404 otherwise, like a missing one. */
async function loadInScope(ctx: Ctx, recordId: string, permission: Permission): Promise<ClUsageRecordTable> {
  const row = await currentVersion(ctx, recordId);
  if (row === undefined || !inUnitScope(unitScope(ctx, permission), row.site, row.department)) {
    throw new AppError('not_found', 'No such usage record.');
  }
  return row;
}

/** Parses each scan (GS1, MA, AHM) and resolves its UDI-DI to the product on file. */
async function resolveDevices(ctx: Ctx, devices: readonly DeviceInput[], path: string) {
  const issues: ValidationIssue[] = [];
  const rows: Omit<ClUsageDeviceTable, 'id' | 'versionId'>[] = [];
  for (const [i, d] of devices.entries()) {
    const parsed = parseUdi(d.scan, { now: ctx.now });
    if (!parsed.ok) {
      issues.push({ path: `${path}.${i}.scan`, message: parsed.error.message, code: parsed.error.code });
      continue;
    }
    const udi = parsed.udi;
    const hit = await productByDi(ctx, udi.di);
    if (hit === null) {
      throw new AppError(
        'conflict',
        `Device ${i + 1}: the UDI-DI ${udi.di} is not on file for any product; the product must be added to master data first.`,
      );
    }
    const product = await loadProductRow(ctx, hit.productId);
    if (product.status !== 'approved') {
      throw new AppError('conflict', `Device ${i + 1}: the product ${product.code} is not approved in master data.`);
    }
    if (udi.serial !== undefined && d.quantity !== 1) {
      issues.push({ path: `${path}.${i}.quantity`, message: 'a serialised unit is used once: quantity must be 1' });
      continue;
    }
    rows.push({
      lineNo: i + 1,
      rawScan: d.scan,
      issuer: udi.issuer,
      di: udi.di,
      lot: udi.lot ?? null,
      serial: udi.serial ?? null,
      productionDate: udi.productionDate ?? null,
      expiryDate: udi.expiryDate ?? null,
      quantity: d.quantity,
      productId: product.id,
      productCode: product.code,
      productName: product.name,
      model: product.model,
      specification: product.specification,
      certificateNo: product.certificateNo,
      registrant: product.registrant,
    });
  }
  if (issues.length > 0) throw new AppError('validation_failed', 'Some scans are not valid UDIs.', issues);
  return rows;
}

async function insertVersion(
  ctx: Ctx,
  row: ClUsageRecordTable,
  patient: Omit<ClUsagePatientTable, 'id'>,
  devices: Omit<ClUsageDeviceTable, 'id' | 'versionId'>[],
): Promise<void> {
  try {
    await ctx.db.insertInto('cl_usage_record').values(row).execute();
  } catch (err) {
    // Two corrections of one record at the same moment: the unique (recordId, version) refuses one.
    if (row.version > 1) throw new AppError('conflict', 'The record was corrected meanwhile; reload it and try again.');
    throw err;
  }
  await ctx.db
    .insertInto('cl_usage_patient')
    .values({ id: row.id, ...patient })
    .execute();
  for (const d of devices) {
    await ctx.db
      .insertInto('cl_usage_device')
      .values({ id: uuidv7(ctx.now.getTime()), versionId: row.id, ...d })
      .execute();
  }
}

function sealPatient(ctx: Ctx, versionId: string, p: PatientInput): Omit<ClUsagePatientTable, 'id'> {
  return {
    nameSealed: seal(ctx, ref(versionId, 'nameSealed'), p.name),
    idNumberSealed: seal(ctx, ref(versionId, 'idNumberSealed'), p.idNumber.toUpperCase()),
    mrnSealed: seal(ctx, ref(versionId, 'mrnSealed'), p.medicalRecordNo.toUpperCase()),
    birthDateSealed: seal(ctx, ref(versionId, 'birthDateSealed'), p.birthDate),
    phoneSealed: p.phone === null ? null : seal(ctx, ref(versionId, 'phoneSealed'), p.phone),
  };
}

/** Opens the sealed identifiers of a version (integrity failures alert and fail closed). */
async function openPatient(ctx: Ctx, row: ClUsageRecordTable): Promise<PatientInput> {
  const p = await ctx.db.selectFrom('cl_usage_patient').selectAll().where('id', '=', row.id).executeTakeFirst();
  if (p === undefined) throw new AppError('integrity_failed', 'The patient section of this record is missing.');
  return {
    name: await open(ctx, ref(row.id, 'nameSealed'), p.nameSealed),
    idNumber: await open(ctx, ref(row.id, 'idNumberSealed'), p.idNumberSealed),
    medicalRecordNo: await open(ctx, ref(row.id, 'mrnSealed'), p.mrnSealed),
    sex: row.patientSex,
    birthDate: await open(ctx, ref(row.id, 'birthDateSealed'), p.birthDateSealed),
    phone: p.phoneSealed === null ? null : await open(ctx, ref(row.id, 'phoneSealed'), p.phoneSealed),
  };
}

function masked(p: PatientInput): PatientView {
  return {
    masked: true,
    name: maskName(p.name),
    idNumber: maskIdNumber(p.idNumber),
    medicalRecordNo: maskRecordNo(p.medicalRecordNo),
    sex: p.sex,
    birthDate: maskBirthDate(p.birthDate),
    phone: p.phone === null ? null : maskPhone(p.phone),
  };
}

/** The full view of a version; the patient section as `mode` says (callers decide and audit). */
export async function usageView(ctx: Ctx, row: ClUsageRecordTable, mode: PatientMode): Promise<UsageRecordView> {
  const devices = await ctx.db
    .selectFrom('cl_usage_device')
    .selectAll()
    .where('versionId', '=', row.id)
    .orderBy('lineNo')
    .execute();
  const versions = await ctx.db
    .selectFrom('cl_usage_record')
    .select(['id', 'version', 'recordedBy', 'recordedByName', 'recordedAt', 'amendReason'])
    .where('recordId', '=', row.recordId)
    .orderBy('version')
    .execute();
  let patient: PatientView | null = null;
  if (mode !== 'none') {
    const clear = await openPatient(ctx, row);
    patient = mode === 'clear' ? { masked: false, ...clear } : masked(clear);
  }
  return {
    id: row.recordId,
    version: Number(row.version),
    versionId: row.id,
    site: row.site,
    department: row.department,
    procedureDate: row.procedureDate,
    procedureName: row.procedureName,
    surgeon: row.surgeon,
    bodySite: row.bodySite,
    note: row.note,
    recordedBy: row.recordedBy,
    recordedByName: row.recordedByName,
    recordedAt: row.recordedAt,
    amendReason: row.amendReason,
    patient,
    devices: devices.map((d): UsageDeviceView => ({
      lineNo: Number(d.lineNo),
      rawScan: d.rawScan,
      issuer: d.issuer,
      di: d.di,
      lot: d.lot,
      serial: d.serial,
      productionDate: d.productionDate,
      expiryDate: d.expiryDate,
      quantity: Number(d.quantity),
      productId: d.productId,
      productCode: d.productCode,
      productName: d.productName,
      model: d.model,
      specification: d.specification,
      certificateNo: d.certificateNo,
      registrant: d.registrant,
    })),
    versions: versions.map((v) => ({
      version: Number(v.version),
      versionId: v.id,
      recordedBy: v.recordedBy,
      recordedByName: v.recordedByName,
      recordedAt: v.recordedAt,
      amendReason: v.amendReason,
    })),
  };
}

/** Procedure and birth dates cannot lie in the future (China calendar day of the server clock). */
function checkDates(ctx: Ctx, dates: { path: string; value: string | undefined }[]): void {
  const today = chinaDay(ctx.now);
  const issues = dates
    .filter((d) => d.value !== undefined && d.value > today)
    .map((d) => ({ path: d.path, message: `must not be after today (${today})` }));
  if (issues.length > 0) throw new AppError('validation_failed', 'A date lies in the future.', issues);
}

/** SY art. 14: records the devices used in a procedure; operator and time from the session and clock. */
export async function recordUsage(ctx: Ctx, input: RecordUsageInput): Promise<UsageRecordView> {
  const actor = actorOf(ctx);
  if (!inUnitScope(unitScope(ctx, 'clinical.usage.record'), input.site, input.department)) {
    throw new AppError('forbidden', `You may record usage only for your own sites and departments.`);
  }
  checkDates(ctx, [
    { path: 'body.procedureDate', value: input.procedureDate },
    { path: 'body.patient.birthDate', value: input.patient.birthDate },
  ]);
  const devices = await resolveDevices(ctx, input.devices, 'body.devices');
  const id = uuidv7(ctx.now.getTime());
  const subject = patientIdIndex(ctx, input.patient.idNumber);
  const row: ClUsageRecordTable = {
    id,
    recordId: id,
    version: 1,
    site: input.site,
    department: input.department,
    procedureDate: input.procedureDate,
    procedureName: input.procedureName,
    surgeon: input.surgeon,
    bodySite: input.bodySite,
    note: input.note,
    patientSex: input.patient.sex,
    patientIdIndex: subject,
    patientMrnIndex: patientMrnIndex(ctx, input.site, input.patient.medicalRecordNo),
    amendReason: null,
    recordedBy: actor.id,
    recordedByName: actor.name,
    recordedAt: ctx.now.toISOString(),
  };
  await insertVersion(ctx, row, sealPatient(ctx, id, input.patient), devices);
  await record(ctx, {
    action: 'clinical.usage.recorded',
    outcome: 'success',
    resource: { type: 'cl_usage_record', id },
    data: { recordId: id, versionId: id, site: row.site, department: row.department, devices: devices.length, subject },
  });
  return usageView(ctx, row, actor.permissions.has('clinical.patient.read') ? 'masked' : 'none');
}

/**
 * A correction: version n+1 with the reason; the earlier versions stay as they were. Parts not
 * given are carried over (the patient's identifiers are re-sealed for the new version's row).
 */
export async function amendUsage(ctx: Ctx, recordId: string, input: AmendUsageInput): Promise<UsageRecordView> {
  const actor = actorOf(ctx);
  const prev = await loadInScope(ctx, recordId, 'clinical.usage.record');
  const department = input.department ?? prev.department;
  if (!inUnitScope(unitScope(ctx, 'clinical.usage.record'), prev.site, department)) {
    throw new AppError('forbidden', 'You may move a record only to your own departments.');
  }
  checkDates(ctx, [
    { path: 'body.procedureDate', value: input.procedureDate },
    { path: 'body.patient.birthDate', value: input.patient?.birthDate },
  ]);
  const fields = (Object.keys(input) as (keyof AmendUsageInput)[]).filter((k) => k !== 'reason').sort();
  if (fields.length === 0) throw new AppError('validation_failed', 'State what is corrected besides the reason.');
  const patient = input.patient ?? (await openPatient(ctx, prev));
  const devices =
    input.devices === undefined
      ? (
          await ctx.db
            .selectFrom('cl_usage_device')
            .selectAll()
            .where('versionId', '=', prev.id)
            .orderBy('lineNo')
            .execute()
        ).map(({ id: _id, versionId: _v, ...d }) => ({ ...d, lineNo: Number(d.lineNo), quantity: Number(d.quantity) }))
      : await resolveDevices(ctx, input.devices, 'body.devices');
  const id = uuidv7(ctx.now.getTime());
  const subject = patientIdIndex(ctx, patient.idNumber);
  const row: ClUsageRecordTable = {
    id,
    recordId: prev.recordId,
    version: Number(prev.version) + 1,
    site: prev.site,
    department,
    procedureDate: input.procedureDate ?? prev.procedureDate,
    procedureName: input.procedureName ?? prev.procedureName,
    surgeon: input.surgeon ?? prev.surgeon,
    bodySite: input.bodySite === undefined ? prev.bodySite : input.bodySite,
    note: input.note === undefined ? prev.note : input.note,
    patientSex: patient.sex,
    patientIdIndex: subject,
    patientMrnIndex: patientMrnIndex(ctx, prev.site, patient.medicalRecordNo),
    amendReason: input.reason,
    recordedBy: actor.id,
    recordedByName: actor.name,
    recordedAt: ctx.now.toISOString(),
  };
  await insertVersion(ctx, row, sealPatient(ctx, id, patient), devices);
  await record(ctx, {
    action: 'clinical.usage.amended',
    outcome: 'success',
    reason: input.reason,
    resource: { type: 'cl_usage_record', id: prev.recordId },
    data: { recordId: prev.recordId, versionId: id, version: row.version, fields, subject },
  });
  return usageView(ctx, row, actor.permissions.has('clinical.patient.read') ? 'masked' : 'none');
}

/**
 * One record (newest version) in the caller's scope. With `clinical.patient.read` the patient
 * section is included masked, and the look is audited (LOG-01); with that permission suspended by
 * lapsed training the request is refused naming the course (TRN-02).
 */
export async function getUsage(ctx: Ctx, recordId: string): Promise<UsageRecordView> {
  const row = await loadInScope(ctx, recordId, 'clinical.usage.read');
  const withPatient = patientSectionAllowed(ctx);
  if (withPatient) {
    await record(ctx, {
      action: 'clinical.usage.viewed',
      outcome: 'success',
      resource: { type: 'cl_usage_record', id: row.recordId },
      data: { recordId: row.recordId, version: Number(row.version), subject: row.patientIdIndex },
    });
  }
  return usageView(ctx, row, withPatient ? 'masked' : 'none');
}

/**
 * AC-03/AC-07: the identifiers in clear, for a stated purpose. The record is looked up in the
 * caller's scope first (404 outside it); then the policy engine decides on the level-4 patient
 * fields: the reveal permission, current privacy training, a declared purpose. Every use is audited
 * with the level and the purpose.
 */
export async function revealPatient(ctx: Ctx, recordId: string, purpose: string | undefined): Promise<PatientView> {
  const row = await loadInScope(ctx, recordId, 'clinical.patient.reveal');
  const { level } = await authorizeFields(ctx, PATIENT_FIELDS, 'reveal', { purpose: purpose ?? null });
  const patient = await openPatient(ctx, row);
  const stated = (purpose ?? '').trim();
  await record(ctx, {
    action: 'clinical.patient.revealed',
    outcome: 'success',
    reason: stated,
    resource: { type: 'cl_usage_record', id: row.recordId },
    data: { recordId: row.recordId, version: Number(row.version), purpose: stated, level, subject: row.patientIdIndex },
  });
  return { masked: false, ...patient };
}

async function summaries(ctx: Ctx, rows: ClUsageRecordTable[]): Promise<UsageRecordSummary[]> {
  const withPatient = actorOf(ctx).permissions.has('clinical.patient.read');
  const counts = new Map<string, number>();
  if (rows.length > 0) {
    const c = await ctx.db
      .selectFrom('cl_usage_device')
      .select(['versionId'])
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(
        'versionId',
        'in',
        rows.map((r) => r.id),
      )
      .groupBy('versionId')
      .execute();
    for (const x of c) counts.set(x.versionId, Number(x.n));
  }
  const out: UsageRecordSummary[] = [];
  for (const r of rows) {
    const p = withPatient ? masked(await openPatient(ctx, r)) : null;
    out.push({
      id: r.recordId,
      version: Number(r.version),
      site: r.site,
      department: r.department,
      procedureDate: r.procedureDate,
      procedureName: r.procedureName,
      surgeon: r.surgeon,
      patientName: p?.name ?? null,
      medicalRecordNo: p?.medicalRecordNo ?? null,
      devices: counts.get(r.id) ?? 0,
      recordedAt: r.recordedAt,
      recordedByName: r.recordedByName,
    });
  }
  return out;
}

/** Newest versions within `scope` (and optional filters), newest procedure first, at most 500. */
async function currentRows(
  ctx: Ctx,
  scope: 'all' | ReadonlySet<string>,
  filter: UsageListQuery & { patientIdIndex?: string; patientMrnIndex?: string },
): Promise<ClUsageRecordTable[]> {
  let q = ctx.db
    .selectFrom('cl_usage_record as r')
    .selectAll('r')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('cl_usage_record as n')
            .select('n.id')
            .whereRef('n.recordId', '=', 'r.recordId')
            .whereRef('n.version', '>', 'r.version'),
        ),
      ),
    );
  if (scope !== 'all') {
    const { sites, units } = splitScope(scope);
    q = q.where((eb) =>
      eb.or([
        eb('r.site', 'in', sites.length === 0 ? [''] : sites),
        ...units.map(([site, department]) => eb.and([eb('r.site', '=', site), eb('r.department', '=', department)])),
      ]),
    );
  }
  if (filter.department !== undefined) q = q.where('r.department', '=', filter.department);
  if (filter.from !== undefined) q = q.where('r.procedureDate', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('r.procedureDate', '<=', filter.to);
  if (filter.patientIdIndex !== undefined) q = q.where('r.patientIdIndex', '=', filter.patientIdIndex);
  if (filter.patientMrnIndex !== undefined) q = q.where('r.patientMrnIndex', '=', filter.patientMrnIndex);
  return q.orderBy('r.procedureDate', 'desc').orderBy('r.recordId', 'desc').limit(500).execute();
}

/** Usage records of the caller's sites and departments (patient names masked, if shown at all). */
export async function listUsage(ctx: Ctx, query: UsageListQuery): Promise<UsageRecordSummary[]> {
  return summaries(ctx, await currentRows(ctx, unitScope(ctx, 'clinical.usage.read'), query));
}

/**
 * Finds a patient's records in the caller's scope by exact ID number or record number, compared as
 * keyed hashes: clear identifiers are never matched with LIKE and never stored unsealed. Audited.
 */
export async function searchPatient(ctx: Ctx, input: PatientSearchInput): Promise<UsageRecordSummary[]> {
  if ((input.idNumber === undefined) === (input.medicalRecordNo === undefined)) {
    throw new AppError('validation_failed', 'Give either the ID number or the medical-record number.', [
      { path: 'body.idNumber', message: 'give exactly one of idNumber and medicalRecordNo' },
    ]);
  }
  const scope = unitScope(ctx, 'clinical.patient.read');
  let rows: ClUsageRecordTable[];
  let subject: string;
  if (input.idNumber !== undefined) {
    subject = patientIdIndex(ctx, input.idNumber);
    rows = await currentRows(ctx, scope, { patientIdIndex: subject });
  } else {
    // Record numbers are per site: look in each site of the caller's scope.
    const mrn = input.medicalRecordNo!;
    const sites =
      scope === 'all'
        ? (await ctx.db.selectFrom('cl_usage_record').select('site').distinct().execute()).map((r) => r.site)
        : [...new Set([...scope].map((s) => s.split('.')[0]!))];
    rows = [];
    for (const site of sites) {
      rows.push(...(await currentRows(ctx, scope, { patientMrnIndex: patientMrnIndex(ctx, site, mrn) })));
    }
    subject = rows[0]?.patientIdIndex ?? '';
  }
  const result = await summaries(ctx, rows);
  await record(ctx, {
    action: 'clinical.patient.searched',
    outcome: 'success',
    data: { by: input.idNumber !== undefined ? 'idNumber' : 'medicalRecordNo', results: result.length, subject },
  });
  return result;
}

/** Newest versions of the records a break-glass grant covers (no scope filter: that is the grant). */
export async function rowsForGrant(
  ctx: Ctx,
  target: { recordId: string | null; patientIdIndex: string | null },
): Promise<ClUsageRecordTable[]> {
  if (target.recordId !== null) {
    const row = await currentVersion(ctx, target.recordId);
    return row === undefined ? [] : [row];
  }
  if (target.patientIdIndex !== null) return currentRows(ctx, 'all', { patientIdIndex: target.patientIdIndex });
  return [];
}
