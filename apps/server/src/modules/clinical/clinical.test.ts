import { DELEGABLE_BUSINESS_PERMISSIONS, PERMISSIONS, roleDefinition, type Permission } from '@medledger/contract';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, headerAuthenticator, testDialect, type TestApp } from '../../../test/harness.js';
import { ADMIN, firstAdmin, post } from '../../../test/identity-helpers.js';
import { get, signInAgain, staffWithRole } from '../../../test/master-data-helpers.js';
import { demoGtin, demoIdNumber, loadDemoCompany } from '../../ops/demo.js';
import { manualClock } from '../../platform/clock.js';
import { systemCtx, type Authenticator } from '../../platform/http/ctx.js';
import { rewrap, rotateKey } from '../keys/index.js';
import { escalateOverdueBreakGlassReviews } from './index.js';

// Synthetic patients and staff only: ID numbers with wrong check characters, phones in the reserved
// test range 1340000xxxx.
const ID_A = demoIdNumber(7);
const ID_B = demoIdNumber(12);
const PATIENT_A = {
  name: '张三',
  idNumber: ID_A,
  medicalRecordNo: 'ZY2026000123',
  sex: 'male',
  birthDate: '1987-03-07',
  phone: '13400005678',
} as const;
const PATIENT_B = { ...PATIENT_A, name: '李四', idNumber: ID_B, medicalRecordNo: 'ZY2026000456', phone: null };

const ALL = Object.keys(PERMISSIONS) as Permission[];
const CLINICAL_NO_PATIENT: Permission[] = ['clinical.usage.read', 'clinical.usage.record'];
const CLINICAL_MASKED: Permission[] = [...CLINICAL_NO_PATIENT, 'clinical.patient.read'];
const CLINICAL_REVEAL: Permission[] = [...CLINICAL_MASKED, 'clinical.patient.reveal'];

/** A stent (serialised) and a catheter lot, scanned as GS1 human-readable strings. */
const stentScan = (serial: string) => `(01)${demoGtin(0, 1)}(17)291231(10)ST2026A(21)${serial}`;
const lotScan = () => `(01)${demoGtin(0, 3)}(17)291231(10)LOT2026B`;

function usage(overrides: Record<string, unknown> = {}) {
  return {
    site: 'H1',
    department: 'CARD',
    procedureDate: '2026-11-28',
    procedureName: '经皮冠状动脉介入治疗（PCI）',
    surgeon: '王医生',
    bodySite: '左前降支',
    note: null,
    patient: PATIENT_A,
    devices: [{ scan: stentScan('SN0001'), quantity: 1 }],
    ...overrides,
  };
}

type Rec = {
  id: string;
  version: number;
  patient: { masked: boolean; name: string; idNumber: string; phone: string | null; medicalRecordNo: string } | null;
  devices: { lot: string | null; serial: string | null; productCode: string; rawScan: string }[];
  versions: { version: number; amendReason: string | null }[];
};

const as = (perms: readonly Permission[], sites?: string) => ({
  'x-test-actor': perms.join(','),
  ...(sites === undefined ? {} : { 'x-test-sites': sites }),
});

