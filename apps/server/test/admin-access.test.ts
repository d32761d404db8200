import { ADMINISTRATIVE_PERMISSIONS, BUILTIN_ROLES, PERMISSIONS, type RoleDefinition } from '@medledger/contract';
import { afterEach, describe, expect, test } from 'vitest';
import { issueSetupToken } from '../src/modules/identity/identity.actions.js';
import { networkMatcher } from '../src/platform/http/admin-access.js';
import { buildTestApp, type TestApp } from './harness.js';
import { ADMIN, cookieOf, firstAdmin, post } from './identity-helpers.js';
import { SoftAuthenticator } from './soft-authenticator.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NEW_USER = {
  login: 'wh.li',
  name: '李仓管',
  phone: null,
  email: null,
  organisation: null,
  employmentEndsOn: null,
};

const inject = (
  app: TestApp,
  method: 'GET' | 'POST',
  url: string,
  cookie: string,
  from: string,
  extra: { payload?: object; forwardedFor?: string } = {},
) =>
  app.app.inject({
    method,
    url,
    remoteAddress: from,
    headers: { cookie, ...(extra.forwardedFor === undefined ? {} : { 'x-forwarded-for': extra.forwardedFor }) },
    ...(extra.payload === undefined ? {} : { payload: extra.payload }),
  });

async function deniedEvents(app: TestApp, code: string) {
  const rows = await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows
    .map((r) => JSON.parse(r.canonical) as { action: string; outcome: string; ip?: string; data: { code?: string } })
    .filter((e) => e.action === 'http.request.denied' && e.data.code === code);
}

describe('AC-11 administrative interfaces only from management networks', () => {
  test('AC-11 the address matcher takes addresses, IPv4 and IPv6 ranges, IPv4 seen through IPv6, and nothing else', () => {
    const inside = networkMatcher(['10.20.0.0/16', '192.0.2.7', 'fd00:abcd::/32', '::1']);
    expect(inside('10.20.255.1')).toBe(true);
    expect(inside('10.21.0.1')).toBe(false);
    expect(inside('192.0.2.7')).toBe(true);
    expect(inside('192.0.2.8')).toBe(false);
    expect(inside('::ffff:10.20.1.1')).toBe(true);
    expect(inside('::ffff:10.99.1.1')).toBe(false);
    expect(inside('fd00:abcd:1::5')).toBe(true);
    expect(inside('fd00:abce::5')).toBe(false);
    expect(inside('::1')).toBe(true);
    expect(inside('not-an-address')).toBe(false);
    expect(inside('')).toBe(false);
  });

  test('AC-11 administrative permissions are exactly those only the separated administrators hold', () => {
    const roles = BUILTIN_ROLES as readonly RoleDefinition[];
    const business = new Set(roles.filter((r) => r.adminClass === undefined).flatMap((r) => r.permissions));
    for (const p of ['identity.user.manage', 'identity.user.read', 'access.role.assign', 'audit.event.read'] as const) {
      expect(ADMINISTRATIVE_PERMISSIONS.has(p), p).toBe(true);
    }
    for (const p of ADMINISTRATIVE_PERMISSIONS) {
      expect(p in PERMISSIONS).toBe(true);
      expect(business.has(p), `${p} is also a business permission`).toBe(false);
    }
    // Read-only system information is also the enterprise head's: not an administrative interface.
    expect(ADMINISTRATIVE_PERMISSIONS.has('system.info.read')).toBe(false);
    expect(ADMINISTRATIVE_PERMISSIONS.has('procurement.order.approve')).toBe(false);
  });

  test('AC-11 an administrator outside the management network is refused with what to do, audited, and nothing changes; inside it works', async () => {
    t = await buildTestApp({ adminNetworks: ['10.20.0.0/16'] });
    const { cookie } = await firstAdmin(t);
    const before = await t.db.selectFrom('user_account').select('id').execute();

    const outside = await inject(t, 'POST', '/api/v1/users', cookie, '198.51.100.23', { payload: NEW_USER });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'admin_network_refused' });
    expect(outside.json<{ message: string }>().message).toMatch(/management workstation.*198\.51\.100\.23/);
    expect(await t.db.selectFrom('user_account').select('id').execute()).toHaveLength(before.length);
    const listed = await inject(t, 'GET', '/api/v1/users', cookie, '198.51.100.23');
    expect(listed.statusCode).toBe(403);
    expect(listed.json()).toMatchObject({ code: 'admin_network_refused' });
    const denied = await deniedEvents(t, 'admin_network_refused');
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatchObject({ outcome: 'denied', ip: '198.51.100.23' });

    // What is not administration still works from anywhere (system information is also the enterprise head's).
    const info = await inject(t, 'GET', '/api/v1/system/info', cookie, '198.51.100.23');
    expect(info.statusCode, info.body).toBe(200);

    const inside = await inject(t, 'POST', '/api/v1/users', cookie, '10.20.3.4', { payload: NEW_USER });
    expect(inside.statusCode, inside.body).toBe(201);
    expect(await t.db.selectFrom('user_account').select('id').execute()).toHaveLength(before.length + 1);
  });

  test('AC-11 the source address comes from a trusted proxy only: a forged X-Forwarded-For from elsewhere is ignored', async () => {
    t = await buildTestApp({ adminNetworks: ['10.20.0.0/16'], trustedProxies: ['192.0.2.10'] });
    const { cookie } = await firstAdmin(t);
    const viaProxy = await inject(t, 'GET', '/api/v1/users', cookie, '192.0.2.10', { forwardedFor: '10.20.8.9' });
    expect(viaProxy.statusCode, viaProxy.body).toBe(200);
    const proxyOutside = await inject(t, 'GET', '/api/v1/users', cookie, '192.0.2.10', {
      forwardedFor: '203.0.113.5',
    });
    expect(proxyOutside.json()).toMatchObject({ code: 'admin_network_refused' });
    // The header names a management address, but the peer is not the trusted proxy.
    const forged = await inject(t, 'GET', '/api/v1/users', cookie, '203.0.113.5', { forwardedFor: '10.20.8.9' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'admin_network_refused' });
    expect(forged.json<{ message: string }>().message).toContain('203.0.113.5');
  });

  test('AC-11 by default administration answers only on the server itself (loopback)', async () => {
    t = await buildTestApp();
    const { cookie } = await firstAdmin(t);
    expect((await inject(t, 'GET', '/api/v1/users', cookie, '127.0.0.1')).statusCode).toBe(200);
    expect((await inject(t, 'GET', '/api/v1/users', cookie, '::1')).statusCode).toBe(200);
    const lan = await inject(t, 'GET', '/api/v1/users', cookie, '192.168.1.50');
    expect(lan.statusCode).toBe(403);
    expect(lan.json()).toMatchObject({ code: 'admin_network_refused' });
  });
});

