import {
  adjustCreditsBodySchema,
  adminCsvTransactionsQuerySchema,
  adminListTransactionsQuerySchema,
  adminOverviewSchema,
  adminTransactionPageSchema,
  balanceSchema,
  batchGrantBodySchema,
  batchGrantResultSchema,
  billingProfileBodySchema,
  billingReportQuerySchema,
  billingReportSchema,
  billingRunPageSchema,
  billingRunSchema,
  billingSettingsSchema,
  csvTransactionsQuerySchema,
  idParamsSchema,
  listNotificationsQuerySchema,
  listTransactionsQuerySchema,
  markNotificationsReadBodySchema,
  notificationPageSchema,
  paginationQuerySchema,
  paths,
  reverseTransferBodySchema,
  runBillingBodySchema,
  spendQuerySchema,
  spendSeriesSchema,
  transactionPageSchema,
  transactionSchema,
  unreadCountSchema,
  vmBillingSchema,
} from '@uni-manager/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN, AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { UsersService } from '../users/users.service.js';
import { asUserTransaction, listTransfers, transfersCsv } from './billing.repo.js';
import type { BillingReports } from './billing.report.js';
import type { BillingService } from './billing.service.js';
import type { Db } from '../../db/client.js';

const tags = ['billing'];
const adminTags = ['admin: billing'];
const admin = { access: 'admin' as const };

/** A CSV download: sent as bytes, so no JSON serializer touches it. */
function sendCsv(reply: FastifyReply, name: string, body: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(Buffer.from(body, 'utf8'));
}
const csvResponse = z.string().describe('CSV, one transaction a line, amounts in credits and in minor units');

