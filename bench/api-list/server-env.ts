/**
 * The configuration of the measured API, shared by its process and by the
 * parent's in-process breakdown, so a token the server signed verifies in
 * both: the secrets travel in BENCH_JWT_SECRET and BENCH_ENCRYPTION_KEY.
 */
export function serverEnv(databaseUrl: string): Record<string, string> {
  const jwt = process.env.BENCH_JWT_SECRET;
  const key = process.env.BENCH_ENCRYPTION_KEY;
  if (!jwt || !key) throw new Error('BENCH_JWT_SECRET and BENCH_ENCRYPTION_KEY must be set');
  return { NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', JWT_SECRET: jwt, ENCRYPTION_KEY: key };
}
