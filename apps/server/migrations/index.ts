import type { Migration } from 'kysely';
import * as m202611291000 from './202611291000-identity-setup-token.js';

/** Every migration, in order. Names are `<yyyymmddHHMM>-<module>-<change>` and never change. */
export const migrations: Readonly<Record<string, Migration>> = {
  '202611291000-identity-setup-token': m202611291000,
};
