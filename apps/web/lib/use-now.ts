'use client';

import { useSyncExternalStore } from 'react';

/*
 * One clock for the whole tab: a single 1 s interval that runs only while
 * something on screen reads it and the tab is visible. "5 seconds ago" and an
 * uptime keep counting without each component keeping its own timer.
 */

const TICK_MS = 1_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  now = Date.now();
  for (const listener of listeners) listener();
}

function start(): void {
  if (timer !== undefined || document.visibilityState !== 'visible') return;
  // Back from a hidden tab, the time is brought up to date at once rather than a second later.
  tick();
  timer = setInterval(tick, TICK_MS);
}

function stop(): void {
  clearInterval(timer);
  timer = undefined;
}

function onVisibilityChange(): void {
  if (document.visibilityState === 'visible') start();
  else stop();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    document.addEventListener('visibilitychange', onVisibilityChange);
    start();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      stop();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    }
  };
}

const getSnapshot = () => now;

/** The current time in ms, updated every second while the component is mounted and the tab visible. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
