import { afterEach, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import type { ChangeView, PartyView, ProductView, StoredFileView, TradeCheckResponse } from '@medledger/contract';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { firstAdmin, post } from '../../../test/identity-helpers.js';
import {
  approvedParty,
  approvedProduct,
  decide,
  distributorFields,
  get,
  hospitalFields,
  signInAgain,
  productFields,
  staffWithRole,
  supplierFields,
  type Staff,
} from '../../../test/master-data-helpers.js';
import { manualClock } from '../../platform/clock.js';
import { route } from '../../platform/http/route.js';
import { assertTradeAllowed, notifyExpiringDocuments } from './index.js';
import { sealOnce } from '../audit/index.js';
import { z } from 'zod';

// Synthetic staff only.
const QA = { login: 'qa.li', name: '李质量', password: 'amber falcon 秋水 meadow' };
const BUYER = { login: 'buyer.sun', name: '孙采购', password: 'copper kettle 春风 violet' };
const STORE = { login: 'store.zhou', name: '周仓储', password: 'silver birch 明月 harbor' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A test-only route standing in for the purchase and sales documents of the next modules. */
const tradeRoute = route({
  method: 'POST',
  url: '/api/v1/test/trade',
  permission: 'master-data.record.read',
  summary: 'test: open a document after the qualification check',
  body: z.strictObject({ direction: z.enum(['purchase', 'sale']), partyId: z.uuid(), productId: z.uuid() }),
  response: z.object({ ok: z.boolean() }),
  status: 201,
  handler: async (ctx, { body }) => {
    await assertTradeAllowed(ctx, body);
    return { ok: true };
  },
});

async function setUp() {
  const clock = manualClock('2026-11-29T02:00:00Z');
  t = await buildTestApp({ clock, extraRoutes: [tradeRoute] });
  const admin = await firstAdmin(t);
  const qa = await staffWithRole(t, clock, admin.cookie, QA, 'qa-manager');
  const buyer = await staffWithRole(t, clock, admin.cookie, BUYER, 'purchasing');
  return { app: t, clock, admin, qa, buyer };
}

const check = async (
  app: TestApp,
  who: Staff,
  body: { direction: 'purchase' | 'sale'; partyId: string; productId: string },
) => {
  const res = await post(app, '/api/v1/master-data/trade-check', body, who.cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TradeCheckResponse>();
};

describe('GSP-02 first-business review (首营) and qualification locks', () => {
  test('GSP-02 a new supplier and product are unusable until QA approves them with a signature, usable after', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const party = await post(
      app,
      '/api/v1/master-data/parties',
      { reason: '首营企业', party: supplierFields() },
      qa.cookie,
    );
    expect(party.statusCode, party.body).toBe(201);
    const partyChange = party.json<{ change: ChangeView }>().change;
    expect(partyChange).toMatchObject({ status: 'pending', firstBusiness: true, version: 1, requestedByName: QA.name });
    const product = await post(
      app,
      '/api/v1/master-data/products',
      { reason: '首营品种', product: productFields() },
      qa.cookie,
    );
    expect(product.statusCode, product.body).toBe(201);
    const productChange = product.json<{ change: ChangeView }>().change;

    const question = {
      direction: 'purchase' as const,
      partyId: partyChange.entityId,
      productId: productChange.entityId,
    };
    const before = await check(app, buyer, question);
    expect(before.allowed).toBe(false);
    expect(before.blocks.map((b) => b.reason).sort()).toEqual(['party_not_approved', 'product_not_approved']);
    const refused = await post(app, '/api/v1/test/trade', question, buyer.cookie);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string; issues: { code: string }[] }>()).toMatchObject({
      code: 'qualification_blocked',
      issues: [{ code: 'party_not_approved' }, { code: 'product_not_approved' }],
    });

    // The QA inbox lists both; a wrong code signs nothing.
    const inbox = await get(app, '/api/v1/master-data/changes?status=pending', qa.cookie);
    expect(
      inbox
        .json<{ changes: ChangeView[] }>()
        .changes.map((c) => c.entity)
        .sort(),
    ).toEqual(['party', 'product']);
    const wrong = await post(
      app,
      `/api/v1/master-data/changes/${partyChange.id}/decision`,
      { decision: 'approve', note: '', code: '000000' },
      qa.cookie,
    );
    expect(wrong.statusCode).toBe(401);
    expect(
      (await get(app, `/api/v1/master-data/parties/${partyChange.entityId}`, qa.cookie)).json<{ party: PartyView }>()
        .party.status,
    ).toBe('pending');

    const approved = await decide(app, clock, qa, partyChange.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<{ change: ChangeView }>().change).toMatchObject({
      status: 'approved',
      decidedByName: QA.name,
    });
    expect((await decide(app, clock, qa, productChange.id, 'approve')).statusCode).toBe(200);
    // A decided proposal cannot be decided again.
    expect((await decide(app, clock, qa, productChange.id, 'reject')).statusCode).toBe(409);

    const after = await check(app, buyer, question);
    expect(after).toMatchObject({ allowed: true, blocks: [] });
    expect((await post(app, '/api/v1/test/trade', question, buyer.cookie)).statusCode).toBe(201);

    const events = (await app.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute())
      .map((e) => JSON.parse(e.canonical) as { action: string })
      .filter((e) => e.action.startsWith('master-data.'));
    expect(events.map((e) => e.action)).toEqual([
      'master-data.change.proposed',
      'master-data.change.proposed',
      'master-data.trade.blocked',
      'master-data.change.approved',
      'master-data.change.approved',
    ]);
    const signatures = await app.db.selectFrom('e_signature').select(['signerName', 'meaning']).execute();
    expect(signatures.filter((s) => s.meaning.startsWith('质量审核通过'))).toHaveLength(2);
  });

  test('GSP-03 AC-01 only QA may create or change quality master data; other roles read', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const partyId = await approvedParty(app, clock, qa, supplierFields());
    const count = async () => (await app.db.selectFrom('md_change').select('id').execute()).length;
    const before = await count();
    const create = await post(
      app,
      '/api/v1/master-data/parties',
      { reason: '想加', party: supplierFields({ code: 'SUP-009' }) },
      buyer.cookie,
    );
    expect(create.statusCode).toBe(403);
    const change = await post(
      app,
      `/api/v1/master-data/parties/${partyId}/changes`,
      { reason: '改名', party: supplierFields({ name: '改过的名字' }) },
      buyer.cookie,
    );
    expect(change.statusCode).toBe(403);
    const pending = await app.db.selectFrom('md_change').select('id').executeTakeFirstOrThrow();
    expect(
      (
        await post(
          app,
          `/api/v1/master-data/changes/${pending.id}/decision`,
          { decision: 'approve', note: '', code: '123456' },
          buyer.cookie,
        )
      ).statusCode,
    ).toBe(403);
    expect(await count()).toBe(before);
    expect((await get(app, `/api/v1/master-data/parties/${partyId}`, buyer.cookie)).statusCode).toBe(200);
  });

  test('GSP-03 AC-03 a change is not in force until approved; readers see it beside the version in force, masked; history keeps both', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const partyId = await approvedParty(app, clock, qa, supplierFields());
    const onFile = (await get(app, `/api/v1/master-data/parties/${partyId}`, qa.cookie)).json<{ party: PartyView }>()
      .party;
    const letters = onFile.repAuthorisations.map(({ id, repName, productCodes, territory, validFrom, validUntil }) => ({
      id,
      repName,
      productCodes,
      territory,
      validFrom,
      validUntil,
    }));
    const proposed = await post(
      app,
      `/api/v1/master-data/parties/${partyId}/changes`,
      {
        reason: '企业更名，见新营业执照',
        party: supplierFields({ name: '华康医疗科技有限公司', repAuthorisations: letters }),
      },
      qa.cookie,
    );
    expect(proposed.statusCode, proposed.body).toBe(201);
    const change = proposed.json<{ change: ChangeView & { previous: { name: string } } }>().change;
    expect(change).toMatchObject({ firstBusiness: false, version: 2, changedFields: ['name'] });
    expect(change.previous.name).toBe('华康医疗器械贸易有限公司');
    // GSP-03 AC-03: a reader opens the proposal beside the version it would replace; ID numbers stay masked.
    const opened = await get(app, `/api/v1/master-data/changes/${change.id}`, buyer.cookie);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.body).not.toContain('110101199001011230');
    const detail = opened.json<{
      change: ChangeView & {
        proposed: { name: string; repAuthorisations: { id: string; idNumberMasked: string }[] };
        previous: { name: string; repAuthorisations: { id: string; idNumberMasked: string }[] };
      };
    }>().change;
    expect(detail).toMatchObject({
      id: change.id,
      entity: 'party',
      entityId: partyId,
      version: 2,
      firstBusiness: false,
      status: 'pending',
      reason: '企业更名，见新营业执照',
      requestedByName: QA.name,
      decidedByName: null,
      signatureId: null,
      changedFields: ['name'],
      proposed: { name: '华康医疗科技有限公司' },
      previous: { name: '华康医疗器械贸易有限公司' },
    });
    for (const side of [detail.proposed, detail.previous]) {
      expect(side.repAuthorisations).toEqual([
        expect.objectContaining({ id: letters[0]!.id, idNumberMasked: '110***********1230' }),
      ]);
    }
    // A second proposal waits for the first.
    const second = await post(
      app,
      `/api/v1/master-data/parties/${partyId}/changes`,
      { reason: '又改', party: supplierFields({ name: '别的名字' }) },
      qa.cookie,
    );
    expect(second.statusCode).toBe(409);
    // Nothing changed yet: the version in force is still usable and unchanged.
    let party = (await get(app, `/api/v1/master-data/parties/${partyId}`, buyer.cookie)).json<{ party: PartyView }>()
      .party;
    expect(party).toMatchObject({
      name: '华康医疗器械贸易有限公司',
      version: 1,
      pendingChangeId: change.id,
      status: 'approved',
    });
    expect((await decide(app, clock, qa, change.id, 'approve')).statusCode).toBe(200);
    party = (await get(app, `/api/v1/master-data/parties/${partyId}`, buyer.cookie)).json<{ party: PartyView }>().party;
    expect(party).toMatchObject({ name: '华康医疗科技有限公司', version: 2, pendingChangeId: null });
    const history = (await get(app, `/api/v1/master-data/changes?entityId=${partyId}`, buyer.cookie)).json<{
      changes: ChangeView[];
    }>();
    expect(history.changes.map((c) => [c.version, c.status])).toEqual([
      [2, 'approved'],
      [1, 'approved'],
    ]);
    // Proposing the same content again is refused as no change.
    const same = await post(
      app,
      `/api/v1/master-data/parties/${partyId}/changes`,
      {
        reason: '无变化',
        party: supplierFields({
          name: '华康医疗科技有限公司',
          repAuthorisations: letters,
        }),
      },
      qa.cookie,
    );
    expect(same.statusCode, same.body).toBe(400);
  });

  test('GSP-02 a rejected first-business file stays unusable', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const res = await post(app, '/api/v1/master-data/parties', { reason: '首营', party: supplierFields() }, qa.cookie);
    const change = res.json<{ change: ChangeView }>().change;
    const noNote = await post(
      app,
      `/api/v1/master-data/changes/${change.id}/decision`,
      { decision: 'reject', note: '', code: '123456' },
      qa.cookie,
    );
    expect(noNote.statusCode).toBe(400);
    expect((await decide(app, clock, qa, change.id, 'reject', '缺少授权书原件')).statusCode).toBe(200);
    const productId = await approvedProduct(app, clock, qa, productFields());
    const result = await check(app, buyer, { direction: 'purchase', partyId: change.entityId, productId });
    expect(result.blocks.map((b) => b.reason)).toEqual(['party_not_approved']);
    const party = (await get(app, `/api/v1/master-data/parties/${change.entityId}`, qa.cookie)).json<{
      party: PartyView;
    }>().party;
    expect(party.status).toBe('rejected');
  });

  test('GSP-02 a sale to a customer whose licence expired yesterday is refused, naming the licence', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const customerId = await approvedParty(app, clock, qa, distributorFields());
    const productId = await approvedProduct(app, clock, qa, productFields());
    const question = { direction: 'sale' as const, partyId: customerId, productId };
    expect((await check(app, buyer, question)).allowed).toBe(true);
    // The operating licence is valid until 2026-12-31 (China time): move to 2027-01-01 10:00 +08:00.
    clock.set('2027-01-01T02:00:00Z');
    await signInAgain(app, clock, buyer);
    const result = await check(app, buyer, question);
    expect(result.on).toBe('2027-01-01');
    expect(result.blocks).toHaveLength(1);
    expect(result.blocks[0]).toMatchObject({ reason: 'licence_expired' });
    expect(result.blocks[0]!.en).toContain('浙药监械经营许20210002号');
    expect(result.blocks[0]!.en).toContain('2026-12-31');
    expect(result.blocks[0]!.zh).toContain('医疗器械经营许可证');
    const refused = await post(app, '/api/v1/test/trade', question, buyer.cookie);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('expired on 2026-12-31');
  });

  test('GSP-02 a buyer whose scope lacks the product class is refused with the missing code; a Class III buyer with only a filing is refused', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const narrow = await approvedParty(
      app,
      clock,
      qa,
      distributorFields({
        licences: [
          distributorFields().licences[0]!,
          { ...distributorFields().licences[1]!, scope: ['II:13', 'III:07'] },
        ],
      }),
    );
    const filingOnly = await approvedParty(
      app,
      clock,
      qa,
      distributorFields({
        code: 'DIS-002',
        name: '备案经营部',
        licences: [
          distributorFields().licences[0]!,
          {
            kind: 'operating_filing',
            number: '浙示食药监械经营备20220003号',
            authority: '示例市市场监督管理局',
            issuedOn: '2022-01-01',
            validUntil: null,
            scope: ['II:13'],
          },
        ],
      }),
    );
    const productId = await approvedProduct(app, clock, qa, productFields());
    const a = await check(app, buyer, { direction: 'sale', partyId: narrow, productId });
    expect(a.blocks.map((b) => b.reason)).toEqual(['scope_not_covered']);
    expect(a.blocks[0]!.en).toContain('III:13-07-02');
    const b = await check(app, buyer, { direction: 'sale', partyId: filingOnly, productId });
    expect(b.blocks.map((x) => x.reason)).toEqual(['class_iii_filing_only']);
    // A hospital needs its practising licence, not a distribution scope.
    const hospital = await approvedParty(app, clock, qa, hospitalFields());
    expect((await check(app, buyer, { direction: 'sale', partyId: hospital, productId })).allowed).toBe(true);
    // A supplier is not a customer.
    const supplier = await approvedParty(app, clock, qa, supplierFields());
    expect(
      (await check(app, buyer, { direction: 'sale', partyId: supplier, productId })).blocks.map((x) => x.reason),
    ).toEqual(['party_wrong_role']);
  });

  test('GSP-02 an expired or cancelled registration certificate blocks the product at once', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const supplier = await approvedParty(app, clock, qa, supplierFields());
    const productId = await approvedProduct(app, clock, qa, productFields({ certificateValidUntil: '2026-12-15' }));
    expect((await check(app, buyer, { direction: 'purchase', partyId: supplier, productId })).allowed).toBe(true);
    const cancel = await post(
      app,
      `/api/v1/master-data/products/${productId}/certificate-cancellation`,
      { reason: '国家局公告注销' },
      qa.cookie,
    );
    expect(cancel.statusCode, cancel.body).toBe(200);
    const cancelled = await check(app, buyer, { direction: 'purchase', partyId: supplier, productId });
    expect(cancelled.blocks.map((b) => b.reason)).toEqual(['certificate_cancelled']);
    // A renewed certificate (new number) approved by QA lifts the block; its expiry then counts.
    const renewed = await post(
      app,
      `/api/v1/master-data/products/${productId}/changes`,
      {
        reason: '延续注册',
        product: productFields({ certificateNo: '国械注准20263130009', certificateValidUntil: '2026-12-15' }),
      },
      qa.cookie,
    );
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect((await decide(app, clock, qa, renewed.json<{ change: ChangeView }>().change.id, 'approve')).statusCode).toBe(
      200,
    );
    expect((await check(app, buyer, { direction: 'purchase', partyId: supplier, productId })).allowed).toBe(true);
    clock.set('2026-12-16T02:00:00Z');
    await signInAgain(app, clock, buyer);
    const expired = await check(app, buyer, { direction: 'purchase', partyId: supplier, productId });
    expect(expired.blocks.map((b) => b.reason)).toEqual(['certificate_expired']);
    expect(expired.blocks[0]!.en).toContain('国械注准20263130009');
    const product = (await get(app, `/api/v1/master-data/products/${productId}`, buyer.cookie)).json<{
      product: ProductView;
    }>().product;
    expect(product).toMatchObject({ version: 2, certificateCancelledAt: null });
  });
});

