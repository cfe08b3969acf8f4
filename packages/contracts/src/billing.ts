import { z } from 'zod';
import { accountStateSchema, roleSchema } from './auth.js';
import { idSchema, isoDateTime, pageOf, paginationQuerySchema } from './common.js';
import { amountSchema } from './money.js';
import { rateSchema } from './pricing.js';

/** A signed amount in minor units: negative when credits leave the account. */
export const signedAmountSchema = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** The largest single grant or deduction: ten million credits. */
export const MAX_ADJUSTMENT = 10_000_000 * 10_000;
const adjustmentAmountSchema = z
  .number()
  .int('A whole number of minor units')
  .min(1, 'More than zero')
  .max(MAX_ADJUSTMENT, 'At most 10,000,000 credits at once');

export const transferKinds = ['initial', 'grant', 'deduction', 'usage', 'payment', 'refund', 'reversal'] as const;
export const transferKindSchema = z
  .enum(transferKinds)
  .describe(
    'initial: credits every new account gets; grant/deduction: by an administrator; usage: a billing cycle; payment/refund: a top-up and its refund; reversal: undoes another transfer',
  );
export type TransferKind = z.infer<typeof transferKindSchema>;

const reasonSchema = z
  .string()
  .trim()
  .min(3, 'Give a reason of at least 3 characters')
  .max(500, 'At most 500 characters');

/** Configuration the web needs to present money. */
export const billingSettingsSchema = z
  .object({
    unitName: z.string().describe('What credits are called here, e.g. "credits"'),
    minorUnitsPerCredit: z.number().int().positive(),
    cycleMinutes: z.number().int().positive(),
    monthlyCapHours: z.number().int().nonnegative().describe('0: no monthly cap'),
    minBalanceHours: z.number().nonnegative(),
    lowBalanceHours: z.number().nonnegative(),
    autoShutdown: z.boolean(),
    paymentsEnabled: z.boolean(),
  })
  .meta({ id: 'BillingSettings' });
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

/** A user's money at a glance: what the dashboard and the credits page show. */
export const balanceSchema = z
  .object({
    userId: idSchema,
    posted: signedAmountSchema.describe('Balance of the ledger: every charge and grant so far'),
    unbilled: amountSchema.describe('What the VMs have used since their last charge, not yet posted'),
    live: signedAmountSchema.describe('posted − unbilled: what is really left now'),
    creditLimit: amountSchema.describe('How far below zero the balance may go before VMs are shut down'),
    billingExempt: z.boolean(),
    burnRatePerHour: z.number().nonnegative().describe('Minor units per hour at the VMs’ current states'),
    hoursLeft: z
      .number()
      .nonnegative()
      .nullable()
      .describe('Hours until the live balance reaches the credit limit at this burn rate; null when nothing burns'),
    spentThisMonth: amountSchema,
    low: z.boolean().describe('The balance covers less than the low-balance threshold at this burn rate'),
    exhausted: z.boolean().describe('The live balance has reached the credit limit: VMs are being shut down'),
    settings: billingSettingsSchema,
  })
  .meta({ id: 'Balance' });
export type Balance = z.infer<typeof balanceSchema>;

export const transactionSchema = z
  .object({
    id: idSchema,
    kind: transferKindSchema,
    amount: signedAmountSchema.describe('Positive when credits came in, negative when they went out'),
    createdAt: isoDateTime,
    reason: z.string().nullable(),
    vm: z.object({ id: idSchema, name: z.string() }).nullable(),
    periodStart: isoDateTime.nullable().describe('For usage: the start of the time charged'),
    periodEnd: isoDateTime.nullable(),
    reversesId: idSchema.nullable(),
    reversedById: idSchema.nullable(),
    batchId: idSchema.nullable(),
    actorEmail: z.string().nullable().describe('Who made it, for grants, deductions and reversals'),
  })
  .meta({ id: 'Transaction' });
export type Transaction = z.infer<typeof transactionSchema>;

