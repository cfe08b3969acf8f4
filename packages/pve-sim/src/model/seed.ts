/**
 * A fresh cluster: N nodes, the usual storages (node-local `local` and `local-lvm`, a shared NFS
 * store `shared`), some ISO images, and the configured templates on every node.
 */
import type { NodeOptions, TemplateOptions } from '../options.js';
import type { Random } from '../random.js';
import type { ClusterSnapshot } from './cluster.js';
import { GiB, MiB, TiB } from './sizes.js';
import {
  stoppedRuntime,
  type NodeModel,
  type StorageModel,
  type VmConfig,
  type VmModel,
  type VolumeModel,
} from './types.js';
import { newSmbios, randomMac } from './vm.js';
import { randomUUID } from 'node:crypto';

export function resolveNodes(nodes: number | (string | NodeOptions)[] | undefined): NodeOptions[] {
  if (nodes === undefined) return resolveNodes(3);
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 64) throw new Error('nodes must be between 1 and 64');
    return Array.from({ length: nodes }, (_, i) => ({ name: `pve${i + 1}` }));
  }
  if (nodes.length === 0) throw new Error('at least one node is needed');
  const out = nodes.map((n) => (typeof n === 'string' ? { name: n } : n));
  const names = new Set<string>();
  for (const n of out) {
    if (!/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(n.name)) throw new Error(`invalid node name '${n.name}'`);
    if (names.has(n.name)) throw new Error(`duplicate node name '${n.name}'`);
    names.add(n.name);
  }
  return out;
}

export function defaultStorages(): StorageModel[] {
  return [
    {
      id: 'local',
      type: 'dir',
      content: ['backup', 'iso', 'vztmpl', 'snippets'],
      shared: false,
      totalBytes: 100 * GiB,
    },
    { id: 'local-lvm', type: 'lvmthin', content: ['images', 'rootdir'], shared: false, totalBytes: 800 * GiB },
    { id: 'shared', type: 'nfs', content: ['images', 'iso', 'backup'], shared: true, totalBytes: 4 * TiB },
  ];
}

const ISOS: [string, number][] = [
  ['debian-12.8.0-amd64-netinst.iso', 631 * MiB],
  ['ubuntu-24.04.1-live-server-amd64.iso', 2773 * MiB],
  ['AlmaLinux-9.5-x86_64-minimal.iso', 1890 * MiB],
];

export function buildCluster(opts: {
  clusterName: string;
  nodes: NodeOptions[];
  templates: TemplateOptions[];
  now: number;
  random: Random;
}): ClusterSnapshot {
  const { now, random } = opts;
  const nodes: NodeModel[] = opts.nodes.map((n, i) => ({
    name: n.name,
    nodeid: i + 1,
    ip: n.ip ?? `10.0.0.${11 + i}`,
    cpus: n.cpus ?? 16,
    sockets: 1,
    cpuModel: 'AMD EPYC 7313P 16-Core Processor',
    memoryBytes: (n.memoryGiB ?? 64) * GiB,
    swapBytes: 8 * GiB,
    rootfsBytes: 94 * GiB,
    // Nodes have been up for a while: a few days, different per node.
    bootedAt: now - random.int(2, 20) * 86_400_000 - random.int(0, 86_399) * 1000,
  }));
  const volumes: VolumeModel[] = [];
  for (const node of nodes) {
    for (const [name, size] of ISOS) {
      volumes.push({
        volid: `local:iso/${name}`,
        storage: 'local',
        node: node.name,
        content: 'iso',
        format: 'iso',
        size,
        ctime: Math.floor(now / 1000) - random.int(10, 90) * 86_400,
      });
    }
    volumes.push({
      volid: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      storage: 'local',
      node: node.name,
      content: 'vztmpl',
      format: 'tzst',
      size: 126 * MiB,
      ctime: Math.floor(now / 1000) - 40 * 86_400,
    });
  }
  volumes.push({
    volid: 'shared:iso/virtio-win-0.1.266.iso',
    storage: 'shared',
    content: 'iso',
    format: 'iso',
    size: 709 * MiB,
    ctime: Math.floor(now / 1000) - 120 * 86_400,
  });

  const vms: VmModel[] = [];
  const taken = new Set<number>();
  nodes.forEach((node, index) => {
    for (const t of opts.templates) {
      if (t.node && t.node !== node.name) continue;
      const vmid = t.node ? t.vmid : t.vmid + 100 * index;
      if (taken.has(vmid)) throw new Error(`template VMID ${vmid} is used twice`);
      taken.add(vmid);
      vms.push(templateVm(t, vmid, node.name, now, random));
    }
  });
  return { clusterName: opts.clusterName, nodes, storages: defaultStorages(), vms, volumes };
}

function templateVm(t: TemplateOptions, vmid: number, node: string, now: number, random: Random): VmModel {
  const config: VmConfig = {
    name: t.name,
    ostype: t.ostype ?? 'l26',
    cores: String(t.cores ?? 2),
    sockets: '1',
    memory: String(t.memoryMiB ?? 2048),
    cpu: 'x86-64-v2-AES',
    scsihw: 'virtio-scsi-single',
    scsi0: `local-lvm:base-${vmid}-disk-0,iothread=1,size=${t.diskGiB ?? 4}G`,
    net0: `virtio=${randomMac(random)},bridge=vmbr0,firewall=1`,
    boot: 'order=scsi0',
    agent: '1',
    smbios1: newSmbios(),
    vmgenid: randomUUID(),
    meta: `creation-qemu=9.2.0,ctime=${Math.floor(now / 1000) - 30 * 86_400}`,
    template: '1',
  };
  if (t.description) config.description = t.description;
  if (t.tags) config.tags = t.tags;
  if (t.cloudInit) {
    config.ide2 = `local-lvm:vm-${vmid}-cloudinit,media=cdrom`;
    config.ipconfig0 = 'ip=dhcp';
    config.serial0 = 'socket';
    if (t.ciuser) config.ciuser = t.ciuser;
  }
  return { vmid, node, config, pending: {}, pendingDelete: {}, snapshots: {}, runtime: stoppedRuntime() };
}
