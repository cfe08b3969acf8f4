import { createCipheriv, getCiphers } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { desEncryptBlock, vncAuthResponse } from './des.js';
import { glyph } from './font.js';
import { Framebuffer } from './framebuffer.js';
import { encodeRaw, RfbServer, SERVER_PIXEL_FORMAT } from './rfb-server.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('DES', () => {
  it('matches the FIPS 46 example vectors', () => {
    expect(Buffer.from(desEncryptBlock(hex('133457799BBCDFF1'), hex('0123456789ABCDEF'))).toString('hex')).toBe(
      '85e813540f0ab405',
    );
    expect(Buffer.from(desEncryptBlock(hex('0E329232EA6D0D73'), hex('8787878787878787'))).toString('hex')).toBe(
      '0000000000000000',
    );
  });

  it('agrees with OpenSSL when its legacy DES is available', () => {
    if (!getCiphers().includes('des-ecb')) return;
    try {
      const c = createCipheriv('des-ecb', Buffer.from('k3y-b1ts'), null).setAutoPadding(false);
      const expected = Buffer.concat([c.update(Buffer.from('0123456789abcdef')), c.final()]);
      const ours = Buffer.concat([
        desEncryptBlock(Buffer.from('k3y-b1ts'), Buffer.from('01234567')),
        desEncryptBlock(Buffer.from('k3y-b1ts'), Buffer.from('89abcdef')),
      ]);
      expect(ours.equals(expected)).toBe(true);
    } catch {
      // OpenSSL 3 without the legacy provider: nothing to compare with.
    }
  });

  it('builds the VNC response with bit-reversed key bytes', () => {
    const challenge = new Uint8Array(16).fill(0);
    const r = vncAuthResponse('password', challenge);
    expect(r).toHaveLength(16);
    expect(Buffer.from(r.subarray(0, 8)).equals(Buffer.from(r.subarray(8)))).toBe(true);
    expect(Buffer.from(vncAuthResponse('password-and-more', challenge)).equals(Buffer.from(r))).toBe(true);
  });
});

describe('font and framebuffer', () => {
  it('has a glyph for every printable ASCII character', () => {
    for (let c = 0x20; c < 0x7f; c++) expect(glyph(String.fromCharCode(c))).toHaveLength(7);
    expect(glyph('A')).not.toEqual(glyph('B'));
  });

  it('draws text and finds what changed', () => {
    const a = new Framebuffer(64, 32);
    const b = new Framebuffer(64, 32);
    b.text(10, 5, 'Hi', [255, 255, 255], 1);
    expect(b.diff(a)).toEqual({ x: 10, y: 5, w: 10, h: 7 });
    expect(encodeRaw(b, { x: 0, y: 0, w: 64, h: 32 }, SERVER_PIXEL_FORMAT)).toHaveLength(64 * 32 * 4);
  });
});

describe('RFB server', () => {
  it('speaks RFB 3.3 with security None', () => {
    const sent: Buffer[] = [];
    const fb = new Framebuffer(8, 4);
    fb.fill({ x: 0, y: 0, w: 8, h: 4 }, [255, 0, 0]);
    const rfb = new RfbServer({
      name: 'vm',
      clock: new ManualClock(),
      render: () => fb,
      send: (d) => sent.push(d),
      close: () => {},
    });
    rfb.start();
    rfb.receive(Buffer.from('RFB 003.003\n'));
    expect(sent[1]?.readUInt32BE(0)).toBe(1);
    rfb.receive(Buffer.from([1]));
    expect(sent[2]?.readUInt16BE(0)).toBe(8);
    // 16 bpp little-endian RGB565, then a full update request
    const pf = Buffer.alloc(20);
    pf.writeUInt8(0, 0);
    pf.writeUInt8(16, 4);
    pf.writeUInt8(16, 5);
    pf.writeUInt8(1, 7);
    pf.writeUInt16BE(31, 8);
    pf.writeUInt16BE(63, 10);
    pf.writeUInt16BE(31, 12);
    pf.writeUInt8(11, 14);
    pf.writeUInt8(5, 15);
    const req = Buffer.from([3, 0, 0, 0, 0, 0, 0, 8, 0, 4]);
    rfb.receive(Buffer.concat([pf, req]));
    const update = sent.at(-1) as Buffer;
    expect(update.length).toBe(16 + 8 * 4 * 2);
    expect(update.readUInt16LE(16)).toBe(0xf800);
    rfb.stop();
  });
});
