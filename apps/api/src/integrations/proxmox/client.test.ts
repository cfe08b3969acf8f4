import { startSimulator, type RunningSimulator } from '@uni-manager/pve-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxmoxClient, encodeSshKeys, type ProxmoxClientOptions } from './client.js';
import { ProxmoxError } from './errors.js';
import { waitForTask, type TaskProgress } from './tasks.js';
import { fetchPresentedCertificate, normalizeFingerprint } from './tls.js';

/** The client against the real simulator, over real HTTPS with its own CA. */
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, timeScale: 0.02, authFailureDelayMs: 0, seed: 7 });
});
afterAll(async () => {
  await sim?.close();
});

const clients: ReturnType<typeof createProxmoxClient>[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function client(over: Partial<ProxmoxClientOptions> = {}) {
  const c = createProxmoxClient({
    baseUrl: sim.url,
    tokenId: sim.tokens.admin.id,
    tokenSecret: sim.tokens.admin.secret,
    tls: { fingerprint: sim.fingerprint },
    timeoutMs: 3_000,
    ...over,
  });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<ProxmoxError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProxmoxError);
  return e as ProxmoxError;
}

const TEMPLATE = 9000;

/** VMIDs are unique across the cluster: each node has its own copies of the templates. */
async function templateOn(node: string): Promise<number> {
  const vms = await client().clusterResources('vm');
  const t = vms.find((r) => r.type === 'qemu' && r.node === node && (r.template === 1 || r.template === true));
  if (!t || t.type !== 'qemu') throw new Error(`no template on ${node}`);
  return t.vmid;
}

describe('TLS', () => {
  it('accepts the pinned fingerprint, and the cluster CA', async () => {
    expect((await client().version()).version).toMatch(/^\d+\.\d+/);
    expect((await client({ tls: { ca: sim.caPem } }).nodes()).map((n) => n.node).sort()).toEqual([...sim.nodes].sort());
    expect((await client({ tls: { ca: sim.caPem, fingerprint: sim.fingerprint } }).version()).version).toBeTruthy();
  });

  it('refuses a wrong fingerprint and a foreign CA, and has no trust-everything mode', async () => {
    const wrong = normalizeFingerprint('ab'.repeat(32));
    const e = await failure(client({ tls: { fingerprint: wrong } }).version());
    expect(e.kind).toBe('TLS');
    expect(e.message).toContain(wrong);
    const other = await startSimulator({ port: 0, nodes: 1, authFailureDelayMs: 0 });
    try {
      expect((await failure(client({ tls: { ca: other.caPem } }).version())).kind).toBe('TLS');
    } finally {
      await other.close();
    }
    expect(() => client({ tls: {} })).toThrow(/CA certificate or a pinned fingerprint/);
  });

  it('reads the certificate a server presents, for the admin to confirm', async () => {
    const cert = await fetchPresentedCertificate(sim.url);
    expect(cert.fingerprint256).toBe(sim.fingerprint);
    expect(cert.selfSigned).toBe(false);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now());
    // The fingerprint /nodes reports for the node is the same one.
    const nodes = await client().nodes();
    expect(nodes.every((n) => n.ssl_fingerprint === sim.fingerprint)).toBe(true);
  });
});

describe('errors', () => {
  it('types a bad token, a read-only token and bad parameters', async () => {
    expect((await failure(client({ tokenSecret: 'nope' }).version())).kind).toBe('AUTHENTICATION');
    const ro = client({ tokenId: sim.tokens.readonly.id, tokenSecret: sim.tokens.readonly.secret });
    expect((await ro.clusterResources('vm')).length).toBeGreaterThan(0);
    const denied = await failure(ro.power(sim.nodes[0]!, TEMPLATE, 'start'));
    expect(denied.kind).toBe('PERMISSION');
    expect(denied.message).toMatch(/Permission check failed/);
    const bad = await failure(client().clone(sim.nodes[0]!, TEMPLATE, { newid: 5 }));
    expect(bad.kind).toBe('VALIDATION');
    expect(bad.details.fields?.newid).toMatch(/minimum value of 100|valid VM ID/);
  });

  it('reports a taken VMID as a conflict and a missing VM as not found', async () => {
    const taken = await failure(client().nextId(TEMPLATE));
    expect(taken.kind).toBe('CONFLICT');
    expect((await failure(client().vmConfig(sim.nodes[0]!, 424242))).kind).toBe('NOT_FOUND');
  });
});

