'use client';

import type { CreditPackage } from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleOff, Ellipsis, Package, Pencil, Plus, Power, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { AlertDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmContent } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { deleteCreditPackage, fetchCreditPackages, updateCreditPackage } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { formatPrice } from '@/lib/prices';
import { cn } from '@/lib/utils';
import { describeBillingError } from './billing-errors';
import { useCredits } from './money';
import { PackageFormDialog } from './package-form-dialog';

type PendingChange = { kind: 'deactivate' | 'delete'; pkg: CreditPackage };

const hideCreated = 'hidden md:table-cell';

/** What users can buy with a card: shown only where payments are enabled. */
export function CreditPackagesCard({ className }: { className?: string }) {
  const { t, locale, format } = useI18n();
  const credits = useCredits();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<CreditPackage | null | undefined>(undefined);
  const [pending, setPending] = useState<PendingChange | null>(null);
  const packages = useQuery({
    queryKey: queryKeys.adminCreditPackages,
    queryFn: ({ signal }) => fetchCreditPackages(signal),
  });
  const activate = useMutation({
    mutationFn: (pkg: CreditPackage) => updateCreditPackage(pkg.id, { ...bodyOf(pkg), active: true }),
    onSuccess: (pkg) => {
      toast.success(t('adminBilling.packages.activated', { name: pkg.name }));
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminCreditPackages });
    },
  });
  const items = packages.data;
  const defaultCurrency = items?.[0]?.currency ?? 'eur';

  return (
    <Card className={cn('overflow-hidden', className)} aria-labelledby="packages-title" data-testid="credit-packages">
      <CardHeader className="gap-3 pb-4 sm:flex-row sm:items-start sm:justify-between sm:pb-4">
        <div className="space-y-1.5">
          <CardTitle id="packages-title">{t('adminBilling.packages.title')}</CardTitle>
          <CardDescription>{t('adminBilling.packages.description')}</CardDescription>
        </div>
        <Button size="sm" onClick={() => setEditing(null)} className="self-start" data-testid="package-create">
          <Plus aria-hidden />
          {t('adminBilling.packages.create')}
        </Button>
      </CardHeader>
      <div className="border-t">
        {packages.isError && !items ? (
          <QueryError error={packages.error} onRetry={() => void packages.refetch()} />
        ) : items && items.length === 0 ? (
          <EmptyState
            icon={Package}
            title={t('adminBilling.packages.empty')}
            description={t('adminBilling.packages.emptyHint')}
          />
        ) : (
          <Table aria-label={t('adminBilling.packages.title')} aria-busy={!items}>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>{t('adminBilling.packages.name')}</TableHead>
                <TableHead className="text-right">{t('adminBilling.packages.credits')}</TableHead>
                <TableHead className="text-right">{t('adminBilling.packages.price')}</TableHead>
                <TableHead>{t('adminBilling.packages.status')}</TableHead>
                <TableHead className={hideCreated}>{t('adminBilling.packages.createdAt')}</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">{t('common.actions')}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {!items
                ? Array.from({ length: 3 }, (_, i) => (
                    <TableRow key={i} aria-hidden>
                      <TableCell>
                        <Skeleton className="h-4 w-32" />
                      </TableCell>
                      <TableCell>
                        <Skeleton className="ml-auto h-4 w-16" />
                      </TableCell>
                      <TableCell>
                        <Skeleton className="ml-auto h-4 w-14" />
                      </TableCell>
                      <TableCell>
                        <Skeleton className="h-5 w-16 rounded-full" />
                      </TableCell>
                      <TableCell className={hideCreated}>
                        <Skeleton className="h-4 w-24" />
                      </TableCell>
                      <TableCell />
                    </TableRow>
                  ))
                : items.map((pkg) => (
                    <TableRow key={pkg.id} data-testid="package-row" data-active={pkg.active}>
                      <TableCell
                        className={cn('max-w-56 truncate font-medium', !pkg.active && 'text-muted-foreground')}
                      >
                        {pkg.name}
                      </TableCell>
                      <TableCell className="whitespace-nowrap text-right tabular-nums">
                        {credits.amount(pkg.credits)}
                      </TableCell>
                      <TableCell className="whitespace-nowrap text-right tabular-nums">
                        {formatPrice(pkg.priceCents, pkg.currency, intlLocale[locale])}
                      </TableCell>
                      <TableCell>
                        {pkg.active ? (
                          <Badge tone="success">
                            <CircleCheck aria-hidden />
                            {t('adminBilling.packages.active')}
                          </Badge>
                        ) : (
                          <Badge tone="outline">
                            <CircleOff aria-hidden />
                            {t('adminBilling.packages.inactive')}
                          </Badge>
                        )}
                      </TableCell>
                      <TableCell className={cn(hideCreated, 'whitespace-nowrap text-muted-foreground')}>
                        {format.date(pkg.createdAt)}
                      </TableCell>
                      <TableCell className="text-right">
                        <DropdownMenu modal={false}>
                          <DropdownMenuTrigger asChild>
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              aria-label={t('adminBilling.packages.actionsFor', { name: pkg.name })}
                              data-testid="package-actions"
                            >
                              <Ellipsis aria-hidden />
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent className="w-48">
                            <DropdownMenuItem onSelect={() => setEditing(pkg)} data-testid="package-edit">
                              <Pencil aria-hidden />
                              {t('adminBilling.packages.edit')}
                            </DropdownMenuItem>
                            {pkg.active ? (
                              <DropdownMenuItem
                                onSelect={() => setPending({ kind: 'deactivate', pkg })}
                                data-testid="package-deactivate"
                              >
                                <CircleOff aria-hidden />
                                {t('adminBilling.packages.deactivate')}
                              </DropdownMenuItem>
                            ) : (
                              <DropdownMenuItem onSelect={() => activate.mutate(pkg)} data-testid="package-activate">
                                <Power aria-hidden />
                                {t('adminBilling.packages.activate')}
                              </DropdownMenuItem>
                            )}
                            <DropdownMenuSeparator />
                            <DropdownMenuItem
                              destructive
                              onSelect={() => setPending({ kind: 'delete', pkg })}
                              data-testid="package-delete"
                            >
                              <Trash2 aria-hidden />
                              {t('adminBilling.packages.delete')}
                            </DropdownMenuItem>
                          </DropdownMenuContent>
                        </DropdownMenu>
                      </TableCell>
                    </TableRow>
                  ))}
            </TableBody>
          </Table>
        )}
      </div>
      <PackageFormDialog target={editing} defaultCurrency={defaultCurrency} onClose={() => setEditing(undefined)} />
      <AlertDialog open={pending !== null} onOpenChange={(open) => !open && setPending(null)}>
        {pending ? (
          <PackageChangeConfirm
            key={`${pending.kind}:${pending.pkg.id}`}
            change={pending}
            onClose={() => setPending(null)}
          />
        ) : null}
      </AlertDialog>
    </Card>
  );
}

