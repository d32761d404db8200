import {
  FILE_NAME_HEADER,
  FILE_NAME_MAX_LENGTH,
  isPermission,
  STORED_FILE_MEDIA_TYPES,
  type AuditAction,
  type Permission,
  type StoredFileMediaType,
  type ValidationIssue,
} from '@medledger/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { AppError } from '../errors.js';
import type { Actor, Ctx, ReplySink, SessionRef } from './ctx.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Exactly one of these per route (deny by default: there is no fourth option). `signedIn`: any user
 * with a complete session (their own account's pages: sessions, factors, notifications), no
 * permission needed; `permission`: a complete session whose roles include it; `public`: no session
 * needed (the handler checks any sign-in stage itself).
 */
type Access =
  | { permission: Permission; public?: undefined; signedIn?: undefined }
  | { signedIn: true; permission?: undefined; public?: undefined }
  | { public: true; permission?: undefined; signedIn?: undefined };

/**
 * LOG-01: what a successful request of the route writes to the audit trail, declared on the route
 * and checked by the access matrix against every successful request of the test suite:
 * - an action: exactly one event of that action (other actions may accompany it, e.g. the
 *   e-signature's own event);
 * - several actions: exactly one event of one of them (approve or reject);
 * - `{ each: action }`: one event per item of a batch, at least one;
 * - `{ optional: action }`: at most one (sign-out, which may find no session to end);
 * - `'none'`: no event at all.
 * Reads (`GET`) write nothing unless declared; every other method must declare.
 */
export type RouteAudit =
  'none' | AuditAction | readonly [AuditAction, ...AuditAction[]] | { each: AuditAction } | { optional: AuditAction };

/** The route table's form of a {@link RouteAudit}: `none`, `a|b`, `each:a`. */
export function auditLabel(r: { method: string; audits?: RouteAudit }): string {
  const a = r.audits ?? (r.method === 'GET' ? 'none' : undefined);
  if (a === undefined) return 'undeclared';
  if (typeof a === 'string') return a;
  if ('each' in a) return `each:${a.each}`;
  if ('optional' in a) return `optional:${a.optional}`;
  return a.join('|');
}

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** Media types a route may take as a raw request body (spreadsheet imports). */
export const RAW_BODY_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
] as const;
export type RawBodyType = (typeof RAW_BODY_TYPES)[number];

/**
 * A route that takes its request body as bytes instead of JSON: the accepted media types and the
 * size limit (enforced while reading; 413 above it). Another Content-Type is refused with 415
 * before the body is read. The route declares no `body` schema; the handler gets `raw`.
 */
export type RawBodySpec = { contentTypes: readonly RawBodyType[]; maxBytes: number };
export type RawBody = { bytes: Buffer; contentType: RawBodyType };

/** Media types a handler may answer with as a file. */
export const FILE_REPLY_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv; charset=utf-8',
  'application/pdf',
] as const;
export type FileReplyType = (typeof FILE_REPLY_TYPES)[number];

/**
 * A file answer (declare `response: FileReplySchema`): the platform sends the bytes as a download
 * with `Content-Disposition: attachment` (RFC 6266/5987 file name), `nosniff` and `no-store`.
 */
export type FileReply = { kind: 'file'; bytes: Buffer; fileName: string; contentType: FileReplyType };

function isFileReply(value: unknown): value is FileReply {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<FileReply>;
  return (
    v.kind === 'file' &&
    Buffer.isBuffer(v.bytes) &&
    typeof v.fileName === 'string' &&
    (FILE_REPLY_TYPES as readonly string[]).includes(String(v.contentType))
  );
}

/** The response schema of a route that answers with a {@link FileReply}. */
export const FileReplySchema = z.custom<FileReply>(isFileReply, 'not a file reply');

export type JsonRouteDef<
  P extends Schema,
  Q extends Schema,
  B extends Schema,
  R extends z.ZodType,
  RB extends RawBodySpec | undefined = undefined,
> = Access & {
  kind?: 'json';
  method: HttpMethod;
  url: string;
  /** One line for the route table and the API description. */
  summary: string;
  audits?: RouteAudit;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: number;
  /**
   * `false` only for routes that must persist state even when they answer with an error (login
   * failure counters): the handler then opens its own transactions.
   */
  transaction?: false;
  /** Take the body as raw bytes (see {@link RawBodySpec}); then no `body` schema. */
  rawBody?: RB;
  handler: (
    ctx: Ctx,
    input: {
      params: Parsed<P>;
      query: Parsed<Q>;
      body: Parsed<B>;
      raw: RB extends RawBodySpec ? RawBody : undefined;
    },
  ) => Promise<z.input<R>>;
};

