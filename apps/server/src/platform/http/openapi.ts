import {
  ADMINISTRATIVE_PERMISSIONS,
  ErrorResponse,
  FILE_NAME_HEADER,
  PERMISSIONS,
  STORED_FILE_MEDIA_TYPES,
} from '@medledger/contract';
import { z } from 'zod';
import { SESSION_COOKIE } from './cookies.js';
import {
  DEFAULT_UPLOAD_MAX_BYTES,
  FILE_REPLY_TYPES,
  FileReplySchema,
  auditLabel,
  formatSize,
  isMutating,
  type AnyRouteDef,
} from './route.js';

/**
 * The OpenAPI 3.1 description of the API, generated from the route declarations themselves (the
 * same zod schemas that validate the requests), so it cannot drift from what the server does.
 * Served at `GET /api/v1/openapi.json` to holders of `system.apiDocs.read` and printed by
 * `medledger openapi`. The output is deterministic: paths, tags and components are sorted, and
 * every operation is built in a fixed key order, so two documents can be diffed.
 */

type Json = Record<string, unknown>;

export type OpenApiSettings = {
  /** The server version (`info.version`). */
  version: string;
  /** The public URL browsers and clients use (`servers`). */
  publicUrl: string;
  /** The configured upload limit; {@link DEFAULT_UPLOAD_MAX_BYTES} when absent. */
  uploadMaxBytes?: number;
};

export const OPENAPI_VERSION = '3.1.0';

