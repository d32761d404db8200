/**
 * Stock benchmark: on-hand and FEFO allocation latency (95th percentile) with 1,000,000 ledger
 * rows over 100,000 lots, against a baseline measured in the same run: the same reads as hand-written
 * prepared statements on the raw SQLite handle. Target: p95 under 20 ms for both.
 */
import { randomUUID } from 'node:crypto';
import type { Permission } from '@medledger/contract';
import { allocateFefo, onHandTotals } from '../src/modules/inventory/index.js';
import type { DbHandle } from '../src/platform/db/create-db.js';
import { systemCtx, type Ctx } from '../src/platform/http/ctx.js';
import type { Runtime } from '../src/platform/runtime.js';

const PRODUCTS = 1_000;
const LOTS_PER_PRODUCT = 100; // 100,000 lots
const MOVEMENTS_PER_LOT = 10; // 1,000,000 ledger rows
const LOCATIONS = 200;
const SAMPLES = 400;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

function day(offset: number): string {
  return new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Loads the synthetic stock straight into the tables (the write path is measured elsewhere). */
function load(handle: DbHandle): { productIds: string[]; warehouseId: string } {
  const sqlite = handle.sqlite!;
  const warehouseId = randomUUID();
  const now = new Date().toISOString();
  const productIds: string[] = [];
  sqlite.transaction(() => {
    sqlite
      .prepare('insert into md_warehouse (id, code, name, site, address, "createdAt") values (?, ?, ?, ?, ?, ?)')
      .run(warehouseId, 'WH-BENCH', '基准仓', 'SH', '示例路 1 号', now);
    const areaId = randomUUID();
    sqlite
      .prepare('insert into md_storage_area (id, "warehouseId", code, name, zone, storage) values (?, ?, ?, ?, ?, ?)')
      .run(areaId, warehouseId, 'A', '合格区', 'qualified', 'normal');
    const locations: string[] = [];
    const insLoc = sqlite.prepare('insert into md_location (id, "areaId", code, active) values (?, ?, ?, 1)');
    for (let i = 0; i < LOCATIONS; i++) {
      const id = randomUUID();
      insLoc.run(id, areaId, `A-${i}`);
      locations.push(id);
    }
    const insProduct = sqlite.prepare(
      `insert into md_product (id, code, name, model, specification, "deviceClass", "catalogCode", registrant,
        "registrantLicenceNo", "contractManufacturer", "contractManufacturerLicenceNo", "certificateNo", "certificateIssuedOn",
        "certificateValidUntil", "certificateCancelledAt", implantable, storage, "humidityMax", status, version, "approvedAt",
        "approvedByName", "createdAt", "updatedAt")
       values (?, ?, ?, 'M', 'S', 'II', '07', '示例', null, null, null, ?, '2024-01-01', '2030-01-01', null, 0, 'normal', null,
        'approved', 1, ?, 'bench', ?, ?)`,
    );
    const insLot = sqlite.prepare(
      `insert into inv_lot (id, "productId", lot, serial, "serialKey", "productionDate", "expiryDate", "sterilisationBatch",
        "holdReason", "heldAt", "createdAt") values (?, ?, ?, null, '', null, ?, null, null, null, ?)`,
    );
    const insMove = sqlite.prepare(
      `insert into inv_movement (id, at, kind, "productId", "lotId", "locationId", "warehouseId", zone, quantity, "docType",
        "docId", "reversalOf", "actorId", "actorName", note) values (?, ?, ?, ?, ?, ?, ?, 'qualified', ?, 'bench', ?, null, 'bench', 'bench', null)`,
    );
    const insBalance = sqlite.prepare(
      `insert into inv_balance ("lotId", "locationId", "productId", "warehouseId", zone, "expiryDate", quantity)
       values (?, ?, ?, ?, 'qualified', ?, ?)`,
    );
    for (let p = 0; p < PRODUCTS; p++) {
      const productId = randomUUID();
      productIds.push(productId);
      insProduct.run(productId, `P-${p}`, `产品 ${p}`, `国械注准${p}`, now, now, now);
      for (let l = 0; l < LOTS_PER_PRODUCT; l++) {
        const lotId = randomUUID();
        // Some lots have expired: FEFO must pass over them.
        const expiry = day(((p * 37 + l * 113) % 1400) - 200);
        insLot.run(lotId, productId, `L${p}-${l}`, expiry, now);
        const location = locations[(p + l) % LOCATIONS]!;
        let qty = 0;
        for (let m = 0; m < MOVEMENTS_PER_LOT; m++) {
          const q = m % 3 === 2 ? -3 : 10;
          qty += q;
          insMove.run(
            randomUUID(),
            now,
            q > 0 ? 'receipt' : 'issue',
            productId,
            lotId,
            location,
            warehouseId,
            q,
            `doc-${p}-${l}`,
          );
        }
        insBalance.run(lotId, location, productId, warehouseId, expiry, qty);
      }
    }
  })();
  return { productIds, warehouseId };
}

export async function benchStock(
  runtime: Runtime,
  handle: DbHandle,
): Promise<{ onHandP95: number; fefoP95: number; baseOnHand: number; baseFefo: number }> {
  const t0 = Date.now();
  const { productIds, warehouseId } = load(handle);
  handle.sqlite!.pragma('optimize');
  process.stderr.write(`  loaded 1,000,000 ledger rows / 100,000 lots in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const base = systemCtx(runtime, 'bench stock');
  const ctx: Ctx = {
    ...base,
    actor: { ...base.actor!, permissions: new Set<Permission>(['inventory.stock.read', 'inventory.stock.move']) },
  };
  const sqlite = handle.sqlite!;
  const rawOnHand = sqlite.prepare(
    'select zone, sum(quantity) as qty from inv_balance where "productId" = ? group by zone',
  );
  const rawFefo = sqlite.prepare(
    `select b."lotId", b."locationId", b."expiryDate", b.quantity, l."holdReason" from inv_balance b join inv_lot l on l.id = b."lotId"
     where b."productId" = ? and b."warehouseId" = ? and b.zone = 'qualified' and b.quantity > 0 and b."expiryDate" >= ?
     order by b."expiryDate", l.lot limit 50`,
  );
  const today = new Date().toISOString().slice(0, 10);
  const onHand: number[] = [];
  const fefo: number[] = [];
  const rawA: number[] = [];
  const rawB: number[] = [];
  const time = async (f: () => unknown) => {
    const start = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < SAMPLES; i++) {
    const productId = productIds[(i * 7919) % productIds.length]!;
    onHand.push(await time(() => onHandTotals(ctx, productId)));
    fefo.push(await time(() => allocateFefo(ctx, { productId, warehouseId, quantity: 40 })));
    rawA.push(await time(() => rawOnHand.all(productId)));
    rawB.push(await time(() => rawFefo.all(productId, warehouseId, today)));
  }
  return { onHandP95: p95(onHand), fefoP95: p95(fefo), baseOnHand: p95(rawA), baseFefo: p95(rawB) };
}
