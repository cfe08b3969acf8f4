'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { useCredits } from '@/components/admin-billing/money';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/skeleton';
import { SortableHead } from '@/components/ui/sortable-head';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { UserActionKind } from '@/lib/api/admin-users';
import { useAuth } from '@/lib/auth/use-auth';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { RoleBadge, StateBadge } from './status-badges';
import { UserActionsMenu } from './user-actions-menu';
import type { SortOrder, UserSortField } from './users-search';

interface UsersTableProps {
  users: AdminUser[] | undefined;
  sort: UserSortField;
  order: SortOrder;
  onSort: (field: UserSortField) => void;
  onAction: (user: AdminUser, kind: UserActionKind) => void;
  stale?: boolean;
}

// Which columns give way on narrow screens; what they held moves under the email instead.
const hideRole = 'hidden sm:table-cell';
const hideName = 'hidden md:table-cell';
const hideDates = 'hidden lg:table-cell';
const hideBalance = 'hidden sm:table-cell';
const hideVms = 'hidden md:table-cell';

export function UsersTable({ users, sort, order, onSort, onAction, stale }: UsersTableProps) {
  const { t, dict, format } = useI18n();
  const credits = useCredits();
  const selfId = useAuth().user?.id;
  // The billing columns are labelled from the billing dictionary, the others from the list's own.
  const labelOf = (field: UserSortField) =>
    field === 'balance'
      ? t('adminBilling.users.balance')
      : field === 'vmCount'
        ? t('adminBilling.users.vmCount')
        : t(`users.columns.${field}`);
  const head = (field: UserSortField, className?: string) => (
    <SortableHead
      field={field}
      label={labelOf(field)}
      sort={sort}
      order={order}
      onSort={onSort}
      className={className}
    />
  );

  return (
    <Table data-testid="users-table" aria-busy={stale || users === undefined}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {head('email')}
          {head('displayName', hideName)}
          {head('role', hideRole)}
          {head('state')}
          {head('balance', cn(hideBalance, 'text-right'))}
          {head('vmCount', cn(hideVms, 'text-right'))}
          {head('createdAt', hideDates)}
          {head('lastLoginAt', hideDates)}
          <TableHead className="w-12">
            <span className="sr-only">{t('common.actions')}</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody className={cn(stale && 'opacity-60 transition-opacity')}>
        {users === undefined
          ? Array.from({ length: 6 }, (_, i) => (
              <TableRow key={i} aria-hidden>
                <TableCell>
                  <Skeleton className="h-4 w-44" />
                </TableCell>
                <TableCell className={hideName}>
                  <Skeleton className="h-4 w-28" />
                </TableCell>
                <TableCell className={hideRole}>
                  <Skeleton className="h-5 w-20 rounded-full" />
                </TableCell>
                <TableCell>
                  <Skeleton className="h-5 w-16 rounded-full" />
                </TableCell>
                <TableCell className={hideBalance}>
                  <Skeleton className="ml-auto h-4 w-16" />
                </TableCell>
                <TableCell className={hideVms}>
                  <Skeleton className="ml-auto h-4 w-6" />
                </TableCell>
                <TableCell className={hideDates}>
                  <Skeleton className="h-4 w-24" />
                </TableCell>
                <TableCell className={hideDates}>
                  <Skeleton className="h-4 w-24" />
                </TableCell>
                <TableCell />
              </TableRow>
            ))
          : users.map((user) => (
              <TableRow key={user.id} data-testid="user-row" data-user-id={user.id} data-email={user.email}>
                <TableCell className="max-w-[11rem] sm:max-w-64">
                  <div className="flex min-w-0 items-center gap-2">
                    <Link
                      href={`/admin/users/${user.id}`}
                      className="truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                    >
                      {user.email}
                    </Link>
                    {user.id === selfId ? <Badge tone="outline">{t('common.you')}</Badge> : null}
                  </div>
                  {/*
                    What the hidden columns held, for narrow screens. Drawn from data attributes by CSS
                    so the text exists once in the DOM: screen readers and tests find it in its own column.
                  */}
                  <p aria-hidden className="truncate text-xs text-muted-foreground md:hidden">
                    <span data-text={user.displayName} className="before:content-[attr(data-text)]" />
                    {user.role === 'admin' ? (
                      <span
                        data-text={` · ${dict.roles.admin}`}
                        className="text-primary before:content-[attr(data-text)] sm:hidden"
                      />
                    ) : null}
                  </p>
                  {/* The balance on a line of its own, so a debt is never cut off by the ellipsis. */}
                  <p
                    aria-hidden
                    data-text={t('adminBilling.users.balanceLine', { amount: credits.amount(user.balance) })}
                    className={cn(
                      'text-xs tabular-nums text-muted-foreground before:content-[attr(data-text)] sm:hidden',
                      user.balance < 0 && 'font-semibold text-destructive',
                    )}
                  />
                </TableCell>
                <TableCell className={cn(hideName, 'max-w-56 truncate')}>{user.displayName}</TableCell>
                <TableCell className={hideRole}>
                  <RoleBadge role={user.role} />
                </TableCell>
                <TableCell>
                  <StateBadge state={user.state} />
                </TableCell>
                <TableCell
                  className={cn(
                    hideBalance,
                    'whitespace-nowrap text-right tabular-nums',
                    user.balance < 0 && 'font-semibold text-destructive',
                  )}
                  data-testid="user-balance"
                  data-value={user.balance}
                >
                  {user.balance < 0 ? (
                    <span className="inline-flex items-center gap-1">
                      <TriangleAlert className="size-3.5" aria-hidden />
                      <span className="sr-only">{t('adminBilling.users.inDebt')}</span>
                      {credits.amount(user.balance)}
                    </span>
                  ) : (
                    credits.amount(user.balance)
                  )}
                  {user.billingExempt ? (
                    <span className="block text-xs font-normal text-muted-foreground">
                      {t('adminBilling.users.exempt')}
                    </span>
                  ) : null}
                </TableCell>
                <TableCell className={cn(hideVms, 'text-right tabular-nums')}>
                  {user.vmCount > 0 ? (
                    <Link
                      href={`/admin/vms?owner=${user.id}`}
                      className="underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                      aria-label={t('adminBilling.users.vmsOf', { count: user.vmCount, email: user.email })}
                    >
                      {format.number(user.vmCount)}
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">{format.number(0)}</span>
                  )}
                </TableCell>
                {/* The day is what a list needs; the detail page has the time. */}
                <TableCell className={cn(hideDates, 'whitespace-nowrap text-muted-foreground')}>
                  {format.date(user.createdAt)}
                </TableCell>
                <TableCell className={cn(hideDates, 'whitespace-nowrap text-muted-foreground')}>
                  {user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t('common.never')}
                </TableCell>
                <TableCell className="text-right">
                  <UserActionsMenu user={user} onAction={(kind) => onAction(user, kind)} />
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  );
}
