import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { StoredFileView } from '@medledger/contract';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  FIXTURE_WEB_DIR,
  buildTestApp,
  headerAuthenticator,
  testDialect,
  type TestApp,
} from '../../../test/harness.js';
import { isAppError } from '../../platform/errors.js';
import { systemCtx } from '../../platform/http/ctx.js';
import { downloadRoute, route, uploadRoute } from '../../platform/http/route.js';
import { rewrap, rotateKey } from '../keys/index.js';
import { fileInfo, inspectFile, listFiles, readStoredFile, storeUpload } from './index.js';

// ---------------------------------------------------------------- sample files, built here

/** A minimal one-page PDF; `extra` goes into the catalogue dictionary, `tail` after %%EOF. */
function pdf(extra = '', tail = '\n', objects = ''): Buffer {
  return Buffer.from(
    [
      '%PDF-1.7',
      '%\xe2\xe3\xcf\xd3',
      `1 0 obj << /Type /Catalog /Pages 2 0 R ${extra}>> endobj`,
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
      objects,
      'trailer << /Root 1 0 R /Size 4 >>',
      'startxref',
      '0',
      '%%EOF',
    ].join('\n') + tail,
    'latin1',
  );
}

/** A PDF whose object stream (compressed, as modern writers do) holds `hidden`. */
function pdfWithObjectStream(hidden: string): Buffer {
  const data = deflateSync(Buffer.from(`4 0 ${hidden}`, 'latin1'));
  const head = Buffer.from(
    `4 0 obj << /Type /ObjStm /N 1 /First 4 /Length ${data.length} /Filter /FlateDecode >>\nstream\n`,
    'latin1',
  );
  const objects = Buffer.concat([head, data, Buffer.from('\nendstream\nendobj', 'latin1')]).toString('latin1');
  return pdf('', '\n', objects);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 RGB PNG with correct CRCs; `extra` chunks go before the pixel data. */
function png(extra: Buffer[] = [], size = { width: 1, height: 1 }): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size.width, 0);
  ihdr.writeUInt32BE(size.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', deflateSync(Buffer.from([0, 0x20, 0x80, 0xe0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const segment = (marker: number, data: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
};

/** A decodable 1×1 grey baseline JPEG (SOI … EOI); `extra` segments go after APP0. */
function jpeg(extra: Buffer[] = [], entropy = Buffer.from([0x3f])): Buffer {
  const dht = (tableClass: number) => segment(0xc4, Buffer.from([tableClass, 1, ...Array<number>(15).fill(0), 0]));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...extra,
    segment(0xdb, Buffer.from([0, ...Array<number>(64).fill(1)])),
    segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    dht(0x00),
    dht(0x10),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    entropy,
    Buffer.from([0xff, 0xd9]),
  ]);
}

const ZIP = Buffer.concat([
  Buffer.from('PK\x03\x04', 'latin1'),
  Buffer.alloc(26),
  Buffer.from('evil.class', 'latin1'),
  Buffer.from('PK\x05\x06', 'latin1'),
  Buffer.alloc(18),
]);

// ---------------------------------------------------------------- the test application

const PERMISSION = 'system.info.read';
const RECORD = '01900000-0000-7000-8000-0000000000a1';
const OTHER_RECORD = '01900000-0000-7000-8000-0000000000b2';
const owner = (id: string) => ({ kind: 'test.record', id });
const Params = z.strictObject({ id: z.uuid() });
const FileParams = z.strictObject({ id: z.uuid(), fileId: z.string().max(64) });

