'use client';

import type { Notification, NotificationKind } from '@uni-manager/contracts';
import {
  BatteryLow,
  CircleMinus,
  CreditCard,
  HandCoins,
  PowerOff,
  Undo2,
  WalletMinimal,
  type LucideIcon,
} from 'lucide-react';
import { useMoney } from '@/components/billing/money';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';

export type NotificationTone = 'success' | 'warning' | 'destructive' | 'primary';

export interface NotificationView {
  title: string;
  body?: string;
  icon: LucideIcon;
  tone: NotificationTone;
  /** Where reading more about it makes sense. */
  href: string;
}

const visual: Record<NotificationKind, { icon: LucideIcon; tone: NotificationTone; href: string }> = {
  credits_granted: { icon: HandCoins, tone: 'success', href: '/credits' },
  credits_deducted: { icon: CircleMinus, tone: 'warning', href: '/credits' },
  low_balance: { icon: BatteryLow, tone: 'warning', href: '/credits' },
  credits_exhausted: { icon: WalletMinimal, tone: 'destructive', href: '/credits' },
  auto_shutdown: { icon: PowerOff, tone: 'destructive', href: '/vms' },
  payment_received: { icon: CreditCard, tone: 'success', href: '/credits' },
  payment_refunded: { icon: Undo2, tone: 'warning', href: '/credits' },
};

// The data is whatever the API recorded when it happened: each field is read only if it has the expected type.
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const names = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];

/** Words a notification in the reader's language from the facts it carries (amounts, VM names, a reason). */
export function useNotificationText(): (n: Notification) => NotificationView {
  const { t, format, locale } = useI18n();
  const money = useMoney();
  const unit = money.unit;
  const list = new Intl.ListFormat(intlLocale[locale], { type: 'conjunction' });

  return (n) => {
    const d = n.data;
    const amount = num(d.amount);
    const balance = num(d.balance);
    const reason = str(d.reason);
    const hoursLeft = num(d.hoursLeft);
    const amountText = amount === undefined ? unit : money.withUnit(amount);
    const parts = (...lines: Array<string | undefined | false>) => lines.filter(Boolean).join(' ') || undefined;
    // The balance when it happened: after a grant or a deduction, the new one.
    const balanceLine = (key: 'notifications.balanceAfter' | 'notifications.balanceAt') =>
      balance === undefined ? undefined : t(key, { balance: money.withUnit(balance) });
    const reasonLine = reason ? t('notifications.reason', { reason }) : undefined;

    const words = (): Pick<NotificationView, 'title' | 'body'> => {
      switch (n.kind) {
        case 'credits_granted':
          return {
            title: t('notifications.kinds.credits_granted', { amount: amountText }),
            body: parts(reasonLine, balanceLine('notifications.balanceAfter')),
          };
        case 'credits_deducted':
          return {
            title: t('notifications.kinds.credits_deducted', { amount: amountText }),
            body: parts(reasonLine, balanceLine('notifications.balanceAfter')),
          };
        case 'low_balance':
          return {
            title: t('notifications.kinds.low_balance', { unit }),
            body: parts(
              balanceLine('notifications.balanceAt'),
              hoursLeft !== undefined && t('notifications.lasts', { duration: format.duration(hoursLeft * 3600) }),
            ),
          };
        case 'credits_exhausted':
          return {
            title: t('notifications.kinds.credits_exhausted', { unit }),
            body: t('notifications.exhaustedBody', { unit }),
          };
        case 'auto_shutdown': {
          const vms = names(d.vms);
          return {
            title: t('notifications.kinds.auto_shutdown', { unit }),
            body: vms.length ? t('notifications.shutdownVms', { vms: list.format(vms) }) : undefined,
          };
        }
        case 'payment_received':
          return {
            title: t('notifications.kinds.payment_received', { amount: amountText }),
            body: parts(
              str(d.package) && t('notifications.package', { name: str(d.package)! }),
              balanceLine('notifications.balanceAfter'),
            ),
          };
        case 'payment_refunded':
          return {
            title: t('notifications.kinds.payment_refunded', { amount: amountText }),
            body: parts(reasonLine, balanceLine('notifications.balanceAfter')),
          };
      }
    };
    return { ...visual[n.kind], ...words() };
  };
}
