import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { createUserAndOnboard, firstAdmin, post, signInWithTotp } from '../../../test/identity-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { ensureTlsMaterial, tlsCertificateInfo, tlsExpiry } from '../../platform/http/tls.js';

// Synthetic staff only; addresses from the documentation ranges.
const NURSE = { login: 'ward.li', name: '李晓梅', password: 'Lantern-Orchard-7彩-River' };
const CLERK = { login: 'store.wu', name: '吴小兵', password: 'Quiet-Meadow-4蓝-Harbour' };
const DAY = 86_400_000;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const get = (app: TestApp, url: string, cookie: string) => app.app.inject({ method: 'GET', url, headers: { cookie } });

type Notification = { id: string; kind: string; data: Record<string, unknown>; createdAt: string; read: boolean };
const notificationsOf = async (app: TestApp, cookie: string) =>
  (await get(app, '/api/v1/auth/notifications', cookie)).json<{ notifications: Notification[] }>().notifications;

type Event = { action: string; data: Record<string, unknown>; actor: { id: string } | null; resource: unknown };
async function eventsOf(app: TestApp, action: string): Promise<Event[]> {
  const rows = await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as Event).filter((e) => e.action === action);
}

const unreadOf = async (app: TestApp, cookie: string) =>
  (await get(app, '/api/v1/session', cookie)).json<{ unreadNotifications: number }>().unreadNotifications;

describe('TRN-03 AUTH-20 the new-device warning', () => {
  test('TRN-03 AUTH-20 a sign-in from a new device leaves a warning with time, device and address; its owner dismisses it (read, audited once)', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await createUserAndOnboard(t, admin.cookie, NURSE);
    clock.advance(30_000);
    const fresh = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret, '198.51.100.77');
    expect(fresh.next).toBe('done');
    const warning = (await notificationsOf(t, fresh.cookie!)).find((n) => n.kind === 'new_device');
    expect(warning).toMatchObject({ read: false, data: { ip: '198.51.100.77', method: 'password+totp' } });
    expect(warning?.createdAt).toBe(clock.now().toISOString());
    expect(typeof warning?.data.userAgent).toBe('string');
    const unreadBefore = await unreadOf(t, fresh.cookie!);

    const res = await post(t, `/api/v1/auth/notifications/${warning!.id}/dismiss`, undefined, fresh.cookie!);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await notificationsOf(t, fresh.cookie!)).find((n) => n.id === warning!.id)?.read).toBe(true);
    expect(await unreadOf(t, fresh.cookie!)).toBe(unreadBefore - 1);
    const events = await eventsOf(t, 'identity.notification.dismissed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { id: nurse.id },
      resource: { type: 'user_notification', id: warning!.id },
      data: { kind: 'new_device', wasUnread: true },
    });
    // Dismissing again is harmless (another tab): still its owner's, recorded as already read.
    const again = await post(t, `/api/v1/auth/notifications/${warning!.id}/dismiss`, undefined, fresh.cookie!);
    expect(again.statusCode).toBe(200);
    expect((await eventsOf(t, 'identity.notification.dismissed'))[1]?.data).toEqual({
      kind: 'new_device',
      wasUnread: false,
    });
  });

  test('TRN-03 AC-02 another user cannot dismiss my warning (404, nothing changes); bad ids are refused; signed-out callers get 401', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await createUserAndOnboard(t, admin.cookie, NURSE);
    const clerk = await createUserAndOnboard(t, admin.cookie, CLERK);
    clock.advance(30_000);
    const fresh = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret, '198.51.100.77');
    const warning = (await notificationsOf(t, fresh.cookie!)).find((n) => n.kind === 'new_device');
    expect(warning).toBeDefined();

    const stranger = await post(t, `/api/v1/auth/notifications/${warning!.id}/dismiss`, undefined, clerk.cookie);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json<{ code: string }>().code).toBe('not_found');
    const missing = await post(
      t,
      '/api/v1/auth/notifications/01900000-0000-7000-8000-000000000000/dismiss',
      undefined,
      fresh.cookie!,
    );
    expect(missing.statusCode).toBe(404);
    const bad = await post(t, '/api/v1/auth/notifications/not-an-id/dismiss', undefined, fresh.cookie!);
    expect(bad.statusCode).toBe(400);
    const body = await post(t, `/api/v1/auth/notifications/${warning!.id}/dismiss`, { all: true }, fresh.cookie!);
    expect(body.statusCode).toBe(400);
    const anonymous = await post(t, `/api/v1/auth/notifications/${warning!.id}/dismiss`);
    expect(anonymous.statusCode).toBe(401);

    expect((await notificationsOf(t, fresh.cookie!)).find((n) => n.id === warning!.id)?.read).toBe(false);
    expect(await eventsOf(t, 'identity.notification.dismissed')).toHaveLength(0);
  });
});

