'use client';

import type { Server } from '@uni-manager/contracts';
import { RelativeTime } from '@/components/audit/event-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { NodeStatusBadge } from './health-badge';

const GIB = 1024 ** 3;

/** A thin gauge under a figure; the figure itself carries the information. */
function Gauge({ fraction }: { fraction: number }) {
  const tone = fraction >= 0.9 ? 'bg-destructive' : fraction >= 0.75 ? 'bg-warning' : 'bg-primary';
  return (
    <div aria-hidden className="mt-1.5 h-1 w-24 overflow-hidden rounded-full bg-muted">
      <div className={cn('h-full rounded-full', tone)} style={{ width: `${Math.min(100, fraction * 100)}%` }} />
    </div>
  );
}

const hideUptime = 'hidden md:table-cell';
const hideSeen = 'hidden lg:table-cell';

export function NodesTable({ nodes }: { nodes: Server['nodes'] }) {
  const { t, format } = useI18n();
  const none = t('common.none');
  return (
    <Table data-testid="nodes-table" aria-label={t('servers.detail.nodes')}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>{t('servers.detail.nodeColumns.node')}</TableHead>
          <TableHead>{t('servers.detail.nodeColumns.status')}</TableHead>
          <TableHead>{t('servers.detail.nodeColumns.cpu')}</TableHead>
          <TableHead>{t('servers.detail.nodeColumns.memory')}</TableHead>
          <TableHead className={hideUptime}>{t('servers.detail.nodeColumns.uptime')}</TableHead>
          <TableHead className={hideSeen}>{t('servers.detail.nodeColumns.lastSeen')}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {nodes.map((node) => {
          const online = node.status === 'online';
          const memFraction =
            node.memUsed !== null && node.memTotal !== null && node.memTotal > 0 ? node.memUsed / node.memTotal : null;
          return (
            <TableRow key={node.node} data-testid="node-row" data-node={node.node} data-status={node.status}>
              <TableCell className="font-medium">
                {node.node}
                {/* Uptime moves here on narrow screens. */}
                {online && node.uptime !== null ? (
                  <p aria-hidden className="whitespace-nowrap text-xs font-normal text-muted-foreground md:hidden">
                    <span
                      data-text={t('servers.detail.upFor', { duration: format.duration(node.uptime) })}
                      className="before:content-[attr(data-text)]"
                    />
                  </p>
                ) : null}
              </TableCell>
              <TableCell>
                <NodeStatusBadge node={node} />
              </TableCell>
              <TableCell className="whitespace-nowrap">
                {online && node.cpu !== null ? (
                  <>
                    <span className="tabular-nums">{format.percent(node.cpu, 1)}</span>
                    {node.maxcpu !== null ? (
                      <span className="ml-1.5 text-xs text-muted-foreground">
                        {t('servers.detail.cpuOf', { count: node.maxcpu })}
                      </span>
                    ) : null}
                    <Gauge fraction={node.cpu} />
                  </>
                ) : (
                  <span className="text-muted-foreground">{none}</span>
                )}
              </TableCell>
              <TableCell className="whitespace-nowrap">
                {online && memFraction !== null ? (
                  <>
                    <span className="tabular-nums">
                      {t('servers.detail.memoryValue', {
                        used: format.decimal(node.memUsed! / GIB),
                        total: format.decimal(node.memTotal! / GIB),
                      })}
                    </span>
                    <span className="ml-1.5 text-xs text-muted-foreground">{format.percent(memFraction)}</span>
                    <Gauge fraction={memFraction} />
                  </>
                ) : (
                  <span className="text-muted-foreground">{none}</span>
                )}
              </TableCell>
              <TableCell className={cn(hideUptime, 'whitespace-nowrap tabular-nums text-muted-foreground')}>
                {online && node.uptime !== null ? format.duration(node.uptime) : none}
              </TableCell>
              <TableCell className={cn(hideSeen, 'whitespace-nowrap text-muted-foreground')}>
                {node.lastSeenAt ? <RelativeTime iso={node.lastSeenAt} /> : t('common.never')}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