export const listTransactionsQuerySchema = paginationQuerySchema.extend({
  kind: transferKindSchema.optional(),
  vmId: idSchema.optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export type ListTransactionsQuery = z.infer<typeof listTransactionsQuerySchema>;
export type ListTransactionsQueryInput = z.input<typeof listTransactionsQuerySchema>;
export const csvTransactionsQuerySchema = listTransactionsQuerySchema.omit({ page: true, pageSize: true });

export const transactionPageSchema = pageOf(transactionSchema);
export type TransactionPage = z.infer<typeof transactionPageSchema>;

export const spendQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
export const spendSeriesSchema = z
  .object({
    days: z.array(z.object({ date: z.iso.date(), amount: amountSchema })),
    total: amountSchema,
  })
  .meta({ id: 'SpendSeries' });
export type SpendSeries = z.infer<typeof spendSeriesSchema>;

export const vmBillingSchema = z
  .object({
    vmId: idSchema,
    rate: rateSchema,
    currentPerHour: z.number().nonnegative().describe('What it costs per hour in its present state'),
    monthlyCap: z
      .object({ hours: z.number().int().positive(), amount: z.number().nonnegative() })
      .nullable()
      .describe('At most this much in one calendar month (UTC) at its highest rate; null without a cap'),
    costThisMonth: amountSchema,
    costSinceCreation: amountSchema,
    unbilled: amountSchema,
    meteredThrough: isoDateTime,
  })
  .meta({ id: 'VmBilling' });
export type VmBilling = z.infer<typeof vmBillingSchema>;

// ---- Notifications -------------------------------------------------------

export const notificationKinds = [
  'credits_granted',
  'credits_deducted',
  'low_balance',
  'credits_exhausted',
  'auto_shutdown',
  'payment_received',
  'payment_refunded',
] as const;
export const notificationKindSchema = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

export const notificationSchema = z
  .object({
    id: idSchema,
    kind: notificationKindSchema,
    data: z
      .record(z.string(), z.unknown())
      .describe('What the message needs: amounts, VM names, a reason; the web words it in the reader’s language'),
    createdAt: isoDateTime,
    readAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = paginationQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const notificationPageSchema = pageOf(notificationSchema).extend({ unread: z.number().int().nonnegative() });
export type NotificationPage = z.infer<typeof notificationPageSchema>;
export const markNotificationsReadBodySchema = z
  .object({
    ids: z.array(idSchema).max(100).optional(),
    all: z.boolean().optional(),
  })
  .refine((b) => (b.ids?.length ?? 0) > 0 || b.all === true, 'Name the notifications, or set all');
export const unreadCountSchema = z.object({ unread: z.number().int().nonnegative() });

// ---- Administration --------------------------------------------------------

export const adjustCreditsBodySchema = z.object({
  kind: z.enum(['grant', 'deduction']),
  amount: adjustmentAmountSchema.describe('Minor units'),
  reason: reasonSchema,
  idempotencyKey: idSchema
    .optional()
    .describe('The same key twice posts once; the web sends one per dialog, so a double click grants once'),
});
export type AdjustCreditsBody = z.infer<typeof adjustCreditsBodySchema>;

export const billingProfileBodySchema = z
  .object({
    creditLimit: amountSchema.max(MAX_ADJUSTMENT).optional(),
    billingExempt: z.boolean().optional(),
  })
  .refine((b) => b.creditLimit !== undefined || b.billingExempt !== undefined, 'Nothing to change');
export type BillingProfileBody = z.infer<typeof billingProfileBodySchema>;

export const grantTargetSchema = z.union([
  z.object({
    emails: z
      .array(z.string().trim().toLowerCase().max(254))
      .min(1, 'Paste at least one address')
      .max(5000, 'At most 5,000 addresses at once'),
  }),
  z.object({
    filter: z.object({
      role: roleSchema.optional(),
      state: accountStateSchema.optional(),
      q: z.string().trim().max(200).optional().describe('Email or name contains'),
    }),
  }),
]);

export const batchGrantBodySchema = z.object({
  batchId: idSchema.describe('Chosen by the client; sending the same batch again grants nobody twice'),
  amount: adjustmentAmountSchema,
  reason: reasonSchema,
  target: grantTargetSchema,
});
export type BatchGrantBody = z.infer<typeof batchGrantBodySchema>;

export const batchGrantResultSchema = z
  .object({
    batchId: idSchema,
    granted: z.number().int().nonnegative().describe('Users credited by this request'),
    alreadyGranted: z.number().int().nonnegative().describe('Users this batch had credited before'),
    notFound: z.array(z.string()).describe('Pasted addresses with no account'),
    total: amountSchema.describe('Minor units credited by this request'),
  })
  .meta({ id: 'BatchGrantResult' });
export type BatchGrantResult = z.infer<typeof batchGrantResultSchema>;

export const reverseTransferBodySchema = z.object({ reason: reasonSchema });

export const adminTransactionSchema = transactionSchema
  .extend({ user: z.object({ id: idSchema, email: z.string(), displayName: z.string() }).nullable() })
  .meta({ id: 'AdminTransaction' });
export type AdminTransaction = z.infer<typeof adminTransactionSchema>;
export const adminListTransactionsQuerySchema = listTransactionsQuerySchema.extend({ userId: idSchema.optional() });
export type AdminListTransactionsQuery = z.infer<typeof adminListTransactionsQuerySchema>;
export const adminCsvTransactionsQuerySchema = adminListTransactionsQuerySchema.omit({ page: true, pageSize: true });
export const adminTransactionPageSchema = pageOf(adminTransactionSchema);
export type AdminTransactionPage = z.infer<typeof adminTransactionPageSchema>;

export const billingRunSchema = z
  .object({
    id: idSchema,
    periodEnd: isoDateTime.describe('Usage up to this instant was charged'),
    startedAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
    durationMs: z.number().int().nonnegative().nullable(),
    status: z.enum(['succeeded', 'failed']),
    trigger: z.enum(['schedule', 'manual']),
    vms: z.number().int().nonnegative().describe('VMs metered'),
    transfers: z.number().int().nonnegative().describe('Charges posted'),
    amount: amountSchema,
    error: z.string().nullable(),
  })
  .meta({ id: 'BillingRun' });
export type BillingRun = z.infer<typeof billingRunSchema>;
export const billingRunPageSchema = pageOf(billingRunSchema);
export const runBillingBodySchema = z.object({
  at: isoDateTime
    .optional()
    .describe('Charge usage up to this instant (default: now). Future instants need BILLING_ALLOW_FUTURE_RUNS'),
});

export const billingReportQuerySchema = z.object({
  from: isoDateTime.optional().describe('Default: 30 days ago'),
  to: isoDateTime.optional().describe('Default: now'),
});
export type BillingReportQuery = z.infer<typeof billingReportQuerySchema>;

const namedAmount = z.object({ id: idSchema.nullable(), name: z.string(), amount: amountSchema });
export const billingReportSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    totals: z.object({
      usage: amountSchema,
      granted: amountSchema,
      deducted: amountSchema,
      payments: amountSchema,
      refunds: amountSchema,
      outstandingDebt: amountSchema.describe('Sum of the negative balances now'),
    }),
    byDay: z.array(
      z.object({ date: z.iso.date(), usage: amountSchema, granted: amountSchema, payments: amountSchema }),
    ),
    byTemplate: z.array(namedAmount),
    byServer: z.array(namedAmount),
    topConsumers: z.array(
      z.object({ userId: idSchema, email: z.string(), displayName: z.string(), amount: amountSchema }),
    ),
  })
  .meta({ id: 'BillingReport' });
export type BillingReport = z.infer<typeof billingReportSchema>;

export const adminOverviewSchema = z
  .object({
    users: z.object({
      total: z.number().int(),
      active: z.number().int(),
      suspended: z.number().int(),
      banned: z.number().int(),
      admins: z.number().int(),
      inDebt: z.number().int(),
    }),
    vms: z.object({
      total: z.number().int(),
      running: z.number().int(),
      stopped: z.number().int(),
      paused: z.number().int(),
      provisioning: z.number().int(),
      failed: z.number().int(),
      lost: z.number().int(),
    }),
    servers: z.array(
      z.object({
        id: idSchema,
        name: z.string(),
        health: z.string(),
        maintenance: z.boolean(),
        enabled: z.boolean(),
        nodes: z.number().int(),
        cpu: z.number().nullable().describe('Fraction of CPU in use across its nodes'),
        memUsed: z.number().nullable(),
        memTotal: z.number().nullable(),
        vms: z.number().int(),
      }),
    ),
    credits: z.object({ today: amountSchema, thisMonth: amountSchema, burnRatePerHour: z.number().nonnegative() }),
    failedOperations24h: z.number().int(),
    lastBillingRun: billingRunSchema.nullable(),
  })
  .meta({ id: 'AdminOverview' });
export type AdminOverview = z.infer<typeof adminOverviewSchema>;

export const billingVerifyResultSchema = z.object({
  ok: z.boolean(),
  accounts: z.number().int(),
  transfers: z.number().int(),
  violation: z.string().nullable(),
});
export type BillingVerifyResult = z.infer<typeof billingVerifyResultSchema>;

// ---- Payments (ENABLE_PAYMENTS) ------------------------------------------------

export const creditPackageBodySchema = z.object({
  name: z.string().trim().min(1).max(80),
  credits: adjustmentAmountSchema.describe('Minor units of credit the package grants'),
  priceCents: z
    .number()
    .int()
    .min(50, 'At least 50 (Stripe’s smallest charge)')
    .max(100_000_000)
    .describe('What the user pays, in the currency’s smallest unit (cents)'),
  currency: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3}$/, 'A three-letter ISO currency code'),
  active: z.boolean().default(true),
});
export type CreditPackageBody = z.infer<typeof creditPackageBodySchema>;

export const creditPackageSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    credits: amountSchema,
    priceCents: z.number().int(),
    currency: z.string(),
    active: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'CreditPackage' });
export type CreditPackage = z.infer<typeof creditPackageSchema>;
export const creditPackageListSchema = z.object({ items: z.array(creditPackageSchema) });

export const checkoutBodySchema = z.object({ packageId: idSchema });
export const checkoutSessionSchema = z
  .object({ url: z.string().describe('Stripe Checkout: send the browser there'), sessionId: z.string() })
  .meta({ id: 'CheckoutSession' });
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;
