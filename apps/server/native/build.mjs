#!/usr/bin/env node
// Builds the native AES-256-GCM addon (native/aead, decision 0029) against the headers of the Node
// that runs this script, with the node-gyp that ships with npm. No download: the headers come from
// the Node installation (or npm_config_nodedir). Skips the build when the addon is up to date.
//
// A failed build is not fatal: the server then seals with node:crypto (same format, slower) and
// says so at start-up and in `medledger keys status`. MEDLEDGER_REQUIRE_NATIVE_AEAD=1 (CI) makes
// it fatal.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'aead');
const addon = path.join(dir, 'build', 'Release', 'aead.node');
const stampFile = path.join(dir, 'build', 'medledger-stamp.json');
const required = process.env.MEDLEDGER_REQUIRE_NATIVE_AEAD === '1';
const started = Date.now();

function giveUp(reason, detail = '') {
  const lines = [
    `native AEAD addon NOT built: ${reason}`,
    ...detail
      .trimEnd()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => `  ${l}`),
    'MedLedger still works: field encryption falls back to node:crypto (same format, about a third of the speed).',
    'To build it: a C compiler, make and python3 (Debian: apt-get install build-essential python3), then',
    '`npm run build -w @medledger/server`.',
  ];
  process.stderr.write(`${lines.map((l) => `medledger: ${l}`).join('\n')}\n`);
  process.exit(required ? 1 : 0);
}

/** The folder with include/node/node_api.h and include/node/openssl/evp.h for this Node. */
function nodeDir() {
  const candidates = [
    process.env.npm_config_nodedir,
    path.resolve(path.dirname(realpathSync(process.execPath)), '..'),
  ].filter((d) => typeof d === 'string' && d !== '');
  for (const d of candidates) {
    const inc = path.join(d, 'include', 'node');
    if (existsSync(path.join(inc, 'node_api.h')) && existsSync(path.join(inc, 'openssl', 'evp.h'))) return d;
  }
  return giveUp(
    `no Node headers with OpenSSL found (looked in ${candidates.map((d) => path.join(d, 'include', 'node')).join(', ')})`,
  );
}

/** npm's own node-gyp: the one npm names in lifecycle scripts, else the one next to this Node's npm. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    candidates.push(
      path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  const prefix = path.resolve(path.dirname(realpathSync(process.execPath)), '..');
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package: fine
  }
  const found = candidates.find((c) => typeof c === 'string' && c !== '' && existsSync(c));
  return found ?? giveUp('node-gyp not found (it ships with npm)');
}

const sources = ['aead.c', 'binding.gyp'].map((f) => readFileSync(path.join(dir, f)));
const nodedir = nodeDir();
const stamp = JSON.stringify({
  node: process.version,
  modules: process.versions.modules,
  openssl: process.versions.openssl,
  nodedir,
  sources: createHash('sha256').update(Buffer.concat(sources)).digest('hex'),
});
if (existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  process.stdout.write('medledger: native AEAD addon is up to date\n');
  process.exit(0);
}

const gyp = nodeGyp();
const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], {
  cwd: dir,
  encoding: 'utf8',
  env: { ...process.env, npm_config_nodedir: nodedir },
  timeout: 300_000,
});
if (result.error !== undefined || result.status !== 0) {
  const why = result.error?.message ?? `node-gyp exited with ${result.status ?? result.signal}`;
  giveUp(why, `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-30).join('\n'));
}

// Load it once here, so a broken addon is reported at install time, not only at start-up.
const check = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(addon)}).openssl)`], {
  encoding: 'utf8',
  timeout: 60_000,
});
if (check.status !== 0) giveUp('the built addon does not load', check.stderr);
writeFileSync(stampFile, stamp);
process.stdout.write(
  `medledger: native AEAD addon built against ${check.stdout} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
