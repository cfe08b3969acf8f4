import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino must never print. Request logs only carry headers, but services
 * log objects too, so the common secret-bearing field names are covered at
 * two depths.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...[
    'password',
    'newPassword',
    'currentPassword',
    'passwordHash',
    'token',
    'accessToken',
    'refreshToken',
    'secret',
    'tokenSecret',
    'jwtSecret',
    'apiToken',
  ].flatMap((k) => [k, `*.${k}`]),
];

export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'uni-manager' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
