import type { AuditAction } from '@uni-manager/contracts';
import {
  Activity,
  Ban,
  CirclePause,
  CirclePlay,
  Eraser,
  KeyRound,
  LogIn,
  LogOut,
  MonitorX,
  ShieldAlert,
  ServerCog,
  ServerOff,
  Server as ServerIcon,
  ShieldPlus,
  TriangleAlert,
  Undo2,
  UserPen,
  UserPlus,
  type LucideIcon,
} from 'lucide-react';

export type ActionTone = 'neutral' | 'primary' | 'success' | 'warning' | 'destructive' | 'info';

/** How each audit action looks: worrying events stand out, routine ones stay quiet. */
export const actionStyle: Record<AuditAction, { icon: LucideIcon; tone: ActionTone }> = {
  'auth.register': { icon: UserPlus, tone: 'info' },
  'auth.login': { icon: LogIn, tone: 'success' },
  'auth.login_failed': { icon: TriangleAlert, tone: 'warning' },
  'auth.logout': { icon: LogOut, tone: 'neutral' },
  'auth.refresh_reuse': { icon: ShieldAlert, tone: 'destructive' },
  'auth.password_changed': { icon: KeyRound, tone: 'info' },
  'auth.session_revoked': { icon: MonitorX, tone: 'neutral' },
  'user.profile_updated': { icon: UserPen, tone: 'neutral' },
  'user.created': { icon: UserPlus, tone: 'info' },
  'user.role_changed': { icon: ShieldPlus, tone: 'primary' },
  'user.suspended': { icon: CirclePause, tone: 'warning' },
  'user.unsuspended': { icon: CirclePlay, tone: 'success' },
  'user.banned': { icon: Ban, tone: 'destructive' },
  'user.unbanned': { icon: Undo2, tone: 'success' },
  'audit.purged': { icon: Eraser, tone: 'neutral' },
  'server.created': { icon: ServerIcon, tone: 'success' },
  'server.updated': { icon: ServerCog, tone: 'neutral' },
  'server.deleted': { icon: ServerOff, tone: 'destructive' },
  'server.health_changed': { icon: Activity, tone: 'warning' },
  'keys.rotated': { icon: KeyRound, tone: 'neutral' },
};

export const toneText: Record<ActionTone, string> = {
  neutral: 'text-muted-foreground',
  primary: 'text-primary',
  success: 'text-success',
  warning: 'text-warning',
  destructive: 'text-destructive',
  info: 'text-info',
};

export const toneSurface: Record<ActionTone, string> = {
  neutral: 'bg-muted border-border',
  primary: 'bg-primary/10 border-primary/25',
  success: 'bg-success/10 border-success/25',
  warning: 'bg-warning/10 border-warning/30',
  destructive: 'bg-destructive/10 border-destructive/30',
  info: 'bg-info/10 border-info/25',
};
