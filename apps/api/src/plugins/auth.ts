import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, RequestMeta } from '../lib/context.js';
import { AppError } from '../lib/errors.js';
import type { AuthService } from '../modules/auth/auth.service.js';

export type Access = 'public' | 'optional' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    meta: RequestMeta;
  }
  interface FastifyContextConfig {
    /** Who may call the route. Routes that say nothing require a signed-in user. */
    access?: Access;
  }
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new AppError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>"');
  return m[1]!;
}

/** Signed-in user required (unless the route says otherwise), checked before the body is even parsed. */
export function registerAuth(app: FastifyInstance, auth: AuthService) {
  app.decorateRequest('actor', null);
  app.decorateRequest('meta', null as unknown as RequestMeta);
  app.addHook('onRequest', async (request, reply) => {
    request.meta = {
      ip: request.ip ?? null,
      userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
      requestId: String(request.id),
    };
    // Unknown routes answer 404 to everyone, signed in or not.
    if (request.is404) return;
    const access: Access = request.routeOptions.config?.access ?? 'user';
    if (access === 'public') return;
    const token = access === 'optional' ? safeBearer(request) : bearer(request);
    if (!token) {
      if (access === 'optional') return;
      throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
    }
    try {
      request.actor = await auth.authenticate(token);
    } catch (e) {
      if (access === 'optional') return;
      throw e;
    }
    // The reply logs "request completed"; both must name the user.
    request.log = request.log.child({ userId: request.actor.userId });
    reply.log = request.log;
    if (access === 'admin' && request.actor.role !== 'admin')
      throw new AppError('FORBIDDEN', 'This requires an administrator');
  });
}

function safeBearer(request: FastifyRequest): string | null {
  try {
    return bearer(request);
  } catch {
    return null;
  }
}

/** The actor of a route that requires one; the hook above has already enforced it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
  return request.actor;
}
