import {
  ApproveImportInput,
  ApproveImportResponse,
  CSV_MEDIA_TYPE,
  CommitImportInput,
  ExportQuery,
  IMPORT_MAX_BYTES,
  ImportKindQuery,
  ImportListResponse,
  ImportResponse,
  TemplateQuery,
  XLSX_MEDIA_TYPE,
} from '@medledger/contract';
import { z } from 'zod';
import { FileReplySchema, route, type AnyRouteDef } from '../../platform/http/route.js';
import { exportRecords, importTemplate } from './master-data.export.js';
import { approveImport, commitImport, getImport, listImports, startImport } from './master-data.import.js';

const IdParams = z.strictObject({ id: z.uuid() });

/**
 * Spreadsheet import and export of products and parties (docs/decisions/0019-master-data-import.md).
 * QA uploads and commits (`master-data.record.edit`), approves a whole import with one signature
 * (`master-data.change.approve`); everyone who reads master data may export it.
 */
export const masterDataImportRoutes: AnyRouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/master-data/import/template',
    permission: 'master-data.record.read',
    summary: 'The empty import template (xlsx with a help sheet, or CSV) with Chinese and English headers',
    query: TemplateQuery,
    response: FileReplySchema,
    handler: (_ctx, { query }) => importTemplate(query.kind, query.format),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/imports',
    audits: 'master-data.import.uploaded',
    permission: 'master-data.record.edit',
    summary:
      'Upload an xlsx or CSV file of products or parties: every row is checked in the background; nothing is saved',
    query: ImportKindQuery,
    rawBody: { contentTypes: [XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE], maxBytes: IMPORT_MAX_BYTES },
    // The import row must exist before the validation job starts: the handler commits it itself.
    transaction: false,
    response: ImportResponse,
    status: 202,
    handler: async (ctx, { query, raw }) => ({ import: await startImport(ctx, query.kind, raw) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/imports',
    permission: 'master-data.record.read',
    summary: 'The latest imports with their status and review progress',
    response: ImportListResponse,
    handler: async (ctx) => ({ imports: await listImports(ctx) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/imports/:id',
    permission: 'master-data.record.read',
    summary: 'One import: progress of the check or commit, row errors, proposals filed and approved',
    params: IdParams,
    response: ImportResponse,
    handler: async (ctx, { params }) => ({ import: await getImport(ctx, params.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/imports/:id/commit',
    audits: 'master-data.import.commitRequested',
    permission: 'master-data.record.edit',
    summary:
      'File every row of an import without errors as a first-business proposal, all or nothing (in the background)',
    params: IdParams,
    body: CommitImportInput,
    // The commit job runs its own single transaction after this request has answered.
    transaction: false,
    response: ImportResponse,
    status: 202,
    handler: async (ctx, { params, body }) => ({ import: await commitImport(ctx, params.id, body.reason) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/master-data/imports/:id/approve',
    audits: 'master-data.import.approved',
    permission: 'master-data.change.approve',
    summary: 'QA approves every pending proposal of an import with one electronic signature (GSP-04)',
    params: IdParams,
    body: ApproveImportInput,
    response: ApproveImportResponse,
    handler: async (ctx, { params, body }) => {
      const { approved, signatureId } = await approveImport(ctx, params.id, body);
      return { import: await getImport(ctx, params.id), approved, signatureId };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/products/export',
    audits: 'master-data.record.exported',
    permission: 'master-data.record.read',
    summary: 'Every product in the import template’s columns (xlsx or CSV, formula-safe); audited with its hash',
    query: ExportQuery,
    response: FileReplySchema,
    handler: (ctx, { query }) => exportRecords(ctx, 'products', query.format),
  }),
  route({
    method: 'GET',
    url: '/api/v1/master-data/parties/export',
    audits: 'master-data.record.exported',
    permission: 'master-data.record.read',
    summary: 'Every party in the import template’s columns (xlsx or CSV, formula-safe); audited with its hash',
    query: ExportQuery,
    response: FileReplySchema,
    handler: (ctx, { query }) => exportRecords(ctx, 'parties', query.format),
  }),
];
