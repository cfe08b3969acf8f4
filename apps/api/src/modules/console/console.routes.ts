import {
  CONSOLE_CLOSE_BASE,
  consoleSocketQuerySchema,
  consoleTicketSchema,
  errorStatus,
  idParamsSchema,
  paths,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import WebSocket from 'ws';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { ConsoleService, ConsoleUpstream } from './console.service.js';
import { closeQuietly, pipeConsole } from './pipe.js';
import { acceptClient, ByteReader, RfbError } from './rfb.js';

const tags = ['vms'];

/** The browser answers three small messages; a page that went away must not hold a VNC session. */
const BROWSER_HANDSHAKE_MS = 15_000;

/** Close code and reason for a failure after the upgrade (see CONSOLE_CLOSE_BASE). */
function closeFor(e: unknown): { code: number; reason: string } {
  if (e instanceof AppError)
    return { code: CONSOLE_CLOSE_BASE + errorStatus[e.code], reason: `${e.code}: ${e.message}` };
  if (e instanceof RfbError) return { code: 1002, reason: e.message };
  return { code: 1011, reason: 'INTERNAL: the console failed on our side; it has been logged' };
}

export function consoleRoutes(deps: { console: ConsoleService; logger: Logger }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const svc = deps.console;

    r.post(paths.vmConsole, {
      schema: {
        operationId: 'openVmConsole',
        summary: "A one-time ticket for the VM's console websocket, valid a few seconds",
        description:
          'Connect to `websocketPath?ticket=<ticket>` (ws:// or wss:// on the API origin) before `expiresAt`. The socket speaks RFB 3.8 with security type None: the API logs in to Proxmox itself, so no Proxmox credential reaches the client.',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: consoleTicketSchema, ...errors(...AUTHED, 'NOT_FOUND', 'INVALID_STATE_TRANSITION') },
      },
      handler: async (req) => svc.issueTicket(actorOf(req), req.params.id, req.meta),
    });

    r.route({
      method: 'GET',
      url: paths.vmConsoleSocket,
      // Browsers cannot set headers on a websocket: the ticket in the query authenticates it.
      config: { access: 'public' },
      // Fastify's request lines would print the URL, ticket included; this route logs its own lines.
      logLevel: 'warn',
      schema: { hide: true, params: idParamsSchema, querystring: consoleSocketQuerySchema },
      handler: async () => {
        throw new AppError('MALFORMED_REQUEST', 'This is a websocket: connect with "Upgrade: websocket"');
      },
      wsHandler: async (browser, req) => {
        const started = Date.now();
        const log = deps.logger.child({ module: 'console', reqId: String(req.id), vmId: req.params.id, ip: req.ip });
        // From the first byte: the browser may answer the greeting in the same frame as the last.
        const reader = new ByteReader(browser);
        const send = (b: Buffer) => browser.send(b, { binary: true });
        let userId: string | undefined;
        let upstream: ConsoleUpstream | undefined;
        try {
          const session = await svc.redeemTicket(req.params.id, req.query.ticket);
          userId = session.userId;
          if (browser.readyState !== WebSocket.OPEN) return;
          upstream = await svc.openUpstream(session.vm);
          if (browser.readyState !== WebSocket.OPEN) return closeQuietly(upstream.socket, 1000);
          const deadline = setTimeout(() => browser.terminate(), BROWSER_HANDSHAKE_MS);
          try {
            await acceptClient(reader, send);
          } finally {
            clearTimeout(deadline);
          }
          const where = { userId, serverId: upstream.serverId, node: upstream.node, vmid: upstream.vmid };
          log.info(where, 'console opened');
          pipeConsole(
            { socket: browser, pending: reader.detach() },
            { socket: upstream.socket, pending: upstream.reader.detach() },
            (end) => log.info({ ...where, ...end, durationMs: Date.now() - started }, 'console closed'),
          );
        } catch (e) {
          if (upstream) closeQuietly(upstream.socket, 1000);
          const { code, reason } = closeFor(e);
          if (code === 1011) log.error({ err: e, userId }, 'console failed');
          else log.info({ userId, code, reason }, 'console refused');
          closeQuietly(browser, code, reason);
        }
      },
    });
  };
}
