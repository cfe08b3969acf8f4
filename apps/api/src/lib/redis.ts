import { Redis } from 'ioredis';

/**
 * A client that fails fast instead of queueing commands while disconnected,
 * so a Redis outage surfaces as a clear 503 rather than requests that hang.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  redis.on('error', () => {}); // reported through failing commands and readiness, not as a crash
  await redis.connect();
  return redis;
}
