import { PERMISSIONS, type Permission } from '@medledger/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDemoCompany } from '../src/ops/demo.js';
import type { AnyRouteDef } from '../src/platform/http/route.js';
import { buildTestApp, headerAuthenticator, testDialect, type TestApp } from './harness.js';

/**
 * AC-02, the scope column of the access matrix: every route that names a record in its path is
 * classified here, and a route added later without a classification fails the first test. Routes
 * on site-scoped records are then called for a real record of another site (the demo company's
 * warehouse in site SH) by an actor holding EVERY permission but only for another site: each must
 * answer 404 — exactly like a record that does not exist — and change nothing.
 */

type Fixture = 'warehouse' | 'area' | 'movement' | 'purchaseOrder' | 'salesOrder';
type Scope =
  /** Site-scoped record: tried here with a record of another site. */
  | { fixture: Fixture; body?: Record<string, unknown> }
  /** Site-scoped documents the demo company has none of yet: their module test tries another site. */
  | { moduleTest: string }
  /** Records of the whole organisation (or the caller's own), with the reason. */
  | { organisation: string };

const ORG_MASTER_DATA = { organisation: 'quality master data is kept for the whole organisation (GSP: one QA file)' };
const OWN = { organisation: "the caller's own account, checked by the action against the session" };
const ADMIN = { organisation: 'administration of accounts, roles and training is organisation-wide (三权分立 roles)' };
const PROCUREMENT_TEST = { moduleTest: 'apps/server/src/modules/procurement/procurement.test.ts (other site 404)' };
const SALES_TEST = { moduleTest: 'apps/server/src/modules/sales/sales.test.ts (other site 404)' };
const STOCKTAKE_TEST = {
  moduleTest: 'apps/server/src/modules/inventory/inventory.stocktake.test.ts (other site 404)',
};
const CLINICAL_TEST = {
  moduleTest: 'apps/server/src/modules/clinical/clinical.test.ts (other department or site 404, nothing changes)',
};