describe('master-data records', () => {
  test('AC-03 CRY-01 a representative’s ID number is sealed at rest and shown masked; a letter is kept by id', async () => {
    const { app, clock, qa } = await setUp();
    const partyId = await approvedParty(app, clock, qa, supplierFields());
    const party = (await get(app, `/api/v1/master-data/parties/${partyId}`, qa.cookie)).json<{ party: PartyView }>()
      .party;
    expect(party.repAuthorisations).toHaveLength(1);
    expect(party.repAuthorisations[0]!.idNumberMasked).toBe('110***********1230');
    const stored = await app.db.selectFrom('md_rep_id_number').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.idNumberSealed).not.toContain('110101199001011230');
    const changes = await app.db.selectFrom('md_change').select('payload').execute();
    for (const c of changes) expect(c.payload).not.toContain('110101199001011230');
    const audit = await app.db.selectFrom('audit_event').select('canonical').execute();
    for (const e of audit) expect(e.canonical).not.toContain('110101199001011230');
    // A letter of another party cannot be borrowed by id.
    const other = await post(
      app,
      '/api/v1/master-data/parties',
      {
        reason: '首营',
        party: supplierFields({
          code: 'SUP-002',
          repAuthorisations: [
            { ...supplierFields().repAuthorisations[0]!, idNumber: undefined, id: party.repAuthorisations[0]!.id },
          ],
        }),
      },
      qa.cookie,
    );
    expect(other.statusCode).toBe(400);
  });

  test('VAL-01 bad licence, scope and UDI-DI input is refused field by field', async () => {
    const { app, qa } = await setUp();
    const bad = await post(
      app,
      '/api/v1/master-data/products',
      {
        reason: '首营',
        product: productFields({
          catalogCode: '13_07',
          packages: [{ level: 0, unit: '盒', quantity: 1, dis: [{ issuer: 'GS1', di: '06901234567891' }] }],
        }),
      },
      qa.cookie,
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ issues: { path: string }[] }>().issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.product.catalogCode', 'body.product.packages.0.dis.0.di']));
    const scope = await post(
      app,
      '/api/v1/master-data/parties',
      { reason: '首营', party: supplierFields({ licences: [{ ...supplierFields().licences[1]!, scope: ['IV:07'] }] }) },
      qa.cookie,
    );
    expect(scope.statusCode).toBe(400);
    // The same UDI-DI cannot identify two products.
    const first = await post(
      app,
      '/api/v1/master-data/products',
      { reason: '首营', product: productFields() },
      qa.cookie,
    );
    expect(first.statusCode).toBe(201);
    const dup = await post(
      app,
      '/api/v1/master-data/products',
      { reason: '首营', product: productFields({ code: 'PRD-OTHER' }) },
      qa.cookie,
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ message: string }>().message).toContain('06901234567892');
  });

  test('GSP art. 51(5) expiry warnings at 90 and 30 days reach QA once per level', async () => {
    const { app, clock, qa } = await setUp();
    await approvedParty(app, clock, qa, distributorFields());
    await approvedProduct(app, clock, qa, productFields({ certificateValidUntil: '2027-02-20' }));
    const list = await get(app, '/api/v1/master-data/expiry', qa.cookie);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: { number: string; level: string; daysLeft: number }[] }>().items;
    // Today 2026-11-29: the distributor's licence (2026-12-31) is due within 30 days, the certificate within 90.
    expect(items.map((i) => [i.number, i.level, i.daysLeft])).toEqual([
      ['浙药监械经营许20210002号', 'due90', 32],
      ['国械注准20233130001', 'due90', 83],
    ]);
    const first = await notifyExpiringDocuments(app.runtime);
    expect(first).toEqual({ items: 2, recipients: 1 });
    expect(await notifyExpiringDocuments(app.runtime)).toEqual({ items: 0, recipients: 0 });
    clock.set('2026-12-05T02:00:00Z');
    expect(await notifyExpiringDocuments(app.runtime)).toEqual({ items: 1, recipients: 1 });
    const notes = await app.db
      .selectFrom('user_notification')
      .select('kind')
      .where('userId', '=', qa.id)
      .where('kind', '=', 'qualification_expiring')
      .execute();
    expect(notes).toHaveLength(2);
  });
});

