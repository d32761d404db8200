import type { ProductFields, ProductView, ProposeProductInput } from '@medledger/contract';
import { record } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { fileChange, pendingChangeIds } from './master-data.changes.js';
import { searchPattern } from './master-data.common.js';
import type { MdProductTable } from './master-data.tables.js';

/** A product's content as stored in a change (the proposal as validated by the contract). */
export type ProductPayload = ProductFields;

function productColumns(p: ProductPayload) {
  return {
    code: p.code,
    name: p.name,
    model: p.model,
    specification: p.specification,
    deviceClass: p.deviceClass,
    catalogCode: p.catalogCode,
    registrant: p.registrant,
    registrantLicenceNo: p.registrantLicenceNo,
    contractManufacturer: p.contractManufacturer,
    contractManufacturerLicenceNo: p.contractManufacturerLicenceNo,
    certificateNo: p.certificateNo,
    certificateIssuedOn: p.certificateIssuedOn,
    certificateValidUntil: p.certificateValidUntil,
    implantable: p.implantable ? 1 : 0,
    storage: p.storage,
    humidityMax: p.humidityMax,
  };
}

/** A UDI-DI identifies one packaging level of one product: refuse one that another product uses. */
async function assertDisFree(ctx: Ctx, productId: string | null, p: ProductPayload): Promise<void> {
  const dis = p.packages.flatMap((l) => l.dis.map((d) => d.di));
  if (dis.length === 0) return;
  // Two index lookups rather than a join: inside a long transaction (an import) PostgreSQL plans
  // the join from statistics of a nearly empty table and would scan md_product for every product.
  const first = await ctx.db
    .selectFrom('md_udi_di')
    .select(['di', 'productId'])
    .where('di', 'in', dis)
    .$if(productId !== null, (q) => q.where('productId', '!=', productId!))
    .orderBy('di')
    .limit(1)
    .executeTakeFirst();
  if (first !== undefined) {
    const owner = await loadProductRow(ctx, first.productId);
    throw new AppError('conflict', `The UDI-DI ${first.di} already identifies product ${owner.code}.`);
  }
}

async function writePackages(ctx: Ctx, productId: string, p: ProductPayload): Promise<void> {
  await ctx.db.deleteFrom('md_udi_di').where('productId', '=', productId).execute();
  await ctx.db.deleteFrom('md_product_package').where('productId', '=', productId).execute();
  for (const level of p.packages) {
    await ctx.db
      .insertInto('md_product_package')
      .values({
        id: uuidv7(ctx.now.getTime()),
        productId,
        level: level.level,
        unit: level.unit,
        quantity: level.quantity,
      })
      .execute();
    for (const d of level.dis) {
      await ctx.db
        .insertInto('md_udi_di')
        .values({ issuer: d.issuer, di: d.di, productId, level: level.level })
        .execute();
    }
  }
}

/**
 * 首营品种 (GSP art. 54): files a new product with its registration certificate or filing, packaging
 * levels and UDI-DIs. It stays `pending` — unusable — until QA approves it with a signature.
 */