/** The response schema of the route serving the document: any JSON object, passed through unchanged. */
export const OpenApiDocumentResponse = z.record(z.string(), z.unknown());

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The error statuses the document describes, with the reusable response of each. */
const ERROR_RESPONSES = {
  '400': { name: 'BadRequest', description: 'The request is not valid (`validation_failed`, `invalid_json`).' },
  '401': { name: 'Unauthorized', description: 'No complete session (`unauthenticated`).' },
  '403': {
    name: 'Forbidden',
    description:
      'Refused: the permission is missing (`forbidden`, `training_required`), an administrative interface was used from outside the management networks (`admin_network_refused`, `admin_passkey_required`), or a write came from another origin (`cross_origin_rejected`).',
  },
  '404': {
    name: 'NotFound',
    description: 'Nothing at this address, or outside the caller’s data scope (`not_found`).',
  },
  '409': {
    name: 'Conflict',
    description: 'The request conflicts with the record’s state or a rule (`conflict`, `qualification_blocked`).',
  },
  '413': { name: 'PayloadTooLarge', description: 'The request body exceeds the limit (`payload_too_large`).' },
  '415': { name: 'UnsupportedMediaType', description: 'The request body’s media type is not accepted.' },
  '429': { name: 'TooManyRequests', description: 'Too many attempts from this address (`rate_limited`).' },
  '500': { name: 'InternalError', description: 'An internal error; the body names only the request id (`internal`).' },
} as const;
type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** `:id` → `{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The routes the document describes: everything but the web UI's raw (static file) routes. */
export function describedRoutes(routes: readonly AnyRouteDef[]): AnyRouteDef[] {
  return routes.filter((r) => r.kind !== 'raw');
}

/**
 * The module a route belongs to: the URL segment after `/api/v1/`; the platform's own addresses
 * (`/healthz`, `/api/v1/openapi.json`) are `system`.
 */
export function moduleTag(url: string): string {
  const parts = url.split('/').filter((p) => p !== '');
  const segment = parts[0] === 'api' && parts[1] === 'v1' ? parts[2] : undefined;
  return segment === undefined || segment.includes('.') ? 'system' : segment;
}

/** `GET /api/v1/audit/events/:id` → `getAuditEventsById`. */
export function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1\//, '/')
    .split('/')
    .filter((p) => p !== '')
    .flatMap((p) => (p.startsWith(':') ? ['by', ...p.slice(1).split(/[^A-Za-z0-9]+/)] : p.split(/[^A-Za-z0-9]+/)))
    .filter((w) => w !== '');
  const camel = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return `${method.toLowerCase()}${camel}`;
}

/**
 * A zod schema as JSON Schema (2020-12, the dialect of OpenAPI 3.1). What JSON Schema cannot say
 * (a custom check, a transform's output) becomes `{}` (any value) instead of failing the whole
 * document; refinements are kept as the underlying type.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
  }) as Json;
  delete out.$schema;
  if (JSON.stringify(out).includes('"$ref"')) {
    // A recursive schema would reference its own root, which inside a larger document is the
    // document's root; no route has one yet, so refuse loudly rather than emit a broken reference.
    throw new Error('a recursive schema cannot be described yet; give it a component name first');
  }
  return out;
}

function properties(schema: Json): { name: string; schema: Json; required: boolean }[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}

function pathParameterNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function parametersOf(def: AnyRouteDef): Json[] {
  if (def.kind === 'raw') return [];
  const out: Json[] = [];
  const declared = def.params === undefined ? undefined : jsonSchemaOf(def.params, 'input');
  const declaredProps = declared === undefined ? [] : properties(declared);
  for (const name of pathParameterNames(def.url)) {
    const schema = declaredProps.find((p) => p.name === name)?.schema ?? { type: 'string' };
    out.push({ name, in: 'path', required: true, schema });
  }
  if (def.query !== undefined) {
    const query = jsonSchemaOf(def.query, 'input');
    for (const p of properties(query)) {
      const param: Json = { name: p.name, in: 'query', required: p.required };
      if (typeof p.schema.description === 'string') param.description = p.schema.description;
      param.schema = p.schema;
      out.push(param);
    }
  }
  if (def.kind === 'upload') {
    out.push({
      name: FILE_NAME_HEADER,
      in: 'header',
      required: true,
      description:
        "The file's name, UTF-8 percent-encoded (encodeURIComponent), optionally with the RFC 5987 prefix UTF-8''; no path separators.",
      schema: { type: 'string', minLength: 1 },
    });
  }
  return out;
}

function binaryContent(types: readonly string[]): Json {
  // OpenAPI 3.1: binary content is described by its media type alone (no schema).
  return Object.fromEntries([...types].sort().map((t) => [t, {}]));
}

function requestBodyOf(def: AnyRouteDef, uploadCap: number): Json | undefined {
  switch (def.kind) {
    case 'raw':
    case 'download':
      return undefined;
    case 'upload': {
      const maxBytes = Math.min(def.upload.maxBytes ?? uploadCap, uploadCap);
      return {
        description: `The file itself as the request body, at most ${formatSize(maxBytes)}; its name in the ${FILE_NAME_HEADER} header. What the file is, is decided from its content.`,
        required: true,
        content: binaryContent(['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream']),
        'x-medledger-max-bytes': maxBytes,
      };
    }
    case 'json':
    case undefined: {
      if (def.rawBody !== undefined) {
        return {
          description: `The file itself as the request body, at most ${formatSize(def.rawBody.maxBytes)}.`,
          required: true,
          content: binaryContent(def.rawBody.contentTypes),
          'x-medledger-max-bytes': def.rawBody.maxBytes,
        };
      }
      if (def.body === undefined) return undefined;
      return {
        required: !def.body.safeParse(undefined).success,
        content: { 'application/json': { schema: jsonSchemaOf(def.body, 'input') } },
      };
    }
  }
}

const DISPOSITION_HEADER = {
  'Content-Disposition': {
    description: 'attachment, with the file name (RFC 6266, RFC 5987 encoding)',
    schema: { type: 'string' },
  },
};

function successResponseOf(def: AnyRouteDef): [string, Json] {
  switch (def.kind) {
    case 'raw':
      return ['200', { description: 'The web UI' }];
    case 'download':
      return [
        '200',
        {
          description: 'The stored file',
          headers: DISPOSITION_HEADER,
          content: binaryContent(STORED_FILE_MEDIA_TYPES),
        },
      ];
    case 'upload':
      return [String(def.status ?? 201), jsonResponse(def.response)];
    case 'json':
    case undefined:
      if (def.response === FileReplySchema) {
        return [
          String(def.status ?? 200),
          { description: 'The file', headers: DISPOSITION_HEADER, content: binaryContent(FILE_REPLY_TYPES) },
        ];
      }
      return [String(def.status ?? 200), jsonResponse(def.response)];
  }
}

function jsonResponse(schema: z.ZodType): Json {
  return { description: 'Success', content: { 'application/json': { schema: jsonSchemaOf(schema, 'output') } } };
}

/** Which error answers apply to a route, from what it declares. */
function errorStatusesOf(def: AnyRouteDef): ErrorStatus[] {
  const statuses: ErrorStatus[] = ['400'];
  const mutating = isMutating(def.method);
  if (def.public !== true) statuses.push('401');
  // 403: a missing permission, an administrative interface from elsewhere, or a cross-origin write.
  if (def.permission !== undefined || mutating) statuses.push('403');
  // Path parameters name a record: absent or out of the caller's scope is 404 (never 403).
  if (pathParameterNames(def.url).length > 0) statuses.push('404');
  if (mutating) statuses.push('409');
  const takesFile = def.kind === 'upload' || ((def.kind === 'json' || def.kind === undefined) && def.rawBody);
  if (takesFile) statuses.push('413', '415');
  // Sign-in and code-sending steps are the public writes, and they are rate limited per address.
  if (def.public === true && mutating) statuses.push('429');
  statuses.push('500');
  return statuses;
}

function accessOf(def: AnyRouteDef): 'public' | 'signed-in' | 'permission' {
  if (def.public === true) return 'public';
  return def.permission === undefined ? 'signed-in' : 'permission';
}

function operationOf(def: AnyRouteDef, uploadCap: number): Json {
  const access = accessOf(def);
  const op: Json = {
    operationId: operationId(def.method, def.url),
    summary: def.summary,
  };
  if (access === 'permission') {
    const p = def.permission!;
    const admin = ADMINISTRATIVE_PERMISSIONS.has(p)
      ? ' Administrative interface: only from the management networks (AC-11).'
      : '';
    op.description = `Requires the permission \`${p}\` (${PERMISSIONS[p].en}).${admin}`;
  } else if (access === 'signed-in') {
    op.description = 'Any signed-in user (a complete session); no permission needed.';
  } else {
    op.description = 'Public: no session needed.';
  }
  op.tags = [moduleTag(def.url)];
  const parameters = parametersOf(def);
  if (parameters.length > 0) op.parameters = parameters;
  const body = requestBodyOf(def, uploadCap);
  if (body !== undefined) op.requestBody = body;
  const [status, success] = successResponseOf(def);
  const responses: Json = { [status]: success };
  for (const s of errorStatusesOf(def)) {
    responses[s] = { $ref: `#/components/responses/${ERROR_RESPONSES[s].name}` };
  }
  op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  op.security = access === 'public' ? [] : [{ session: [] }];
  op['x-medledger-access'] = access;
  if (access === 'permission') {
    op['x-medledger-permission'] = def.permission;
    op['x-medledger-administrative'] = ADMINISTRATIVE_PERMISSIONS.has(def.permission!);
  }
  op['x-medledger-audits'] = auditLabel(def);
  return op;
}