/** Routes that write the reply themselves (static web assets). Only allowed as public routes. */
export type RawRouteDef = {
  kind: 'raw';
  method: 'GET';
  url: string;
  summary: string;
  audits?: RouteAudit;
  public: true;
  permission?: undefined;
  signedIn?: undefined;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
};

/**
 * The request body types an upload route accepts. They only say how the file is sent: what the file
 * is, is decided from its content by whoever stores it. `application/octet-stream` claims nothing.
 */
export const UPLOAD_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** Largest upload when the application does not configure one (MEDLEDGER_UPLOAD_MAX_MB). */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/**
 * A file received by an upload route. Only transport is checked here (size while reading, the
 * name header, an accepted Content-Type): the content itself is unchecked until stored.
 */
export type UploadedFile = {
  bytes: Buffer;
  /** From the `x-file-name` header: decoded, NFC, trimmed, without path separators or control characters. */
  fileName: string;
  /** The request's Content-Type (media type only). */
  declaredType: UploadContentType;
};

/** What a download handler returns; the platform writes it with the FILE-02 headers. */
export type FileDownload = { bytes: Buffer; fileName: string; mediaType: StoredFileMediaType };

/**
 * A route that receives one file as the raw request body (FILE-01): `POST`/`PUT` with
 * `Content-Type` one of {@link UPLOAD_CONTENT_TYPES} and the name in the `x-file-name` header.
 * Same-origin check, permission, strict params/query validation and the one transaction are as
 * for JSON routes; the body limit is `upload.maxBytes`, capped by the configured maximum.
 */
export type UploadRouteDef<P extends Schema, Q extends Schema, R extends z.ZodType> = Access & {
  method: 'POST' | 'PUT';
  url: string;
  summary: string;
  audits?: RouteAudit;
  params?: P;
  query?: Q;
  /** `maxBytes` lowers the configured upload limit for this route; it never raises it. */
  upload: { maxBytes?: number };
  response: R;
  status?: number;
  handler: (ctx: Ctx, input: { params: Parsed<P>; query: Parsed<Q>; file: UploadedFile }) => Promise<z.input<R>>;
};

/**
 * A route that answers with a stored file (FILE-02): `Content-Disposition: attachment` with the
 * name RFC 6266/5987-encoded, the detected media type, `nosniff`, a sandboxing CSP, `no-store`.
 * The handler does the authorisation (the owning module's scope check) before reading the file.
 */
export type DownloadRouteDef<P extends Schema, Q extends Schema> = Access & {
  method: 'GET';
  url: string;
  summary: string;
  audits?: RouteAudit;
  params?: P;
  query?: Q;
  handler: (ctx: Ctx, input: { params: Parsed<P>; query: Parsed<Q> }) => Promise<FileDownload>;
};

type StoredUploadRoute = Access & {
  kind: 'upload';
  method: 'POST' | 'PUT';
  url: string;
  summary: string;
  audits?: RouteAudit;
  params?: z.ZodType;
  query?: z.ZodType;
  upload: { maxBytes?: number };
  response: z.ZodType;
  status?: number;
  handler: (ctx: Ctx, input: { params: unknown; query: unknown; file: UploadedFile }) => Promise<unknown>;
};

type StoredDownloadRoute = Access & {
  kind: 'download';
  method: 'GET';
  url: string;
  summary: string;
  audits?: RouteAudit;
  params?: z.ZodType;
  query?: z.ZodType;
  handler: (ctx: Ctx, input: { params: unknown; query: unknown }) => Promise<FileDownload>;
};

/** A JSON route with its types erased, as stored in the route table and registered. */
type StoredJsonRoute = Access & {
  kind?: 'json';
  method: HttpMethod;
  url: string;
  summary: string;
  audits?: RouteAudit;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
  transaction?: false;
  rawBody?: RawBodySpec;
  handler: (ctx: Ctx, input: { params: unknown; query: unknown; body: unknown; raw: unknown }) => Promise<unknown>;
};

export type AnyRouteDef = StoredJsonRoute | RawRouteDef | StoredUploadRoute | StoredDownloadRoute;

/** Declares a JSON route. The types tie the handler's input and output to the zod schemas. */
export function route<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends z.ZodType = z.ZodType,
  RB extends RawBodySpec | undefined = undefined,
