import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { ProxmoxError } from './errors.js';

/** "ab12cd…" or "AB:12:CD:…" → "AB:12:CD:…", the form Proxmox shows in its GUI and `/nodes`. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length !== 64) throw new Error('a SHA-256 fingerprint has 64 hexadecimal digits');
  return hex.match(/.{2}/g)!.join(':');
}

export interface TlsTrust {
  /** PEM of the cluster CA (pve-root-ca.pem), verified the usual way, hostname included. */
  ca?: string | undefined;
  /** SHA-256 fingerprint of the node's certificate, pinned. */
  fingerprint?: string | undefined;
}

/** The pin to enforce, if any; refuses a trust setting that would trust anything. */
export function pinOf(trust: TlsTrust): string | undefined {
  if (!trust.ca && !trust.fingerprint)
    throw new Error('a Proxmox server needs a CA certificate or a pinned fingerprint');
  return trust.fingerprint ? normalizeFingerprint(trust.fingerprint) : undefined;
}

/** Null when the socket presents the pinned certificate; otherwise the error to fail with. */
export function pinMismatch(socket: TLSSocket, pin: string): ProxmoxError | null {
  const cert = socket.getPeerCertificate?.();
  const got = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : '(none)';
  return got === pin
    ? null
    : new ProxmoxError('TLS', `the server's certificate fingerprint ${got} does not match the pinned ${pin}`);
}

/**
 * An undici dispatcher that trusts exactly what the admin confirmed. With a
 * CA, the chain and hostname are verified as usual (and the pin too, if one is
 * given). With only a pin, Proxmox's self-signed certificate cannot pass chain
 * verification, so the chain check is replaced by an exact match of the
 * certificate's SHA-256 fingerprint before the socket is used: a different
 * certificate is refused. There is no mode that trusts anything.
 */
export function createDispatcher(trust: TlsTrust, opts: { connectTimeoutMs: number; keepAliveMs?: number }): Agent {
  const pin = pinOf(trust);
  const base = buildConnector({
    timeout: opts.connectTimeoutMs,
    ...(trust.ca ? { ca: trust.ca } : { rejectUnauthorized: false }),
    // A resumed TLS session carries no certificate to compare with the pin:
    // every pinned connection makes a full handshake.
    ...(pin ? { maxCachedSessions: 0 } : {}),
  });
  return new Agent({
    connectTimeout: opts.connectTimeoutMs,
    keepAliveTimeout: opts.keepAliveMs ?? 10_000,
    connect: (options, callback) =>
      base(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        const mismatch = pin ? pinMismatch(socket as TLSSocket, pin) : null;
        if (mismatch) {
          socket.destroy();
          return callback(mismatch, null);
        }
        callback(null, socket);
      }),
  });
}

export interface PresentedCertificate {
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  subjectAltName: string | null;
}

/**
 * Reads the certificate a server presents, without trusting it, so an admin
 * can compare its fingerprint with the one the Proxmox GUI shows and confirm
 * it (trust on first use, never silent).
 */
export function fetchPresentedCertificate(url: string, timeoutMs = 5_000): Promise<PresentedCertificate> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: u.hostname,
      port: Number(u.port || 8006),
      servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname,
      // Reading only: nothing is sent over this connection, it is closed at once.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (e: Error) => {
      socket.destroy();
      reject(
        new ProxmoxError(e instanceof ProxmoxError ? e.kind : 'UNAVAILABLE', `cannot reach ${u.host}: ${e.message}`),
      );
    };
    socket.once('timeout', () => fail(new ProxmoxError('TIMEOUT', `no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const c: PeerCertificate = socket.getPeerCertificate(false);
      socket.end();
      if (!c?.raw) return reject(new ProxmoxError('TLS', 'the server presented no certificate'));
      const x = new X509Certificate(c.raw);
      resolve({
        fingerprint256: normalizeFingerprint(x.fingerprint256),
        subject: x.subject,
        issuer: x.issuer,
        validFrom: new Date(x.validFrom).toISOString(),
        validTo: new Date(x.validTo).toISOString(),
        selfSigned: x.subject === x.issuer,
        subjectAltName: x.subjectAltName ?? null,
      });
    });
  });
}