export async function proposeNewProduct(
  ctx: Ctx,
  input: ProposeProductInput,
  options: { importId?: string } = {},
): Promise<{ productId: string; changeId: string }> {
  const exists = await ctx.db
    .selectFrom('md_product')
    .select('id')
    .where('code', '=', input.product.code)
    .executeTakeFirst();
  if (exists !== undefined) {
    throw new AppError('conflict', `A product with the code ${input.product.code} already exists.`);
  }
  await assertDisFree(ctx, null, input.product);
  const productId = uuidv7(ctx.now.getTime());
  const at = ctx.now.toISOString();
  await ctx.db
    .insertInto('md_product')
    .values({
      id: productId,
      ...productColumns(input.product),
      certificateCancelledAt: null,
      status: 'pending',
      version: 0,
      approvedAt: null,
      approvedByName: null,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  await writePackages(ctx, productId, input.product);
  const changeId = await fileChange(ctx, {
    entity: 'product',
    entityId: productId,
    code: input.product.code,
    firstBusiness: true,
    payload: input.product,
    reason: input.reason,
    importId: options.importId,
  });
  return { productId, changeId };
}

/**
 * Proposes a change to a product, e.g. a renewed or changed registration certificate: a new
 * version that takes effect on QA approval, the earlier versions kept as history.
 */
export async function proposeProductChange(ctx: Ctx, productId: string, input: ProposeProductInput): Promise<string> {
  const row = await loadProductRow(ctx, productId);
  if (input.product.code !== row.code) {
    throw new AppError('validation_failed', 'The product code cannot change; create a new product instead.', [
      { path: 'body.product.code', message: `must stay ${row.code}` },
    ]);
  }
  await assertDisFree(ctx, productId, input.product);
  if (row.status !== 'approved') {
    await ctx.db.updateTable('md_product').set(productColumns(input.product)).where('id', '=', productId).execute();
    await writePackages(ctx, productId, input.product);
  }
  return fileChange(ctx, {
    entity: 'product',
    entityId: productId,
    code: row.code,
    firstBusiness: row.status !== 'approved',
    payload: input.product,
    reason: input.reason,
  });
}

/** Puts an approved version of a product in force (called by the QA decision). */
export async function applyProduct(
  ctx: Ctx,
  productId: string,
  payload: ProductPayload,
  version: number,
  approverName: string,
): Promise<void> {
  await assertDisFree(ctx, productId, payload);
  const row = await loadProductRow(ctx, productId);
  await ctx.db
    .updateTable('md_product')
    .set({
      ...productColumns(payload),
      // A new certificate number lifts a cancellation of the old one.
      certificateCancelledAt: row.certificateNo === payload.certificateNo ? row.certificateCancelledAt : null,
      status: 'approved',
      version,
      approvedAt: ctx.now.toISOString(),
      approvedByName: approverName,
      updatedAt: ctx.now.toISOString(),
    })
    .where('id', '=', productId)
    .execute();
  await writePackages(ctx, productId, payload);
}

export async function rejectFirstProduct(ctx: Ctx, productId: string): Promise<void> {
  await ctx.db
    .updateTable('md_product')
    .set({ status: 'rejected', updatedAt: ctx.now.toISOString() })
    .where('id', '=', productId)
    .execute();
}

/**
 * The regulator cancelled the registration certificate (注销): the product is blocked from new
 * purchases and sales at once, without waiting for an approval (blocking is always safe).
 */
export async function cancelCertificate(ctx: Ctx, productId: string, reason: string): Promise<ProductView> {
  const row = await loadProductRow(ctx, productId);
  if (row.certificateCancelledAt !== null) {
    throw new AppError('conflict', 'The certificate is already recorded as cancelled.');
  }
  await ctx.db
    .updateTable('md_product')
    .set({ certificateCancelledAt: ctx.now.toISOString(), updatedAt: ctx.now.toISOString() })
    .where('id', '=', productId)
    .execute();
  await record(ctx, {
    action: 'master-data.certificate.cancelled',
    outcome: 'success',
    resource: { type: 'md_product', id: productId },
    data: { productId, certificateNo: row.certificateNo },
    reason,
  });
  return getProduct(ctx, productId);
}

export async function loadProductRow(ctx: Pick<Ctx, 'db'>, productId: string): Promise<MdProductTable> {
  const row = await ctx.db.selectFrom('md_product').selectAll().where('id', '=', productId).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such product.');
  return row;
}

async function views(ctx: Ctx, rows: MdProductTable[]): Promise<ProductView[]> {
  const ids = rows.map((r) => r.id);
  const packages =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('md_product_package')
          .selectAll()
          .where('productId', 'in', ids)
          .orderBy('level')
          .execute();
  const dis =
    ids.length === 0
      ? []
      : await ctx.db.selectFrom('md_udi_di').selectAll().where('productId', 'in', ids).orderBy('di').execute();
  const pending = await pendingChangeIds(ctx, ids);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    model: r.model,
    specification: r.specification,
    deviceClass: r.deviceClass,
    catalogCode: r.catalogCode,
    registrant: r.registrant,
    registrantLicenceNo: r.registrantLicenceNo,
    contractManufacturer: r.contractManufacturer,
    contractManufacturerLicenceNo: r.contractManufacturerLicenceNo,
    certificateNo: r.certificateNo,
    certificateIssuedOn: r.certificateIssuedOn,
    certificateValidUntil: r.certificateValidUntil,
    certificateCancelledAt: r.certificateCancelledAt,
    implantable: Number(r.implantable) === 1,
    storage: r.storage,
    humidityMax: r.humidityMax === null ? null : Number(r.humidityMax),
    status: r.status,
    version: Number(r.version),
    approvedAt: r.approvedAt,
    approvedByName: r.approvedByName,
    updatedAt: r.updatedAt,
    packages: packages
      .filter((p) => p.productId === r.id)
      .map((p) => ({
        level: Number(p.level),
        unit: p.unit,
        quantity: Number(p.quantity),
        dis: dis
          .filter((d) => d.productId === r.id && Number(d.level) === Number(p.level))
          .map((d) => ({ issuer: d.issuer, di: d.di })),
      })),
    pendingChangeId: pending.get(r.id) ?? null,
  }));
}

export async function getProduct(ctx: Ctx, productId: string): Promise<ProductView> {
  const [view] = await views(ctx, [await loadProductRow(ctx, productId)]);
  return view!;
}

/** Products matching the filter, by code, one page at a time. */
export async function listProducts(
  ctx: Ctx,
  query: {
    q?: string | undefined;
    deviceClass?: MdProductTable['deviceClass'] | undefined;
    status?: MdProductTable['status'] | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ total: number; products: ProductView[] }> {
  let q = ctx.db.selectFrom('md_product');
  const like = searchPattern(query.q);
  if (like !== null) {
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['code']), 'like', like),
        eb(eb.fn('lower', ['name']), 'like', like),
        eb(eb.fn('lower', ['model']), 'like', like),
        eb(eb.fn('lower', ['certificateNo']), 'like', like),
      ]),
    );
  }
  if (query.deviceClass !== undefined) q = q.where('deviceClass', '=', query.deviceClass);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .selectAll()
    .orderBy('code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { total: Number(total?.n ?? 0), products: await views(ctx, rows) };
}

/** The product a scanned UDI-DI identifies (approved or not), with the packaging level. */
export async function productByDi(
  ctx: Pick<Ctx, 'db'>,
  di: string,
): Promise<{ productId: string; level: number } | null> {
  const row = await ctx.db
    .selectFrom('md_udi_di')
    .select(['productId', 'level'])
    .where('di', '=', di)
    .executeTakeFirst();
  return row === undefined ? null : { productId: row.productId, level: Number(row.level) };
}
