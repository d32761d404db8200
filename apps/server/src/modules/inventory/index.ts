/**
 * inventory (layer 6): lots and serial numbers, the append-only stock ledger, balances that never
 * go negative, FEFO allocation that skips expired, held and unqualified stock, holds, reversals and
 * the climate record. Procurement and sales post through {@link postMovements}.
 */
import './inventory.tables.js';
import './inventory.stocktake.tables.js';

/** Stock views and direct stock actions, for the composition root. */
export { inventoryRoutes } from './inventory.routes.js';
/** Lots as received (one or a batch), and the one way stock changes (ledger entry + balance, concurrency-safe). */
export { ensureLot, ensureLots, postMovements, type LotInput, type Posting } from './inventory.ledger.js';
/** FEFO allocation of qualified stock and the expiry / hold lock checked before any shipment. */
export { allocateFefo, assertLotShippable, chinaToday, type Pick } from './inventory.stock.js';
/** On-hand views for other modules and reports. */
export { stockOnHand, onHandTotals, NEAR_EXPIRY_DAYS } from './inventory.stock.js';
/** The inbound and climate ledgers (screen and export routes), for the composition root. */
export { inventoryLedgerRoutes } from './inventory.ledgers.js';
/**
 * What every GSP ledger shares, for procurement and sales: the screen and export routes
 * (`?format=xlsx|pdf`, row limit, masking, audit), China-day ranges and the actor's sites.
 */
export {
  exportLedger,
  ledgerViewRoute,
  ledgerExportRoute,
  ledgerSites,
  chinaDayRange,
  chinaTime,
  type LedgerLoader,
} from './inventory.ledgers.js';
