import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../db/client.js';

/** One statement as the driver sent it, with the connection (or PGlite transaction) it ran on. */
export interface Statement {
  sql: string;
  params: readonly unknown[];
  /** Statements on the same `conn` between BEGIN and COMMIT/ROLLBACK are one transaction. */
  conn: object;
  startMs: number;
  endMs: number;
}

export interface StatementLog {
  readonly statements: Statement[];
  /** Records from now on (recording starts off: seeding is not what is counted). */
  start(): void;
  stop(): void;
  /** Puts the driver back as it was. */
  restore(): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Records every statement sent through `database`, at the driver, without
 * touching the code that sends them (tests and benchmarks count round trips
 * with it): node-postgres's `Client.prototype.query` (every pool
 * query and every transaction statement, BEGIN and COMMIT included, ends
 * there), or the PGlite instance's `query`/`exec` and the `query`/`exec` of
 * the transactions it opens (whose BEGIN and COMMIT PGlite sends itself, so
 * they are recorded around the callback).
 */
export function recordStatements(database: Database): StatementLog {
  const statements: Statement[] = [];
  let on = false;
  const record = (conn: object, sql: string, params: readonly unknown[], startMs: number) => {
    if (on) statements.push({ sql, params, conn, startMs, endMs: performance.now() });
  };
  const restore: (() => void)[] = [];

  /** Wraps a promise-returning method so it records what it was given. */
  const wrapAsync = (target: Record<string, unknown>, name: string, conn: () => object) => {
    const original = target[name] as AnyFn;
    target[name] = async function (this: unknown, text: string, params?: unknown[], ...rest: unknown[]) {
      const t = performance.now();
      try {
        return await original.call(this, text, params, ...rest);
      } finally {
        record(conn(), text, params ?? [], t);
      }
    };
    return () => {
      target[name] = original;
    };
  };

  if (database.kind === 'pglite') {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const self = client as unknown as Record<string, unknown>;
    restore.push(wrapAsync(self, 'query', () => client));
    restore.push(wrapAsync(self, 'exec', () => client));
    const transaction = client.transaction;
    self.transaction = async function <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      // PGlite runs one transaction at a time: a token of its own tells its statements apart.
      const conn = {};
      let t = 0;
      let ended = 'ROLLBACK';
      try {
        return (await transaction.call(client, async (tx): Promise<T> => {
          // From here, not from the call: the wait for the connection is not the statement's.
          record(conn, 'BEGIN', [], performance.now());
          const own = tx as unknown as Record<string, unknown>;
          wrapAsync(own, 'query', () => conn);
          wrapAsync(own, 'exec', () => conn);
          try {
            const result = await fn(tx);
            ended = 'COMMIT';
            return result;
          } finally {
            t = performance.now();
          }
        })) as T;
      } finally {
        if (t) record(conn, ended, [], t);
      }
    } as PGlite['transaction'];
    restore.push(() => {
      self.transaction = transaction;
    });
  } else {
    const proto = pg.Client.prototype as unknown as Record<string, unknown>;
    const original = proto.query as AnyFn;
    proto.query = function (this: object, config: unknown, values?: unknown, callback?: unknown) {
      const t = performance.now();
      const text = typeof config === 'string' ? config : String((config as { text?: string }).text ?? '');
      const params = (Array.isArray(values) ? values : (config as { values?: unknown[] }).values) ?? [];
      // The pool calls with a callback; drizzle's transactions await a promise.
      const cb = typeof callback === 'function' ? callback : typeof values === 'function' ? values : undefined;
      if (cb) {
        const done = (...args: unknown[]) => {
          record(this, text, params, t);
          return (cb as AnyFn)(...args);
        };
        return typeof values === 'function'
          ? original.call(this, config, done)
          : original.call(this, config, values, done);
      }
      const result = original.call(this, config, values) as Promise<unknown>;
      return result.finally(() => record(this, text, params, t));
    };
    restore.push(() => {
      proto.query = original;
    });
  }

  return {
    statements,
    start: () => {
      on = true;
    },
    stop: () => {
      on = false;
    },
    restore: () => {
      for (const r of restore.reverse()) r();
    },
  };
}
