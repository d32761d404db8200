import {
  CancelCertificateInput,
  ChangeListQuery,
  ChangeListResponse,
  ChangeResponse,
  CreateAreaInput,
  CreateLocationInput,
  CreateWarehouseInput,
  DecideChangeInput,
  ExpiryQuery,
  ExpiryResponse,
  PartyListQuery,
  PartyListResponse,
  PartyResponse,
  ProductListQuery,
  ProductListResponse,
  ProductResponse,
  ProposePartyInput,
  ProposeProductInput,
  StoredFileView,
  TradeCheckInput,
  TradeCheckResponse,
  WarehouseListResponse,
  WarehouseResponse,
} from '@medledger/contract';
import { z } from 'zod';
import { downloadRoute, route, uploadRoute, type AnyRouteDef } from '../../platform/http/route.js';
import { listFiles, readStoredFile, storeUpload, type FileOwner } from '../files/index.js';
import { loadPartyRow } from './master-data.parties.js';
import { loadProductRow } from './master-data.products.js';
import { changeDetail, listChanges } from './master-data.changes.js';
import { decideChange } from './master-data.decide.js';
import { EXPIRY_LEAD_DAYS, expiringDocuments } from './master-data.expiry.js';
import { masterDataImportRoutes } from './master-data.import.routes.js';
import { getParty, listParties, maskedIdNumber, proposeNewParty, proposePartyChange } from './master-data.parties.js';
import {
  cancelCertificate,
  getProduct,
  listProducts,
  proposeNewProduct,
  proposeProductChange,
} from './master-data.products.js';
import { checkTrade } from './master-data.trade.js';
import { createArea, createLocation, createWarehouse, getWarehouse, listWarehouses } from './master-data.warehouses.js';

const IdParams = z.strictObject({ id: z.uuid() });
const DocParams = z.strictObject({ id: z.uuid(), fileId: z.uuid() });
const FileList = z.object({ files: z.array(StoredFileView) });

/** Document scans (licences, certificates, letters, seal and slip specimens) of a party or product. */
function documentRoutes(entity: 'parties' | 'products'): AnyRouteDef[] {
  const kind = entity === 'parties' ? 'master-data.party' : 'master-data.product';
  const owner = (id: string): FileOwner => ({ kind, id });
  // The record must exist (404 otherwise) before any of its files is touched.
  const load = (ctx: Parameters<typeof loadPartyRow>[0], id: string) =>
    entity === 'parties' ? loadPartyRow(ctx, id) : loadProductRow(ctx, id);
  const label = entity === 'parties' ? 'party' : 'product';
  return [
    uploadRoute({
      method: 'POST',
      url: `/api/v1/master-data/${entity}/:id/documents`,
      audits: 'files.file.uploaded',
      permission: 'master-data.record.edit',
      summary: `Attach a document scan (PDF, JPEG or PNG) to a ${label}`,
      params: IdParams,
      upload: {},
      response: StoredFileView,
      handler: async (ctx, { params, file }) => {
        await load(ctx, params.id);
        return storeUpload(ctx, { ...file, owner: owner(params.id) });
      },
    }),
    route({
      method: 'GET',
      url: `/api/v1/master-data/${entity}/:id/documents`,
      permission: 'master-data.record.read',
      summary: `The document scans of a ${label}`,
      params: IdParams,
      response: FileList,
      handler: async (ctx, { params }) => {
        await load(ctx, params.id);
        return { files: await listFiles(ctx, owner(params.id)) };
      },
    }),
    downloadRoute({
      method: 'GET',
      url: `/api/v1/master-data/${entity}/:id/documents/:fileId`,
      audits: 'files.file.downloaded',
      permission: 'master-data.record.read',
      summary: `Download a document scan of a ${label} (audited)`,
      params: DocParams,
      handler: async (ctx, { params }) => {
        await load(ctx, params.id);
        return readStoredFile(ctx, owner(params.id), params.fileId);
      },
    }),
  ];
}
const page = (q: { page?: string | undefined; pageSize?: string | undefined }) => ({
  page: Number(q.page ?? '1'),
  pageSize: Number(q.pageSize ?? '50'),
});

/**
 * Quality master data. Everyone with `master-data.record.read` reads; only QA proposes
 * (`master-data.record.edit`) and approves with a signature (`master-data.change.approve`).
 */
