/**
 * master-data (layer 5): quality master data — parties with licences and business scope, products
 * with registration certificates and UDI-DIs, warehouses in GSP zones — with 首营 review: QA
 * proposes, QA approves with an electronic signature, every version is kept. Other modules ask
 * {@link checkTrade} before any purchase or sale. See docs/decisions/0018-master-data.md.
 */
import './master-data.tables.js';

/** The master-data HTTP routes, for the composition root. */
export { masterDataRoutes } from './master-data.routes.js';
/** Sealed columns of this module (representatives' ID numbers), for key rotation. */
export { MASTER_DATA_SEALED_COLUMNS } from './master-data.tables.js';
/**
 * "May we buy X from Y / sell X to Z today?": `checkTrade` returns every blocking reason (each names
 * the licence, number, date or scope code); `assertTradeAllowed` throws `qualification_blocked`
 * with the reasons as issues and audits the refusal.
 */
export { checkTrade, assertTradeAllowed, type TradeQuestion } from './master-data.trade.js';
/** The daily job that tells QA about licences and certificates reaching 90 / 30 days or expiry. */
export { notifyExpiringDocuments, expiringDocuments, EXPIRY_LEAD_DAYS } from './master-data.expiry.js';
/** A product and its packaging level by a scanned UDI-DI (for receiving and acceptance). */
export { productByDi } from './master-data.products.js';
/** Locations with their GSP zone and warehouse site, for stock postings. */
export { locationInfo, firstLocationInZone, type LocationInfo } from './master-data.warehouses.js';
/** Product rows for documents (name, model, certificate…), and the site scope of warehouses. */
export { loadProductRow } from './master-data.products.js';
/** Filing first-business records (used by `medledger demo` and the import); QA approval still applies. */
export { proposeNewParty } from './master-data.parties.js';
export { proposeNewProduct } from './master-data.products.js';
/** `medledger demo` only: demo records in force without a signature (refused for anyone else). */
export { approveDemoChange } from './master-data.decide.js';
/** Warehouses, areas and locations (used by `medledger demo`). */
export { createWarehouse, createArea, createLocation } from './master-data.warehouses.js';
/** Party rows for documents (name, address of a supplier or customer). `not_found` if unknown. */
export { loadPartyRow } from './master-data.parties.js';
