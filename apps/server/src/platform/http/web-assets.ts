import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { htmlCsp, newNonce } from './headers.js';
import { rawRoute, type AnyRouteDef } from './route.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

type Asset = { body: Buffer; type: string; etag: string; immutable: boolean };

/**
 * The built web UI, read into memory once at start. Requests are answered only from this map, so
 * no request path ever reaches the file system (no traversal, no directory listing). Source maps
 * and unknown extensions are not served.
 */
export function loadWebAssets(dir: string): { assets: Map<string, Asset>; indexHtml: string | null } {
  const assets = new Map<string, Asset>();
  if (!existsSync(path.join(dir, 'index.html'))) return { assets, indexHtml: null };
  const walk = (sub: string): void => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub === '' ? name : `${sub}/${name}`;
      const full = path.join(dir, rel);
      if (statSync(full).isDirectory()) {
        walk(rel);
        continue;
      }
      const type = TYPES[path.extname(name).toLowerCase()];
      if (type === undefined || name === 'index.html') continue;
      const body = readFileSync(full);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(`/${rel}`, { body, type, etag, immutable: rel.startsWith('assets/') });
    }
  };
  walk('');
  return { assets, indexHtml: readFileSync(path.join(dir, 'index.html'), 'utf8') };
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>MedLedger</title>
<body><h1>MedLedger</h1><p>网页界面尚未构建。请在仓库根目录运行 <code>npm run build</code>。</p>
<p>The web UI has not been built. Run <code>npm run build</code> in the repository root.</p></body></html>`;

/**
 * CFG-05 / ATK-EXPOSE: first path segments that scanners probe for debug pages, metrics and API
 * docs. The web UI has no page there, so they answer 404 like a missing file instead of the app
 * page (a 200 would look like a find). The API description exists only at the guarded
 * `/api/v1/openapi.json`.
 */
const RESERVED_PATHS: ReadonlySet<string> = new Set([
  'debug',
  '_debug',
  'metrics',
  'docs',
  'doc',
  'api-docs',
  'swagger',
  'swagger-ui',
  'redoc',
  'openapi',
  'graphql',
  'graphiql',
  'actuator',
  'server-status',
  'server-info',
  'console',
  'trace',
  'phpinfo',
]);

/** Public routes serving the single-page app: files by exact path, `index.html` for app paths. */
export function webRoutes(dir: string): AnyRouteDef[] {
  const { assets, indexHtml } = loadWebAssets(dir);
  const serve = rawRoute({
    method: 'GET',
    url: '/*',
    summary: 'Web UI (static files and application pages)',
    handler: async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        throw new AppError('not_found', 'There is nothing at this address.');
      }
      const asset = assets.get(pathname);
      if (asset !== undefined) {
        reply.header('etag', asset.etag);
        reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (request.headers['if-none-match'] === asset.etag) {
          await reply.status(304).send();
          return;
        }
        await reply.type(asset.type).send(asset.body);
        return;
      }
      // A missing file (anything with an extension), a hidden path (.git, .env) or a well-known
      // diagnostics address (/debug, /metrics, /docs) is a 404, not the app page; other paths are
      // client-side routes and get the app, which shows its own 404 page.
      if (
        /\.[A-Za-z0-9]+$/.test(pathname) ||
        /(^|\/)\./.test(pathname) ||
        pathname.includes('%') ||
        RESERVED_PATHS.has(pathname.split('/')[1]!.toLowerCase())
      ) {
        throw new AppError('not_found', 'There is nothing at this address.');
      }
      const nonce = newNonce();
      reply.header('content-security-policy', htmlCsp(nonce));
      reply.header('cache-control', 'no-store');
      if (indexHtml === null) {
        await reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
        return;
      }
      await reply.type('text/html; charset=utf-8').send(indexHtml.replaceAll('__CSP_NONCE__', nonce));
    },
  });
  return [serve, { ...serve, url: '/' }];
}
