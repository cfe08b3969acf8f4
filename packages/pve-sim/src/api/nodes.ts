/** /nodes and /nodes/{node}/status: node list, node summary, node reboot and shutdown. */
import { hasPrivs } from '../auth/permissions.js';
import { enumOf, std } from '../params/builders.js';
import type { ApiRequest } from '../http/router.js';
import { VERSION } from '../options.js';
import type { NodeModel } from '../model/types.js';
import type { Route, SimContext } from './context.js';
import { nodeOnline, nodeSummary } from './views.js';
import { powerOff, powerOn } from './vm-runtime.js';

function listNodes(req: ApiRequest, ctx: SimContext) {
  return [...ctx.model.nodes.values()].map((node) => {
    const entry: Record<string, unknown> = {
      node: node.name,
      id: `node/${node.name}`,
      type: 'node',
      level: '',
      // One HTTPS endpoint serves every simulated node, so they share its certificate.
      ssl_fingerprint: ctx.tls.fingerprint,
    };
    if (nodeOnline(node, ctx.faults)) {
      entry.status = 'online';
      if (req.identity && hasPrivs(req.identity, ['Sys.Audit'])) {
        Object.assign(entry, nodeSummary(ctx.model, node, ctx.usage, ctx.clock));
      }
    } else {
      Object.assign(entry, {
        status: 'offline',
        maxcpu: node.cpus,
        maxmem: node.memoryBytes,
        maxdisk: node.rootfsBytes,
      });
    }
    return entry;
  });
}

function nodeStatus(node: NodeModel, ctx: SimContext) {
  const u = ctx.usage.node(node.name);
  const uptime = Math.floor((ctx.clock.now() - node.bootedAt) / 1000);
  const kversion = `Linux ${VERSION.kernel} ${VERSION.kernelBuild}`;
  return {
    uptime,
    cpu: Math.round(u.cpu * 1e6) / 1e6,
    wait: Math.round(u.wait * 1e6) / 1e6,
    idle: 0,
    loadavg: u.load.map((l) => l.toFixed(2)),
    cpuinfo: {
      model: node.cpuModel,
      cpus: node.cpus,
      sockets: node.sockets,
      cores: node.cpus / node.sockets / 2 >= 1 ? node.cpus / node.sockets / 2 : node.cpus,
      mhz: '2999.998',
      hvm: '1',
      user_hz: 100,
      flags:
        'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf pni pclmulqdq monitor ssse3 fma cx16 pcid sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs skinit wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate ssbd mba ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 erms invpcid cqm rdt_a rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local clzero irperf xsaveerptr rdpru wbnoinvd amd_ppin arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold v_vmsave_vmload vgif v_spec_ctrl umip pku ospke vaes vpclmulqdq rdpid overflow_recov succor smca',
    },
    memory: {
      total: node.memoryBytes,
      used: u.memUsed,
      free: node.memoryBytes - u.memUsed,
      available: node.memoryBytes - u.memUsed,
    },
    swap: { total: node.swapBytes, used: u.swapUsed, free: node.swapBytes - u.swapUsed },
    rootfs: {
      total: node.rootfsBytes,
      used: u.rootfsUsed,
      free: node.rootfsBytes - u.rootfsUsed,
      avail: node.rootfsBytes - u.rootfsUsed,
    },
    ksm: { shared: 0 },
    kversion,
    pveversion: `pve-manager/${VERSION.version}/${VERSION.repoid}`,
    'current-kernel': { sysname: 'Linux', release: VERSION.kernel, version: VERSION.kernelBuild, machine: 'x86_64' },
    'boot-info': { mode: 'efi', secureboot: 0 },
  };
}

/**
 * Node shutdown and reboot: guests stop, the node drops off the cluster; a reboot brings it back
 * after `nodeReboot` and starts the guests marked `onboot`.
 */
function nodeCommand(req: ApiRequest, ctx: SimContext) {
  const node = ctx.model.node(req.params.node as string) as NodeModel;
  const command = req.params.command as 'reboot' | 'shutdown';
  ctx.log.info(`node ${node.name}: ${command} requested by ${req.identity?.authid}`);
  ctx.clock.setTimer(() => {
    for (const vm of ctx.model.vmsOn(node.name)) if (vm.runtime.status === 'running') powerOff(ctx, vm);
    node.poweredOff = true;
    ctx.model.touch();
    if (command === 'reboot') {
      ctx.clock.setTimer(() => {
        node.poweredOff = false;
        node.bootedAt = ctx.clock.now();
        for (const vm of ctx.model.vmsOn(node.name)) {
          if (vm.config.onboot === '1' && vm.config.template !== '1' && !vm.config.lock) powerOn(ctx, vm);
        }
        ctx.model.touch();
      }, ctx.durations.nodeReboot);
    }
  }, 2_000);
  return null;
}

export const nodeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes',
    name: 'index',
    params: { properties: {}, additionalProperties: false },
    permissions: { user: 'all' },
    handler: listNodes,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/status',
    name: 'status',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { node: std.node } },
    permissions: { check: ['perm', '/nodes/{node}', ['Sys.Audit']] },
    handler: (req, ctx) => nodeStatus(ctx.model.node(req.params.node as string) as NodeModel, ctx),
  },
  {
    method: 'POST',
    path: '/nodes/{node}/status',
    name: 'node_cmd',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { node: std.node, command: enumOf(['reboot', 'shutdown']) } },
    permissions: { check: ['perm', '/nodes/{node}', ['Sys.PowerMgmt']] },
    handler: nodeCommand,
  },
];
