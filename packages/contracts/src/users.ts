import { z } from 'zod';
import { accountStateSchema, roleSchema, userSchema } from './auth.js';
import { isoDateTime, pageOf, paginationQuerySchema, sortOrderSchema } from './common.js';

export const adminUserSchema = userSchema
  .extend({
    stateReason: z.string().nullable(),
    stateChangedAt: isoDateTime.nullable(),
    updatedAt: isoDateTime,
    activeSessions: z.number().int().nonnegative(),
    balance: z.number().int().describe('Posted balance in minor units (negative: in debt)'),
    creditLimit: z.number().int().nonnegative(),
    billingExempt: z.boolean(),
    vmCount: z.number().int().nonnegative().describe('VMs that exist (not deleted or failed)'),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof adminUserSchema>;

export const userSortFields = [
  'createdAt',
  'email',
  'displayName',
  'lastLoginAt',
  'role',
  'state',
  'balance',
  'vmCount',
] as const;

export const listUsersQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(200).optional().describe('Matches email or display name (case-insensitive substring)'),
  role: roleSchema.optional(),
  state: accountStateSchema.optional(),
  sort: z.enum(userSortFields).default('createdAt'),
  order: sortOrderSchema.default('desc'),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;
export type ListUsersQueryInput = z.input<typeof listUsersQuerySchema>;

export const userPageSchema = pageOf(adminUserSchema);
export type UserPage = z.infer<typeof userPageSchema>;

export const changeRoleBodySchema = z.object({ role: roleSchema });

export const stateReasonBodySchema = z.object({
  reason: z.string().trim().min(3, 'Give a reason of at least 3 characters').max(500, 'At most 500 characters'),
});