export const SCOPES: Record<string, Scope> = {
  'GET /api/v1/access/users/:id/effective': ADMIN,
  'GET /api/v1/audit/events/:id': { organisation: 'the audit trail is read whole by the audit administrator' },
  'GET /api/v1/master-data/changes/:id': ORG_MASTER_DATA,
  'GET /api/v1/master-data/imports/:id': ORG_MASTER_DATA,
  'GET /api/v1/master-data/parties/:id': ORG_MASTER_DATA,
  'GET /api/v1/master-data/parties/:id/documents': ORG_MASTER_DATA,
  'GET /api/v1/master-data/parties/:id/documents/:fileId': ORG_MASTER_DATA,
  'GET /api/v1/master-data/products/:id': ORG_MASTER_DATA,
  'GET /api/v1/master-data/products/:id/documents': ORG_MASTER_DATA,
  'GET /api/v1/master-data/products/:id/documents/:fileId': ORG_MASTER_DATA,
  'GET /api/v1/master-data/warehouses/:id': { fixture: 'warehouse' },
  'GET /api/v1/procurement/acceptances/:id': PROCUREMENT_TEST,
  'GET /api/v1/procurement/acceptances/:id/scans': PROCUREMENT_TEST,
  'GET /api/v1/procurement/orders/:id': { fixture: 'purchaseOrder' },
  'GET /api/v1/procurement/receipts/:id': PROCUREMENT_TEST,
  'GET /api/v1/sales/disposals/:id': SALES_TEST,
  'GET /api/v1/sales/orders/:id': { fixture: 'salesOrder' },
  'GET /api/v1/sales/orders/:id/delivery-slip': { fixture: 'salesOrder' },
  'GET /api/v1/sales/orders/:id/delivery-slip.pdf': { fixture: 'salesOrder' },
  'GET /api/v1/sales/orders/:id/shipment': { fixture: 'salesOrder' },
  'GET /api/v1/sales/returns/:id': SALES_TEST,
  'GET /api/v1/sales/reviews/:orderId': { fixture: 'salesOrder' },
  'GET /api/v1/sales/reviews/:orderId/record': { fixture: 'salesOrder' },
  'GET /api/v1/sales/supplier-returns/:id': SALES_TEST,
  'GET /api/v1/training/courses/:code': { organisation: 'courses are the same for all staff' },
  'GET /api/v1/users/:id': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,
  'POST /api/v1/access/assignments/:id/approve': ADMIN,
  'POST /api/v1/access/assignments/:id/reject': ADMIN,
  'POST /api/v1/access/assignments/:id/revoke': ADMIN,
  'POST /api/v1/auth/notifications/:id/dismiss': OWN,
  'POST /api/v1/auth/passkeys/:id/remove': OWN,
  'POST /api/v1/auth/passkeys/:id/rename': OWN,
  'POST /api/v1/auth/sessions/:id/end': OWN,
  'POST /api/v1/inventory/lots/:id/hold': {
    organisation: 'a quality hold stops a lot in every warehouse (QA decision)',
  },
  'POST /api/v1/inventory/lots/:id/release': {
    organisation: 'a quality hold stops a lot in every warehouse (QA decision)',
  },
  'POST /api/v1/inventory/movements/:id/reversal': { fixture: 'movement', body: { reason: '测试冲销' } },
  'POST /api/v1/master-data/areas/:id/locations': { fixture: 'area', body: { code: 'X-09' } },
  'POST /api/v1/master-data/changes/:id/decision': ORG_MASTER_DATA,
  'POST /api/v1/master-data/imports/:id/approve': ORG_MASTER_DATA,
  'POST /api/v1/master-data/imports/:id/commit': ORG_MASTER_DATA,
  'POST /api/v1/master-data/parties/:id/changes': ORG_MASTER_DATA,
  'POST /api/v1/master-data/parties/:id/documents': ORG_MASTER_DATA,
  'POST /api/v1/master-data/products/:id/certificate-cancellation': ORG_MASTER_DATA,
  'POST /api/v1/master-data/products/:id/changes': ORG_MASTER_DATA,
  'POST /api/v1/master-data/products/:id/documents': ORG_MASTER_DATA,
  'POST /api/v1/master-data/warehouses/:id/areas': {
    fixture: 'warehouse',
    body: { code: 'X9', name: '测试区', zone: 'qualified', storage: 'normal' },
  },
  'POST /api/v1/procurement/acceptances/:id/conclude': PROCUREMENT_TEST,
  'POST /api/v1/procurement/acceptances/:id/lots': PROCUREMENT_TEST,
  'POST /api/v1/procurement/acceptances/:id/scans': PROCUREMENT_TEST,
  'POST /api/v1/procurement/acceptances/:id/scans/:scanId/void': PROCUREMENT_TEST,
  'POST /api/v1/procurement/orders/:id/cancel': { fixture: 'purchaseOrder', body: { reason: '测试取消' } },
  'POST /api/v1/procurement/orders/:id/close': { fixture: 'purchaseOrder', body: { reason: '测试关闭' } },
  'POST /api/v1/procurement/orders/:id/decision': PROCUREMENT_TEST,
  'POST /api/v1/procurement/orders/:id/receipts': PROCUREMENT_TEST,
  'POST /api/v1/procurement/orders/:id/submit': { fixture: 'purchaseOrder' },
  'POST /api/v1/sales/orders/:id/allocation': { fixture: 'salesOrder' },
  'POST /api/v1/sales/orders/:id/cancellation': { fixture: 'salesOrder', body: { reason: '测试取消' } },
  'POST /api/v1/sales/orders/:id/confirmation': { fixture: 'salesOrder' },
  'POST /api/v1/sales/orders/:id/shipment': SALES_TEST,
  'POST /api/v1/sales/returns/:id/inspection': SALES_TEST,
  'POST /api/v1/sales/reviews/:orderId/conclusion': SALES_TEST,
  'POST /api/v1/sales/reviews/:orderId/refusals': SALES_TEST,
  'POST /api/v1/sales/reviews/:orderId/scans': SALES_TEST,
  'POST /api/v1/training/admin/assignments/:id/revoke': ADMIN,
  'POST /api/v1/training/admin/courses/:code/versions': ADMIN,
  'POST /api/v1/training/courses/:code/attempts': OWN,
  'POST /api/v1/users/:id/disable': ADMIN,
  'POST /api/v1/users/:id/enable': ADMIN,
  'POST /api/v1/users/:id/password-link': ADMIN,
  'POST /api/v1/users/:id/reveal': ADMIN,
  'POST /api/v1/users/:id/sessions/end': ADMIN,
  'POST /api/v1/users/:id/unlock': ADMIN,
  'PUT /api/v1/procurement/orders/:id': PROCUREMENT_TEST,
  'GET /api/v1/inventory/stocktakes/:id': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/scans': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/counts': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/found': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/submit': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/approve': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/reject': STOCKTAKE_TEST,
  'POST /api/v1/inventory/stocktakes/:id/cancel': STOCKTAKE_TEST,
  'GET /api/v1/inventory/maintenance-checks/:id': STOCKTAKE_TEST,
  'GET /api/v1/clinical/usage-records/:id': CLINICAL_TEST,
  'POST /api/v1/clinical/usage-records/:id/amendments': CLINICAL_TEST,
  'POST /api/v1/clinical/usage-records/:id/patient-reveal': CLINICAL_TEST,
  'GET /api/v1/clinical/break-glass/:id/records': OWN,
  'POST /api/v1/clinical/break-glass/:id/review': {
    organisation: 'the security administrator reviews every break-glass grant (never their own)',
  },
};

