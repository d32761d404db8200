import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { issueSetupToken } from '../src/modules/identity/identity.actions.js';
import { totpCodeAt } from '../src/modules/identity/identity.totp.js';
import type { TestApp } from './harness.js';

/** Sign-in helpers shared by the identity tests. Synthetic people only. */
export const ADMIN = { login: 'qa.zhang', name: '张卫国', password: 'correct horse battery staple 医疗' };

export function cookieOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const token = /__Host-sid=([A-Za-z0-9_-]{43})/.exec(header ?? '')?.[1];
  if (token === undefined) throw new Error(`no session cookie in ${String(header)}`);
  return `__Host-sid=${token}`;
}

export const post = (app: TestApp, url: string, payload?: unknown, cookie?: string) =>
  app.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: cookie === undefined ? {} : { cookie },
  });

/** Setup link → first administrator → authenticator enrolled. Returns the complete session and the TOTP secret. */
export async function firstAdmin(app: TestApp) {
  const { token } = await issueSetupToken({ db: app.db, now: app.runtime.clock.now() }, 60);
  const created = await post(app, '/api/v1/setup/admin', { token, ...ADMIN });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json()).toEqual({ next: 'enrol_totp', methods: [] });
  const enrolCookie = cookieOf(created);
  const start = await post(app, '/api/v1/auth/totp/enrol/start', undefined, enrolCookie);
  expect(start.statusCode, JSON.stringify(app.logs.filter((l) => l.msg === 'request failed'))).toBe(200);
  const { secret, otpauthUri } = start.json<{ secret: string; otpauthUri: string }>();
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/MedLedger:qa\.zhang\?/);
  const confirm = await post(
    app,
    '/api/v1/auth/totp/enrol/confirm',
    { code: totpCodeAt(secret, app.runtime.clock.now()) },
    enrolCookie,
  );
  expect(confirm.statusCode, JSON.stringify(app.logs.filter((l) => l.msg === 'request failed'))).toBe(200);
  const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
  return { secret, recoveryCodes, cookie: cookieOf(confirm), enrolCookie };
}
