import { useEffect, useState } from 'react';

// A module from a lazily loaded chunk, rendered without React.lazy and Suspense. React shows a
// suspended boundary's content no sooner than 300 ms after the last fallback it showed anywhere
// (its throttle for nested spinners): a lesson page whose text and cells arrive in chunks paid
// that at each step — the text and every cell appeared up to 300 ms after their code had arrived.
// A state update when the chunk arrives is rendered at once.

const arrived = new WeakMap<() => Promise<unknown>, unknown>();

/**
 * What `load` resolves to once it has (null until then, and while `enabled` is false). `load` must
 * be a stable function (module level): what it resolved to is kept for every later render. A
 * failed load is thrown during render, as React.lazy does.
 */
export function useChunk<T>(load: () => Promise<T>, enabled = true): T | null {
  const [state, setState] = useState<{ load: () => Promise<T>; value: T } | { load: () => Promise<T>; error: unknown } | null>(() =>
    arrived.has(load) ? { load, value: arrived.get(load) as T } : null,
  );
  const current = state?.load === load ? state : arrived.has(load) ? { load, value: arrived.get(load) as T } : null;
  useEffect(() => {
    if (!enabled || current) return;
    let alive = true;
    load().then(
      (value) => {
        arrived.set(load, value);
        if (alive) setState({ load, value });
      },
      (error: unknown) => alive && setState({ load, error }),
    );
    return () => {
      alive = false;
    };
  }, [load, enabled, current]);
  if (current && 'error' in current) throw current.error;
  return current && 'value' in current ? current.value : null;
}
