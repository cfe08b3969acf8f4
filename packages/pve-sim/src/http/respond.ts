/**
 * Writing responses the way pve-api-daemon does: JSON envelope with Content-Type exactly
 * `application/json;charset=UTF-8`, reason phrase = first line of the message, no-cache headers,
 * `Connection: close` after an error ([HTTP] AnyEvent.pm:293-400, Formatter/Standard.pm).
 */
import type { ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** First line of a message, restricted to what may appear in a status line. */
export function reasonPhrase(message: string, status: number): string {
  const first = (message.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '?').trim();
  return first || defaultReason(status);
}

function defaultReason(status: number): string {
  const reasons: Record<number, string> = {
    200: 'OK',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    595: 'Connection refused',
  };
  return reasons[status] ?? 'Unknown';
}

function commonHeaders(status: number): Record<string, string> {
  const date = new Date().toUTCString();
  return {
    Date: date,
    Expires: date,
    'Cache-Control': 'max-age=0',
    Pragma: 'no-cache',
    Server: 'pve-api-daemon/3.0',
    Connection: status >= 400 ? 'close' : 'Keep-Alive',
  };
}

export interface Envelope {
  data: unknown;
  message?: string;
  errors?: Record<string, string>;
  total?: number;
  changes?: unknown;
}

export function sendJson(res: ServerResponse, status: number, envelope: Envelope): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(JSON.stringify(envelope), 'utf8');
  res.writeHead(status, reasonPhrase(envelope.message ?? '', status), {
    ...commonHeaders(status),
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** A response with only a status line (401 before the handler runs, proxy errors). */
export function sendBare(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, reasonPhrase(message, status), commonHeaders(status));
  res.end();
}

/** `$self->error(...)`: the message as a text body without a content type. */
export function sendText(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(message, 'utf8');
  res.writeHead(status, reasonPhrase(message, status), {
    ...commonHeaders(status),
    'Content-Length': String(body.length),
  });
  res.end(body);
}
