import { notificationPageSchema, paths, unreadCountSchema, type NotificationPage } from '@uni-manager/contracts';
import { apiRequest } from './http';

/** The caller's notifications, newest first, with how many are unread in all. */
export function fetchNotifications(
  page: { page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<NotificationPage> {
  return apiRequest(paths.myNotifications, { query: { ...page }, schema: notificationPageSchema, signal });
}

export async function fetchUnreadCount(signal?: AbortSignal): Promise<number> {
  const { unread } = await apiRequest(paths.myNotificationsUnread, { schema: unreadCountSchema, signal });
  return unread;
}

/** Marks the given notifications, or all of them, as read; answers how many are left unread. */
export async function markNotificationsRead(target: { ids: string[] } | { all: true }): Promise<number> {
  const { unread } = await apiRequest(paths.myNotificationsRead, {
    method: 'POST',
    body: target,
    schema: unreadCountSchema,
  });
  return unread;
}
