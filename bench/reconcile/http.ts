import diagnostics from 'node:diagnostics_channel';

export interface Request {
  origin: string;
  method: string;
  path: string;
  startMs: number;
  /** When the response ended (or failed); null if it never did. */
  endMs: number | null;
}

interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
}

/**
 * Every HTTP request undici sends (the product's Proxmox client is undici's
 * fetch), from undici's own diagnostics channels: nothing in the client or
 * the simulator is wrapped.
 */
export function recordRequests(): { requests: Request[]; start(): void; stop(): void; close(): void } {
  const requests: Request[] = [];
  const open = new Map<UndiciRequest, Request>();
  let on = false;
  const created = (message: unknown) => {
    if (!on) return;
    const { request } = message as { request: UndiciRequest };
    const r: Request = {
      origin: String(request.origin ?? ''),
      method: request.method ?? '?',
      path: request.path ?? '?',
      startMs: performance.now(),
      endMs: null,
    };
    open.set(request, r);
    requests.push(r);
  };
  const ended = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const r = open.get(request);
    if (!r) return;
    r.endMs = performance.now();
    open.delete(request);
  };
  diagnostics.subscribe('undici:request:create', created);
  diagnostics.subscribe('undici:request:trailers', ended);
  diagnostics.subscribe('undici:request:error', ended);
  return {
    requests,
    start: () => {
      on = true;
    },
    stop: () => {
      on = false;
    },
    close: () => {
      diagnostics.unsubscribe('undici:request:create', created);
      diagnostics.unsubscribe('undici:request:trailers', ended);
      diagnostics.unsubscribe('undici:request:error', ended);
    },
  };
}
