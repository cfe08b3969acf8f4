/** Request bodies and query strings, decoded as pve-http-server does ([HTTP] AnyEvent.pm decode_urlencoded). */
import type { IncomingMessage } from 'node:http';

/** $limit_max_post of pve-http-server. */
export const MAX_BODY_BYTES = 512 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('for data too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function unescape(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  // Percent-decoding byte by byte, then UTF-8, like the Perl server (invalid escapes stay as they are).
  const bytes: number[] = [];
  for (let i = 0; i < plus.length; i++) {
    const c = plus[i] as string;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(plus.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `a=1&b=2;c=3`: repeated keys are joined with NUL, as CGI.pm does. */
export function decodeUrlencoded(data: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data) return out;
  for (const kv of data.split(/[&;]/)) {
    if (!kv) continue;
    const eq = kv.indexOf('=');
    const k = unescape(eq < 0 ? kv : kv.slice(0, eq));
    const v = eq < 0 ? '' : unescape(kv.slice(eq + 1));
    out[k] = out[k] === undefined ? v : `${out[k]}\0${v}`;
  }
  return out;
}

export class BadBody extends Error {}

/** The body's parameters: JSON objects or form-urlencoded, chosen by Content-Type. */
export function decodeBody(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = body.toString('utf8');
  if (ct === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new BadBody(`unable to parse JSON body - ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new BadBody('JSON body must be an object');
    }
    return parsed as Record<string, unknown>;
  }
  return decodeUrlencoded(text);
}