export function billingRoutes(deps: {
  db: Db;
  billing: BillingService;
  reports: BillingReports;
  notifications: NotificationsService;
  users: Pick<UsersService, 'get'>;
}) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { billing, db } = deps;

    r.get(paths.billingSettings, {
      schema: {
        operationId: 'getBillingSettings',
        summary: 'How money is presented here: the unit, the cycle, the cap, the thresholds',
        tags,
        security: bearer,
        response: { 200: billingSettingsSchema, ...errors(...AUTHED) },
      },
      handler: async () => billing.settings(),
    });

    r.get(paths.myBalance, {
      schema: {
        operationId: 'getMyBalance',
        summary: 'Your balance: posted, used since the last charge, live, and how long it lasts',
        tags,
        security: bearer,
        response: { 200: balanceSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => billing.balance(actorOf(req).userId),
    });

    r.get(paths.myTransactions, {
      schema: {
        operationId: 'listMyTransactions',
        summary: 'Your credit transactions, newest first',
        tags,
        security: bearer,
        querystring: listTransactionsQuerySchema,
        response: { 200: transactionPageSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => {
        const { page, pageSize, ...f } = req.query;
        const { items, total } = await listTransfers(db, { ...f, userId: actorOf(req).userId }, { page, pageSize });
        return { items: items.map(asUserTransaction), total, page, pageSize };
      },
    });

    r.get(paths.myTransactionsCsv, {
      schema: {
        operationId: 'exportMyTransactions',
        summary: 'Your credit transactions as CSV (the same filters; at most 100,000 rows)',
        tags,
        security: bearer,
        querystring: csvTransactionsQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponse, ...errors(...AUTHED) },
      },
      handler: async (req, reply) =>
        sendCsv(
          reply,
          'transactions.csv',
          await transfersCsv(db, { ...req.query, userId: actorOf(req).userId }, false),
        ),
    });

    r.get(paths.mySpend, {
      schema: {
        operationId: 'getMySpend',
        summary: 'What your VMs cost per day (UTC), for the last N days',
        tags,
        security: bearer,
        querystring: spendQuerySchema,
        response: { 200: spendSeriesSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => billing.spend(actorOf(req).userId, req.query.days),
    });

    r.get(paths.vmBilling, {
      schema: {
        operationId: 'getVmBilling',
        summary: 'A VM’s rates, monthly cap and what it has cost',
        tags: ['vms'],
        security: bearer,
        params: idParamsSchema,
        response: { 200: vmBillingSchema, ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req) => billing.vmBilling(actorOf(req), req.params.id),
    });

    r.get(paths.myNotifications, {
      schema: {
        operationId: 'listMyNotifications',
        summary: 'Your notifications, newest first, with the unread count',
        tags: ['notifications'],
        security: bearer,
        querystring: listNotificationsQuerySchema,
        response: { 200: notificationPageSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => deps.notifications.list(actorOf(req).userId, req.query),
    });

    r.get(paths.myNotificationsUnread, {
      schema: {
        operationId: 'countMyUnreadNotifications',
        summary: 'How many of your notifications are unread',
        tags: ['notifications'],
        security: bearer,
        response: { 200: unreadCountSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => ({ unread: await deps.notifications.unread(actorOf(req).userId) }),
    });

    r.post(paths.myNotificationsRead, {
      schema: {
        operationId: 'markMyNotificationsRead',
        summary: 'Mark some or all of your notifications read',
        tags: ['notifications'],
        security: bearer,
        body: markNotificationsReadBodySchema,
        response: { 200: unreadCountSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => deps.notifications.markRead(actorOf(req).userId, req.body),
    });

    // ---- Administration ----

    r.get(paths.adminUserBalance, {
      config: admin,
      schema: {
        operationId: 'getUserBalance',
        summary: 'A user’s balance',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: balanceSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => billing.balance(req.params.id),
    });

    r.post(paths.adminUserCredits, {
      config: admin,
      schema: {
        operationId: 'adjustUserCredits',
        summary: 'Grant credits to a user, or deduct them, with a reason (audited)',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        body: adjustCreditsBodySchema,
        response: { 201: transactionSchema, ...errors(...ADMIN, 'NOT_FOUND', 'INSUFFICIENT_CREDITS', 'CONFLICT') },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await billing.adjust(actorOf(req), req.params.id, req.body, req.meta)),
    });

    r.patch(paths.adminUserBilling, {
      config: admin,
      schema: {
        operationId: 'updateUserBilling',
        summary: 'Set a user’s credit limit or billing exemption (audited)',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        body: billingProfileBodySchema,
        response: { 200: balanceSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => billing.setProfile(actorOf(req), req.params.id, req.body, req.meta),
    });

    r.get(paths.adminUserTransactions, {
      config: admin,
      schema: {
        operationId: 'listUserTransactions',
        summary: 'A user’s credit transactions',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        querystring: listTransactionsQuerySchema,
        response: { 200: transactionPageSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => {
        await deps.users.get(req.params.id);
        const { page, pageSize, ...f } = req.query;
        const { items, total } = await listTransfers(db, { ...f, userId: req.params.id }, { page, pageSize });
        return { items: items.map(asUserTransaction), total, page, pageSize };
      },
    });

    r.post(paths.adminGrants, {
      config: admin,
      schema: {
        operationId: 'grantCreditsToMany',
        summary: 'Grant credits to many users at once (a filter or a list of emails), as one idempotent batch',
        tags: adminTags,
        security: bearer,
        body: batchGrantBodySchema,
        response: { 200: batchGrantResultSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => billing.batchGrant(actorOf(req), req.body, req.meta),
    });

    r.get(paths.adminTransactions, {
      config: admin,
      schema: {
        operationId: 'listAllTransactions',
        summary: 'Every credit transaction of the platform',
        tags: adminTags,
        security: bearer,
        querystring: adminListTransactionsQuerySchema,
        response: { 200: adminTransactionPageSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => {
        const { page, pageSize, ...f } = req.query;
        const { items, total } = await listTransfers(db, f, { page, pageSize });
        return { items, total, page, pageSize };
      },
    });

    r.get(paths.adminTransactionsCsv, {
      config: admin,
      schema: {
        operationId: 'exportAllTransactions',
        summary: 'Every credit transaction as CSV (the same filters; at most 100,000 rows)',
        tags: adminTags,
        security: bearer,
        querystring: adminCsvTransactionsQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponse, ...errors(...ADMIN) },
      },
      handler: async (req, reply) => sendCsv(reply, 'transactions.csv', await transfersCsv(db, req.query, true)),
    });

    r.post(paths.adminTransferReverse, {
      config: admin,
      schema: {
        operationId: 'reverseTransaction',
        summary: 'Undo a transaction with a reversing one that names it (audited)',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        body: reverseTransferBodySchema,
        response: { 201: transactionSchema, ...errors(...ADMIN, 'NOT_FOUND', 'ALREADY_REVERSED', 'CONFLICT') },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await billing.reverse(actorOf(req), req.params.id, req.body.reason, req.meta)),
    });

    r.get(paths.adminBillingReport, {
      config: admin,
      schema: {
        operationId: 'getBillingReport',
        summary: 'Usage and revenue per day, template and server; top consumers',
        tags: adminTags,
        security: bearer,
        querystring: billingReportQuerySchema,
        response: { 200: billingReportSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => deps.reports.report(req.query),
    });

    r.get(paths.adminBillingRuns, {
      config: admin,
      schema: {
        operationId: 'listBillingRuns',
        summary: 'Billing cycles: when, how many VMs, how much, how long, any failure',
        tags: adminTags,
        security: bearer,
        querystring: paginationQuerySchema,
        response: { 200: billingRunPageSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => billing.runs(req.query),
    });

    r.post(paths.adminBillingRuns, {
      config: admin,
      schema: {
        operationId: 'runBilling',
        summary: 'Run a billing cycle now (charges usage up to now, or up to `at`)',
        tags: adminTags,
        security: bearer,
        body: runBillingBodySchema.optional(),
        response: { 201: billingRunSchema, ...errors(...ADMIN) },
      },
      handler: async (req, reply) => {
        const at = req.body?.at ? new Date(req.body.at) : undefined;
        const run = await billing.runCycle({ at, trigger: 'manual' });
        // Whatever the run posted, balances may now be exhausted: check at once, not at the next interval.
        await billing.watch().catch((e) => req.log.warn({ err: e }, 'balance check after a manual run failed'));
        return reply.code(201).send(run);
      },
    });

    r.get(paths.adminOverview, {
      config: admin,
      schema: {
        operationId: 'getAdminOverview',
        summary: 'The platform at a glance: users, VMs, servers, credits, failures',
        tags: ['admin: overview'],
        security: bearer,
        response: { 200: adminOverviewSchema, ...errors(...ADMIN) },
      },
      handler: async () => deps.reports.overview(),
    });
  };
}
