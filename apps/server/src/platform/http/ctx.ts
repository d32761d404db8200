import type { Permission } from '@medledger/contract';
import { AppError } from '../errors.js';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { Runtime } from '../runtime.js';

/** Who is acting. Built by the authenticator from a session or a signed request; `system` for the CLI. */
export type Actor = {
  kind: 'user' | 'client' | 'system';
  id: string;
  name: string;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** SHA-256 of the session id (never the id itself), for the audit trail. */
  sessionHash?: string;
  authMethod?: string;
  /**
   * TRN-02: permissions the actor's roles would give but that are suspended (lapsed training), with
   * what to do about it; the platform's 403 then says so instead of "not in your roles".
   */
  suspended?: ReadonlyMap<Permission, string>;
  /**
   * AC-02 data scope: permissions the actor holds only for some sites (warehouses), with those
   * sites. A permission not listed here is held for the whole organisation.
   */
  sites?: ReadonlyMap<Permission, ReadonlySet<string>>;
};

/** The acting user or system; `unauthenticated` when there is none (never on a guarded route). */
export function requireActor(ctx: Pick<Ctx, 'actor'>): Actor {
  if (ctx.actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

/**
 * AC-02: the sites in which the actor may use `permission`: `'all'` for the whole organisation,
 * otherwise the set of site codes. Repository lookups filter by this, never by request input.
 */
export function siteScope(actor: Actor, permission: Permission): 'all' | ReadonlySet<string> {
  if (!actor.permissions.has(permission)) return new Set();
  return actor.sites?.get(permission) ?? 'all';
}

/**
 * AC-08: may the actor use `permission` on this concrete object? Decided against the object's own
 * site (and department, for objects kept per department: a scope `H1` covers `H1.CARD`), never
 * against the permission alone — holding it for site X says nothing about an object of site Y.
 * Takes the object, not a type name, so a bare-type check does not compile.
 */
export function allowedOn(
  actor: Actor,
  permission: Permission,
  object: { readonly site: string; readonly department?: string },
): boolean {
  const scope = siteScope(actor, permission);
  if (scope === 'all') return true;
  return (
    scope.has(object.site) || (object.department !== undefined && scope.has(`${object.site}.${object.department}`))
  );
}

/** The caller's server-side session, whatever its stage (password checked, factor enrolment, complete). */
export type SessionRef = {
  id: string;
  userId: string;
  stage: 'password' | 'enrol_totp' | 'change_password' | 'complete';
  /** SHA-256 of the session token, never the token itself. */
  tokenHash: string;
};

/**
 * What an action may say about the response besides its body: the session cookie and a few headers.
 * The platform applies it; actions still never see Fastify objects.
 */
export type ReplySink = {
  setSessionCookie: (token: string) => void;
  clearSessionCookie: () => void;
  header: (name: 'clear-site-data' | 'retry-after', value: string) => void;
};

export const noReply: ReplySink = {
  setSessionCookie: () => undefined,
  clearSessionCookie: () => undefined,
  header: () => undefined,
};

/**
 * Everything an action may use. Actions never see Fastify objects, so the CLI can call them with a
 * system actor. `now` is read once per request from the server clock.
 */
export type Ctx = {
  /** `null` only on routes declared `public: true`. */
  actor: Actor | null;
  /** The session behind the request, also when it is not complete yet (multi-factor steps). */
  session: SessionRef | null;
  reply: ReplySink;
  db: Db;
  now: Date;
  requestId: string;
  ip: string;
  userAgent: string;
  log: FastifyBaseLogger;
  runtime: Runtime;
  /**
   * Schedules work for after the request's transaction has committed (a background job that reads
   * what the request wrote); `ifRolledBack` runs instead when the transaction fails. Absent outside
   * requests: there, run the work directly.
   */
  afterCommit?: (work: () => void, ifRolledBack?: () => void) => void;
};

/**
 * A context for work that no HTTP request starts: CLI commands, scheduled jobs, start-up. The
 * actor is the system, named after what runs (e.g. `cli:keys rotate`), and it is audited like a user.
 */
export function systemCtx(runtime: Runtime, name: string, db: Db = runtime.db): Ctx {
  return {
    actor: { kind: 'system', id: `system:${name}`, name, roles: [], permissions: new Set() },
    session: null,
    reply: noReply,
    db,
    now: runtime.clock.now(),
    requestId: `system-${name}-${runtime.clock.now().getTime()}`,
    ip: '127.0.0.1',
    userAgent: 'medledger',
    log: runtime.log,
    runtime,
  };
}

/**
 * Resolves the caller of a request: the session (any stage) and, when the session is complete, the
 * actor. `{ actor: null, session: null }` when the request carries no valid credentials.
 */
export type Authenticator = (request: FastifyRequest) => Promise<{ actor: Actor | null; session: SessionRef | null }>;

/** Nobody is authenticated (tools and tests that need no sessions). */
export const noAuthenticator: Authenticator = () => Promise.resolve({ actor: null, session: null });
