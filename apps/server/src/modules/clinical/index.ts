/**
 * clinical (layer 7): hospital implant / interventional device usage records (SY art. 14, kept
 * permanently; corrections are new versions), patient identifiers sealed and masked with an audited
 * reveal, and break-glass access with its post-hoc review (AC-03, AC-10). See
 * docs/decisions/0027-clinical-usage-and-break-glass.md.
 */
import './clinical.tables.js';

/** The clinical HTTP routes, for the composition root. */
export { clinicalRoutes } from './clinical.routes.js';
/** Sealed columns of this module (patient identifiers), for key rotation. */
export { CLINICAL_SEALED_COLUMNS } from './clinical.tables.js';
/** The hourly job escalating break-glass reviews left open for more than 24 hours. */
export { escalateOverdueReviews as escalateOverdueBreakGlassReviews } from './clinical.break-glass.js';
