import {
  Coins,
  Layers,
  LayoutDashboard,
  Monitor,
  MonitorPlay,
  ReceiptText,
  ScrollText,
  Server,
  UserRound,
  Users,
  type LucideIcon,
} from 'lucide-react';
import type { MessageKey } from '@/lib/i18n/translate';

export interface NavItem {
  href: string;
  label: MessageKey;
  icon: LucideIcon;
}

export const mainNav: NavItem[] = [
  { href: '/dashboard', label: 'nav.dashboard', icon: LayoutDashboard },
  { href: '/vms', label: 'nav.vms', icon: MonitorPlay },
  { href: '/templates', label: 'nav.templates', icon: Layers },
  { href: '/credits', label: 'nav.credits', icon: Coins },
  { href: '/account', label: 'nav.account', icon: UserRound },
];

export const adminNav: NavItem[] = [
  { href: '/admin/users', label: 'nav.users', icon: Users },
  { href: '/admin/servers', label: 'nav.servers', icon: Server },
  { href: '/admin/templates', label: 'nav.adminTemplates', icon: Layers },
  { href: '/admin/vms', label: 'nav.allVms', icon: Monitor },
  { href: '/admin/billing', label: 'adminBilling.nav', icon: ReceiptText },
  { href: '/admin/audit', label: 'nav.audit', icon: ScrollText },
];
