import { ERROR_STATUS, type ErrorResponse } from '@medledger/contract';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { SecureContextOptions } from 'node:tls';
import { AppError, isAppError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { adminAccessGuard, DEFAULT_ADMIN_ACCESS, type AdminAccessPolicy } from './admin-access.js';
import type { Authenticator } from './ctx.js';
import { API_CSP, STATIC_SECURITY_HEADERS } from './headers.js';
import { parseJsonBody } from './json-body.js';
import {
  RouteDeclarationError,
  UPLOAD_CONTENT_TYPES,
  formatSize,
  isMutating,
  isUploadContentType,
  mediaTypeOf,
  setAuth,
} from './route.js';

export type RefusedRequest = { request: FastifyRequest; status: number; body: ErrorResponse };

export type HttpOptions = {
  logger: Logger;
  authenticate: Authenticator;
  bodyLimitBytes: number;
  trustedProxies: readonly string[];
  /** The origin browsers use (e.g. https://localhost:8443); cross-origin writes are refused. */
  publicOrigin: string;
  /** AC-11: where administrative routes may be used from, and with which sign-in; loopback only when absent. */
  adminAccess?: AdminAccessPolicy;
  /** Called after a refused or failed request has been answered (for the audit trail). */
  onRefused?: (refused: RefusedRequest) => Promise<void>;
  /** TLS material; omitted only by tests that use `inject`. */
  tls?: SecureContextOptions & { minVersion: 'TLSv1.2'; ciphers: string };
};

/**
 * Builds the Fastify instance with the platform rules that every route relies on: deny by default
 * (a route without an access declaration aborts start-up), authentication before the body is even
 * parsed, strict JSON, security headers, and an error handler that never leaks internals.
 */
export function createHttpApp(options: HttpOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    // One redacted line per request is written by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    // CFG-06: the client IP comes from X-Forwarded-For only when the direct peer is a listed proxy.
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    bodyLimit: options.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    ...(options.tls ? { https: options.tls, http2: false } : {}),
  }) as unknown as FastifyInstance;

  // Deny by default: whatever registers a route, it must carry an access declaration.
  app.addHook('onRoute', (route) => {
    if (route.config?.medledger === undefined) {
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new RouteDeclarationError(
        `${method} ${route.url}: registered without an access declaration; use route() with a permission or public: true`,
      );
    }
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // FILE-01: raw file bodies, only on upload routes (the preParsing hook below refuses them
  // elsewhere before a byte is read); the route's bodyLimit bounds what is buffered.
  app.addContentTypeParser([...UPLOAD_CONTENT_TYPES], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  const checkAdminAccess = adminAccessGuard(options.adminAccess ?? DEFAULT_ADMIN_ACCESS);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.medledger;
    if (access === undefined) return; // no such route: the not-found handler answers
    if (isMutating(request.method)) checkSameOrigin(request, options.publicOrigin);
    const auth = await options.authenticate(request);
    setAuth(request, auth); // also for a denial, so the audit trail names who was refused
    if (access.public) return;
    const actor = auth.actor;
    if (actor === null) throw new AppError('unauthenticated', 'Sign in to continue.');
    if (access.permission !== null && !actor.permissions.has(access.permission)) {
      const suspended = actor.suspended?.get(access.permission);
      if (suspended !== undefined) throw new AppError('training_required', suspended);
      throw new AppError('forbidden', `Your roles do not include the permission "${access.permission}" needed here.`);
    }
    if (access.permission !== null) checkAdminAccess(request.ip, actor, access.permission);
  });

  // After authentication and the permission check, before the body is read: a body of the wrong
  // kind is refused without buffering it (a file to a JSON route, JSON or anything else to an upload).
  app.addHook('preParsing', async (request, reply, payload) => {
    const access = request.routeOptions.config.medledger;
    if (access === undefined) return payload;
    const type = mediaTypeOf(request.headers['content-type']);
    const upload = request.routeOptions.config.medledgerUpload;
    if (upload === undefined) {
      if (type !== undefined && isUploadContentType(type)) {
        void reply.header('connection', 'close');
        throw new AppError('unsupported_media_type', 'Send the request body as application/json.');
      }
      return payload;
    }
    if (type !== undefined && !isUploadContentType(type)) {
      void reply.header('connection', 'close');
      throw new AppError(
        'upload_type_refused',
        'Send the file itself as the request body, as application/pdf, image/jpeg, image/png or application/octet-stream.',
      );
    }
    return payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-request-id', request.id);
    reply.removeHeader('x-powered-by');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ip: request.ip,
      },
      'request',
    );
  });

  app.setErrorHandler(async (err: FastifyError | AppError, request, reply) => {
    let body = toErrorResponse(err, request.id);
    const upload = request.routeOptions.config?.medledgerUpload;
    if (body.code === 'payload_too_large' && upload !== undefined) {
      body = {
        code: 'upload_too_large',
        message: `The file is larger than ${formatSize(upload.maxBytes)}, the most accepted here. Compress it or split it, then upload again.`,
        requestId: request.id,
      };
    }
    const status = ERROR_STATUS[body.code];
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code }, 'request refused');
    if (options.onRefused !== undefined) {
      // Recorded in its own transaction before answering; a failure here is logged, not hidden.
      await options.onRefused({ request, status, body }).catch((e: unknown) => {
        request.log.error({ err: e }, 'could not audit a refused request');
      });
    }
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorResponse = {
      code: 'not_found',
      message: 'There is nothing at this address.',
      requestId: request.id,
    };
    void reply.status(404).send(body);
  });

  return app;
}

function checkSameOrigin(request: FastifyRequest, publicOrigin: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError(
      'cross_origin_rejected',
      'Changes can only be made from MedLedger itself (cross-site request refused).',
    );
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const host = request.headers.host;
  if (origin !== publicOrigin && (host === undefined || origin !== `https://${host}`)) {
    throw new AppError(
      'cross_origin_rejected',
      'Changes can only be made from MedLedger itself (cross-origin request refused).',
    );
  }
}

const FASTIFY_ERRORS: Readonly<Record<string, Pick<ErrorResponse, 'code' | 'message'>>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'validation_failed',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty; send a JSON document.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
};

/** Maps any thrown value to the public error body. Only AppError messages reach the client. */
export function toErrorResponse(err: unknown, requestId: string): ErrorResponse {
  if (isAppError(err)) {
    return { code: err.code, message: err.message, requestId, ...(err.issues ? { issues: err.issues } : {}) };
  }
  const fe = err as Partial<FastifyError>;
  const known = fe.code === undefined ? undefined : FASTIFY_ERRORS[fe.code];
  if (known !== undefined) return { ...known, requestId };
  if (typeof fe.statusCode === 'number' && fe.statusCode === 413) {
    return { code: 'payload_too_large', message: 'The request body is too large.', requestId };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { code: 'validation_failed', message: 'The request could not be understood.', requestId };
  }
  return {
    code: 'internal',
    message: 'Something went wrong on the server. Quote the request id when reporting it.',
    requestId,
  };
}
