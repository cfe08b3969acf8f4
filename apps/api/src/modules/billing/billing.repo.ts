import type { AdminTransaction, Transaction, TransferKind } from '@uni-manager/contracts';
import { MINOR_UNITS_PER_CREDIT } from '@uni-manager/contracts';
import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { ledgerAccounts, ledgerTransfers, users, vms } from '../../db/schema/index.js';

export interface TransferFilter {
  userId?: string;
  kind?: TransferKind;
  vmId?: string;
  from?: string;
  to?: string;
}

const reversal = alias(ledgerTransfers, 'reversal');
const credited = alias(ledgerAccounts, 'credited');

function conditions(f: TransferFilter): SQL | undefined {
  const where: SQL[] = [];
  if (f.userId) where.push(eq(ledgerTransfers.userId, f.userId));
  if (f.kind) where.push(eq(ledgerTransfers.kind, f.kind));
  if (f.vmId) where.push(eq(ledgerTransfers.vmId, f.vmId));
  if (f.from) where.push(gte(ledgerTransfers.createdAt, new Date(f.from)));
  if (f.to) where.push(lt(ledgerTransfers.createdAt, new Date(f.to)));
  return where.length ? and(...where) : undefined;
}

function select(db: Executor) {
  return db
    .select({
      t: ledgerTransfers,
      vmName: vms.name,
      reversedById: reversal.id,
      toWallet: sql<boolean>`${credited.kind} = 'wallet'`,
      userEmail: users.email,
      userName: users.displayName,
    })
    .from(ledgerTransfers)
    .innerJoin(credited, eq(credited.id, ledgerTransfers.creditAccountId))
    .leftJoin(vms, eq(vms.id, ledgerTransfers.vmId))
    .leftJoin(reversal, eq(reversal.reversesId, ledgerTransfers.id))
    .leftJoin(users, eq(users.id, ledgerTransfers.userId));
}
type Joined = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];

function toTransaction(r: Joined): AdminTransaction {
  const t = r.t;
  return {
    id: t.id,
    kind: t.kind,
    // From the wallet's side: what came in is positive.
    amount: r.toWallet ? t.amount : -t.amount,
    createdAt: t.createdAt.toISOString(),
    reason: t.reason,
    vm: t.vmId ? { id: t.vmId, name: r.vmName ?? '' } : null,
    periodStart: t.periodStart?.toISOString() ?? null,
    periodEnd: t.periodEnd?.toISOString() ?? null,
    reversesId: t.reversesId,
    reversedById: r.reversedById,
    batchId: t.batchId,
    actorEmail: t.actorEmail,
    user: t.userId ? { id: t.userId, email: r.userEmail ?? '', displayName: r.userName ?? '' } : null,
  };
}

export async function listTransfers(
  db: Executor,
  f: TransferFilter,
  page: { page: number; pageSize: number },
): Promise<{ items: AdminTransaction[]; total: number }> {
  const where = conditions(f);
  const [rows, [total]] = await Promise.all([
    select(db)
      .where(where)
      .orderBy(desc(ledgerTransfers.createdAt), desc(ledgerTransfers.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(ledgerTransfers).where(where),
  ]);
  return { items: rows.map(toTransaction), total: total?.n ?? 0 };
}

export async function getTransfer(db: Executor, id: string): Promise<AdminTransaction | null> {
  const [r] = await select(db).where(eq(ledgerTransfers.id, id));
  return r ? toTransaction(r) : null;
}

export function asUserTransaction(t: AdminTransaction): Transaction {
  const { user: _user, ...rest } = t;
  return rest;
}

/** The most a CSV export carries: beyond it, narrow the dates. */
export const CSV_MAX_ROWS = 100_000;

/** A cell; `text` marks what people typed (names, reasons), which a spreadsheet must not take for a formula. */
function csvCell(v: string | number | null, text = false): string {
  if (v === null) return '';
  const s = String(v);
  const safe = text && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function credits(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const a = Math.abs(minor);
  const decimals = Math.round(Math.log10(MINOR_UNITS_PER_CREDIT));
  return `${sign}${Math.floor(a / MINOR_UNITS_PER_CREDIT)}.${String(a % MINOR_UNITS_PER_CREDIT).padStart(decimals, '0')}`;
}

export async function transfersCsv(db: Executor, f: TransferFilter, withUser: boolean): Promise<string> {
  const rows = await select(db)
    .where(conditions(f))
    .orderBy(desc(ledgerTransfers.createdAt), desc(ledgerTransfers.id))
    .limit(CSV_MAX_ROWS);
  const header = [
    'id',
    'date',
    'kind',
    'amount',
    'amount_minor_units',
    ...(withUser ? ['user_email'] : []),
    'vm',
    'reason',
    'period_start',
    'period_end',
    'reverses',
    'reversed_by',
  ];
  const lines = rows
    .map(toTransaction)
    .map((t) =>
      [
        csvCell(t.id),
        csvCell(t.createdAt),
        csvCell(t.kind),
        csvCell(credits(t.amount)),
        csvCell(t.amount),
        ...(withUser ? [csvCell(t.user?.email ?? null, true)] : []),
        csvCell(t.vm?.name ?? null, true),
        csvCell(t.reason, true),
        csvCell(t.periodStart),
        csvCell(t.periodEnd),
        csvCell(t.reversesId),
        csvCell(t.reversedById),
      ].join(','),
    );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
