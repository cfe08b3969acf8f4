'use client';

import { accountStates, roles, type AccountState, type Role } from '@uni-manager/contracts';
import { FilterX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { SearchInput } from '@/components/ui/search-input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { UsersSearch } from './users-search';

// Radix Select cannot hold an empty value, so "no filter" has a name of its own.
const ALL = 'all';

interface UsersToolbarProps {
  search: UsersSearch;
  onChange: (patch: Partial<UsersSearch>, options?: { replace?: boolean }) => void;
}

export function UsersToolbar({ search, onChange }: UsersToolbarProps) {
  const { t, dict } = useI18n();
  const filtered = Boolean(search.q || search.role || search.state);
  return (
    <div className="flex flex-col gap-3 md:flex-row md:items-center" role="search">
      <SearchInput
        className="md:max-w-xs md:flex-1"
        value={search.q}
        onCommit={(q) => onChange({ q }, { replace: true })}
        label={t('users.searchLabel')}
        clearLabel={t('common.clearSearch')}
        placeholder={t('users.searchPlaceholder')}
        data-testid="users-search"
      />
      <div className="grid grid-cols-2 gap-3 md:flex">
        <Select
          value={search.role ?? ALL}
          onValueChange={(value) => onChange({ role: value === ALL ? undefined : (value as Role) })}
        >
          <SelectTrigger className="md:w-44" aria-label={t('users.roleFilter')} data-testid="role-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('users.allRoles')}</SelectItem>
            {roles.map((role) => (
              <SelectItem key={role} value={role}>
                {dict.roles[role]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select
          value={search.state ?? ALL}
          onValueChange={(value) => onChange({ state: value === ALL ? undefined : (value as AccountState) })}
        >
          <SelectTrigger className="md:w-44" aria-label={t('users.stateFilter')} data-testid="state-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('users.allStates')}</SelectItem>
            {accountStates.map((state) => (
              <SelectItem key={state} value={state}>
                {dict.states[state]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {filtered ? (
        <Button
          variant="ghost"
          size="sm"
          className="self-start md:self-auto"
          onClick={() => onChange({ q: '', role: undefined, state: undefined })}
        >
          <FilterX aria-hidden />
          {t('users.clearFilters')}
        </Button>
      ) : null}
    </div>
  );
}