describe('AC-11 administration only with phishing-resistant MFA when configured', () => {
  test('AC-11 AUTH-16 with MEDLEDGER_ADMIN_MFA=passkey an authenticator-app sign-in cannot administer; a passkey sign-in can', async () => {
    t = await buildTestApp({ adminMfa: 'passkey' });
    const { cookie } = await firstAdmin(t);
    const totp = await inject(t, 'GET', '/api/v1/users', cookie, '127.0.0.1');
    expect(totp.statusCode).toBe(403);
    expect(totp.json()).toMatchObject({ code: 'admin_passkey_required' });
    expect(totp.json<{ message: string }>().message).toMatch(/passkey/);
    expect(await deniedEvents(t, 'admin_passkey_required')).toHaveLength(1);
    // Not administration: still available after an authenticator-app sign-in.
    expect((await inject(t, 'GET', '/api/v1/system/info', cookie, '127.0.0.1')).statusCode).toBe(200);
    await t.close();

    t = await buildTestApp({ adminMfa: 'passkey' });
    const { token } = await issueSetupToken({ db: t.db, now: t.runtime.clock.now() }, 60);
    const created = await post(t, '/api/v1/setup/admin', { token, ...ADMIN });
    expect(created.statusCode, created.body).toBe(201);
    const enrolCookie = cookieOf(created);
    const options = await post(t, '/api/v1/auth/passkey/enrol/options', undefined, enrolCookie);
    expect(options.statusCode, options.body).toBe(200);
    const authenticator = new SoftAuthenticator('https://localhost:8443');
    const confirm = await post(
      t,
      '/api/v1/auth/passkey/enrol/confirm',
      { name: '管理终端', response: authenticator.register(options.json()) },
      enrolCookie,
    );
    expect(confirm.statusCode, confirm.body).toBe(200);
    const passkey = await inject(t, 'GET', '/api/v1/users', cookieOf(confirm), '127.0.0.1');
    expect(passkey.statusCode, passkey.body).toBe(200);
  });
});