let t: TestApp;
const ALL = Object.keys(PERMISSIONS) as Permission[];
const ids = {} as Record<Fixture, string>;

beforeAll(async () => {
  t = await buildTestApp({ authenticate: headerAuthenticator });
  await loadDemoCompany(t.runtime);
  const one = async (q: Promise<{ id: string } | undefined>) => (await q)!.id;
  ids.warehouse = await one(t.db.selectFrom('md_warehouse').select('id').where('site', '=', 'SH').executeTakeFirst());
  ids.area = await one(
    t.db.selectFrom('md_storage_area').select('id').where('warehouseId', '=', ids.warehouse).executeTakeFirst(),
  );
  ids.movement = await one(
    t.db.selectFrom('inv_movement').select('id').where('warehouseId', '=', ids.warehouse).executeTakeFirst(),
  );
  ids.purchaseOrder = await one(t.db.selectFrom('pur_order').select('id').executeTakeFirst());
  ids.salesOrder = await one(t.db.selectFrom('sales_order').select('id').executeTakeFirst());
});
afterAll(async () => {
  await t?.close();
});

const key = (r: AnyRouteDef) => `${r.method} ${r.url}`;

async function snapshot(): Promise<Record<string, number>> {
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

describe(`AC-02 the scope column of the access matrix (${testDialect()})`, () => {
  test('AC-02 every route that names a record in its path is classified: site-scoped, tested in its module, or organisation-wide', () => {
    const withParams = t.routes.filter((r) => r.public !== true && r.url.includes('/:')).map(key);
    const missing = withParams.filter((k) => !(k in SCOPES));
    expect(missing, 'classify these routes in SCOPES').toEqual([]);
    const stale = Object.keys(SCOPES).filter((k) => !withParams.includes(k));
    expect(stale, 'these classified routes no longer exist').toEqual([]);
  });

  test('AC-02 ATK-IDOR a record of another site answers 404 on every site-scoped route, even with every permission; nothing changes', async () => {
    const before = await snapshot();
    const scoped = t.routes.filter((r) => {
      const s = SCOPES[key(r)];
      return s !== undefined && 'fixture' in s;
    });
    expect(scoped.length).toBeGreaterThan(15);
    for (const r of scoped) {
      const scope = SCOPES[key(r)] as { fixture: Fixture; body?: Record<string, unknown> };
      const url = r.url.replace(/:[A-Za-z]+/, ids[scope.fixture]);
      const res = await t.app.inject({
        method: r.method,
        url,
        ...(scope.body === undefined ? {} : { payload: scope.body }),
        headers: { 'x-test-actor': ALL.join(','), 'x-test-sites': 'ELSEWHERE' },
      });
      expect(res.statusCode, `${key(r)}: ${res.body}`).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('not_found');
    }
    expect(await snapshot()).toEqual(before);
  });

  test('AC-02 the same requests by an actor of the record’s own site get past the scope (control)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sales/orders/${ids.salesOrder}`,
      headers: { 'x-test-actor': ALL.join(','), 'x-test-sites': 'SH' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const wh = await t.app.inject({
      method: 'GET',
      url: `/api/v1/master-data/warehouses/${ids.warehouse}`,
      headers: { 'x-test-actor': ALL.join(','), 'x-test-sites': 'SH' },
    });
    expect(wh.statusCode).toBe(200);
  });
});
