import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  occurredAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/**
 * hash = SHA-256(prevHash ‖ canonical row). Any edit of a stored row, or a
 * row removed from the middle, breaks every later link, which `audit verify`
 * finds by recomputing the chain.
 */
export function chainHash(prevHash: string, f: ChainedFields): string {
  const body = canonicalJson([
    prevHash,
    f.occurredAt.toISOString(),
    f.actorId,
    f.actorEmail,
    f.action,
    f.targetType,
    f.targetId,
    f.ip,
    f.userAgent,
    f.requestId,
    f.details,
  ]);
  return createHash('sha256').update(body).digest('hex');
}
