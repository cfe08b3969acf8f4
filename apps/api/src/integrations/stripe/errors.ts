import Stripe from 'stripe';
import { AppError } from '../../lib/errors.js';

/**
 * What went wrong talking to Stripe, classified like the Proxmox client's
 * errors: retry later (unavailable, timeout, rate limit), or an operator must
 * fix the set-up (authentication, permission, a request Stripe refuses).
 */
export type StripeErrorKind =
  | 'AUTHENTICATION' // the secret key is wrong, revoked or of another mode
  | 'PERMISSION' // a restricted key lacks a permission
  | 'INVALID_REQUEST' // Stripe refused what we sent (an unsupported currency, say)
  | 'RATE_LIMITED'
  | 'UNAVAILABLE' // cannot connect, or Stripe answered 5xx
  | 'TIMEOUT';

/** Stripe's keys and signing secrets, wherever a message might quote one. */
const SECRET = /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9*]+/g;
export const scrubSecrets = (s: string) => s.replace(SECRET, '[redacted]');

function kindOf(e: Stripe.errors.StripeError): StripeErrorKind {
  switch (e.type) {
    case 'StripeAuthenticationError':
      return 'AUTHENTICATION';
    case 'StripePermissionError':
      return 'PERMISSION';
    case 'StripeRateLimitError':
      return 'RATE_LIMITED';
    case 'StripeConnectionError':
      return /timeout|timed out/i.test(e.message) ? 'TIMEOUT' : 'UNAVAILABLE';
    case 'StripeInvalidRequestError':
    case 'StripeIdempotencyError':
    case 'StripeCardError':
      return 'INVALID_REQUEST';
    default:
      return 'UNAVAILABLE';
  }
}

const MESSAGES: Record<StripeErrorKind, string> = {
  AUTHENTICATION: 'Stripe refused our secret key: an administrator must check STRIPE_SECRET_KEY',
  PERMISSION: 'The Stripe key lacks a permission this needs: an administrator must check STRIPE_SECRET_KEY',
  INVALID_REQUEST: 'Stripe refused the request',
  RATE_LIMITED: 'Stripe is receiving too many requests; try again in a minute',
  UNAVAILABLE: 'Stripe cannot be reached; try again in a few minutes',
  TIMEOUT: 'Stripe did not answer in time; try again in a few minutes',
};

/**
 * Any failure of a call to Stripe, as the one error users see. The details
 * name the kind and Stripe's request id (for support), never a key.
 */
export function paymentProviderError(e: unknown, what: string): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof Stripe.errors.StripeError) {
    const kind = kindOf(e);
    const reason = kind === 'INVALID_REQUEST' ? `: ${scrubSecrets(e.message)}` : '';
    return new AppError('PAYMENT_PROVIDER_UNAVAILABLE', `${what} failed. ${MESSAGES[kind]}${reason}`, {
      kind,
      ...(e.statusCode ? { status: e.statusCode } : {}),
      ...(e.requestId ? { stripeRequestId: e.requestId } : {}),
    });
  }
  return new AppError('PAYMENT_PROVIDER_UNAVAILABLE', `${what} failed. ${MESSAGES.UNAVAILABLE}`, {
    kind: 'UNAVAILABLE',
  });
}

/** What a log line may say about a Stripe failure: its class, codes and a scrubbed message. */
export function describeStripeError(e: unknown): Record<string, unknown> {
  if (e instanceof Stripe.errors.StripeError) {
    return {
      type: e.type,
      code: e.code,
      status: e.statusCode,
      stripeRequestId: e.requestId,
      message: scrubSecrets(e.message),
    };
  }
  return { message: scrubSecrets(String((e as Error)?.message ?? e)) };
}