>(def: JsonRouteDef<P, Q, B, R, RB>): AnyRouteDef {
  // Sound: registerRoutes only calls the handler with values parsed by these same schemas.
  return def as unknown as StoredJsonRoute;
}

/** Declares an upload route (FILE-01): the handler receives the file's bytes and name. */
export function uploadRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  R extends z.ZodType = z.ZodType,
>(def: UploadRouteDef<P, Q, R>): AnyRouteDef {
  // Sound for the same reason as route(): the handler only sees values parsed by these schemas.
  return { ...def, kind: 'upload' } as unknown as StoredUploadRoute;
}

/** Declares a download route (FILE-02): the handler returns the file, the platform writes the headers. */
export function downloadRoute<P extends Schema = undefined, Q extends Schema = undefined>(
  def: DownloadRouteDef<P, Q>,
): AnyRouteDef {
  return { ...def, kind: 'download' } as unknown as StoredDownloadRoute;
}

/** Declares a raw public route (static assets). */
export function rawRoute(def: Omit<RawRouteDef, 'kind' | 'public'>): AnyRouteDef {
  return { ...def, kind: 'raw', public: true };
}

/** Thrown at start-up when a route's access declaration is missing or wrong. */
export class RouteDeclarationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouteDeclarationError';
  }
}

/**
 * What every registered Fastify route carries in `config.medledger`: `permission` null means any
 * signed-in user (a complete session).
 */
export type RouteAccess = { public: true } | { public: false; permission: Permission | null };

declare module 'fastify' {
  interface FastifyContextConfig {
    medledger?: RouteAccess;
    /** Present on upload routes only: the body limit in force there. */
    medledgerUpload?: { maxBytes: number };
    /** Present on routes that take a raw body: the media types accepted there. */
    medledgerRawBody?: readonly RawBodyType[];
  }
}

/** Validates the access declaration; throws {@link RouteDeclarationError} with the route named. */
export function checkDeclaration(def: {
  method: string;
  url: string;
  permission?: unknown;
  public?: unknown;
  signedIn?: unknown;
}): RouteAccess {
  const where = `${def.method} ${def.url}`;
  const hasPermission = def.permission !== undefined && def.permission !== null && def.permission !== '';
  const isPublic = def.public === true;
  const isSignedIn = def.signedIn === true;
  if (def.public !== undefined && def.public !== true) {
    throw new RouteDeclarationError(`${where}: "public" may only be true; declare a permission instead`);
  }
  if (def.signedIn !== undefined && def.signedIn !== true) {
    throw new RouteDeclarationError(`${where}: "signedIn" may only be true; declare a permission instead`);
  }
  if (hasPermission && isPublic) {
    throw new RouteDeclarationError(`${where}: declares both a permission and public: true; choose one`);
  }
  if ([hasPermission, isPublic, isSignedIn].filter(Boolean).length > 1) {
    throw new RouteDeclarationError(`${where}: declares more than one of permission, signedIn and public; choose one`);
  }
  if (!hasPermission && !isPublic && !isSignedIn) {
    throw new RouteDeclarationError(`${where}: declares neither a permission nor public: true (deny by default)`);
  }
  if (isSignedIn) return { public: false, permission: null };
  if (hasPermission) {
    if (typeof def.permission !== 'string' || !isPermission(def.permission)) {
      throw new RouteDeclarationError(`${where}: permission "${String(def.permission)}" is not in the catalogue`);
    }
    return { public: false, permission: def.permission };
  }
  return { public: true };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isMutating = (method: string): boolean => MUTATING.has(method.toUpperCase());

type Auth = { actor: Actor | null; session: SessionRef | null };
const auths = new WeakMap<FastifyRequest, Auth>();
/** Set by the auth hook on every request that reached a route. */
export function setAuth(request: FastifyRequest, auth: Auth): void {
  auths.set(request, auth);
}
export function getActor(request: FastifyRequest): Actor | null {
  return auths.get(request)?.actor ?? null;
}
function getSession(request: FastifyRequest): SessionRef | null {
  return auths.get(request)?.session ?? null;
}

/** Applies what an action asked for (cookie, headers) to the Fastify reply. */
function replySink(reply: FastifyReply): ReplySink {
  return {
    setSessionCookie: (token) => void reply.header('set-cookie', sessionCookie(token)),
    clearSessionCookie: () => void reply.header('set-cookie', clearedSessionCookie()),
    header: (name, value) => void reply.header(name, value),
  };
}

function issuesOf(part: string, error: z.ZodError): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: `${base}.${key}`, message: 'unknown field; remove it' });
    } else {
      out.push({ path: base, message: issue.message });
    }
  }
  return out;
}

