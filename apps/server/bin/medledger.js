#!/usr/bin/env node
// The `medledger` command. Runs the compiled server; `npm run build` (run by `npm ci`) produces it.
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
