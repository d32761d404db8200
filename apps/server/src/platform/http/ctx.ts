import type { Permission } from '@medledger/contract';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';

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
};

/**
 * Everything an action may use. Actions never see Fastify objects, so the CLI can call them with a
 * system actor. `now` is read once per request from the server clock.
 */
export type Ctx = {
  /** `null` only on routes declared `public: true`. */
  actor: Actor | null;
  db: Db;
  now: Date;
  requestId: string;
  ip: string;
  userAgent: string;
  log: FastifyBaseLogger;
};

/** Resolves the caller of a request, or `null` when it carries no valid credentials. */
export type Authenticator = (request: FastifyRequest) => Promise<Actor | null>;

/** Until the identity module plugs in a real authenticator, nobody is authenticated. */
export const noAuthenticator: Authenticator = () => Promise.resolve(null);
