'use client';

import type { Session } from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Laptop, MonitorSmartphone, Smartphone } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { deviceLabel } from '@/components/audit/device-label';
import { RelativeTime } from '@/components/audit/event-time';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { fetchMySessions, revokeMySession } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { describeUserAgent } from '@/lib/user-agent';

function DeviceIcon({ userAgent }: { userAgent: string | null }) {
  const { mobile, browser } = describeUserAgent(userAgent);
  const Icon = !browser ? MonitorSmartphone : mobile ? Smartphone : Laptop;
  return <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden />;
}

export function SessionsCard() {
  const { t, format } = useI18n();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Session | null>(null);
  const query = useQuery({ queryKey: queryKeys.mySessions, queryFn: ({ signal }) => fetchMySessions(signal) });
  const revoke = useMutation({
    mutationFn: (session: Session) => revokeMySession(session.id),
    onSuccess: () => {
      toast.success(t('account.sessions.revoked'));
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  // The current session first, then the most recently used.
  const sessions = [...(query.data ?? [])].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt),
  );

  return (
    <Card aria-labelledby="sessions-title" id="sessions" className="scroll-mt-20">
      <CardHeader>
        <CardTitle id="sessions-title">{t('account.sessions.title')}</CardTitle>
        <CardDescription>{t('account.sessions.description')}</CardDescription>
      </CardHeader>
      <CardContent className="px-0 pb-2 sm:px-0">
        {query.isPending ? (
          <div className="space-y-3 px-5 sm:px-6" aria-hidden>
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : sessions.length === 0 ? (
          <EmptyState icon={MonitorSmartphone} title={t('account.sessions.empty')} />
        ) : (
          <Table data-testid="sessions-table">
            <TableHeader>
              <TableRow>
                <TableHead>{t('account.sessions.device')}</TableHead>
                <TableHead>{t('account.sessions.ip')}</TableHead>
                <TableHead className="hidden md:table-cell">{t('account.sessions.created')}</TableHead>
                <TableHead>{t('account.sessions.lastUsed')}</TableHead>
                <TableHead className="hidden lg:table-cell">{t('account.sessions.expires')}</TableHead>
                <TableHead>
                  <span className="sr-only">{t('common.actions')}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.map((session) => {
                const device = deviceLabel(session.userAgent, t);
                return (
                  <TableRow key={session.id} data-current={session.current || undefined}>
                    <TableCell>
                      <div className="flex items-center gap-2.5">
                        <DeviceIcon userAgent={session.userAgent} />
                        <span className="font-medium" title={session.userAgent ?? undefined}>
                          {device}
                        </span>
                        {session.current ? (
                          <Badge tone="primary" data-testid="this-device">
                            {t('account.sessions.thisDevice')}
                          </Badge>
                        ) : null}
                      </div>
                    </TableCell>
                    <TableCell className="font-mono text-xs text-muted-foreground">
                      {session.ip ?? t('common.none')}
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
                      {format.dateTime(session.createdAt)}
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-muted-foreground">
                      <RelativeTime iso={session.lastUsedAt} />
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
                      {format.dateTime(session.expiresAt)}
                    </TableCell>
                    <TableCell className="text-right">
                      {/* This device signs out with "Log out"; revoking it here would cut the branch we sit on. */}
                      {session.current ? null : (
                        <Button
                          variant="outline"
                          size="sm"
                          onClick={() => setPending(session)}
                          aria-label={t('account.sessions.revokeLabel', { device })}
                        >
                          {t('account.sessions.revoke')}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <AlertDialog open={pending !== null} onOpenChange={(open) => !open && !revoke.isPending && setPending(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{t('account.sessions.revokeTitle')}</AlertDialogTitle>
            <AlertDialogDescription>
              {t('account.sessions.revokeDescription', {
                device: pending ? `${deviceLabel(pending.userAgent, t)}${pending.ip ? ` (${pending.ip})` : ''}` : '',
              })}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel asChild>
              <Button variant="outline" disabled={revoke.isPending}>
                {t('common.cancel')}
              </Button>
            </AlertDialogCancel>
            <Button
              variant="destructive"
              pending={revoke.isPending}
              onClick={() => pending && revoke.mutate(pending)}
              data-testid="confirm-revoke"
            >
              {t('account.sessions.revokeConfirm')}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}
