/**
 * access (layer 4): roles with data scopes, separation of duties, no escalation, two-person approval
 * of high-risk grants. See docs/decisions/0015-access-roles.md.
 */
import './access.tables.js';

export { accessRoutes } from './access.routes.js';
/** The role resolver the identity module's authenticator uses (wired in by the composition root). */
export { resolveRoles } from './access.roles.js';
/** Users holding a permission through an active assignment (for notifications to a post, e.g. QA). */
export { usersWithPermission } from './access.roles.js';
/** AC-07: reveal paths ask this (the policy engine of the contract, with training established here). */
export { authorizeFields } from './access.fields.js';
