#!/usr/bin/env node
// The `medledger` command. Runs the compiled server; `npm run build` (run by `npm ci`) produces it.
// argon2 runs on libuv's thread pool (4 threads by default); with up to 4 hashes in flight, file
// and DNS work would queue behind them. This must be set before the pool is first used.
process.env.UV_THREADPOOL_SIZE ??= '8';

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'medledger: the server is not built yet. Run `npm ci` (or `npm run build`) in the repository root first.\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
