import { createCipheriv } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';

/**
 * The two halves of an RFB 3.x handshake (RFC 6143 §7.1–7.2) that the console
 * proxy performs itself, so the VNC password Proxmox hands out never leaves
 * the API: towards Proxmox it is the client and answers VNC Authentication;
 * towards the browser it is the server and offers only security type None
 * (the one-time console ticket already authenticated the browser). Both sides
 * then stand before ClientInit, which is the same in every protocol version,
 * and from there the bytes are piped unchanged.
 */

export class RfbError extends Error {
  override name = 'RfbError';
}

export const toBuffer = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);

/** Reads exact byte counts from a websocket that carries a byte stream in arbitrary frames. */
export class ByteReader {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;

  private readonly onMessage = (data: RawData) => {
    this.buf = Buffer.concat([this.buf, toBuffer(data)]);
    if (this.buf.length > this.limit) {
      this.ended = true;
      this.ws.terminate();
    }
    this.wake?.();
  };
  private readonly onClose = () => {
    this.ended = true;
    this.wake?.();
  };

  /** `limit`: a handshake is tiny; a peer that floods it is cut off. */
  constructor(
    private readonly ws: WebSocket,
    private readonly limit = 64 * 1024,
  ) {
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
  }

  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.ended) throw new RfbError('the connection closed during the handshake');
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Stops reading and returns what arrived beyond the handshake, for the pipe to send first. */
  detach(): Buffer {
    this.ws.removeListener('message', this.onMessage);
    this.ws.removeListener('close', this.onClose);
    return this.buf;
  }
}

const SEC_NONE = 1;
const SEC_VNC = 2;
const OK = Buffer.from([0, 0, 0, 0]);

/**
 * The response to a VNC Authentication challenge: DES-ECB of the 16 bytes with
 * the password (its first 8 bytes, zero-padded) as the key, each key byte's
 * bits reversed, as the original VNC did. Node offers single DES only through
 * OpenSSL's legacy provider, but triple DES with three equal keys is single
 * DES, and that is in the default provider.
 */
export function vncAuthResponse(password: string, challenge: Uint8Array): Buffer {
  const key = Buffer.alloc(8);
  const pw = Buffer.from(password, 'latin1');
  for (let i = 0; i < 8; i++) {
    const b = pw[i] ?? 0;
    let r = 0;
    for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) r |= 1 << (7 - bit);
    key[i] = r;
  }
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

/** "RFB 003.008\n" → 8; the versions RFC 6143 defines are 3.3, 3.7 and 3.8, and anything else is read as 3.3. */
function minorVersion(greeting: Buffer, who: string): 3 | 7 | 8 {
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(greeting.toString('latin1'));
  if (!m || Number(m[1]) !== 3) throw new RfbError(`${who} does not speak RFB 3.x`);
  const minor = Number(m[2]);
  return minor >= 8 ? 8 : minor === 7 ? 7 : 3;
}

const versionString = (minor: number) => Buffer.from(`RFB 003.00${minor}\n`, 'latin1');

async function readReason(r: ByteReader): Promise<string> {
  const len = (await r.read(4)).readUInt32BE(0);
  return len > 0 && len <= 4096 ? (await r.read(len)).toString('latin1') : '';
}

/**
 * Client side, towards Proxmox: agree on a version, choose VNC Authentication
 * (or None, should the server offer it), answer the challenge with `password`,
 * and check the result. Leaves the connection before ClientInit.
 */
export async function authenticateToServer(r: ByteReader, send: (b: Buffer) => void, password: string): Promise<void> {
  const minor = minorVersion(await r.read(12), "Proxmox's VNC server");
  send(versionString(minor));
  let type: number;
  if (minor === 3) {
    type = (await r.read(4)).readUInt32BE(0);
    if (type === 0) throw new RfbError(`Proxmox's VNC server refused the connection: ${await readReason(r)}`);
  } else {
    const count = (await r.read(1)).readUInt8(0);
    if (count === 0) throw new RfbError(`Proxmox's VNC server refused the connection: ${await readReason(r)}`);
    const offered = [...(await r.read(count))];
    if (offered.includes(SEC_NONE)) type = SEC_NONE;
    else if (offered.includes(SEC_VNC)) type = SEC_VNC;
    else throw new RfbError(`Proxmox's VNC server offers no security type the proxy speaks (${offered.join(', ')})`);
    send(Buffer.from([type]));
  }
  if (type === SEC_VNC) send(vncAuthResponse(password, await r.read(16)));
  else if (type !== SEC_NONE) throw new RfbError(`Proxmox's VNC server requires security type ${type}`);
  // RFC 6143 §7.1.3: 3.3 and 3.7 send no SecurityResult after None.
  if (type === SEC_NONE && minor < 8) return;
  if ((await r.read(4)).readUInt32BE(0) !== 0) {
    const reason = minor === 8 ? await readReason(r) : '';
    throw new RfbError(`Proxmox's VNC server refused the console password${reason ? `: ${reason}` : ''}`);
  }
}

/**
 * Server side, towards the browser: offer RFB 3.8 with security type None
 * only, and confirm it. Leaves the connection before ClientInit.
 */
export async function acceptClient(r: ByteReader, send: (b: Buffer) => void): Promise<void> {
  send(versionString(8));
  const minor = minorVersion(await r.read(12), 'The browser');
  if (minor === 3) {
    send(Buffer.from([0, 0, 0, SEC_NONE]));
    return;
  }
  send(Buffer.from([1, SEC_NONE]));
  const chosen = (await r.read(1)).readUInt8(0);
  if (chosen !== SEC_NONE) {
    if (minor === 8) {
      const reason = Buffer.from('security type not offered', 'latin1');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(reason.length);
      send(Buffer.concat([Buffer.from([0, 0, 0, 1]), len, reason]));
    }
    throw new RfbError(`the browser chose security type ${chosen}, which was not offered`);
  }
  if (minor === 8) send(OK);
}