function bodyOf(pkg: CreditPackage) {
  return {
    name: pkg.name,
    credits: pkg.credits,
    priceCents: pkg.priceCents,
    currency: pkg.currency,
    active: pkg.active,
  };
}

function PackageChangeConfirm({ change, onClose }: { change: PendingChange; onClose: () => void }) {
  const { t, dict } = useI18n();
  const queryClient = useQueryClient();
  const { kind, pkg } = change;
  const mutation = useMutation({
    mutationFn: () =>
      kind === 'delete'
        ? deleteCreditPackage(pkg.id)
        : updateCreditPackage(pkg.id, { ...bodyOf(pkg), active: false }).then(() => undefined),
    meta: { silent: true },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.adminCreditPackages }),
  });
  return (
    <ConfirmContent
      testId="package-confirm-dialog"
      action={kind}
      tone={kind === 'delete' ? 'destructive' : 'warning'}
      icon={kind === 'delete' ? <Trash2 aria-hidden /> : <CircleOff aria-hidden />}
      title={t(`adminBilling.packages.${kind}Confirm.title`, { name: pkg.name })}
      description={t(`adminBilling.packages.${kind}Confirm.description`)}
      pending={mutation.isPending}
      confirmLabel={t(`adminBilling.packages.${kind}Confirm.confirm`)}
      workingLabel={t('adminBilling.working')}
      confirmVariant={kind === 'delete' ? 'destructive' : 'default'}
      confirmTestId="confirm-package-change"
      onConfirm={async () => {
        await mutation.mutateAsync();
        toast.success(t(`adminBilling.packages.${kind}Confirm.done`, { name: pkg.name }));
        onClose();
      }}
      describeError={(err) => describeBillingError(err, t, dict)}
    />
  );
}
