import { randomUUID } from 'node:crypto';
import { hourlyRatesX1024 } from '@uni-manager/contracts';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmMeters, vms } from '../../db/schema/index.js';
import { query } from '../../lib/sql.js';
import {
  buildTestApp,
  createTestDatabase,
  manualClock,
  STRONG_PASSWORD,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import { applyVmPatch } from '../vms/operations/engine.js';
import { MICROS_PER_HOUR, OWED_DENOMINATOR } from './billing.meter.js';

/**
 * The money is right under any interleaving: a model of what each VM owes,
 * computed here independently of the SQL (BigInt, per-microsecond segments,
 * UTC months, the monthly cap), against the ledger the real service writes
 * through the real triggers, after random creates, starts, stops, suspends,
 * resizes, deletions, cycles, grants, exemption changes and clock jumps.
 */
// Low, so that random clock jumps reach it often: the cap is part of what is checked.
const CAP_HOURS = 72;
const PRICES = {
  priceRunningPerHour: 500,
  priceStoppedPerHour: 70,
  pricePerCoreHour: 130,
  pricePerGibMemoryHour: 77,
  pricePerGibDiskHour: 3,
  baseCores: 2,
  baseMemoryMib: 2048,
  baseDiskGib: 10,
};

interface ModelVm {
  id: string;
  owner: number;
  status: 'active' | 'deleted';
  power: 'running' | 'stopped' | 'paused';
  cores: number;
  memoryMib: number;
  diskGib: number;
  /** Rate changes: [instant in µs, rate x1024]. */
  periods: [bigint, bigint][];
}

function rateOf(v: Pick<ModelVm, 'status' | 'power' | 'cores' | 'memoryMib' | 'diskGib'>): bigint {
  if (v.status !== 'active') return 0n;
  const r = hourlyRatesX1024(
    {
      priceRunningPerHour: PRICES.priceRunningPerHour,
      priceStoppedPerHour: PRICES.priceStoppedPerHour,
      unitPrices: {
        perCorePerHour: PRICES.pricePerCoreHour,
        perGibMemoryPerHour: PRICES.pricePerGibMemoryHour,
        perGibDiskPerHour: PRICES.pricePerGibDiskHour,
      },
      base: { cores: PRICES.baseCores, memoryMib: PRICES.baseMemoryMib, diskGib: PRICES.baseDiskGib },
    },
    v,
  );
  return BigInt(v.power === 'stopped' ? r.stopped : r.running);
}

const monthOf = (us: bigint) => {
  const d = new Date(Number(us / 1000n));
  return BigInt(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) * 1000n;
};
const nextMonth = (monthUs: bigint) => {
  const d = new Date(Number(monthUs / 1000n));
  return BigInt(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) * 1000n;
};

/** Exactly what the VM owes up to `end` (µs), as a numerator over OWED_DENOMINATOR. */
function owedNumerator(v: ModelVm, end: bigint): bigint {
  const months = new Map<bigint, { usage: bigint; max: bigint }>();
  for (let i = 0; i < v.periods.length; i++) {
    const [a0, rate] = v.periods[i]!;
    const b0 = i + 1 < v.periods.length ? v.periods[i + 1]![0] : end;
    let a = a0;
    const b = b0 < end ? b0 : end;
    while (a < b) {
      const m = monthOf(a);
      const mEnd = nextMonth(m);
      const pieceEnd = b < mEnd ? b : mEnd;
      const cur = months.get(m) ?? { usage: 0n, max: 0n };
      cur.usage += rate * (pieceEnd - a);
      if (rate > cur.max) cur.max = rate;
      months.set(m, cur);
      a = pieceEnd;
    }
  }
  let total = 0n;
  for (const { usage, max } of months.values()) {
    const cap = max * BigInt(CAP_HOURS) * MICROS_PER_HOUR;
    total += usage < cap ? usage : cap;
  }
  return total;
}

type Cmd =
  | { t: 'create'; owner: number; running: boolean }
  | { t: 'power'; vm: number; to: 'running' | 'stopped' | 'paused' }
  | { t: 'resize'; vm: number; cores: number; memoryMib: number; diskGib: number }
  | { t: 'delete'; vm: number }
  | { t: 'cycle' }
  | { t: 'grant'; owner: number; amount: number }
  | { t: 'exempt'; owner: number; exempt: boolean }
  | { t: 'clock'; ms: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('create' as const), owner: fc.nat(2), running: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('power' as const),
      vm: fc.nat(20),
      to: fc.constantFrom('running' as const, 'stopped' as const, 'paused' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('resize' as const),
      vm: fc.nat(20),
      cores: fc.integer({ min: 1, max: 8 }),
      memoryMib: fc.integer({ min: 4, max: 64 }).map((n) => n * 128),
      diskGib: fc.integer({ min: 10, max: 200 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), vm: fc.nat(20) }) },
  { weight: 4, arbitrary: fc.constant({ t: 'cycle' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('grant' as const),
      owner: fc.nat(2),
      amount: fc.integer({ min: 1, max: 5_000_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('exempt' as const), owner: fc.nat(2), exempt: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 3 * 3_600_000 }),
        fc.integer({ min: 1, max: 12 * 86_400_000 }),
        fc.integer({ min: 20 * 86_400_000, max: 40 * 86_400_000 }),
      )
      .map((ms) => ({ t: 'clock' as const, ms })),
  },
);

describe('billing under random interleavings (property)', () => {
  let tdb: TestDatabase;
  let t: TestApp;
  const clock = manualClock(new Date('2026-01-27T22:13:07.123Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    t = await buildTestApp({
      database: tdb.database,
      clock,
      env: { MONTHLY_CAP_HOURS: String(CAP_HOURS), BILLING_ALLOW_FUTURE_RUNS: 'true', INITIAL_CREDITS: '0' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  it('charges every VM its billable time at its rates, capped, exactly once, and the ledger always balances', async () => {
    const db = t.database.db;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        run++;
        const owners: string[] = [];
        for (let i = 0; i < 3; i++) {
          const { id } = await t.services.users.createAccount(
            {
              email: `m${run}-${i}-${randomUUID().slice(0, 6)}@example.org`,
              displayName: 'M',
              password: STRONG_PASSWORD,
              role: 'user',
            },
            { ip: null, userAgent: 'test', requestId: null },
          );
          owners.push(id);
        }
        const admin = { userId: owners[0]!, sessionId: 'x', email: 'admin@example.org', role: 'admin' as const };
        const meta = { ip: null, userAgent: 'test', requestId: null };
        const model: ModelVm[] = [];
        const exempt = [false, false, false];
        const everExempt = [false, false, false];
        const granted = [0, 0, 0];
        const nowUs = () => BigInt(clock.now().getTime()) * 1000n;

        const patch = async (v: ModelVm, p: Partial<typeof vms.$inferInsert>, next: Partial<ModelVm>) => {
          await db.transaction((tx) => applyVmPatch(tx, v.id, p, clock.now(), 'reconcile'));
          const before = rateOf(v);
          Object.assign(v, next);
          const after = rateOf(v);
          if (after !== before) v.periods.push([nowUs(), after]);
        };

        for (const c of cmds) {
          const live = model.filter((v) => v.status === 'active');
          const pick = (i: number) => (live.length ? live[i % live.length]! : undefined);
          switch (c.t) {
            case 'create': {
              const id = randomUUID();
              const now = clock.now();
              await db.insert(vms).values({
                id,
                ownerId: owners[c.owner]!,
                name: `vm-${id.slice(0, 8)}`,
                cores: 2,
                memoryMib: 2048,
                diskGib: 10,
                status: 'provisioning',
                powerState: 'unknown',
                ...PRICES,
                createdAt: now,
                updatedAt: now,
              });
              const v: ModelVm = {
                id,
                owner: c.owner,
                status: 'active',
                power: c.running ? 'running' : 'stopped',
                cores: 2,
                memoryMib: 2048,
                diskGib: 10,
                periods: [[nowUs(), 0n]],
              };
              model.push(v);
              await db.transaction((tx) =>
                applyVmPatch(tx, id, { status: 'active', powerState: v.power }, clock.now(), 'operation'),
              );
              const r = rateOf(v);
              if (r !== 0n) v.periods.push([nowUs(), r]);
              break;
            }
            case 'power': {
              const v = pick(c.vm);
              if (v) await patch(v, { powerState: c.to }, { power: c.to });
              break;
            }
            case 'resize': {
              const v = pick(c.vm);
              if (v) await patch(v, { cores: c.cores, memoryMib: c.memoryMib, diskGib: c.diskGib }, c);
              break;
            }
            case 'delete': {
              const v = pick(c.vm);
              if (v)
                await patch(v, { status: 'deleted', powerState: 'stopped' }, { status: 'deleted', power: 'stopped' });
              break;
            }
            case 'cycle':
              await t.services.billing.runCycle({ trigger: 'manual' });
              break;
            case 'grant':
              await t.services.billing.adjust(
                admin,
                owners[c.owner]!,
                { kind: 'grant', amount: c.amount, reason: 'model grant' },
                meta,
              );
              granted[c.owner]! += c.amount;
              break;
            case 'exempt':
              await t.services.billing.setProfile(admin, owners[c.owner]!, { billingExempt: c.exempt }, meta);
              exempt[c.owner] = c.exempt;
              if (c.exempt) everExempt[c.owner] = true;
              break;
            case 'clock':
              clock.advance(c.ms);
              break;
          }
          const v = await t.services.billing.verify();
          expect(v.violation).toBeNull();
        }

        // A last cycle, then each VM's whole life is charged: to the minor unit.
        await t.services.billing.runCycle({ trigger: 'manual' });
        const end = nowUs();
        for (const v of model) {
          const owed = owedNumerator(v, end);
          const [m] = await db.select().from(vmMeters).where(eq(vmMeters.vmId, v.id));
          const charged = await query<{ s: string | null }>(
            db,
            sql`select sum(amount)::text as s from ledger_transfers where vm_id = ${v.id}::uuid and kind = 'usage'`,
          );
          const chargedMinor = BigInt(charged.rows[0]!.s ?? '0');
          expect(BigInt(m!.settled)).toBe(owed / OWED_DENOMINATOR);
          expect(chargedMinor + BigInt(m!.waived)).toBe(owed / OWED_DENOMINATOR);
          if (!everExempt[v.owner]) expect(BigInt(m!.waived)).toBe(0n);
          // Over its whole life, charged and owed differ by less than one minor unit.
          const diff = owed - (chargedMinor + BigInt(m!.waived)) * OWED_DENOMINATOR;
          expect(diff >= 0n && diff < OWED_DENOMINATOR).toBe(true);
        }
        for (let i = 0; i < 3; i++) {
          const b = await t.services.billing.balance(owners[i]!);
          const charged = await query<{ s: string | null }>(
            db,
            sql`select sum(amount)::text as s from ledger_transfers where user_id = ${owners[i]!}::uuid and kind = 'usage'`,
          );
          expect(b.posted).toBe(granted[i]! - Number(charged.rows[0]!.s ?? 0));
        }
        // Running the cycle again at the same instant charges nothing.
        const again = await t.services.billing.runCycle({ trigger: 'manual' });
        expect(again.transfers).toBe(0);
      }),
      { numRuns: Number(process.env.BILLING_MODEL_RUNS ?? 25), endOnFailure: true },
    );
  }, 300_000);
});
