'use client';

import { MAX_ADJUSTMENT, type AdminUser, type Balance } from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Gift, MinusCircle, ShieldCheck, TriangleAlert, Wallet } from 'lucide-react';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { toast } from 'sonner';
import { AlertDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmContent } from '@/components/ui/confirm-dialog';
import { Label } from '@/components/ui/label';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { fetchUserBalance, updateUserBilling } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { creditsInput, decimalSeparator } from '@/lib/credits';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { AdjustCreditsDialog, type AdjustKind } from './adjust-credits-dialog';
import { describeBillingError } from './billing-errors';
import { CreditsField, readCredits } from './credits-field';
import { useCredits } from './money';

type ProfileChange = { kind: 'creditLimit'; value: number } | { kind: 'billingExempt'; value: boolean };

function Figure({
  label,
  children,
  hint,
  className,
}: {
  label: string;
  children: ReactNode;
  hint?: string;
  className?: string;
}) {
  return (
    <div className={cn('min-w-0 space-y-1', className)}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium tabular-nums">{children}</dd>
      {hint ? <dd className="text-xs text-muted-foreground">{hint}</dd> : null}
    </div>
  );
}

/** Where the user's money stands, what an admin may change about it, and the grant and deduct buttons. */
export function UserBalanceCard({ user, className }: { user: AdminUser; className?: string }) {
  const { t } = useI18n();
  const [adjust, setAdjust] = useState<AdjustKind | null>(null);
  const balance = useQuery({
    queryKey: queryKeys.adminUserBalance(user.id),
    queryFn: ({ signal }) => fetchUserBalance(user.id, signal),
    // Unbilled usage grows by the minute while VMs run.
    refetchInterval: 60_000,
  });

  return (
    <Card className={className} aria-labelledby="user-balance-title" data-testid="user-balance">
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1.5">
          <CardTitle id="user-balance-title" className="flex items-center gap-2">
            <Wallet className="size-4 text-muted-foreground" aria-hidden />
            {t('adminBilling.user.title')}
          </CardTitle>
          <CardDescription>{t('adminBilling.user.description')}</CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => setAdjust('grant')} data-testid="grant-credits">
            <Gift aria-hidden />
            {t('adminBilling.user.grant')}
          </Button>
          <Button
            size="sm"
            variant="outline"
            onClick={() => setAdjust('deduction')}
            data-testid="deduct-credits"
            className="border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive"
          >
            <MinusCircle aria-hidden />
            {t('adminBilling.user.deduct')}
          </Button>
        </div>
      </CardHeader>
      <CardContent>
        {balance.isPending ? (
          <div className="space-y-4" aria-busy>
            <Skeleton className="h-9 w-48" />
            <Skeleton className="h-16 w-full" />
          </div>
        ) : balance.isError ? (
          <QueryError error={balance.error} onRetry={() => void balance.refetch()} />
        ) : (
          <BalanceBody user={user} balance={balance.data} />
        )}
      </CardContent>
      <AdjustCreditsDialog user={user} balance={balance.data} kind={adjust} onClose={() => setAdjust(null)} />
    </Card>
  );
}

function BalanceBody({ user, balance }: { user: AdminUser; balance: Balance }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const debt = balance.live < 0;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <div>
          <p className="text-xs font-medium text-muted-foreground">{t('adminBilling.user.live')}</p>
          <p
            className={cn('text-3xl font-semibold tracking-tight tabular-nums', debt && 'text-destructive')}
            data-testid="balance-live"
            data-value={balance.live}
          >
            {credits.withUnit(balance.live)}
          </p>
        </div>
        <div className="flex flex-wrap gap-1.5 pb-1.5">
          {balance.billingExempt ? (
            <Badge tone="info" data-testid="exempt-badge">
              <ShieldCheck aria-hidden />
              {t('adminBilling.user.exempt')}
            </Badge>
          ) : null}
          {balance.exhausted ? (
            <Badge tone="destructive">
              <TriangleAlert aria-hidden />
              {t('adminBilling.user.exhausted')}
            </Badge>
          ) : balance.low ? (
            <Badge tone="warning">
              <TriangleAlert aria-hidden />
              {t('adminBilling.user.low')}
            </Badge>
          ) : null}
          {debt ? <Badge tone="destructive">{t('adminBilling.user.inDebt')}</Badge> : null}
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-5 lg:grid-cols-5">
        <Figure label={t('adminBilling.user.posted')} hint={t('adminBilling.user.postedHint')}>
          <span data-testid="balance-posted">{credits.withUnit(balance.posted)}</span>
        </Figure>
        <Figure label={t('adminBilling.user.unbilled')} hint={t('adminBilling.user.unbilledHint')}>
          {credits.withUnit(balance.unbilled)}
        </Figure>
        <Figure label={t('adminBilling.user.burnRate')}>{credits.perHour(balance.burnRatePerHour)}</Figure>
        <Figure label={t('adminBilling.user.timeLeft')}>
          {balance.hoursLeft === null ? t('common.none') : format.duration(balance.hoursLeft * 3600)}
        </Figure>
        <Figure label={t('adminBilling.user.spentThisMonth')}>{credits.withUnit(balance.spentThisMonth)}</Figure>
      </dl>
      {/* Keyed on the saved limit, so a change made elsewhere resets the box. */}
      <ProfileSettings key={balance.creditLimit} user={user} balance={balance} />
    </div>
  );
}

