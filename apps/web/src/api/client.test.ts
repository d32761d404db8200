import { StoredFileView } from '@medledger/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiUpload } from './client';

const view = {
  id: '01900000-0000-7000-8000-0000000000a1',
  fileName: '营业执照 2026.pdf',
  mediaType: 'application/pdf',
  size: 4,
  sha256: '0'.repeat(64),
  uploadedBy: 'u1',
  uploadedByName: '王芳',
  uploadedAt: '2026-12-01T02:00:00.000Z',
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiUpload (FILE-01)', () => {
  it('sends the file as the raw body with its name percent-encoded in x-file-name', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(new Response(JSON.stringify(view), { status: 201 })));
    vi.stubGlobal('fetch', fetchMock);
    const file = new File(['%PDF'], '营业执照 2026.pdf', { type: 'application/pdf' });
    await expect(apiUpload('/things/1/files', file, StoredFileView)).resolves.toEqual(view);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/things/1/files');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe(file);
    expect(init.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent('营业执照 2026.pdf'),
    });
  });

  it('claims nothing for types the server does not accept, and surfaces refusals as ApiError', async () => {
    const refusal = { code: 'upload_type_refused', message: 'Only PDF, JPEG and PNG', requestId: 'r1' };
    const fetchMock = vi.fn(() => Promise.resolve(new Response(JSON.stringify(refusal), { status: 415 })));
    vi.stubGlobal('fetch', fetchMock);
    const file = new File(['<svg/>'], 'a.svg', { type: 'image/svg+xml' });
    const err = await apiUpload('/things/1/files', file, StoredFileView).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('upload_type_refused');
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({ 'content-type': 'application/octet-stream' });
  });
});
