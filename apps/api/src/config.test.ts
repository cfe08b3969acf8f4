import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig, parseDuration } from './config.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'um-config-'));
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('config', () => {
  it('is documented variable by variable in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_KEYS.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('has working defaults for the embedded mode, and keeps a generated JWT secret across starts', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    expect(a).toMatchObject({
      PORT: 8000,
      HOST: '127.0.0.1',
      ACCESS_TOKEN_TTL: 1800,
      REFRESH_TOKEN_TTL: 604800,
      cookieSecure: false,
      isProduction: false,
    });
    expect(a.DATABASE_URL).toBeUndefined();
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: d }).jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(path.join(d, 'jwt-secret'), 'utf8').trim()).toBe(a.jwtSecret);
    expect(loadConfig({ DATA_DIR: d }).encryptionKey).toBe(a.encryptionKey);
  });

  it('parses durations', () => {
    expect(parseDuration('45s')).toBe(45);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('7d')).toBe(604800);
    expect(parseDuration('90')).toBe(90);
    expect(() => parseDuration('soon')).toThrow();
    expect(loadConfig({ DATA_DIR: dir(), ACCESS_TOKEN_TTL: '15m' }).ACCESS_TOKEN_TTL).toBe(900);
  });

  it('names each bad variable', () => {
    const problems = problemsOf({
      DATA_DIR: dir(),
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      ACCESS_TOKEN_TTL: 'forever',
      LOG_LEVEL: 'loud',
    });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/ACCESS_TOKEN_TTL/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
  });

  describe('in production', () => {
    const base = {
      NODE_ENV: 'production',
      DATA_DIR: '/nonexistent',
      DATABASE_URL: 'postgres://um:s3cret-Value@db/um',
      ENCRYPTION_KEY: 'q'.repeat(43),
    };
    it('refuses to start without a JWT secret or a database, naming them', () => {
      expect(problemsOf(base).join()).toMatch(/JWT_SECRET is required/);
      const { DATABASE_URL: _, ...embedded } = base;
      expect(problemsOf({ ...embedded, JWT_SECRET: 'Qm9vdHN0cmFwLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm' }).join()).toMatch(
        /DATABASE_URL is required in production/,
      );
    });
    it('refuses a missing or malformed encryption key', () => {
      const { ENCRYPTION_KEY: _, ...noKey } = base;
      expect(problemsOf(noKey).join()).toMatch(/ENCRYPTION_KEY is required in production/);
      expect(problemsOf({ ...base, ENCRYPTION_KEY: 'too-short' }).join()).toMatch(
        /ENCRYPTION_KEY: an encryption key is 32 bytes/,
      );
    });
    it('refuses a short one and the example value', () => {
      expect(problemsOf({ ...base, JWT_SECRET: 'short' }).join()).toMatch(/JWT_SECRET is too short/);
      expect(problemsOf({ ...base, JWT_SECRET: 'change-me-change-me-change-me-change-me' }).join()).toMatch(
        /JWT_SECRET still holds the example value/,
      );
      expect(
        problemsOf({ ...base, JWT_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://um:change-me@db/um' }).join(),
      ).toMatch(/DATABASE_URL uses a default password/);
    });
    it('accepts a real secret, from a variable or a *_FILE', () => {
      const good = 'Qm9vdHN0cmFwLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm';
      expect(loadConfig({ ...base, JWT_SECRET: good })).toMatchObject({ jwtSecret: good, cookieSecure: true });
      const f = path.join(dir(), 'jwt');
      writeFileSync(f, `${good}\n`);
      expect(loadConfig({ ...base, JWT_SECRET_FILE: f }).jwtSecret).toBe(good);
      expect(problemsOf({ ...base, JWT_SECRET_FILE: '/no/such/file' }).join()).toMatch(/JWT_SECRET_FILE: cannot read/);
      expect(problemsOf({ ...base, JWT_SECRET: good, JWT_SECRET_FILE: f }).join()).toMatch(/both set/);
    });
  });
});
