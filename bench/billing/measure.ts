import { readFileSync } from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Executor } from '../../apps/api/src/db/client.js';
import { query } from '../../apps/api/src/lib/sql.js';

/** Statement → total time, in the order first seen. */
export type StatementTimes = Map<string, { ms: number; calls: number }>;

/**
 * Times each statement the product's code sends through `db` (or through the
 * transactions it opens on it), without touching that code: the proxy wraps
 * `execute` and hands a wrapped transaction to `transaction` callbacks.
 */
export function timed<T extends object>(db: T, times: StatementTimes): T {
  const dialect = new PgDialect();
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'execute') {
        return async (q: SQL) => {
          const t = performance.now();
          try {
            return await (value as (q: SQL) => Promise<unknown>).call(target, q);
          } finally {
            const key = label(dialect.sqlToQuery(q).sql);
            const seen = times.get(key) ?? { ms: 0, calls: 0 };
            times.set(key, { ms: seen.ms + performance.now() - t, calls: seen.calls + 1 });
          }
        };
      }
      if (prop === 'transaction') {
        return (fn: (tx: object) => Promise<unknown>, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>).call(target, (tx: object) => fn(timed(tx, times)), ...rest);
      }
      return value;
    },
  });
}

/** A statement's first words, enough to tell the billing statements apart. */
function label(statement: string): string {
  const words = statement
    .replace(/--[^\n]*/g, ' ')
    .trim()
    .split(/\s+/);
  const first = words.slice(0, words[0] === 'with' ? 7 : 5).join(' ');
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

/**
 * CPU time of every PostgreSQL backend connected to this database, from /proc
 * (null where the server is not local): on a shared machine the wall time
 * includes waiting for a CPU, the backends' CPU time does not.
 */
export async function postgresCpuMs(db: Executor): Promise<number | null> {
  const ticksMs = 10; // USER_HZ is 100 on Linux
  const { rows } = await query<{ pid: number }>(
    db,
    sql`select pid from pg_stat_activity where datname = current_database()`,
  );
  let total = 0;
  try {
    for (const { pid } of rows) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * ticksMs;
    }
  } catch {
    return null;
  }
  return total;
}
