#!/usr/bin/env node
// `npm run bench`: runs the benchmark suite from TypeScript sources (see apps/server/bench/run.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  [
    '--conditions=medledger-source',
    '--import',
    'tsx',
    path.join(root, 'apps', 'server', 'bench', 'run.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } },
);
process.exit(result.status ?? 1);
