'use client';

import { auditActions, type AuditAction } from '@uni-manager/contracts';
import { FilterX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { DateRangeFields } from '@/components/ui/date-range-fields';
import { Label } from '@/components/ui/label';
import { SearchInput } from '@/components/ui/search-input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { isRangeValid } from '@/lib/days';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { AuditSearch } from './audit-search';

const ALL = 'all';

interface AuditFiltersProps {
  search: AuditSearch;
  onChange: (patch: Partial<AuditSearch>, options?: { replace?: boolean }) => void;
}

export function AuditFilters({ search, onChange }: AuditFiltersProps) {
  const { t, dict } = useI18n();
  const filtered = Boolean(search.q || search.action || search.from || search.to);
  const rangeError = isRangeValid(search) ? undefined : t('audit.filters.invalidRange');

  return (
    <div
      role="search"
      className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)_auto_auto] xl:items-start"
    >
      <div className="grid gap-2">
        <Label htmlFor="audit-q">{t('audit.filters.search')}</Label>
        <SearchInput
          id="audit-q"
          value={search.q}
          onCommit={(q) => onChange({ q }, { replace: true })}
          label={t('audit.filters.search')}
          clearLabel={t('common.clearSearch')}
          placeholder={t('audit.filters.searchPlaceholder')}
          data-testid="audit-search"
        />
      </div>
      <div className="grid gap-2">
        <Label id="audit-action-label">{t('audit.filters.action')}</Label>
        <Select
          value={search.action ?? ALL}
          onValueChange={(value) => onChange({ action: value === ALL ? undefined : (value as AuditAction) })}
        >
          <SelectTrigger aria-labelledby="audit-action-label" data-testid="audit-action-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('audit.filters.allActions')}</SelectItem>
            {auditActions.map((action) => (
              <SelectItem key={action} value={action}>
                {dict.auditActions[action]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <DateRangeFields
        from={search.from}
        to={search.to}
        labels={{ from: t('audit.filters.from'), to: t('audit.filters.to') }}
        testIds={{ from: 'audit-from', to: 'audit-to' }}
        error={rangeError}
        onChange={onChange}
        inputClassName="xl:w-40"
      />
      <div className="flex items-end xl:self-end">
        <Button
          variant="ghost"
          size="sm"
          className="h-9"
          disabled={!filtered}
          onClick={() => onChange({ q: '', action: undefined, from: undefined, to: undefined })}
        >
          <FilterX aria-hidden />
          {t('audit.filters.clear')}
        </Button>
      </div>
    </div>
  );
}
