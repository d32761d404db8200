import { spawnSync } from 'node:child_process';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BIN,
  firstAdminInBrowser,
  launchChromium,
  openPage,
  startMedLedger,
  type E2eServer,
  type Watched,
} from './support';

/**
 * Every screen of the menu opens in the built UI, in a real browser, under the nonce CSP: the first
 * administrator (every permission) with the synthetic demo company loaded, so lists render rows.
 * A page passes when its title shows, no script error was raised, no CSP violation happened and the
 * route error page did not appear — in Chinese and in English.
 */
const SCREENS = [
  '/',
  '/audit',
  '/security',
  '/users',
  '/access/approvals',
  '/access/data-classification',
  '/training',
  '/training/certificates',
  '/training/undertaking',
  '/training/report',
  '/training/assignments',
  '/master-data/parties',
  '/master-data/products',
  '/master-data/review',
  '/master-data/expiry',
  '/master-data/trade-check',
  '/master-data/warehouses',
  '/master-data/import',
  '/procurement',
  '/sales',
  '/sales/returns',
  '/sales/supplier-returns',
  '/sales/disposals',
  '/inventory',
  '/inventory/climate',
  '/inventory/stocktakes',
  '/inventory/maintenance',
  '/gsp/ledgers',
  '/clinical',
  '/clinical/break-glass',
  '/clinical/break-glass/reviews',
];

let server: E2eServer;
let browser: Browser;
let watched: Watched;
let base: string;

beforeAll(async () => {
  server = await startMedLedger();
  base = `https://localhost:${server.port}`;
  browser = await launchChromium();
  watched = await openPage(browser);
  await firstAdminInBrowser(watched.page, server.setupLink());
  // The demo company, loaded from the server host while the server runs (as the README says).
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MEDLEDGER_')) env[k] = v;
  const demo = spawnSync(process.execPath, [BIN, 'demo'], { cwd: server.cwd, env, encoding: 'utf8' });
  expect(demo.status, `${demo.stdout}\n${demo.stderr}`).toBe(0);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('every screen opens in the browser under the CSP', () => {
  test.each(['en', 'zh-CN'])(
    'CFG-02 every menu screen shows its title with the demo company loaded, without script errors or CSP violations (%s)',
    async (lang) => {
      const { page } = watched;
      await page.evaluate((l) => localStorage.setItem('medledger.lang', l), lang);
      const pageErrors: string[] = [];
      const onError = (e: Error) => pageErrors.push(`${page.url()}: ${e.message}`);
      page.on('pageerror', onError);
      const broken: string[] = [];
      for (const path of SCREENS) {
        await page.goto(`${base}${path}`);
        await page.locator('h2').first().waitFor({ timeout: 20_000 });
        // Give the page's queries a moment to answer and render their rows or errors.
        await page.waitForLoadState('networkidle');
        const routeError = await page.getByText(lang === 'en' ? 'Something went wrong' : '页面出现问题').count();
        // A failed API call shows an error alert: none may appear for an administrator on demo data.
        const apiErrors = await page.locator('.ant-alert-error').allTextContents();
        if (routeError > 0 || apiErrors.length > 0) broken.push(`${path} ${apiErrors.join(' | ')}`);
      }
      // The demo company is on the screens: its products and its stock in several zones.
      await page.goto(`${base}/master-data/products`);
      await page.locator('tbody tr.ant-table-row').nth(2).waitFor();
      await page.goto(`${base}/inventory`);
      await page.locator('tbody tr.ant-table-row').nth(2).waitFor();
      page.off('pageerror', onError);
      expect(broken).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(await watched.violations()).toEqual([]);
      expect(watched.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    },
    300_000,
  );

  test('PRIV-11 PRIV-07 ATK-PRIV after every screen (patients, users, parties) the browser keeps no personal data: only the language and the signed-in flag, no readable cookie', async () => {
    const { page } = watched;
    // The clinical list shows patients masked; then look at what the browser stored.
    await page.goto(`${base}/clinical`);
    await page.locator('h2').first().waitFor();
    await page.waitForLoadState('networkidle');
    const stored = await page.evaluate(async () => {
      const entries = (s: Storage) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
      return {
        local: entries(localStorage),
        session: entries(sessionStorage),
        cookie: document.cookie,
        indexedDb: (await indexedDB.databases()).map((d) => d.name),
        caches: await caches.keys(),
      };
    });
    expect(Object.keys(stored.local)).toEqual(['medledger.lang']);
    expect(stored.local['medledger.lang']).toMatch(/^(en|zh-CN)$/);
    expect(stored.session).toEqual({ 'medledger.signedIn': '1' });
    expect(stored.cookie).toBe(''); // the session cookie is HttpOnly
    expect(stored.indexedDb).toEqual([]);
    expect(stored.caches).toEqual([]);
  });
});
