import { randomUUID } from 'node:crypto';
import type { Notification, NotificationKind, NotificationPage } from '@uni-manager/contracts';
import { and, count, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { notifications, type NotificationRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';

/** Writes a notification in the caller's transaction, beside the change it tells of. */
export async function notify(
  tx: Executor,
  userId: string,
  kind: NotificationKind,
  data: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await tx.insert(notifications).values({ id: randomUUID(), userId, kind, data, createdAt: now });
}

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    data: r.data,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt?.toISOString() ?? null,
  };
}

/** A user's own notifications: every query is scoped to them. */
export function createNotificationsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function unread(userId: string): Promise<number> {
    const [r] = await db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    return r?.n ?? 0;
  }

  return {
    unread,

    async list(userId: string, q: { page: number; pageSize: number; unread: boolean }): Promise<NotificationPage> {
      const where: SQL[] = [eq(notifications.userId, userId)];
      if (q.unread) where.push(isNull(notifications.readAt));
      const [rows, [total], n] = await Promise.all([
        db
          .select()
          .from(notifications)
          .where(and(...where))
          .orderBy(desc(notifications.createdAt), desc(notifications.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db
          .select({ n: count() })
          .from(notifications)
          .where(and(...where)),
        unread(userId),
      ]);
      return { items: rows.map(toNotification), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize, unread: n };
    },

    /** Marks some (only the user's own: another user's ids change nothing) or all as read. */
    async markRead(userId: string, body: { ids?: string[]; all?: boolean }): Promise<{ unread: number }> {
      const mine = and(eq(notifications.userId, userId), isNull(notifications.readAt));
      await db
        .update(notifications)
        .set({ readAt: clock.now() })
        .where(body.all ? mine : and(mine, inArray(notifications.id, body.ids ?? [])));
      return { unread: await unread(userId) };
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
