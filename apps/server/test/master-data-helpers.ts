import { expect } from 'vitest';
import { roleDefinition, type PartyFields, type ProductFields } from '@medledger/contract';
import { totpCodeAt } from '../src/modules/identity/identity.totp.js';
import type { manualClock } from '../src/platform/clock.js';
import type { TestApp } from './harness.js';
import { createUserAndOnboard, post, signInWithTotp } from './identity-helpers.js';
import { passCourse } from './training-helpers.js';

type ManualClock = ReturnType<typeof manualClock>;

/** A member of staff with one role, signed in afresh (role grants end sessions), training passed. */
export type Staff = { id: string; cookie: string; secret: string; login: string; password: string };

export async function staffWithRole(
  app: TestApp,
  clock: ManualClock,
  adminCookie: string,
  person: { login: string; name: string; password: string },
  roleCode: string,
  site: string | null = null,
): Promise<Staff> {
  const user = await createUserAndOnboard(app, adminCookie, person);
  const granted = await post(
    app,
    '/api/v1/access/assignments',
    { userId: user.id, roleCode, site, reason: '岗位任命' },
    adminCookie,
  );
  expect(granted.statusCode, granted.body).toBe(201);
  clock.advance(30_000);
  const again = await signInWithTotp(app, person.login, person.password, user.secret);
  expect(again.next).toBe('done');
  for (const course of roleDefinition(roleCode)?.requiresTraining ?? []) await passCourse(app, again.cookie!, course);
  return { id: user.id, cookie: again.cookie!, secret: user.secret, login: person.login, password: person.password };
}

/** A fresh authenticator code for an e-signature (codes are single use: move past the last one). */
export function freshCode(app: TestApp, clock: ManualClock, staff: Staff): string {
  clock.advance(30_000);
  return totpCodeAt(staff.secret, app.runtime.clock.now());
}

/** Signs the member of staff in again (after the clock jumped past the session's lifetime). */
export async function signInAgain(app: TestApp, clock: ManualClock, staff: Staff): Promise<void> {
  clock.advance(30_000);
  const again = await signInWithTotp(app, staff.login, staff.password, staff.secret);
  expect(again.next).toBe('done');
  staff.cookie = again.cookie!;
}

export const get = (app: TestApp, url: string, cookie: string) =>
  app.app.inject({ method: 'GET', url, headers: { cookie } });

/** QA decides a proposal with an e-signature; returns the response. */
export function decide(
  app: TestApp,
  clock: ManualClock,
  qa: Staff,
  changeId: string,
  decision: 'approve' | 'reject',
  note = decision === 'approve' ? '资料齐全，同意' : '资料不全',
) {
  return post(
    app,
    `/api/v1/master-data/changes/${changeId}/decision`,
    { decision, note, code: freshCode(app, clock, qa) },
    qa.cookie,
  );
}

// Synthetic parties and products: invented names, codes and numbers only.

export function supplierFields(overrides: Partial<PartyFields> = {}): PartyFields {
  return {
    code: 'SUP-001',
    name: '华康医疗器械贸易有限公司',
    uscc: '91310000MA1K000001',
    isSupplier: true,
    isManufacturer: false,
    customerType: null,
    legalRepresentative: '李明远',
    enterpriseHead: '李明远',
    address: '上海市浦东新区示例路 1 号',
    warehouseAddress: '上海市浦东新区示例路 1 号 3 号库',
    licences: [
      {
        kind: 'business_licence',
        number: '91310000MA1K000001',
        authority: '上海市市场监督管理局',
        issuedOn: '2020-01-10',
        validUntil: null,
        scope: [],
      },
      {
        kind: 'operating_licence',
        number: '沪药监械经营许20200001号',
        authority: '上海市药品监督管理局',
        issuedOn: '2021-03-01',
        validUntil: '2030-02-28',
        scope: ['III:07', 'III:13', 'II:07', 'II:14'],
      },
    ],
    repAuthorisations: [
      {
        repName: '王晓红',
        idNumber: '110101199001011230',
        productCodes: [],
        territory: '上海市',
        validFrom: '2026-01-01',
        validUntil: '2027-12-31',
      },
    ],
    ...overrides,
  };
}

