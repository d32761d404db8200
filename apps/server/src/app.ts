import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { migrations } from '../migrations/index.js';
import { accessRoutes, resolveRoles } from './modules/access/index.js';
import { auditRoutes, record, recordDetached, type AuditInput } from './modules/audit/index.js';
import {
  DORMANT_DAYS_DEFAULT,
  IDENTITY_SEALED_COLUMNS,
  createSmsSender,
  identityRoutes,
  passkeyRoutes,
  sessionAuthenticator,
  type SmsSettings,
} from './modules/identity/index.js';
import { trainingRoutes } from './modules/training/index.js';
import { MASTER_DATA_SEALED_COLUMNS, masterDataRoutes } from './modules/master-data/index.js';
import { inventoryLedgerRoutes, inventoryRoutes } from './modules/inventory/index.js';
import { salesLedgerRoutes, salesRoutes, type CompanyProfile } from './modules/sales/index.js';
import { procurementLedgerRoutes, procurementRoutes } from './modules/procurement/index.js';
import { FILES_SEALED_COLUMNS } from './modules/files/index.js';
import { CLINICAL_SEALED_COLUMNS, clinicalRoutes } from './modules/clinical/index.js';
import {
  aeadStatus,
  loadMasterKey,
  openKeyRing,
  runSelfTests,
  type MasterKey,
  type SealedColumn,
} from './modules/keys/index.js';
import type { Clock } from './platform/clock.js';
import type { DbHandle } from './platform/db/create-db.js';
import { DEFAULT_ADMIN_ACCESS } from './platform/http/admin-access.js';
import { systemCtx, type Authenticator } from './platform/http/ctx.js';
import { DEFAULT_UPLOAD_MAX_BYTES, getActor, registerRoutes, type AnyRouteDef } from './platform/http/route.js';
import { createHttpApp, type HttpOptions, type RefusedRequest } from './platform/http/server.js';
import { openApiDocument, type OpenApiSettings } from './platform/http/openapi.js';
import { openApiRoute, systemRoutes } from './platform/http/system.routes.js';
import type { TlsCertificateInfo } from './platform/http/tls.js';
import { webRoutes } from './platform/http/web-assets.js';
import { drainBackground } from './platform/background.js';
import type { Runtime } from './platform/runtime.js';
import { rateLimiter } from './platform/rate-limit.js';

/** AUTH-08 / parameter sheet: sign-in attempts per client IP per minute. */
const LOGIN_ATTEMPTS_PER_IP_PER_MINUTE = 20;
/** AUTH-15 / parameter sheet: text-message code sends per client IP per hour. */
const SMS_SENDS_PER_IP_PER_HOUR = 20;
import { serverVersion } from './paths.js';

export type RuntimeOptions = {
  database: DbHandle;
  clock: Clock;
  logger: Logger;
  keys: { masterKey?: string | undefined; masterKeyFile: string };
  audit: { witnessDir: string; checkpointEvents: number; checkpointSeconds: number };
  identity?: { passwordProfile: 'asvs' | 'dengbao'; dormantDays?: number };
  /** Text-message codes (AUTH-15); off when absent. */
  sms?: SmsSettings;
  /** FILE-02: uploaded documents go to `dir` (`<data>/files`); absent in tools that store none. */
  files?: { dir: string; maxBytes: number };
  /** Our company as printed on delivery slips (GSP art. 92); slips are refused while it is absent. */
  company?: CompanyProfile | null;
  /** Extra sealed columns besides the modules' {@link SEALED_COLUMNS} (tests add their own). */
  sealedColumns?: SealedColumn[];
};

/** Every column sealed by `keys`, from every module: rotation rewraps them and retirement checks them. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  ...IDENTITY_SEALED_COLUMNS,
  ...FILES_SEALED_COLUMNS,
  ...MASTER_DATA_SEALED_COLUMNS,
  ...CLINICAL_SEALED_COLUMNS,
];

/**
 * Assembles the long-lived services: runs the cryptographic self-tests (refusing to start on a
 * failure), loads the master key and the key ring, and wires the audit trail to its MAC and
 * checkpoint signer. Keys created on this start are audited once the trail can record them.
 */
