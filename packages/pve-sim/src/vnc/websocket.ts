/**
 * The vncwebsocket upgrade. The request runs through the same pipeline as any API call (so a
 * missing cookie or token gives "401 No ticket", a wrong vncticket 401, a read-only token 403);
 * then the WebSocket (version 13, subprotocol "binary" when offered) is bridged to an RFB server
 * drawing the VM's console. Binary frames carry RFB bytes in both directions.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimContext } from '../api/context.js';
import { vmUptime } from '../api/views.js';
import { cpuCount, memoryMiB } from '../model/vm.js';
import { API_PREFIX, type ApiPipeline, type Outcome } from '../http/pipeline.js';
import { reasonPhrase, JSON_CONTENT_TYPE } from '../http/respond.js';
import { ConsoleScreen } from './console-screen.js';
import { RfbServer } from './rfb-server.js';

export const SCREEN = { width: 1024, height: 768 } as const;

function rawResponse(socket: Duplex, status: number, message: string, body = ''): void {
  const payload = Buffer.from(body, 'utf8');
  const head = [
    `HTTP/1.1 ${status} ${reasonPhrase(message, status)}`,
    'Connection: close',
    'Server: pve-api-daemon/3.0',
    ...(payload.length
      ? [`Content-Type: ${JSON_CONTENT_TYPE}`, `Content-Length: ${payload.length}`]
      : ['Content-Length: 0']),
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
}

function writeOutcome(socket: Duplex, outcome: Outcome, ctx: SimContext): void {
  const send = () => {
    if (outcome.kind === 'json')
      rawResponse(socket, outcome.status, outcome.envelope.message ?? '', JSON.stringify(outcome.envelope));
    else rawResponse(socket, outcome.status, outcome.message, outcome.kind === 'text' ? outcome.message : '');
  };
  const delay = 'delayMs' in outcome ? (outcome.delayMs ?? 0) : 0;
  if (delay > 0) ctx.clock.setRealTimer(send, delay);
  else send();
}

export interface ConsoleGateway {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createConsoleGateway(deps: {
  ctx: SimContext;
  pipeline: ApiPipeline;
  vncAuth: 'vnc' | 'none';
}): ConsoleGateway {
  const { ctx, pipeline } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    // noVNC asks for "binary"; Proxmox echoes the protocol the client offers.
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : ([...protocols][0] ?? false)),
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
  });
  const sockets = new Set<WebSocket>();

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (!url.pathname.startsWith(`${API_PREFIX}/`) || !/\/vncwebsocket\/?$/.test(url.pathname)) {
      return rawResponse(socket, 501, 'no such uri', 'no such uri');
    }
    const controller = new AbortController();
    socket.on('close', () => controller.abort());
    const prepared = await pipeline.prepare(req, controller.signal, false);
    if ('kind' in prepared) return writeOutcome(socket, prepared, ctx);
    const result = await pipeline.execute(prepared);
    if (result.kind !== 'json' || result.status !== 200) return writeOutcome(socket, result, ctx);
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return rawResponse(socket, 500, `unable to upgrade to protocol '${req.headers.upgrade ?? ''}'`);
    }
    if (req.headers['sec-websocket-version'] !== '13') {
      return rawResponse(socket, 500, `unsupported websocket-version '${req.headers['sec-websocket-version'] ?? ''}'`);
    }
    const vmid = prepared.params.vmid as number;
    const port = prepared.params.port as number;
    const session = ctx.consoles.waiting(port, vmid);
    if (!session) return rawResponse(socket, 502, `unable to connect to VNC proxy on port ${port}`);

    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const screen = new ConsoleScreen(SCREEN.width, SCREEN.height);
      const vm = ctx.model.vms.get(vmid);
      const rfb = new RfbServer({
        name: vm?.config.name ?? `VM ${vmid}`,
        password: deps.vncAuth === 'vnc' ? session.password : undefined,
        clock: ctx.clock,
        render: (blink) => {
          const v = ctx.model.vms.get(vmid);
          return screen.render(
            {
              vmid,
              name: v?.config.name ?? `VM ${vmid}`,
              node: v?.node ?? session.node,
              status: v ? (v.runtime.paused ? 'paused' : v.runtime.status) : 'gone',
              uptimeSeconds: v ? vmUptime(v, ctx.clock) : 0,
              cpus: v ? cpuCount(v.config) : 0,
              memoryMiB: v ? memoryMiB(v.config) : 0,
              now: ctx.clock.now(),
            },
            blink,
          );
        },
        onKey: (keysym, down) => screen.key(keysym, down),
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
        },
        close: () => ws.close(1000),
      });
      session.attach({ close: () => ws.close(1000) });
      ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        rfb.receive(buf);
      });
      ws.on('close', () => {
        sockets.delete(ws);
        rfb.stop();
        session.close('client disconnected');
      });
      ws.on('error', () => ws.terminate());
      rfb.start();
    });
  };

  return {
    handleUpgrade: (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch((err: unknown) => {
        ctx.log.error(`console upgrade failed: ${err instanceof Error ? err.message : String(err)}`);
        rawResponse(socket, 500, 'internal error');
      });
    },
    close: () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
