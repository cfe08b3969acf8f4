import {
  auditPageSchema,
  meResponseSchema,
  paths,
  sessionListSchema,
  type AuditPage,
  type changePasswordBodySchema,
  type Session,
  type updateProfileBodySchema,
  type User,
} from '@uni-manager/contracts';
import type { z } from 'zod';
import { updateUser } from '@/lib/auth/session-store';
import { apiRequest } from './http';

export async function fetchMe(signal?: AbortSignal): Promise<User> {
  const { user } = await apiRequest(paths.me, { schema: meResponseSchema, signal });
  // Keeps the name and role in the top bar and guards in step with the server.
  updateUser(user);
  return user;
}

export async function updateProfile(body: z.output<typeof updateProfileBodySchema>): Promise<User> {
  const { user } = await apiRequest(paths.me, { method: 'PATCH', body, schema: meResponseSchema });
  updateUser(user);
  return user;
}

export function changePassword(body: z.output<typeof changePasswordBodySchema>): Promise<void> {
  return apiRequest(paths.myPassword, { method: 'POST', body });
}

export async function fetchMySessions(signal?: AbortSignal): Promise<Session[]> {
  const { items } = await apiRequest(paths.mySessions, { schema: sessionListSchema, signal });
  return items;
}

export function revokeMySession(id: string): Promise<void> {
  return apiRequest(paths.mySession, { method: 'DELETE', params: { id } });
}

export function fetchMyEvents(page: number, pageSize: number, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest(paths.myEvents, { query: { page, pageSize }, schema: auditPageSchema, signal });
}
