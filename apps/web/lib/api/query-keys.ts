import type { HealthRange, ListAuditQuery, ListUsersQuery } from '@uni-manager/contracts';

/**
 * Keys are nested so one prefix invalidates a family: after an admin action
 * `['admin']` refreshes the users list, the user's page and the audit log.
 */
export const queryKeys = {
  me: ['me'] as const,
  mySessions: ['me', 'sessions'] as const,
  myEvents: (page: number, pageSize: number) => ['me', 'events', { page, pageSize }] as const,
  admin: ['admin'] as const,
  adminUsers: (query: ListUsersQuery) => ['admin', 'users', query] as const,
  adminUser: (id: string) => ['admin', 'user', id] as const,
  adminAudit: (query: ListAuditQuery) => ['admin', 'audit', query] as const,
  adminServers: ['admin', 'servers'] as const,
  adminServer: (id: string) => ['admin', 'server', id] as const,
  adminServerHealth: (id: string, range: HealthRange) => ['admin', 'server', id, 'health', range] as const,
};
