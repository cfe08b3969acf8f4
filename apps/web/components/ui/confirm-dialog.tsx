'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import {
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

export type DialogTone = 'warning' | 'destructive' | 'info';

/** The round, tinted icon at the head of a confirmation. */
export function DialogIcon({ tone, children }: { tone: DialogTone; children: ReactNode }) {
  return (
    <span
      className={cn(
        'flex size-10 shrink-0 items-center justify-center rounded-full border [&_svg]:size-5',
        tone === 'warning' && 'border-warning/30 bg-warning/10 text-warning',
        tone === 'destructive' && 'border-destructive/30 bg-destructive/10 text-destructive',
        tone === 'info' && 'border-info/30 bg-info/10 text-info',
      )}
    >
      {children}
    </span>
  );
}

interface ConfirmContentProps {
  testId: string;
  /** Which action this dialog confirms, as data-action (for tests and styling). */
  action?: string;
  tone: DialogTone;
  icon: ReactNode;
  title: string;
  description: string;
  /** Under the description, e.g. the address of what is about to go. */
  detail?: ReactNode;
  /** Between the header and the buttons: options of the action. */
  children?: ReactNode;
  /**
   * Asks for this name to be typed before the button works: for what cannot be
   * undone, so a slip of the mouse is not enough.
   */
  typedName?: { name: string; label: string; inputTestId: string };
  pending: boolean;
  confirmLabel: string;
  /** The button's text while the action runs. */
  workingLabel: string;
  confirmVariant?: 'default' | 'destructive';
  confirmTestId: string;
  /** Runs the action (and closes the dialog); what it throws is shown in the dialog. */
  onConfirm: () => Promise<void>;
  describeError: (err: unknown) => string;
}

/**
 * The body of an AlertDialog that confirms one action: what it does, an error
 * if it failed (the dialog stays open to try again), Cancel and the action.
 */
export function ConfirmContent({
  testId,
  action,
  tone,
  icon,
  title,
  description,
  detail,
  children,
  typedName,
  pending,
  confirmLabel,
  workingLabel,
  confirmVariant = 'default',
  confirmTestId,
  onConfirm,
  describeError,
}: ConfirmContentProps) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const matches = typedName ? typed.trim() === typedName.name : true;

  async function confirm() {
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(describeError(err));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    void confirm();
  }

  const body = (
    <>
      <AlertDialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone={tone}>{icon}</DialogIcon>
        <div className="grid gap-1.5">
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
          {detail}
        </div>
      </AlertDialogHeader>
      {typedName ? (
        <FormField
          label={
            <>
              {typedName.label}{' '}
              <span className="select-all rounded bg-muted px-1.5 py-0.5 font-mono text-[0.8125rem]">
                {typedName.name}
              </span>
            </>
          }
        >
          {(control) => (
            <Input
              {...control}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid={typedName.inputTestId}
            />
          )}
        </FormField>
      ) : null}
      {children}
      {error ? <Alert tone="destructive">{error}</Alert> : null}
      <AlertDialogFooter>
        <AlertDialogCancel asChild>
          <Button variant="outline" disabled={pending}>
            {t('common.cancel')}
          </Button>
        </AlertDialogCancel>
        <Button
          variant={confirmVariant}
          pending={pending}
          {...(typedName ? { type: 'submit' as const, disabled: !matches } : { onClick: () => void confirm() })}
          data-testid={confirmTestId}
        >
          {pending ? workingLabel : confirmLabel}
        </Button>
      </AlertDialogFooter>
    </>
  );

  return (
    <AlertDialogContent data-testid={testId} data-action={action}>
      {typedName ? (
        <form noValidate onSubmit={onSubmit} className="grid gap-5">
          {body}
        </form>
      ) : (
        body
      )}
    </AlertDialogContent>
  );
}
