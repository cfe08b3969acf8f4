import {
  authSessionSchema,
  changePasswordBodySchema,
  idParamsSchema,
  loginBodySchema,
  meResponseSchema,
  myEventsQuerySchema,
  auditPageSchema,
  paths,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  registerBodySchema,
  sessionListSchema,
  updateProfileBodySchema,
} from '@uni-manager/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AuthService, IssuedSession } from './auth.service.js';

export interface AuthRoutesDeps {
  auth: AuthService;
  audit: AuditService;
  cookieSecure: boolean;
}

const tags = ['auth'];
const meTags = ['account'];

export function authRoutes(deps: AuthRoutesDeps) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { auth } = deps;

    const cookieOptions = {
      httpOnly: true,
      secure: deps.cookieSecure,
      sameSite: 'strict' as const,
      path: REFRESH_COOKIE_PATH,
    };
    const setSession = (reply: FastifyReply, s: IssuedSession) => {
      reply.setCookie(REFRESH_COOKIE, s.refreshToken, { ...cookieOptions, expires: s.refreshExpiresAt });
      reply.header('cache-control', 'no-store');
      return s.body;
    };
    const clearSession = (reply: FastifyReply) => reply.clearCookie(REFRESH_COOKIE, cookieOptions);

    r.post(paths.register, {
      config: { access: 'public' },
      schema: {
        operationId: 'register',
        summary: 'Create an account and sign in',
        tags,
        body: registerBodySchema,
        response: {
          201: authSessionSchema,
          ...errors('VALIDATION_FAILED', 'WEAK_PASSWORD', 'EMAIL_TAKEN', 'FORBIDDEN', 'RATE_LIMITED'),
        },
      },
      handler: async (req, reply) => {
        const s = await auth.register(req.body, req.meta);
        return reply.status(201).send(setSession(reply, s));
      },
    });

    r.post(paths.login, {
      config: { access: 'public' },
      schema: {
        operationId: 'login',
        summary: 'Sign in with email and password',
        tags,
        body: loginBodySchema,
        response: {
          200: authSessionSchema,
          ...errors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'ACCOUNT_SUSPENDED', 'RATE_LIMITED'),
        },
      },
      handler: async (req, reply) => setSession(reply, await auth.login(req.body, req.meta)),
    });

    r.post(paths.refresh, {
      config: { access: 'public' },
      schema: {
        operationId: 'refreshSession',
        summary: 'Exchange the refresh cookie for a new access token (the cookie is rotated)',
        tags,
        response: { 200: authSessionSchema, ...errors('REFRESH_TOKEN_INVALID', 'ACCOUNT_SUSPENDED', 'RATE_LIMITED') },
      },
      handler: async (req, reply) => {
        try {
          return setSession(reply, await auth.refresh(req.cookies[REFRESH_COOKIE], req.meta));
        } catch (e) {
          // A refresh that failed for good must not leave a dead cookie behind.
          if (e instanceof AppError && e.code !== 'RATE_LIMITED') clearSession(reply);
          throw e;
        }
      },
    });

    r.post(paths.logout, {
      config: { access: 'optional' },
      schema: {
        operationId: 'logout',
        summary: 'End this session (idempotent)',
        tags,
        response: { 204: z.null().describe('Signed out') },
      },
      handler: async (req, reply) => {
        await auth.logout({ refreshToken: req.cookies[REFRESH_COOKIE], actor: req.actor }, req.meta);
        clearSession(reply);
        return reply.status(204).send(null);
      },
    });

    r.get(paths.me, {
      schema: {
        operationId: 'getMe',
        summary: 'The signed-in user',
        tags: meTags,
        security: bearer,
        response: { 200: meResponseSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => ({ user: await auth.me(actorOf(req)) }),
    });

    r.patch(paths.me, {
      schema: {
        operationId: 'updateMe',
        summary: 'Update the profile of the signed-in user',
        tags: meTags,
        security: bearer,
        body: updateProfileBodySchema,
        response: { 200: meResponseSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => ({ user: await auth.updateProfile(actorOf(req), req.body, req.meta) }),
    });

    r.post(paths.myPassword, {
      schema: {
        operationId: 'changePassword',
        summary: 'Change password; every other session is signed out',
        tags: meTags,
        security: bearer,
        body: changePasswordBodySchema,
        response: { 204: z.null(), ...errors(...AUTHED, 'WRONG_PASSWORD', 'WEAK_PASSWORD') },
      },
      handler: async (req, reply) => {
        await auth.changePassword(actorOf(req), req.body, req.meta);
        return reply.status(204).send(null);
      },
    });

    r.get(paths.mySessions, {
      schema: {
        operationId: 'listMySessions',
        summary: 'Live sessions of the signed-in user',
        tags: meTags,
        security: bearer,
        response: { 200: sessionListSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => ({ items: await auth.listSessions(actorOf(req)) }),
    });

    r.delete(paths.mySession, {
      schema: {
        operationId: 'revokeMySession',
        summary: 'Sign out one of your sessions',
        tags: meTags,
        security: bearer,
        params: idParamsSchema,
        response: { 204: z.null(), ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req, reply) => {
        await auth.revokeSession(actorOf(req), req.params.id, req.meta);
        return reply.status(204).send(null);
      },
    });

    r.get(paths.myEvents, {
      schema: {
        operationId: 'listMySecurityEvents',
        summary: 'Security events of your own account, newest first',
        tags: meTags,
        security: bearer,
        querystring: myEventsQuerySchema,
        response: { 200: auditPageSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => deps.audit.securityEventsOf(actorOf(req).userId, req.query),
    });
  };
}
