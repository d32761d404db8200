#!/usr/bin/env node
// The access matrix's success column (least privilege, LOG-01), from a test run.
//
// `npm test` sets MEDLEDGER_TEST_ROUTE_LOG_DIR; the test harness writes one line per successful response
// (route pattern, status, the audit events its request wrote). This script joins those lines with
// the route table (apps/server/test/route-table.txt, itself checked against the live routes) and
// requires, on every database that ran:
//   - every route succeeded at least once for an allowed user (a route added later without a test
//     that uses it successfully fails here, by name);
//   - every successful request wrote the audit events its route declares (`audits=` in the route
//     table): exactly one event of the declared action (or of one of several, `a|b`), one per item
//     of a batch (`each:`), at most one (`optional:`), or none at all (`none`, the default of
//     reads). Other actions may accompany the declared one (an e-signature's own event).
//
// Usage: node scripts/access-matrix.mjs <log dir> <dialect>... [--out <file.md>]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
const [dir, ...dialects] = args;
if (dir === undefined || dialects.length === 0) {
  console.error('usage: node scripts/access-matrix.mjs <log dir> <dialect>... [--out <file.md>]');
  process.exit(2);
}

const routes = readFileSync(path.join(root, 'apps', 'server', 'test', 'route-table.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [method, url, access, audits = 'audits=undeclared'] = l.split(' ');
    return { method, url, access, audits: audits.replace(/^audits=/, ''), key: `${method} ${url}` };
  });

/** Whether the actions one request wrote fit the route's declaration. */
function fits(declared, actions) {
  if (declared === 'undeclared') return false;
  if (declared === 'none') return actions.length === 0;
  const count = (names) => actions.filter((a) => names.includes(a)).length;
  if (declared.startsWith('each:')) return count([declared.slice(5)]) >= 1;
  if (declared.startsWith('optional:')) return count([declared.slice(9)]) <= 1;
  return count(declared.split('|')) === 1;
}

/** key → dialect → { successes, lines: actions[][], actions: Set } */
const seen = new Map();
for (const file of readdirSync(dir)) {
  if (!file.endsWith('.jsonl')) continue;
  for (const raw of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (raw.trim() === '') continue;
    const line = JSON.parse(raw);
    const key = `${line.method} ${line.url}`;
    const byDialect = seen.get(key) ?? new Map();
    seen.set(key, byDialect);
    const s = byDialect.get(line.dialect) ?? { successes: 0, lines: [], actions: new Set() };
    byDialect.set(line.dialect, s);
    s.successes += 1;
    s.lines.push(line.actions);
    for (const a of line.actions) s.actions.add(a);
  }
}

const problems = [];
const rows = [];
for (const r of routes) {
  const cells = [];
  for (const d of dialects) {
    const s = seen.get(r.key)?.get(d);
    if (s === undefined || s.successes === 0) {
      problems.push(`${r.key} (${d}): never succeeded in any test — add a test where an allowed user uses it`);
      cells.push('—');
      continue;
    }
    const bad = s.lines.filter((actions) => !fits(r.audits, actions));
    if (bad.length > 0) {
      problems.push(
        `${r.key} (${d}): ${bad.length} of ${s.successes} successful requests did not write what the route declares (${r.audits}); e.g. ${bad[0].join(', ') || 'no event'}`,
      );
    }
    cells.push(`${s.successes}× ${bad.length === 0 ? '✓' : '✗'} · ${[...s.actions].join(', ') || 'no event'}`);
  }
  rows.push(`| ${r.method} | \`${r.url}\` | ${r.access} | ${r.audits} | ${cells.join(' | ')} |`);
}

const table = [
  `| Method | Route | Access | Audits | ${dialects.map((d) => `Allowed user (${d})`).join(' | ')} |`,
  `|---|---|---|---|${dialects.map(() => '---').join('|')}|`,
  ...rows,
].join('\n');
if (out !== undefined) writeFileSync(out, `# Access matrix: successes and audit events per route\n\n${table}\n`);
const covered = routes.filter((r) => dialects.every((d) => (seen.get(r.key)?.get(d)?.successes ?? 0) > 0)).length;
console.log(
  `access matrix: ${covered}/${routes.length} routes succeeded for an allowed user on ${dialects.join(' and ')}; ${problems.length} problem(s)`,
);
for (const p of problems) console.log(`  ✗ ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
