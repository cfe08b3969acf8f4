'use client';

import type { Server } from '@uni-manager/contracts';
import { useId, type ReactNode } from 'react';
import { RelativeTime } from '@/components/audit/event-time';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Switch } from '@/components/ui/switch';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { CopyButton, Fingerprint } from './fingerprint';
import type { ServerActionKind } from './server-dialogs';

function Item({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={cn('min-w-0 space-y-1', wide && 'sm:col-span-2')}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="break-words text-sm">{children}</dd>
    </div>
  );
}

export function ServerDetailsCard({ server, className }: { server: Server; className?: string }) {
  const { t, format } = useI18n();
  const { fingerprint, caPem } = server.tls;
  return (
    <Card className={className} aria-labelledby="server-details-title" data-testid="server-details">
      <CardHeader>
        <CardTitle id="server-details-title">{t('servers.detail.details')}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-5 sm:grid-cols-2">
          <Item label={t('servers.detail.url')}>
            <span className="flex items-center gap-1">
              <span className="min-w-0 truncate font-mono text-[0.8125rem]">{server.url}</span>
              <CopyButton value={server.url} label={t('common.copy')} />
            </span>
          </Item>
          <Item label={t('servers.detail.tokenId')}>
            <span className="font-mono text-[0.8125rem]">{server.tokenId}</span>
          </Item>
          <Item label={t('servers.detail.version')}>{server.pveVersion ?? t('common.none')}</Item>
          <Item label={t('servers.detail.lastChecked')}>
            {server.lastCheckedAt ? <RelativeTime iso={server.lastCheckedAt} /> : t('servers.neverChecked')}
          </Item>
          <Item label={t('servers.detail.trust')} wide>
            <span className="block">
              {caPem ? (fingerprint ? t('servers.trust.both') : t('servers.trust.ca')) : t('servers.trust.fingerprint')}
            </span>
            {fingerprint ? <Fingerprint value={fingerprint} className="mt-1.5 text-muted-foreground" /> : null}
          </Item>
          <Item label={t('servers.detail.created')}>{format.dateTime(server.createdAt)}</Item>
          <Item label={t('servers.detail.updated')}>{format.dateTime(server.updatedAt)}</Item>
        </dl>
      </CardContent>
    </Card>
  );
}

function Setting({
  title,
  hint,
  checked,
  disabled,
  onChange,
  testId,
}: {
  title: string;
  hint: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start justify-between gap-4 rounded-lg border p-4">
      <div className="space-y-1">
        <label htmlFor={id} id={`${id}-label`} className="text-sm font-medium leading-none">
          {title}
        </label>
        <p id={`${id}-hint`} className="text-[0.8125rem] text-muted-foreground">
          {hint}
        </p>
      </div>
      <Switch
        id={id}
        checked={checked}
        disabled={disabled}
        onCheckedChange={onChange}
        aria-describedby={`${id}-hint`}
        className="mt-0.5"
        data-testid={testId}
      />
    </div>
  );
}

/**
 * The admin's switches. Each one that takes capacity away asks first (the
 * switch only moves once confirmed); the others apply at once.
 */
export function ServerOperationCard({
  server,
  busy,
  onAction,
  className,
}: {
  server: Server;
  busy: boolean;
  onAction: (kind: ServerActionKind) => void;
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <Card className={className} aria-labelledby="server-operation-title" data-testid="server-operation">
      <CardHeader>
        <CardTitle id="server-operation-title">{t('servers.detail.operation')}</CardTitle>
        <CardDescription>{t('servers.detail.operationDescription')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <Setting
          title={t('servers.detail.enabled')}
          hint={server.enabled ? t('servers.detail.enabledOn') : t('servers.detail.enabledOff')}
          checked={server.enabled}
          disabled={busy}
          onChange={(on) => onAction(on ? 'enable' : 'disable')}
          testId="enabled-toggle"
        />
        <Setting
          title={t('servers.detail.maintenance')}
          hint={server.maintenance ? t('servers.detail.maintenanceOn') : t('servers.detail.maintenanceOff')}
          checked={server.maintenance}
          disabled={busy}
          onChange={(on) => onAction(on ? 'maintenanceOn' : 'maintenanceOff')}
          testId="maintenance-toggle"
        />
      </CardContent>
    </Card>
  );
}
