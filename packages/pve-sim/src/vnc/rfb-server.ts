/**
 * The server side of RFB 3.8 (RFC 6143), transport-agnostic: bytes in through `receive`, bytes
 * out through `send`. It offers one security type — VNC Authentication with the vncproxy password
 * (what QEMU does behind Proxmox), or None when configured — then serves Raw-encoded updates of
 * a framebuffer it re-renders every second, sending only what changed for incremental requests.
 * 3.3 and 3.7 clients are accepted too.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import { vncAuthResponse } from './des.js';
import { unionRect, type Framebuffer, type Rect } from './framebuffer.js';

export interface PixelFormat {
  bpp: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

export const SERVER_PIXEL_FORMAT: PixelFormat = {
  bpp: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 16,
  greenShift: 8,
  blueShift: 0,
};

export interface RfbServerOptions {
  name: string;
  /** VNC Authentication password; undefined offers security type None. */
  password?: string;
  render(blink: boolean): Framebuffer;
  onKey?(keysym: number, down: boolean): void;
  send(data: Buffer): void;
  close(reason: string): void;
  clock: Clock;
  refreshMs?: number;
}

type State = 'version' | 'security' | 'auth' | 'init' | 'normal' | 'closed';

const SEC_NONE = 1;
const SEC_VNC = 2;

function encodePixelFormat(pf: PixelFormat): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(pf.bpp, 0);
  b.writeUInt8(pf.depth, 1);
  b.writeUInt8(pf.bigEndian ? 1 : 0, 2);
  b.writeUInt8(pf.trueColour ? 1 : 0, 3);
  b.writeUInt16BE(pf.redMax, 4);
  b.writeUInt16BE(pf.greenMax, 6);
  b.writeUInt16BE(pf.blueMax, 8);
  b.writeUInt8(pf.redShift, 10);
  b.writeUInt8(pf.greenShift, 11);
  b.writeUInt8(pf.blueShift, 12);
  return b;
}

function decodePixelFormat(b: Buffer): PixelFormat {
  return {
    bpp: b.readUInt8(0),
    depth: b.readUInt8(1),
    bigEndian: b.readUInt8(2) !== 0,
    trueColour: b.readUInt8(3) !== 0,
    redMax: b.readUInt16BE(4),
    greenMax: b.readUInt16BE(6),
    blueMax: b.readUInt16BE(8),
    redShift: b.readUInt8(10),
    greenShift: b.readUInt8(11),
    blueShift: b.readUInt8(12),
  };
}

/** Raw encoding of `rect` in the client's pixel format (colour-map clients get a 3-3-2 palette). */
export function encodeRaw(fb: Framebuffer, rect: Rect, pf: PixelFormat): Buffer {
  const bytes = pf.bpp / 8;
  const out = Buffer.alloc(rect.w * rect.h * bytes);
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * fb.width + x) * 3;
      const r = fb.data[i] as number;
      const g = fb.data[i + 1] as number;
      const b = fb.data[i + 2] as number;
      let v: number;
      if (pf.trueColour) {
        v =
          (((r * pf.redMax + 127) / 255) << pf.redShift) |
          (((g * pf.greenMax + 127) / 255) << pf.greenShift) |
          (((b * pf.blueMax + 127) / 255) << pf.blueShift);
      } else {
        v = ((r >> 5) << 5) | ((g >> 5) << 2) | (b >> 6);
      }
      v >>>= 0;
      if (bytes === 4) {
        if (pf.bigEndian) out.writeUInt32BE(v, o);
        else out.writeUInt32LE(v, o);
      } else if (bytes === 2) {
        if (pf.bigEndian) out.writeUInt16BE(v & 0xffff, o);
        else out.writeUInt16LE(v & 0xffff, o);
      } else {
        out.writeUInt8(v & 0xff, o);
      }
      o += bytes;
    }
  }
  return out;
}

function intersect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const w = Math.min(a.x + a.w, b.x + b.w) - x;
  const h = Math.min(a.y + a.h, b.y + b.h) - y;
  return w > 0 && h > 0 ? { x, y, w, h } : undefined;
}