export async function createRuntime(options: RuntimeOptions): Promise<{ runtime: Runtime; master: MasterKey }> {
  runSelfTests();
  const aead = aeadStatus();
  const log =
    aead.engine === 'native' ? options.logger.info.bind(options.logger) : options.logger.warn.bind(options.logger);
  log({ engine: aead.engine }, `field encryption: AES-256-GCM via ${aead.detail}`);
  const master = loadMasterKey(options.keys);
  const { db, dialect } = options.database;
  // keys and audit are both layer 1: each receives what it needs of the other from here.
  const { ring, created } = await openKeyRing(
    db,
    master.key,
    options.clock.now(),
    [...SEALED_COLUMNS, ...(options.sealedColumns ?? [])],
    {
      record,
      recordDetached,
    },
  );
  const fingerprint = createHash('sha256').update(ring.auditSigner.publicKey).digest('hex').slice(0, 16);
  const origin = `medledger/audit/${fingerprint}`;
  const runtime: Runtime = {
    db,
    dialect,
    ...(options.database.sqlite ? { sqlite: options.database.sqlite } : {}),
    clock: options.clock,
    log: options.logger,
    keys: ring,
    files: { dir: options.files?.dir ?? null, maxBytes: options.files?.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES },
    sales: { company: options.company ?? null },
    identity: {
      passwordProfile: options.identity?.passwordProfile ?? 'asvs',
      dormantDays: options.identity?.dormantDays ?? DORMANT_DAYS_DEFAULT,
      // identity (layer 2) learns about role assignments from access (layer 4) only through this.
      roles: resolveRoles,
      loginLimiter: rateLimiter({ limit: LOGIN_ATTEMPTS_PER_IP_PER_MINUTE, windowMs: 60_000 }),
      sms: {
        sender: createSmsSender(options.sms ?? { provider: 'off' }),
        addressLimiter: rateLimiter({ limit: SMS_SENDS_PER_IP_PER_HOUR, windowMs: 3_600_000 }),
      },
    },
    audit: {
      mac: ring.auditMac,
      signer: { keyName: origin, ...ring.auditSigner },
      origin,
      witnessDir: options.audit.witnessDir,
      checkpointEvery: { events: options.audit.checkpointEvents, seconds: options.audit.checkpointSeconds },
    },
  };
  const ctx = systemCtx(runtime, 'startup');
  if (master.generated && master.file !== null) {
    await recordDetached(ctx, { action: 'keys.master.generated', outcome: 'success', data: { file: master.file } });
  }
  for (const k of created) {
    await recordDetached(ctx, { action: 'keys.key.created', outcome: 'success', data: k });
  }
  return { runtime, master };
}

export type AppOptions = {
  runtime: Runtime;
  settings: {
    bodyLimitBytes: number;
    trustedProxies: readonly string[];
    publicUrl: string;
    webDir: string;
    /** FILE-01: the most any upload route accepts; {@link DEFAULT_UPLOAD_MAX_BYTES} when absent. */
    uploadMaxBytes?: number;
    /** AC-11: management networks (loopback only when absent). */
    adminNetworks?: readonly string[];
    /** AC-11: `passkey` makes administration need a passkey sign-in. */
    adminMfa?: 'any' | 'passkey';
  };
  authenticate?: Authenticator;
  tls?: HttpOptions['tls'];
  /** TRN-03: the served certificate's subject and expiry, shown in the system information. */
  tlsCertificate?: TlsCertificateInfo;
  /** Extra routes; tests use this to exercise the platform rules. */
  extraRoutes?: readonly AnyRouteDef[];
  startedAt?: Date;
  /** Called after every response (the test harness builds the access matrix's success column from it). */
  observeResponse?: (request: FastifyRequest, reply: FastifyReply) => void;
};

/** What {@link apiRoutes} needs: no database connection is opened, the routes only keep `db` for later. */
export type ApiRouteOptions = {
  runtime: Pick<Runtime, 'db' | 'dialect' | 'clock' | 'files'>;
  settings: Pick<AppOptions['settings'], 'publicUrl' | 'uploadMaxBytes'>;
  extraRoutes?: readonly AnyRouteDef[];
  startedAt?: Date;
  /** TRN-03: the served certificate, for the system information (absent in the CLI). */
  tlsCertificate?: TlsCertificateInfo;
};

/**
 * Every API route (all but the web UI), in registration order, including the OpenAPI description
 * of exactly these routes. `medledger openapi` builds them without a database or a server.
 */