export const masterDataRoutes: AnyRouteDef[] = [
  ...documentRoutes('parties'),
  ...documentRoutes('products'),
  route({
    method: 'GET',
    url: '/api/v1/master-data/parties',
    permission: 'master-data.record.read',
    summary: 'Suppliers, manufacturers and customers with their licences, by code, one page at a time',
    query: PartyListQuery,
    response: PartyListResponse,
    handler: (ctx, { query }) => listParties(ctx, { ...query, ...page(query) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/parties/:id',
    permission: 'master-data.record.read',
    summary: 'One party file: licences, scope, authorisation letters (ID numbers masked), pending change',
    params: IdParams,
    response: PartyResponse,
    handler: async (ctx, { params }) => ({ party: await getParty(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/parties',
    audits: 'master-data.change.proposed',
    permission: 'master-data.record.edit',
    summary: 'File a new party (首营企业); unusable until QA approves it',
    body: ProposePartyInput,
    response: ChangeResponse,
    status: 201,
    handler: async (ctx, { body }) => {
      const { changeId } = await proposeNewParty(ctx, body);
      return { change: await changeDetail(ctx, changeId, (id) => maskedIdNumber(ctx, id)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/parties/:id/changes',
    audits: 'master-data.change.proposed',
    permission: 'master-data.record.edit',
    summary: 'Propose a change to a party with its reason; effective after QA approval',
    params: IdParams,
    body: ProposePartyInput,
    response: ChangeResponse,
    status: 201,
    handler: async (ctx, { params, body }) => {
      const changeId = await proposePartyChange(ctx, params.id, body);
      return { change: await changeDetail(ctx, changeId, (id) => maskedIdNumber(ctx, id)) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/products',
    permission: 'master-data.record.read',
    summary: 'Products (device models) with certificates, packaging and UDI-DIs, one page at a time',
    query: ProductListQuery,
    response: ProductListResponse,
    handler: (ctx, { query }) => listProducts(ctx, { ...query, ...page(query) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/products/:id',
    permission: 'master-data.record.read',
    summary: 'One product file',
    params: IdParams,
    response: ProductResponse,
    handler: async (ctx, { params }) => ({ product: await getProduct(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/products',
    audits: 'master-data.change.proposed',
    permission: 'master-data.record.edit',
    summary: 'File a new product (首营品种); unusable until QA approves it',
    body: ProposeProductInput,
    response: ChangeResponse,
    status: 201,
    handler: async (ctx, { body }) => {
      const { changeId } = await proposeNewProduct(ctx, body);
      return { change: await changeDetail(ctx, changeId, (id) => maskedIdNumber(ctx, id)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/products/:id/changes',
    audits: 'master-data.change.proposed',
    permission: 'master-data.record.edit',
    summary: 'Propose a change to a product (e.g. a renewed certificate); effective after QA approval',
    params: IdParams,
    body: ProposeProductInput,
    response: ChangeResponse,
    status: 201,
    handler: async (ctx, { params, body }) => {
      const changeId = await proposeProductChange(ctx, params.id, body);
      return { change: await changeDetail(ctx, changeId, (id) => maskedIdNumber(ctx, id)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/products/:id/certificate-cancellation',
    audits: 'master-data.certificate.cancelled',
    permission: 'master-data.record.edit',
    summary: 'Record that the regulator cancelled the registration certificate: the product is blocked at once',
    params: IdParams,
    body: CancelCertificateInput,
    response: ProductResponse,
    handler: async (ctx, { params, body }) => ({ product: await cancelCertificate(ctx, params.id, body.reason) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/changes',
    permission: 'master-data.record.read',
    summary: 'The QA review inbox and record histories (proposals by status, kind and record)',
    query: ChangeListQuery,
    response: ChangeListResponse,
    handler: async (ctx, { query }) => ({ changes: await listChanges(ctx, query) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/changes/:id',
    permission: 'master-data.record.read',
    summary: 'One proposal with its content and the version it would replace',
    params: IdParams,
    response: ChangeResponse,
    handler: async (ctx, { params }) => ({
      change: await changeDetail(ctx, params.id, (id) => maskedIdNumber(ctx, id)),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/changes/:id/decision',
    audits: ['master-data.change.approved', 'master-data.change.rejected'],
    permission: 'master-data.change.approve',
    summary: 'QA approves or rejects a proposal with an electronic signature (GSP-04)',
    params: IdParams,
    body: DecideChangeInput,
    response: ChangeResponse,
    handler: async (ctx, { params, body }) => {
      await decideChange(ctx, params.id, body);
      return { change: await changeDetail(ctx, params.id, (id) => maskedIdNumber(ctx, id)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/trade-check',
    audits: 'none',
    permission: 'master-data.record.read',
    summary: 'May we buy this product from this party, or sell it to them, today? Every reason when not',
    body: TradeCheckInput,
    response: TradeCheckResponse,
    handler: (ctx, { body }) => checkTrade(ctx, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/expiry',
    permission: 'master-data.record.read',
    summary: 'Licences, certificates and authorisation letters expired or expiring within the lead time',
    query: ExpiryQuery,
    response: ExpiryResponse,
    handler: (ctx, { query }) =>
      expiringDocuments(ctx, query.days === undefined ? EXPIRY_LEAD_DAYS : [Math.max(1, Number(query.days)), 30]),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/warehouses',
    permission: 'master-data.record.read',
    summary: 'Warehouses of my sites with their GSP zones and locations',
    response: WarehouseListResponse,
    handler: async (ctx) => ({ warehouses: await listWarehouses(ctx) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/warehouses/:id',
    permission: 'master-data.record.read',
    summary: 'One warehouse (404 outside my sites)',
    params: IdParams,
    response: WarehouseResponse,
    handler: async (ctx, { params }) => ({ warehouse: await getWarehouse(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/warehouses',
    audits: 'master-data.warehouse.created',
    permission: 'master-data.warehouse.manage',
    summary: 'Create a warehouse of a site',
    body: CreateWarehouseInput,
    response: WarehouseResponse,
    status: 201,
    handler: async (ctx, { body }) => ({ warehouse: await createWarehouse(ctx, body) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/warehouses/:id/areas',
    audits: 'master-data.area.created',
    permission: 'master-data.warehouse.manage',
    summary: 'Add a storage area in a GSP zone',
    params: IdParams,
    body: CreateAreaInput,
    response: WarehouseResponse,
    status: 201,
    handler: async (ctx, { params, body }) => ({ warehouse: await createArea(ctx, params.id, body) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/areas/:id/locations',
    audits: 'master-data.location.created',
    permission: 'master-data.warehouse.manage',
    summary: 'Add a location to a storage area',
    params: IdParams,
    body: CreateLocationInput,
    response: WarehouseResponse,
    status: 201,
    handler: async (ctx, { params, body }) => ({ warehouse: await createLocation(ctx, params.id, body) }),
  }),
  ...masterDataImportRoutes,
];
