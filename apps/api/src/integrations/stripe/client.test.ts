import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { createStripeClient } from './client.js';
import { scrubSecrets } from './errors.js';

const KEY = 'sk_test_0123456789abcdefKEY';
const WHSEC = 'whsec_0123456789abcdefSECRET';
const params = {
  mode: 'payment' as const,
  line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'x' } } }],
  success_url: 'https://example.org/ok',
};

/** A server that accepts connections and never answers. */
let silent: Server;
let silentUrl: string;
beforeAll(async () => {
  silent = createServer(() => {});
  await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', () => ok()));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise<void>((ok) => silent.close(() => ok()));
});

async function failureOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('the Stripe client', () => {
  it('reports an unreachable Stripe as PAYMENT_PROVIDER_UNAVAILABLE', async () => {
    const c = createStripeClient({
      secretKey: KEY,
      webhookSecret: WHSEC,
      apiUrl: 'http://127.0.0.1:1',
      maxNetworkRetries: 0,
    });
    const e = await failureOf(c.createCheckoutSession(params, 'k1'));
    expect(e.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect(e.details).toMatchObject({ kind: 'UNAVAILABLE' });
    expect(e.message).not.toContain(KEY);
  });

  it('gives up on a Stripe that does not answer, after its timeout', async () => {
    const c = createStripeClient({
      secretKey: KEY,
      webhookSecret: WHSEC,
      apiUrl: silentUrl,
      timeoutMs: 200,
      maxNetworkRetries: 0,
    });
    const started = performance.now();
    const e = await failureOf(c.createCheckoutSession(params, 'k2'));
    expect(e.details).toMatchObject({ kind: 'TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('verifies webhook signatures with the signing secret', () => {
    const c = createStripeClient({ secretKey: KEY, webhookSecret: WHSEC });
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'ping', data: { object: {} } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC });
    expect(c.constructEvent(Buffer.from(payload), header).id).toBe('evt_1');
    expect(() => c.constructEvent(Buffer.from(payload), undefined)).toThrow(/missing/);
    const wrong = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    expect(() => c.constructEvent(Buffer.from(payload), wrong)).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_SIGNATURE_INVALID' }),
    );
    expect(() => c.constructEvent(Buffer.from(payload + ' '), header)).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_SIGNATURE_INVALID' }),
    );
  });

  it('scrubs keys and signing secrets from any message', () => {
    expect(scrubSecrets(`Invalid API Key provided: ${KEY}; also rk_live_abc and whsec_xyz`)).toBe(
      'Invalid API Key provided: [redacted]; also [redacted] and [redacted]',
    );
  });
});
