'use client';

import type { OperationKind, Vm, VmOperation } from '@uni-manager/contracts';
import {
  CircleCheck,
  CircleDashed,
  CircleHelp,
  CirclePause,
  CircleStop,
  CircleX,
  LoaderCircle,
  Trash2,
  TriangleAlert,
  type LucideIcon,
} from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';
import { cn } from '@/lib/utils';

/** What the badge says: the lifecycle when it is not plain, else the operation under way, else the power state. */
export type VmDisplayState =
  'creating' | 'deleting' | 'deleted' | 'failed' | 'lost' | 'busy' | 'running' | 'stopped' | 'paused' | 'unknown';

type Tone = 'neutral' | 'success' | 'warning' | 'destructive' | 'info' | 'outline';

const look: Record<VmDisplayState, { tone: Tone; icon: LucideIcon; spin?: boolean }> = {
  creating: { tone: 'info', icon: LoaderCircle, spin: true },
  busy: { tone: 'info', icon: LoaderCircle, spin: true },
  deleting: { tone: 'warning', icon: LoaderCircle, spin: true },
  deleted: { tone: 'outline', icon: Trash2 },
  failed: { tone: 'destructive', icon: CircleX },
  lost: { tone: 'destructive', icon: TriangleAlert },
  running: { tone: 'success', icon: CircleCheck },
  stopped: { tone: 'neutral', icon: CircleStop },
  paused: { tone: 'warning', icon: CirclePause },
  unknown: { tone: 'neutral', icon: CircleHelp },
};

export function displayStateOf(vm: Pick<Vm, 'status' | 'powerState' | 'activeOperation'>): VmDisplayState {
  const op = vm.activeOperation;
  if (vm.status === 'deleted') return 'deleted';
  if (vm.status === 'deleting' || op?.kind === 'delete') return 'deleting';
  if (vm.status === 'provisioning' || op?.kind === 'create') return 'creating';
  if (vm.status === 'failed') return 'failed';
  if (vm.status === 'lost') return 'lost';
  if (op) return 'busy';
  return vm.powerState;
}

/** "cloning 42%", "queued": the part of an operation worth adding after its name. */
export function stepDetail(op: VmOperation, t: Translate, format: Formatters): string | null {
  const { step, kind, progress } = op;
  // "Starting · starting" says nothing twice; the step only adds news when it is not the operation itself.
  const own: Partial<Record<OperationKind, string>> = {
    start: 'starting',
    shutdown: 'shutting_down',
    stop: 'stopping',
    reboot: 'rebooting',
    suspend: 'suspending',
    resume: 'resuming',
    resize: 'resizing',
    rename: 'renaming',
  };
  if (step === 'done' || own[kind] === step) return progress !== null ? format.percent(progress / 100) : null;
  const label = t(`vms.stepInline.${step}`);
  return progress !== null ? `${label} ${format.percent(progress / 100)}` : label;
}

/** The badge's text, also used where a sentence names the state. */
export function vmStatusLabel(vm: Vm, t: Translate, format: Formatters): string {
  const state = displayStateOf(vm);
  const op = vm.activeOperation;
  const base = state === 'busy' && op ? t(`vms.operationActive.${op.kind}`) : t(`vms.state.${state}`);
  const detail = op ? stepDetail(op, t, format) : null;
  return detail ? t('vms.state.withStep', { state: base, step: detail }) : base;
}

/** Lifecycle, power state and the operation under way in one badge: told by word, icon and colour. */
export function VmStatusBadge({ vm, className }: { vm: Vm; className?: string }) {
  const { t, format } = useI18n();
  const state = displayStateOf(vm);
  const { tone, icon: Icon, spin } = look[state];
  return (
    <Badge
      tone={tone}
      className={className}
      data-testid="vm-status"
      data-state={state}
      data-status={vm.status}
      data-power={vm.powerState}
      data-operation={vm.activeOperation?.kind}
      data-step={vm.activeOperation?.step}
    >
      <Icon aria-hidden className={cn(spin && 'animate-spin motion-reduce:animate-none')} />
      <span className="tabular-nums">{vmStatusLabel(vm, t, format)}</span>
    </Badge>
  );
}

const operationTone = { queued: 'neutral', running: 'info', succeeded: 'success', failed: 'destructive' } as const;
const operationIcon = { queued: CircleDashed, running: LoaderCircle, succeeded: CircleCheck, failed: CircleX };

export function OperationStatusBadge({ op }: { op: VmOperation }) {
  const { t } = useI18n();
  const Icon = operationIcon[op.status];
  return (
    <Badge tone={operationTone[op.status]} data-testid="operation-status" data-status={op.status}>
      <Icon aria-hidden className={cn(op.status === 'running' && 'animate-spin motion-reduce:animate-none')} />
      {t(`vms.operationStatus.${op.status}`)}
    </Badge>
  );
}
