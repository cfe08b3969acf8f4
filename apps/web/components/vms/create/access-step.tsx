'use client';

import { FormField } from '@/components/ui/form-field';
import { PasswordInput } from '@/components/ui/password-input';
import { Textarea } from '@/components/ui/textarea';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { sshKeyLines } from '../vm-name';
import type { Draft, DraftErrors } from './draft';

interface AccessStepProps {
  draft: Draft;
  errors: DraftErrors;
  onChange: (patch: Partial<Draft>) => void;
}

/** What cloud-init puts in the guest so its owner can sign in: keys, a password, or both. */
export function AccessStep({ draft, errors, onChange }: AccessStepProps) {
  const { t } = useI18n();
  const keys = sshKeyLines(draft.sshKeys).length;
  return (
    <div className="grid gap-7">
      <p className="max-w-2xl text-sm text-muted-foreground">{t('vms.create.accessIntro')}</p>
      <FormField
        label={t('vms.create.sshKeys')}
        error={errors.sshKeys}
        hint={keys > 0 ? t('vms.create.sshKeysCount', { count: keys }) : t('vms.create.sshKeysHint')}
      >
        {(control) => (
          <Textarea
            {...control}
            rows={5}
            spellCheck={false}
            autoCapitalize="none"
            placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… you@laptop"
            value={draft.sshKeys}
            onChange={(e) => onChange({ sshKeys: e.target.value })}
            className="font-mono text-xs leading-relaxed"
            data-testid="vm-ssh-keys-input"
          />
        )}
      </FormField>
      <FormField label={t('vms.create.password')} error={errors.password} hint={t('vms.create.passwordHint')}>
        {(control) => (
          <PasswordInput
            {...control}
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => onChange({ password: e.target.value })}
            showLabel={t('common.showPassword')}
            hideLabel={t('common.hidePassword')}
            className="sm:max-w-sm"
            data-testid="vm-password-input"
          />
        )}
      </FormField>
    </div>
  );
}
