import http from 'node:http';

/**
 * The optional plain-HTTP listener: it only redirects page requests to HTTPS. API requests and
 * anything other than GET/HEAD are refused, never redirected (TLS-01), so credentials sent over
 * plain HTTP by mistake are not silently forwarded.
 */
export function createRedirectServer(publicUrl: string): http.Server {
  const target = new URL(publicUrl);
  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    const headers = { 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'cache-control': 'no-store' };
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      !url.startsWith('/api/') &&
      url.startsWith('/') &&
      !url.startsWith('//')
    ) {
      res.writeHead(301, { ...headers, location: new URL(url, target).toString() });
      res.end();
      return;
    }
    res.writeHead(403, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('MedLedger accepts requests over HTTPS only.\n');
  });
}