export function apiRoutes(options: ApiRouteOptions): AnyRouteDef[] {
  const { runtime } = options;
  const routes: AnyRouteDef[] = [
    ...systemRoutes({
      db: runtime.db,
      dialect: runtime.dialect,
      migrations,
      version: serverVersion(),
      startedAt: options.startedAt ?? runtime.clock.now(),
      tlsCertificate: options.tlsCertificate,
    }),
    openApiRoute(() => openApiDocument(routes, openApiSettings(options))),
    ...identityRoutes,
    ...passkeyRoutes(options.settings.publicUrl),
    ...auditRoutes,
    ...accessRoutes,
    ...trainingRoutes,
    ...masterDataRoutes,
    ...inventoryRoutes,
    ...salesRoutes,
    ...procurementRoutes,
    ...inventoryLedgerRoutes,
    ...salesLedgerRoutes,
    ...procurementLedgerRoutes,
    ...clinicalRoutes,
    ...(options.extraRoutes ?? []),
  ];
  return routes;
}

/** The settings of the OpenAPI document: the same whether the server serves it or the CLI prints it. */
export function openApiSettings(options: ApiRouteOptions): OpenApiSettings {
  return {
    version: serverVersion(),
    publicUrl: options.settings.publicUrl,
    uploadMaxBytes: options.settings.uploadMaxBytes ?? options.runtime.files.maxBytes,
  };
}

/** Every route of the application, in registration order: API first, the web UI last. */
export function applicationRoutes(options: AppOptions): AnyRouteDef[] {
  return [...apiRoutes(options), ...webRoutes(options.settings.webDir)];
}

/** LOG-01: refused and failed requests are audited in their own transaction. 404s are not. */
function auditRefusal(runtime: Runtime): (refused: RefusedRequest) => Promise<void> {
  return async ({ request, status, body }) => {
    const route = request.routeOptions.url ?? 'unknown';
    const base = { method: request.method, route, status };
    let input: AuditInput;
    if (status === 401 || status === 403) {
      input = {
        action: 'http.request.denied',
        outcome: 'denied',
        reason: body.code,
        data: { ...base, code: body.code },
      };
    } else if (status >= 500) {
      input = { action: 'http.request.failed', outcome: 'failure', reason: body.code, data: base };
    } else if (status === 404) {
      return;
    } else {
      const fields = (body.issues ?? []).map((i) => i.path).slice(0, 50);
      input = {
        action: 'http.request.rejected',
        outcome: 'failure',
        reason: body.code,
        data: { ...base, code: body.code, fields },
      };
    }
    await recordDetached(
      {
        actor: getActor(request),
        now: runtime.clock.now(),
        requestId: request.id,
        ip: request.ip,
        userAgent: String(request.headers['user-agent'] ?? '').slice(0, 512),
        runtime,
      },
      input,
    );
  };
}

/**
 * The composition root: builds Fastify with the platform rules, then registers every module's
 * routes. Throws (and the server does not start) if any route lacks an access declaration.
 */
export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; routes: AnyRouteDef[] }> {
  const { runtime } = options;
  const app = createHttpApp({
    logger: runtime.log,
    authenticate: options.authenticate ?? sessionAuthenticator(runtime),
    bodyLimitBytes: options.settings.bodyLimitBytes,
    trustedProxies: options.settings.trustedProxies,
    publicOrigin: new URL(options.settings.publicUrl).origin,
    adminAccess: {
      networks: options.settings.adminNetworks ?? DEFAULT_ADMIN_ACCESS.networks,
      mfa: options.settings.adminMfa ?? DEFAULT_ADMIN_ACCESS.mfa,
    },
    onRefused: auditRefusal(runtime),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  // Shutting down waits for background jobs (imports) before the database is closed after it.
  app.addHook('onClose', async () => {
    const left = await drainBackground(runtime);
    if (left > 0) runtime.log.warn({ jobs: left }, 'background jobs still running at shutdown');
  });
  const observe = options.observeResponse;
  if (observe !== undefined) {
    app.addHook('onResponse', (request, reply, done) => {
      observe(request, reply);
      done();
    });
  }
  const routes = applicationRoutes(options);
  registerRoutes(app, routes, {
    runtime,
    uploadMaxBytes: options.settings.uploadMaxBytes ?? runtime.files.maxBytes,
  });
  await app.ready();
  return { app, routes };
}
