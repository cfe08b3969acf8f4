import type { SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
/** Escapes LIKE's wildcards so a search for "50%" finds "50%", not everything starting with 50. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A raw statement's rows, typed. Both drivers answer `{ rows }`; the
 * database type services see cannot say so, hence the one cast here.
 */
export async function query<T>(db: Executor, statement: SQL): Promise<{ rows: T[] }> {
  return (await db.execute(statement)) as unknown as { rows: T[] };
}
