/**
 * @uni-manager/pve-sim: a Proxmox VE API simulator. Start it in-process with `startSimulator`, or
 * as a process with the `uni-pve-sim` command.
 */
export { startSimulator, type RunningSimulator, type TokenInfo } from './simulator.js';
export {
  DEFAULT_DURATIONS,
  DEFAULT_TEMPLATES,
  readConfigFile,
  type ConfigFileOptions,
  type Logger,
  type NodeOptions,
  type SimulatorOptions,
  type TaskDurations,
  type TemplateOptions,
} from './options.js';
export type { SimulatorControl, ControlState } from './control/control.js';
export type { FaultState, NodeOfflineMode } from './faults/faults.js';
export { ManualClock, createSystemClock, type Clock } from './clock.js';
export { decodeUpid, encodeUpid, type UpidParts } from './tasks/upid.js';