export function hospitalFields(overrides: Partial<PartyFields> = {}): PartyFields {
  return {
    code: 'HOS-001',
    name: '示例市第一人民医院',
    uscc: '12310000MB2C000002',
    isSupplier: false,
    isManufacturer: false,
    customerType: 'hospital',
    legalRepresentative: '陈思齐',
    enterpriseHead: '陈思齐',
    address: '示例市中山路 100 号',
    warehouseAddress: null,
    licences: [
      {
        kind: 'business_licence',
        number: '12310000MB2C000002',
        authority: '示例市卫生健康委员会',
        issuedOn: '2019-05-01',
        validUntil: null,
        scope: [],
      },
      {
        kind: 'medical_institution_licence',
        number: 'PDY00001-331010000A1001',
        authority: '示例市卫生健康委员会',
        issuedOn: '2022-01-01',
        validUntil: '2031-12-31',
        scope: [],
      },
    ],
    repAuthorisations: [],
    ...overrides,
  };
}

export function distributorFields(overrides: Partial<PartyFields> = {}): PartyFields {
  return {
    code: 'DIS-001',
    name: '瑞安医械经销有限公司',
    uscc: '91330000MA2B000003',
    isSupplier: false,
    isManufacturer: false,
    customerType: 'distributor',
    legalRepresentative: '周若彤',
    enterpriseHead: '周若彤',
    address: '示例省示例市解放路 8 号',
    warehouseAddress: '示例省示例市解放路 8 号 1 号库',
    licences: [
      {
        kind: 'business_licence',
        number: '91330000MA2B000003',
        authority: '示例市市场监督管理局',
        issuedOn: '2018-06-01',
        validUntil: null,
        scope: [],
      },
      {
        kind: 'operating_licence',
        number: '浙药监械经营许20210002号',
        authority: '示例省药品监督管理局',
        issuedOn: '2021-06-01',
        validUntil: '2026-12-31',
        scope: ['III:13', 'II:07'],
      },
    ],
    repAuthorisations: [],
    ...overrides,
  };
}

export function productFields(overrides: Partial<ProductFields> = {}): ProductFields {
  return {
    code: 'PRD-STENT-01',
    name: '冠状动脉支架系统',
    model: 'CS-3018',
    specification: '3.0mm×18mm',
    deviceClass: 'III',
    catalogCode: '13-07-02',
    registrant: '示例医疗科技股份有限公司',
    registrantLicenceNo: '沪食药监械生产许20150001号',
    contractManufacturer: null,
    contractManufacturerLicenceNo: null,
    certificateNo: '国械注准20233130001',
    certificateIssuedOn: '2023-04-01',
    certificateValidUntil: '2028-03-31',
    implantable: true,
    storage: 'normal',
    humidityMax: 80,
    packages: [
      { level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: '06901234567892' }] },
      { level: 1, unit: '箱', quantity: 10, dis: [{ issuer: 'GS1', di: '16901234567899' }] },
    ],
    ...overrides,
  };
}

/** Files and approves a party; returns its id. */
export async function approvedParty(app: TestApp, clock: ManualClock, qa: Staff, fields: PartyFields): Promise<string> {
  const res = await post(app, '/api/v1/master-data/parties', { reason: '首营企业审核', party: fields }, qa.cookie);
  expect(res.statusCode, res.body).toBe(201);
  const { change } = res.json<{ change: { id: string; entityId: string } }>();
  const ok = await decide(app, clock, qa, change.id, 'approve');
  expect(ok.statusCode, ok.body).toBe(200);
  return change.entityId;
}

/** Files and approves a product; returns its id. */
export async function approvedProduct(
  app: TestApp,
  clock: ManualClock,
  qa: Staff,
  fields: ProductFields,
): Promise<string> {
  const res = await post(app, '/api/v1/master-data/products', { reason: '首营品种审核', product: fields }, qa.cookie);
  expect(res.statusCode, res.body).toBe(201);
  const { change } = res.json<{ change: { id: string; entityId: string } }>();
  const ok = await decide(app, clock, qa, change.id, 'approve');
  expect(ok.statusCode, ok.body).toBe(200);
  return change.entityId;
}
