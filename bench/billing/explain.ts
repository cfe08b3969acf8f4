import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../../apps/api/src/db/client.js';
import * as schema from '../../apps/api/src/db/schema/index.js';
import { chargeUpTo, enterBilling } from '../../apps/api/src/modules/billing/billing.meter.js';

/**
 * Runs the cycle's own statements once more, in a transaction rolled back,
 * with PostgreSQL's auto_explain sending each statement's plan back to this
 * client as a notice, with actual times, buffers, WAL and the time of each
 * trigger (the foreign-key checks): the plans of exactly what billing.meter.ts
 * sends, without copying its SQL. Statements under `minMs` are left out.
 */
export async function explainCycle(url: string, at: Date, capHours: number, minMs = 5): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plans: string[] = [];
  client.on('notice', (n) => {
    const m = /^duration: ([\d.]+) ms/.exec(n.message ?? '');
    if (m && Number(m[1]) >= minMs) plans.push(n.message!);
  });
  try {
    await client.query(`load 'auto_explain'`);
    for (const s of [
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
      'auto_explain.log_wal = on',
      // The foreign-key checks' time, per constraint, instead of a plan for each of their queries.
      'auto_explain.log_triggers = on',
      `auto_explain.log_level = 'notice'`,
    ]) {
      await client.query(`set ${s}`);
    }
    const db = drizzle({ client, schema }) as unknown as Db;
    let done = false;
    await db
      .transaction(async (tx) => {
        await enterBilling(tx, true);
        await chargeUpTo(tx, at, capHours);
        done = true;
        tx.rollback();
      })
      .catch((e: unknown) => {
        if (!done) throw e;
      });
  } finally {
    await client.end();
  }
  return plans;
}
