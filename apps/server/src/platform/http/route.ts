import { isPermission, type Permission, type ValidationIssue } from '@medledger/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { AppError } from '../errors.js';
import type { Actor, Ctx, ReplySink, SessionRef } from './ctx.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Exactly one of these per route: deny by default means there is no third option. */
type Access = { permission: Permission; public?: undefined } | { public: true; permission?: undefined };

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type JsonRouteDef<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType> = Access & {
  kind?: 'json';
  method: HttpMethod;
  url: string;
  /** One line for the route table and the API description. */
  summary: string;
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
  handler: (ctx: Ctx, input: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> }) => Promise<z.input<R>>;
};

/** Routes that write the reply themselves (static web assets). Only allowed as public routes. */
export type RawRouteDef = {
  kind: 'raw';
  method: 'GET';
  url: string;
  summary: string;
  public: true;
  permission?: undefined;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
};

/** A JSON route with its types erased, as stored in the route table and registered. */
type StoredJsonRoute = Access & {
  kind?: 'json';
  method: HttpMethod;
  url: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
  transaction?: false;
  handler: (ctx: Ctx, input: { params: unknown; query: unknown; body: unknown }) => Promise<unknown>;
};

export type AnyRouteDef = StoredJsonRoute | RawRouteDef;

/** Declares a JSON route. The types tie the handler's input and output to the zod schemas. */
export function route<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends z.ZodType = z.ZodType,
>(def: JsonRouteDef<P, Q, B, R>): AnyRouteDef {
  // Sound: registerRoutes only calls the handler with values parsed by these same schemas.
  return def as unknown as StoredJsonRoute;
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

/** What every registered Fastify route carries in `config.medledger`. */
export type RouteAccess = { public: true } | { public: false; permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    medledger?: RouteAccess;
  }
}

/** Validates the access declaration; throws {@link RouteDeclarationError} with the route named. */
export function checkDeclaration(def: {
  method: string;
  url: string;
  permission?: unknown;
  public?: unknown;
}): RouteAccess {
  const where = `${def.method} ${def.url}`;
  const hasPermission = def.permission !== undefined && def.permission !== null && def.permission !== '';
  const isPublic = def.public === true;
  if (def.public !== undefined && def.public !== true) {
    throw new RouteDeclarationError(`${where}: "public" may only be true; declare a permission instead`);
  }
  if (hasPermission && isPublic) {
    throw new RouteDeclarationError(`${where}: declares both a permission and public: true; choose one`);
  }
  if (!hasPermission && !isPublic) {
    throw new RouteDeclarationError(`${where}: declares neither a permission nor public: true (deny by default)`);
  }
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

export type RouteDeps = { runtime: Runtime };

/**
 * Registers routes on Fastify. Each JSON route: validate params, query and body strictly (400 with
 * field paths), build `ctx`, run the handler (mutating methods in ONE transaction), serialise
 * through the response schema (undeclared fields dropped), commit.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRouteDef[], deps: RouteDeps): void {
  for (const def of routes) {
    const access = checkDeclaration(def);
    const options: RouteOptions = {
      method: def.method,
      url: def.url,
      config: { medledger: access },
      handler: def.kind === 'raw' ? def.handler : jsonHandler(def, deps),
    };
    app.route(options);
  }
}

function jsonHandler(def: StoredJsonRoute, deps: RouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const issues: ValidationIssue[] = [];
    const params = parsePart('params', def.params, request.params, issues);
    const query = parsePart('query', def.query, request.query, issues);
    const body = parsePart('body', def.body, request.body, issues);
    if (issues.length > 0) {
      throw new AppError('validation_failed', 'The request is not valid; see the listed fields.', issues);
    }
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
    const run = async (db: Ctx['db']): Promise<unknown> => {
      const result: unknown = await def.handler({ ...base, db }, { params, query, body });
      return def.response.parse(result);
    };
    const db = deps.runtime.db;
    const inTransaction = isMutating(def.method) && def.transaction !== false;
    let output: unknown;
    try {
      output = inTransaction ? await db.transaction().execute(run) : await run(db);
    } catch (err) {
      if (err instanceof AppError && err.afterRollback !== undefined) {
        await err.afterRollback().catch((e: unknown) => request.log.error({ err: e }, 'after-rollback work failed'));
      }
      throw err;
    }
    await reply.status(def.status ?? 200).send(output);
  };
}

/** `METHOD url permission|public`, one line per route, sorted: the committed route-table snapshot. */
export function routeTable(routes: readonly AnyRouteDef[]): string[] {
  return routes
    .map((r) => `${r.method} ${r.url} ${r.public === true ? 'public' : String(r.permission)}`)
    .sort((a, b) => a.localeCompare(b));
}
