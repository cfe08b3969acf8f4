/** Every operation the simulator serves, in the order of the schema's tree. */
import { accessRoutes } from './access.js';
import { clusterRoutes } from './cluster.js';
import { consoleRoutes } from './console.js';
import type { Route } from './context.js';
import { nodeRoutes } from './nodes.js';
import { qemuCloneRoutes } from './qemu-clone.js';
import { qemuConfigRoutes } from './qemu-config.js';
import { qemuDiskRoutes } from './qemu-disk.js';
import { qemuIndexRoutes } from './qemu-index.js';
import { qemuPowerRoutes } from './qemu-power.js';
import { qemuSnapshotRoutes } from './qemu-snapshot.js';
import { storageRoutes } from './storage.js';
import { taskRoutes } from './tasks.js';
import { vzdumpRoutes } from './vzdump.js';

export const allRoutes: readonly Route[] = [
  ...accessRoutes,
  ...clusterRoutes,
  ...nodeRoutes,
  ...taskRoutes,
  ...qemuIndexRoutes,
  ...qemuCloneRoutes,
  ...qemuConfigRoutes,
  ...qemuDiskRoutes,
  ...qemuPowerRoutes,
  ...qemuSnapshotRoutes,
  ...consoleRoutes,
  ...vzdumpRoutes,
  ...storageRoutes,
];
