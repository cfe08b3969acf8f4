import {
  adminUserSchema,
  changeRoleBodySchema,
  idParamsSchema,
  listUsersQuerySchema,
  paths,
  stateReasonBodySchema,
  userPageSchema,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { UsersService } from './users.service.js';

const tags = ['admin: users'];
const config = { access: 'admin' as const };

export function usersRoutes(deps: { users: UsersService }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { users } = deps;
    const changeErrors = errors(...ADMIN, 'NOT_FOUND', 'LAST_ADMIN', 'SELF_ACTION', 'INVALID_STATE_TRANSITION');

    r.get(paths.adminUsers, {
      config,
      schema: {
        operationId: 'listUsers',
        summary: 'Search, filter, sort and page through users',
        tags,
        security: bearer,
        querystring: listUsersQuerySchema,
        response: { 200: userPageSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => users.list(req.query),
    });

    r.get(paths.adminUser, {
      config,
      schema: {
        operationId: 'getUser',
        summary: 'One user',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: adminUserSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => users.get(req.params.id),
    });

    r.patch(paths.adminUserRole, {
      config,
      schema: {
        operationId: 'changeUserRole',
        summary: 'Make a user an admin, or an admin a user',
        tags,
        security: bearer,
        params: idParamsSchema,
        body: changeRoleBodySchema,
        response: { 200: adminUserSchema, ...changeErrors },
      },
      handler: async (req) => users.changeRole(actorOf(req), req.params.id, req.body.role, req.meta),
    });

    for (const [path, action, op, summary] of [
      [
        paths.adminUserSuspend,
        'suspend',
        'suspendUser',
        'Suspend an account: it is signed out everywhere and cannot sign in',
      ],
      [paths.adminUserBan, 'ban', 'banUser', 'Ban an account: it is signed out everywhere and cannot sign in'],
    ] as const) {
      r.post(path, {
        config,
        schema: {
          operationId: op,
          summary,
          tags,
          security: bearer,
          params: idParamsSchema,
          body: stateReasonBodySchema,
          response: { 200: adminUserSchema, ...changeErrors },
        },
        handler: async (req) => users.changeState(actorOf(req), req.params.id, action, req.body.reason, req.meta),
      });
    }
    for (const [path, action, op, summary] of [
      [paths.adminUserUnsuspend, 'unsuspend', 'unsuspendUser', 'Lift a suspension'],
      [paths.adminUserUnban, 'unban', 'unbanUser', 'Lift a ban'],
    ] as const) {
      r.post(path, {
        config,
        schema: {
          operationId: op,
          summary,
          tags,
          security: bearer,
          params: idParamsSchema,
          response: { 200: adminUserSchema, ...changeErrors },
        },
        handler: async (req) => users.changeState(actorOf(req), req.params.id, action, null, req.meta),
      });
    }
  };
}
