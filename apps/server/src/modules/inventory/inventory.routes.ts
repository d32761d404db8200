import {
  ClimateInput,
  ClimateListResponse,
  ClimateQuery,
  ClimateResponse,
  HoldInput,
  LotResponse,
  MovementListResponse,
  MovementQuery,
  ReverseInput,
  StockQuery,
  StockResponse,
  TransferInput,
} from '@medledger/contract';
import { z } from 'zod';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { listClimate, recordClimate } from './inventory.climate.js';
import { listMovements, reverseMovement, setHold, stockOnHand, transferStock } from './inventory.stock.js';
import { stocktakeRoutes } from './inventory.stocktake.routes.js';

const IdParams = z.strictObject({ id: z.uuid() });

/** Stock views and the few direct stock actions; receipts and shipments post through their documents. */
export const inventoryRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/inventory/stock',
    permission: 'inventory.stock.read',
    summary: 'On-hand stock of my sites by product, lot and location, with near-expiry, expired and held states',
    query: StockQuery,
    response: StockResponse,
    handler: (ctx, { query }) => stockOnHand(ctx, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/inventory/movements',
    permission: 'inventory.stock.read',
    summary: 'The stock ledger of a product, lot or document (reversals linked)',
    query: MovementQuery,
    response: MovementListResponse,
    handler: async (ctx, { query }) => ({ movements: await listMovements(ctx, query) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inventory/transfers',
    audits: 'inventory.stock.transferred',
    permission: 'inventory.stock.move',
    summary: 'Move stock between locations of the same quality zone',
    body: TransferInput,
    response: z.object({ ok: z.literal(true) }),
    status: 201,
    handler: async (ctx, { body }) => {
      await transferStock(ctx, body);
      return { ok: true as const };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/inventory/movements/:id/reversal',
    audits: 'inventory.movement.reversed',
    permission: 'inventory.movement.reverse',
    summary: 'Reverse a posted movement with a reason (the original stays in the ledger)',
    params: IdParams,
    body: ReverseInput,
    response: z.object({ reversalId: z.string() }),
    status: 201,
    handler: async (ctx, { params, body }) => ({ reversalId: await reverseMovement(ctx, params.id, body.reason) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inventory/lots/:id/hold',
    audits: 'inventory.lot.held',
    permission: 'inventory.lot.hold',
    summary: 'Put a lot on quality hold (stop sale) with a reason',
    params: IdParams,
    body: HoldInput,
    response: LotResponse,
    handler: async (ctx, { params, body }) => ({ lot: await setHold(ctx, params.id, true, body.reason) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inventory/lots/:id/release',
    audits: 'inventory.lot.released',
    permission: 'inventory.lot.hold',
    summary: 'Release a lot from quality hold with a reason',
    params: IdParams,
    body: HoldInput,
    response: LotResponse,
    handler: async (ctx, { params, body }) => ({ lot: await setHold(ctx, params.id, false, body.reason) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inventory/climate',
    audits: 'inventory.climate.recorded',
    permission: 'inventory.climate.record',
    summary: 'Record the temperature and humidity of a storage area (time and recorder from the server)',
    body: ClimateInput,
    response: ClimateResponse,
    status: 201,
    handler: async (ctx, { body }) => ({ record: await recordClimate(ctx, body) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/inventory/climate',
    permission: 'inventory.stock.read',
    summary: 'The temperature / humidity ledger of my sites',
    query: ClimateQuery,
    response: ClimateListResponse,
    handler: async (ctx, { query }) => ({ records: await listClimate(ctx, query) }),
  }),
  ...stocktakeRoutes,
];
