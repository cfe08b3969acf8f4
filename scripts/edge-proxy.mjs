// The embedded stand-in for Caddy: one public port, /api to the API and the
// rest to the web, as in production. It exists for three reasons:
//  - the client's address: it sets X-Forwarded-For from the socket and drops
//    whatever the browser sent, so the API (which trusts loopback) sees the
//    real address and nobody can forge one past the login limits;
//  - websockets (the VM console) pass through, which Next's rewrites do not;
//  - the API's address is read when it starts, not baked into the web build.
import http from 'node:http';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'];

function upstreamHeaders(req, { keepUpgrade = false } = {}) {
  const headers = { ...req.headers };
  for (const h of [...FORWARDED, ...(keepUpgrade ? [] : HOP_BY_HOP)]) delete headers[h];
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

/**
 * @param {{ host: string, port: number, api: { host: string, port: number }, web: { host: string, port: number }, onError?: (e: Error) => void }} opts
 * @returns {Promise<{ server: http.Server, close: () => Promise<void> }>}
 */
export function startEdgeProxy(opts) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const targetOf = (url = '/') => (url === '/api' || url.startsWith('/api/') ? opts.api : opts.web);

  const server = http.createServer((req, res) => {
    const target = targetOf(req.url);
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: upstreamHeaders(req), agent },
      (up) => {
        const headers = { ...up.headers };
        for (const h of HOP_BY_HOP) delete headers[h];
        res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      opts.onError?.(e);
      if (res.headersSent) return res.destroy();
      const api = target === opts.api;
      res.writeHead(502, { 'content-type': api ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8' });
      res.end(
        api
          ? JSON.stringify({
              error: { code: 'SERVICE_UNAVAILABLE', message: 'The API is not reachable' },
              requestId: '',
            })
          : 'Uni-Manager is starting or stopping; try again in a moment.\n',
      );
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req, socket, head) => {
    const target = targetOf(req.url);
    const upstream = http.request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: upstreamHeaders(req, { keepUpgrade: true }),
    });
    upstream.on('upgrade', (up, upSocket, upHead) => {
      const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage}`];
      for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      if (upHead?.length) socket.write(upHead);
      if (head?.length) upSocket.write(head);
      upSocket.pipe(socket).pipe(upSocket);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
    });
    upstream.on('response', (res) => {
      // The upstream refused the upgrade: relay its answer and close.
      socket.end(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\nconnection: close\r\n\r\n`);
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });

  // Idle keep-alive sockets to Next would hold its graceful shutdown open: drop them all.
  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      agent.destroy();
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve({ server, close }));
  });
}
