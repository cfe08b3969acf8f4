import { auditPageSchema, paths, type AuditPage, type ListAuditQuery } from '@uni-manager/contracts';
import { apiRequest } from './http';

export function fetchAudit(query: ListAuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest(paths.adminAudit, { query: { ...query }, schema: auditPageSchema, signal });
}
