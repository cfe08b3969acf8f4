'use client';

import { serverHealthSchema, type AdminOverview } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowRight, CircleX, Coins, Flame, MonitorPlay, ServerOff, Users, type LucideIcon } from 'lucide-react';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { useRunDuration, RunStatusBadge } from '@/components/admin-billing/billing-runs-card';
import { useCredits } from '@/components/admin-billing/money';
import { RelativeTime } from '@/components/audit/event-time';
import { PageHeader } from '@/components/layout/page-header';
import { HealthBadge, ServerFlags } from '@/components/servers/health-badge';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { LostVmsAlert } from '@/components/vms/lost-vms-alert';
import { fetchAdminOverview } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { failedOperationsHref, userCountHref, vmStateHref } from './overview-links';

const REFRESH_MS = 30_000;
const GIB = 1024 ** 3;

/** The platform at a glance, for admins: people, machines, capacity, money and what went wrong. */
export function AdminOverviewPage() {
  const { t } = useI18n();
  const overview = useQuery({
    queryKey: queryKeys.adminOverview,
    queryFn: ({ signal }) => fetchAdminOverview(signal),
    refetchInterval: REFRESH_MS,
  });
  const data = overview.data;

  return (
    <>
      <PageHeader title={t('overview.title')} description={t('overview.subtitle')} />
      <div className="space-y-6" data-testid="admin-overview">
        <LostVmsAlert />
        {overview.isError && !data ? (
          <Card>
            <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
          </Card>
        ) : (
          <>
            <Headlines data={data} />
            <div className="grid gap-6 lg:grid-cols-3">
              <ServersCard servers={data?.servers} className="lg:col-span-2" />
              <UsersCard users={data?.users} />
            </div>
            <div className="grid gap-6 lg:grid-cols-3">
              <VmsCard vms={data?.vms} />
              <CreditsCard credits={data?.credits} />
              <LastRunCard run={data === undefined ? undefined : data.lastBillingRun} />
            </div>
          </>
        )}
      </div>
    </>
  );
}

// ---- Headline figures ----

function Tile({
  icon: Icon,
  label,
  value,
  detail,
  href,
  tone,
  testId,
}: {
  icon: LucideIcon;
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  href: string;
  tone?: 'destructive' | 'success';
  testId: string;
}) {
  return (
    <Link
      href={href}
      className="group rounded-xl border bg-card p-4 shadow-sm shadow-black/5 transition-colors hover:bg-accent/50 focus-visible:outline-2 focus-visible:outline-ring"
      data-testid={testId}
    >
      <div className="flex items-center justify-between gap-2 text-xs font-medium text-muted-foreground">
        <span>{label}</span>
        <Icon className={cn('size-4', tone === 'destructive' && 'text-destructive')} aria-hidden />
      </div>
      <div
        className={cn(
          'mt-2 text-2xl font-semibold tabular-nums',
          tone === 'destructive' && 'text-destructive',
          tone === 'success' && 'text-success',
        )}
      >
        {value}
      </div>
      {detail ? <div className="mt-0.5 text-xs text-muted-foreground">{detail}</div> : null}
    </Link>
  );
}

function Headlines({ data }: { data: AdminOverview | undefined }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  // Read once: the link's "since yesterday" need not move while the page is open.
  const [failedHref] = useState(() => failedOperationsHref(new Date()));
  const value = (v: number | undefined, text: (n: number) => string = format.number) =>
    v === undefined ? <Skeleton className="h-8 w-16" /> : text(v);
  const failed = data?.failedOperations24h;

  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Tile
        icon={Users}
        label={t('overview.tiles.users')}
        value={value(data?.users.total)}
        detail={data ? t('overview.tiles.usersDetail', { active: format.number(data.users.active) }) : undefined}
        href="/admin/users"
        testId="tile-users"
      />
      <Tile
        icon={MonitorPlay}
        label={t('overview.tiles.vms')}
        value={value(data?.vms.total)}
        detail={data ? t('overview.tiles.vmsDetail', { running: format.number(data.vms.running) }) : undefined}
        href="/admin/vms"
        testId="tile-vms"
      />
      <Tile
        icon={Coins}
        label={t('overview.tiles.today')}
        value={value(data?.credits.today, credits.amount)}
        detail={data ? t('overview.tiles.burn', { rate: credits.perHour(data.credits.burnRatePerHour) }) : undefined}
        href="/admin/billing"
        testId="tile-credits"
      />
      <Tile
        icon={CircleX}
        label={t('overview.tiles.failed')}
        value={value(failed)}
        detail={t('overview.tiles.failedDetail')}
        href={failedHref}
        tone={failed ? 'destructive' : undefined}
        testId="tile-failed"
      />
    </div>
  );
}

// ---- Servers ----

function Gauge({ fraction }: { fraction: number }) {
  const tone = fraction >= 0.9 ? 'bg-destructive' : fraction >= 0.75 ? 'bg-warning' : 'bg-primary';
  return (
    <div aria-hidden className="h-1.5 w-full overflow-hidden rounded-full bg-muted">
      <div className={cn('h-full rounded-full', tone)} style={{ width: `${Math.min(100, fraction * 100)}%` }} />
    </div>
  );
}