function ProfileSettings({ user, balance }: { user: AdminUser; balance: Balance }) {
  const { t, locale } = useI18n();
  const credits = useCredits();
  const switchId = useId();
  const [pending, setPending] = useState<ProfileChange | null>(null);
  const [limitDraft, setLimitDraft] = useState(() => creditsInput(balance.creditLimit, decimalSeparator(locale)));
  const [limitError, setLimitError] = useState<string>();
  const limit = readCredits(limitDraft, t, { min: 0, max: MAX_ADJUSTMENT });
  const changed = limit.ok && limit.minor !== balance.creditLimit;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!limit.ok) {
      setLimitError(limit.error);
      return;
    }
    if (limit.minor !== balance.creditLimit) setPending({ kind: 'creditLimit', value: limit.minor });
  }

  return (
    <div className="grid gap-6 border-t pt-5 md:grid-cols-2">
      <form noValidate onSubmit={onSubmit} className="grid gap-2" data-testid="credit-limit-form">
        <CreditsField
          label={t('adminBilling.user.creditLimit')}
          name="creditLimit"
          value={limitDraft}
          onChange={(v) => {
            setLimitDraft(v);
            setLimitError(undefined);
          }}
          error={limitError}
          testId="credit-limit-input"
        />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-[0.8125rem] text-muted-foreground">{t('adminBilling.user.creditLimitHint')}</p>
          <Button type="submit" size="sm" variant="outline" disabled={!changed} data-testid="credit-limit-save">
            {t('adminBilling.user.saveLimit')}
          </Button>
        </div>
      </form>
      <div className="flex items-start justify-between gap-4">
        <div className="space-y-1">
          <Label htmlFor={switchId}>{t('adminBilling.user.exemptLabel')}</Label>
          <p className="text-[0.8125rem] text-muted-foreground">{t('adminBilling.user.exemptHint')}</p>
        </div>
        <Switch
          id={switchId}
          checked={balance.billingExempt}
          onCheckedChange={(value) => setPending({ kind: 'billingExempt', value })}
          data-testid="billing-exempt-switch"
        />
      </div>
      <AlertDialog open={pending !== null} onOpenChange={(open) => !open && setPending(null)}>
        {pending ? (
          <ProfileConfirm
            key={`${pending.kind}:${String(pending.value)}`}
            user={user}
            balance={balance}
            change={pending}
            onClose={() => setPending(null)}
            describeLimit={(minor) => credits.withUnit(minor)}
          />
        ) : null}
      </AlertDialog>
    </div>
  );
}

function ProfileConfirm({
  user,
  balance,
  change,
  onClose,
  describeLimit,
}: {
  user: AdminUser;
  balance: Balance;
  change: ProfileChange;
  onClose: () => void;
  describeLimit: (minor: number) => string;
}) {
  const { t, dict } = useI18n();
  const queryClient = useQueryClient();
  const name = user.displayName || user.email;
  const mutation = useMutation({
    mutationFn: () => updateUserBilling(user.id, { [change.kind]: change.value }),
    meta: { silent: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.adminUserBalance(user.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });

  const copy =
    change.kind === 'creditLimit'
      ? {
          title: t('adminBilling.user.limitConfirm.title', { name }),
          description: t('adminBilling.user.limitConfirm.description', {
            from: describeLimit(balance.creditLimit),
            to: describeLimit(change.value),
          }),
          confirm: t('adminBilling.user.limitConfirm.confirm'),
          done: t('adminBilling.user.limitConfirm.done', { name, limit: describeLimit(change.value) }),
        }
      : change.value
        ? {
            title: t('adminBilling.user.exemptOn.title', { name }),
            description: t('adminBilling.user.exemptOn.description'),
            confirm: t('adminBilling.user.exemptOn.confirm'),
            done: t('adminBilling.user.exemptOn.done', { name }),
          }
        : {
            title: t('adminBilling.user.exemptOff.title', { name }),
            description: t('adminBilling.user.exemptOff.description'),
            confirm: t('adminBilling.user.exemptOff.confirm'),
            done: t('adminBilling.user.exemptOff.done', { name }),
          };

  return (
    <ConfirmContent
      testId="billing-profile-dialog"
      action={change.kind}
      tone={change.kind === 'billingExempt' && change.value ? 'warning' : 'info'}
      icon={change.kind === 'creditLimit' ? <Wallet aria-hidden /> : <ShieldCheck aria-hidden />}
      title={copy.title}
      description={copy.description}
      detail={<p className="text-xs text-muted-foreground">{user.email}</p>}
      pending={mutation.isPending}
      confirmLabel={copy.confirm}
      workingLabel={t('adminBilling.working')}
      confirmTestId="confirm-billing-profile"
      onConfirm={async () => {
        await mutation.mutateAsync();
        toast.success(copy.done);
        onClose();
      }}
      describeError={(err) => describeBillingError(err, t, dict)}
    />
  );
}
