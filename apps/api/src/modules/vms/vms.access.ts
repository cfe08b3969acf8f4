import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { vms, type VmRow } from '../../db/schema/index.js';
import type { Actor } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';

/**
 * The one door to a VM: admins reach every VM, a user only their own, and
 * anything else is "not found" so a guessed id reveals nothing. Deleted VMs
 * are gone for everybody but an admin's history.
 */
export async function getAccessibleVm(
  db: Executor,
  actor: Pick<Actor, 'userId' | 'role'>,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<VmRow> {
  const conditions = [eq(vms.id, id)];
  if (actor.role !== 'admin') conditions.push(eq(vms.ownerId, actor.userId));
  if (!opts.includeDeleted) conditions.push(ne(vms.status, 'deleted'));
  const q = db
    .select()
    .from(vms)
    .where(and(...conditions))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw AppError.notFound('VM');
  return row;
}
