import {
  connectionTestSchema,
  healthHistorySchema,
  paths,
  probeServerResponseSchema,
  serverListSchema,
  serverSchema,
  type ConnectionTest,
  type CreateServerBody,
  type HealthHistory,
  type HealthRange,
  type Server,
  type UpdateServerBody,
  type testConnectionBodySchema,
  type TestSavedServerBody,
} from '@uni-manager/contracts';
import type { z } from 'zod';
import { ApiError } from './errors';
import { apiRequest } from './http';

export type ProbeResult = z.infer<typeof probeServerResponseSchema>;
export type PresentedCertificate = ProbeResult['certificate'];
export type TestConnectionBody = z.input<typeof testConnectionBodySchema>;

export async function fetchServers(signal?: AbortSignal): Promise<Server[]> {
  const { items } = await apiRequest(paths.adminServers, { schema: serverListSchema, signal });
  return items;
}

export function fetchServer(id: string, signal?: AbortSignal): Promise<Server> {
  return apiRequest(paths.adminServer, { params: { id }, schema: serverSchema, signal });
}

/** The certificate the server presents, read without trusting it, for the admin to compare. */
export function probeServer(url: string): Promise<ProbeResult> {
  return apiRequest(paths.adminServerProbe, { method: 'POST', body: { url }, schema: probeServerResponseSchema });
}

/** Tries settings that are not saved yet; a failed connection is a result (`ok: false`), not an error. */
export function testConnection(body: TestConnectionBody): Promise<ConnectionTest> {
  return apiRequest(paths.adminServerTest, { method: 'POST', body, schema: connectionTestSchema });
}

/** Tests a saved server; `changes` (not saved) are tried over its stored settings, secret included. */
export function testSavedServer(id: string, changes?: TestSavedServerBody): Promise<ConnectionTest> {
  return apiRequest(paths.adminServerTestSaved, {
    method: 'POST',
    params: { id },
    ...(changes ? { body: changes } : {}),
    schema: connectionTestSchema,
  });
}

export function createServer(body: CreateServerBody): Promise<Server> {
  return apiRequest(paths.adminServers, { method: 'POST', body, schema: serverSchema });
}

export function updateServer(id: string, body: UpdateServerBody): Promise<Server> {
  return apiRequest(paths.adminServer, { method: 'PATCH', params: { id }, body, schema: serverSchema });
}

export function deleteServer(id: string): Promise<void> {
  return apiRequest(paths.adminServer, { method: 'DELETE', params: { id } });
}

export function fetchServerHealth(id: string, range: HealthRange, signal?: AbortSignal): Promise<HealthHistory> {
  return apiRequest(paths.adminServerHealth, { params: { id }, query: { range }, schema: healthHistorySchema, signal });
}

/**
 * A save refused with PROXMOX_CONNECTION_FAILED carries the server's own
 * connection test in `details.test`: the same result the Test button shows.
 */
export function connectionTestOf(err: unknown): ConnectionTest | undefined {
  if (!(err instanceof ApiError) || err.code !== 'PROXMOX_CONNECTION_FAILED') return undefined;
  const parsed = connectionTestSchema.safeParse(err.details.test);
  return parsed.success ? parsed.data : undefined;
}
