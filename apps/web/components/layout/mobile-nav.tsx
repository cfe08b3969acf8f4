'use client';

import type { User } from '@uni-manager/contracts';
import { Menu } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from '@/components/ui/sheet';
import { useT } from '@/lib/i18n/i18n-provider';
import { SidebarNav } from './sidebar-nav';

/** Below the lg breakpoint the sidebar becomes a drawer behind a menu button. */
export function MobileNav({ user }: { user: User }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="lg:hidden"
          aria-label={t('nav.openMenu')}
          data-testid="nav-menu-button"
        >
          <Menu aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent closeLabel={t('nav.closeMenu')} aria-describedby={undefined}>
        <SheetTitle className="sr-only">{t('nav.main')}</SheetTitle>
        <SidebarNav user={user} onNavigate={() => setOpen(false)} />
      </SheetContent>
    </Sheet>
  );
}
