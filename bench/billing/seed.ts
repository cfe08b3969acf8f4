import { randomUUID } from 'node:crypto';
import type { PriceList } from '@uni-manager/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from '../../apps/api/src/db/client.js';
import { PLATFORM_ACCOUNTS, servers, templates } from '../../apps/api/src/db/schema/index.js';
import { query } from '../../apps/api/src/lib/sql.js';

/**
 * The seeded world, set-based: users (their wallets opened by the users
 * trigger) with credits granted through the ledger, one server, one template,
 * and VMs whose hour of history is played as real UPDATEs of `vms`, in
 * chronological batches, so the vms trigger records the rate periods as it
 * does in production. The plan of that history stays in two tables of the
 * benchmark's own (bench_vms, bench_events), from which the expected charges
 * are computed independently of the trigger and of the metering SQL.
 */

/** The template's price list, copied onto every VM (minor units per hour). */
export const PRICES: PriceList = {
  priceRunningPerHour: 200,
  priceStoppedPerHour: 20,
  unitPrices: { perCorePerHour: 100, perGibMemoryPerHour: 50, perGibDiskPerHour: 5 },
  base: { cores: 1, memoryMib: 1024, diskGib: 10 },
};

/** The hour is played in this many batches of equal length, one UPDATE each. */
export const SLOTS = 12;
export const SLOT_US = 3_600_000_000 / SLOTS;

/** Users whose owner number n satisfies n % EXEMPT_EVERY = 3 are billing-exempt (staff). */
const EXEMPT_EVERY = 200;
/** About this many users get little credit: half end the cycle low, half exhausted. */
const POOR_USERS = 20;

export interface SeedOptions {
  vms: number;
  users: number;
  /** The start of the hour played; the cycle charges up to one hour later. */
  hourStart: Date;
  /** VMs inserted per statement. */
  chunk?: number;
}

export interface SeedReport {
  steps: [string, number][];
  scenarios: Map<string, number>;
  events: number;
  exemptUsers: number;
  poorUsers: number;
}

/**
 * What may happen to a VM during the hour, with its share. The initial power
 * state and the events follow from the scenario (see `events` below).
 */
const SCENARIOS: [name: string, share: number][] = [
  ['running all hour', 0.79],
  ['stopped all hour', 0.05],
  ['started', 0.04],
  ['stopped', 0.04],
  ['resized while running', 0.02],
  ['stopped, resized, started', 0.02],
  ['started, then stopped', 0.02],
  ['suspended, then resumed', 0.01],
  ['deleted', 0.01],
];

/** Users n = 7, 7 + stride, 7 + 2 × stride… get little credit. */
export function poorStride(users: number): number {
  return Math.max(8, Math.floor(users / POOR_USERS));
}

/** Scenarios whose VM is stopped when the hour begins. */
const STOPPED_FIRST = ['stopped all hour', 'started', 'started, then stopped'];

