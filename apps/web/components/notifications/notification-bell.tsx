'use client';

import type { Notification } from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell, BellOff, CheckCheck } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Skeleton } from '@/components/ui/skeleton';
import { fetchNotifications, fetchUnreadCount, markNotificationsRead } from '@/lib/api/notifications';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useFallbackPoll } from '@/lib/live/live-provider';
import { cn } from '@/lib/utils';
import { useNotificationText, type NotificationTone } from './notification-text';

/** As often as the balance: most notifications are about it. */
const UNREAD_REFRESH_MS = 30_000;
const RECENT = 10;

const toneIcon: Record<NotificationTone, string> = {
  success: 'bg-success/12 text-success! border-success/25',
  warning: 'bg-warning/12 text-warning! border-warning/30',
  destructive: 'bg-destructive/12 text-destructive! border-destructive/30',
  primary: 'bg-primary/12 text-primary! border-primary/25',
};

function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification, href: string) => void }) {
  const { t, format } = useI18n();
  const text = useNotificationText();
  const view = text(n);
  const Icon = view.icon;
  const unread = n.readAt === null;
  return (
    <DropdownMenuItem
      onSelect={() => onOpen(n, view.href)}
      className="items-start gap-3 px-3 py-2.5"
      data-testid="notification-item"
      data-kind={n.kind}
      data-unread={unread}
    >
      <span
        className={cn(
          'mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border [&_svg]:size-3.5!',
          toneIcon[view.tone],
        )}
        aria-hidden
      >
        <Icon />
      </span>
      <span className="min-w-0 flex-1 space-y-0.5">
        <span className={cn('block text-sm leading-snug', unread ? 'font-semibold' : 'text-foreground/90')}>
          {view.title}
        </span>
        {view.body ? <span className="block text-xs leading-snug text-muted-foreground">{view.body}</span> : null}
        <time
          dateTime={n.createdAt}
          className="block text-[0.6875rem] text-muted-foreground"
          title={format.dateTime(n.createdAt)}
        >
          {format.relative(n.createdAt)}
        </time>
      </span>
      {unread ? (
        <span className="mt-1.5 size-2 shrink-0 rounded-full bg-primary">
          <span className="sr-only">{t('notifications.unread')}</span>
        </span>
      ) : null}
    </DropdownMenuItem>
  );
}

/**
 * The bell in the top bar: the unread count, polled, and the latest
 * notifications when opened. Opening one marks it read and goes where it is
 * about; "mark all as read" clears the count.
 */
export function NotificationBell() {
  const { t, format } = useI18n();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const poll = useFallbackPoll();
  const unread = useQuery({
    queryKey: queryKeys.unreadNotifications,
    queryFn: ({ signal }) => fetchUnreadCount(signal),
    refetchInterval: poll(UNREAD_REFRESH_MS),
  });
  const list = useQuery({
    queryKey: queryKeys.notificationList(1, RECENT),
    queryFn: ({ signal }) => fetchNotifications({ page: 1, pageSize: RECENT }, signal),
    enabled: open,
    staleTime: 0,
  });
  const mark = useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: (count) => {
      queryClient.setQueryData(queryKeys.unreadNotifications, count);
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.notifications, 'list'] });
    },
  });

  // Something new arrived (credits granted, the balance running low): what the pages show changed with it.
  const count = unread.data ?? 0;
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (unread.data === undefined) return;
    if (seen.current !== undefined && unread.data > seen.current) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.notifications, 'list'] });
    }
    seen.current = unread.data;
  }, [unread.data, queryClient]);

  function openOne(n: Notification, href: string) {
    if (n.readAt === null) mark.mutate({ ids: [n.id] });
    router.push(href);
  }

  const items = list.data?.items;
  const shown = count > 99 ? '99+' : format.number(count);

  return (
    <DropdownMenu open={open} onOpenChange={setOpen}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={count > 0 ? t('notifications.bellUnread', { count: shown }) : t('notifications.bell')}
          data-testid="notification-bell"
          data-unread={count}
        >
          <Bell aria-hidden />
          {count > 0 ? (
            <span
              aria-hidden
              className="absolute right-0.5 top-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-destructive px-1 text-[0.625rem] font-semibold leading-none text-destructive-foreground tabular-nums"
              data-testid="notification-count"
            >
              {shown}
            </span>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-[min(24rem,calc(100vw-1rem))] p-0" data-testid="notification-menu">
        <div className="flex items-center justify-between gap-2 px-3 py-2">
          <DropdownMenuLabel className="px-0 text-sm font-semibold text-foreground">
            {t('common.notifications')}
          </DropdownMenuLabel>
          {count > 0 ? (
            <DropdownMenuItem
              onSelect={(e) => {
                // Stays open: the reader sees the items turn read.
                e.preventDefault();
                mark.mutate({ all: true });
              }}
              className="px-2 py-1 text-xs font-medium text-primary focus:text-primary [&_svg]:text-primary!"
              data-testid="notifications-read-all"
            >
              <CheckCheck className="size-3.5!" aria-hidden />
              {t('notifications.markAllRead')}
            </DropdownMenuItem>
          ) : null}
        </div>
        <DropdownMenuSeparator className="mx-0 my-0" />
        <div className="max-h-[min(28rem,70dvh)] overflow-y-auto p-1">
          {items === undefined ? (
            list.isError ? (
              <p className="px-3 py-6 text-center text-sm text-muted-foreground">{t('common.loadFailed')}</p>
            ) : (
              <div className="space-y-3 p-3" aria-busy>
                {Array.from({ length: 3 }, (_, i) => (
                  <div key={i} className="flex gap-3">
                    <Skeleton className="size-7 rounded-full" />
                    <div className="flex-1 space-y-1.5">
                      <Skeleton className="h-3.5 w-3/4" />
                      <Skeleton className="h-3 w-1/2" />
                    </div>
                  </div>
                ))}
              </div>
            )
          ) : items.length === 0 ? (
            <div className="flex flex-col items-center gap-2 px-6 py-8 text-center">
              <BellOff className="size-5 text-muted-foreground" aria-hidden />
              <p className="text-sm text-muted-foreground">{t('notifications.empty')}</p>
            </div>
          ) : (
            items.map((n) => <NotificationItem key={n.id} n={n} onOpen={openOne} />)
          )}
        </div>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