/** A minimal one-page PDF (a licence scan stand-in). */
function pdf(extra = ''): Buffer {
  return Buffer.from(
    [
      '%PDF-1.7',
      `1 0 obj << /Type /Catalog /Pages 2 0 R ${extra}>> endobj`,
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
      'trailer << /Root 1 0 R /Size 4 >>',
      'startxref',
      '0',
      '%%EOF',
      '',
    ].join('\n'),
    'latin1',
  );
}

describe('FILE-01 FILE-02 document scans of master data', () => {
  test('FILE-01 FILE-02 QA attaches a licence scan; readers list and download it; others cannot upload; active content is refused', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const partyId = await approvedParty(app, clock, qa, supplierFields());
    const send = (cookie: string, bytes: Buffer, id = partyId) =>
      app.app.inject({
        method: 'POST',
        url: `/api/v1/master-data/parties/${id}/documents`,
        payload: bytes,
        headers: { cookie, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('营业执照.pdf') },
      });
    const up = await send(qa.cookie, pdf());
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json<{ id: string; sha256: string }>();
    expect((await send(buyer.cookie, pdf())).statusCode).toBe(403);
    expect((await send(qa.cookie, pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >> '))).statusCode).toBe(400);
    expect((await send(qa.cookie, pdf(), '00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const list = await get(app, `/api/v1/master-data/parties/${partyId}/documents`, buyer.cookie);
    expect(list.json<{ files: { id: string }[] }>().files.map((f) => f.id)).toEqual([file.id]);
    const down = await get(app, `/api/v1/master-data/parties/${partyId}/documents/${file.id}`, buyer.cookie);
    expect(down.statusCode).toBe(200);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.rawPayload.equals(pdf())).toBe(true);
    // A file of one record is not reachable through another record.
    const other = await approvedParty(app, clock, qa, hospitalFields());
    expect((await get(app, `/api/v1/master-data/parties/${other}/documents/${file.id}`, buyer.cookie)).statusCode).toBe(
      404,
    );
  });
});

describe('FILE-01 FILE-02 LOG-01 document scans of products', () => {
  test('FILE-01 FILE-02 LOG-01 QA attaches a registration certificate to a product; readers list and download it; both are audited', async () => {
    const { app, clock, qa, buyer } = await setUp();
    const productId = await approvedProduct(app, clock, qa, productFields());
    const send = (cookie: string, bytes: Buffer, id = productId) =>
      app.app.inject({
        method: 'POST',
        url: `/api/v1/master-data/products/${id}/documents`,
        payload: bytes,
        headers: { cookie, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('注册证.pdf') },
      });
    const up = await send(qa.cookie, pdf());
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json<StoredFileView>();
    expect(file).toMatchObject({
      fileName: '注册证.pdf',
      mediaType: 'application/pdf',
      size: pdf().length,
      sha256: createHash('sha256').update(pdf()).digest('hex'),
      uploadedBy: qa.id,
      uploadedByName: QA.name,
    });
    expect((await send(buyer.cookie, pdf())).statusCode).toBe(403);
    expect((await send(qa.cookie, pdf(), '00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);

    const list = await get(app, `/api/v1/master-data/products/${productId}/documents`, buyer.cookie);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ files: StoredFileView[] }>().files).toEqual([file]);
    const down = await get(app, `/api/v1/master-data/products/${productId}/documents/${file.id}`, buyer.cookie);
    expect(down.statusCode, down.body).toBe(200);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-type']).toMatch(/^application\/pdf/);
    expect(down.rawPayload.equals(pdf())).toBe(true);
    // A product's file is reachable through that product only, not through a party.
    const partyId = await approvedParty(app, clock, qa, supplierFields());
    expect(
      (await get(app, `/api/v1/master-data/parties/${partyId}/documents/${file.id}`, buyer.cookie)).statusCode,
    ).toBe(404);

    await sealOnce(app.runtime, { fullSweep: true });
    const events = await app.db
      .selectFrom('audit_index')
      .select(['action', 'outcome', 'actorId'])
      .where('resourceType', '=', 'stored_file')
      .where('resourceId', '=', file.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'files.file.uploaded', outcome: 'success', actorId: qa.id },
      { action: 'files.file.downloaded', outcome: 'success', actorId: buyer.id },
    ]);
  });
});

describe('AC-02 warehouses are scoped by site', () => {
  test('AC-02 a warehouse of another site answers 404 and is not listed', async () => {
    const { app, clock, admin, qa } = await setUp();
    const mk = async (code: string, site: string) => {
      const res = await post(
        app,
        '/api/v1/master-data/warehouses',
        { code, name: `${code} 仓`, site, address: '示例路 1 号' },
        qa.cookie,
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ warehouse: { id: string } }>().warehouse.id;
    };
    const sh = await mk('WH-SH', 'SH');
    const bj = await mk('WH-BJ', 'BJ');
    const area = await post(
      app,
      `/api/v1/master-data/warehouses/${sh}/areas`,
      { code: 'A-Q', name: '待验区', zone: 'quarantine', storage: 'normal' },
      qa.cookie,
    );
    expect(area.statusCode, area.body).toBe(201);
    const store = await staffWithRole(app, clock, admin.cookie, STORE, 'warehouse', 'SH');
    const list = (await get(app, '/api/v1/master-data/warehouses', store.cookie)).json<{
      warehouses: { code: string }[];
    }>();
    expect(list.warehouses.map((w) => w.code)).toEqual(['WH-SH']);
    expect((await get(app, `/api/v1/master-data/warehouses/${sh}`, store.cookie)).statusCode).toBe(200);
    const out = await get(app, `/api/v1/master-data/warehouses/${bj}`, store.cookie);
    expect(out.statusCode).toBe(404);
    expect(
      (await get(app, `/api/v1/master-data/warehouses/00000000-0000-7000-8000-000000000000`, store.cookie)).json(),
    ).toMatchObject({
      code: 'not_found',
      message: out.json<{ message: string }>().message,
    });
  });
});
