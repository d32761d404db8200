import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { apiRoutes, openApiSettings, type ApiRouteOptions } from '../app.js';
import type { Config } from '../config.js';
import { systemClock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { openApiDocument } from '../platform/http/openapi.js';

/**
 * A database handle that never connects: the routes keep `db` for their handlers, which never run
 * when the API is only being described. A query on it would return nothing rather than touch a file.
 */
function detachedDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}

/**
 * The OpenAPI document exactly as `GET /api/v1/openapi.json` serves it under this configuration
 * (public URL, upload limit), built from the route declarations without a database or a server.
 */
export function openApiFromConfig(config: Pick<Config, 'publicUrl' | 'uploadMaxMb' | 'database'>): {
  document: Record<string, unknown>;
  text: string;
} {
  const maxBytes = config.uploadMaxMb * 1024 * 1024;
  const options: ApiRouteOptions = {
    runtime: { db: detachedDb(), dialect: config.database.dialect, clock: systemClock, files: { dir: null, maxBytes } },
    settings: { publicUrl: config.publicUrl, uploadMaxBytes: maxBytes },
  };
  const document = openApiDocument(apiRoutes(options), openApiSettings(options));
  return { document, text: `${JSON.stringify(document, null, 2)}\n` };
}
