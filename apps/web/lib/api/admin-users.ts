import {
  adminUserSchema,
  paths,
  userPageSchema,
  type AdminUser,
  type ListUsersQuery,
  type Role,
  type UserPage,
} from '@uni-manager/contracts';
import { apiRequest } from './http';

export function fetchUsers(query: ListUsersQuery, signal?: AbortSignal): Promise<UserPage> {
  return apiRequest(paths.adminUsers, { query: { ...query }, schema: userPageSchema, signal });
}

export function fetchUser(id: string, signal?: AbortSignal): Promise<AdminUser> {
  return apiRequest(paths.adminUser, { params: { id }, schema: adminUserSchema, signal });
}

export type UserAction =
  { kind: 'makeAdmin' | 'makeUser' } | { kind: 'suspend' | 'ban'; reason: string } | { kind: 'unsuspend' | 'unban' };

export type UserActionKind = UserAction['kind'];

/** Runs one moderation action; each answers with the updated user. */
export function runUserAction(id: string, action: UserAction): Promise<AdminUser> {
  const params = { id };
  const schema = adminUserSchema;
  switch (action.kind) {
    case 'makeAdmin':
    case 'makeUser': {
      const role: Role = action.kind === 'makeAdmin' ? 'admin' : 'user';
      return apiRequest(paths.adminUserRole, { method: 'PATCH', params, body: { role }, schema });
    }
    case 'suspend':
      return apiRequest(paths.adminUserSuspend, { method: 'POST', params, body: { reason: action.reason }, schema });
    case 'ban':
      return apiRequest(paths.adminUserBan, { method: 'POST', params, body: { reason: action.reason }, schema });
    case 'unsuspend':
      return apiRequest(paths.adminUserUnsuspend, { method: 'POST', params, schema });
    case 'unban':
      return apiRequest(paths.adminUserUnban, { method: 'POST', params, schema });
  }
}
