/**
 * The cluster: nodes, storages, VMs and loose volumes, with the look-ups every endpoint needs.
 * Mutations go through the endpoint and task code, which call `touch()` so persistence can save.
 */
import { fail, noConfig } from '../http/errors.js';
import type { NodeModel, StorageModel, VmModel, VolumeModel } from './types.js';
import { drives } from './vm.js';

export interface ClusterSnapshot {
  clusterName: string;
  nodes: NodeModel[];
  storages: StorageModel[];
  vms: VmModel[];
  volumes: VolumeModel[];
}

export class ClusterModel {
  readonly clusterName: string;
  readonly nodes = new Map<string, NodeModel>();
  readonly storages: StorageModel[];
  readonly vms = new Map<number, VmModel>();
  readonly volumes: VolumeModel[];
  private readonly listeners: (() => void)[] = [];

  constructor(snapshot: ClusterSnapshot) {
    this.clusterName = snapshot.clusterName;
    for (const n of snapshot.nodes) this.nodes.set(n.name, n);
    this.storages = snapshot.storages;
    for (const vm of snapshot.vms) this.vms.set(vm.vmid, vm);
    this.volumes = snapshot.volumes;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Marks the state as changed (persistence saves it, debounced). */
  touch(): void {
    for (const l of this.listeners) l();
  }

  toJSON(): ClusterSnapshot {
    return {
      clusterName: this.clusterName,
      nodes: [...this.nodes.values()],
      storages: this.storages,
      vms: [...this.vms.values()].sort((a, b) => a.vmid - b.vmid),
      volumes: this.volumes,
    };
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): NodeModel | undefined {
    return this.nodes.get(name);
  }

  /** The VM as `load_config($vmid)` on `node` sees it: absent there means "does not exist". */
  vmOn(node: string, vmid: number): VmModel {
    const vm = this.vms.get(vmid);
    if (!vm || vm.node !== node) throw noConfig(node, vmid);
    return vm;
  }

  vmsOn(node: string): VmModel[] {
    return [...this.vms.values()].filter((v) => v.node === node).sort((a, b) => a.vmid - b.vmid);
  }

  addVm(vm: VmModel): void {
    this.vms.set(vm.vmid, vm);
    this.touch();
  }

  removeVm(vmid: number): void {
    this.vms.delete(vmid);
    this.touch();
  }

  storage(id: string): StorageModel | undefined {
    return this.storages.find((s) => s.id === id);
  }

  storageOnNode(id: string, node: string): StorageModel | undefined {
    const s = this.storage(id);
    if (!s || (s.nodes && !s.nodes.includes(node))) return undefined;
    return s;
  }

  storagesOnNode(node: string): StorageModel[] {
    return this.storages.filter((s) => !s.nodes || s.nodes.includes(node));
  }

  /** storage_check_enabled: the storage must exist and be available on the node. */
  requireStorage(id: string, node: string): StorageModel {
    const s = this.storage(id);
    if (!s) throw fail(`storage '${id}' does not exist`);
    if (s.nodes && !s.nodes.includes(node)) throw fail(`storage '${id}' is not available on node '${node}'`);
    return s;
  }

  /** Every volume name in use on a storage (as seen from `node`), from configs, snapshots and loose volumes. */
  usedVolumeNames(storage: StorageModel, node: string): Set<string> {
    const names = new Set<string>();
    for (const vm of this.vms.values()) {
      if (!storage.shared && vm.node !== node) continue;
      const configs = [vm.config, vm.pending, ...Object.values(vm.snapshots).map((s) => s.config)];
      for (const conf of configs) {
        for (const d of drives(conf)) {
          const [sid, volname] = splitVolid(d.file);
          if (sid === storage.id && volname) {
            names.add(volname);
            // A linked clone's name embeds its base: both parts are taken.
            for (const part of volname.split('/')) names.add(part);
          }
        }
        if (conf.vmstate) names.add(splitVolid(conf.vmstate)[1] ?? '');
      }
    }
    for (const v of this.volumes) {
      if (v.storage !== storage.id || (!storage.shared && v.node !== node)) continue;
      names.add(splitVolid(v.volid)[1] ?? '');
    }
    return names;
  }

  /** The next free `vm-<vmid>-disk-<n>` (or base-) name on a storage, as vdisk_alloc picks it. */
  allocDiskName(storage: StorageModel, node: string, vmid: number, kind: 'vm' | 'base' = 'vm'): string {
    const used = this.usedVolumeNames(storage, node);
    for (let n = 0; ; n++) {
      const name = diskVolname(storage, vmid, `${kind}-${vmid}-disk-${n}`);
      const alt = diskVolname(storage, vmid, `${kind === 'vm' ? 'base' : 'vm'}-${vmid}-disk-${n}`);
      if (!used.has(name) && !used.has(alt) && !used.has(baseName(name)) && !used.has(baseName(alt))) {
        return `${storage.id}:${name}`;
      }
    }
  }
}

/** Splits `local-lvm:vm-100-disk-0` into its storage and volume name. */
export function splitVolid(volid: string): [string | undefined, string | undefined] {
  const i = volid.indexOf(':');
  if (i <= 0) return [undefined, undefined];
  return [volid.slice(0, i), volid.slice(i + 1)];
}

/** Volume names differ by storage type: LVM uses bare names, file storages `<vmid>/<name>.qcow2`. */
export function diskVolname(storage: StorageModel, vmid: number, name: string): string {
  return storage.type === 'lvmthin' ? name : `${vmid}/${name}.qcow2`;
}

function baseName(volname: string): string {
  const parts = volname.split('/');
  return parts[parts.length - 1] ?? volname;
}
