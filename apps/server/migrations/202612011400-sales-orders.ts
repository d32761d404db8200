import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * Sales (GSP arts. 84–99, 106–107): orders with their line snapshots, FEFO allocations into the
 * shipping zone, outbound review scans, refusals and signed reviews, shipments with the transport
 * record, customer returns with re-inspection, returns to suppliers and disposals. Posted documents
 * are append-only; document numbers come from a per-day counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .createTable('sales_doc_counter')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_doc_counter_pk', ['prefix', 'day'])
    .execute();

  await db.schema
    .createTable('sales_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderNo', 'text', (c) => c.notNull().unique())
    .addColumn('customerId', 'text', (c) => c.notNull())
    .addColumn('customerCode', 'text', (c) => c.notNull())
    .addColumn('customerName', 'text', (c) => c.notNull())
    .addColumn('customerLicenceNo', 'text')
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('warehouseCode', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('deliveryAddress', 'text', (c) => c.notNull())
    .addColumn('deliveryContact', 'text', (c) => c.notNull())
    .addColumn('deliveryPhone', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('totalAmount', 'bigint', (c) => c.notNull())
    .addColumn('remarks', 'text')
    .addColumn('createdBy', 'text', (c) => c.notNull())
    .addColumn('createdByName', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('confirmedBy', 'text')
    .addColumn('confirmedByName', 'text')
    .addColumn('confirmedAt', 'text')
    .addColumn('cancelledBy', 'text')
    .addColumn('cancelledByName', 'text')
    .addColumn('cancelledAt', 'text')
    .addColumn('cancelReason', 'text')
    .execute();
  await db.schema.createIndex('sales_order_site').on('sales_order').columns(['site', 'createdAt']).execute();
  await db.schema.createIndex('sales_order_customer').on('sales_order').columns(['customerId']).execute();

  await db.schema
    .createTable('sales_order_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('lineNo', 'integer', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('productCode', 'text', (c) => c.notNull())
    .addColumn('productName', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('registrant', 'text', (c) => c.notNull())
    .addColumn('contractManufacturer', 'text')
    .addColumn('manufacturerLicenceNo', 'text')
    .addColumn('certificateNo', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('gs1Di', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('unitPrice', 'bigint', (c) => c.notNull().check(sql`"unitPrice" >= 0`))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sales_order_line_no')
    .on('sales_order_line')
    .columns(['orderId', 'lineNo'])
    .unique()
    .execute();
  await db.schema.createIndex('sales_order_line_product').on('sales_order_line').columns(['productId']).execute();

  await db.schema
    .createTable('sales_allocation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('lineId', 'text', (c) => c.notNull().references('sales_order_line.id'))
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('productionDate', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('fromLocationId', 'text', (c) => c.notNull())
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('refused', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('allocatedBy', 'text', (c) => c.notNull())
    .addColumn('allocatedByName', 'text', (c) => c.notNull())
    .addColumn('allocatedAt', 'text', (c) => c.notNull())
    .addCheckConstraint('sales_allocation_refused', sql`"refused" >= 0 and "refused" <= "quantity"`)
    .execute();
  await db.schema.createIndex('sales_allocation_order').on('sales_allocation').columns(['orderId']).execute();
  await db.schema.createIndex('sales_allocation_lot').on('sales_allocation').columns(['lotId']).execute();

  await db.schema
    .createTable('sales_review_scan')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('allocationId', 'text', (c) => c.notNull().references('sales_allocation.id'))
    /** The lot id of a serialised unit (each serial is one lot row), else null: one scan per serial. */
    .addColumn('serialGuard', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('udi', 'text', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull().check(sql`"units" > 0`))
    .addColumn('scannedBy', 'text', (c) => c.notNull())
    .addColumn('scannedByName', 'text', (c) => c.notNull())
    .addColumn('scannedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sales_review_scan_order').on('sales_review_scan').columns(['orderId']).execute();
  await db.schema
    .createIndex('sales_review_scan_serial')
    .on('sales_review_scan')
    .columns(['orderId', 'serialGuard'])
    .unique()
    .execute();

  await db.schema
    .createTable('sales_review_refusal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('allocationId', 'text', (c) => c.notNull().references('sales_allocation.id'))
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('toLocationId', 'text', (c) => c.notNull())
    .addColumn('refusedBy', 'text', (c) => c.notNull())
    .addColumn('refusedByName', 'text', (c) => c.notNull())
    .addColumn('refusedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sales_review_refusal_order').on('sales_review_refusal').columns(['orderId']).execute();

  await db.schema
    .createTable('sales_review')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('orderId', 'text', (c) => c.notNull().unique().references('sales_order.id'))
    .addColumn('reviewerId', 'text', (c) => c.notNull())
    .addColumn('reviewerName', 'text', (c) => c.notNull())
    .addColumn('reviewedAt', 'text', (c) => c.notNull())
    .addColumn('outboundDate', 'text', (c) => c.notNull())
    .addColumn('signatureId', 'text', (c) => c.notNull())
    .addColumn('recordHash', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    /** The signed art. 88 record as JSON: what the signature's hash covers. */
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sales_shipment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shipmentNo', 'text', (c) => c.notNull().unique())
    // One shipment per order, enforced by the database as well.
    .addColumn('orderId', 'text', (c) => c.notNull().unique().references('sales_order.id'))
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('shipDate', 'text', (c) => c.notNull())
    .addColumn('shippedAt', 'text', (c) => c.notNull())
    .addColumn('shippedBy', 'text', (c) => c.notNull())
    .addColumn('shippedByName', 'text', (c) => c.notNull())
    .addColumn('customerLicenceNo', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('waybillNo', 'text')
    .addColumn('vehiclePlate', 'text')
    .addColumn('driver', 'text')
    .addColumn('consigneeName', 'text', (c) => c.notNull())
    .addColumn('consigneeAddress', 'text', (c) => c.notNull())
    .addColumn('consigneeContact', 'text', (c) => c.notNull())
    .addColumn('consigneePhone', 'text')
    .addColumn('thirdPartyLogistics', 'text')
    .addColumn('coldBoxPreconditioned', 'integer')
    .addColumn('coldLoadedAt', 'text')
    .addColumn('coldTemperatureTenths', 'integer')
    .addColumn('remarks', 'text')
    .execute();
  await db.schema.createIndex('sales_shipment_date').on('sales_shipment').columns(['site', 'shipDate']).execute();

  await db.schema
    .createTable('sales_return')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('returnNo', 'text', (c) => c.notNull().unique())
    .addColumn('orderId', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('shipmentId', 'text', (c) => c.notNull().references('sales_shipment.id'))
    .addColumn('customerId', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('transportConditions', 'text', (c) => c.notNull())
    .addColumn('coldRecordChecked', 'integer')
    .addColumn('coldMinTenths', 'integer')
    .addColumn('coldMaxTenths', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('returnDate', 'text', (c) => c.notNull())
    .addColumn('receivedAt', 'text', (c) => c.notNull())
    .addColumn('receivedBy', 'text', (c) => c.notNull())
    .addColumn('receivedByName', 'text', (c) => c.notNull())
    .addColumn('inspectorId', 'text')
    .addColumn('inspectorName', 'text')
    .addColumn('inspectedAt', 'text')
    .addColumn('signatureId', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('sales_return_order').on('sales_return').columns(['orderId']).execute();
  await db.schema.createIndex('sales_return_date').on('sales_return').columns(['site', 'returnDate']).execute();

  await db.schema
    .createTable('sales_return_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('returnId', 'text', (c) => c.notNull().references('sales_return.id'))
    .addColumn('allocationId', 'text', (c) => c.notNull().references('sales_allocation.id'))
    .addColumn('orderLineId', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('udi', 'text')
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .addColumn('qualified', 'integer')
    .addColumn('nonconforming', 'integer')
    .execute();
  await db.schema.createIndex('sales_return_line_return').on('sales_return_line').columns(['returnId']).execute();
  await db.schema
    .createIndex('sales_return_line_allocation')
    .on('sales_return_line')
    .columns(['allocationId'])
    .execute();

  await db.schema
    .createTable('sales_supplier_return')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('returnNo', 'text', (c) => c.notNull().unique())
    .addColumn('supplierId', 'text', (c) => c.notNull())
    .addColumn('supplierCode', 'text', (c) => c.notNull())
    .addColumn('supplierName', 'text', (c) => c.notNull())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('warehouseCode', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('waybillNo', 'text')
    .addColumn('vehiclePlate', 'text')
    .addColumn('driver', 'text')
    .addColumn('returnDate', 'text', (c) => c.notNull())
    .addColumn('returnedAt', 'text', (c) => c.notNull())
    .addColumn('returnedBy', 'text', (c) => c.notNull())
    .addColumn('returnedByName', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sales_disposal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disposalNo', 'text', (c) => c.notNull().unique())
    .addColumn('warehouseId', 'text', (c) => c.notNull())
    .addColumn('warehouseCode', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('witnesses', 'text', (c) => c.notNull())
    .addColumn('disposalDate', 'text', (c) => c.notNull())
    .addColumn('disposedAt', 'text', (c) => c.notNull())
    .addColumn('signerId', 'text', (c) => c.notNull())
    .addColumn('signerName', 'text', (c) => c.notNull())
    .addColumn('signatureId', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sales_stock_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('docType', 'text', (c) => c.notNull())
    .addColumn('docId', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull())
    .addColumn('productName', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('certificateNo', 'text', (c) => c.notNull())
    .addColumn('lotId', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('expiryDate', 'text')
    .addColumn('locationId', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`"quantity" > 0`))
    .execute();
  await db.schema.createIndex('sales_stock_line_doc').on('sales_stock_line').columns(['docId']).execute();

  // GSP-01: posted records are never edited or deleted; corrections are new documents.
  const appendOnly = [
    'sales_order_line',
    'sales_review_scan',
    'sales_review_refusal',
    'sales_review',
    'sales_shipment',
    'sales_supplier_return',
    'sales_disposal',
    'sales_stock_line',
  ];
  if (pg) {
    for (const table of appendOnly) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION medledger_append_only()`.execute(db);
    }
  } else {
    for (const table of appendOnly) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only: ${op} refused`)}); END`.execute(db);
      }
    }
  }
  // Orders, allocations and returns change state but are never deleted.
  for (const table of ['sales_order', 'sales_allocation', 'sales_return', 'sales_return_line']) {
    if (pg) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION medledger_append_only()`.execute(db);
    } else {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} records are never deleted: DELETE refused`)}); END`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  // Sales, outbound review and return records are GSP records and are never dropped by a migration.
  await Promise.resolve();
}
