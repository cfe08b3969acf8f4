import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { ProxmoxError } from './errors.js';
import { pinMismatch, pinOf, type TlsTrust } from './tls.js';

/**
 * A TLS connection to a Proxmox node, trusted exactly as the HTTP client's
 * dispatcher trusts it (see createDispatcher): with a CA, the chain and
 * hostname are verified; with a pin, the certificate must match it. The
 * socket is only handed over once that check passed, so nothing (the token
 * header above all) is written to a server we do not trust.
 */
export function connectTrusted(url: URL, trust: TlsTrust, timeoutMs: number): Promise<TLSSocket> {
  let pin: string | undefined;
  try {
    pin = pinOf(trust);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port: Number(url.port || 8006),
      ...(isIP(host) ? {} : { servername: host }),
      ...(trust.ca ? { ca: trust.ca } : { rejectUnauthorized: false }),
      timeout: timeoutMs,
    });
    const fail = (e: Error) => {
      socket.destroy();
      if (e instanceof ProxmoxError) return reject(e);
      const code = (e as NodeJS.ErrnoException).code ?? '';
      reject(
        /certificate|self[- ]signed|altnames|CERT_|ERR_TLS/i.test(`${code} ${e.message}`)
          ? new ProxmoxError('TLS', `TLS verification failed: ${e.message}`)
          : new ProxmoxError('UNAVAILABLE', `cannot reach Proxmox: ${code || e.message}`),
      );
    };
    socket.once('timeout', () => fail(new ProxmoxError('TIMEOUT', `no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const mismatch = pin ? pinMismatch(socket, pin) : null;
      if (mismatch) return fail(mismatch);
      socket.removeListener('error', fail);
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}

export interface VncWebSocketOptions {
  /** Full https:// URL of …/vncwebsocket?port=…&vncticket=… */
  url: string;
  /** The Authorization header value; it goes to Proxmox and nowhere else. */
  authorization: string;
  tls: TlsTrust;
  timeoutMs: number;
}

/**
 * Opens the websocket of a vncproxy session. Resolves once Proxmox accepted
 * the upgrade; its refusals (401 bad ticket, 403, 5xx "unable to connect to
 * VNC proxy") come back as ProxmoxErrors with the status Proxmox gave.
 */
export async function openVncWebSocket(o: VncWebSocketOptions): Promise<WebSocket> {
  const target = new URL(o.url);
  const path = target.pathname;
  const socket = await connectTrusted(target, o.tls, o.timeoutMs);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target.toString().replace(/^http/, 'ws'), ['binary'], {
      createConnection: () => socket,
      headers: { Authorization: o.authorization },
      handshakeTimeout: o.timeoutMs,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
      followRedirects: false,
    });
    const cleanup = () => {
      ws.removeListener('open', onOpen);
      ws.removeListener('error', onError);
      ws.removeListener('unexpected-response', onResponse);
      // Every error is followed by 'close', which is what the owner acts on;
      // an 'error' without a listener would bring the process down.
      ws.on('error', () => {});
    };
    const onOpen = () => {
      cleanup();
      resolve(ws);
    };
    const onError = (e: Error) => {
      cleanup();
      socket.destroy();
      reject(
        /timed out/i.test(e.message)
          ? new ProxmoxError('TIMEOUT', `Proxmox did not open the console within ${o.timeoutMs} ms`, { path })
          : new ProxmoxError('UNAVAILABLE', `cannot open the console websocket: ${e.message}`, { path }),
      );
    };
    const onResponse = (_req: unknown, res: { statusCode?: number; statusMessage?: string }) => {
      cleanup();
      ws.terminate();
      socket.destroy();
      const status = res.statusCode ?? 0;
      const message = (res.statusMessage ?? '').trim() || `HTTP ${status}`;
      const kind =
        status === 401
          ? 'AUTHENTICATION'
          : status === 403
            ? 'PERMISSION'
            : status === 502 || status === 503 || status === 504
              ? 'UNAVAILABLE'
              : 'SERVER';
      reject(new ProxmoxError(kind, `Proxmox refused the console websocket: ${message}`, { status, path }));
    };
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onResponse);
  });
}
