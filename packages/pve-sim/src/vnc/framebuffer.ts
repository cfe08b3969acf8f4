/** An RGB framebuffer with rectangle fills and text in the built-in bitmap font. */
import { glyph, GLYPH_HEIGHT, GLYPH_WIDTH } from './font.js';

export type Rgb = readonly [number, number, number];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export class Framebuffer {
  /** 3 bytes per pixel: red, green, blue. */
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3);
  }

  fill(rect: Rect, color: Rgb): void {
    const x0 = Math.max(0, rect.x);
    const y0 = Math.max(0, rect.y);
    const x1 = Math.min(this.width, rect.x + rect.w);
    const y1 = Math.min(this.height, rect.y + rect.h);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * this.width + x) * 3;
        this.data[i] = color[0];
        this.data[i + 1] = color[1];
        this.data[i + 2] = color[2];
      }
    }
  }

  /** Draws `text` with its top-left corner at (x, y); each font cell is `scale` pixels. Returns the width drawn. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): number {
    const advance = (GLYPH_WIDTH + 1) * scale;
    let cx = x;
    for (const ch of text) {
      const rows = glyph(ch);
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        const bits = rows[row] ?? 0;
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (bits & (1 << (GLYPH_WIDTH - 1 - col)))
            this.fill({ x: cx + col * scale, y: y + row * scale, w: scale, h: scale }, color);
        }
      }
      cx += advance;
    }
    return cx - x;
  }

  static textWidth(text: string, scale = 2): number {
    return [...text].length * (GLYPH_WIDTH + 1) * scale;
  }

  /** The smallest rectangle covering every pixel that differs from `other` (same size), or undefined. */
  diff(other: Framebuffer): Rect | undefined {
    let minX = this.width;
    let minY = this.height;
    let maxX = -1;
    let maxY = -1;
    const a = this.data;
    const b = other.data;
    for (let y = 0; y < this.height; y++) {
      const rowStart = y * this.width * 3;
      for (let x = 0; x < this.width; x++) {
        const i = rowStart + x * 3;
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
    return maxX < 0 ? undefined : { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
  }
}

export function unionRect(a: Rect | undefined, b: Rect | undefined): Rect | undefined {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}
