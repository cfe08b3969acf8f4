import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { Faults } from '../faults/faults.js';
import { ClusterModel } from '../model/cluster.js';
import { buildCluster, resolveNodes } from '../model/seed.js';
import { createRandom } from '../random.js';
import { TaskManager } from './task-manager.js';
import { decodeUpid, encodeUpid } from './upid.js';
import { VmLocks } from './vm-locks.js';

function setup() {
  const clock = new ManualClock(Date.UTC(2025, 0, 1, 12));
  const random = createRandom(7);
  const model = new ClusterModel(
    buildCluster({ clusterName: 'c', nodes: resolveNodes(1), templates: [], now: clock.now(), random }),
  );
  const faults = new Faults(random);
  const locks = new VmLocks(clock);
  return { clock, faults, locks, tasks: new TaskManager({ clock, random, faults, model, locks }) };
}

describe('UPID', () => {
  it('encodes with upper-case hex and a trailing colon, and decodes back', () => {
    const parts = {
      node: 'pve1',
      pid: 0x1234,
      pstart: 0x1a2b3c4d5,
      starttime: 0x6789abcd,
      type: 'qmclone',
      id: '9000',
      user: 'root@pam!uni-manager',
    };
    const upid = encodeUpid(parts);
    expect(upid).toBe('UPID:pve1:00001234:1A2B3C4D5:6789ABCD:qmclone:9000:root@pam!uni-manager:');
    expect(decodeUpid(upid)).toEqual(parts);
    expect(decodeUpid('UPID:pve1:1234:00000001:00000001:x::root@pam:')).toBeUndefined();
    expect(decodeUpid('UPID:pve1:00001234:00000001:00000001:vzdump::root@pam:')?.id).toBe('');
  });
});

describe('TaskManager', () => {
  it('runs a task in simulated time, logging as it goes, and ends with TASK OK', async () => {
    const { clock, tasks } = setup();
    const t = tasks.start({
      node: 'pve1',
      type: 'qmstart',
      id: 100,
      user: 'root@pam',
      run: async (ctx) => {
        ctx.log('step 1');
        await ctx.sleep(3000);
        ctx.log('step 2');
      },
    });
    expect(t.upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:100:root@pam:$/);
    expect(t.starttime).toBe(Math.floor(clock.now() / 1000));
    await clock.advance(10);
    expect(t.status).toBe('running');
    expect(t.log).toEqual(['step 1']);
    await clock.advance(3000);
    expect(t.status).toBe('stopped');
    expect(t.exitstatus).toBe('OK');
    expect(t.log).toEqual(['step 1', 'step 2', 'TASK OK']);
    expect(t.endtime).toBe(t.starttime + 3);
  });

  it('reports errors and warnings as exit status', async () => {
    const { clock, tasks } = setup();
    const bad = tasks.start({
      node: 'pve1',
      type: 'x',
      user: 'u@pve',
      run: async () => Promise.reject(new Error('VM 100 already running\n')),
    });
    const warn = tasks.start({ node: 'pve1', type: 'x', user: 'u@pve', run: async (ctx) => ctx.warn('careful') });
    await clock.advance(1);
    expect(bad.exitstatus).toBe('VM 100 already running');
    expect(bad.log.at(-1)).toBe('TASK ERROR: VM 100 already running');
    expect(warn.exitstatus).toBe('WARNINGS: 1');
    expect(warn.log).toEqual(['WARN: careful', 'TASK WARNINGS: 1']);
  });

  it('stops a task with "received interrupt"', async () => {
    const { clock, tasks } = setup();
    const t = tasks.start({ node: 'pve1', type: 'x', user: 'u@pve', run: (ctx) => ctx.sleep(60_000) });
    await clock.advance(5);
    expect(tasks.stop(t.upid)).toBe(true);
    await tasks.wait(t.upid);
    expect(t.exitstatus).toBe('received interrupt');
    expect(tasks.stop(t.upid)).toBe(false);
  });

  it('fails tasks at their failpoint when the fault is on', async () => {
    const { clock, faults, tasks } = setup();
    faults.set({ taskFailureRate: 1 });
    let committed = false;
    const t = tasks.start({
      node: 'pve1',
      type: 'qmstart',
      user: 'u@pve',
      failureMessage: 'start failed: QEMU exited with code 1',
      run: async (ctx) => {
        await ctx.sleep(100);
        ctx.failpoint();
        committed = true;
      },
    });
    await clock.advance(200);
    expect(t.exitstatus).toBe('start failed: QEMU exited with code 1');
    expect(committed).toBe(false);
  });

  it('serialises tasks on the VM file lock and times out waiters like flock', async () => {
    const { clock, tasks } = setup();
    const order: string[] = [];
    const long = tasks.start({
      node: 'pve1',
      type: 'a',
      user: 'u@pve',
      run: async (ctx) => {
        await ctx.lockVm(100);
        order.push('a');
        await ctx.sleep(5_000);
      },
    });
    const waits = tasks.start({
      node: 'pve1',
      type: 'b',
      user: 'u@pve',
      run: async (ctx) => ctx.lockVm(100).then(() => void order.push('b')),
    });
    const gives = tasks.start({
      node: 'pve1',
      type: 'c',
      user: 'u@pve',
      run: async (ctx) => ctx.lockVm(100, { timeoutMs: 1_000 }),
    });
    await clock.advance(6_000);
    expect(order).toEqual(['a', 'b']);
    expect(long.exitstatus).toBe('OK');
    expect(waits.exitstatus).toBe('OK');
    expect(gives.exitstatus).toBe("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout");
  });

  it('lets shared holders in together', async () => {
    const { clock, locks } = setup();
    const a = await locks.acquire(9000, { shared: true });
    const b = await locks.acquire(9000, { shared: true });
    let exclusive = false;
    const c = locks.acquire(9000).then((r) => {
      exclusive = true;
      return r;
    });
    await clock.advance(10);
    expect(exclusive).toBe(false);
    a();
    b();
    await clock.advance(10);
    expect(exclusive).toBe(true);
    (await c)();
    expect(locks.isLocked(9000)).toBe(false);
  });
});