function ServersCard({ servers, className }: { servers: AdminOverview['servers'] | undefined; className?: string }) {
  const { t, format } = useI18n();
  return (
    <Card className={className} aria-labelledby="overview-servers-title" data-testid="overview-servers">
      <CardHeader>
        <CardTitle id="overview-servers-title">{t('overview.servers.title')}</CardTitle>
        <CardDescription>{t('overview.servers.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {!servers ? (
          <div className="grid gap-3" aria-busy>
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : servers.length === 0 ? (
          <EmptyState
            icon={ServerOff}
            title={t('overview.servers.empty')}
            action={
              <Link
                href="/admin/servers"
                className="text-sm font-medium text-primary underline-offset-4 hover:underline"
              >
                {t('overview.servers.add')}
              </Link>
            }
            className="py-8"
          />
        ) : (
          <ul className="divide-y rounded-lg border">
            {servers.map((server) => {
              const health = serverHealthSchema.catch('unknown').parse(server.health);
              const mem =
                server.memUsed !== null && server.memTotal !== null && server.memTotal > 0
                  ? server.memUsed / server.memTotal
                  : null;
              return (
                <li
                  key={server.id}
                  className="grid gap-3 p-3 sm:grid-cols-[minmax(0,1fr)_12rem_5rem] sm:items-center"
                  data-testid="overview-server"
                >
                  <div className="min-w-0 space-y-1.5">
                    <Link
                      href={`/admin/servers/${server.id}`}
                      className="block truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                    >
                      {server.name}
                    </Link>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <HealthBadge health={health} />
                      <ServerFlags server={server} />
                    </div>
                  </div>
                  <div className="grid gap-1 text-xs">
                    <div className="flex items-baseline justify-between gap-2">
                      <span className="text-muted-foreground">{t('overview.servers.memory')}</span>
                      <span className="tabular-nums">
                        {mem === null
                          ? t('common.none')
                          : t('overview.servers.memoryValue', {
                              used: format.decimal(server.memUsed! / GIB),
                              total: format.decimal(server.memTotal! / GIB),
                              percent: format.percent(mem),
                            })}
                      </span>
                    </div>
                    {mem !== null ? <Gauge fraction={mem} /> : null}
                    <div className="flex items-baseline justify-between gap-2 text-muted-foreground">
                      <span>{t('overview.servers.cpu')}</span>
                      <span className="tabular-nums">
                        {server.cpu === null ? t('common.none') : format.percent(server.cpu)}
                      </span>
                    </div>
                  </div>
                  <div className="flex items-baseline gap-1.5 sm:flex-col sm:items-end sm:gap-0">
                    <span className="text-lg font-semibold tabular-nums">{format.number(server.vms)}</span>
                    <span className="text-xs text-muted-foreground">
                      {t('overview.servers.vms', { nodes: format.number(server.nodes) })}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

// ---- Users ----

const userRows = ['active', 'suspended', 'banned', 'admins', 'inDebt'] as const;

function UsersCard({ users }: { users: AdminOverview['users'] | undefined }) {
  const { t } = useI18n();
  return (
    <Card aria-labelledby="overview-users-title" data-testid="overview-users">
      <CardHeader>
        <CardTitle id="overview-users-title">{t('overview.users.title')}</CardTitle>
        <CardDescription>
          {users ? t('overview.users.description', { count: users.total }) : t('common.loading')}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <CountList
          rows={userRows.map((key) => ({
            key,
            label: t(`overview.users.${key}`),
            value: users?.[key],
            href: userCountHref[key],
            alarm: (key === 'inDebt' || key === 'banned') && (users?.[key] ?? 0) > 0,
          }))}
        />
      </CardContent>
    </Card>
  );
}

function CountList({
  rows,
}: {
  rows: Array<{ key: string; label: string; value: number | undefined; href: string; alarm?: boolean; dot?: string }>;
}) {
  const { format } = useI18n();
  return (
    <ul className="-mx-2 grid">
      {rows.map((row) => (
        <li key={row.key}>
          <Link
            href={row.href}
            className="flex items-center justify-between gap-3 rounded-md px-2 py-2 text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
            data-testid={`count-${row.key}`}
          >
            <span className="flex items-center gap-2 text-muted-foreground">
              {row.dot ? <span aria-hidden className={cn('size-2 rounded-full', row.dot)} /> : null}
              {row.label}
            </span>
            <span className={cn('font-medium tabular-nums', row.alarm && 'text-destructive')}>
              {row.value === undefined ? <Skeleton className="h-4 w-8" /> : format.number(row.value)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

// ---- VMs ----

const vmStates = [
  { key: 'running', color: 'bg-success' },
  { key: 'stopped', color: 'bg-muted-foreground/60' },
  { key: 'paused', color: 'bg-info' },
  { key: 'provisioning', color: 'bg-primary' },
  { key: 'failed', color: 'bg-destructive' },
  { key: 'lost', color: 'bg-warning' },
] as const;

function VmsCard({ vms }: { vms: AdminOverview['vms'] | undefined }) {
  const { t } = useI18n();
  const counted = vms ? vmStates.reduce((sum, s) => sum + vms[s.key], 0) : 0;
  return (
    <Card aria-labelledby="overview-vms-title" data-testid="overview-vms">
      <CardHeader>
        <CardTitle id="overview-vms-title">{t('overview.vms.title')}</CardTitle>
        <CardDescription>
          {vms ? t('overview.vms.description', { count: vms.total }) : t('common.loading')}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div aria-hidden className="flex h-2.5 overflow-hidden rounded-full bg-muted">
          {vms && counted > 0
            ? vmStates.map((s) =>
                vms[s.key] > 0 ? (
                  <div key={s.key} className={s.color} style={{ width: `${(vms[s.key] / counted) * 100}%` }} />
                ) : null,
              )
            : null}
        </div>
        <CountList
          rows={vmStates.map((s) => ({
            key: `vm-${s.key}`,
            label: t(`overview.vms.${s.key}`),
            value: vms?.[s.key],
            href: vmStateHref[s.key],
            dot: s.color,
            alarm: (s.key === 'failed' || s.key === 'lost') && (vms?.[s.key] ?? 0) > 0,
          }))}
        />
      </CardContent>
    </Card>
  );
}

// ---- Credits ----

function CreditsCard({ credits: figures }: { credits: AdminOverview['credits'] | undefined }) {
  const { t } = useI18n();
  const credits = useCredits();
  const rows: Array<[string, ReactNode]> = figures
    ? [
        [t('overview.credits.today'), credits.withUnit(figures.today)],
        [t('overview.credits.thisMonth'), credits.withUnit(figures.thisMonth)],
        [t('overview.credits.burnRate'), credits.perHour(figures.burnRatePerHour)],
        [t('overview.credits.perDay'), credits.withUnit(Math.round(figures.burnRatePerHour * 24))],
      ]
    : [];
  return (
    <Card aria-labelledby="overview-credits-title" data-testid="overview-credits" className="flex flex-col">
      <CardHeader>
        <CardTitle id="overview-credits-title" className="flex items-center gap-2">
          <Flame className="size-4 text-muted-foreground" aria-hidden />
          {t('overview.credits.title')}
        </CardTitle>
        <CardDescription>{t('overview.credits.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex-1">
        {figures ? (
          <dl className="divide-y">
            {rows.map(([label, value]) => (
              <div key={label} className="flex items-center justify-between gap-4 py-2.5">
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="text-right text-sm font-medium tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <div className="grid gap-3" aria-busy>
            <Skeleton className="h-5" />
            <Skeleton className="h-5" />
            <Skeleton className="h-5" />
          </div>
        )}
      </CardContent>
      <CardFooter>
        <FooterLink href="/admin/billing">{t('overview.credits.report')}</FooterLink>
      </CardFooter>
    </Card>
  );
}

function LastRunCard({ run }: { run: AdminOverview['lastBillingRun'] | undefined }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const duration = useRunDuration();
  return (
    <Card aria-labelledby="overview-run-title" data-testid="overview-last-run" className="flex flex-col">
      <CardHeader>
        <CardTitle id="overview-run-title">{t('overview.run.title')}</CardTitle>
        <CardDescription>{t('overview.run.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex-1">
        {run === undefined ? (
          <div className="grid gap-3" aria-busy>
            <Skeleton className="h-5 w-24" />
            <Skeleton className="h-5" />
          </div>
        ) : run === null ? (
          <p className="text-sm text-muted-foreground">{t('overview.run.never')}</p>
        ) : (
          <div className="space-y-3">
            <div className="flex flex-wrap items-center gap-2">
              <RunStatusBadge run={run} />
              <RelativeTime iso={run.startedAt} className="text-sm text-muted-foreground" />
            </div>
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div>
                <dt className="text-xs text-muted-foreground">{t('adminBilling.runs.vms')}</dt>
                <dd className="font-medium tabular-nums">{format.number(run.vms)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('adminBilling.runs.amount')}</dt>
                <dd className="font-medium tabular-nums">{credits.amount(run.amount)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('adminBilling.runs.transfers')}</dt>
                <dd className="font-medium tabular-nums">{format.number(run.transfers)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('adminBilling.runs.duration')}</dt>
                <dd className="font-medium tabular-nums">{duration(run.durationMs)}</dd>
              </div>
            </dl>
            {run.error ? <p className="line-clamp-3 break-words text-xs text-destructive">{run.error}</p> : null}
          </div>
        )}
      </CardContent>
      <CardFooter>
        <FooterLink href="/admin/billing#billing-runs-title">{t('overview.run.all')}</FooterLink>
      </CardFooter>
    </Card>
  );
}

function FooterLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline"
    >
      {children}
      <ArrowRight className="size-3.5" aria-hidden />
    </Link>
  );
}
