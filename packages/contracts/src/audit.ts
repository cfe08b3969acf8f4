import { z } from 'zod';
import { isoDateTime, pageOf, paginationQuerySchema } from './common.js';

/**
 * Every action name the audit log may hold. Kept as one list so the web can
 * translate and filter them, and so a typo in the API fails to compile.
 */
export const auditActions = [
  'auth.register',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.refresh_reuse',
  'auth.password_changed',
  'auth.session_revoked',
  'user.profile_updated',
  'user.created',
  'user.role_changed',
  'user.suspended',
  'user.unsuspended',
  'user.banned',
  'user.unbanned',
  'audit.purged',
  'server.created',
  'server.updated',
  'server.deleted',
  'server.health_changed',
  'keys.rotated',
  'template.created',
  'template.updated',
  'template.deleted',
  'vm.create_requested',
  'vm.operation_requested',
  'vm.operation_failed',
  'vm.lost',
  'vm.found',
  'vm.deleted',
  'vm.console_opened',
  'billing.credits_granted',
  'billing.credits_deducted',
  'billing.batch_granted',
  'billing.transfer_reversed',
  'billing.profile_changed',
  'billing.cycle',
  'billing.low_balance',
  'billing.credits_exhausted',
  'billing.auto_shutdown',
  'billing.start_refused',
  'billing.payment_received',
  'billing.payment_refunded',
  'billing.package_changed',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Actions a user sees on their own account page. */
export const securityActions: readonly AuditAction[] = [
  'auth.register',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.refresh_reuse',
  'auth.password_changed',
  'auth.session_revoked',
  'user.role_changed',
  'user.suspended',
  'user.unsuspended',
  'user.banned',
  'user.unbanned',
];

export const auditEventSchema = z
  .object({
    id: z.string().describe('Monotonic sequence number, as a string (bigint)'),
    occurredAt: isoDateTime,
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    action: auditActionSchema,
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const listAuditQuerySchema = paginationQuerySchema.extend({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Matches actor email, target id, IP, or the email of the user an event is about'),
  action: auditActionSchema.optional(),
  actorId: z.uuid().optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;
export type ListAuditQueryInput = z.input<typeof listAuditQuerySchema>;

export const auditPageSchema = pageOf(auditEventSchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

export const myEventsQuerySchema = paginationQuerySchema;
