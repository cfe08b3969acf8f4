import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../apps/api/src/config.js';

/**
 * The product's own configuration, parsed by its own schema, with fresh
 * secrets: a benchmark runs the code a deployment runs, not a test double.
 */
export function benchConfig(env: Record<string, string>): Config {
  return loadConfig({
    DATA_DIR: path.join(tmpdir(), 'uni-manager-bench-unused'),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...env,
  });
}