export async function seed(db: Db, opt: SeedOptions): Promise<SeedReport> {
  const steps: [string, number][] = [];
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    steps.push([name, performance.now() - t]);
  };
  const H0 = sql`${opt.hourStart.toISOString()}::timestamptz`;
  const U = opt.users;
  const stride = poorStride(U);
  const chunk = opt.chunk ?? 100_000;

  await step('users (their wallets opened by the trigger)', () =>
    db.execute(sql`
      insert into users (id, email, display_name, password_hash, created_at, updated_at, password_changed_at, billing_exempt)
      select md5('bench-user:' || n)::uuid, 'user' || n || '@bench.example.org', 'User ' || n,
        '$argon2id$v=19$bench-seed-not-a-password', ${H0} - interval '30 days', ${H0} - interval '30 days',
        ${H0} - interval '30 days', n % ${EXEMPT_EVERY} = 3
      from generate_series(1, ${U}::int) n`),
  );

  const serverId = randomUUID();
  const templateId = randomUUID();
  await step('server and template', async () => {
    await db.insert(servers).values({
      id: serverId,
      name: 'bench-cluster',
      url: 'https://pve.bench.invalid:8006',
      tokenId: 'bench@pve!billing',
      tokenSecretSealed: 'not-sealed: the benchmark never calls Proxmox',
      health: 'healthy',
    });
    await db.insert(templates).values({
      id: templateId,
      name: 'Debian 12 (bench)',
      osLabel: 'Debian 12',
      osIcon: 'debian',
      cores: PRICES.base.cores,
      memoryMib: PRICES.base.memoryMib,
      diskGib: PRICES.base.diskGib,
      minCores: 1,
      maxCores: 8,
      minMemoryMib: 512,
      maxMemoryMib: 16384,
      maxDiskGib: 200,
      priceRunningPerHour: PRICES.priceRunningPerHour,
      priceStoppedPerHour: PRICES.priceStoppedPerHour,
      pricePerCoreHour: PRICES.unitPrices.perCorePerHour,
      pricePerGibMemoryHour: PRICES.unitPrices.perGibMemoryPerHour,
      pricePerGibDiskHour: PRICES.unitPrices.perGibDiskPerHour,
      visibility: 'public',
    });
  });

  // The plan. Owners are skewed (a few users hold many VMs, most a handful);
  // event instants are random to the microsecond inside their batch, and a
  // VM's events fall in successive batches (s1 < s2 < s3), so each batch is
  // one UPDATE touching a VM at most once.
  let bound = 0;
  const scenarioCase = SCENARIOS.map(([name, share]) => {
    bound += share;
    return `when rs < ${bound.toFixed(4)} then '${name}'`;
  }).join(' ');
  await step('plan of the hour (bench_vms, bench_events)', () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select setseed(0.4242)`);
      await tx.execute(sql`
        create unlogged table bench_vms as
        with r as (
          select i, random() as rs, random() as ro, random() as rc, random() as rm, random() as rd,
            random() as r1, random() as r2, random() as r3,
            floor(random() * ${SLOT_US})::bigint as o1, floor(random() * ${SLOT_US})::bigint as o2,
            floor(random() * ${SLOT_US})::bigint as o3
          from generate_series(1, ${opt.vms}::int) i
        ), a as (
          select r.*, floor(r1 * ${SLOTS - 2})::int as s1 from r
        ), b as (
          select a.*, s1 + 1 + floor(r2 * (${SLOTS - 2} - s1))::int as s2,
            case ${sql.raw(scenarioCase)} else 'running all hour' end as scenario
          from a
        )
        select i, md5('bench-vm:' || i)::uuid as id,
          1 + floor(${U} * power(ro, 1.6))::int as owner_n, scenario,
          case when scenario in (${sql.raw(STOPPED_FIRST.map((n) => `'${n}'`).join(', '))}) then 'stopped' else 'running' end
            as power0,
          (array[1, 1, 2, 2, 4])[1 + floor(rc * 5)::int] as cores0,
          (array[1024, 2048, 2048, 4096, 8192])[1 + floor(rm * 5)::int] as mem0,
          (array[10, 20, 20, 40, 80])[1 + floor(rd * 5)::int] as disk,
          floor(r1 * ${SLOTS})::int as s0, s1, s2, s2 + 1 + floor(r3 * (${SLOTS - 1} - s2))::int as s3, o1, o2, o3
        from b`);
      await tx.execute(sql`alter table bench_vms add primary key (i)`);
      // Each event is the VM's whole state after it; the instant is µs after the hour's start.
      await tx.execute(sql`
        create unlogged table bench_events as
        select v.i, v.id, e.seq, e.slot, e.slot::bigint * ${SLOT_US} + e.o as at_us,
          e.status, e.power_state, e.cores, e.memory_mib
        from bench_vms v cross join lateral (values
          ('started', 1, s0, o1, 'active', 'running', cores0, mem0),
          ('stopped', 1, s0, o1, 'active', 'stopped', cores0, mem0),
          ('resized while running', 1, s0, o1, 'active', 'running', least(cores0 * 2, 8), mem0 * 2),
          ('stopped, resized, started', 1, s1, o1, 'active', 'stopped', cores0, mem0),
          ('stopped, resized, started', 2, s2, o2, 'active', 'stopped', least(cores0 * 2, 8), mem0 * 2),
          ('stopped, resized, started', 3, s3, o3, 'active', 'running', least(cores0 * 2, 8), mem0 * 2),
          ('started, then stopped', 1, s1, o1, 'active', 'running', cores0, mem0),
          ('started, then stopped', 2, s2, o2, 'active', 'stopped', cores0, mem0),
          ('suspended, then resumed', 1, s1, o1, 'active', 'paused', cores0, mem0),
          ('suspended, then resumed', 2, s2, o2, 'active', 'running', cores0, mem0),
          ('deleted', 1, s1, o1, 'deleting', 'stopped', cores0, mem0),
          ('deleted', 2, s2, o2, 'deleted', 'stopped', cores0, mem0)
        ) as e(scenario, seq, slot, o, status, power_state, cores, memory_mib)
        where e.scenario = v.scenario`);
      await tx.execute(sql`create index on bench_events (slot)`);
      await tx.execute(sql`create index on bench_events (i, seq)`);
    }),
  );

  // VMs exist from the hour's start, so the trigger opens each meter there.
  await step(
    `VMs, ${Math.ceil(opt.vms / chunk)} INSERT … SELECT of up to ${chunk.toLocaleString('en-US')} (meters and first rate periods by the trigger)`,
    async () => {
      for (let lo = 1; lo <= opt.vms; lo += chunk) {
        const hi = Math.min(opt.vms, lo + chunk - 1);
        await db.execute(sql`
        insert into vms (id, owner_id, template_id, server_id, node, vmid, name, cores, memory_mib, disk_gib,
          status, power_state, price_running_per_hour, price_stopped_per_hour, price_per_core_hour,
          price_per_gib_memory_hour, price_per_gib_disk_hour, base_cores, base_memory_mib, base_disk_gib,
          addresses, last_synced_at, created_at, updated_at)
        select id, md5('bench-user:' || owner_n)::uuid, ${templateId}::uuid, ${serverId}::uuid, 'pve' || (1 + i % 8),
          1000 + i, 'vm-' || i, cores0, mem0, disk, 'active', power0,
          ${PRICES.priceRunningPerHour}, ${PRICES.priceStoppedPerHour}, ${PRICES.unitPrices.perCorePerHour},
          ${PRICES.unitPrices.perGibMemoryPerHour}, ${PRICES.unitPrices.perGibDiskPerHour},
          ${PRICES.base.cores}, ${PRICES.base.memoryMib}, ${PRICES.base.diskGib},
          jsonb_build_array('10.' || (i >> 16) % 256 || '.' || (i >> 8) % 256 || '.' || i % 256), ${H0}, ${H0}, ${H0}
        from bench_vms where i between ${lo} and ${hi}`);
      }
    },
  );

  // The hour, batch after batch, as the operation engine and reconciliation would write it.
  await step(`the hour's state changes, ${SLOTS} chronological UPDATEs (rate periods by the trigger)`, async () => {
    for (let slot = 0; slot < SLOTS; slot++) {
      await db.execute(sql`
        update vms v set status = e.status, power_state = e.power_state, cores = e.cores, memory_mib = e.memory_mib,
          deleted_at = case when e.status = 'deleted' then ${H0} + e.at_us * interval '1 microsecond' else v.deleted_at end,
          updated_at = ${H0} + e.at_us * interval '1 microsecond'
        from bench_events e where e.id = v.id and e.slot = ${slot}`);
    }
    await db.execute(sql`
      insert into vm_state_history (vm_id, at, status, power_state, source)
      select id, ${H0} + at_us * interval '1 microsecond', status, power_state, 'operation' from bench_events
      where seq > 0 order by at_us`);
  });

  // Credits: one grant per user from the grants account, both accounts' totals
  // in the same transaction. Most users get ample credit (1,000 hours of their
  // VMs running); a few get little, so the live-balance check has work to do.
  await step('credits (one grant transfer per user, account totals)', () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, user_id, batch_id,
          actor_email, reason, created_at)
        select md5('bench-grant:' || w.user_id)::uuid, ${PLATFORM_ACCOUNTS.grants}::uuid, w.id, g.amount, 'grant',
          w.user_id, ${randomUUID()}::uuid, 'bench@bench.example.org', 'Starting credits (benchmark)',
          ${H0} - interval '1 day'
        from (
          select u.n, md5('bench-user:' || u.n)::uuid as user_id,
            case
              when u.n % ${stride} <> 7 then greatest(1000000, ceil(coalesce(b.burn, 0) * 1000 / 1024.0))
              when (u.n / ${stride}) % 2 = 0 then ceil(coalesce(b.burn, 0) * 12 / 1024.0)
              else ceil(coalesce(b.burn, 0) / 2 / 1024.0)
            end::bigint as amount
          from generate_series(1, ${U}::int) u(n)
          left join (
            select owner_n, sum(v.running_rate_x1024) as burn
            from bench_vms p join vms v on v.id = p.id where v.status <> 'deleted' group by owner_n
          ) b on b.owner_n = u.n
        ) g join ledger_accounts w on w.user_id = g.user_id
        where g.amount > 0`);
      await tx.execute(sql`
        update ledger_accounts w set credits_posted = w.credits_posted + t.amount
        from ledger_transfers t where t.kind = 'grant' and t.credit_account_id = w.id`);
      await tx.execute(sql`
        update ledger_accounts set debits_posted = debits_posted + (
          select coalesce(sum(amount), 0) from ledger_transfers where kind = 'grant')
        where id = ${PLATFORM_ACCOUNTS.grants}::uuid`);
    }),
  );

  // What autovacuum would have done on a database this size by now.
  await step('vacuum analyze', () => db.execute(sql`vacuum analyze`));

  const scenarios = await query<{ scenario: string; n: string }>(
    db,
    sql`select scenario, count(*)::text as n from bench_vms group by scenario`,
  );
  const events = await query<{ n: string }>(db, sql`select count(*)::text as n from bench_events`);
  const byName = new Map(scenarios.rows.map((r) => [r.scenario, Number(r.n)]));
  return {
    steps,
    scenarios: new Map(SCENARIOS.map(([name]) => [name, byName.get(name) ?? 0])),
    events: Number(events.rows[0]!.n),
    exemptUsers: count(U, (n) => n % EXEMPT_EVERY === 3),
    poorUsers: count(U, (n) => n % stride === 7),
  };
}

function count(users: number, pick: (n: number) => boolean): number {
  let k = 0;
  for (let n = 1; n <= users; n++) if (pick(n)) k++;
  return k;
}
