/** PostgreSQL SQLSTATE of an error, looking through Drizzle's wrapper. */
export function sqlState(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (e: unknown) => sqlState(e) === '23505';

/**
 * A deadlock victim (40P01) or a serialization failure (40001): nothing was
 * written, and the same transaction run again normally succeeds.
 */
export const isRetryableConflict = (e: unknown) => {
  const state = sqlState(e);
  return state === '40P01' || state === '40001';
};
