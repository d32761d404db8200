import type { MyPersonalDataAccessResponse } from '@medledger/contract';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { firstAdmin, onboard, post } from '../../../test/identity-helpers.js';
import { sealOnce } from './index.js';

// Synthetic staff only: generated names, phone numbers in the reserved test range 1340000xxxx.
const CLERK = {
  login: 'store.zhou',
  name: '周仓库',
  phone: '13400000023',
  email: 'store.zhou@example.test',
  organisation: '仓储部',
  employmentEndsOn: null,
};
const OTHER = { ...CLERK, login: 'store.wu', name: '吴仓库', phone: '13400000024', email: 'store.wu@example.test' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (app: TestApp, url: string, cookie?: string) =>
  app.app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } });

async function staff(app: TestApp, adminCookie: string, person: typeof CLERK, password: string) {
  const res = await post(app, '/api/v1/users', person, adminCookie);
  expect(res.statusCode, res.body).toBe(201);
  const { user, link } = res.json<{ user: { id: string }; link: { token: string } }>();
  return { id: user.id, ...(await onboard(app, link.token, person.login, password)) };
}

describe('LOG-11 access transparency', () => {
  test('LOG-11 a user sees who revealed or changed their personal data, which fields and when — nobody else’s, and not their own actions', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    const clerk = await staff(t, admin.cookie, CLERK, 'granite harbour 晴天 lamp');
    const other = await staff(t, admin.cookie, OTHER, 'willow compass 细雨 kite');

    expect((await post(t, `/api/v1/users/${clerk.id}/reveal`, undefined, admin.cookie)).statusCode).toBe(200);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${clerk.id}`,
      payload: { organisation: '仓储二部' },
      headers: { cookie: admin.cookie },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await post(t, `/api/v1/users/${other.id}/reveal`, undefined, admin.cookie)).statusCode).toBe(200);
    await sealOnce(t.runtime);

    const mine = await get(t, '/api/v1/audit/my-personal-data', clerk.cookie);
    expect(mine.statusCode, mine.body).toBe(200);
    const { events } = mine.json<MyPersonalDataAccessResponse>();
    expect(events.map((e) => e.action)).toEqual(['identity.user.updated', 'identity.user.revealed']);
    expect(events[1]).toMatchObject({ actor: { name: '张卫国' }, fields: ['phone', 'email'], purpose: null });
    expect(events[0]!.fields).toContain('organisation');
    expect(Date.parse(events[0]!.at)).not.toBeNaN();
    // The values themselves are never part of it.
    expect(mine.body).not.toContain(CLERK.phone);
    expect(mine.body).not.toContain(CLERK.email);

    // The other clerk sees only the reveal of their own data.
    const theirs = (await get(t, '/api/v1/audit/my-personal-data', other.cookie)).json<MyPersonalDataAccessResponse>();
    expect(theirs.events.map((e) => e.action)).toEqual(['identity.user.revealed']);
    // The administrator's own account: they revealed others, nobody revealed theirs.
    const adminView = (
      await get(t, '/api/v1/audit/my-personal-data', admin.cookie)
    ).json<MyPersonalDataAccessResponse>();
    expect(adminView.events).toEqual([]);
  });

  test('LOG-11 signed-out requests get 401 and no events', async () => {
    t = await buildTestApp();
    const res = await get(t, '/api/v1/audit/my-personal-data');
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('events');
  });
});
