/**
 * sales (layer 7): sales orders checked against the buyer's qualification, FEFO allocation into
 * the shipping zone, outbound review (出库复核) by scanning with an electronic signature, shipment
 * with the transport record, the delivery slip (随货同行单) data, customer returns with
 * re-inspection, returns to suppliers, disposals of nonconforming stock and the GSP ledgers. See
 * docs/decisions/0022-sales.md.
 */
import './sales.tables.js';
import './sales.runtime.js';

/** The sales HTTP routes, for the composition root. */
export { salesRoutes } from './sales.routes.js';
/** The company profile on delivery slips, supplied by the composition root from the settings. */
export type { CompanyProfile, SalesRuntime } from './sales.runtime.js';
/** Sales-order drafting and confirmation (used by `medledger demo` for its open orders). */
export { createOrder as createSalesOrder, confirmOrder as confirmSalesOrder } from './sales.orders.js';
/** Ledger exports and the lists of returns, supplier returns and disposals, for the composition root. */
export { salesLedgerRoutes } from './sales.ledger-routes.js';
