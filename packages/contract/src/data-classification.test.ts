import { describe, expect, test } from 'vitest';
import {
  decideFieldAccess,
  decideFieldsAccess,
  highestLevel,
  type DataField,
  type FieldAccessSubject,
  type FieldAction,
  type FieldDenial,
  type TrainingEvidence,
} from './data-classification.js';

const LAPSED = 'Your training “Protecting patient personal information (PIPL)” expired on 2027-12-01.';
const CURRENT = new Map<string, TrainingEvidence>([['privacy-pipl', { current: true }]]);
const EXPIRED = new Map<string, TrainingEvidence>([['privacy-pipl', { current: false, advice: LAPSED }]]);
const REVEAL = new Set(['clinical.patient.read', 'clinical.patient.reveal']);

type Row = [
  label: string,
  subject: FieldAccessSubject,
  field: DataField,
  action: FieldAction,
  expected: true | FieldDenial,
];

/** AC-07: the decision table of the policy engine. */
const TABLE: Row[] = [
  // Level 4 (directly identifying health data): permission + current training + purpose.
  [
    'L4 all present',
    { permissions: REVEAL, training: CURRENT, purpose: '核对患者身份' },
    'clinical.patient.idNumber',
    'reveal',
    true,
  ],
  [
    'L4 two-character Chinese purpose',
    { permissions: REVEAL, training: CURRENT, purpose: '随访' },
    'clinical.patient.name',
    'reveal',
    true,
  ],
  [
    'L4 no permission',
    { permissions: new Set(['clinical.patient.read']), training: CURRENT, purpose: '核对' },
    'clinical.patient.name',
    'reveal',
    'permission_missing',
  ],
  [
    'L4 permission suspended (TRN-02)',
    {
      permissions: new Set(),
      suspended: new Map([['clinical.patient.reveal', LAPSED]]),
      training: CURRENT,
      purpose: '核对',
    },
    'clinical.patient.name',
    'reveal',
    'permission_suspended',
  ],
  [
    'L4 training lapsed',
    { permissions: REVEAL, training: EXPIRED, purpose: '核对患者身份' },
    'clinical.patient.phone',
    'reveal',
    'training_lapsed',
  ],
  [
    'L4 training not established',
    { permissions: REVEAL, purpose: '核对患者身份' },
    'clinical.patient.medicalRecordNo',
    'reveal',
    'training_unverified',
  ],
  [
    'L4 other course only',
    { permissions: REVEAL, training: new Map([['security-basics', { current: true }]]), purpose: '核对' },
    'clinical.patient.birthDate',
    'reveal',
    'training_unverified',
  ],
  [
    'L4 no purpose',
    { permissions: REVEAL, training: CURRENT },
    'clinical.patient.idNumber',
    'reveal',
    'purpose_missing',
  ],
  [
    'L4 blank purpose',
    { permissions: REVEAL, training: CURRENT, purpose: '   ' },
    'clinical.patient.idNumber',
    'reveal',
    'purpose_missing',
  ],
  [
    'L4 purpose of digits only',
    { permissions: REVEAL, training: CURRENT, purpose: '123' },
    'clinical.patient.idNumber',
    'reveal',
    'purpose_too_short',
  ],
  [
    'L4 one-letter purpose',
    { permissions: REVEAL, training: CURRENT, purpose: 'x.' },
    'clinical.patient.idNumber',
    'reveal',
    'purpose_too_short',
  ],
  // Break-glass: its own permission, the same training and purpose (the grant's reason).
  [
    'L4 break-glass',
    { permissions: new Set(['clinical.breakGlass.use']), training: CURRENT, purpose: '急诊抢救' },
    'clinical.patient.name',
    'break-glass',
    true,
  ],
  [
    'L4 break-glass, reveal permission is not enough',
    { permissions: REVEAL, training: CURRENT, purpose: '急诊抢救' },
    'clinical.patient.name',
    'break-glass',
    'permission_missing',
  ],
  [
    'L4 break-glass, training lapsed',
    { permissions: new Set(['clinical.breakGlass.use']), training: EXPIRED, purpose: '急诊抢救' },
    'clinical.patient.name',
    'break-glass',
    'training_lapsed',
  ],
  // Below level 4 the permission alone decides: no training, no purpose.
  [
    'L3 user phone with permission',
    { permissions: new Set(['identity.user.reveal']) },
    'identity.user.phone',
    'reveal',
    true,
  ],
  [
    'L3 user e-mail without permission',
    { permissions: new Set(['identity.user.read']) },
    'identity.user.email',
    'reveal',
    'permission_missing',
  ],
  [
    'L3 suspended',
    { permissions: new Set(), suspended: new Map([['identity.user.reveal', 'Take security basics.']]) },
    'identity.user.phone',
    'reveal',
    'permission_suspended',
  ],
  [
    'L3 ledger contact export',
    { permissions: new Set(['sales.contact.reveal']) },
    'sales.customer.contact',
    'export',
    true,
  ],
  [
    'L3 ledger contact export, no permission',
    { permissions: new Set(['sales.ledger.read']) },
    'sales.customer.contact',
    'export',
    'permission_missing',
  ],
  ['L2 prices', { permissions: new Set(['sales.price.read']) }, 'sales.order.price', 'reveal', true],
  [
    'L3 no break-glass path',
    { permissions: new Set(['clinical.breakGlass.use', 'identity.user.reveal']) },
    'identity.user.phone',
    'break-glass',
    'never_in_clear',
  ],
  // Never in clear, whatever the subject holds.
  [
    'L5 TOTP secret',
    { permissions: new Set(['identity.user.reveal']), training: CURRENT, purpose: '排查' },
    'identity.totp.secret',
    'reveal',
    'never_in_clear',
  ],
  [
    'L3 representative ID number',
    { permissions: new Set(['master-data.record.read']) },
    'master-data.representative.idNumber',
    'reveal',
    'never_in_clear',
  ],
];

