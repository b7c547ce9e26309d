import { importAgain } from '../../shared/import-again.ts';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { CaptureSnapshot, CaptureStore } from './capture-store.ts';

// The lesson text does not wait for the capture store (nor for the decoders it brings): the
// reader asks for it once its text is on screen. Nothing is missed meanwhile: the capture channel
// replays the session's recent captures when it connects.

const NOTHING_YET: CaptureSnapshot = {
  status: 'connecting',
  recording: true,
  version: -1,
  connections: [],
  exchanges: [],
  messages: [],
  beforeRestart: new Set(),
};

let store: CaptureStore | null = null;
let loading: Promise<CaptureStore | null> | null = null;

function loadStore(): Promise<CaptureStore | null> {
  loading ??= importAgain(() => import('./capture-store.ts')).then(
    (module) => (store = module.getCaptureStore()),
    (error: unknown) => {
      console.warn('The capture store could not load; the exercises cannot see the traffic.', error);
      loading = null;
      return null;
    },
  );
  return loading;
}

/** The page's captures (useCaptures), once `enabled`; empty until the store arrived. */
export function useCapturesLater(enabled: boolean): CaptureSnapshot {
  const [loaded, setLoaded] = useState<CaptureStore | null>(store);
  useEffect(() => {
    if (!enabled || loaded) return;
    let alive = true;
    // a task of its own after the text's: the text paints first
    const timer = setTimeout(() => void loadStore().then((arrived) => alive && arrived && setLoaded(arrived)), 0);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [enabled, loaded]);
  const subscribe = useCallback((listener: () => void) => (loaded ? loaded.subscribe(listener) : () => {}), [loaded]);
  const snapshot = useCallback(() => (loaded ? loaded.getSnapshot() : NOTHING_YET), [loaded]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
