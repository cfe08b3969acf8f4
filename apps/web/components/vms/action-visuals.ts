import type { OperationKind } from '@uni-manager/contracts';
import {
  CirclePlus,
  Pause,
  PencilLine,
  Play,
  Power,
  PowerOff,
  RotateCw,
  Scaling,
  Trash2,
  type LucideIcon,
} from 'lucide-react';
import type { VmActionKind } from './vm-actions-model';

export const actionIcon: Record<VmActionKind, LucideIcon> = {
  start: Play,
  resume: Play,
  shutdown: Power,
  reboot: RotateCw,
  suspend: Pause,
  stop: PowerOff,
  resize: Scaling,
  rename: PencilLine,
  delete: Trash2,
};

export const operationIcon: Record<OperationKind, LucideIcon> = { ...actionIcon, create: CirclePlus };
