import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { sourceFiles } from './source-files.js';

/**
 * The import rules of ARCHITECTURE.md, enforced: contract imports only zod; platform never imports
 * modules; a module imports only lower layers, and only through their index.ts; migrations import
 * only kysely; the web app never imports server code.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  audit: 1,
  keys: 1,
  identity: 2,
  files: 2,
  training: 3,
  access: 4,
  'master-data': 5,
  inventory: 6,
  procurement: 7,
  sales: 7,
  clinical: 7,
  traceability: 8,
  recalls: 9,
  'adverse-events': 9,
  compliance: 10,
  integrations: 10,
};

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

/** Returns why `specifier` imported from `file` (repo-relative) breaks a rule, or null. */
export function violation(file: string, specifier: string): string | null {
  if (/\.test\.tsx?$/.test(file) && (specifier === 'vitest' || specifier.startsWith('@testing-library/'))) return null;
  const isRelative = specifier.startsWith('.');
  const target = isRelative ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : null;
  // Server tests may reach into the server (harness, migrations, composition root); the rules are for product code.
  if (/\.test\.tsx?$/.test(file) && file.startsWith('apps/server/') && target?.startsWith('apps/server/')) return null;

  if (file.startsWith('packages/contract/src/')) {
    if (specifier === 'zod') return null;
    if (target?.startsWith('packages/contract/src/')) return null;
    return 'contract may import only zod and its own files';
  }
  if (file.startsWith('apps/server/migrations/')) {
    if (specifier === 'kysely') return null;
    if (target?.startsWith('apps/server/migrations/')) return null;
    return 'migrations may import only kysely and each other (frozen in time)';
  }
  if (file.startsWith('apps/web/')) {
    if (specifier.startsWith('@medledger/') && specifier !== '@medledger/contract') {
      return 'web may import only the contract package';
    }
    if (target !== null && !target.startsWith('apps/web/')) return 'web may not import files outside apps/web';
    return null;
  }
  if (file.startsWith('apps/server/src/platform/')) {
    if (target?.startsWith('apps/server/src/modules/')) return 'platform never imports modules';
    if (target !== null && !target.startsWith('apps/server/src/platform/')) {
      return 'platform imports only platform files';
    }
    return null;
  }
  const own = /^apps\/server\/src\/modules\/([^/]+)\//.exec(file)?.[1];
  if (own !== undefined) {
    if (!(own in LAYERS)) return `module "${own}" is not in the layer table`;
    if (target === null) {
      return specifier.startsWith('@medledger/') && specifier !== '@medledger/contract'
        ? 'modules import only the contract package'
        : null;
    }
    if (target.startsWith(`apps/server/src/modules/${own}/`)) return null;
    if (target.startsWith('apps/server/src/platform/')) return null;
    const other = /^apps\/server\/src\/modules\/([^/]+)(\/.*)?$/.exec(target);
    if (other === null) return 'modules import only platform, contract, lower modules and their own files';
    const [, name, rest] = other;
    if (rest !== '/index.js' && rest !== '/index.ts' && rest !== undefined) {
      return `import module "${name}" through its index.ts`;
    }
    if (!(name! in LAYERS)) return `module "${name}" is not in the layer table`;
    if (LAYERS[name!]! >= LAYERS[own]!) {
      return `module "${own}" (layer ${LAYERS[own]}) may not import "${name}" (layer ${LAYERS[name!]})`;
    }
    return null;
  }
  return null;
}

describe('architecture: import rules', () => {
  test('the checker itself catches each kind of violation', () => {
    expect(violation('packages/contract/src/a.ts', 'node:fs')).toMatch(/only zod/);
    expect(violation('packages/contract/src/a.ts', 'zod')).toBeNull();
    expect(violation('apps/server/src/platform/http/x.ts', '../../modules/identity/index.js')).toMatch(
      /never imports modules/,
    );
    expect(violation('apps/server/src/modules/identity/a.ts', '../audit/audit.repo.js')).toMatch(/through its index/);
    expect(violation('apps/server/src/modules/identity/a.ts', '../access/index.js')).toMatch(/may not import "access"/);
    expect(violation('apps/server/src/modules/access/a.ts', '../identity/index.js')).toBeNull();
    expect(violation('apps/server/src/modules/sales/a.ts', '../procurement/index.js')).toMatch(/layer 7/);
    expect(violation('apps/server/src/modules/widgets/a.ts', 'zod')).toMatch(/not in the layer table/);
    expect(violation('apps/server/migrations/x.ts', '../src/platform/db/database.js')).toMatch(/frozen/);
    expect(violation('apps/web/src/a.ts', '../../server/src/app.js')).toMatch(/outside apps\/web/);
    expect(
      importsOf("import a from 'x';\nexport { b } from \"./y.js\";\nconst c = await import('z');\nimport './side.js';"),
    ).toEqual(['x', './y.js', 'z', './side.js']);
  });

  test('the source tree follows the import rules', () => {
    const dirs = ['packages/contract/src', 'apps/server/src', 'apps/server/migrations', 'apps/web/src'];
    const problems: string[] = [];
    let checked = 0;
    for (const dir of dirs) {
      for (const file of sourceFiles(path.join(ROOT, dir))) {
        const r = rel(file);
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          checked++;
          const v = violation(r, spec);
          if (v !== null) problems.push(`${r}: '${spec}': ${v}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
