#!/usr/bin/env node
// `npm test`: runs every test project that can run on this machine, on both databases.
//
// - contract, server-sqlite, web: always.
// - server-postgres: against MEDLEDGER_TEST_DATABASE_URL, or a throwaway cluster started here when
//   the PostgreSQL server binaries are installed. Skipped with a clear message otherwise, unless
//   MEDLEDGER_REQUIRE_POSTGRES=1 (CI), which makes a skip a failure.
// - e2e: the built server and UI in Chromium (CHROMIUM_PATH or /usr/bin/chromium). Same rule with
//   MEDLEDGER_REQUIRE_BROWSER=1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const projects = ['contract', 'server-sqlite', 'web'];
const notes = [];
let failedRequirement = false;
let pgDir;

if (env.MEDLEDGER_TEST_DATABASE_URL) {
  projects.push('server-postgres');
  notes.push(`PostgreSQL: ${env.MEDLEDGER_TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
} else {
  try {
    const out = execFileSync(path.join(root, 'scripts', 'pg-throwaway.sh'), ['start'], { encoding: 'utf8' }).trim();
    const [url, dir] = out.split(' ');
    env.MEDLEDGER_TEST_DATABASE_URL = url;
    pgDir = dir;
    projects.push('server-postgres');
    notes.push(`PostgreSQL: throwaway cluster ${url}`);
  } catch {
    const msg =
      'PostgreSQL tests SKIPPED: no server binaries found and MEDLEDGER_TEST_DATABASE_URL is not set (Debian: apt-get install postgresql).';
    if (env.MEDLEDGER_REQUIRE_POSTGRES === '1') {
      console.error(`${msg} They are required here (MEDLEDGER_REQUIRE_POSTGRES=1).`);
      failedRequirement = true;
    } else {
      notes.push(msg);
    }
  }
}

const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const built = ['apps/server/dist/src/main.js', 'apps/web/dist/index.html'].every((f) => existsSync(path.join(root, f)));
if (existsSync(chromium) && built) {
  projects.push('e2e');
  notes.push(`Browser: ${chromium}`);
} else {
  const why = !existsSync(chromium)
    ? `no Chromium at ${chromium} (Debian: apt-get install chromium)`
    : 'the build is missing (npm run build)';
  const msg = `Browser tests SKIPPED: ${why}.`;
  if (env.MEDLEDGER_REQUIRE_BROWSER === '1') {
    console.error(`${msg} They are required here (MEDLEDGER_REQUIRE_BROWSER=1).`);
    failedRequirement = true;
  } else {
    notes.push(msg);
  }
}

for (const n of notes) console.log(`npm test: ${n}`);
let code = 1;
// The access matrix's success column: the harness writes every successful response here (LOG-01).
const routeLogDir = mkdtempSync(path.join(tmpdir(), 'medledger-routes-'));
env.MEDLEDGER_TEST_ROUTE_LOG_DIR = routeLogDir;
if (!failedRequirement) {
  const reportDir = mkdtempSync(path.join(tmpdir(), 'medledger-report-'));
  const report = path.join(reportDir, 'report.json');
  const args = [
    path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  code = result.status ?? 1;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    console.log(`\nProjects: ${projects.join(', ')}`);
    console.log(
      `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
    );
    if (r.numTotalTests === 0) code = code || 1;
  }
  rmSync(reportDir, { recursive: true, force: true });
  // Only a whole run shows every route; a run of chosen files or tests is not checked.
  const dialects = ['server-sqlite', 'server-postgres'].filter((p) => projects.includes(p)).map((p) => p.slice(7));
  if (code === 0 && process.argv.length === 2 && dialects.length > 0) {
    const matrix = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'access-matrix.mjs'), routeLogDir, ...dialects],
      { cwd: root, stdio: 'inherit' },
    );
    if (matrix.status !== 0) code = 1;
  }
}
rmSync(routeLogDir, { recursive: true, force: true });
if (pgDir) execFileSync(path.join(root, 'scripts', 'pg-throwaway.sh'), ['stop', pgDir]);
for (const n of notes.filter((x) => x.includes('SKIPPED'))) console.log(`npm test: ${n}`);
process.exit(code);