function parsePart(
  part: 'params' | 'query' | 'body',
  schema: Schema,
  value: unknown,
  issues: ValidationIssue[],
): unknown {
  if (part === 'query' && value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (Array.isArray(v)) {
        issues.push({ path: `query.${key}`, message: 'query parameter given more than once; send it once' });
      }
    }
    if (issues.length > 0) return undefined;
  }
  if (schema === undefined) {
    if (part === 'body' && value !== undefined && value !== null) {
      issues.push({ path: 'body', message: 'this endpoint takes no request body' });
    } else if (part === 'query' && value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        issues.push({ path: `query.${key}`, message: 'unknown query parameter; remove it' });
      }
    }
    return undefined;
  }
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (!result.success) {
    issues.push(...issuesOf(part, result.error));
    return undefined;
  }
  return result.data;
}

export type RouteDeps = {
  runtime: Runtime;
  /** The configured upload limit (MEDLEDGER_UPLOAD_MAX_MB); {@link DEFAULT_UPLOAD_MAX_BYTES} when absent. */
  uploadMaxBytes?: number;
};

/**
 * Registers routes on Fastify. Each JSON route: validate params, query and body strictly (400 with
 * field paths), build `ctx`, run the handler (mutating methods in ONE transaction), serialise
 * through the response schema (undeclared fields dropped), commit. Upload routes do the same with
 * the file instead of a JSON body, under their own body limit; download routes write the file with
 * the FILE-02 headers instead of JSON.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRouteDef[], deps: RouteDeps): void {
  registerRawBodyParsers(app);
  for (const def of routes) {
    const access = checkDeclaration(def);
    const options: RouteOptions = {
      method: def.method,
      url: def.url,
      config: { medledger: access },
      handler: handlerFor(def, deps),
    };
    // Reading a file is audited and costs a decryption: a HEAD request must not do it silently.
    if (def.kind === 'download') options.exposeHeadRoute = false;
    if (def.kind === 'upload') {
      const maxBytes = uploadLimit(def, deps);
      // Fastify enforces this while reading (Content-Length first, then the bytes received): 413.
      options.bodyLimit = maxBytes;
      options.config = { medledger: access, medledgerUpload: { maxBytes } };
    }
    if ((def.kind === 'json' || def.kind === undefined) && def.rawBody !== undefined) {
      Object.assign(options, rawBodyOptions(def, access));
    }
    app.route(options);
  }
}

function handlerFor(def: AnyRouteDef, deps: RouteDeps): RouteOptions['handler'] {
  switch (def.kind) {
    case 'raw':
      return def.handler;
    case 'download':
      return downloadHandler(def, deps);
    case 'upload':
      return uploadHandler(def, deps);
    case 'json':
    case undefined:
      return jsonHandler(def, deps);
  }
}

/** The route's own limit when it sets one, never above the configured maximum. */
function uploadLimit(def: StoredUploadRoute, deps: RouteDeps): number {
  const cap = deps.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const wanted = def.upload.maxBytes;
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < 1)) {
    throw new RouteDeclarationError(`${def.method} ${def.url}: upload.maxBytes must be a positive whole number`);
  }
  return Math.min(wanted ?? cap, cap);
}

const INVALID = 'The request is not valid; see the listed fields.';

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Raw bodies are buffered only on the routes that declare them: everywhere else these media types
 * are refused (415), within the application's ordinary body limit.
 */
function registerRawBodyParsers(app: FastifyInstance): void {
  for (const type of RAW_BODY_TYPES) {
    if (app.hasContentTypeParser(type)) continue;
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (request, body, done) => {
      const accepted = request.routeOptions.config.medledgerRawBody ?? [];
      if (!accepted.includes(type)) {
        done(new AppError('unsupported_media_type', 'Send the request body as application/json.'), undefined);
        return;
      }
      done(null, body);
    });
  }
}

