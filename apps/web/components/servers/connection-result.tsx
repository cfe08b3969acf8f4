'use client';

import type { ConnectionTest } from '@uni-manager/contracts';
import { CircleCheck, CircleX, ShieldAlert, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/translate';
import { cn } from '@/lib/utils';
import { NodeStatusBadge } from './health-badge';

/** The kinds of failure the API reports, each with words an admin can act on. */
const knownKinds = ['TLS', 'AUTHENTICATION', 'UNAVAILABLE', 'TIMEOUT', 'PERMISSION', 'NOT_FOUND'] as const;
type KnownKind = (typeof knownKinds)[number];
const isKnownKind = (kind: string): kind is KnownKind => (knownKinds as readonly string[]).includes(kind);

export function errorKindMessage(kind: string): MessageKey {
  return isKnownKind(kind) ? `servers.result.errors.${kind}` : 'servers.result.errors.other';
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 space-y-0.5">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/**
 * What a connection test found: the version and nodes when it got through,
 * the missing privileges, or why it could not connect, in plain words with
 * the server's own message underneath for the logs-minded.
 */
export function ConnectionResult({ result, className }: { result: ConnectionTest; className?: string }) {
  const { t, format } = useI18n();
  const missing = result.permissions.missing;
  const reachedProxmox = result.version !== null;
  let tone: 'success' | 'warning' | 'destructive' = 'success';
  let Icon: LucideIcon = CircleCheck;
  let title = t('servers.result.ok');
  if (!result.ok) {
    tone = missing.length > 0 ? 'warning' : 'destructive';
    Icon = missing.length > 0 ? ShieldAlert : CircleX;
    title = missing.length > 0 ? t('servers.result.missingTitle') : t('servers.result.failed');
  }

  return (
    <div
      role={result.ok ? 'status' : 'alert'}
      className={cn(
        'space-y-4 rounded-lg border p-4',
        tone === 'success' && 'border-success/30 bg-success/8',
        tone === 'warning' && 'border-warning/35 bg-warning/8',
        tone === 'destructive' && 'border-destructive/35 bg-destructive/8',
        className,
      )}
      data-testid="connection-result"
      data-ok={String(result.ok)}
      data-error-kind={result.error?.kind}
    >
      <div className="flex items-start gap-3">
        <Icon
          className={cn(
            'mt-0.5 size-5 shrink-0',
            tone === 'success' && 'text-success',
            tone === 'warning' && 'text-warning',
            tone === 'destructive' && 'text-destructive',
          )}
          aria-hidden
        />
        <div className="min-w-0 space-y-1">
          <p className="font-medium leading-snug">{title}</p>
          {result.ok ? (
            <p className="text-sm text-muted-foreground">
              {result.permissions.checked ? t('servers.result.okDescription') : t('servers.result.okUnchecked')}
            </p>
          ) : result.error && missing.length === 0 ? (
            <>
              <p className="text-sm">{t(errorKindMessage(result.error.kind))}</p>
              <p className="break-words font-mono text-xs text-muted-foreground">
                {t('servers.result.technical', { message: result.error.message })}
              </p>
            </>
          ) : null}
        </div>
      </div>

      {reachedProxmox ? (
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3">
          <Fact label={t('servers.result.version')}>{result.version}</Fact>
          <Fact label={t('servers.result.latency')}>
            {result.latencyMs === null
              ? t('common.none')
              : t('servers.result.ms', { value: format.number(result.latencyMs) })}
          </Fact>
          <Fact label={t('servers.result.privileges')}>
            {!result.permissions.checked
              ? t('servers.result.privilegesUnchecked')
              : missing.length === 0
                ? t('servers.result.privilegesOk')
                : t('servers.result.privilegesMissing', { count: missing.length })}
          </Fact>
          <div className="col-span-2 min-w-0 space-y-1 sm:col-span-3">
            <dt className="text-xs font-medium text-muted-foreground">
              {t('servers.result.nodes', { count: result.nodes.length })}
            </dt>
            <dd>
              <ul className="flex flex-wrap gap-2">
                {result.nodes.map((n) => {
                  const status = n.status === 'online' || n.status === 'offline' ? n.status : 'unknown';
                  return (
                    <li
                      key={n.node}
                      className="flex items-center gap-2 rounded-md border bg-background/60 py-1 pl-2.5 pr-1.5 text-sm"
                    >
                      <span className="font-medium">{n.node}</span>
                      <NodeStatusBadge node={{ status, health: status === 'online' ? 'healthy' : 'offline' }} />
                    </li>
                  );
                })}
              </ul>
            </dd>
          </div>
        </dl>
      ) : null}

      {missing.length > 0 ? (
        <div className="space-y-2 border-t border-warning/25 pt-3">
          <p className="text-sm font-medium">{t('servers.result.missingList')}</p>
          <ul className="flex flex-wrap gap-1.5" data-testid="missing-privileges">
            {missing.map((p) => (
              <li key={p}>
                <code className="rounded border border-warning/30 bg-warning/10 px-1.5 py-0.5 font-mono text-xs">
                  {p}
                </code>
              </li>
            ))}
          </ul>
          <p className="text-sm text-muted-foreground">{t('servers.result.missingHint')}</p>
        </div>
      ) : null}
    </div>
  );
}
