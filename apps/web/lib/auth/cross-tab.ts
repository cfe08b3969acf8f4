/*
 * Tabs share the refresh cookie but not their in-memory access tokens, so a
 * logout in one tab is announced to the others, and a login lets the others
 * pick the new session up from the cookie.
 */
export type CrossTabMessage = 'login' | 'logout';

const CHANNEL_NAME = 'uni-manager-auth';
let channel: BroadcastChannel | null | undefined;

function getChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
  }
  return channel;
}

export function announce(message: CrossTabMessage): void {
  getChannel()?.postMessage(message);
}

export function listenToOtherTabs(handler: (message: CrossTabMessage) => void): () => void {
  const ch = getChannel();
  if (!ch) return () => {};
  const onMessage = (event: MessageEvent<unknown>) => {
    if (event.data === 'login' || event.data === 'logout') handler(event.data);
  };
  ch.addEventListener('message', onMessage);
  return () => ch.removeEventListener('message', onMessage);
}
