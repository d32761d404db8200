import { expect } from 'vitest';
import { gs1CheckDigit, type GspZone, type StorageCondition } from '@medledger/contract';
import type { manualClock } from '../src/platform/clock.js';
import type { TestApp } from './harness.js';
import { totpCodeAt } from '../src/modules/identity/identity.totp.js';
import { post, signInWithTotp } from './identity-helpers.js';
import type { Staff } from './master-data-helpers.js';

type ManualClock = ReturnType<typeof manualClock>;

/** A GTIN-14 from its first 13 digits, with the check digit. */
export const gtin = (first13: string) => `${first13}${gs1CheckDigit(first13)}`;

/** A GS1 element string (01)(17)(10)(21) with `sep` as the FNC1 separator after the lot. */
export function unitScan(di: string, expiry: string, lot: string, serial: string, sep = '\x1d'): string {
  return `01${di}17${expiry}10${lot}${sep}21${serial}`;
}

/** The administrator confirms their identity again (creating accounts needs a recent sign-in). */
export async function stepUpAdmin(app: TestApp, clock: ManualClock, admin: { cookie: string; secret: string }) {
  clock.advance(30_000);
  const res = await post(
    app,
    '/api/v1/auth/step-up',
    { code: totpCodeAt(admin.secret, app.runtime.clock.now()) },
    admin.cookie,
  );
  expect(res.statusCode, res.body).toBe(200);
}

/** Gives a member of staff one more role and signs them in again (a grant ends their sessions). */
export async function grantRole(
  app: TestApp,
  clock: ManualClock,
  adminCookie: string,
  staff: Staff,
  roleCode: string,
  site: string | null = null,
): Promise<void> {
  const res = await post(
    app,
    '/api/v1/access/assignments',
    { userId: staff.id, roleCode, site, reason: '兼任岗位' },
    adminCookie,
  );
  expect(res.statusCode, res.body).toBe(201);
  clock.advance(30_000);
  const again = await signInWithTotp(app, staff.login, staff.password, staff.secret);
  expect(again.next).toBe('done');
  staff.cookie = again.cookie!;
}

/**
 * A warehouse of a site with one location in each listed area (code → zone and storage), created by
 * QA through the API. Returns its id and the location ids by area code.
 */
export async function warehouseWithZones(
  app: TestApp,
  qa: Staff,
  code: string,
  site: string,
  areas: Record<string, { zone: GspZone; storage: StorageCondition }>,
): Promise<{ id: string; locations: Record<string, string> }> {
  const w = await post(
    app,
    '/api/v1/master-data/warehouses',
    { code, name: `${code} 仓`, site, address: '示例路 1 号' },
    qa.cookie,
  );
  expect(w.statusCode, w.body).toBe(201);
  const id = w.json<{ warehouse: { id: string } }>().warehouse.id;
  const locations: Record<string, string> = {};
  for (const [area, { zone, storage }] of Object.entries(areas)) {
    const a = await post(
      app,
      `/api/v1/master-data/warehouses/${id}/areas`,
      { code: area, name: `${area} 区`, zone, storage },
      qa.cookie,
    );
    expect(a.statusCode, a.body).toBe(201);
    const areaId = a
      .json<{ warehouse: { areas: { id: string; code: string }[] } }>()
      .warehouse.areas.find((x) => x.code === area)!.id;
    const l = await post(app, `/api/v1/master-data/areas/${areaId}/locations`, { code: `${area}-01` }, qa.cookie);
    expect(l.statusCode, l.body).toBe(201);
    locations[area] = l
      .json<{ warehouse: { areas: { code: string; locations: { id: string; code: string }[] }[] } }>()
      .warehouse.areas.find((x) => x.code === area)!
      .locations.find((x) => x.code === `${area}-01`)!.id;
  }
  return { id, locations };
}

/** The usual areas: normal and 2–8 ℃ quarantine and qualified, and a nonconforming area. */
export const STANDARD_AREAS: Record<string, { zone: GspZone; storage: StorageCondition }> = {
  Q: { zone: 'quarantine', storage: 'normal' },
  QC: { zone: 'quarantine', storage: 'cold_2_8' },
  A: { zone: 'qualified', storage: 'normal' },
  AC: { zone: 'qualified', storage: 'cold_2_8' },
  N: { zone: 'nonconforming', storage: 'normal' },
};
