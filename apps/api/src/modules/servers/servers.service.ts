import { randomUUID } from 'node:crypto';
import { requiredPrivileges, type ConnectionTest, type Server, type UpdateServerBody } from '@uni-manager/contracts';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { servers, vms, type ServerRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { DecryptionError, type SecretBox } from '../../lib/crypto/secret-box.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { createProxmoxClient, type ProxmoxClient } from '../../integrations/proxmox/client.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import { fetchPresentedCertificate, type TlsTrust } from '../../integrations/proxmox/tls.js';
import { appendAudit } from '../audit/audit.repo.js';
import { toServer } from './servers.mapper.js';
import * as repo from './servers.repo.js';

export interface ConnectionSettings {
  url: string;
  tokenId: string;
  tokenSecret: string;
  tls: TlsTrust;
}

export interface ServersServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  /** Per request to Proxmox; the connection test must answer an admin promptly. */
  proxmoxTimeoutMs: number;
}

/** The AAD of a server's sealed token: a secret copied onto another row will not open. */
const secretContext = (serverId: string) => `server:${serverId}:token-secret`;

export function createServersService(deps: ServersServiceDeps) {
  const { db, clock, secrets } = deps;

  function client(s: ConnectionSettings, opts: { readAttempts?: number } = {}): ProxmoxClient {
    return createProxmoxClient({
      baseUrl: s.url,
      tokenId: s.tokenId,
      tokenSecret: s.tokenSecret,
      tls: s.tls,
      timeoutMs: deps.proxmoxTimeoutMs,
      readAttempts: opts.readAttempts ?? 1,
      logger: deps.logger.child({ proxmox: s.url }),
    });
  }

  /**
   * One client per server (and retry setting) for the whole process, kept
   * while the server's settings are unchanged: its keep-alive sockets serve
   * every operation and cycle, instead of a TLS handshake (on both sides) per
   * operation. Borrowers may call close(); only a change of settings closes it.
   */
  const shared = new Map<string, { version: string; client: ProxmoxClient }>();
  function sharedClient(row: ServerRow, readAttempts: number): ProxmoxClient {
    const key = `${row.id}:${readAttempts}`;
    const version = `${row.updatedAt.getTime()}:${row.url}:${row.tokenId}:${row.tlsFingerprint ?? ''}:${row.tokenSecretSealed}`;
    let entry = shared.get(key);
    if (!entry || entry.version !== version) {
      // In-flight requests on the old one finish: undici's close waits for them.
      if (entry) void entry.client.close().catch(() => {});
      entry = { version, client: client(settingsOf(row), { readAttempts }) };
      shared.set(key, entry);
    }
    return { ...entry.client, close: async () => {} };
  }

  function unseal(row: ServerRow): string {
    try {
      return secrets.decrypt(row.tokenSecretSealed, secretContext(row.id));
    } catch (e) {
      if (!(e instanceof DecryptionError)) throw e;
      deps.logger.error({ serverId: row.id, keyId: secrets.keyIdOf(row.tokenSecretSealed) }, e.message);
      throw new AppError(
        'PROXMOX_CONNECTION_FAILED',
        `The stored token of "${row.name}" cannot be decrypted with the configured ENCRYPTION_KEY: restore the key (ENCRYPTION_KEYS_PREVIOUS) or enter the token again`,
      );
    }
  }

  function settingsOf(row: ServerRow): ConnectionSettings {
    return {
      url: row.url,
      tokenId: row.tokenId,
      tokenSecret: unseal(row),
      tls: { fingerprint: row.tlsFingerprint ?? undefined, ca: row.tlsCaPem ?? undefined },
    };
  }

  /**
   * Connects, reads the version and nodes, and checks the token's privileges
   * on "/". Every failure is reported in the result, not thrown: this is
   * what the admin's "Test connection" button shows.
   */
  async function testConnection(s: ConnectionSettings): Promise<ConnectionTest> {
    const c = client(s);
    const started = performance.now();
    try {
      const version = await c.version();
      const latencyMs = Math.round(performance.now() - started);
      const nodes = await c.nodes();
      let permissions: ConnectionTest['permissions'] = { checked: false, missing: [] };
      try {
        const granted = (await c.permissions('/'))['/'] ?? {};
        permissions = { checked: true, missing: requiredPrivileges.filter((p) => !granted[p]) };
      } catch (e) {
        if (!(e instanceof ProxmoxError) || (e.kind !== 'NOT_IMPLEMENTED' && e.kind !== 'NOT_FOUND')) throw e;
      }
      return {
        ok: permissions.missing.length === 0,
        latencyMs,
        version: `${version.version}${version.release ? ` (${version.release})` : ''}`,
        nodes: nodes.map((n) => ({ node: n.node, status: n.status })),
        permissions,
        error: permissions.missing.length
          ? { kind: 'PERMISSION', message: `The token lacks ${permissions.missing.join(', ')} on /` }
          : null,
      };
    } catch (e) {
      const err = e instanceof ProxmoxError ? e : new ProxmoxError('SERVER', (e as Error).message);
      return {
        ok: false,
        latencyMs: null,
        version: null,
        nodes: [],
        permissions: { checked: false, missing: [] },
        error: { kind: err.kind, message: err.message },
      };
    } finally {
      await c.close();
    }
  }

  async function requireWorking(s: ConnectionSettings): Promise<ConnectionTest> {
    const t = await testConnection(s);
    if (!t.ok)
      throw new AppError('PROXMOX_CONNECTION_FAILED', t.error?.message ?? 'The connection test failed', {
        test: t,
      });
    return t;
  }

  async function get(id: string): Promise<Server> {
    const found = await repo.getServer(db, id);
    if (!found) throw AppError.notFound('Server');
    return toServer(found.row, found.nodes);
  }

  /** What an audit entry may say about a server: never the secret. */
  const describe = (
    r: Pick<ServerRow, 'name' | 'url' | 'tokenId' | 'tlsFingerprint' | 'enabled' | 'maintenance'> & {
      tlsCaPem?: string | null;
    },
  ) => ({
    name: r.name,
    url: r.url,
    tokenId: r.tokenId,
    fingerprint: r.tlsFingerprint,
    ca: r.tlsCaPem ? 'set' : null,
    enabled: r.enabled,
    maintenance: r.maintenance,
  });

  return {
    get,
    testConnection,

    async list(): Promise<Server[]> {
      const { rows, nodes } = await repo.listServers(db);
      return rows.map((r) => toServer(r, nodes));
    },

    /** Step one of adding a server: what certificate does it present? The admin confirms it. */
    async probe(url: string) {
      try {
        return { url, certificate: await fetchPresentedCertificate(url, deps.proxmoxTimeoutMs) };
      } catch (e) {
        throw new AppError(
          'PROXMOX_CONNECTION_FAILED',
          `Could not read the certificate of ${url}: ${(e as Error).message}`,
          {
            kind: e instanceof ProxmoxError ? e.kind : 'UNAVAILABLE',
          },
        );
      }
    },

    /** Tests a saved server, with `changes` applied over its stored settings (nothing is saved). */
    async testSaved(id: string, changes: Partial<ConnectionSettings> = {}): Promise<ConnectionTest> {
      const found = await repo.getServer(db, id);
      if (!found) throw AppError.notFound('Server');
      const saved = settingsOf(found.row);
      return testConnection({
        url: changes.url ?? saved.url,
        tokenId: changes.tokenId ?? saved.tokenId,
        tokenSecret: changes.tokenSecret ?? saved.tokenSecret,
        tls: changes.tls ?? saved.tls,
      });
    },

    /** `actor` is null when an operator adds the server from the command line. */
    async create(
      actor: Actor | null,
      input: ConnectionSettings & { name: string },
      meta: RequestMeta,
    ): Promise<Server> {
      const test = await requireWorking(input);
      const id = randomUUID();
      const now = clock.now();
      try {
        await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(servers)
            .values({
              id,
              name: input.name,
              url: input.url,
              tokenId: input.tokenId,
              tokenSecretSealed: secrets.encrypt(input.tokenSecret, secretContext(id)),
              tlsFingerprint: input.tls.fingerprint ?? null,
              tlsCaPem: input.tls.ca ?? null,
              pveVersion: test.version,
              health: 'healthy',
              lastCheckedAt: now,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          await repo.replaceNodes(
            tx,
            id,
            test.nodes.map((n) => ({ node: n.node, status: n.status === 'online' ? 'online' : 'offline' })),
            now,
          );
          await appendAudit(
            tx,
            {
              action: 'server.created',
              actorId: actor?.userId ?? null,
              actorEmail: actor?.email ?? null,
              targetType: 'server',
              targetId: id,
              details: { after: describe(row!), version: test.version },
              ...meta,
            },
            now,
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw AppError.field('NAME_TAKEN', 'name', 'A server with this name already exists');
        throw e;
      }
      return get(id);
    },

    async update(
      actor: Actor,
      id: string,
      patch: Omit<UpdateServerBody, 'tls'> & { tls?: TlsTrust },
      meta: RequestMeta,
    ): Promise<Server> {
      const found = await repo.getServer(db, id);
      if (!found) throw AppError.notFound('Server');
      const before = found.row;
      const connectionChanged =
        patch.url !== undefined ||
        patch.tokenId !== undefined ||
        patch.tokenSecret !== undefined ||
        patch.tls !== undefined;
      // New connection settings must work before they replace ones that did.
      if (connectionChanged) {
        const current = settingsOf(before);
        await requireWorking({
          url: patch.url ?? current.url,
          tokenId: patch.tokenId ?? current.tokenId,
          tokenSecret: patch.tokenSecret ?? current.tokenSecret,
          tls: patch.tls ?? current.tls,
        });
      }
      if (patch.name !== undefined) {
        const [clash] = await db.select({ id: servers.id }).from(servers).where(eq(servers.name, patch.name)).limit(1);
        if (clash && clash.id !== id)
          throw AppError.field('NAME_TAKEN', 'name', 'A server with this name already exists');
      }
      const now = clock.now();
      try {
        await db.transaction(async (tx) => {
          const locked = await repo.lockServer(tx, id);
          if (!locked) throw AppError.notFound('Server');
          const [after] = await tx
            .update(servers)
            .set({
              ...(patch.name !== undefined ? { name: patch.name } : {}),
              ...(patch.url !== undefined ? { url: patch.url } : {}),
              ...(patch.tokenId !== undefined ? { tokenId: patch.tokenId } : {}),
              ...(patch.tokenSecret !== undefined
                ? { tokenSecretSealed: secrets.encrypt(patch.tokenSecret, secretContext(id)) }
                : {}),
              ...(patch.tls !== undefined
                ? { tlsFingerprint: patch.tls.fingerprint ?? null, tlsCaPem: patch.tls.ca ?? null }
                : {}),
              ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
              ...(patch.maintenance !== undefined ? { maintenance: patch.maintenance } : {}),
              updatedAt: now,
            })
            .where(eq(servers.id, id))
            .returning();
          await appendAudit(
            tx,
            {
              action: 'server.updated',
              actorId: actor.userId,
              actorEmail: actor.email,
              targetType: 'server',
              targetId: id,
              details: {
                before: describe(locked),
                after: describe(after!),
                tokenSecretChanged: patch.tokenSecret !== undefined,
              },
              ...meta,
            },
            now,
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw AppError.field('NAME_TAKEN', 'name', 'A server with this name already exists');
        throw e;
      }
      return get(id);
    },

    async remove(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.lockServer(tx, id);
        if (!row) throw AppError.notFound('Server');
        const [{ live } = { live: 0 }] = await tx
          .select({ live: sql<number>`count(*)`.mapWith(Number) })
          .from(vms)
          .where(and(eq(vms.serverId, id), ne(vms.status, 'deleted')));
        if (live > 0) {
          throw new AppError(
            'CONFLICT',
            `"${row.name}" still has ${live} VM${live === 1 ? '' : 's'}: delete them first, or disable the server instead`,
            { vms: live },
          );
        }
        // Deleted VMs stay in the history without their server (node and VMID are kept).
        await tx.update(vms).set({ serverId: null }).where(eq(vms.serverId, id));
        await tx.delete(servers).where(eq(servers.id, id));
        await appendAudit(
          tx,
          {
            action: 'server.deleted',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'server',
            targetId: id,
            details: { before: describe(row) },
            ...meta,
          },
          clock.now(),
        );
      });
    },

    /** The client for a saved server, for jobs; the caller closes it. */
    /** At shutdown: the shared clients' sockets. */
    async closeClients() {
      const all = [...shared.values()];
      shared.clear();
      await Promise.all(all.map((e) => e.client.close().catch(() => {})));
    },

    async clientFor(
      id: string,
      opts?: { readAttempts?: number },
    ): Promise<{ server: ServerRow; client: ProxmoxClient }> {
      const found = await repo.getServer(db, id);
      if (!found) throw AppError.notFound('Server');
      return { server: found.row, client: sharedClient(found.row, opts?.readAttempts ?? 1) };
    },

    /** Re-seals every token secret that an older key sealed. Idempotent. */
    async rotateKeys(meta: RequestMeta): Promise<{ rotated: number; total: number }> {
      return db.transaction(async (tx) => {
        const rows = await tx.select().from(servers).for('update');
        const stale = rows.filter((r) => secrets.keyIdOf(r.tokenSecretSealed) !== secrets.currentKeyId);
        for (const r of stale) {
          const plain = unseal(r);
          await tx
            .update(servers)
            .set({ tokenSecretSealed: secrets.encrypt(plain, secretContext(r.id)) })
            .where(eq(servers.id, r.id));
        }
        if (stale.length)
          await appendAudit(
            tx,
            {
              action: 'keys.rotated',
              targetType: 'encryption_key',
              targetId: secrets.currentKeyId,
              details: { rotated: stale.length, total: rows.length },
              ...meta,
            },
            clock.now(),
          );
        return { rotated: stale.length, total: rows.length };
      });
    },
  };
}
export type ServersService = ReturnType<typeof createServersService>;
