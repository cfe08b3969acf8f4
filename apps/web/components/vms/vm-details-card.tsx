'use client';

import type { Vm } from '@uni-manager/contracts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { useMoney } from '@/components/billing/money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useNow } from '@/lib/use-now';
import { cn } from '@/lib/utils';
import { formatAmount, formatCores, formatMemory, formatSize, priceFor, type PricePeriod } from './vm-format';

function Item({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={cn('min-w-0 space-y-1', wide && 'sm:col-span-2')}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="break-words text-sm">{children}</dd>
    </div>
  );
}

const linkClass = 'underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring';

/** Changes Proxmox holds until the next reboot, as a badge beside the size. */
export function PendingBadge({ vm }: { vm: Vm }) {
  const { t, format } = useI18n();
  if (!vm.pending || (vm.pending.cores === undefined && vm.pending.memoryMib === undefined)) return null;
  const parts = [
    vm.pending.cores !== undefined ? formatCores(vm.pending.cores, t) : null,
    vm.pending.memoryMib !== undefined ? formatMemory(vm.pending.memoryMib, t, format) : null,
  ].filter(Boolean);
  return (
    <Badge tone="warning" title={t('vms.detail.pendingHint')} data-testid="vm-pending">
      {t('vms.detail.pending', { size: parts.join(' · ') })}
    </Badge>
  );
}

/** The uptime Proxmox reported, counted on from when it reported it. */
function Uptime({ usage }: { usage: NonNullable<Vm['usage']> }) {
  const { format } = useI18n();
  const now = useNow();
  const seconds = usage.uptimeSeconds + Math.max(0, (now - Date.parse(usage.at)) / 1000);
  return (
    <span className="tabular-nums" data-testid="vm-uptime">
      {format.duration(seconds)}
    </span>
  );
}

export function VmDetailsCard({ vm, isAdmin, className }: { vm: Vm; isAdmin: boolean; className?: string }) {
  const { t, format } = useI18n();
  const none = <span className="text-muted-foreground">{t('common.none')}</span>;
  const usage = vm.powerState === 'running' ? vm.usage : null;
  return (
    <Card className={className} aria-labelledby="vm-details-title" data-testid="vm-details">
      <CardHeader>
        <CardTitle id="vm-details-title">{t('vms.detail.details')}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-5 sm:grid-cols-2">
          <Item label={t('vms.detail.size')} wide>
            <span className="flex flex-wrap items-center gap-2">
              <span className="tabular-nums" data-testid="vm-size">
                {formatSize(vm, t, format)}
              </span>
              <PendingBadge vm={vm} />
            </span>
          </Item>
          <Item label={t('vms.detail.template')}>
            {vm.template ? (
              <>
                {vm.template.osLabel}
                <span className="block text-xs text-muted-foreground">{vm.template.name}</span>
              </>
            ) : (
              <span className="text-muted-foreground">{t('vms.detail.templateRemoved')}</span>
            )}
          </Item>
          <Item label={t('vms.detail.uptime')}>
            {usage ? (
              <Uptime usage={usage} />
            ) : vm.powerState === 'running' ? (
              none
            ) : (
              <span className="text-muted-foreground">{t('vms.detail.notRunning')}</span>
            )}
          </Item>
          <Item label={t('vms.detail.addresses')} wide>
            {vm.addresses.length > 0 ? (
              <ul className="flex flex-wrap gap-x-4 gap-y-1 font-mono text-[0.8125rem]" data-testid="vm-addresses">
                {vm.addresses.map((a) => (
                  <li key={a} className="select-all">
                    {a}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-muted-foreground">{t('vms.detail.noAddresses')}</span>
            )}
          </Item>
          {usage ? (
            <Item label={t('vms.detail.usage')} wide>
              <span className="tabular-nums">
                {t('vms.detail.usageLine', {
                  cpu: format.percent(usage.cpu, 1),
                  used: formatMemory(Math.round(usage.memUsedBytes / 1024 ** 2), t, format),
                  total: formatMemory(Math.round(usage.memTotalBytes / 1024 ** 2), t, format),
                })}
              </span>
            </Item>
          ) : null}
          <Item label={t('vms.detail.node')}>{vm.node ?? none}</Item>
          <Item label={t('vms.detail.vmid')}>
            {vm.vmid !== null ? <span className="font-mono tabular-nums">{vm.vmid}</span> : none}
          </Item>
          {isAdmin ? (
            <>
              <Item label={t('vms.detail.server')}>
                {vm.server ? (
                  <Link href={`/admin/servers/${vm.server.id}`} className={linkClass}>
                    {vm.server.name}
                  </Link>
                ) : (
                  none
                )}
              </Item>
              <Item label={t('vms.detail.owner')}>
                <Link href={`/admin/users/${vm.owner.id}`} className={linkClass}>
                  {vm.owner.email}
                </Link>
              </Item>
            </>
          ) : null}
          <Item label={t('vms.detail.created')}>{format.dateTime(vm.createdAt)}</Item>
          <Item label={t('vms.detail.updated')}>{format.dateTime(vm.updatedAt)}</Item>
        </dl>
      </CardContent>
    </Card>
  );
}

const periods: PricePeriod[] = ['hour', 'day', 'month'];

/** What the VM costs: running and stopped, per hour, day and month. Rates may be fractions of a minor unit. */
export function PriceTable({
  runningPerHour,
  stoppedPerHour,
  highlight,
}: {
  runningPerHour: number;
  stoppedPerHour: number;
  /** The row that applies now. */
  highlight?: 'running' | 'stopped';
}) {
  const { t, locale } = useI18n();
  const { unit } = useMoney();
  const rows = [
    { key: 'running' as const, label: t('vms.price.running'), perHour: runningPerHour },
    { key: 'stopped' as const, label: t('vms.price.stopped'), perHour: stoppedPerHour },
  ];
  return (
    // In a narrow card (the VM page's third column) the amounts never wrap, so the table scrolls rather than spill.
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="vm-prices">
        <caption className="sr-only">{t('vms.price.caption')}</caption>
        <thead>
          <tr className="text-xs text-muted-foreground">
            <th scope="col" className="pb-2 text-left font-medium">
              <span className="sr-only">{t('vms.price.state')}</span>
            </th>
            {periods.map((p) => (
              <th key={p} scope="col" className="whitespace-nowrap pb-2 pl-3 text-right font-medium">
                {t(`vms.price.per.${p}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y border-t">
          {rows.map((row) => (
            <tr key={row.key} className={cn(highlight === row.key && 'font-medium')} data-price={row.key}>
              <th scope="row" className="py-2 text-left font-normal">
                <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  {row.label}
                  {highlight === row.key ? <Badge tone="primary">{t('vms.price.now')}</Badge> : null}
                </span>
              </th>
              {periods.map((p) => (
                <td key={p} className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">
                  {formatAmount(priceFor(row.perHour, p), t, locale)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={periods.length + 1} className="pt-2 text-xs text-muted-foreground">
              {t('vms.price.inUnit', { unit })}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
