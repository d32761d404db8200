import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Procurement (GSP arts. 55–67): purchase orders with their line snapshots, receipts against the
 * delivery slip with the cold-chain record, acceptances with every scan kept raw, and per-day
 * document number sequences. Posted records are protected by triggers as well as by the actions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);

  // Per-day document numbers (PO-20261129-0001): one row per prefix and day, bumped by an upsert.
  await db.schema
    .createTable('pur_sequence')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pur_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('orderDate', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('supplierId', 'text', (c) => c.notNull())
    .addColumn('supplierCode', 'text', (c) => c.notNull())
    .addColumn('supplierName', 'text', (c) => c.notNull())
    .addColumn('supplierContact', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('totalFen', 'bigint', (c) => c.notNull())
    .addColumn('createdBy', 'text', (c) => c.notNull())
    .addColumn('createdByName', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('submittedBy', 'text')
    .addColumn('submittedByName', 'text')
    .addColumn('submittedAt', 'text')
    .addColumn('approvedBy', 'text')
    .addColumn('approvedByName', 'text')
    .addColumn('approvedAt', 'text')
    .addColumn('approvedDate', 'text')
    .addColumn('approvalNote', 'text')
    .addColumn('approvalSignatureId', 'text')
    .addColumn('returnedByName', 'text')
    .addColumn('returnedAt', 'text')
    .addColumn('returnNote', 'text')
    .addColumn('cancelledByName', 'text')
    .addColumn('cancelledAt', 'text')
    .addColumn('cancelReason', 'text')
    .addColumn('closedByName', 'text')
    .addColumn('closedAt', 'text')
    .addColumn('closeReason', 'text')
    .addColumn('lockVersion', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('pur_order_date').on('pur_order').columns(['orderDate', 'number']).execute();
  await db.schema.createIndex('pur_order_supplier').on('pur_order').columns(['supplierId', 'orderDate']).execute();
  await db.schema.createIndex('pur_order_site').on('pur_order').columns(['site', 'status']).execute();

  await db.schema
    .createTable('pur_order_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().references('pur_order.id'))
    .addColumn('lineNo', 'integer', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('productCode', 'text', (c) => c.notNull())
    .addColumn('productName', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('deviceClass', 'text', (c) => c.notNull())
    .addColumn('registrant', 'text', (c) => c.notNull())
    .addColumn('registrantLicenceNo', 'text')
    .addColumn('contractManufacturer', 'text')
    .addColumn('contractManufacturerLicenceNo', 'text')
    .addColumn('certificateNo', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('unitPriceFen', 'bigint', (c) => c.notNull().check(sql`"unitPriceFen" >= 0`))
    .addColumn('amountFen', 'bigint', (c) => c.notNull().check(sql`"amountFen" = "quantity" * "unitPriceFen"`))
    .execute();
  await db.schema
    .createIndex('pur_order_line_no')
    .on('pur_order_line')
    .columns(['orderId', 'lineNo'])
    .unique()
    .execute();
  await db.schema.createIndex('pur_order_line_product').on('pur_order_line').columns(['productId']).execute();

  await db.schema
    .createTable('pur_receipt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('orderId', 'text', (c) => c.notNull().references('pur_order.id'))
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('supplierId', 'text', (c) => c.notNull())
    .addColumn('deliverySlipNo', 'text', (c) => c.notNull())
    .addColumn('deliverySlipDate', 'text', (c) => c.notNull())
    .addColumn('transportMode', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('waybillNo', 'text')
    .addColumn('vehicle', 'text')
    .addColumn('coldDepartedAt', 'text')
    .addColumn('coldArrivedAt', 'text')
    .addColumn('coldTransitMinTenths', 'integer')
    .addColumn('coldTransitMaxTenths', 'integer')
    .addColumn('coldArrivalTenths', 'integer')
    .addColumn('coldDevice', 'text')
    .addColumn('note', 'text')
    .addColumn('receivedAt', 'text', (c) => c.notNull())
    .addColumn('receivedDate', 'text', (c) => c.notNull())
    .addColumn('receivedBy', 'text', (c) => c.notNull())
    .addColumn('receivedByName', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pur_receipt_order').on('pur_receipt').columns(['orderId']).execute();

  await db.schema
    .createTable('pur_receipt_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receiptId', 'text', (c) => c.notNull().references('pur_receipt.id'))
    .addColumn('orderLineId', 'text', (c) => c.notNull().references('pur_order_line.id'))
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('quantityReceived', 'integer', (c) => c.notNull().check(sql`"quantityReceived" >= 0`))
    .addColumn('quantityRefused', 'integer', (c) => c.notNull().check(sql`"quantityRefused" >= 0`))
    .addColumn('refusalReason', 'text')
    .addColumn('quarantineLocationId', 'text')
    .execute();
  await db.schema.createIndex('pur_receipt_line_receipt').on('pur_receipt_line').columns(['receiptId']).execute();
  await db.schema.createIndex('pur_receipt_line_order').on('pur_receipt_line').columns(['orderLineId']).execute();

  await db.schema
    .createTable('pur_acceptance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('receiptId', 'text', (c) => c.notNull().unique().references('pur_receipt.id'))
    .addColumn('orderId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('supplierId', 'text', (c) => c.notNull())
    .addColumn('purchaseDate', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('lockVersion', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supplierName', 'text')
    .addColumn('supplierAddress', 'text')
    .addColumn('supplierContact', 'text')
    .addColumn('note', 'text')
    .addColumn('inspectorId', 'text')
    .addColumn('inspectorName', 'text')
    .addColumn('concludedAt', 'text')
    .addColumn('signatureId', 'text')
    .addColumn('recordHash', 'text')
    .execute();
  await db.schema.createIndex('pur_acceptance_date').on('pur_acceptance').columns(['purchaseDate', 'number']).execute();

  await db.schema
    .createTable('pur_acceptance_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('acceptanceId', 'text', (c) => c.notNull().references('pur_acceptance.id'))
    .addColumn('receiptLineId', 'text', (c) => c.notNull().references('pur_receipt_line.id'))
    .addColumn('accepted', 'integer', (c) => c.notNull().check(sql`"accepted" >= 0`))
    .addColumn('rejected', 'integer', (c) => c.notNull().check(sql`"rejected" >= 0`))
    .addColumn('conclusion', 'text', (c) => c.notNull())
    .addColumn('nonConformity', 'text')
    .addColumn('disposition', 'text')
    .addColumn('putawayLocationId', 'text')
    .addColumn('nonconformingLocationId', 'text')
    .execute();
  await db.schema
    .createIndex('pur_acceptance_line_once')
    .on('pur_acceptance_line')
    .columns(['acceptanceId', 'receiptLineId'])
    .unique()
    .execute();

  await db.schema
    .createTable('pur_acceptance_lot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('acceptanceId', 'text', (c) => c.notNull().references('pur_acceptance.id'))
    .addColumn('receiptLineId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull().check(sql`"accepted" >= 0`))
    .addColumn('rejected', 'integer', (c) => c.notNull().check(sql`"rejected" >= 0`))
    .execute();
  await db.schema
    .createIndex('pur_acceptance_lot_once')
    .on('pur_acceptance_lot')
    .columns(['acceptanceId', 'receiptLineId', 'lotId'])
    .unique()
    .execute();

  await db.schema
    .createTable('pur_scan')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('acceptanceId', 'text', (c) => c.notNull().references('pur_acceptance.id'))
    .addColumn('receiptLineId', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('productionDate', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('issuer', 'text')
    .addColumn('di', 'text')
    .addColumn('raw', 'text')
    // `productId|level|serial` for serialised scans while not voided: a unit is identified once.
    .addColumn('unitKey', 'text')
    .addColumn('movementId', 'text', (c) => c.notNull())
    .addColumn('scannedAt', 'text', (c) => c.notNull())
    .addColumn('scannedBy', 'text', (c) => c.notNull())
    .addColumn('scannedByName', 'text', (c) => c.notNull())
    .addColumn('voidedAt', 'text')
    .addColumn('voidedByName', 'text')
    .addColumn('voidReason', 'text')
    .addColumn('reversalId', 'text')
    .execute();
  await db.schema.createIndex('pur_scan_unit').on('pur_scan').columns(['acceptanceId', 'unitKey']).unique().execute();
  await db.schema.createIndex('pur_scan_line').on('pur_scan').columns(['acceptanceId', 'receiptLineId']).execute();

  // Posted records: receipts and conclusions are never edited; nothing is deleted; an order's
  // content and lines change only while it is a draft; a concluded acceptance is frozen; a scan
  // keeps what was read (only its voiding is added).
  const orderContent = ['supplierId', 'supplierCode', 'supplierName', 'supplierContact', 'warehouseId', 'site'];
  const orderFrozen = ['id', 'number', 'orderDate', 'createdBy', 'createdByName', 'createdAt'];
  const scanFrozen = [
    'id',
    'acceptanceId',
    'receiptLineId',
    'productId',
    'lotId',
    'lot',
    'serial',
    'expiryDate',
    'level',
    'quantity',
    'di',
    'raw',
    'movementId',
    'scannedAt',
    'scannedBy',
  ];
  const cols = (names: string[]) => sql.join(names.map((c) => sql.ref(c)));
  const appendOnly = ['pur_receipt', 'pur_receipt_line', 'pur_acceptance_line', 'pur_acceptance_lot'];
  const keep = ['pur_order', 'pur_order_line', 'pur_acceptance', 'pur_scan'];
  if (pg) {
    await sql`CREATE FUNCTION medledger_pur_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s text;
      BEGIN
        IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'pur_order_line is never updated'; END IF;
        SELECT status INTO s FROM pur_order WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD."orderId" ELSE NEW."orderId" END);
        IF s IS DISTINCT FROM 'draft' THEN
          RAISE EXCEPTION 'pur_order_line: the order is % and its lines are frozen', s;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER pur_order_line_guard BEFORE INSERT OR UPDATE OR DELETE ON pur_order_line
      FOR EACH ROW EXECUTE FUNCTION medledger_pur_line_guard()`.execute(db);
    for (const table of appendOnly) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    for (const table of keep) {
      if (table === 'pur_order_line') continue;
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    for (const table of [...appendOnly, ...keep]) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
    await sql`CREATE TRIGGER pur_order_frozen BEFORE UPDATE OF ${cols(orderFrozen)} ON pur_order
      FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE TRIGGER pur_order_content BEFORE UPDATE OF ${cols([...orderContent, 'note', 'totalFen'])} ON pur_order
      FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE TRIGGER pur_acceptance_concluded BEFORE UPDATE ON pur_acceptance
      FOR EACH ROW WHEN (OLD.status = 'concluded') EXECUTE FUNCTION medledger_append_only()`.execute(db);
    await sql`CREATE TRIGGER pur_scan_frozen BEFORE UPDATE OF ${cols(scanFrozen)} ON pur_scan
      FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
  } else {
    const raise = (message: string) => sql`SELECT RAISE(ABORT, ${sql.lit(message)})`;
    await sql`CREATE TRIGGER pur_order_line_no_update BEFORE UPDATE ON pur_order_line
      BEGIN ${raise('pur_order_line is never updated')}; END`.execute(db);
    for (const [op, row] of [
      ['INSERT', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      await sql`CREATE TRIGGER ${sql.raw(`pur_order_line_${op.toLowerCase()}_draft`)} BEFORE ${sql.raw(op)} ON pur_order_line
        WHEN (SELECT status FROM pur_order WHERE id = ${sql.raw(row)}."orderId") IS NOT 'draft'
        BEGIN ${raise('pur_order_line: the order is not a draft and its lines are frozen')}; END`.execute(db);
    }
    for (const table of appendOnly) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN ${raise(`${table} is append-only: ${op} refused`)}; END`.execute(db);
      }
    }
    for (const table of ['pur_order', 'pur_acceptance', 'pur_scan']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN ${raise(`${table} rows are kept: DELETE refused`)}; END`.execute(db);
    }
    await sql`CREATE TRIGGER pur_order_frozen BEFORE UPDATE OF ${cols(orderFrozen)} ON pur_order
      BEGIN ${raise('pur_order: number, date and creator never change')}; END`.execute(db);
    await sql`CREATE TRIGGER pur_order_content BEFORE UPDATE OF ${cols([...orderContent, 'note', 'totalFen'])} ON pur_order
      WHEN OLD.status <> 'draft'
      BEGIN ${raise('pur_order: only a draft can be edited')}; END`.execute(db);
    await sql`CREATE TRIGGER pur_acceptance_concluded BEFORE UPDATE ON pur_acceptance
      WHEN OLD.status = 'concluded'
      BEGIN ${raise('pur_acceptance: a concluded acceptance is frozen')}; END`.execute(db);
    await sql`CREATE TRIGGER pur_scan_frozen BEFORE UPDATE OF ${cols(scanFrozen)} ON pur_scan
      BEGIN ${raise('pur_scan: what was scanned never changes')}; END`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Purchase and acceptance records are GSP records and are never dropped by a migration.
  await Promise.resolve();
}
