import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { migrations } from '../migrations/index.js';
import type { Clock } from './platform/clock.js';
import type { DbHandle } from './platform/db/create-db.js';
import { noAuthenticator, type Authenticator } from './platform/http/ctx.js';
import { registerRoutes, type AnyRouteDef } from './platform/http/route.js';
import { createHttpApp, type HttpOptions } from './platform/http/server.js';
import { systemRoutes } from './platform/http/system.routes.js';
import { webRoutes } from './platform/http/web-assets.js';
import { identityRoutes } from './modules/identity/index.js';
import { serverVersion } from './paths.js';

export type AppOptions = {
  database: DbHandle;
  clock: Clock;
  logger: Logger;
  settings: { bodyLimitBytes: number; trustedProxies: readonly string[]; publicUrl: string; webDir: string };
  authenticate?: Authenticator;
  tls?: HttpOptions['tls'];
  /** Extra routes; tests use this to exercise the platform rules. */
  extraRoutes?: readonly AnyRouteDef[];
  startedAt?: Date;
};

/** Every route of the application, in registration order: API first, the web UI last. */
export function applicationRoutes(options: AppOptions): AnyRouteDef[] {
  return [
    ...systemRoutes({
      db: options.database.db,
      dialect: options.database.dialect,
      migrations,
      version: serverVersion(),
      startedAt: options.startedAt ?? options.clock.now(),
    }),
    ...identityRoutes,
    ...(options.extraRoutes ?? []),
    ...webRoutes(options.settings.webDir),
  ];
}

/**
 * The composition root: builds Fastify with the platform rules, then registers every module's
 * routes. Throws (and the server does not start) if any route lacks an access declaration.
 */
export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; routes: AnyRouteDef[] }> {
  const app = createHttpApp({
    logger: options.logger,
    authenticate: options.authenticate ?? noAuthenticator,
    bodyLimitBytes: options.settings.bodyLimitBytes,
    trustedProxies: options.settings.trustedProxies,
    publicOrigin: new URL(options.settings.publicUrl).origin,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  const routes = applicationRoutes(options);
  registerRoutes(app, routes, { db: options.database.db, clock: options.clock });
  await app.ready();
  return { app, routes };
}
