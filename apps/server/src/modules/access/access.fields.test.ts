import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, testDialect, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import { signInAgain, staffWithRole } from '../../../test/master-data-helpers.js';
import { passCourse } from '../../../test/training-helpers.js';
import { demoGtin, demoIdNumber, loadDemoCompany } from '../../ops/demo.js';
import { manualClock } from '../../platform/clock.js';

// Synthetic patient: an ID number with a wrong check character, a phone in the reserved test range.
const PATIENT = {
  name: '王小明',
  idNumber: demoIdNumber(21),
  medicalRecordNo: 'ZY2026000777',
  sex: 'female',
  birthDate: '1979-05-02',
  phone: '13400001234',
} as const;

const COURSE_EN = 'Protecting patient personal information (PIPL)';
const COURSE_ZH = '患者个人信息保护';

type AuditRow = { action: string; outcome: string; reason: string | null; data: Record<string, unknown> };

async function auditEvents(t: TestApp, action: string): Promise<AuditRow[]> {
  const rows = await t.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as AuditRow).filter((e) => e.action === action);
}

describe(`AC-07 level-4 fields through the policy engine (${testDialect()})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  test('AC-07 TRN-02 a patient reveal needs the permission, current training (naming the course) and a declared purpose; denials are 403 and audited, the reveal records level and purpose', async () => {
    const clock = manualClock(new Date('2026-12-01T01:00:00Z'));
    t = await buildTestApp({ clock });
    const app = t;
    const admin = await firstAdmin(app);
    await loadDemoCompany(app.runtime);
    const nurse = await staffWithRole(
      app,
      clock,
      admin.cookie,
      { login: 'nurse.chen', name: '陈护士', password: 'saffron kettle 翠柏 marble' },
      'clinical-use',
      'H1.CARD',
    );
    const created = await post(
      app,
      '/api/v1/clinical/usage-records',
      {
        site: 'H1',
        department: 'CARD',
        procedureDate: '2026-11-30',
        procedureName: '经皮冠状动脉介入治疗（PCI）',
        surgeon: '王医生',
        bodySite: '右冠状动脉',
        note: null,
        patient: PATIENT,
        devices: [{ scan: `(01)${demoGtin(0, 1)}(17)291231(10)ST2026A(21)SN0701`, quantity: 1 }],
      },
      nurse.cookie,
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ record: { id: string } }>().record.id;
    const url = `/api/v1/clinical/usage-records/${id}/patient-reveal`;
    const reveal = (cookie: string, body: object) => post(app, url, body, cookie);

    // The initial administrator holds every permission, but no privacy training: the engine asks
    // for the training itself, not only the role (ABAC on the subject's training attribute).
    const untrained = await reveal(admin.cookie, { purpose: '核对患者身份' });
    expect(untrained.statusCode).toBe(403);
    expect(untrained.json()).toMatchObject({ code: 'training_required' });
    expect(untrained.json<{ message: string }>().message).toContain(COURSE_EN);
    await passCourse(app, admin.cookie, 'privacy-pipl');
    expect((await reveal(admin.cookie, { purpose: '核对患者身份' })).statusCode).toBe(200);

    // With training but without a purpose (or one without words): 403 saying a purpose is needed.
    for (const body of [{}, { purpose: '  ' }, { purpose: '123' }]) {
      const res = await reveal(nurse.cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(403);
      const answer = res.json<{ code: string; message: string }>();
      expect(answer.code).toBe('purpose_required');
      expect(answer.message).toMatch(/purpose/i);
    }

    // Everything present: the values in clear, and the audit event records the level and purpose.
    const ok = await reveal(nurse.cookie, { purpose: '术后随访核对联系方式' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ patient: { masked: false, ...PATIENT } });
    expect((await auditEvents(app, 'clinical.patient.revealed')).at(-1)).toMatchObject({
      outcome: 'success',
      reason: '术后随访核对联系方式',
      data: { recordId: id, purpose: '术后随访核对联系方式', level: 4 },
    });

    // A year and a day later the nurse's training has lapsed: 403 naming the course, at once.
    clock.advance(366 * 86_400_000);
    await app.db.updateTable('user_account').set({ activeSince: clock.now().toISOString() }).execute();
    await signInAgain(app, clock, nurse);
    const lapsed = await reveal(nurse.cookie, { purpose: '术后随访核对联系方式' });
    expect(lapsed.statusCode).toBe(403);
    const lapsedBody = lapsed.json<{ code: string; message: string }>();
    expect(lapsedBody.code).toBe('training_required');
    expect(lapsedBody.message).toContain(COURSE_EN);
    expect(lapsedBody.message).toContain(COURSE_ZH);
    expect(lapsedBody.message).toMatch(/expired on/);

    // Every denial is in the audit trail, on the reveal route, with its code; the reveals that
    // succeeded are the only `revealed` events.
    const denials = (await auditEvents(app, 'http.request.denied')).filter(
      (e) => e.data.route === '/api/v1/clinical/usage-records/:id/patient-reveal',
    );
    expect(denials.map((e) => e.reason)).toEqual([
      'training_required',
      'purpose_required',
      'purpose_required',
      'purpose_required',
      'training_required',
    ]);
    expect(denials.every((e) => e.outcome === 'denied' && e.data.status === 403)).toBe(true);
    expect(await auditEvents(app, 'clinical.patient.revealed')).toHaveLength(2);
  });
});
