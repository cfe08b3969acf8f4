/** State directory: stable certificate and secrets across restarts, and the optional cluster persistence. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneTemplate, startTestSim } from './testing/harness.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'pve-sim-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('state directory', () => {
  it('keeps certificate, fingerprint and secrets across restarts', async () => {
    const stateDir = tempDir();
    const a = await startTestSim({ stateDir });
    const first = { fp: a.sim.fingerprint, ca: a.sim.caPem, tokens: a.sim.tokens, pw: a.sim.rootPassword };
    expect(a.sim.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(existsSync(path.join(stateDir, 'pki', 'pve-root-ca.pem'))).toBe(true);
    expect(statSync(path.join(stateDir, 'pki', 'pve-ssl.key')).mode & 0o077).toBe(0);
    expect(statSync(path.join(stateDir, 'secrets.json')).mode & 0o077).toBe(0);
    await a.sim.close();
    const b = await startTestSim({ stateDir });
    expect(b.sim.fingerprint).toBe(first.fp);
    expect(b.sim.caPem).toBe(first.ca);
    expect(b.sim.tokens).toEqual(first.tokens);
    expect(b.sim.rootPassword).toBe(first.pw);
    // Without --persist the cluster starts fresh.
    expect(await b.api.data(b.api.get('/cluster/nextid'))).toBe('100');
    await b.sim.close();
  });

  it('uses secrets given as options instead of generated ones', async () => {
    const t = await startTestSim({ tokens: { admin: { id: 'ops@pve!panel', secret: 's3cret' } }, rootPassword: 'pw' });
    expect(t.sim.tokens.admin.header).toBe('PVEAPIToken=ops@pve!panel=s3cret');
    expect((await t.api.get('/cluster/resources')).status).toBe(200);
    expect(t.sim.rootPassword).toBe('pw');
    await t.sim.close();
    expect(existsSync(t.sim.stateDir)).toBe(false);
  });
});

describe('persistence', () => {
  it('keeps VMs, their state, and finished tasks across restarts; drops clones cut short', async () => {
    const stateDir = tempDir();
    const a = await startTestSim({ stateDir, persist: true });
    const clone = await cloneTemplate(a.api, 150, { name: 'kept' });
    await a.api.task(a.api.post('/nodes/pve1/qemu/150/status/start'));
    // A clone still running at shutdown is interrupted; its half-made VM must not come back.
    const inflight = await a.api.data<string>(a.api.post('/nodes/pve1/qemu/9000/clone', { newid: 151, full: 1 }));
    await a.sim.close();
    const saved = JSON.parse(readFileSync(path.join(stateDir, 'cluster.json'), 'utf8')) as { version: number };
    expect(saved.version).toBe(1);

    const b = await startTestSim({ stateDir, persist: true });
    const conf = await b.api.data<Record<string, unknown>>(b.api.get('/nodes/pve1/qemu/150/config'));
    expect(conf.name).toBe('kept');
    const status = await b.api.data<Record<string, unknown>>(b.api.get('/nodes/pve1/qemu/150/status/current'));
    expect(status.status).toBe('running');
    expect((await b.api.get('/nodes/pve1/qemu/151/config')).status).toBe(500);
    expect(await b.api.waitTask(clone.upid)).toMatchObject({ status: 'stopped', exitstatus: 'OK' });
    expect((await b.api.waitTask(inflight)).exitstatus).toBe('clone failed: interrupted by signal');
    expect(await b.api.data(b.api.get('/cluster/nextid'))).toBe('100');
    await b.sim.close();
  });
});
