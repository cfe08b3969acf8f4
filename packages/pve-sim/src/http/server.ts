/** The HTTPS server: /api2/json to the pipeline, /_sim to the control API, upgrades to the console. */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../clock.js';
import type { Logger } from '../options.js';
import { API_PREFIX, type ApiPipeline, type Outcome } from './pipeline.js';
import { sendBare, sendJson, sendText } from './respond.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpsServerDeps {
  key: string;
  cert: string;
  pipeline: ApiPipeline;
  control: RequestHandler;
  upgrade: UpgradeHandler;
  clock: Clock;
  log: Logger;
  logRequests?: boolean;
}

export function writeOutcome(res: ServerResponse, outcome: Outcome, clock: Clock): void {
  const send = () => {
    if (outcome.kind === 'json') sendJson(res, outcome.status, outcome.envelope);
    else if (outcome.kind === 'bare') sendBare(res, outcome.status, outcome.message);
    else sendText(res, outcome.status, outcome.message);
  };
  const delay = 'delayMs' in outcome ? (outcome.delayMs ?? 0) : 0;
  if (delay > 0) {
    // pve-http-server delays unauthorized answers by 3 s (AnyEvent.pm:1617-1645).
    const handle = clock.setRealTimer(send, delay);
    res.on('close', () => clock.clearTimer(handle));
  } else {
    send();
  }
}

const INDEX = `Uni-Manager Proxmox VE simulator\n\nThe API is under ${API_PREFIX}/ (for example ${API_PREFIX}/version).\n`;

export function createHttpsServer(deps: HttpsServerDeps): Server {
  const server = createServer({ key: deps.key, cert: deps.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const controller = new AbortController();
    const started = Date.now();
    res.on('close', () => {
      controller.abort();
      if (deps.logRequests) {
        deps.log.info(`${req.method} ${url.pathname} ${res.statusCode} ${res.statusMessage} ${Date.now() - started}ms`);
      }
    });
    const run = async () => {
      if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
        writeOutcome(res, await deps.pipeline.handle(req, controller.signal), deps.clock);
      } else if (url.pathname.startsWith('/_sim/') || url.pathname === '/_sim') {
        await deps.control(req, res, url);
      } else if (url.pathname === '/' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(INDEX);
      } else {
        sendText(res, 501, 'no such uri');
      }
    };
    run().catch((err: unknown) => {
      deps.log.error(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      sendText(res, 500, err instanceof Error ? err.message : String(err));
    });
  });
  server.on('upgrade', deps.upgrade);
  // Long-poll style hangs (node offline in `hang` mode) must not be cut by Node's default timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