/** Route options of a raw-body route: its own body limit, and a refusal (415) of other types before reading. */
function rawBodyOptions(def: StoredJsonRoute, access: RouteAccess): Partial<RouteOptions> {
  const where = `${def.method} ${def.url}`;
  const spec = def.rawBody!;
  if (def.body !== undefined) throw new RouteDeclarationError(`${where}: declares both a body schema and rawBody`);
  if (!isMutating(def.method)) throw new RouteDeclarationError(`${where}: rawBody needs POST, PUT or PATCH`);
  if (!Number.isInteger(spec.maxBytes) || spec.maxBytes < 1 || spec.contentTypes.length === 0) {
    throw new RouteDeclarationError(`${where}: rawBody needs media types and a positive maxBytes`);
  }
  return {
    bodyLimit: spec.maxBytes,
    config: { medledger: access, medledgerRawBody: spec.contentTypes },
    preParsing: async (request, _reply, payload) => {
      const type = mediaType(request.headers['content-type']);
      if (type !== '' && !(spec.contentTypes as readonly string[]).includes(type)) {
        throw new AppError('unsupported_media_type', `Send the file as ${spec.contentTypes.join(' or ')}.`);
      }
      return payload;
    },
  };
}

function rawBodyOf(request: FastifyRequest, spec: RawBodySpec): RawBody {
  const type = mediaType(request.headers['content-type']);
  const bytes: unknown = request.body;
  const contentType = spec.contentTypes.find((t) => t === type);
  if (contentType === undefined || !Buffer.isBuffer(bytes) || bytes.length === 0) {
    throw new AppError(
      'unsupported_media_type',
      `Send the file itself as the request body (${spec.contentTypes.join(' or ')}).`,
    );
  }
  return { bytes, contentType };
}

function jsonHandler(def: StoredJsonRoute, deps: RouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const issues: ValidationIssue[] = [];
    const params = parsePart('params', def.params, request.params, issues);
    const query = parsePart('query', def.query, request.query, issues);
    const body = def.rawBody === undefined ? parsePart('body', def.body, request.body, issues) : undefined;
    if (issues.length > 0) throw new AppError('validation_failed', INVALID, issues);
    const raw = def.rawBody === undefined ? undefined : rawBodyOf(request, def.rawBody);
    const output: unknown = await runHandler(request, reply, deps, def, (ctx) =>
      def.handler(ctx, { params, query, body, raw }),
    );
    if (isFileReply(output)) {
      await reply
        .status(def.status ?? 200)
        .header('content-type', output.contentType)
        .header('content-disposition', contentDisposition(output.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(output.bytes);
      return;
    }
    await reply.status(def.status ?? 200).send(output);
  };
}

function uploadHandler(def: StoredUploadRoute, deps: RouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const issues: ValidationIssue[] = [];
    const params = parsePart('params', def.params, request.params, issues);
    const query = parsePart('query', def.query, request.query, issues);
    const fileName = parseFileName(request.headers[FILE_NAME_HEADER], issues);
    if (issues.length > 0) throw new AppError('validation_failed', INVALID, issues);
    const declaredType = mediaTypeOf(request.headers['content-type']);
    const bytes: unknown = request.body;
    if (!Buffer.isBuffer(bytes) || declaredType === undefined || !isUploadContentType(declaredType)) {
      throw new AppError('upload_malformed', 'The request carries no file; send the file itself as the request body.');
    }
    const file: UploadedFile = { bytes, fileName: fileName!, declaredType };
    const output = await runHandler(request, reply, deps, def, (ctx) => def.handler(ctx, { params, query, file }));
    await reply.status(def.status ?? 201).send(output);
  };
}

/** FILE-02: the CSP of a served file: nothing runs, nothing loads, nothing frames it. */
export const DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function downloadHandler(def: StoredDownloadRoute, deps: RouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const issues: ValidationIssue[] = [];
    const params = parsePart('params', def.params, request.params, issues);
    const query = parsePart('query', def.query, request.query, issues);
    if (issues.length > 0) throw new AppError('validation_failed', INVALID, issues);
    const file = await runHandler(request, reply, deps, def, (ctx) => def.handler(ctx, { params, query }));
    // Only the allowlisted types are ever served, whatever a handler returns.
    if (!(STORED_FILE_MEDIA_TYPES as readonly string[]).includes(file.mediaType) || !Buffer.isBuffer(file.bytes)) {
      throw new Error(`${def.method} ${def.url}: the handler returned a file of a type that is never served`);
    }
    await reply
      .status(200)
      .header('content-type', file.mediaType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('content-security-policy', DOWNLOAD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('content-length', String(file.bytes.length))
      .send(file.bytes);
  };
}

/** Builds `ctx`, runs the handler (mutating methods in ONE transaction) and parses the output. */
async function runHandler<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  def: { method: string; transaction?: false; response?: z.ZodType },
  handler: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  const base = {
    actor: getActor(request),
    session: getSession(request),
    reply: replySink(reply),
    now: deps.runtime.clock.now(),
    requestId: request.id,
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 512),
    log: request.log,
    runtime: deps.runtime,
  };
  const committed: { work: () => void; ifRolledBack?: () => void }[] = [];
  const run = async (db: Ctx['db']): Promise<T> => {
    const afterCommit = (work: () => void, ifRolledBack?: () => void) => {
      committed.push(ifRolledBack === undefined ? { work } : { work, ifRolledBack });
    };
    const result = await handler({ ...base, db, afterCommit });
    return def.response === undefined ? result : (def.response.parse(result) as T);
  };
  const db = deps.runtime.db;
  const inTransaction = isMutating(def.method) && def.transaction !== false;
  try {
    const result = inTransaction ? await db.transaction().execute(run) : await run(db);
    for (const c of committed) c.work();
    return result;
  } catch (err) {
    for (const c of committed) c.ifRolledBack?.();
    if (err instanceof AppError && err.afterRollback !== undefined) {
      await err.afterRollback().catch((e: unknown) => request.log.error({ err: e }, 'after-rollback work failed'));
    }
    throw err;
  }
}

