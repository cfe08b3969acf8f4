'use client';

import type { Server, ServerHealth } from '@uni-manager/contracts';
import { CircleCheck, CircleHelp, CircleOff, CircleX, TriangleAlert, Wrench } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';

type ServerNode = Server['nodes'][number];

const healthTone = { healthy: 'success', degraded: 'warning', offline: 'destructive', unknown: 'neutral' } as const;
export const healthIcon = { healthy: CircleCheck, degraded: TriangleAlert, offline: CircleX, unknown: CircleHelp };

/** Health is told by colour, icon and word together, never by colour alone. */
export function HealthBadge({ health, reason }: { health: ServerHealth; reason?: string | null }) {
  const { t } = useI18n();
  const Icon = healthIcon[health];
  return (
    <Badge tone={healthTone[health]} title={reason ?? undefined} data-testid="health-badge" data-health={health}>
      <Icon aria-hidden />
      {t(`servers.health.${health}`)}
    </Badge>
  );
}

const nodeTone = { online: 'success', offline: 'destructive', unknown: 'neutral' } as const;

/** A node is online or not; an online node the monitor finds struggling says "degraded" instead. */
export function NodeStatusBadge({ node }: { node: Pick<ServerNode, 'status' | 'health'> }) {
  const { t } = useI18n();
  const degraded = node.status === 'online' && node.health === 'degraded';
  const tone = degraded ? 'warning' : nodeTone[node.status];
  const Icon = degraded ? TriangleAlert : { online: CircleCheck, offline: CircleX, unknown: CircleHelp }[node.status];
  return (
    <Badge tone={tone} data-testid="node-status" data-status={node.status} data-health={node.health}>
      <Icon aria-hidden />
      {degraded ? t('servers.health.degraded') : t(`servers.nodeStatus.${node.status}`)}
    </Badge>
  );
}

/** Maintenance and disabled are the admin's choices, shown beside the health the monitor measured. */
export function ServerFlags({ server }: { server: Pick<Server, 'enabled' | 'maintenance'> }) {
  const { t } = useI18n();
  return (
    <>
      {server.maintenance ? (
        <Badge tone="info" data-testid="maintenance-badge">
          <Wrench aria-hidden />
          {t('servers.badges.maintenance')}
        </Badge>
      ) : null}
      {!server.enabled ? (
        <Badge tone="outline" data-testid="disabled-badge">
          <CircleOff aria-hidden />
          {t('servers.badges.disabled')}
        </Badge>
      ) : null}
    </>
  );
}

/** "2/2 online", from the nodes the API last saw. */
export function nodesOnline(server: Pick<Server, 'nodes'>): { online: number; total: number } {
  return { online: server.nodes.filter((n) => n.status === 'online').length, total: server.nodes.length };
}
