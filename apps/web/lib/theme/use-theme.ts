'use client';

import { useSyncExternalStore } from 'react';
import { getServerThemeSnapshot, getThemeSnapshot, subscribeTheme, type ThemeSnapshot } from './theme-store';

export function useTheme(): ThemeSnapshot {
  return useSyncExternalStore(subscribeTheme, getThemeSnapshot, getServerThemeSnapshot);
}
