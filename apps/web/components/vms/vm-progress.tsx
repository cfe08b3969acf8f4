'use client';

import type { OperationKind, OperationStep, VmOperation } from '@uni-manager/contracts';
import { Check, Circle, LoaderCircle, RefreshCw, X } from 'lucide-react';
import { useState } from 'react';
import { RelativeTime } from '@/components/audit/event-time';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { vmErrorText } from './vm-errors';
import { OperationStatusBadge } from './vm-status';

/** The steps each kind of operation walks through, as the worker reports them. */
const sequences: Record<OperationKind, OperationStep[]> = {
  create: ['queued', 'placing', 'cloning', 'configuring', 'resizing', 'starting', 'done'],
  start: ['queued', 'starting', 'done'],
  shutdown: ['queued', 'shutting_down', 'done'],
  stop: ['queued', 'stopping', 'done'],
  reboot: ['queued', 'rebooting', 'done'],
  suspend: ['queued', 'suspending', 'done'],
  resume: ['queued', 'resuming', 'done'],
  resize: ['queued', 'resizing', 'done'],
  rename: ['queued', 'renaming', 'done'],
  delete: ['queued', 'stopping', 'destroying', 'cleaning_up', 'done'],
};

/** The sequence for this operation; a step the list does not know (a forced stop after a shutdown) is shown too. */
export function stepsFor(kind: OperationKind, step: OperationStep): OperationStep[] {
  const steps = sequences[kind];
  if (step === 'waiting' || steps.includes(step)) return steps;
  return [...steps.slice(0, -1), step, 'done'];
}

/** Overall completion, 0..1: finished steps plus the share of the current one Proxmox reports. */
export function overallProgress(op: VmOperation, step: OperationStep): number {
  if (op.status === 'succeeded') return 1;
  const steps = stepsFor(op.kind, step);
  const index = Math.max(0, steps.indexOf(step));
  const within = (op.progress ?? 0) / 100;
  return Math.min(1, (index + within) / (steps.length - 1));
}

interface VmProgressProps {
  op: VmOperation;
  onDismiss?: () => void;
  className?: string;
}

/**
 * The operation the user is watching: every step with the current one
 * highlighted, a progress bar, and the error when it failed. A step of
 * `waiting` (a retry after a Proxmox hiccup) keeps the last step in place.
 */
export function VmProgress({ op, onDismiss, className }: VmProgressProps) {
  const { t, dict, format } = useI18n();
  const [known, setKnown] = useState<{ id: string; step: OperationStep } | null>(null);
  if (op.step !== 'waiting' && (known?.id !== op.id || known.step !== op.step)) {
    setKnown({ id: op.id, step: op.step });
  }
  const step: OperationStep = op.step === 'waiting' ? (known?.id === op.id ? known.step : 'queued') : op.step;
  const steps = stepsFor(op.kind, step);
  const finished = op.status === 'succeeded';
  const failed = op.status === 'failed';
  const current = finished ? steps.length - 1 : Math.max(0, steps.indexOf(step));
  const overall = overallProgress(op, step);
  const finalLabel = op.kind === 'create' ? t('vms.progress.finalCreate') : t('vms.progress.final');
  const labelOf = (s: OperationStep) => (s === 'done' ? finalLabel : t(`vms.steps.${s}`));
  const errorTitle = op.error ? vmErrorText(op.error, t, dict) : null;

  return (
    <Card
      className={cn('overflow-hidden', failed && 'border-destructive/40', className)}
      aria-labelledby={`vm-progress-${op.id}`}
      data-testid="vm-progress"
      data-state={op.status}
      data-kind={op.kind}
      data-step={op.step}
    >
      <CardContent className="space-y-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <h2 id={`vm-progress-${op.id}`} className="flex flex-wrap items-center gap-2 text-base font-semibold">
              {t(`vms.operationKinds.${op.kind}`)}
              <OperationStatusBadge op={op} />
            </h2>
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {failed
                ? t('vms.progress.failedAt', { step: labelOf(step) })
                : finished
                  ? t('vms.progress.finished')
                  : op.step === 'waiting'
                    ? t('vms.progress.waiting', { step: labelOf(step) })
                    : op.progress !== null
                      ? t('vms.progress.currentWithPercent', {
                          step: labelOf(step),
                          percent: format.percent(op.progress / 100),
                        })
                      : labelOf(step)}
            </p>
          </div>
          <div className="flex items-center gap-2 text-xs text-muted-foreground">
            <span>
              {t('vms.progress.requested')} <RelativeTime iso={op.createdAt} />
            </span>
            {onDismiss && (finished || failed) ? (
              <Button variant="ghost" size="sm" onClick={onDismiss} data-testid="vm-progress-dismiss">
                {t('common.close')}
              </Button>
            ) : null}
          </div>
        </div>

        <ol className="grid gap-3 sm:flex sm:flex-wrap sm:items-center sm:gap-x-2 sm:gap-y-3">
          {steps.map((s, i) => {
            const done = i < current || finished;
            const active = i === current && !finished;
            return (
              <li
                key={s}
                className="flex items-center gap-2 sm:after:h-px sm:after:w-5 sm:after:bg-border sm:last:after:hidden"
                aria-current={active ? 'step' : undefined}
                data-step={s}
                data-done={done || undefined}
              >
                <span
                  className={cn(
                    'flex size-6 shrink-0 items-center justify-center rounded-full border text-[0.6875rem] [&_svg]:size-3.5',
                    done && 'border-success/40 bg-success/15 text-success',
                    active && !failed && 'border-primary bg-primary/15 text-primary',
                    active && failed && 'border-destructive/50 bg-destructive/15 text-destructive',
                    !done && !active && 'text-muted-foreground',
                  )}
                  aria-hidden
                >
                  {done ? (
                    <Check />
                  ) : active && failed ? (
                    <X />
                  ) : active && op.step === 'waiting' ? (
                    <RefreshCw className="animate-spin motion-reduce:animate-none" />
                  ) : active ? (
                    <LoaderCircle className="animate-spin motion-reduce:animate-none" />
                  ) : (
                    <Circle className="size-2! fill-current" />
                  )}
                </span>
                <span
                  className={cn(
                    'text-sm',
                    active ? 'font-semibold text-foreground' : done ? 'text-foreground' : 'text-muted-foreground',
                  )}
                >
                  {labelOf(s)}
                  {active && op.progress !== null && !failed ? (
                    <span className="ml-1 tabular-nums text-muted-foreground">{format.percent(op.progress / 100)}</span>
                  ) : null}
                  <span className="sr-only">
                    {' '}
                    {done ? t('vms.progress.stepDone') : active ? t('vms.progress.stepCurrent') : ''}
                  </span>
                </span>
              </li>
            );
          })}
        </ol>

        <div
          role="progressbar"
          aria-label={t('vms.progress.bar')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(overall * 100)}
          className="h-1.5 overflow-hidden rounded-full bg-muted"
        >
          <div
            className={cn(
              'h-full rounded-full transition-[width] duration-500 motion-reduce:transition-none',
              failed ? 'bg-destructive' : finished ? 'bg-success' : 'bg-primary',
            )}
            style={{ width: `${Math.max(3, overall * 100)}%` }}
          />
        </div>

        {failed && op.error ? (
          <Alert tone="destructive" data-testid="vm-progress-error">
            <p className="font-medium">{errorTitle}</p>
            {errorTitle !== op.error.message ? (
              <p className="mt-0.5 text-muted-foreground">{op.error.message}</p>
            ) : null}
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}
