import { liveEndSchema, liveEventSchema, liveHelloSchema, paths } from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import { sseFrame, type LiveConnection, type LiveHub } from './live.hub.js';

const HEARTBEAT_SECONDS = 20;

function acceptsEventStream(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => part.trim().split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

export function liveRoutes(deps: { hub: LiveHub }) {
  return async function (app: FastifyInstance) {
    app.get(paths.myStream, {
      schema: {
        operationId: 'streamMyLiveEvents',
        summary: 'Live changes for the signed-in user, as server-sent events',
        description:
          'Send `Accept: text/event-stream` (anything else gets 406). Events: `hello` on connect (refetch what is shown), ' +
          '`vm`, `balance`, `server` (administrators), `resync` (refetch: events were dropped), `end` (the server closes: ' +
          'sign in again, or refresh the access token and reconnect). A comment line is sent every ' +
          `${HEARTBEAT_SECONDS} s. The stream ends when the access token expires.`,
        tags: ['live'],
        security: bearer,
        response: {
          200: z
            .union([liveHelloSchema, liveEventSchema, liveEndSchema])
            .describe('A text/event-stream; each data line is one of these'),
          ...errors(...AUTHED, 'NOT_ACCEPTABLE', 'ACCOUNT_SUSPENDED'),
        },
      },
      handler: async (req, reply) => {
        const actor = actorOf(req);
        if (!acceptsEventStream(req.headers.accept))
          throw new AppError('NOT_ACCEPTABLE', 'This is a server-sent event stream: send "Accept: text/event-stream"');
        // From here on the response is ours to write: copy the headers hooks have set (request id, security).
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // Proxies (nginx, some CDNs) buffer responses unless told not to; Caddy flushes event streams itself.
          'x-accel-buffering': 'no',
          'x-request-id': String(req.id),
        });
        raw.socket?.setNoDelay(true);
        let open = true;
        const conn: LiveConnection = {
          userId: actor.userId,
          sessionId: actor.sessionId,
          role: actor.role,
          lagging: false,
          write: (frame) => (open ? raw.write(frame) : true),
          close: () => {
            if (!open) return;
            open = false;
            raw.end();
          },
        };
        const heartbeat = setInterval(() => conn.write(': ping\n\n'), HEARTBEAT_SECONDS * 1000);
        const expiry = actor.tokenExpiresAt
          ? setTimeout(
              () => {
                conn.write(
                  sseFrame('end', { code: 'TOKEN_EXPIRED', message: 'Your session token has expired; refresh it' }),
                );
                conn.close();
              },
              Math.max(0, actor.tokenExpiresAt.getTime() - Date.now()),
            )
          : null;
        const cleanup = () => {
          open = false;
          clearInterval(heartbeat);
          if (expiry) clearTimeout(expiry);
          deps.hub.remove(conn);
        };
        raw.on('close', cleanup);
        raw.on('drain', () => deps.hub.drained(conn));
        deps.hub.add(conn);
        conn.write(`retry: 3000\n${sseFrame('hello', { heartbeatSeconds: HEARTBEAT_SECONDS })}`);
      },
    });
  };
}
