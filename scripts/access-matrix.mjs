#!/usr/bin/env node
// The access matrix's success column (issue "least privilege", LOG-01), from a test run.
//
// `npm test` sets MEDLEDGER_ROUTE_LOG_DIR; the test harness writes one line per successful response
// (route pattern, status, the audit events its request wrote). This script joins those lines with
// the route table (apps/server/test/route-table.txt, itself checked against the live routes) and
// requires, on every database that ran:
//   - every route succeeded at least once for an allowed user (a route added later without a test
//     that uses it successfully fails here, by name);
//   - every successful change (POST, PUT, PATCH, DELETE) wrote exactly one audit event of its own.
// Reads write no event, except reads of personal data, exports and downloads, which write one
// (LOG-01): a read that wrote more than one fails too.
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
    const [method, url, access] = l.split(' ');
    return { method, url, access, key: `${method} ${url}` };
  });

/** key → dialect → { successes, eventCounts: Map<count, n>, actions: Set } */
const seen = new Map();
for (const file of readdirSync(dir)) {
  if (!file.endsWith('.jsonl')) continue;
  for (const raw of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (raw.trim() === '') continue;
    const line = JSON.parse(raw);
    const key = `${line.method} ${line.url}`;
    const byDialect = seen.get(key) ?? new Map();
    seen.set(key, byDialect);
    const s = byDialect.get(line.dialect) ?? { successes: 0, counts: new Map(), actions: new Set() };
    byDialect.set(line.dialect, s);
    s.successes += 1;
    s.counts.set(line.actions.length, (s.counts.get(line.actions.length) ?? 0) + 1);
    for (const a of line.actions) s.actions.add(a);
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
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
    const counts = [...s.counts.keys()].sort((a, b) => a - b);
    if (MUTATING.has(r.method) && counts.some((c) => c !== 1)) {
      problems.push(
        `${r.key} (${d}): a successful change wrote ${counts.filter((c) => c !== 1).join(' or ')} audit events instead of exactly one (${[...s.actions].join(', ') || 'none'})`,
      );
    }
    if (!MUTATING.has(r.method) && counts.some((c) => c > 1)) {
      problems.push(`${r.key} (${d}): a read wrote ${Math.max(...counts)} audit events (at most one)`);
    }
    cells.push(`${s.successes}× · ${counts.join('/')} ev · ${[...s.actions].join(', ') || '–'}`);
  }
  rows.push(`| ${r.method} | \`${r.url}\` | ${r.access} | ${cells.join(' | ')} |`);
}

const table = [
  `| Method | Route | Access | ${dialects.map((d) => `Allowed user (${d})`).join(' | ')} |`,
  `|---|---|---|${dialects.map(() => '---').join('|')}|`,
  ...rows,
].join('\n');
if (out !== undefined) writeFileSync(out, `# Access matrix: successes and audit events per route\n\n${table}\n`);
const covered = routes.filter((r) => dialects.every((d) => (seen.get(r.key)?.get(d)?.successes ?? 0) > 0)).length;
console.log(
  `access matrix: ${covered}/${routes.length} routes succeeded for an allowed user on ${dialects.join(' and ')}; ${problems.length} problem(s)`,
);
for (const p of problems) console.log(`  ✗ ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
