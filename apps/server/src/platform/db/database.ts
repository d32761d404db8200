import type { Kysely, Transaction } from 'kysely';

/**
 * The database schema as Kysely sees it. Platform code knows no tables: each module adds its own
 * in its `<module>.tables.ts` by declaration merging, e.g.
 *
 *   declare module '../../platform/db/database.js' {
 *     interface Database { setup_token: SetupTokenTable }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

/** The query executor handed to actions and repos: the request's transaction, or the pool for reads. */
export type Db = Kysely<Database> | Transaction<Database>;

export type Dialect = 'sqlite' | 'postgres';
