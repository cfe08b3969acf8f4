/** Clone, config, resize, power, snapshots, destroy and task logs, through the HTTPS API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate, sleep, startTestSim, type TestSim } from './testing/harness.js';

let t: TestSim;
beforeAll(async () => {
  // A snapshot lasts half a second here (not 30 ms), so its lock can be seen under a loaded machine too.
  t = await startTestSim({ durations: { snapshot: 50_000 } });
});
afterAll(async () => {
  await t?.sim.close();
});

const status = (vmid: number) =>
  t.api.data<Record<string, unknown>>(t.api.get(`/nodes/pve1/qemu/${vmid}/status/current`));
const config = (vmid: number, query?: Record<string, string | number>) =>
  t.api.data<Record<string, unknown>>(t.api.get(`/nodes/pve1/qemu/${vmid}/config`, query));

describe('clone', () => {
  it('creates the VM at once with lock clone, refuses operations meanwhile, unlocks at the end', async () => {
    // A full clone takes 20 s of simulated time: 200 ms here.
    const upid = await t.api.data<string>(t.api.post('/nodes/pve1/qemu/9000/clone', { newid: 100, full: 1 }));
    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmclone:9000:root@pam!uni-manager:$/);

    const during = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/resources', { type: 'vm' }));
    expect(during.find((v) => v.vmid === 100)).toMatchObject({
      lock: 'clone',
      name: 'Copy-of-VM-debian-12-cloud',
      status: 'stopped',
    });

    // Tasks wait for the clone's file lock (lock_config, 10 s) and give up before a 20 s clone ends.
    const start = await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    expect(start.exitstatus).toBe("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout");
    const configPut = await t.api.put('/nodes/pve1/qemu/100/config', { cores: 4 });
    expect(configPut.status).toBe(500);
    expect(configPut.json?.message).toBe('VM is locked (clone)\n');
    const again = await t.api.post('/nodes/pve1/qemu/9000/clone', { newid: 100 });
    expect(again.json?.message).toBe('unable to create VM 100: config file already exists\n');

    const done = await t.api.waitTask(upid);
    expect(done.exitstatus).toBe('OK');
    const conf = await config(100);
    expect(conf.lock).toBeUndefined();
    expect(conf.name).toBe('Copy-of-VM-debian-12-cloud');
    expect(conf.scsi0).toMatch(/^local-lvm:vm-100-disk-0,.*size=3G/);
    expect(conf.ide2).toBe('local-lvm:vm-100-cloudinit,media=cdrom');
    expect(conf.template).toBeUndefined();

    const log = await t.api.taskLog(upid);
    expect(log).toContain('create full clone of drive scsi0 (local-lvm:base-9000-disk-0)');
    expect(log.some((l) => /transferred 3\.0 GiB of 3\.0 GiB \(100\.00%\)/.test(l))).toBe(true);
    expect(log.at(-1)).toBe('TASK OK');
  });

  it('makes linked clones of templates by default, with a name and a target', async () => {
    const r = await cloneTemplate(t.api, 101, { name: 'web-1', description: 'hello' });
    expect(r.exitstatus).toBe('OK');
    const conf = await config(101);
    expect(conf).toMatchObject({ name: 'web-1', description: 'hello' });
    expect(conf.scsi0).toMatch(/^local-lvm:base-9000-disk-0\/vm-101-disk-0,/);
    expect(conf.net0).not.toBe((await config(9000)).net0);
  });

  it('refuses storage for linked clones and local storage for another node', async () => {
    const linked = await t.api.post('/nodes/pve1/qemu/9000/clone', { newid: 102, full: 0, storage: 'shared' });
    expect(linked.json?.message).toBe("parameter 'storage' not allowed for linked clones\n");
    const target = await t.api.post('/nodes/pve1/qemu/9000/clone', { newid: 102, target: 'pve2' });
    expect(target.json?.message).toBe("can't clone VM to node 'pve2' (VM uses local storage)\n");
    const notTemplate = await t.api.post('/nodes/pve1/qemu/100/clone', { newid: 102, full: 0 });
    expect(notTemplate.json?.message).toMatch(
      /^Linked clone feature is not supported for 'local-lvm:vm-100-disk-0' \(scsi0\)/,
    );
  });

  it('shows the task log growing while it runs', async () => {
    const upid = await t.api.data<string>(t.api.post('/nodes/pve1/qemu/9002/clone', { newid: 103, full: 1 }));
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      const lines = await t.api.data<{ n: number; t: string }[]>(
        t.api.get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { limit: 500 }),
      );
      seen.push(lines.length);
      if (lines.at(-1)?.t === 'TASK OK') break;
      await sleep(15);
    }
    expect(new Set(seen).size).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const page = await t.api.get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { start: 2, limit: 2 });
    expect(page.json?.total).toBe(seen.at(-1));
    expect((page.json?.data as { n: number }[]).map((l) => l.n)).toEqual([3, 4]);
  });
});

describe('config', () => {
  it('applies PUT at once on a stopped VM and runs POST as a qmconfig task', async () => {
    expect(await t.api.data(t.api.put('/nodes/pve1/qemu/101/config', { cores: 3, memory: '3072' }))).toBeNull();
    expect(await config(101)).toMatchObject({ cores: 3, memory: '3072' });
    const task = await t.api.task(
      t.api.post('/nodes/pve1/qemu/101/config', {
        ciuser: 'alice',
        cipassword: 'secret',
        sshkeys: encodeURIComponent('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE7x alice@laptop'),
        ipconfig0: 'ip=10.0.0.50/24,gw=10.0.0.1',
        nameserver: '1.1.1.1',
        tags: 'web;prod',
      }),
    );
    expect(task.upid).toMatch(/:qmconfig:101:/);
    expect(task.exitstatus).toBe('OK');
    const conf = await config(101);
    expect(conf).toMatchObject({
      ciuser: 'alice',
      cipassword: '**********',
      ipconfig0: 'ip=10.0.0.50/24,gw=10.0.0.1',
      tags: 'web;prod',
    });
  });

  it('validates sshkeys and property strings', async () => {
    const keys = await t.api.put('/nodes/pve1/qemu/101/config', { sshkeys: 'ssh-rsa AAAA' });
    expect(keys.json?.errors?.sshkeys).toMatch(/^invalid format - invalid urlencoded string/);
    const mem = await t.api.put('/nodes/pve1/qemu/101/config', { memory: 'current=abc' });
    expect(mem.json?.errors?.memory).toBe(
      "invalid format - format error\nmemory.current: type check ('integer') failed - got 'abc'\n",
    );
    const net = await t.api.put('/nodes/pve1/qemu/101/config', { net1: 'bridge=vmbr0' });
    expect(net.json?.errors?.net1).toBe(
      'invalid format - format error\nnet1.model: property is missing and it is not optional\n',
    );
    const outOfRange = await t.api.put('/nodes/pve1/qemu/101/config', { net32: 'virtio,bridge=vmbr0' });
    expect(outOfRange.json?.errors?.net32).toMatch(/not defined in schema/);
  });

  it('keeps non-hotpluggable changes pending on a running VM until it restarts', async () => {
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/101/status/start'))).exitstatus).toBe('OK');
    await t.api.data(
      t.api.put('/nodes/pve1/qemu/101/config', {
        cores: 4,
        memory: '4096',
        name: 'web-one',
        net1: 'virtio,bridge=vmbr0',
      }),
    );
    const pending = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/qemu/101/pending'));
    expect(pending.find((p) => p.key === 'cores')).toEqual({ key: 'cores', value: '3', pending: '4' });
    expect(pending.find((p) => p.key === 'memory')).toEqual({ key: 'memory', value: '3072', pending: '4096' });
    expect(pending.find((p) => p.key === 'name')).toEqual({ key: 'name', value: 'web-one' });
    expect(pending.find((p) => p.key === 'net1')?.pending).toBeUndefined();
    expect((await config(101)).cores).toBe(4);
    expect((await config(101, { current: 1 })).cores).toBe(3);
    expect((await status(101)).cpus).toBe(3);

    await t.api.data(t.api.put('/nodes/pve1/qemu/101/config', { delete: 'tags,ostype' }));
    const deletes = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/qemu/101/pending'));
    expect(deletes.find((p) => p.key === 'tags')).toBeUndefined();
    expect(deletes.find((p) => p.key === 'ostype')).toEqual({ key: 'ostype', value: 'l26', delete: 1 });
    const both = await t.api.put('/nodes/pve1/qemu/101/config', { delete: 'acpi', acpi: 1 });
    expect(both.json?.errors).toEqual({ delete: "you can't use '-acpi' and -delete acpi' at the same time" });

    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/101/status/reboot'))).exitstatus).toBe('OK');
    const after = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/qemu/101/pending'));
    expect(after.every((p) => p.pending === undefined && p.delete === undefined)).toBe(true);
    expect(after.find((p) => p.key === 'ostype')).toBeUndefined();
    expect((await status(101)).cpus).toBe(4);
  });

  it('checks the digest', async () => {
    const r = await t.api.put('/nodes/pve1/qemu/101/config', { description: 'x', digest: '0'.repeat(40) });
    expect(r.json?.message).toBe('checksum mismatch (file change by other user?)\n');
    const { digest } = await config(101);
    expect(
      (await t.api.put('/nodes/pve1/qemu/101/config', { description: 'x', digest: digest as string })).status,
    ).toBe(200);
  });
});

describe('resize', () => {
  it('grows by a relative or to an absolute size', async () => {
    const grow = await t.api.task(t.api.put('/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '+2G' }));
    expect(grow.upid).toMatch(/:resize:100:/);
    expect(grow.exitstatus).toBe('OK');
    expect((await config(100)).scsi0).toMatch(/size=5G/);
    await t.api.task(t.api.put('/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '8G' }));
    expect((await config(100)).scsi0).toMatch(/size=8G/);
  });

  it('fails shrinking inside the task', async () => {
    const r = await t.api.put('/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '1G' });
    expect(r.status).toBe(200);
    const st = await t.api.waitTask(r.json?.data as string);
    expect(st.exitstatus).toBe('shrinking disks is not supported');
    const missing = await t.api.task(t.api.put('/nodes/pve1/qemu/100/resize', { disk: 'scsi5', size: '+1G' }));
    expect(missing.exitstatus).toBe("disk 'scsi5' does not exist");
  });
});

describe('power', () => {
  it('starts, refuses a second start in the task, and stops', async () => {
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'))).exitstatus).toBe('OK');
    const s = await status(100);
    expect(s).toMatchObject({ status: 'running', qmpstatus: 'running', ha: { managed: 0 } });
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'))).exitstatus).toBe(
      'VM 100 already running',
    );
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/stop'))).exitstatus).toBe('OK');
    expect((await status(100)).status).toBe('stopped');
  });

  it('has the synchronous errors of Proxmox', async () => {
    expect((await t.api.post('/nodes/pve1/qemu/100/status/reboot')).json?.message).toBe('VM 100 not running\n');
    expect((await t.api.post('/nodes/pve1/qemu/100/status/suspend')).json?.message).toBe('VM 100 not running\n');
    expect((await t.api.post('/nodes/pve1/qemu/100/status/resume')).json?.message).toBe('VM 100 not running\n');
    expect((await t.api.post('/nodes/pve1/qemu/100/status/reset')).json?.message).toBe('VM 100 not running\n');
    const skiplock = await t.api.post('/nodes/pve1/qemu/100/status/start', { skiplock: 1 });
    expect(skiplock.json?.errors).toEqual({ skiplock: 'Only root may use this option.' });
  });

  it('refuses to start a template in the task', async () => {
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/9000/status/start'))).exitstatus).toBe(
      "you can't start a vm if it's a template",
    );
  });

  it('suspends, refuses to shut down a paused VM, resumes, shuts down', async () => {
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    const pause = await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/suspend'));
    expect(pause.upid).toMatch(/:qmpause:100:/);
    expect((await status(100)).qmpstatus).toBe('paused');
    expect((await t.api.post('/nodes/pve1/qemu/100/status/shutdown')).json?.message).toBe(
      'VM is paused - cannot shutdown\n',
    );
    expect((await t.api.post('/nodes/pve1/qemu/100/status/reboot')).json?.message).toBe(
      'VM is paused - cannot shutdown\n',
    );
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/resume'))).exitstatus).toBe('OK');
    expect((await status(100)).qmpstatus).toBe('running');
    const down = await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/shutdown', { timeout: 60 }));
    expect(down.upid).toMatch(/:qmshutdown:100:/);
    expect(down.exitstatus).toBe('OK');
    expect((await status(100)).status).toBe('stopped');
  });

  it('fails a shutdown that outlasts its timeout unless forceStop', async () => {
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/shutdown', { timeout: 1 }))).exitstatus).toBe(
      'VM quit/powerdown failed - got timeout',
    );
    const forced = await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/shutdown', { timeout: 1, forceStop: 1 }));
    expect(forced.exitstatus).toBe('OK');
    expect(await t.api.taskLog(forced.upid)).toContain('VM still running - terminating now with SIGTERM');
  });

  it('suspends to disk with qmsuspend and resumes by start', async () => {
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    const s = await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/suspend', { todisk: 1 }));
    expect(s.upid).toMatch(/:qmsuspend:100:/);
    expect(s.exitstatus).toBe('OK');
    const conf = await config(100);
    expect(conf.lock).toBe('suspended');
    expect(conf.vmstate).toMatch(/^local-lvm:vm-100-state-suspend-/);
    expect((await status(100)).status).toBe('stopped');
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/resume'))).exitstatus).toBe('OK');
    expect((await status(100)).status).toBe('running');
    expect((await config(100)).lock).toBeUndefined();
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/stop'));
  });

  it('moves usage while running and zeroes it when stopped', async () => {
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    t.sim.control.tick();
    await sleep(20);
    t.sim.control.tick();
    const a = await status(100);
    await sleep(30);
    t.sim.control.tick();
    const b = await status(100);
    expect(b.netin as number).toBeGreaterThanOrEqual(a.netin as number);
    expect(b.diskwrite as number).toBeGreaterThanOrEqual(a.diskwrite as number);
    expect(b.mem as number).toBeGreaterThan(0);
    expect(b.cpu as number).toBeGreaterThan(0);
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/stop'));
    const c = await status(100);
    expect([c.cpu, c.mem, c.netin, c.diskread, c.uptime]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('snapshots', () => {
  it('creates, lists with current, refuses reserved and reused names, rolls back, deletes', async () => {
    expect((await t.api.post('/nodes/pve1/qemu/101/snapshot', { snapname: 'current' })).json?.message).toBe(
      "unable to use snapshot name 'current' (reserved name)\n",
    );
    expect((await t.api.post('/nodes/pve1/qemu/101/snapshot', { snapname: 'Pending' })).json?.message).toBe(
      "unable to use snapshot name 'pending' (reserved name)\n",
    );
    const upid = await t.api.data<string>(
      t.api.post('/nodes/pve1/qemu/101/snapshot', { snapname: 'before', description: 'first' }),
    );
    expect((await config(101)).lock).toBe('snapshot');
    expect((await t.api.waitTask(upid)).exitstatus).toBe('OK');
    expect((await config(101)).lock).toBeUndefined();
    expect((await t.api.task(t.api.post('/nodes/pve1/qemu/101/snapshot', { snapname: 'before' }))).exitstatus).toBe(
      "snapshot name 'before' already used",
    );
    const list = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/qemu/101/snapshot'));
    expect(list.map((s) => s.name)).toEqual(['before', 'current']);
    expect(list[1]).toMatchObject({ parent: 'before', description: 'You are here!', running: 1 });

    await t.api.data(t.api.put('/nodes/pve1/qemu/101/config', { description: 'changed' }));
    const rb = await t.api.task(t.api.post('/nodes/pve1/qemu/101/snapshot/before/rollback'));
    expect(rb.exitstatus).toBe('OK');
    expect((await config(101)).description).toBe('x');
    expect((await status(101)).status).toBe('stopped');
    expect(await t.api.data(t.api.get('/nodes/pve1/qemu/101/snapshot/before'))).toEqual([
      { cmd: 'rollback' },
      { cmd: 'config' },
    ]);
    expect((await t.api.task(t.api.del('/nodes/pve1/qemu/101/snapshot/before'))).exitstatus).toBe('OK');
    expect((await t.api.task(t.api.del('/nodes/pve1/qemu/101/snapshot/before'))).exitstatus).toBe(
      "snapshot 'before' does not exist",
    );
  });
});

describe('destroy', () => {
  it('refuses a running VM synchronously, destroys a stopped one in a qmdestroy task', async () => {
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
    expect((await t.api.del('/nodes/pve1/qemu/100')).json?.message).toBe('VM 100 is running - destroy failed\n');
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/stop'));
    const d = await t.api.task(t.api.del('/nodes/pve1/qemu/100', { purge: 1, 'destroy-unreferenced-disks': 1 }));
    expect(d.upid).toMatch(/:qmdestroy:100:/);
    expect(d.exitstatus).toBe('OK');
    expect((await t.api.get('/nodes/pve1/qemu/100/config')).status).toBe(500);
    expect(await t.api.data(t.api.get('/cluster/nextid'))).toBe('100');
  });

  it('converts a VM to a template', async () => {
    const r = await t.api.task(t.api.post('/nodes/pve1/qemu/103/template'));
    expect(r.exitstatus).toBe('OK');
    const conf = await config(103);
    expect(conf.template).toBe(1);
    expect(conf.scsi0).toMatch(/^local-lvm:base-103-disk-0/);
    expect((await t.api.post('/nodes/pve1/qemu/103/template')).json?.message).toBe(
      "you can't convert a template to a template\n",
    );
  });
});

describe('backups', () => {
  it('locks the VM with backup while vzdump runs and stores the archive', async () => {
    const upid = await t.api.data<string>(
      t.api.post('/nodes/pve1/vzdump', { vmid: '101', storage: 'local', compress: 'zstd' }),
    );
    expect(upid).toMatch(/:vzdump:101:/);
    await sleep(30);
    expect((await config(101)).lock).toBe('backup');
    expect((await t.api.waitTask(upid)).exitstatus).toBe('OK');
    const backups = await t.api.data<Record<string, unknown>[]>(
      t.api.get('/nodes/pve1/storage/local/content', { content: 'backup' }),
    );
    expect(backups[0]).toMatchObject({
      content: 'backup',
      vmid: 101,
      volid: expect.stringMatching(/^local:backup\/vzdump-qemu-101-.*\.vma\.zst$/),
    });
    expect((await t.api.taskLog(upid)).at(-2)).toBe('INFO: Backup job finished successfully');
  });
});
