import type { Migration } from 'kysely';
import * as m202611291000 from './202611291000-identity-setup-token.js';
import * as m202611291100 from './202611291100-audit-trail.js';
import * as m202611291200 from './202611291200-keys-key-version.js';
import * as m202611291300 from './202611291300-identity-accounts.js';
import * as m202611291400 from './202611291400-identity-signatures.js';
import * as m202611291500 from './202611291500-identity-user-admin.js';
import * as m202611291600 from './202611291600-identity-passkeys.js';
import * as m202611291700 from './202611291700-access-assignments.js';
import * as m202611291800 from './202611291800-training-courses.js';
import * as m202611301000 from './202611301000-identity-sms.js';
import * as m202611301100 from './202611301100-identity-reauth-method.js';
import * as m202612010900 from './202612010900-files-stored-files.js';
import * as m202612011000 from './202612011000-master-data-records.js';
import * as m202612011100 from './202612011100-master-data-imports.js';
import * as m202612011200 from './202612011200-inventory-ledger.js';
import * as m202612011300 from './202612011300-procurement-orders.js';
import * as m202612011400 from './202612011400-sales-orders.js';
import * as m202612011500 from './202612011500-inventory-stocktake.js';
import * as m202612011600 from './202612011600-clinical-usage-records.js';
import * as m202612011700 from './202612011700-inventory-stocktake-cancel.js';

/** Every migration, in order. Names are `<yyyymmddHHMM>-<module>-<change>` and never change. */
export const migrations: Readonly<Record<string, Migration>> = {
  '202611291000-identity-setup-token': m202611291000,
  '202611291100-audit-trail': m202611291100,
  '202611291200-keys-key-version': m202611291200,
  '202611291300-identity-accounts': m202611291300,
  '202611291400-identity-signatures': m202611291400,
  '202611291500-identity-user-admin': m202611291500,
  '202611291600-identity-passkeys': m202611291600,
  '202611291700-access-assignments': m202611291700,
  '202611291800-training-courses': m202611291800,
  '202611301000-identity-sms': m202611301000,
  '202611301100-identity-reauth-method': m202611301100,
  '202612010900-files-stored-files': m202612010900,
  '202612011000-master-data-records': m202612011000,
  '202612011100-master-data-imports': m202612011100,
  '202612011200-inventory-ledger': m202612011200,
  '202612011300-procurement-orders': m202612011300,
  '202612011400-sales-orders': m202612011400,
  '202612011500-inventory-stocktake': m202612011500,
  '202612011600-clinical-usage-records': m202612011600,
  '202612011700-inventory-stocktake-cancel': m202612011700,
};
