import { THEME_STORAGE_KEY } from './theme-script';

export type ThemePreference = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

export interface ThemeSnapshot {
  preference: ThemePreference;
  resolved: ResolvedTheme;
}

const LIGHT_QUERY = '(prefers-color-scheme: light)';
/** What the server renders: the inline script corrects it before paint. */
const SERVER_SNAPSHOT: ThemeSnapshot = { preference: 'system', resolved: 'dark' };

const listeners = new Set<() => void>();
let snapshot: ThemeSnapshot | undefined;

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Storage may be blocked; the OS preference still applies.
  }
  return 'system';
}

function resolve(preference: ThemePreference): ResolvedTheme {
  if (preference !== 'system') return preference;
  return window.matchMedia(LIGHT_QUERY).matches ? 'light' : 'dark';
}

function apply(next: ThemeSnapshot): void {
  const root = document.documentElement;
  // Without this every coloured transition would animate at once, which looks like a flicker.
  const freeze = document.createElement('style');
  freeze.textContent = '*,*::before,*::after{transition:none!important}';
  document.head.appendChild(freeze);
  root.classList.remove('light', 'dark');
  root.classList.add(next.resolved);
  root.style.colorScheme = next.resolved;
  // Reading a computed style forces the new colours to be resolved while transitions are still off.
  window.getComputedStyle(document.body).getPropertyValue('opacity');
  requestAnimationFrame(() => freeze.remove());
}

function update(): void {
  const preference = readPreference();
  const next = { preference, resolved: resolve(preference) };
  if (snapshot && next.preference === snapshot.preference && next.resolved === snapshot.resolved) return;
  snapshot = next;
  apply(next);
  for (const listener of listeners) listener();
}

function onStorage(event: StorageEvent): void {
  // Another tab changed the theme: follow it.
  if (event.key === THEME_STORAGE_KEY || event.key === null) update();
}

export function getThemeSnapshot(): ThemeSnapshot {
  if (!snapshot) {
    const preference = readPreference();
    snapshot = { preference, resolved: resolve(preference) };
  }
  return snapshot;
}

export function getServerThemeSnapshot(): ThemeSnapshot {
  return SERVER_SNAPSHOT;
}

export function subscribeTheme(listener: () => void): () => void {
  if (listeners.size === 0) {
    window.matchMedia(LIGHT_QUERY).addEventListener('change', update);
    window.addEventListener('storage', onStorage);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.matchMedia(LIGHT_QUERY).removeEventListener('change', update);
      window.removeEventListener('storage', onStorage);
    }
  };
}

export function setThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not remembered, but still applied to this page.
  }
  const next = { preference, resolved: resolve(preference) };
  snapshot = next;
  apply(next);
  for (const listener of listeners) listener();
}