describe('TRN-03 AUTH-03 reminders before the password expires', () => {
  test('TRN-03 AUTH-03 dengbao: from 14 days before the 90-day limit a sign-in leaves a reminder, once per level (14, 7, 3, 1 days)', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await createUserAndOnboard(t, admin.cookie, NURSE);
    t.runtime.identity.passwordProfile = 'dengbao';
    t.runtime.identity.dormantDays = 365;
    const reminders = async (cookie: string) =>
      (await notificationsOf(t!, cookie)).filter((n) => n.kind === 'password_expiring');

    clock.advance(70 * DAY);
    const early = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret);
    expect(early.next).toBe('done');
    expect(await reminders(early.cookie!)).toEqual([]);
    expect((await get(t, '/api/v1/session', early.cookie!)).json<{ passwordExpiresSoon: unknown }>()).toMatchObject({
      passwordExpiresSoon: null,
    });

    clock.advance(7 * DAY);
    const due = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret);
    expect(due.next).toBe('done');
    const first = await reminders(due.cookie!);
    expect(first).toHaveLength(1);
    expect(first[0]?.data).toMatchObject({ daysLeft: 13, level: 14 });
    const session = (await get(t, '/api/v1/session', due.cookie!)).json<{ passwordExpiresSoon: string | null }>();
    expect(session.passwordExpiresSoon).toBe(first[0]?.data.expiresAt);

    // The same level again: no second reminder.
    clock.advance(DAY);
    const same = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret);
    expect(await reminders(same.cookie!)).toHaveLength(1);

    // Five days left: the 7-day level.
    clock.advance(7 * DAY);
    const closer = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret);
    const both = await reminders(closer.cookie!);
    expect(both.map((n) => n.data.level)).toEqual([7, 14]);
  });

  test('TRN-03 asvs profile: passwords do not expire, so no reminder is ever left', async () => {
    const clock = manualClock(new Date());
    t = await buildTestApp({ clock });
    const admin = await firstAdmin(t);
    const nurse = await createUserAndOnboard(t, admin.cookie, NURSE);
    t.runtime.identity.dormantDays = 365;
    clock.advance(85 * DAY);
    const later = await signInWithTotp(t, NURSE.login, NURSE.password, nurse.secret);
    expect(later.next).toBe('done');
    expect((await notificationsOf(t, later.cookie!)).map((n) => n.kind)).not.toContain('password_expiring');
  });
});

describe('TRN-03 the TLS certificate expiry in the system information', () => {
  test('TRN-03 the self-signed certificate: subject and notAfter read from the certificate; warned from 30 days before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medledger-tls-'));
    try {
      const now = new Date('2026-11-29T08:00:00Z');
      const material = await ensureTlsMaterial({ dataDir: dir, now });
      const info = tlsCertificateInfo(material);
      expect(info.configured).toBe(false);
      expect(info.subject).toContain('CN=localhost');
      expect(new Date(info.notAfter).getTime()).toBeGreaterThan(now.getTime() + 364 * DAY);
      expect(tlsExpiry(info, now)).toMatchObject({ expiresSoon: false, expired: false });
      const late = new Date(new Date(info.notAfter).getTime() - 29 * DAY - 1000);
      expect(tlsExpiry(info, late)).toEqual({ daysLeft: 29, expiresSoon: true, expired: false });
      const after = new Date(new Date(info.notAfter).getTime() + 1000);
      expect(tlsExpiry(info, after)).toMatchObject({ expiresSoon: true, expired: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TRN-03 system administrators see the certificate and whether it expires soon; others are refused', async () => {
    const clock = manualClock(new Date('2026-11-29T08:00:00Z'));
    const notAfter = new Date(clock.now().getTime() + 20 * DAY + 3_600_000).toISOString();
    t = await buildTestApp({
      clock,
      tlsCertificate: { subject: 'CN=erp.example.test', notAfter, configured: true },
    });
    const admin = await firstAdmin(t);
    const res = await get(t, '/api/v1/system/info', admin.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ tls: unknown }>().tls).toEqual({
      subject: 'CN=erp.example.test',
      notAfter,
      configured: true,
      daysLeft: 20,
      expiresSoon: true,
      expired: false,
    });
    const nurse = await createUserAndOnboard(t, admin.cookie, NURSE);
    const refused: LightMyRequestResponse = await get(t, '/api/v1/system/info', nurse.cookie);
    expect(refused.statusCode).toBe(403);
  });

  test('TRN-03 without TLS in this process the system information says so (null)', async () => {
    t = await buildTestApp();
    const admin = await firstAdmin(t);
    expect((await get(t, '/api/v1/system/info', admin.cookie)).json<{ tls: unknown }>().tls).toBeNull();
  });
});
