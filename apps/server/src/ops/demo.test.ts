import { afterEach, describe, expect, test } from 'vitest';
import { parseUdi } from '@medledger/contract';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { approveDemoChange, checkTrade } from '../modules/master-data/index.js';
import { stockOnHand } from '../modules/inventory/index.js';
import { systemCtx, type Ctx } from '../platform/http/ctx.js';
import { demoGtin, demoIdNumber, loadDemoCompany } from './demo.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The 18th character of a resident ID number (ISO 7064 MOD 11-2). */
function idCheck(body: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'[[...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0) % 11]!;
}

describe('medledger demo', () => {
  test('the demo company loads once, with locked and near-expiry cases; its data is synthetic', async () => {
    t = await buildTestApp();
    const summary = await loadDemoCompany(t.runtime);
    expect(summary).toMatchObject({ parties: 7, products: 6, warehouse: 'WH-SH-01' });
    expect(summary.orders).toEqual([expect.stringMatching(/^PO-/), expect.stringMatching(/^SO-/)]);
    await expect(loadDemoCompany(t.runtime)).rejects.toThrow(/empty database/);
    const base = systemCtx(t.runtime, 'test');
    const ctx: Ctx = { ...base, actor: { ...base.actor!, permissions: new Set(['inventory.stock.read']) } };
    const id = async (table: 'md_party' | 'md_product', code: string) =>
      (await t!.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    // Locks the demo shows: an expired supplier licence, an expired certificate, a filing-only Class III buyer.
    const stent = await id('md_product', 'P-STENT');
    expect(
      (await checkTrade(ctx, { direction: 'purchase', partyId: await id('md_party', 'SUP-HK'), productId: stent }))
        .allowed,
    ).toBe(true);
    expect(
      (await checkTrade(ctx, { direction: 'purchase', partyId: await id('md_party', 'SUP-OLD'), productId: stent }))
        .blocks[0]!.reason,
    ).toBe('licence_expired');
    expect(
      (await checkTrade(ctx, { direction: 'sale', partyId: await id('md_party', 'RET-01'), productId: stent }))
        .blocks[0]!.reason,
    ).toBe('class_iii_filing_only');
    expect(
      (
        await checkTrade(ctx, {
          direction: 'sale',
          partyId: await id('md_party', 'HOS-01'),
          productId: await id('md_product', 'P-CATH'),
        })
      ).blocks[0]!.reason,
    ).toBe('certificate_expired');
    const stock = await stockOnHand(ctx, {});
    const states = new Set(stock.rows.map((r) => r.state));
    for (const s of ['available', 'near_expiry', 'expired', 'not_qualified']) expect(states).toContain(s);
    // Synthetic identifiers: valid GTINs under a fictitious prefix, ID numbers with wrong check characters.
    expect(parseUdi(demoGtin(0, 1))).toMatchObject({ ok: true });
    for (let i = 0; i < 20; i++) expect(demoIdNumber(i).at(-1)).not.toBe(idCheck(demoIdNumber(i).slice(0, 17)));
    const approvals = await t.db.selectFrom('md_change').select(['status', 'decisionNote']).execute();
    expect(approvals.every((a) => a.status === 'approved' && (a.decisionNote ?? '').includes('demo'))).toBe(true);
  });

  test('GSP-04 the unsigned demo approval is refused to anyone but `medledger demo`', async () => {
    t = await buildTestApp();
    const other = systemCtx(t.runtime, 'cli:keys rotate');
    await expect(approveDemoChange(other, '01900000-0000-7000-8000-0000000000aa')).rejects.toThrow(
      /Only `medledger demo`/,
    );
  });
});
