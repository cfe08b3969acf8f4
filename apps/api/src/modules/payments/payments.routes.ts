import {
  checkoutBodySchema,
  checkoutSessionSchema,
  creditPackageBodySchema,
  creditPackageListSchema,
  creditPackageSchema,
  idParamsSchema,
  paths,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN, AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { PaymentsService } from './payments.service.js';

const tags = ['billing'];
const adminTags = ['admin: billing'];
const admin = { access: 'admin' as const };

/** Stripe reads only the status; the body helps whoever looks at a delivery in Stripe's dashboard. */
const webhookAckSchema = z.object({
  received: z.literal(true),
  outcome: z.enum(['granted', 'refunded', 'recorded', 'ignored', 'duplicate']),
});

export function paymentsRoutes(deps: { payments: PaymentsService }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { payments } = deps;

    r.get(paths.creditPackages, {
      schema: {
        operationId: 'listCreditPackages',
        summary: 'Credit packages you can buy (when payments are enabled)',
        tags,
        security: bearer,
        response: { 200: creditPackageListSchema, ...errors(...AUTHED, 'PAYMENTS_DISABLED') },
      },
      handler: async () => ({ items: await payments.listActive() }),
    });

    r.post(paths.checkout, {
      schema: {
        operationId: 'startCheckout',
        summary: 'Buy a credit package: starts a Stripe Checkout for you and returns the page to send the browser to',
        description:
          'The credits are granted when Stripe confirms the payment (its webhook), not when this returns; the browser comes back to /credits?checkout=success or ?checkout=cancelled.',
        tags,
        security: bearer,
        body: checkoutBodySchema,
        response: {
          200: checkoutSessionSchema,
          ...errors(...AUTHED, 'PAYMENTS_DISABLED', 'NOT_FOUND', 'PAYMENT_PROVIDER_UNAVAILABLE'),
        },
      },
      handler: async (req) => payments.checkout(actorOf(req), req.body.packageId),
    });

    // ---- Administration ----

    r.get(paths.adminCreditPackages, {
      config: admin,
      schema: {
        operationId: 'listAllCreditPackages',
        summary: 'Every credit package, active or not (readable even while payments are off)',
        tags: adminTags,
        security: bearer,
        response: { 200: creditPackageListSchema, ...errors(...ADMIN) },
      },
      handler: async () => ({ items: await payments.listAll() }),
    });

    r.post(paths.adminCreditPackages, {
      config: admin,
      schema: {
        operationId: 'createCreditPackage',
        summary: 'Offer a credit package for sale (audited)',
        tags: adminTags,
        security: bearer,
        body: creditPackageBodySchema,
        response: { 201: creditPackageSchema, ...errors(...ADMIN, 'PAYMENTS_DISABLED') },
      },
      handler: async (req, reply) => reply.code(201).send(await payments.create(actorOf(req), req.body, req.meta)),
    });

    r.patch(paths.adminCreditPackage, {
      config: admin,
      schema: {
        operationId: 'updateCreditPackage',
        summary: 'Change a credit package, every field at once (audited); past payments keep what they bought',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        body: creditPackageBodySchema,
        response: { 200: creditPackageSchema, ...errors(...ADMIN, 'NOT_FOUND', 'PAYMENTS_DISABLED') },
      },
      handler: async (req) => payments.update(actorOf(req), req.params.id, req.body, req.meta),
    });

    r.delete(paths.adminCreditPackage, {
      config: admin,
      schema: {
        operationId: 'deleteCreditPackage',
        summary: 'Withdraw a credit package (audited); past payments keep what they bought',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        response: { 204: z.null(), ...errors(...ADMIN, 'NOT_FOUND', 'PAYMENTS_DISABLED') },
      },
      handler: async (req, reply) => {
        await payments.remove(actorOf(req), req.params.id, req.meta);
        return reply.code(204).send(null);
      },
    });

    await app.register(stripeWebhookRoute(deps));
  };
}

/**
 * Its own plugin, because it alone reads JSON as raw bytes: the signature is
 * over exactly what Stripe sent. The parser is scoped to this plugin; every
 * other route keeps Fastify's JSON parser, and the body limit applies here too.
 */
function stripeWebhookRoute(deps: { payments: PaymentsService }) {
  return async function (app: FastifyInstance) {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.withTypeProvider<ZodTypeProvider>().post(paths.stripeWebhook, {
      config: { access: 'public' },
      schema: {
        operationId: 'receiveStripeEvent',
        summary: 'Stripe’s webhook: payments and refunds (signed with STRIPE_WEBHOOK_SECRET)',
        description:
          'Called by Stripe, not by clients. The Stripe-Signature header must sign the raw body. Each event is applied once, however often it is delivered; events of other types are acknowledged and ignored.',
        tags,
        body: z.unknown().describe('A Stripe event, exactly as Stripe sent it'),
        response: {
          200: webhookAckSchema,
          ...errors('MALFORMED_REQUEST', 'WEBHOOK_SIGNATURE_INVALID', 'PAYMENTS_DISABLED'),
        },
      },
      handler: async (req) => {
        const signature = req.headers['stripe-signature'];
        const result = await deps.payments.handleWebhook(
          Buffer.isBuffer(req.body) ? req.body : undefined,
          typeof signature === 'string' ? signature : undefined,
        );
        return { received: true as const, outcome: result.outcome };
      },
    });
  };
}