describe('AC-07 policy engine decision table', () => {
  test.each(TABLE)('%s', (_label, subject, field, action, expected) => {
    const decision = decideFieldAccess(subject, field, action);
    if (expected === true) {
      expect(decision.allow).toBe(true);
    } else {
      expect(decision.allow).toBe(false);
      if (!decision.allow) {
        expect(decision.reason).toBe(expected);
        expect(decision.message.length).toBeGreaterThan(10);
      }
    }
  });

  test('denials name what is missing: the permission, the course, the purpose', () => {
    const noPermission = decideFieldAccess({ permissions: new Set() }, 'clinical.patient.name', 'reveal');
    expect(noPermission).toMatchObject({ allow: false, permission: 'clinical.patient.reveal', level: 4 });
    expect(!noPermission.allow && noPermission.message).toContain('clinical.patient.reveal');
    const lapsed = decideFieldAccess(
      { permissions: REVEAL, training: EXPIRED, purpose: '核对' },
      'clinical.patient.name',
      'reveal',
    );
    expect(lapsed).toMatchObject({ allow: false, course: 'privacy-pipl', message: LAPSED });
    const unverified = decideFieldAccess({ permissions: REVEAL }, 'clinical.patient.name', 'reveal');
    expect(!unverified.allow && unverified.message).toContain('privacy-pipl');
    const noPurpose = decideFieldAccess({ permissions: REVEAL, training: CURRENT }, 'clinical.patient.name', 'reveal');
    expect(!noPurpose.allow && noPurpose.message).toContain('purpose');
  });

  test('a section is decided by its strictest field; allowed at the highest level', () => {
    const section: DataField[] = ['clinical.patient.sex', 'clinical.patient.name', 'clinical.patient.phone'];
    expect(highestLevel(section)).toBe(4);
    const masked = decideFieldsAccess({ permissions: REVEAL, training: CURRENT }, section, 'reveal');
    expect(masked).toMatchObject({ allow: false, reason: 'purpose_missing', level: 4 });
    const clear = decideFieldsAccess({ permissions: REVEAL, training: CURRENT, purpose: '复诊' }, section, 'reveal');
    expect(clear).toMatchObject({ allow: true, level: 4 });
    expect(() => decideFieldsAccess({ permissions: REVEAL }, [], 'reveal')).toThrow();
  });
});
