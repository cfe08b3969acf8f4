import type { Statement } from '../../apps/api/src/test/statements.js';

/** Statements that ran together: one transaction, or one statement outside any. */
export interface Unit {
  statements: Statement[];
  transaction: boolean;
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b/i;

/** Splits the log into transactions and lone statements, per connection. */
export function units(statements: readonly Statement[]): Unit[] {
  const open = new Map<object, Unit>();
  const out: Unit[] = [];
  for (const s of [...statements].sort((a, b) => a.startMs - b.startMs)) {
    const current = open.get(s.conn);
    if (current) {
      current.statements.push(s);
      if (END.test(s.sql)) open.delete(s.conn);
    } else if (BEGIN.test(s.sql)) {
      const unit = { statements: [s], transaction: true };
      open.set(s.conn, unit);
      out.push(unit);
    } else {
      out.push({ statements: [s], transaction: false });
    }
  }
  return out;
}

const mentions = (value: unknown, id: string): boolean =>
  value === id ||
  (typeof value === 'string' && value.includes(id)) ||
  (Array.isArray(value) && value.some((v) => mentions(v, id)));

/**
 * Whose work a unit was: the one server whose id one of its statements
 * names (as a parameter or in its text); null when none or several do (the
 * cycle's own statements, such as the choice of servers).
 */
export function serverOf(unit: Unit, serverIds: readonly string[]): string | null {
  const named = serverIds.filter((id) =>
    unit.statements.some((s) => s.sql.includes(id) || s.params.some((p) => mentions(p, id))),
  );
  return named.length === 1 ? named[0]! : null;
}

/** A statement's verb and table (of its main statement: subqueries and CTE bodies set aside). */
export function label(statement: string): string {
  let s = statement
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (let before = ''; before !== s;) {
    before = s;
    s = s.replace(/\([^()]*\)/g, '[]');
  }
  const verb = (s.split(' ')[0] ?? '').toLowerCase();
  if (verb === 'with') {
    const main = s.replace(/^with (recursive )?(("?\w+"? as (not )?(materialized )?\[\]),? ?)+/i, '');
    return `with … ${label(main)}`;
  }
  const table = (re: RegExp) => s.match(re)?.[1]?.replaceAll('"', '') ?? '?';
  if (verb === 'insert') return `insert into ${table(/^insert into ("?[\w.]+"?)/i)}`;
  if (verb === 'update') return `update ${table(/^update ("?[\w.]+"?)/i)}`;
  if (verb === 'delete') return `delete from ${table(/^delete from ("?[\w.]+"?)/i)}`;
  if (verb === 'select' && / from /i.test(s))
    return `select … from ${table(/ from ("?[\w.]+"?)/i)}${/ for update/i.test(s) ? ' for update' : ''}`;
  const short = s.length > 50 ? `${s.slice(0, 47)}...` : s;
  return short.replaceAll('[]', '(…)');
}
