// The capture store's face for other rooms (README.md, "For other rooms"): the page's one store,
// connected to `/_wirelab/tap` on the page's origin once the session cookie exists, its React
// hook, and the store's class and shapes (capture-store-core.ts, capture-types.ts).
import { useSyncExternalStore } from 'react';
import { sessionReady } from '../kit/session.ts';
import { browserSocket } from './capture-channel.ts';
import { CaptureStore } from './capture-store-core.ts';
import type { CaptureSnapshot } from './capture-types.ts';
import { bindPageConnectionKeys } from './connection-keys.ts';

export { CaptureStore } from './capture-store-core.ts';
export type {
  CaptureSnapshot,
  CaptureStatus,
  CaptureStoreOptions,
  ConnectionView,
  InspectedExchange,
  SocketFactory,
  SocketLike,
  WaitForExchange,
} from './capture-types.ts';

let singleton: CaptureStore | null = null;

/** The page's one capture store, connected to `/_wirelab/tap` on the page's origin. */
export function getCaptureStore(): CaptureStore {
  if (singleton) return singleton;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const store = new CaptureStore({
    url: `${scheme}//${window.location.host}/_wirelab/tap`,
    socketFactory: browserSocket,
  });
  singleton = store;
  bindPageConnectionKeys((instance) => store.connectionKeys(instance));
  // The channel answers only a browser that has its session cookie.
  sessionReady().then(
    () => store.connect(),
    () => store.connect(),
  );
  return store;
}

/** The captures, re-rendering on every change. */
export function useCaptures(store: CaptureStore = getCaptureStore()): CaptureSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