/** Row counts of every table outside the audit trail. */
async function snapshot(t: TestApp): Promise<Record<string, number>> {
  const tables =
    testDialect() === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'
          and name not like 'sqlite_%'`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    if (name.startsWith('audit_')) continue;
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(t.db);
    counts[name] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}

type AuditData = { grantId?: string; recordIds?: string[]; route?: string } & Record<string, unknown>;

async function auditEvents(t: TestApp, action: string) {
  const rows = await t.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows
    .map((r) => JSON.parse(r.canonical) as { action: string; outcome: string; reason: string | null; data: AuditData })
    .filter((e) => e.action === action);
}

const LAPSED =
  'Your training “Protecting patient personal information (PIPL)” (患者个人信息保护（个人信息保护法）) expired on 2027-12-01: take it again in the Training centre to use this permission.';

/**
 * The header authenticator, plus `x-test-suspended`: permissions suspended by lapsed training
 * (TRN-02). The test actors stand for the clinical-use post: its roles resolved with training
 * current (AC-07 takes the privacy course as verified by the role, as for a real session).
 */
const authenticate: Authenticator = async (request) => {
  const result = await headerAuthenticator(request);
  if (result.actor === null) return result;
  const actor = { ...result.actor, roles: ['clinical-use'] };
  const suspended = request.headers['x-test-suspended'];
  if (typeof suspended !== 'string') return { ...result, actor };
  return {
    ...result,
    actor: { ...actor, suspended: new Map(suspended.split(',').map((p) => [p as Permission, LAPSED])) },
  };
};

describe(`clinical usage records (${testDialect()})`, () => {
  let t: TestApp;
  let recordA: Rec;
  const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  beforeAll(async () => {
    t = await buildTestApp({ authenticate });
    await loadDemoCompany(t.runtime);
    const res = await inject('POST', '/api/v1/clinical/usage-records', as(CLINICAL_MASKED), usage());
    expect(res.statusCode, res.body).toBe(201);
    recordA = res.json<{ record: Rec }>().record;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('SY-14 a usage record keeps the raw scan, the parsed lot and serial and the product on file', () => {
    expect(recordA.version).toBe(1);
    expect(recordA.devices).toEqual([
      expect.objectContaining({
        productCode: 'P-STENT',
        lot: 'ST2026A',
        serial: 'SN0001',
        rawScan: stentScan('SN0001'),
      }),
    ]);
  });

  test('AC-03 patient fields are masked per permission: none without clinical.patient.read, masked with it, clear only through reveal', async () => {
    expect(recordA.patient).toEqual({
      masked: true,
      name: '张*',
      idNumber: `${ID_A.slice(0, 3)}***********${ID_A.slice(-4)}`,
      medicalRecordNo: '********0123',
      sex: 'male',
      birthDate: '1987-**-**',
      phone: '134****5678',
    });
    const plain = await inject('GET', `/api/v1/clinical/usage-records/${recordA.id}`, as(CLINICAL_NO_PATIENT));
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json<{ record: Rec }>().record.patient).toBeNull();
    expect(plain.body).not.toContain('张');
    const maskedRes = await inject('GET', `/api/v1/clinical/usage-records/${recordA.id}`, as(CLINICAL_MASKED));
    expect(maskedRes.json<{ record: Rec }>().record.patient?.name).toBe('张*');
    expect(maskedRes.body).not.toContain(ID_A);
    expect(maskedRes.body).not.toContain('13400005678');
    const list = await inject('GET', '/api/v1/clinical/usage-records', as(CLINICAL_MASKED));
    expect(list.json<{ records: { patientName: string }[] }>().records.map((r) => r.patientName)).toEqual(['张*']);
    expect(list.body).not.toContain(ID_A);
    const listPlain = await inject('GET', '/api/v1/clinical/usage-records', as(CLINICAL_NO_PATIENT));
    expect(listPlain.json<{ records: { patientName: string | null }[] }>().records[0]?.patientName).toBeNull();
    // Without the reveal permission the reveal route is refused.
    const refused = await inject(
      'POST',
      `/api/v1/clinical/usage-records/${recordA.id}/patient-reveal`,
      as(CLINICAL_MASKED),
      { purpose: '核对' },
    );
    expect(refused.statusCode).toBe(403);
  });

  test('AC-03 LOG-01 every reveal is audited with its purpose; the audit trail holds no clear identifier', async () => {
    const before = (await auditEvents(t, 'clinical.patient.revealed')).length;
    const res = await inject(
      'POST',
      `/api/v1/clinical/usage-records/${recordA.id}/patient-reveal`,
      as(CLINICAL_REVEAL),
      { purpose: '植入物召回核对患者' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ patient: unknown }>().patient).toEqual({ masked: false, ...PATIENT_A });
    const events = await auditEvents(t, 'clinical.patient.revealed');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      outcome: 'success',
      reason: '植入物召回核对患者',
      data: { recordId: recordA.id, version: 1, purpose: '植入物召回核对患者', level: 4 },
    });
    // Reads with the patient section are audited too (LOG-01).
    expect((await auditEvents(t, 'clinical.usage.viewed')).length).toBeGreaterThan(0);
    const trail = (await t.db.selectFrom('audit_event').select('canonical').execute()).map((r) => r.canonical).join();
    for (const secret of [ID_A, PATIENT_A.name, PATIENT_A.phone, PATIENT_A.medicalRecordNo]) {
      expect(trail).not.toContain(secret);
    }
    // A reveal without a purpose is refused by the policy engine, saying so (AC-07).
    const bare = await inject(
      'POST',
      `/api/v1/clinical/usage-records/${recordA.id}/patient-reveal`,
      as(CLINICAL_REVEAL),
      {},
    );
    expect(bare.statusCode).toBe(403);
    expect(bare.json<{ code: string; message: string }>()).toMatchObject({ code: 'purpose_required' });
    expect(bare.json<{ message: string }>().message).toMatch(/purpose/);
  });

  test('CRY-01 CRY-09 the database holds ciphertext and keyed hashes, never the clear identifiers', async () => {
    const sealed = await t.db.selectFrom('cl_usage_patient').selectAll().execute();
    expect(sealed.length).toBeGreaterThan(0);
    for (const row of sealed) {
      for (const v of [row.nameSealed, row.idNumberSealed, row.mrnSealed, row.birthDateSealed]) {
        expect(v).toMatch(/^mlk1\.\d+\./);
      }
    }
    const dump = JSON.stringify([
      await t.db.selectFrom('cl_usage_record').selectAll().execute(),
      await t.db.selectFrom('cl_usage_device').selectAll().execute(),
      sealed,
    ]);
    for (const secret of [ID_A, PATIENT_A.name, PATIENT_A.phone, PATIENT_A.medicalRecordNo, '1987-03-07']) {
      expect(dump).not.toContain(secret);
    }
  });

  test('AC-03 CRY-09 patient search matches the exact ID or record number only, by keyed hash; it is audited', async () => {
    const byId = await inject('POST', '/api/v1/clinical/patient-search', as(CLINICAL_MASKED), {
      idNumber: ID_A.toLowerCase(),
    });
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json<{ records: { id: string }[] }>().records.map((r) => r.id)).toEqual([recordA.id]);
    const partial = await inject('POST', '/api/v1/clinical/patient-search', as(CLINICAL_MASKED), {
      idNumber: ID_A.slice(0, 12),
    });
    expect(partial.json<{ records: unknown[] }>().records).toEqual([]);
    const byMrn = await inject('POST', '/api/v1/clinical/patient-search', as(CLINICAL_MASKED), {
      medicalRecordNo: PATIENT_A.medicalRecordNo,
    });
    expect(byMrn.json<{ records: { id: string }[] }>().records.map((r) => r.id)).toEqual([recordA.id]);
    const both = await inject('POST', '/api/v1/clinical/patient-search', as(CLINICAL_MASKED), {
      idNumber: ID_A,
      medicalRecordNo: 'X1',
    });
    expect(both.statusCode).toBe(400);
    // Another department's actor finds nothing, even with the exact number.
    const elsewhere = await inject('POST', '/api/v1/clinical/patient-search', as(CLINICAL_MASKED, 'H1.ORTHO'), {
      idNumber: ID_A,
    });
    expect(elsewhere.json<{ records: unknown[] }>().records).toEqual([]);
    expect((await auditEvents(t, 'clinical.patient.searched')).length).toBeGreaterThanOrEqual(4);
  });

  test('AC-02 ATK-IDOR another department’s or site’s record answers 404 on every record route, even with every permission; nothing changes', async () => {
    const before = await snapshot(t);
    for (const sites of ['H1.ORTHO', 'H2', 'H2.CARD']) {
      const attempts = [
        inject('GET', `/api/v1/clinical/usage-records/${recordA.id}`, as(ALL, sites)),
        inject('POST', `/api/v1/clinical/usage-records/${recordA.id}/amendments`, as(ALL, sites), {
          reason: '更正术者姓名',
          surgeon: '赵医生',
        }),
        inject('POST', `/api/v1/clinical/usage-records/${recordA.id}/patient-reveal`, as(ALL, sites), {
          purpose: '越权尝试',
        }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json<{ code: string }>().code).toBe('not_found');
      }
      const list = await inject('GET', '/api/v1/clinical/usage-records', as(ALL, sites));
      expect(list.json<{ records: unknown[] }>().records).toEqual([]);
    }
    // Recording into another department is refused too.
    const foreign = await inject('POST', '/api/v1/clinical/usage-records', as(ALL, 'H1.ORTHO'), usage());
    expect(foreign.statusCode).toBe(403);
    expect(await snapshot(t)).toEqual(before);
    // The record's own department (or its whole site) gets through (control).
    for (const sites of ['H1.CARD', 'H1']) {
      const own = await inject('GET', `/api/v1/clinical/usage-records/${recordA.id}`, as(CLINICAL_MASKED, sites));
      expect(own.statusCode, own.body).toBe(200);
    }
  });

  test('AC-04 operator, status and owner fields are refused with 400 and nothing is written', async () => {
    const before = await snapshot(t);
    for (const extra of [
      { recordedBy: 'someone' },
      { createdBy: 'someone' },
      { status: 'final' },
      { operator: '王某' },
      { recordedAt: '2020-01-01T00:00:00Z' },
    ]) {
      const res = await inject('POST', '/api/v1/clinical/usage-records', as(CLINICAL_MASKED), usage(extra));
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
    const amend = await inject('POST', `/api/v1/clinical/usage-records/${recordA.id}/amendments`, as(CLINICAL_MASKED), {
      reason: '更正',
      version: 7,
    });
    expect(amend.statusCode).toBe(400);
    expect(await snapshot(t)).toEqual(before);
  });

  test('UDI-01 a scan that is not a UDI is refused (400, the device named); an unknown UDI-DI is refused (409)', async () => {
    const bad = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ devices: [{ scan: '(01)12345678901234', quantity: 1 }] }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('body.devices.0.scan');
    const unknown = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ devices: [{ scan: `(01)${demoGtin(0, 99)}(10)X1`, quantity: 1 }] }),
    );
    expect(unknown.statusCode).toBe(409);
    const future = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ procedureDate: '2999-01-01' }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('body.procedureDate');
    const twice = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ devices: [{ scan: stentScan('SN0009'), quantity: 2 }] }),
    );
    expect(twice.statusCode).toBe(400);
  });

  test('SY-14 permanent retention: corrections are new versions with a reason; earlier versions and devices cannot be changed or deleted', async () => {
    const created = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ patient: PATIENT_B, devices: [{ scan: lotScan(), quantity: 2 }] }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const rec = created.json<{ record: Rec }>().record;
    const noReason = await inject('POST', `/api/v1/clinical/usage-records/${rec.id}/amendments`, as(CLINICAL_MASKED), {
      surgeon: '赵医生',
    });
    expect(noReason.statusCode).toBe(400);
    const amended = await inject('POST', `/api/v1/clinical/usage-records/${rec.id}/amendments`, as(CLINICAL_MASKED), {
      reason: '术者登记错误，更正',
      surgeon: '赵医生',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    const v2 = amended.json<{ record: Rec & { surgeon: string } }>().record;
    expect(v2).toMatchObject({ id: rec.id, version: 2, surgeon: '赵医生' });
    expect(v2.patient?.name).toBe('李*');
    expect(v2.devices).toEqual([expect.objectContaining({ lot: 'LOT2026B', serial: null })]);
    expect(v2.versions.map((v) => [v.version, v.amendReason])).toEqual([
      [1, null],
      [2, '术者登记错误，更正'],
    ]);
    const v1 = await t.db
      .selectFrom('cl_usage_record')
      .selectAll()
      .where('recordId', '=', rec.id)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    expect(v1.surgeon).toBe('王医生');
    await expect(
      t.db.updateTable('cl_usage_record').set({ surgeon: 'X' }).where('id', '=', v1.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('cl_usage_record').where('id', '=', v1.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('cl_usage_device').execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('cl_usage_patient').execute()).rejects.toThrow(/never deleted|append-only/);
    expect(t.routes.filter((r) => r.url.startsWith('/api/v1/clinical') && r.method === 'DELETE')).toEqual([]);
  });

  test('TRN-02 field level: with clinical.patient.read suspended by lapsed training, the record is refused naming the course, not silently stripped', async () => {
    const res = await inject('GET', `/api/v1/clinical/usage-records/${recordA.id}`, {
      ...as(CLINICAL_NO_PATIENT),
      'x-test-suspended': 'clinical.patient.read,clinical.patient.reveal',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string; message: string }>()).toMatchObject({
      code: 'training_required',
      message: expect.stringContaining('Protecting patient personal information (PIPL)') as string,
    });
    const denied = (await auditEvents(t, 'http.request.denied')).filter((e) => e.reason === 'training_required');
    expect(denied.at(-1)?.data.route).toBe('/api/v1/clinical/usage-records/:id');
  });

  test('AC-10 a patient grant covers that patient’s records in every department and site; the grant shows the ID masked', async () => {
    const other = await inject(
      'POST',
      '/api/v1/clinical/usage-records',
      as(CLINICAL_MASKED),
      usage({ site: 'H2', department: 'ICU', patient: PATIENT_B, devices: [{ scan: lotScan(), quantity: 1 }] }),
    );
    expect(other.statusCode, other.body).toBe(201);
    const res = await inject('POST', '/api/v1/clinical/break-glass', as(ALL, 'H1.ORTHO'), {
      reason: '外院转入急诊，需核对患者全部植入记录',
      patientIdNumber: ID_B.toLowerCase(),
      minutes: 15,
    });
    expect(res.statusCode, res.body).toBe(201);
    const grant = res.json<{ grant: { id: string; target: string; patientIdMasked: string; minutes: number } }>().grant;
    expect(grant).toMatchObject({
      target: 'patient',
      patientIdMasked: `${ID_B.slice(0, 3)}***********${ID_B.slice(-4)}`,
      minutes: 15,
    });
    const read = await inject('GET', `/api/v1/clinical/break-glass/${grant.id}/records`, as(ALL, 'H1.ORTHO'));
    expect(read.statusCode, read.body).toBe(200);
    const records = read.json<{ records: (Rec & { site: string; department: string })[] }>().records;
    expect(records.map((r) => `${r.site}.${r.department}`).sort()).toEqual(['H1.CARD', 'H2.ICU']);
    expect(records.every((r) => r.patient?.idNumber === ID_B && r.patient.masked === false)).toBe(true);
    const mine = await inject('GET', '/api/v1/clinical/break-glass/mine', as(['clinical.breakGlass.use']));
    expect(mine.json<{ grants: { id: string; reads: number }[] }>().grants.find((g) => g.id === grant.id)?.reads).toBe(
      1,
    );
  });

  test('AC-10 break-glass without a reason, with too short a reason, or naming no or two targets → 400; nothing written', async () => {
    const before = await snapshot(t);
    for (const body of [
      { recordId: recordA.id },
      { recordId: recordA.id, reason: '急诊' },
      { reason: '急诊抢救需要查看植入物记录' },
      { reason: '急诊抢救需要查看植入物记录', recordId: recordA.id, patientIdNumber: ID_A },
      { reason: '急诊抢救需要查看植入物记录', recordId: recordA.id, minutes: 61 },
    ]) {
      const res = await inject('POST', '/api/v1/clinical/break-glass', as(ALL, 'H1.ORTHO'), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await snapshot(t)).toEqual(before);
  });
});

test('AC-05 patient and break-glass permissions are never delegated: only a holder can grant them', () => {
  for (const p of ALL.filter((x) => x.startsWith('clinical.patient') || x.startsWith('clinical.breakGlass'))) {
    expect(DELEGABLE_BUSINESS_PERMISSIONS.has(p), p).toBe(false);
  }
  // The whole clinical-use role is high-risk (patient data): its grant waits for a second person.
  expect(roleDefinition('clinical-use')).toMatchObject({ highRisk: true, requiresTraining: ['privacy-pipl'] });
});

describe(`clinical keys (${testDialect()})`, () => {
  test('CRY-04 key rotation rewraps the sealed patient identifiers; the record still opens under the new key', async () => {
    const t = await buildTestApp({ authenticate });
    try {
      await loadDemoCompany(t.runtime);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/clinical/usage-records',
        headers: as(CLINICAL_REVEAL),
        payload: usage(),
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ record: Rec }>().record.id;
      await t.db.transaction().execute((tx) => rotateKey(systemCtx(t.runtime, 'test rotate', tx), 'field'));
      const result = await rewrap(t.runtime);
      expect(result.failed).toBe(0);
      const row = await t.db.selectFrom('cl_usage_patient').selectAll().executeTakeFirstOrThrow();
      for (const v of [row.nameSealed, row.idNumberSealed, row.mrnSealed, row.birthDateSealed, row.phoneSealed]) {
        expect(v).toMatch(/^mlk1\.2\./);
      }
      const reveal = await t.app.inject({
        method: 'POST',
        url: `/api/v1/clinical/usage-records/${id}/patient-reveal`,
        headers: as(CLINICAL_REVEAL),
        payload: { purpose: '密钥轮换后核对' },
      });
      expect(reveal.json<{ patient: unknown }>().patient).toEqual({ masked: false, ...PATIENT_A });
    } finally {
      await t.close();
    }
  });
});

describe(`clinical acceptance with real sessions (${testDialect()})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  test('TRN-02 acceptance 4: once privacy training lapses the next request for patient fields is refused naming the course, and the denial is audited', async () => {
    const clock = manualClock(new Date('2026-12-01T01:00:00Z'));
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    await loadDemoCompany(t.runtime);
    const nurse = await staffWithRole(
      t,
      clock,
      admin.cookie,
      { login: 'nurse.liu', name: '刘护士', password: 'orchard lantern 青竹 violet' },
      'clinical-use',
      'H1.CARD',
    );
    const created = await post(t, '/api/v1/clinical/usage-records', usage(), nurse.cookie);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ record: Rec }>().record.id;
    expect((await get(t, `/api/v1/clinical/usage-records/${id}`, nurse.cookie)).statusCode).toBe(200);
    const reveal = () =>
      post(t!, `/api/v1/clinical/usage-records/${id}/patient-reveal`, { purpose: '核对患者身份' }, nurse.cookie);
    expect((await reveal()).statusCode).toBe(200);

    // A year and a day later the completion has expired.
    clock.advance(366 * 86_400_000);
    await t.db.updateTable('user_account').set({ activeSince: clock.now().toISOString() }).execute();
    await signInAgain(t, clock, nurse);
    for (const res of [await get(t, `/api/v1/clinical/usage-records/${id}`, nurse.cookie), await reveal()]) {
      expect(res.statusCode).toBe(403);
      const body = res.json<{ code: string; message: string }>();
      expect(body.code).toBe('training_required');
      expect(body.message).toContain('Protecting patient personal information (PIPL)');
      expect(body.message).toContain('患者个人信息保护');
      expect(body.message).toMatch(/expired on/);
    }
    const denials = (await auditEvents(t, 'http.request.denied')).filter((e) => e.reason === 'training_required');
    expect(denials.map((e) => (e.data as { route: string }).route).sort()).toEqual([
      '/api/v1/clinical/usage-records/:id',
      '/api/v1/clinical/usage-records/:id/patient-reveal',
    ]);
  });

  test('AC-10 acceptance 5: break-glass outside one’s scope — reason, 60-minute limit, notification, every read logged with the grant id, review escalates after 24 h, never by the requester', async () => {
    const clock = manualClock(new Date('2026-12-01T01:00:00Z'));
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    await loadDemoCompany(t.runtime);
    const doctor = await staffWithRole(
      t,
      clock,
      admin.cookie,
      { login: 'dr.sun', name: '孙医生', password: 'meadow harbour 银杏 quartz' },
      'clinical-use',
      'H1.ORTHO',
    );
    const sec = await staffWithRole(
      t,
      clock,
      admin.cookie,
      { login: 'sec.wang', name: '王安全', password: 'granite lighthouse 青松 orbit' },
      'security-admin',
    );
    // A cardiology record (recorded by the administrator, who holds every permission).
    const created = await post(t, '/api/v1/clinical/usage-records', usage(), admin.cookie);
    expect(created.statusCode, created.body).toBe(201);
    const recordId = created.json<{ record: Rec }>().record.id;
    expect((await get(t, `/api/v1/clinical/usage-records/${recordId}`, doctor.cookie)).statusCode).toBe(404);

    // No reason → 400; then a proper request.
    expect((await post(t, '/api/v1/clinical/break-glass', { recordId }, doctor.cookie)).statusCode).toBe(400);
    const requested = await post(
      t,
      '/api/v1/clinical/break-glass',
      { recordId, reason: '急诊患者心律失常，需核对既往植入支架信息' },
      doctor.cookie,
    );
    expect(requested.statusCode, requested.body).toBe(201);
    const grant = requested.json<{ grant: { id: string; minutes: number; expiresAt: string; active: boolean } }>()
      .grant;
    expect(grant).toMatchObject({ minutes: 60, active: true });
    expect(Date.parse(grant.expiresAt) - clock.now().getTime()).toBe(60 * 60_000);

    // The security administrator is told at once.
    const notes = await t.db
      .selectFrom('user_notification')
      .select(['userId', 'kind', 'data'])
      .where('kind', '=', 'break_glass_used')
      .execute();
    expect(notes.map((n) => n.userId)).toContain(sec.id);
    expect(JSON.parse(notes[0]!.data)).toMatchObject({ grantId: grant.id, user: '孙医生', minutes: 60 });
    expect(await auditEvents(t, 'clinical.breakGlass.granted')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        data: expect.objectContaining({ grantId: grant.id, notified: 1 }) as unknown,
      }),
    ]);

    // Reads under the grant: patient in clear, each one audited with the grant id.
    const read = () => get(t!, `/api/v1/clinical/break-glass/${grant.id}/records`, doctor.cookie);
    const first = await read();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ records: Rec[] }>().records.map((r) => r.patient)).toEqual([{ masked: false, ...PATIENT_A }]);
    clock.advance(10 * 60_000);
    expect((await read()).statusCode).toBe(200);
    const reads = await auditEvents(t, 'clinical.breakGlass.read');
    expect(reads.map((e) => (e.data as { grantId: string; recordIds: string[] }).grantId)).toEqual([
      grant.id,
      grant.id,
    ]);
    expect(reads[0]!.data.recordIds).toEqual([recordId]);
    // Another user's grant is not theirs to use (404), and the grant changes nothing in the doctor's scope.
    expect((await get(t, `/api/v1/clinical/break-glass/${grant.id}/records`, admin.cookie)).statusCode).toBe(404);
    expect((await get(t, `/api/v1/clinical/usage-records/${recordId}`, doctor.cookie)).statusCode).toBe(404);

    // At 60 minutes + 1 second the next read is refused, by the server clock alone.
    clock.advance(50 * 60_000 - 30_000 - 1000);
    await signInAgain(t, clock, doctor); // +30 s: now 59 min 59 s after the grant
    expect((await read()).statusCode).toBe(200);
    clock.advance(2000);
    const late = await read();
    expect(late.statusCode).toBe(403);
    expect(late.json<{ message: string }>().message).toMatch(/ended/);

    // The requester cannot review their own grant (the administrator holds every permission).
    const adminStaff = {
      id: '',
      cookie: admin.cookie,
      secret: admin.secret,
      login: ADMIN.login,
      password: ADMIN.password,
    };
    await signInAgain(t, clock, adminStaff);
    admin.cookie = adminStaff.cookie;
    const own = await post(
      t,
      '/api/v1/clinical/break-glass',
      { recordId, reason: '测试自行审查是否被拒绝的紧急访问' },
      admin.cookie,
    );
    const ownId = own.json<{ grant: { id: string } }>().grant.id;
    const selfReview = await post(
      t,
      `/api/v1/clinical/break-glass/${ownId}/review`,
      { decision: 'justified', comment: '自审' },
      admin.cookie,
    );
    expect(selfReview.statusCode).toBe(403);
    expect(
      (
        await post(
          t,
          `/api/v1/clinical/break-glass/${grant.id}/review`,
          { decision: 'justified', comment: 'x1' },
          doctor.cookie,
        )
      ).statusCode,
    ).toBe(403);

    // Not closed within 24 hours: the hourly job flags and escalates it once, audited.
    clock.advance(22 * 3_600_000);
    expect(await escalateOverdueBreakGlassReviews(t.runtime)).toEqual({ escalated: 0 });
    clock.advance(2 * 3_600_000);
    expect(await escalateOverdueBreakGlassReviews(t.runtime)).toEqual({ escalated: 2 });
    expect(await escalateOverdueBreakGlassReviews(t.runtime)).toEqual({ escalated: 0 });
    const overdueNotes = await t.db
      .selectFrom('user_notification')
      .select('userId')
      .where('kind', '=', 'break_glass_review_overdue')
      .execute();
    expect(overdueNotes.map((n) => n.userId)).toContain(sec.id);
    expect((await auditEvents(t, 'clinical.breakGlass.escalated')).map((e) => e.data.grantId).sort()).toEqual(
      [grant.id, ownId].sort(),
    );
    await signInAgain(t, clock, sec);
    const queue = await get(t, '/api/v1/clinical/break-glass/reviews?state=open', sec.cookie);
    expect(queue.statusCode, queue.body).toBe(200);
    const open = queue.json<{
      grants: { id: string; reads: number; review: { overdue: boolean; escalatedAt: string } }[];
    }>();
    expect(open.grants.find((g) => g.id === grant.id)).toMatchObject({
      reads: 3,
      review: { overdue: true, escalatedAt: expect.any(String) as string },
    });

    // The security administrator closes the review with a decision and comment, once.
    const reviewed = await post(
      t,
      `/api/v1/clinical/break-glass/${grant.id}/review`,
      { decision: 'justified', comment: '急诊抢救，访问范围与原因相符' },
      sec.cookie,
    );
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json<{ grant: { review: { status: string; decision: string } } }>().grant.review).toMatchObject({
      status: 'closed',
      decision: 'justified',
    });
    const again = await post(
      t,
      `/api/v1/clinical/break-glass/${grant.id}/review`,
      { decision: 'unjustified', comment: '重复' },
      sec.cookie,
    );
    expect(again.statusCode).toBe(409);
    expect(await auditEvents(t, 'clinical.breakGlass.reviewed')).toEqual([
      expect.objectContaining({ data: { grantId: grant.id, decision: 'justified', requestedBy: doctor.id } }),
    ]);
  });
});