const testRoutes = [
  uploadRoute({
    method: 'POST',
    url: '/api/v1/test/records/:id/files',
    permission: PERMISSION,
    summary: 'test: attach a file to a record',
    params: Params,
    upload: {},
    response: StoredFileView,
    handler: (ctx, { params, file }) => storeUpload(ctx, { ...file, owner: owner(params.id) }),
  }),
  uploadRoute({
    method: 'POST',
    url: '/api/v1/test/records/:id/small-files',
    permission: PERMISSION,
    summary: 'test: attach a file of at most 2000 bytes',
    params: Params,
    upload: { maxBytes: 2000 },
    response: StoredFileView,
    handler: (ctx, { params, file }) => storeUpload(ctx, { ...file, owner: owner(params.id) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/test/records/:id/files',
    permission: PERMISSION,
    summary: 'test: list a record’s files',
    params: Params,
    response: z.object({ files: z.array(StoredFileView) }),
    handler: async (ctx, { params }) => ({ files: await listFiles(ctx, owner(params.id)) }),
  }),
  downloadRoute({
    method: 'GET',
    url: '/api/v1/test/records/:id/files/:fileId',
    permission: PERMISSION,
    summary: 'test: download a record’s file',
    params: FileParams,
    handler: (ctx, { params }) => readStoredFile(ctx, owner(params.id), params.fileId),
  }),
];

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ authenticate: headerAuthenticator, extraRoutes: testRoutes });
});
afterAll(async () => {
  await t?.close();
});

