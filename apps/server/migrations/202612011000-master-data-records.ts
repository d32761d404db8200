import type { Kysely } from 'kysely';

/**
 * Quality master data (GSP arts. 53, 54, 82): parties with licences and authorisation letters,
 * products with packaging levels and UDI-DIs, every proposed version (the change history QA
 * approves), expiry reminders sent, and warehouses with GSP zones and locations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('md_party')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('isSupplier', 'integer', (c) => c.notNull())
    .addColumn('isManufacturer', 'integer', (c) => c.notNull())
    .addColumn('customerType', 'text')
    .addColumn('legalRepresentative', 'text', (c) => c.notNull())
    .addColumn('enterpriseHead', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('warehouseAddress', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('approvedAt', 'text')
    .addColumn('approvedByName', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('updatedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_party_uscc').on('md_party').column('uscc').execute();

  await db.schema
    .createTable('md_party_licence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partyId', 'text', (c) => c.notNull().references('md_party.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('issuedOn', 'text', (c) => c.notNull())
    .addColumn('validUntil', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_party_licence_party').on('md_party_licence').column('partyId').execute();
  await db.schema.createIndex('md_party_licence_valid').on('md_party_licence').column('validUntil').execute();

  await db.schema
    .createTable('md_rep_authorisation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partyId', 'text', (c) => c.notNull().references('md_party.id'))
    .addColumn('repName', 'text', (c) => c.notNull())
    .addColumn('productCodes', 'text', (c) => c.notNull())
    .addColumn('territory', 'text', (c) => c.notNull())
    .addColumn('validFrom', 'text', (c) => c.notNull())
    .addColumn('validUntil', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_rep_authorisation_party').on('md_rep_authorisation').column('partyId').execute();

  await db.schema
    .createTable('md_rep_id_number')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('idNumberSealed', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('md_product')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('specification', 'text', (c) => c.notNull())
    .addColumn('deviceClass', 'text', (c) => c.notNull())
    .addColumn('catalogCode', 'text', (c) => c.notNull())
    .addColumn('registrant', 'text', (c) => c.notNull())
    .addColumn('registrantLicenceNo', 'text')
    .addColumn('contractManufacturer', 'text')
    .addColumn('contractManufacturerLicenceNo', 'text')
    .addColumn('certificateNo', 'text', (c) => c.notNull())
    .addColumn('certificateIssuedOn', 'text', (c) => c.notNull())
    .addColumn('certificateValidUntil', 'text')
    .addColumn('certificateCancelledAt', 'text')
    .addColumn('implantable', 'integer', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('humidityMax', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('approvedAt', 'text')
    .addColumn('approvedByName', 'text')
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .addColumn('updatedAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_product_certificate').on('md_product').column('certificateNo').execute();

  await db.schema
    .createTable('md_product_package')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('productId', 'text', (c) => c.notNull().references('md_product.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('md_product_package_level')
    .on('md_product_package')
    .columns(['productId', 'level'])
    .unique()
    .execute();

  await db.schema
    .createTable('md_udi_di')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('di', 'text', (c) => c.notNull())
    .addColumn('productId', 'text', (c) => c.notNull().references('md_product.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('md_udi_di_pk', ['issuer', 'di'])
    .execute();
  await db.schema.createIndex('md_udi_di_product').on('md_udi_di').column('productId').execute();

  await db.schema
    .createTable('md_change')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entityId', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('firstBusiness', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('changedFields', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requestedBy', 'text', (c) => c.notNull())
    .addColumn('requestedByName', 'text', (c) => c.notNull())
    .addColumn('requestedAt', 'text', (c) => c.notNull())
    .addColumn('decidedBy', 'text')
    .addColumn('decidedByName', 'text')
    .addColumn('decidedAt', 'text')
    .addColumn('decisionNote', 'text')
    .addColumn('signatureId', 'text')
    .execute();
  await db.schema.createIndex('md_change_entity').on('md_change').columns(['entityId', 'version']).unique().execute();
  await db.schema.createIndex('md_change_status').on('md_change').columns(['status', 'requestedAt']).execute();

  await db.schema
    .createTable('md_expiry_notice')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('notifiedAt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('md_warehouse')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_warehouse_site').on('md_warehouse').column('site').execute();

  await db.schema
    .createTable('md_storage_area')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warehouseId', 'text', (c) => c.notNull().references('md_warehouse.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('md_storage_area_code')
    .on('md_storage_area')
    .columns(['warehouseId', 'code'])
    .unique()
    .execute();

  await db.schema
    .createTable('md_location')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('areaId', 'text', (c) => c.notNull().references('md_storage_area.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('md_location_code').on('md_location').columns(['areaId', 'code']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'md_location',
    'md_storage_area',
    'md_warehouse',
    'md_expiry_notice',
    'md_change',
    'md_udi_di',
    'md_product_package',
    'md_product',
    'md_rep_id_number',
    'md_rep_authorisation',
    'md_party_licence',
    'md_party',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
