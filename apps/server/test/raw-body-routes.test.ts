import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  FileReplySchema,
  contentDisposition,
  route,
  type AnyRouteDef,
  type FileReply,
} from '../src/platform/http/route.js';
import { buildTestApp, headerAuthenticator, type TestApp } from './harness.js';

/**
 * The platform's raw request bodies (`rawBody`) and file answers (`FileReplySchema`), used by the
 * spreadsheet import and export. The permission check and the same-origin rule are the same as
 * for JSON routes (the access matrix covers them).
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const actor = { 'x-test-actor': 'master-data.record.edit' };

const upload = route({
  method: 'POST',
  url: '/api/v1/test/upload',
  permission: 'master-data.record.edit',
  summary: 'test: raw body',
  rawBody: { contentTypes: [CSV], maxBytes: 64 },
  response: z.object({ size: z.number(), type: z.string(), first: z.string() }),
  handler: (_ctx, { raw }) =>
    Promise.resolve({ size: raw.bytes.length, type: raw.contentType, first: raw.bytes.subarray(0, 3).toString() }),
});

const file = (reply: Partial<FileReply>) =>
  route({
    method: 'GET',
    url: '/api/v1/test/file',
    permission: 'master-data.record.edit',
    summary: 'test: file answer',
    response: FileReplySchema,
    handler: () =>
      Promise.resolve({
        kind: 'file' as const,
        bytes: Buffer.from('"a","b"\r\n'),
        fileName: '产品 "清单";v1.csv',
        contentType: 'text/csv; charset=utf-8' as const,
        ...reply,
      }),
  });

describe('FILE-01 FILE-02 raw request bodies and file answers', () => {
  test('FILE-01 a raw-body route gets the bytes of an allowed type within its limit; anything else is refused', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator, extraRoutes: [upload] });
    const send = (payload: string | Buffer, type: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/api/v1/test/upload',
        payload,
        headers: { ...actor, 'content-type': type },
      });
    const ok = await send('a,b\r\n1,2\r\n', 'text/csv; charset=utf-8');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ size: 10, type: CSV, first: 'a,b' });
    expect((await send(Buffer.alloc(65, 0x41), CSV)).statusCode).toBe(413);
    expect((await send('{"a":1}', 'application/json')).statusCode).toBe(415);
    expect((await send('PK..', XLSX)).statusCode).toBe(415);
    expect((await send('', CSV)).statusCode).toBe(415);
    // Without the permission: refused before the body is looked at.
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/upload',
      payload: 'a',
      headers: { 'content-type': CSV },
    });
    expect(anon.statusCode).toBe(401);
  });

  test('FILE-01 spreadsheet bodies sent to an ordinary JSON route are refused', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator });
    for (const type of [CSV, XLSX]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/master-data/products',
        payload: 'a,b',
        headers: { ...actor, 'content-type': type },
      });
      expect(res.statusCode).toBe(415);
    }
  });

  test('FILE-02 a file answer is an attachment with an RFC 5987 name, nosniff and no-store', async () => {
    t = await buildTestApp({ authenticate: headerAuthenticator, extraRoutes: [file({})] });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/file', headers: actor });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('"a","b"\r\n');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="__ _____v1.csv"; filename*=UTF-8''%E4%BA%A7%E5%93%81%20%22%E6%B8%85%E5%8D%95%22%3Bv1.csv`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(contentDisposition("a'b\r\nX: y.csv")).not.toMatch(/[\r\n]/);
  });

  test('FILE-02 a handler cannot answer with a media type outside the list', async () => {
    t = await buildTestApp({
      authenticate: headerAuthenticator,
      extraRoutes: [file({ contentType: 'text/html' as FileReply['contentType'] })],
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/file', headers: actor });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('"a","b"');
  });

  test('AC-01 a raw body with a body schema, or on a GET, stops the server from starting', async () => {
    const both = { ...upload, body: z.strictObject({}) } as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [both] })).rejects.toThrow(/both a body schema and rawBody/);
    const onGet = { ...upload, method: 'GET' } as AnyRouteDef;
    await expect(buildTestApp({ extraRoutes: [onGet] })).rejects.toThrow(/rawBody needs POST/);
  });
});