/** Builds the OpenAPI 3.1 document of these routes (raw web-UI routes are left out). */
export function openApiDocument(routes: readonly AnyRouteDef[], settings: OpenApiSettings): Json {
  const uploadCap = settings.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const paths = new Map<string, Map<string, Json>>();
  const ids = new Set<string>();
  for (const def of describedRoutes(routes)) {
    const path = openApiPath(def.url);
    const method = def.method.toLowerCase();
    const item = paths.get(path) ?? new Map<string, Json>();
    if (item.has(method)) throw new Error(`${def.method} ${def.url} is declared twice`);
    const op = operationOf(def, uploadCap);
    const id = op.operationId as string;
    if (ids.has(id)) throw new Error(`${def.method} ${def.url}: operationId ${id} is not unique`);
    ids.add(id);
    item.set(method, op);
    paths.set(path, item);
  }
  const sortedPaths: Json = {};
  for (const path of [...paths.keys()].sort()) {
    const item = paths.get(path)!;
    sortedPaths[path] = Object.fromEntries(METHOD_ORDER.filter((m) => item.has(m)).map((m) => [m, item.get(m)]));
  }
  const tags = [...new Set(describedRoutes(routes).map((r) => moduleTag(r.url)))].sort().map((name) => ({ name }));
  const responses: Json = {};
  for (const [, { name, description }] of Object.entries(ERROR_RESPONSES).sort(([a], [b]) => a.localeCompare(b))) {
    responses[name] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    };
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'MedLedger',
      version: settings.version,
      description:
        'The MedLedger API. Every operation names its access (`x-medledger-access`, `x-medledger-permission`) and what a successful call writes to the audit trail (`x-medledger-audits`). Request bodies and query strings are strict: unknown fields are refused with 400.',
    },
    servers: [{ url: settings.publicUrl.replace(/\/$/, '') }],
    tags,
    paths: sortedPaths,
    components: {
      schemas: { ErrorResponse: jsonSchemaOf(ErrorResponse, 'output') },
      responses,
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The session cookie set by the sign-in steps (HttpOnly, Secure, SameSite=Strict).',
        },
      },
    },
  };
}