/** A size limit for messages: `10 MB` (MiB, one decimal at most), or `2 KB` below one MiB. */
export function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

export function isUploadContentType(type: string): type is UploadContentType {
  return (UPLOAD_CONTENT_TYPES as readonly string[]).includes(type);
}

// Control, format (bidi overrides, zero-width), separator, surrogate, private-use and unassigned
// characters: a name with any of them could hide its real extension or break a log line.
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u;
const SEPARATORS = /[/\\]/;

/**
 * Checks a file name sent in the `x-file-name` header (ATK-PATH, ATK-CRLF): percent-encoded UTF-8,
 * optionally with RFC 5987's `UTF-8''` prefix. The name is only ever displayed and put into
 * `Content-Disposition`, never used as a path, yet anything path-like is refused outright.
 */
export function checkFileName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  if (raw.length > 4 * 3 * FILE_NAME_MAX_LENGTH) return { ok: false, message: 'the file name is too long' };
  const encoded = /^utf-8''/i.test(raw) ? raw.slice(7) : raw;
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return { ok: false, message: 'the file name must be UTF-8, percent-encoded (encodeURIComponent)' };
  }
  return checkFileNameText(decoded);
}

/** The rules of {@link checkFileName} for a name already decoded (e.g. given on the command line). */
export function checkFileNameText(decoded: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = decoded.normalize('NFC').trim();
  if (name === '') return { ok: false, message: 'the file name is empty' };
  if ([...name].length > FILE_NAME_MAX_LENGTH) {
    return { ok: false, message: `the file name is longer than ${FILE_NAME_MAX_LENGTH} characters` };
  }
  if (FORBIDDEN_NAME_CHARS.test(name)) {
    return { ok: false, message: 'the file name contains control or invisible formatting characters' };
  }
  // Full-width and other look-alike slashes count as separators too (NFKC folds them to / and \).
  if (SEPARATORS.test(name) || SEPARATORS.test(name.normalize('NFKC'))) {
    return { ok: false, message: 'the file name contains a path separator (/ or \\); send the name only' };
  }
  if (/^[.\s]+$/.test(name.normalize('NFKC'))) return { ok: false, message: 'the file name is not a name' };
  return { ok: true, name };
}

function parseFileName(header: string | string[] | undefined, issues: ValidationIssue[]): string | undefined {
  const path = `headers.${FILE_NAME_HEADER}`;
  if (header === undefined) {
    issues.push({ path, message: `send the file name in the ${FILE_NAME_HEADER} header` });
    return undefined;
  }
  if (typeof header !== 'string') {
    issues.push({ path, message: 'header given more than once; send it once' });
    return undefined;
  }
  const checked = checkFileName(header);
  if (!checked.ok) {
    issues.push({ path, message: checked.message });
    return undefined;
  }
  return checked.name;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC 5987 encoding): the quoted
 * form is a plain-ASCII stand-in for old clients, the starred form carries the real name. Nothing
 * of the name can end the header or add another (ATK-CRLF).
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** `METHOD url permission|signed-in|public`, one line per route, sorted: the committed route-table snapshot. */
export function routeTable(routes: readonly AnyRouteDef[]): string[] {
  return routes
    .map(
      (r) =>
        `${r.method} ${r.url} ${r.public === true ? 'public' : r.signedIn === true ? 'signed-in' : String(r.permission)} audits=${auditLabel(r)}`,
    )
    .sort((a, b) => a.localeCompare(b));
}
