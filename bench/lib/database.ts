import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../apps/api/src/db/client.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  /** A fresh PostgreSQL database of its own (its URL), or null for in-memory PGlite. */
  url: string | null;
  label: string;
  /** Removes the database (PostgreSQL) or closes it (PGlite); safe to call twice. */
  drop(): Promise<void>;
}

async function withAdmin<T>(baseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A new, migrated PostgreSQL database beside the one `baseUrl` names, as the
 * test harness makes them: a benchmark never touches data it did not create.
 */
export async function createPostgresDatabase(baseUrl: string): Promise<BenchDatabase> {
  const name = `um_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const version = await withAdmin(baseUrl, async (c) => {
    await c.query(`create database ${name}`);
    const r = await c.query<{ v: string }>('select current_setting($1) as v', ['server_version']);
    return r.rows[0]?.v ?? '?';
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const migrator = openPostgres(url.toString(), { poolMax: 1 });
  try {
    await migrator.migrate();
  } finally {
    await migrator.close();
  }
  let dropped = false;
  return {
    url: url.toString(),
    label: `PostgreSQL ${version} (fresh database ${name} on ${url.host})`,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** PostgreSQL when a URL is given, else in-memory PGlite; migrated, opened with `poolMax` connections. */
export async function openBenchDatabase(
  baseUrl: string | undefined,
  poolMax: number,
): Promise<{ database: Database; info: BenchDatabase }> {
  if (!baseUrl) {
    const database = await openPglite();
    await database.migrate();
    return {
      database,
      info: { url: null, label: 'PGlite (in-memory, in this process)', drop: () => database.close().catch(() => {}) },
    };
  }
  const info = await createPostgresDatabase(baseUrl);
  const database = openPostgres(info.url!, { poolMax });
  return {
    database,
    info: {
      ...info,
      async drop() {
        await database.close().catch(() => {});
        await info.drop();
      },
    },
  };
}
