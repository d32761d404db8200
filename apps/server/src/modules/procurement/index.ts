/**
 * procurement (layer 7): purchase orders approved by a second person with an e-signature, receipts
 * against the supplier's delivery slip with the cold-chain record, acceptance (验收) by scanning
 * each unit's UDI into the 待验 zone, and the inspector's signed conclusion that moves goods to
 * 合格 or 不合格. Qualification is checked at every step. See docs/decisions/0021-procurement.md.
 */
import './procurement.tables.js';

/** The procurement HTTP routes, for the composition root. */
export { procurementRoutes } from './procurement.routes.js';
/** The acceptance actions, for tools and benchmarks that drive them without HTTP. */
export { scanUnits, concludeAcceptance } from './procurement.acceptance.js';
/** Purchase-order drafting and submission (used by `medledger demo` for its open orders). */
export { createOrder as createPurchaseOrder, submitOrder as submitPurchaseOrder } from './procurement.orders.js';
/** The purchase and acceptance ledgers (screen and export routes), for the composition root. */
export { procurementLedgerRoutes } from './procurement.ledgers.js';