type Headers = Record<string, string>;
function upload(
  bytes: Buffer | string,
  fileName: string | null,
  options: { type?: string; headers?: Headers; url?: string; actor?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const headers: Headers = { 'content-type': options.type ?? 'application/octet-stream', ...options.headers };
  if (fileName !== null) headers['x-file-name'] = encodeURIComponent(fileName);
  if (options.actor !== null) headers['x-test-actor'] = options.actor ?? PERMISSION;
  return t.app.inject({
    method: 'POST',
    url: options.url ?? `/api/v1/test/records/${RECORD}/files`,
    payload: bytes,
    headers,
  });
}

const download = (fileId: string, record = RECORD) =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1/test/records/${record}/files/${fileId}`,
    headers: { 'x-test-actor': PERMISSION },
  });

/** Every file under the files folder, with its path relative to it. */
function storedOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(t.filesDir, full));
    }
  };
  walk(t.filesDir);
  return out.sort();
}

async function rowCount(): Promise<number> {
  const r = await t.db
    .selectFrom('stored_file')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

type Event = { action: string; resource: { id: string } | null; data: Record<string, unknown>; reason: string | null };
async function events(action: string): Promise<Event[]> {
  const rows = await t.db.selectFrom('audit_event').select('canonical').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.canonical) as Event).filter((e) => e.action === action);
}

/** Sends a file that must be refused; checks status and code, and that nothing was stored. */
async function expectRefused(
  res: Promise<LightMyRequestResponse>,
  status: number,
  code: string,
): Promise<{ message: string; issues?: { path: string; message: string }[] }> {
  const rowsBefore = await rowCount();
  const filesBefore = storedOnDisk();
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json<{ code: string; message: string; issues?: { path: string; message: string }[] }>();
  expect(body.code).toBe(code);
  expect(await rowCount()).toBe(rowsBefore);
  expect(storedOnDisk()).toEqual(filesBefore);
  return body;
}

// ---------------------------------------------------------------- tests

describe(`files: document uploads and downloads (${testDialect()})`, () => {
  test('FILE-01 FILE-02 a PDF, a JPEG and a PNG are accepted, typed by content, and read back byte-identical with safe headers', async () => {
    const samples = [
      { bytes: pdf(), name: '营业执照（2026）.pdf', type: 'application/pdf' },
      { bytes: jpeg(), name: 'licence scan.JPG', type: 'image/jpeg' },
      { bytes: png(), name: 'seal-specimen.png', type: 'image/png' },
    ];
    for (const s of samples) {
      expect(inspectFile(s.bytes).mediaType).toBe(s.type);
      const res = await upload(s.bytes, s.name, { type: s.type });
      expect(res.statusCode, res.body).toBe(201);
      const view = StoredFileView.parse(res.json());
      expect(view).toMatchObject({
        fileName: s.name,
        mediaType: s.type,
        size: s.bytes.length,
        uploadedBy: 'test-user',
      });
      expect(view.sha256).toMatch(/^[0-9a-f]{64}$/);

      const got = await download(view.id);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.rawPayload.equals(s.bytes)).toBe(true);
      expect(got.headers['content-type']).toBe(s.type);
      expect(got.headers['content-disposition']).toBe(
        `attachment; filename="${s.name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(s.name)}`,
      );
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toContain('sandbox');
      expect(got.headers['content-security-policy']).toContain("default-src 'none'");
      expect(got.headers['cache-control']).toBe('no-store');
    }
    const downloadsBefore = (await events('files.file.downloaded')).length;
    const head = await t.app.inject({
      method: 'HEAD',
      url: `/api/v1/test/records/${RECORD}/files/${StoredFileView.parse((await upload(pdf(), 'h.pdf')).json()).id}`,
      headers: { 'x-test-actor': PERMISSION },
    });
    expect(head.statusCode).toBe(404);
    expect((await events('files.file.downloaded')).length).toBe(downloadsBefore);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/test/records/${RECORD}/files`,
      headers: { 'x-test-actor': PERMISSION },
    });
    expect(list.json<{ files: StoredFileView[] }>().files.map((f) => f.fileName)).toEqual([
      ...samples.map((s) => s.name),
      'h.pdf',
    ]);
  });

  test('FILE-02 stored bytes are encrypted, mode 0600, under a random name in the files folder, outside the web root', async () => {
    const marker = 'UNIQUE-PLAINTEXT-MARKER-7f3a';
    const bytes = pdf(`/Marker (${marker}) `);
    const res = await upload(bytes, 'plain-name-check.pdf');
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<StoredFileView>();
    const row = await t.db.selectFrom('stored_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.storageKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(row.storageKey).not.toContain(id);
    const onDisk = path.join(t.filesDir, row.storageKey);
    const stored = readFileSync(onDisk);
    expect(stored.includes(marker)).toBe(false);
    expect(stored.includes('%PDF')).toBe(false);
    expect(stored.length).toBeGreaterThan(bytes.length); // nonce and tag
    expect(statSync(onDisk).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(onDisk)).mode & 0o777).toBe(0o700);
    expect(path.relative(FIXTURE_WEB_DIR, onDisk).startsWith('..')).toBe(true);
    expect(storedOnDisk().some((f) => f.includes('plain-name-check') || f.endsWith('.tmp'))).toBe(false);
    // The data key is sealed (keys' versioned format), never stored plainly.
    expect(row.sealedKey).toMatch(/^mlk1\.\d+\./);
  });

  test('FILE-01 ATK-UPLOAD the type comes from the magic bytes: other formats are refused with 415 and nothing is stored', async () => {
    const others: [string, Buffer | string][] = [
      ['a.pdf', 'GIF89a\x01\x00\x01\x00\x00\x00\x00;'],
      ['a.pdf', '<html><script>alert(1)</script></html>'],
      ['drawing.png', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'],
      ['setup.pdf', Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(64)])],
      ['a.pdf', ZIP],
      ['notes.pdf', 'just some text, not a PDF'],
      ['a.pdf', ` ${pdf().toString('latin1')}`], // the header must be at the very start
    ];
    for (const [name, bytes] of others) {
      const body = await expectRefused(upload(bytes, name, { type: 'application/pdf' }), 415, 'upload_type_refused');
      expect(body.message).toMatch(/Only PDF, JPEG and PNG/);
    }
  });

  test('FILE-01 the declared Content-Type and the extension must agree with the content', async () => {
    await expectRefused(upload(png(), 'scan.png', { type: 'application/pdf' }), 415, 'upload_type_refused');
    await expectRefused(upload(pdf(), 'scan.pdf', { type: 'image/jpeg' }), 415, 'upload_type_refused');
    await expectRefused(upload(pdf(), 'scan.png', { type: 'application/pdf' }), 415, 'upload_type_refused');
    await expectRefused(upload(pdf(), 'a.pdf.js'), 415, 'upload_type_refused');
    await expectRefused(upload(jpeg(), 'photo.html'), 415, 'upload_type_refused');
    const none = await expectRefused(upload(pdf(), 'no-extension'), 415, 'upload_type_refused');
    expect(none.message).toMatch(/\.pdf/);
    // application/octet-stream claims nothing: the extension then decides.
    expect((await upload(pdf(), 'scan.PDF')).statusCode).toBe(201);
    expect((await upload(jpeg(), 'photo.jpeg', { type: 'image/jpeg; charset=binary' })).statusCode).toBe(201);
  });

  test('FILE-01 ATK-UPLOAD polyglots and active content are refused (400 upload_unsafe)', async () => {
    const cases: [string, Buffer][] = [
      ['PNG with a ZIP/JAR appended after IEND', Buffer.concat([png(), ZIP])],
      ['PNG with a ZIP inside an ancillary chunk', png([pngChunk('zzZz', ZIP)])],
      ['PNG with <script> in a text chunk', png([pngChunk('tEXt', Buffer.from('Comment\0<script>alert(1)</script>'))])],
      ['PNG with an SVG in a private chunk', png([pngChunk('svGz', Buffer.from('<svg onload=alert(1)>'))])],
      ['PNG with a PDF header inside', png([pngChunk('tEXt', Buffer.from('x\0%PDF-1.4 1 0 obj'))])],
      ['JPEG with <script> in a comment', jpeg([segment(0xfe, Buffer.from('<script>alert(1)</script>'))])],
      ['JPEG with <html> in EXIF', jpeg([segment(0xe1, Buffer.from('Exif\0\0<HTML><body onload=x>'))])],
      [
        'JPEG with HTML after the end of the image',
        Buffer.concat([jpeg(), Buffer.from('<html>x</html>\xff\xd9', 'latin1')]),
      ],
      ['JPEG with a ZIP appended', Buffer.concat([jpeg(), ZIP])],
      ['JPEG whose pixel data hides a PDF header', jpeg([], Buffer.from('%PDF-1.4 1 0 obj', 'latin1'))],
      ['PDF with /JavaScript', pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ')],
      ['PDF with a hex-escaped /J#61vaScript', pdf('/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ')],
      ['PDF with /JS in a compressed object stream', pdfWithObjectStream('<< /S /JS /JS (app.alert(1)) >>')],
      ['PDF with /Launch', pdf('/OpenAction << /S /Launch /F (cmd.exe) >> ')],
      ['PDF with an embedded file', pdf('/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> ')],
      ['PDF with an XFA form', pdf('/AcroForm << /XFA 6 0 R >> ')],
      ['PDF with a remote go-to', pdf('/OpenAction << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) >> ')],
      ['encrypted PDF', pdf('', '\n', 'trailer << /Encrypt 9 0 R >>')],
      ['PDF with HTML after %%EOF', pdf('', '\n<html><script>alert(1)</script></html>\n')],
      ['PDF with a ZIP after %%EOF', Buffer.concat([pdf(), ZIP])],
    ];
    for (const [label, bytes] of cases) {
      const name = bytes[0] === 0x25 ? 'x.pdf' : bytes[1] === 0x50 ? 'x.png' : 'x.jpg';
      const body = await expectRefused(upload(bytes, name), 400, 'upload_unsafe');
      expect(body.message, label).toMatch(/refused because/);
    }
    const rejected = await events('http.request.rejected');
    expect(rejected.at(-1)?.reason).toBe('upload_unsafe');
  });

  test('FILE-01 ATK-DOS an object stream that inflates beyond the budget (zip bomb) is refused', () => {
    const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
    const head = `4 0 obj << /Type /ObjStm /N 1 /First 4 /Length ${bomb.length} /Filter /FlateDecode >>\nstream\n`;
    const bytes = pdf(
      '',
      '\n',
      Buffer.concat([Buffer.from(head, 'latin1'), bomb, Buffer.from('\nendstream\nendobj', 'latin1')]).toString(
        'latin1',
      ),
    );
    let err: unknown;
    try {
      inspectFile(bytes);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'upload_unsafe'), String(err)).toBe(true);
  });

  test('FILE-01 empty, truncated and damaged files are refused (400 upload_malformed)', async () => {
    const empty = await expectRefused(
      upload(Buffer.alloc(0), 'empty.pdf', { type: 'application/pdf' }),
      400,
      'upload_malformed',
    );
    expect(empty.message).toMatch(/empty/);
    await expectRefused(
      upload(Buffer.alloc(0), 'empty.pdf', { type: 'application/octet-stream' }),
      400,
      'upload_malformed',
    );
    const noEnd = png().subarray(0, png().length - 12);
    await expectRefused(upload(noEnd, 'cut.png'), 400, 'upload_malformed');
    const badCrc = png();
    badCrc[30] = badCrc[30]! ^ 0xff; // inside IHDR
    await expectRefused(upload(badCrc, 'crc.png'), 400, 'upload_malformed');
    const noIhdr = Buffer.concat([png().subarray(0, 8), pngChunk('IEND', Buffer.alloc(0))]);
    await expectRefused(upload(noIhdr, 'bare.png'), 400, 'upload_malformed');
    await expectRefused(upload(jpeg().subarray(0, jpeg().length - 2), 'cut.jpg'), 400, 'upload_malformed');
    await expectRefused(upload(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'bare.jpg'), 400, 'upload_malformed');
    await expectRefused(upload(pdf('', '\n').subarray(0, 120), 'cut.pdf'), 400, 'upload_malformed');
  });

  test('FILE-01 ATK-DOS an oversize upload is refused with 413 and a readable limit, while reading; nothing is stored', async () => {
    const small = `/api/v1/test/records/${RECORD}/small-files`;
    const big = pdf(`/Pad (${'x'.repeat(3000)}) `);
    const refused = await expectRefused(upload(big, 'big.pdf', { url: small }), 413, 'upload_too_large');
    expect(refused.message).toMatch(/larger than 2 KB/);
    // A lying Content-Length is refused before the body is read.
    await expectRefused(
      upload(pdf(), 'liar.pdf', { url: small, headers: { 'content-length': String(5 * 1024 * 1024) } }),
      413,
      'upload_too_large',
    );
    expect((await upload(pdf(), 'fits.pdf', { url: small })).statusCode).toBe(201);
    // The configured maximum (here the harness default of 10 MiB) holds on routes without their own.
    const huge = Buffer.concat([pdf().subarray(0, 20), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), pdf().subarray(20)]);
    await expectRefused(upload(huge, 'huge.pdf'), 413, 'upload_too_large');
    // Pixel flood: a tiny PNG that claims 10 000 × 10 000 pixels.
    const flood = await expectRefused(
      upload(png([], { width: 10_000, height: 10_000 }), 'flood.png'),
      413,
      'upload_too_large',
    );
    expect(flood.message).toMatch(/million pixels/);
  });

  test('FILE-02 ATK-PATH ATK-CRLF path-like, invisible or undecodable file names are refused; others only ever reach Content-Disposition encoded', async () => {
    const raw = (value: string) => upload(pdf(), null, { headers: { 'x-file-name': value } });
    for (const value of [
      encodeURIComponent('../../etc/passwd'),
      '..%2f..%2fetc%2fpasswd',
      encodeURIComponent('..\\..\\windows\\win.ini'),
      encodeURIComponent('/etc/passwd'),
      encodeURIComponent('a\\b.pdf'),
      'file.pdf%00.png',
      'a.pdf%0d%0aSet-Cookie:%20x=1',
      encodeURIComponent('invoice\u202Efdp.pdf'),
      encodeURIComponent('．．／etc／passwd.pdf'),
      '..%c0%af',
      encodeURIComponent('....//'),
      encodeURIComponent('..'),
      encodeURIComponent('x'.repeat(201) + '.pdf'),
      '%',
      '',
    ]) {
      const body = await expectRefused(raw(value), 400, 'validation_failed');
      expect(
        body.issues?.map((i) => i.path),
        value,
      ).toEqual(['headers.x-file-name']);
    }
    await expectRefused(upload(pdf(), null), 400, 'validation_failed');

    // A double-encoded traversal is a harmless literal name; quotes and semicolons stay inside the encoding.
    for (const name of ['%2e%2e%2fpasswd.pdf', 'a";b=c.pdf', "RFC 5987 'quoted' (1).pdf"]) {
      const res = await upload(pdf(), name);
      expect(res.statusCode, res.body).toBe(201);
      const got = await download(res.json<StoredFileView>().id);
      const disposition = String(got.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
      expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(name);
    }
    const rfc5987 = await upload(pdf(), null, {
      headers: { 'x-file-name': `UTF-8''${encodeURIComponent('证书.pdf')}` },
    });
    expect(rfc5987.json<StoredFileView>().fileName).toBe('证书.pdf');
  });

  test('FILE-01 only files go to upload routes and only JSON to JSON routes (415)', async () => {
    await expectRefused(upload('{"a":1}', 'a.pdf', { type: 'application/json' }), 415, 'upload_type_refused');
    await expectRefused(upload('<html></html>', 'a.pdf', { type: 'text/html' }), 415, 'upload_type_refused');
    await expectRefused(
      upload('a=1', 'a.pdf', { type: 'multipart/form-data; boundary=x' }),
      415,
      'upload_type_refused',
    );
    const noType = await t.app.inject({
      method: 'POST',
      url: `/api/v1/test/records/${RECORD}/files`,
      headers: { 'x-test-actor': PERMISSION, 'x-file-name': 'a.pdf' },
    });
    expect(noType.statusCode).toBe(400);
    expect(noType.json<{ code: string }>().code).toBe('upload_malformed');
    // A file sent to a JSON route.
    const toJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: pdf(),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(toJson.statusCode).toBe(415);
    expect(toJson.json<{ code: string }>().code).toBe('unsupported_media_type');
  });

  test('FILE-02 AC-01 CSRF: anonymous uploads are 401, cross-site ones 403, other owners’ files 404', async () => {
    await expectRefused(upload(pdf(), 'a.pdf', { actor: null }), 401, 'unauthenticated');
    await expectRefused(upload(pdf(), 'a.pdf', { actor: '' }), 403, 'forbidden');
    await expectRefused(
      upload(pdf(), 'a.pdf', { headers: { 'sec-fetch-site': 'cross-site' } }),
      403,
      'cross_origin_rejected',
    );
    await expectRefused(
      upload(pdf(), 'a.pdf', { headers: { origin: 'https://evil.example' } }),
      403,
      'cross_origin_rejected',
    );
    const mine = await upload(pdf(), 'mine.pdf');
    const id = mine.json<StoredFileView>().id;
    const elsewhere = await download(id, OTHER_RECORD);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json<{ code: string }>().code).toBe('not_found');
    for (const bogus of ['../../etc/passwd', '01900000-0000-7000-8000-0000000000ff', "1' OR '1'='1"]) {
      const res = await download(encodeURIComponent(bogus));
      expect(res.statusCode, bogus).toBe(404);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/test/records/${RECORD}/files/${id}` });
    expect(anonymous.statusCode).toBe(401);
    const ctx = systemCtx(t.runtime, 'test');
    await expect(fileInfo(ctx, owner(OTHER_RECORD), id)).rejects.toThrow(/no such file/);
    expect((await fileInfo(ctx, owner(RECORD), id)).fileName).toBe('mine.pdf');
  });

  test('LOG-02 uploads and downloads are audited with id, hash, size, type and owner, never the name or content', async () => {
    const res = await upload(png(), '张三 身份证 110101199003071234.png');
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json<StoredFileView>();
    await download(view.id);
    const expected = {
      fileId: view.id,
      sha256: view.sha256,
      size: view.size,
      mediaType: 'image/png',
      ownerKind: 'test.record',
      ownerId: RECORD,
    };
    const uploaded = (await events('files.file.uploaded')).find((e) => e.resource?.id === view.id);
    const downloaded = (await events('files.file.downloaded')).find((e) => e.resource?.id === view.id);
    expect(uploaded?.data).toEqual(expected);
    expect(downloaded?.data).toEqual(expected);
  });

  test('ATK-CRYPTO a damaged or swapped stored file fails closed with an integrity alert', async () => {
    const a = (await upload(pdf('/Which (a) '), 'a.pdf')).json<StoredFileView>();
    const b = (await upload(pdf('/Which (b) '), 'b.pdf')).json<StoredFileView>();
    const key = async (id: string) =>
      (await t.db.selectFrom('stored_file').select('storageKey').where('id', '=', id).executeTakeFirstOrThrow())
        .storageKey;
    const fileA = path.join(t.filesDir, await key(a.id));
    const fileB = path.join(t.filesDir, await key(b.id));
    const alertsBefore = (await events('keys.integrity.failed')).length;

    const original = readFileSync(fileA);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 20] = flipped[flipped.length - 20]! ^ 0x01;
    writeFileSync(fileA, flipped);
    const damaged = await download(a.id);
    expect(damaged.statusCode).toBe(500);
    expect(damaged.json<{ code: string }>().code).toBe('integrity_failed');
    expect(damaged.body).not.toContain('%PDF');

    writeFileSync(fileA, readFileSync(fileB)); // b's blob under a's row: the AAD binds the id
    expect((await download(a.id)).json<{ code: string }>().code).toBe('integrity_failed');
    expect((await events('keys.integrity.failed')).length).toBe(alertsBefore + 2);

    writeFileSync(fileA, original);
    expect((await download(a.id)).statusCode).toBe(200);
  });

  test('CRY-04 key rotation rewraps the files’ data keys; the files stay readable', async () => {
    const res = await upload(jpeg(), 'rotate.jpg');
    const { id } = res.json<StoredFileView>();
    const before = await t.db
      .selectFrom('stored_file')
      .select('sealedKey')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await t.db.transaction().execute((tx) => rotateKey(systemCtx(t.runtime, 'test', tx), 'field'));
    await rewrap(t.runtime);
    const after = await t.db
      .selectFrom('stored_file')
      .select('sealedKey')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.sealedKey).not.toBe(before.sealedKey);
    const got = await download(id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(jpeg())).toBe(true);
  });

  test('FILE-02 stored file rows are kept: DELETE and changes other than the sealed key are refused by the database', async () => {
    const { id } = (await upload(pdf(), 'keep.pdf')).json<StoredFileView>();
    await expect(t.db.deleteFrom('stored_file').where('id', '=', id).execute()).rejects.toThrow();
    await expect(
      t.db.updateTable('stored_file').set({ fileName: 'other.pdf' }).where('id', '=', id).execute(),
    ).rejects.toThrow();
    await expect(
      t.db
        .updateTable('stored_file')
        .set({ storageKey: '00/' + '0'.repeat(32) })
        .where('id', '=', id)
        .execute(),
    ).rejects.toThrow();
    if (t.dialect === 'postgres') {
      await expect(sql`TRUNCATE stored_file`.execute(t.db)).rejects.toThrow();
    }
    expect(await rowCount()).toBeGreaterThan(0);
  });

  test('storeUpload can be called without HTTP (system actor) and applies the same checks', async () => {
    const ctx = systemCtx(t.runtime, 'test-import');
    const view = await storeUpload(ctx, { bytes: png(), fileName: 'imported.png', owner: owner(OTHER_RECORD) });
    expect(view.uploadedBy).toBe('system:test-import');
    expect((await listFiles(ctx, owner(OTHER_RECORD))).map((f) => f.id)).toContain(view.id);
    await expect(
      storeUpload(ctx, { bytes: Buffer.concat([png(), ZIP]), fileName: 'x.png', owner: owner(OTHER_RECORD) }),
    ).rejects.toThrow(/refused because/);
    await expect(storeUpload(ctx, { bytes: png(), fileName: '../x.png', owner: owner(OTHER_RECORD) })).rejects.toThrow(
      /not acceptable/,
    );
    await expect(
      storeUpload(ctx, { bytes: png(), fileName: 'x.png', owner: { kind: 'Bad Kind', id: '1' } }),
    ).rejects.toThrow(/invalid file owner/);
  });
});
