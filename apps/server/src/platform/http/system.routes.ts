import { HealthResponse, SystemInfoResponse } from '@medledger/contract';
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { migrationStatus } from '../db/migrator.js';
import { OpenApiDocumentResponse } from './openapi.js';
import { route, type AnyRouteDef } from './route.js';
import { tlsExpiry, type TlsCertificateInfo } from './tls.js';

/** Health and system information: the routes that belong to the platform itself. */
export function systemRoutes(options: {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  migrations: Readonly<Record<string, Migration>>;
  version: string;
  startedAt: Date;
  /** The certificate this process serves, when it terminates TLS itself. */
  tlsCertificate?: TlsCertificateInfo | undefined;
}): AnyRouteDef[] {
  const certificate = options.tlsCertificate;
  return [
    route({
      method: 'GET',
      url: '/healthz',
      public: true,
      summary: 'Liveness and database reachability (minimal, no details)',
      response: HealthResponse,
      handler: async () => {
        try {
          await sql`select 1`.execute(options.db);
          return { status: 'ok' as const };
        } catch {
          return { status: 'degraded' as const };
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/system/info',
      permission: 'system.info.read',
      summary: 'Server version, database kind, migration state and TLS certificate expiry',
      response: SystemInfoResponse,
      handler: async (ctx) => {
        const status = await migrationStatus(options.db, options.migrations);
        return {
          version: options.version,
          database: options.dialect,
          migrations: { applied: status.applied.length, pending: status.pending.length },
          startedAt: options.startedAt.toISOString(),
          tls: certificate === undefined ? null : { ...certificate, ...tlsExpiry(certificate, ctx.now) },
        };
      },
    }),
  ];
}

/**
 * CFG-05 / ATK-EXPOSE: the API description, only for holders of `system.apiDocs.read` (the system
 * administrator), which makes it an administrative interface: management networks only (AC-11).
 * `document` builds it once, on the first request; nothing else publishes API docs.
 */
export function openApiRoute(document: () => Record<string, unknown>): AnyRouteDef {
  let built: Record<string, unknown> | undefined;
  return route({
    method: 'GET',
    url: '/api/v1/openapi.json',
    permission: 'system.apiDocs.read',
    summary: 'The OpenAPI 3.1 description of this API',
    audits: 'none',
    response: OpenApiDocumentResponse,
    handler: async () => {
      built ??= document();
      return Promise.resolve(built);
    },
  });
}
