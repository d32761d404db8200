import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the server package (apps/server), from sources or from the compiled build. */
export function serverPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@medledger/server') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot locate the @medledger/server package root');
    dir = parent;
  }
}

export function serverVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(serverPackageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where the built web UI is, unless configured: apps/web/dist next to the server package. */
export function defaultWebDir(): string {
  return path.resolve(serverPackageRoot(), '..', 'web', 'dist');
}
