import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root, for the tests that read the source tree as text. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * Source files below `dir` (never node_modules or dist) whose names match `names`, optionally
 * without the test files: what the source-tree rules (imports, scans) read.
 */
export function sourceFiles(dir: string, options: { names?: RegExp; withTests?: boolean } = {}): string[] {
  const names = options.names ?? /\.(ts|tsx)$/;
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full, options));
    else if (names.test(name) && (options.withTests !== false || !/\.test\.tsx?$/.test(name))) out.push(full);
  }
  return out;
}
