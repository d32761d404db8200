import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { AppOptions } from '../src/app.js';
import { runInBackground } from '../src/platform/background.js';
import type { Runtime } from '../src/platform/runtime.js';

/**
 * LOG-01 / the access matrix's last column: when `MEDLEDGER_TEST_ROUTE_LOG_DIR` is set (`npm test` sets
 * it), every successful response of every test app is written down with the audit events its request
 * wrote — route pattern, status, actions. After the run, `scripts/access-matrix.mjs` joins these
 * lines with the route table: each route must have succeeded at least once on each database, and each
 * successful change must have written exactly one audit event of its own.
 */
export type RouteLogLine = { dialect: string; method: string; url: string; status: number; actions: string[] };

const LOG_FILE = (dir: string, dialect: string) =>
  path.join(dir, `${dialect}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);

export function routeLogObserver(runtime: Runtime, dialect: string): AppOptions['observeResponse'] {
  const dir = process.env.MEDLEDGER_TEST_ROUTE_LOG_DIR;
  if (dir === undefined || dir === '') return undefined;
  const file = LOG_FILE(dir, dialect);
  return (request, reply) => {
    const url = request.routeOptions.url;
    if (reply.statusCode >= 400 || url === undefined || request.method === 'HEAD') return;
    const line = { dialect, method: request.method, url, status: reply.statusCode };
    // The request's transaction has committed before its response was sent: its events are there.
    const written = runtime.db
      .selectFrom('audit_event')
      .select('canonical')
      .where('canonical', 'like', `%"requestId":"${request.id}"%`)
      .execute()
      .then((rows) => {
        const actions = rows.map((r) => (JSON.parse(r.canonical) as { action: string }).action).sort();
        appendFileSync(file, `${JSON.stringify({ ...line, actions } satisfies RouteLogLine)}\n`);
      })
      .catch(() => undefined);
    runInBackground(runtime, written);
  };
}
