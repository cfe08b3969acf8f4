'use client';

import type { Server } from '@uni-manager/contracts';
import Link from 'next/link';
import { RelativeTime } from '@/components/audit/event-time';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { HealthBadge, nodesOnline, ServerFlags } from './health-badge';
import { healthReasonText } from './health-reason';
import type { ServerActionKind } from './server-dialogs';
import { ServerActionsMenu } from './server-actions-menu';

interface ServersTableProps {
  servers: Server[] | undefined;
  onAction: (server: Server, kind: ServerActionKind) => void;
  busyId?: string;
}

// Which columns give way on narrow screens; what they held moves under the name instead.
const hideNodes = 'hidden sm:table-cell';
const hideVersion = 'hidden lg:table-cell';
const hideChecked = 'hidden md:table-cell';

export function NodesSummary({ server, className }: { server: Server; className?: string }) {
  const { t } = useI18n();
  const { online, total } = nodesOnline(server);
  if (total === 0) return <span className={cn('text-muted-foreground', className)}>{t('servers.noNodes')}</span>;
  return (
    <span
      className={cn(
        'tabular-nums',
        online < total && 'font-medium text-warning',
        online === 0 && 'text-destructive',
        className,
      )}
    >
      {t('servers.nodesOnline', { online, total })}
    </span>
  );
}

export function ServersTable({ servers, onAction, busyId }: ServersTableProps) {
  const { t } = useI18n();
  return (
    <Table data-testid="servers-table" aria-busy={servers === undefined} aria-label={t('servers.table')}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>{t('servers.columns.name')}</TableHead>
          <TableHead>{t('servers.columns.health')}</TableHead>
          <TableHead className={hideVersion}>{t('servers.columns.version')}</TableHead>
          <TableHead className={hideNodes}>{t('servers.columns.nodes')}</TableHead>
          <TableHead className={hideChecked}>{t('servers.columns.lastChecked')}</TableHead>
          <TableHead className="w-12">
            <span className="sr-only">{t('common.actions')}</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {servers === undefined
          ? Array.from({ length: 3 }, (_, i) => (
              <TableRow key={i} aria-hidden>
                <TableCell>
                  <Skeleton className="h-4 w-32" />
                  <Skeleton className="mt-1.5 h-3 w-48" />
                </TableCell>
                <TableCell>
                  <Skeleton className="h-5 w-20 rounded-full" />
                </TableCell>
                <TableCell className={hideVersion}>
                  <Skeleton className="h-4 w-24" />
                </TableCell>
                <TableCell className={hideNodes}>
                  <Skeleton className="h-4 w-20" />
                </TableCell>
                <TableCell className={hideChecked}>
                  <Skeleton className="h-4 w-24" />
                </TableCell>
                <TableCell />
              </TableRow>
            ))
          : servers.map((server) => (
              <TableRow
                key={server.id}
                data-testid="server-row"
                data-server-id={server.id}
                data-name={server.name}
                data-health={server.health}
              >
                <TableCell className="max-w-[12rem] sm:max-w-72">
                  <Link
                    href={`/admin/servers/${server.id}`}
                    className="block truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                  >
                    {server.name}
                  </Link>
                  <p className="truncate font-mono text-xs text-muted-foreground" title={server.url}>
                    {server.url.replace(/^https:\/\//, '')}
                  </p>
                  {/* What the hidden columns held, for narrow screens, drawn by CSS so the text exists once in the DOM. */}
                  {server.nodes.length > 0 ? (
                    <p aria-hidden className="truncate text-xs text-muted-foreground sm:hidden">
                      <span
                        data-text={t('servers.nodesOnline', nodesOnline(server))}
                        className="before:content-[attr(data-text)]"
                      />
                    </p>
                  ) : null}
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap items-center gap-1.5">
                    <HealthBadge health={server.health} reason={healthReasonText(server, t)} />
                    <ServerFlags server={server} />
                  </div>
                  {server.health !== 'healthy' && healthReasonText(server, t) ? (
                    <p className="mt-1 line-clamp-2 max-w-64 text-xs text-muted-foreground">
                      {healthReasonText(server, t)}
                    </p>
                  ) : null}
                </TableCell>
                <TableCell className={cn(hideVersion, 'whitespace-nowrap text-muted-foreground')}>
                  {server.pveVersion ?? t('common.none')}
                </TableCell>
                <TableCell className={cn(hideNodes, 'whitespace-nowrap')}>
                  <NodesSummary server={server} />
                </TableCell>
                <TableCell className={cn(hideChecked, 'whitespace-nowrap text-muted-foreground')}>
                  {server.lastCheckedAt ? <RelativeTime iso={server.lastCheckedAt} /> : t('servers.neverChecked')}
                </TableCell>
                <TableCell className="text-right">
                  <ServerActionsMenu
                    server={server}
                    onAction={(kind) => onAction(server, kind)}
                    busy={busyId === server.id}
                  />
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  );
}