export class RfbServer {
  private state: State = 'version';
  private buffer = Buffer.alloc(0);
  private minor = 8;
  private challenge = Buffer.alloc(0);
  private pf: PixelFormat = SERVER_PIXEL_FORMAT;
  private current: Framebuffer | undefined;
  private dirty: Rect | undefined;
  private pending: Rect | undefined;
  private timer: TimerHandle | undefined;
  private blink = false;
  /** Counters for tests and logs. */
  readonly stats = { updates: 0, bytes: 0 };

  constructor(private readonly opts: RfbServerOptions) {}

  start(): void {
    this.out(Buffer.from('RFB 003.008\n', 'latin1'));
  }

  stop(): void {
    this.state = 'closed';
    this.opts.clock.clearTimer(this.timer);
  }

  receive(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    try {
      while (!this.closed() && this.step()) {
        // keep consuming complete messages
      }
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  private closed(): boolean {
    return this.state === 'closed';
  }

  private out(data: Buffer): void {
    this.stats.bytes += data.length;
    this.opts.send(data);
  }

  private take(n: number): Buffer | undefined {
    if (this.buffer.length < n) return undefined;
    const b = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return b;
  }

  private fail(reason: string): void {
    this.stop();
    this.opts.close(reason);
  }

  /** Handles one protocol step if enough bytes are buffered; returns whether it did. */
  private step(): boolean {
    switch (this.state) {
      case 'version': {
        const v = this.take(12);
        if (!v) return false;
        const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(v.toString('latin1'));
        if (!m || Number(m[1]) !== 3) throw new Error('unsupported RFB protocol version');
        this.minor = Math.min(8, Number(m[2]));
        const type = this.opts.password === undefined ? SEC_NONE : SEC_VNC;
        if (this.minor < 7) {
          // RFB 3.3: the server decides the security type.
          const b = Buffer.alloc(4);
          b.writeUInt32BE(type);
          this.out(b);
          this.afterSecurityChoice(type);
        } else {
          this.out(Buffer.from([1, type]));
          this.state = 'security';
        }
        return true;
      }
      case 'security': {
        const c = this.take(1);
        if (!c) return false;
        const expected = this.opts.password === undefined ? SEC_NONE : SEC_VNC;
        if (c[0] !== expected) {
          this.securityResult(false, 'security type not offered');
          return false;
        }
        this.afterSecurityChoice(expected);
        return true;
      }
      case 'auth': {
        const r = this.take(16);
        if (!r) return false;
        const want = Buffer.from(vncAuthResponse(this.opts.password ?? '', this.challenge));
        const ok = timingSafeEqual(want, r);
        this.securityResult(ok, 'Authentication failure');
        return ok;
      }
      case 'init': {
        const shared = this.take(1);
        if (!shared) return false;
        this.current = this.opts.render(this.blink);
        const name = Buffer.from(this.opts.name, 'utf8');
        const head = Buffer.alloc(4);
        head.writeUInt16BE(this.current.width, 0);
        head.writeUInt16BE(this.current.height, 2);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(name.length);
        this.out(Buffer.concat([head, encodePixelFormat(SERVER_PIXEL_FORMAT), len, name]));
        this.state = 'normal';
        this.scheduleRefresh();
        return true;
      }
      case 'normal':
        return this.clientMessage();
      default:
        return false;
    }
  }

  private afterSecurityChoice(type: number): void {
    if (type === SEC_VNC) {
      this.challenge = randomBytes(16);
      this.out(this.challenge);
      this.state = 'auth';
    } else {
      // 3.8 confirms even None with a SecurityResult; 3.3 and 3.7 go straight to ClientInit.
      if (this.minor >= 8) this.out(Buffer.from([0, 0, 0, 0]));
      this.state = 'init';
    }
  }

  private securityResult(ok: boolean, reason: string): void {
    if (ok) {
      this.out(Buffer.from([0, 0, 0, 0]));
      this.state = 'init';
      return;
    }
    const head = Buffer.from([0, 0, 0, 1]);
    if (this.minor >= 8) {
      const text = Buffer.from(reason, 'latin1');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(text.length);
      this.out(Buffer.concat([head, len, text]));
    } else {
      this.out(head);
    }
    this.fail(reason);
  }

  private clientMessage(): boolean {
    const type = this.buffer[0];
    if (type === undefined) return false;
    switch (type) {
      case 0: {
        const m = this.take(20);
        if (!m) return false;
        const pf = decodePixelFormat(m.subarray(4));
        if (![8, 16, 32].includes(pf.bpp)) throw new Error(`unsupported bits per pixel ${pf.bpp}`);
        this.pf = pf;
        if (!pf.trueColour) this.sendColourMap();
        return true;
      }
      case 2: {
        if (this.buffer.length < 4) return false;
        const count = this.buffer.readUInt16BE(2);
        // Only Raw is spoken; the client's list is read and ignored, as RFC 6143 allows.
        return this.take(4 + count * 4) !== undefined;
      }
      case 3: {
        const m = this.take(10);
        if (!m) return false;
        const incremental = m[1] !== 0;
        const fb = this.current as Framebuffer;
        const req = intersect(
          { x: m.readUInt16BE(2), y: m.readUInt16BE(4), w: m.readUInt16BE(6), h: m.readUInt16BE(8) },
          { x: 0, y: 0, w: fb.width, h: fb.height },
        );
        if (!req) return true;
        if (!incremental) {
          this.sendUpdate(req);
        } else {
          this.pending = unionRect(this.pending, req);
          this.flushPending();
        }
        return true;
      }
      case 4: {
        const m = this.take(8);
        if (!m) return false;
        this.opts.onKey?.(m.readUInt32BE(4), m[1] !== 0);
        this.refresh();
        return true;
      }
      case 5:
        return this.take(6) !== undefined;
      case 6: {
        if (this.buffer.length < 8) return false;
        const len = this.buffer.readUInt32BE(4);
        if (len > 1_000_000) throw new Error('cut text too long');
        return this.take(8 + len) !== undefined;
      }
      default:
        throw new Error(`unknown client message type ${type}`);
    }
  }

  private sendColourMap(): void {
    const head = Buffer.alloc(6);
    head.writeUInt8(1, 0);
    head.writeUInt16BE(0, 2);
    head.writeUInt16BE(256, 4);
    const colours = Buffer.alloc(256 * 6);
    for (let i = 0; i < 256; i++) {
      colours.writeUInt16BE(Math.round((((i >> 5) & 7) / 7) * 65535), i * 6);
      colours.writeUInt16BE(Math.round((((i >> 2) & 7) / 7) * 65535), i * 6 + 2);
      colours.writeUInt16BE(Math.round(((i & 3) / 3) * 65535), i * 6 + 4);
    }
    this.out(Buffer.concat([head, colours]));
  }

  private sendUpdate(rect: Rect): void {
    const fb = this.current as Framebuffer;
    const header = Buffer.alloc(4 + 12);
    header.writeUInt8(0, 0);
    header.writeUInt16BE(1, 2);
    header.writeUInt16BE(rect.x, 4);
    header.writeUInt16BE(rect.y, 6);
    header.writeUInt16BE(rect.w, 8);
    header.writeUInt16BE(rect.h, 10);
    header.writeInt32BE(0, 12);
    this.out(Buffer.concat([header, encodeRaw(fb, rect, this.pf)]));
    this.stats.updates++;
  }

  /** Answers a waiting incremental request with whatever changed inside it. */
  private flushPending(): void {
    if (!this.pending || !this.dirty) return;
    const rect = intersect(this.pending, this.dirty);
    if (!rect) return;
    this.pending = undefined;
    this.dirty = undefined;
    this.sendUpdate(rect);
  }

  /** Re-renders the screen and records what changed. */
  refresh(): void {
    if (this.state !== 'normal' || !this.current) return;
    const next = this.opts.render(this.blink);
    this.dirty = unionRect(this.dirty, next.diff(this.current));
    this.current = next;
    this.flushPending();
  }

  private scheduleRefresh(): void {
    const ms = this.opts.refreshMs ?? 1000;
    this.timer = this.opts.clock.setRealTimer(() => {
      this.blink = !this.blink;
      this.refresh();
      if (this.state === 'normal') this.scheduleRefresh();
    }, ms);
  }
}
