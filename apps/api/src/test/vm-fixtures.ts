import { randomUUID } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '@uni-manager/pve-sim';
import type { Vm } from '@uni-manager/contracts';
import { expect } from 'vitest';
import { templateSources, templates } from '../db/schema/index.js';
import { auth, type Client, type TestApp } from './harness.js';

/** A simulator fast enough for tests, with a fixed seed. */
export function fastSimulator(
  opts: { nodes?: number; timeScale?: number; seed?: number } = {},
): Promise<RunningSimulator> {
  return startSimulator({
    port: 0,
    nodes: opts.nodes ?? 2,
    timeScale: opts.timeScale ?? 0.02,
    authFailureDelayMs: 0,
    seed: opts.seed ?? 11,
  });
}

/** Registers the simulator through the admin API, as an admin would; returns the server id. */
export async function addSimulatorServer(
  t: TestApp,
  admin: Client,
  sim: RunningSimulator,
  name = 'Sim',
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/servers',
    headers: auth(admin),
    payload: {
      name,
      url: sim.url,
      tokenId: sim.tokens.admin.id,
      tokenSecret: sim.tokens.admin.secret,
      tls: { fingerprint: sim.fingerprint },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/**
 * A template row with its sources, written directly: these tests are about
 * VMs, and the templates API has its own tests.
 */
export async function seedTemplate(
  t: TestApp,
  sources: { serverId: string; node: string; vmid: number }[],
  over: Partial<typeof templates.$inferInsert> = {},
): Promise<string> {
  const id = randomUUID();
  await t.database.db.insert(templates).values({
    id,
    name: `Debian ${id.slice(0, 6)}`,
    osLabel: 'Debian 12',
    osIcon: 'debian',
    cores: 2,
    memoryMib: 2048,
    diskGib: 3,
    minCores: 1,
    maxCores: 8,
    minMemoryMib: 512,
    maxMemoryMib: 16384,
    maxDiskGib: 100,
    cloudInit: true,
    priceRunningPerHour: 500,
    priceStoppedPerHour: 100,
    visibility: 'public',
    ...over,
  });
  await t.database.db
    .insert(templateSources)
    .values(
      sources.map((s) => ({ id: randomUUID(), templateId: id, cloneMode: 'linked' as const, storage: null, ...s })),
    );
  return id;
}

export async function getVm(t: TestApp, c: Client, id: string): Promise<Vm> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${id}`, headers: auth(c) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Polls the VM until no operation is active, recording the steps it showed on the way. */
export async function settle(
  t: TestApp,
  c: Client,
  id: string,
  timeoutMs = 30_000,
): Promise<{ vm: Vm; steps: string[] }> {
  const steps: string[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const vm = await getVm(t, c, id);
    const step = vm.activeOperation?.step;
    if (step && steps.at(-1) !== step) steps.push(step);
    if (!vm.activeOperation) return { vm, steps };
    if (Date.now() > until) throw new Error(`VM ${id} still busy: ${JSON.stringify(vm.activeOperation)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0a2V5Zm9ydW5pbWFuYWdlcnRlc3RzMDEyMzQ1 student@laptop';

/** Test settings: fast polling and retries, so faults play out in milliseconds. */
export const FAST_OPERATIONS = {
  OPERATION_POLL_MS: '50',
  OPERATION_RETRY_BASE_MS: '50',
  PROXMOX_TIMEOUT: '3',
};