describe('tasks', () => {
  it('clones with progress, reports the clone lock meanwhile, and finishes OK', async () => {
    const c = client();
    const node = sim.nodes[0]!;
    const newid = await c.nextId();
    const upid = await c.clone(node, TEMPLATE, { newid, name: 'lab-01', full: true });
    expect(upid).toMatch(/^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmclone:9000:[^:]+:$/);
    // Config writes check the lock at once; a start is accepted and fails inside its task.
    const locked = await failure(c.setConfig(node, newid, { cores: 2 }));
    expect(locked.kind).toBe('LOCKED');
    expect(locked.details.lock).toBe('clone');
    const start = await waitForTask(c, await c.power(node, newid, 'start'), { deadlineMs: 20_000, pollMs: 50 });
    // Proxmox refuses it either on the lock entry or on the file lock the clone holds.
    expect(start).toMatchObject({
      ok: false,
      exitstatus: expect.stringMatching(/VM is locked \(clone\)|can't lock file/),
    });
    const progress: TaskProgress[] = [];
    const result = await waitForTask(c, upid, {
      deadlineMs: 20_000,
      pollMs: 50,
      onProgress: (p) => void progress.push(p),
    });
    expect(result).toMatchObject({ ok: true, exitstatus: 'OK' });
    expect(result.log.length).toBeGreaterThan(1);
    const percents = progress.map((p) => p.percent).filter((p): p is number => p !== undefined);
    expect(percents.length).toBeGreaterThan(0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect((await c.vmConfig(node, newid)).name).toBe('lab-01');
  });

  it('resolves a failed task with its message, not a throw', async () => {
    const c = client();
    const node = sim.nodes[0]!;
    const newid = await c.nextId();
    await waitForTask(c, await c.clone(node, TEMPLATE, { newid, full: false }), { deadlineMs: 20_000, pollMs: 50 });
    const shrink = await waitForTask(c, await c.resize(node, newid, 'scsi0', '1G'), { deadlineMs: 20_000, pollMs: 50 });
    expect(shrink).toMatchObject({ ok: false, exitstatus: expect.stringMatching(/shrinking disks is not supported/) });
  });

  it('gives up at the deadline with a timeout', async () => {
    const c = client();
    const node = sim.nodes[1]!;
    const newid = await c.nextId();
    const upid = await c.clone(node, await templateOn(node), { newid, full: true });
    const e = await failure(
      waitForTask(c, upid, { deadlineMs: 1, pollMs: 1 }).then((r) => {
        throw new Error(`expected a timeout, got ${JSON.stringify(r).slice(0, 300)}`);
      }),
    );
    expect(e.kind).toBe('TIMEOUT');
    await sim.control.waitForTask(upid);
  });

  it('encodes SSH keys the way Proxmox decodes them', () => {
    const enc = encodeSshKeys(['ssh-ed25519 AAAA key1@laptop', ' ssh-rsa BBBB key2 ']);
    expect(enc).toMatch(/^[-%a-zA-Z0-9_.!~*'()]*$/);
    expect(decodeURIComponent(enc)).toBe('ssh-ed25519 AAAA key1@laptop\nssh-rsa BBBB key2');
  });
});

describe('an unreachable node', () => {
  it('fails fast with a typed error when refused, and within the deadline when it hangs', async () => {
    const node = sim.nodes[1]!;
    sim.control.setNodeOffline(node, 'refuse');
    try {
      expect((await failure(client({ readAttempts: 1 }).nodeStatus(node))).kind).toBe('UNAVAILABLE');
      sim.control.setNodeOffline(node, 'hang');
      const started = Date.now();
      const e = await failure(client({ timeoutMs: 400, readAttempts: 1 }).nodeStatus(node));
      expect(e.kind).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      sim.control.setNodeOnline(node);
    }
  });

  it('is retried for reads: a node back within the backoff answers', async () => {
    const node = sim.nodes[1]!;
    sim.control.setNodeOffline(node, 'refuse');
    setTimeout(() => sim.control.setNodeOnline(node), 150);
    const status = await client({ readAttempts: 4 }).nodeStatus(node);
    expect(status.uptime).toBeGreaterThan(0);
  });

  it('is never retried for writes', async () => {
    const node = sim.nodes[1]!;
    const template = await templateOn(node);
    sim.control.setNodeOffline(node, 'refuse');
    setTimeout(() => sim.control.setNodeOnline(node), 150);
    try {
      expect((await failure(client({ readAttempts: 4 }).power(node, template, 'start'))).kind).toBe('UNAVAILABLE');
    } finally {
      sim.control.setNodeOnline(node);
    }
  });
});
