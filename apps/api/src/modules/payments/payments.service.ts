import { randomUUID } from 'node:crypto';
import type { CheckoutSession, CreditPackage, CreditPackageBody } from '@uni-manager/contracts';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { creditPackages, payments, type CreditPackageRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { StripeClient } from '../../integrations/stripe/client.js';
import { appendAudit } from '../audit/audit.repo.js';
import * as repo from './payments.repo.js';
import type { LivePublisher } from '../live/live.publisher.js';
import { createWebhookApplier, type EventResult } from './payments.webhook.js';

export interface PaymentsServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Null when ENABLE_PAYMENTS is off: then credits come from administrators only. */
  stripe: StripeClient | null;
  /** Where Stripe sends the browser back to: PUBLIC_URL. */
  publicUrl: string;
  live?: Pick<LivePublisher, 'balanceOfEveryone'>;
}

/** What an audit entry says about a package. */
const describe = (r: CreditPackageRow) => ({
  name: r.name,
  credits: r.credits,
  priceCents: r.priceCents,
  currency: r.currency,
  active: r.active,
});

export function createPaymentsService(deps: PaymentsServiceDeps) {
  const { db, clock, stripe } = deps;
  const log = deps.logger;
  const applier = createWebhookApplier({ db, clock, logger: log });
  const returnUrl = (outcome: 'success' | 'cancelled') =>
    new URL(`/credits?checkout=${outcome}`, deps.publicUrl).toString();

  function requireStripe(): StripeClient {
    if (!stripe) {
      throw new AppError(
        'PAYMENTS_DISABLED',
        'Payments are not enabled on this platform: credits are granted by administrators',
      );
    }
    return stripe;
  }

  async function audited(
    actor: Actor,
    meta: RequestMeta,
    id: string,
    change: 'created' | 'updated' | 'deleted',
    write: (tx: Tx, now: Date) => Promise<{ before: CreditPackageRow | null; after: CreditPackageRow | null }>,
  ): Promise<CreditPackageRow | null> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const { before, after } = await write(tx, now);
      await appendAudit(
        tx,
        {
          action: 'billing.package_changed',
          actorId: actor.userId,
          actorEmail: actor.email,
          targetType: 'credit_package',
          targetId: id,
          ...meta,
          details: { change, before: before && describe(before), after: after && describe(after) },
        },
        now,
      );
      return after;
    });
  }

  return {
    enabled: stripe !== null,

    /** What users may buy now. */
    async listActive(): Promise<CreditPackage[]> {
      requireStripe();
      return (await repo.listPackages(db, { activeOnly: true })).map(repo.toCreditPackage);
    },

    /** Every package, for administrators; readable even while payments are off, when nothing else is. */
    async listAll(): Promise<CreditPackage[]> {
      return (await repo.listPackages(db, { activeOnly: false })).map(repo.toCreditPackage);
    },

    async create(actor: Actor, body: CreditPackageBody, meta: RequestMeta): Promise<CreditPackage> {
      requireStripe();
      const id = randomUUID();
      const row = await audited(actor, meta, id, 'created', async (tx, now) => {
        const [after] = await tx
          .insert(creditPackages)
          .values({ id, ...body, createdAt: now, updatedAt: now })
          .returning();
        return { before: null, after: after! };
      });
      return repo.toCreditPackage(row!);
    },

    /** Takes every field: the package becomes exactly what the form shows. Past payments keep what was bought. */
    async update(actor: Actor, id: string, body: CreditPackageBody, meta: RequestMeta): Promise<CreditPackage> {
      requireStripe();
      const row = await audited(actor, meta, id, 'updated', async (tx, now) => {
        const before = await repo.getPackage(tx, id, { lock: true });
        if (!before) throw AppError.notFound('Credit package');
        const [after] = await tx
          .update(creditPackages)
          .set({ ...body, updatedAt: now })
          .where(eq(creditPackages.id, id))
          .returning();
        return { before, after: after! };
      });
      return repo.toCreditPackage(row!);
    },

    /** Past payments keep their own copy of what was bought, so a package can go at any time. */
    async remove(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
      requireStripe();
      await audited(actor, meta, id, 'deleted', async (tx) => {
        const before = await repo.getPackage(tx, id, { lock: true });
        if (!before) throw AppError.notFound('Credit package');
        await tx.delete(creditPackages).where(eq(creditPackages.id, id));
        return { before, after: null };
      });
    },

    /**
     * Starts a Stripe Checkout for one package, always for the signed-in user:
     * the session names them (client_reference_id and metadata), and the
     * payment is recorded with the credits and price of this moment.
     */
    async checkout(actor: Actor, packageId: string): Promise<CheckoutSession> {
      const client = requireStripe();
      const pkg = await repo.getPackage(db, packageId);
      if (!pkg || !pkg.active) throw AppError.notFound('Credit package');
      const paymentId = randomUUID();
      const metadata = {
        userId: actor.userId,
        packageId: pkg.id,
        packageName: pkg.name,
        credits: String(pkg.credits),
        paymentId,
      };
      const session = await client.createCheckoutSession(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: pkg.currency,
                unit_amount: pkg.priceCents,
                product_data: { name: pkg.name },
              },
            },
          ],
          client_reference_id: actor.userId,
          customer_email: actor.email,
          metadata,
          payment_intent_data: { metadata },
          success_url: returnUrl('success'),
          cancel_url: returnUrl('cancelled'),
        },
        paymentId,
      );
      const now = clock.now();
      try {
        await db.insert(payments).values({
          id: paymentId,
          userId: actor.userId,
          packageId: pkg.id,
          packageName: pkg.name,
          checkoutSessionId: session.id,
          credits: pkg.credits,
          amountCents: pkg.priceCents,
          currency: pkg.currency,
          status: 'open',
          createdAt: now,
          updatedAt: now,
        });
      } catch (e) {
        // The session carries everything in its metadata: its webhook records it if we cannot now.
        log.error({ err: e, sessionId: session.id, paymentId }, 'could not record a checkout session');
      }
      log.info({ paymentId, sessionId: session.id, packageId: pkg.id }, 'checkout session created');
      return { url: session.url, sessionId: session.id };
    },

    /** A webhook delivery: verified against its raw bytes, then applied once. */
    async handleWebhook(rawBody: Buffer | undefined, signature: string | undefined): Promise<EventResult> {
      const client = requireStripe();
      if (!rawBody) throw new AppError('MALFORMED_REQUEST', 'Send the Stripe event as JSON');
      const event = client.constructEvent(rawBody, signature);
      const result = await applier.apply(event);
      if (result.transferId) deps.live?.balanceOfEveryone();
      log.info({ eventId: event.id, type: event.type, ...result }, 'stripe event');
      return result;
    },
  };
}
export type PaymentsService = ReturnType<typeof createPaymentsService>;
