import type { Server } from '@uni-manager/contracts';
import type { ServerNodeRow, ServerRow } from '../../db/schema/index.js';

export function toServer(r: ServerRow, nodes: ServerNodeRow[]): Server {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    tokenId: r.tokenId,
    tokenSecretSet: true,
    tls: { fingerprint: r.tlsFingerprint, caPem: r.tlsCaPem },
    enabled: r.enabled,
    maintenance: r.maintenance,
    health: r.health,
    healthReason: r.healthReason,
    healthIssues: r.healthIssues,
    pveVersion: r.pveVersion,
    lastCheckedAt: r.lastCheckedAt?.toISOString() ?? null,
    nodes: nodes
      .filter((n) => n.serverId === r.id)
      .sort((a, b) => a.node.localeCompare(b.node))
      .map((n) => ({
        node: n.node,
        status: n.status,
        health: n.health,
        cpu: n.cpu,
        maxcpu: n.maxcpu,
        memUsed: n.memUsed,
        memTotal: n.memTotal,
        uptime: n.uptime,
        lastSeenAt: n.lastSeenAt?.toISOString() ?? null,
      })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
