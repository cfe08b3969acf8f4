import WebSocket, { type RawData } from 'ws';
import { toBuffer } from './rfb.js';

/** Bytes sent on but not yet written to the other socket before the sender is paused, and resumed. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/** A close frame's reason holds at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out, 'utf8') > 123) out = out.slice(0, -1);
  return out;
}

export function closeQuietly(ws: WebSocket, code: number, reason = ''): void {
  if (ws.readyState === WebSocket.OPEN) ws.close(code, closeReason(reason));
  else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
}

export interface PipeEnd {
  /** Which side closed first. */
  by: 'browser' | 'proxmox';
  code: number;
  toBrowserBytes: number;
  toProxmoxBytes: number;
}

/**
 * Joins the browser's websocket to Proxmox's, both carrying one RFB byte
 * stream: frames are forwarded as they come (frame boundaries mean nothing in
 * RFB), with backpressure, so a slow browser slows Proxmox down instead of
 * filling our memory. When either side closes, the other is closed too, and
 * `onEnd` is called once. `*Pending` are the bytes the handshake had already
 * read past its end; they are sent first.
 */
export function pipeConsole(
  browser: { socket: WebSocket; pending: Buffer },
  proxmox: { socket: WebSocket; pending: Buffer },
  onEnd: (end: PipeEnd) => void,
): void {
  const stats = { toBrowserBytes: 0, toProxmoxBytes: 0 };
  let ended = false;

  const end = (by: PipeEnd['by'], code: number) => {
    if (ended) return;
    ended = true;
    if (by === 'proxmox') closeQuietly(browser.socket, 1000, 'the console was closed on the Proxmox side');
    else closeQuietly(proxmox.socket, 1000);
    onEnd({ by, code, ...stats });
  };

  function forward(from: WebSocket, to: WebSocket, counter: 'toBrowserBytes' | 'toProxmoxBytes') {
    let inFlight = 0;
    const send = (buf: Buffer) => {
      if (!buf.length || to.readyState !== WebSocket.OPEN) return;
      inFlight += buf.length;
      stats[counter] += buf.length;
      to.send(buf, { binary: true }, () => {
        inFlight -= buf.length;
        if (inFlight <= LOW_WATER && from.isPaused) from.resume();
      });
      if (inFlight > HIGH_WATER && !from.isPaused) from.pause();
    };
    from.on('message', (data: RawData) => send(toBuffer(data)));
    return send;
  }

  const toProxmox = forward(browser.socket, proxmox.socket, 'toProxmoxBytes');
  const toBrowser = forward(proxmox.socket, browser.socket, 'toBrowserBytes');
  browser.socket.on('close', (code) => end('browser', code));
  proxmox.socket.on('close', (code) => end('proxmox', code));
  browser.socket.on('error', () => browser.socket.terminate());
  proxmox.socket.on('error', () => proxmox.socket.terminate());

  // Either side may have gone while the handshake finished.
  if (proxmox.socket.readyState !== WebSocket.OPEN) return end('proxmox', 1006);
  if (browser.socket.readyState !== WebSocket.OPEN) return end('browser', 1006);
  toProxmox(browser.pending);
  toBrowser(proxmox.pending);
}
