/**
 * The request pipeline of pve-api-daemon, in Proxmox's order ([HTTP] AnyEvent.pm, [MGR]
 * HTTPServer.pm): authenticate (401 with an empty body after a delay), refuse bodies on
 * GET/DELETE, merge query over body, find the handler (501 if none), reject conflicting path
 * parameters, refuse tokens where not allowed, check permissions (403), proxy to the node (595
 * when it is unreachable), verify parameters (400), run the handler.
 */
import type { IncomingMessage } from 'node:http';
import { authenticate, type AuthOutcome } from '../auth/authenticate.js';
import { checkPermission } from '../auth/permissions.js';
import type { SimContext } from '../api/context.js';
import { nodeOnline } from '../api/views.js';
import { validateParams } from '../params/validate.js';
import type { Params } from '../params/types.js';
import { BadBody, BodyTooLarge, decodeBody, decodeUrlencoded, readBody } from './body.js';
import { AuthError, paramError, PveError } from './errors.js';
import type { Envelope } from './respond.js';
import type { ApiRequest, RouteDef, Router } from './router.js';

export const API_PREFIX = '/api2/json';

export type Outcome =
  /** A JSON envelope (handler results and handler errors). */
  | { kind: 'json'; status: number; envelope: Envelope; delayMs?: number }
  /** Status line only (authentication failures, proxy errors). */
  | { kind: 'bare'; status: number; message: string; delayMs?: number }
  /** A plain-text error from the HTTP layer. */
  | { kind: 'text'; status: number; message: string };

export interface PreparedCall {
  route: RouteDef<SimContext>;
  params: Params;
  auth: AuthOutcome;
}

/** Calls that need no authentication ([MGR] HTTPServer.pm:68-77). */
function isWorldCall(method: string, rel: string): boolean {
  return (
    (rel === '/access/domains' && method === 'GET') ||
    (rel === '/access/ticket' && (method === 'GET' || method === 'POST')) ||
    (rel === '/access/vncticket' && method === 'POST')
  );
}

export class ApiPipeline {
  constructor(
    private readonly deps: {
      ctx: SimContext;
      router: Router<SimContext>;
      authFailureDelayMs: number;
    },
  ) {}

  /** Runs a request to its outcome. `signal` aborts waits when the client goes away. */
  async handle(req: IncomingMessage, signal: AbortSignal): Promise<Outcome> {
    const prepared = await this.prepare(req, signal, true);
    if ('kind' in prepared) return prepared;
    return this.execute(prepared);
  }

  /**
   * Everything up to, and including, parameter verification. For websocket upgrades the body is
   * not read (`readBodyToo` false).
   */
  async prepare(req: IncomingMessage, signal: AbortSignal, readBodyToo: boolean): Promise<PreparedCall | Outcome> {
    const { ctx, router } = this.deps;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const rel = url.pathname.slice(API_PREFIX.length) || '/';

    if (ctx.faults.latencyMs > 0) await this.wait(ctx.faults.latencyMs, signal);

    let auth: AuthOutcome;
    try {
      auth = authenticate(req.headers, method, !isWorldCall(method, rel), ctx);
    } catch (err) {
      if (err instanceof AuthError) {
        return { kind: 'bare', status: 401, message: err.message, delayMs: this.deps.authFailureDelayMs };
      }
      throw err;
    }

    let bodyParams: Record<string, unknown> = {};
    if (readBodyToo) {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLarge) return { kind: 'text', status: 501, message: 'for data too large' };
        throw err;
      }
      if (body.length > 0 && method !== 'PUT' && method !== 'POST') {
        return { kind: 'text', status: 501, message: `Unexpected content for method '${method}'` };
      }
      try {
        bodyParams = decodeBody(req.headers['content-type'], body);
      } catch (err) {
        if (err instanceof BadBody) return jsonError(new PveError(400, `${err.message}\n`));
        throw err;
      }
    }
    const raw: Record<string, unknown> = { ...bodyParams, ...decodeUrlencoded(url.search.slice(1)) };

    const match = router.match(method, rel);
    if (!match) {
      return jsonError(new PveError(501, `Method '${method} ${rel}' not implemented`));
    }
    try {
      for (const [k, v] of Object.entries(match.pathParams)) {
        if (raw[k] !== undefined && String(raw[k]) !== v) {
          throw paramError({ [k]: 'duplicate parameter (already defined in URI) with conflicting values!' });
        }
        raw[k] = v;
      }
      if (auth.apiToken && match.route.allowToken === false) {
        throw new PveError(
          403,
          `Permission check failed (URI '${rel}' not available with API token, need proper ticket.\n)\n`,
        );
      }
      checkPermission(match.route.permissions, auth.identity, raw);
      if (match.route.proxyToNode) {
        const unreachable = await this.proxyToNode(String(raw.node ?? ''), signal);
        if (unreachable) return unreachable;
      }
      const failure = ctx.faults.drawServerError(String(raw.node ?? ctx.model.nodeNames()[0]));
      if (failure) throw new PveError(500, `${failure}\n`);
      const params = validateParams(match.route.params, raw);
      return { route: match.route, params, auth };
    } catch (err) {
      return this.errorOutcome(err);
    }
  }

  async execute(call: PreparedCall): Promise<Outcome> {
    let total: number | undefined;
    let changes: unknown;
    const apiReq: ApiRequest = {
      params: call.params,
      identity: call.auth.identity,
      setTotal: (t) => (total = t),
      setChanges: (c) => (changes = c),
    };
    try {
      const data = await call.route.handler(apiReq, this.deps.ctx);
      const envelope: Envelope = { data: data ?? null };
      // Formatter/Standard.pm only adds them when set and non-zero.
      if (total) envelope.total = total;
      if (changes) envelope.changes = changes;
      return { kind: 'json', status: 200, envelope };
    } catch (err) {
      return this.errorOutcome(err);
    }
  }

  /** The node in the path must resolve and answer; the real proxy gives 595 when it does not. */
  private async proxyToNode(name: string, signal: AbortSignal): Promise<Outcome | undefined> {
    const { ctx } = this.deps;
    const node = ctx.model.node(name);
    if (!node) {
      throw new PveError(
        500,
        `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known\n`,
      );
    }
    if (nodeOnline(node, ctx.faults)) return undefined;
    if (ctx.faults.nodeOffline(name) === 'hang') {
      await this.wait(ctx.faults.hangMs, signal);
      return { kind: 'bare', status: 595, message: 'Connection timed out' };
    }
    return { kind: 'bare', status: 595, message: 'No route to host' };
  }

  private errorOutcome(err: unknown): Outcome {
    if (err instanceof PveError) {
      const outcome = jsonError(err);
      if (err.status === 401) outcome.delayMs = this.deps.authFailureDelayMs;
      return outcome;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.deps.ctx.log.error(`internal error: ${err instanceof Error ? (err.stack ?? message) : message}`);
    return jsonError(new PveError(500, message.endsWith('\n') ? message : `${message}\n`));
  }

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const handle = this.deps.ctx.clock.setRealTimer(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        this.deps.ctx.clock.clearTimer(handle);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function jsonError(err: PveError): Extract<Outcome, { kind: 'json' }> {
  const envelope: Envelope = { data: null, message: err.message };
  if (err.errors) envelope.errors = err.errors;
  return { kind: 'json', status: err.status, envelope };
}
