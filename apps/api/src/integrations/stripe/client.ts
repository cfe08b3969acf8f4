import Stripe from 'stripe';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { describeStripeError, paymentProviderError } from './errors.js';

/**
 * The API version every request and webhook payload is read with: the one
 * this SDK's types describe. Set the webhook endpoint in Stripe's dashboard
 * to the same version, so events arrive in the shape the code expects.
 */
export const STRIPE_API_VERSION = '2026-02-25.clover' satisfies Stripe.LatestApiVersion;

export interface StripeClientOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API endpoint (stripe-mock, a test's stand-in); Stripe's own by default. */
  apiUrl?: string | undefined;
  /** Per attempt. Checkout is a user waiting on a button. */
  timeoutMs?: number;
  /** Stripe's SDK retries with an idempotency key, so even a create is safe to retry. */
  maxNetworkRetries?: number;
  logger?: Logger;
}

export interface CheckoutSessionCreated {
  id: string;
  url: string;
}

/** Where the SDK should send requests, from a URL such as http://127.0.0.1:12111. */
function endpointOf(apiUrl: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port || (protocol === 'http' ? 80 : 443), protocol };
}

/**
 * Our thin client of Stripe: creates Checkout Sessions and verifies webhook
 * signatures. Every failure becomes PAYMENT_PROVIDER_UNAVAILABLE with a
 * message an admin can act on; neither the key nor the signing secret is
 * ever logged or returned.
 */
export function createStripeClient(opts: StripeClientOptions) {
  const sdk = new Stripe(opts.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    timeout: opts.timeoutMs ?? 15_000,
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    telemetry: false,
    ...(opts.apiUrl ? endpointOf(opts.apiUrl) : {}),
  });
  const log = opts.logger;

  return {
    async createCheckoutSession(
      params: Stripe.Checkout.SessionCreateParams,
      idempotencyKey: string,
    ): Promise<CheckoutSessionCreated> {
      const started = performance.now();
      let session: Stripe.Checkout.Session;
      try {
        session = await sdk.checkout.sessions.create(params, { idempotencyKey });
      } catch (e) {
        log?.warn({ stripe: describeStripeError(e) }, 'stripe: creating a checkout session failed');
        throw paymentProviderError(e, 'Starting the payment');
      }
      log?.debug({ sessionId: session.id, ms: Math.round(performance.now() - started) }, 'stripe checkout session');
      if (!session.url) {
        throw new AppError(
          'PAYMENT_PROVIDER_UNAVAILABLE',
          'Starting the payment failed: Stripe returned a session without a payment page',
          { kind: 'INVALID_RESPONSE' },
        );
      }
      return { id: session.id, url: session.url };
    },

    /**
     * The event in a webhook delivery, once its signature is checked against
     * the raw bytes Stripe signed (a re-serialized body would not match).
     */
    constructEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event {
      if (!signature) {
        throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'The Stripe-Signature header is missing');
      }
      try {
        return sdk.webhooks.constructEvent(rawBody, signature, opts.webhookSecret);
      } catch (e) {
        if (e instanceof Stripe.errors.StripeSignatureVerificationError) {
          throw new AppError(
            'WEBHOOK_SIGNATURE_INVALID',
            'The Stripe-Signature header does not match this body, or is too old (is STRIPE_WEBHOOK_SECRET the secret of this endpoint?)',
          );
        }
        if (e instanceof SyntaxError) throw new AppError('MALFORMED_REQUEST', 'The event is not valid JSON');
        throw e;
      }
    },
  };
}
export type StripeClient = ReturnType<typeof createStripeClient>;
