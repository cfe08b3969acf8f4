'use client';

import { BadgeCheck, ShieldQuestion } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Checkbox } from '@/components/ui/checkbox';
import type { PresentedCertificate } from '@/lib/api/servers';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { CopyButton, Fingerprint } from './fingerprint';

/** "O=PVE\nCN=pve1" as X509Certificate gives it → "CN=pve1, O=PVE": the common name, the telling part, first. */
function distinguishedName(dn: string): string {
  const parts = dn.split('\n').filter(Boolean);
  return [...parts.filter((p) => p.startsWith('CN=')), ...parts.filter((p) => !p.startsWith('CN='))].join(', ');
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 space-y-0.5">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="break-words text-sm">{children}</dd>
    </div>
  );
}

interface CertificatePanelProps {
  url: string;
  certificate: PresentedCertificate;
  /** When the certificate was fetched, to say whether it is valid at that moment. */
  fetchedAt: number;
  confirmed: boolean;
  onConfirmedChange: (confirmed: boolean) => void;
  error?: string;
}

/**
 * Trust on first use, made explicit: the admin sees the certificate the
 * server presents and must say they compared its fingerprint with the one
 * Proxmox shows before Uni-Manager pins it.
 */
export function CertificatePanel({
  url,
  certificate,
  fetchedAt,
  confirmed,
  onConfirmedChange,
  error,
}: CertificatePanelProps) {
  const { t, format } = useI18n();
  const checkboxId = useId();
  const errorId = `${checkboxId}-error`;
  const expired = Date.parse(certificate.validTo) < fetchedAt;
  const notYetValid = Date.parse(certificate.validFrom) > fetchedAt;

  return (
    <section
      className="space-y-4 rounded-lg border bg-muted/25 p-4"
      aria-labelledby={`${checkboxId}-title`}
      data-testid="certificate-panel"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`${checkboxId}-title`} className="text-sm font-semibold">
          {t('servers.certificate.title', { host: new URL(url).host })}
        </h3>
        {certificate.selfSigned ? <Badge tone="neutral">{t('servers.certificate.selfSigned')}</Badge> : null}
      </div>

      <div className="space-y-1.5">
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs font-medium text-muted-foreground">{t('servers.certificate.fingerprint')}</p>
          <CopyButton value={certificate.fingerprint256} label={t('servers.certificate.copy')} />
        </div>
        <Fingerprint
          value={certificate.fingerprint256}
          className="rounded-md border bg-background/70 px-3 py-2 text-foreground"
          data-testid="certificate-fingerprint"
        />
      </div>

      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
        <Fact label={t('servers.certificate.subject')}>{distinguishedName(certificate.subject)}</Fact>
        <Fact label={t('servers.certificate.issuer')}>{distinguishedName(certificate.issuer)}</Fact>
        {certificate.subjectAltName ? (
          <Fact label={t('servers.certificate.names')}>{certificate.subjectAltName}</Fact>
        ) : null}
        <Fact label={t('servers.certificate.validity')}>
          {t('servers.certificate.validRange', {
            from: format.date(certificate.validFrom),
            to: format.date(certificate.validTo),
          })}
        </Fact>
      </dl>

      {expired || notYetValid ? (
        <Alert tone="warning">
          {expired ? t('servers.certificate.expired') : t('servers.certificate.notYetValid')}
        </Alert>
      ) : null}

      <Alert tone="info">
        <p className="font-medium">{t('servers.certificate.compareTitle')}</p>
        <p className="mt-0.5 text-muted-foreground">{t('servers.certificate.compare')}</p>
      </Alert>

      <div
        className={cn(
          'flex items-start gap-3 rounded-md border p-3 transition-colors',
          confirmed ? 'border-success/40 bg-success/8' : 'bg-background/60',
          error && !confirmed && 'border-destructive/50',
        )}
      >
        <Checkbox
          id={checkboxId}
          checked={confirmed}
          onCheckedChange={(value) => onConfirmedChange(value === true)}
          aria-invalid={error && !confirmed ? true : undefined}
          aria-describedby={error && !confirmed ? errorId : undefined}
          aria-required
          className="mt-0.5"
          data-testid="confirm-fingerprint"
        />
        <div className="grid gap-1">
          <label htmlFor={checkboxId} className="flex items-center gap-1.5 text-sm font-medium leading-snug">
            {confirmed ? (
              <BadgeCheck className="size-4 text-success" aria-hidden />
            ) : (
              <ShieldQuestion className="size-4 text-muted-foreground" aria-hidden />
            )}
            {t('servers.certificate.confirm')}
          </label>
          {error && !confirmed ? (
            <p id={errorId} className="text-[0.8125rem] font-medium text-destructive">
              {error}
            </p>
          ) : null}
        </div>
      </div>
    </section>
  );
}
