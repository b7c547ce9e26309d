import { useSyncExternalStore } from 'react';

// One value of this browser's localStorage, kept as JSON, that React components read and follow:
// parsed once per change of the stored text (a damaged or foreign entry reads as `parse` says,
// never breaks the page), written through, and every reader re-rendered — on this page and, by
// the storage event, in the browser's other tabs. When storage is switched off or full, the
// value lives in the page until it is closed. (On the lesson page's first script: kept small.)

export interface StoredJson<T> {
  read(): T;
  /** `null` removes the entry (what `parse(null)` reads back) */
  write(next: T | null): void;
  subscribe(listener: () => void): () => void;
  /** the value, re-rendering on every change */
  use(): T;
}

export function storedJson<T>(key: string, parse: (stored: unknown) => T): StoredJson<T> {
  const listeners = new Set<() => void>();
  let raw: string | null = null;
  let value = parse(null);

  const read = (): T => {
    try {
      const stored = localStorage.getItem(key);
      if (stored !== raw) {
        raw = stored;
        value = parse(null);
        if (stored !== null) value = parse(JSON.parse(stored));
      }
    } catch {
      // storage off, or a damaged entry (read as nothing until it changes)
    }
    return value;
  };

  const write = (next: T | null): void => {
    value = next ?? parse(null);
    const text = next === null ? null : JSON.stringify(next);
    try {
      if (text === null) localStorage.removeItem(key);
      else localStorage.setItem(key, text);
      raw = text;
    } catch {
      // the stored text is unchanged and `raw` still names it, so the page's value stands
    }
    for (const listener of listeners) listener();
  };

  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener);
    window.addEventListener('storage', listener);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', listener);
    };
  };

  return { read, write, subscribe, use: () => useSyncExternalStore(subscribe, read, read) };
}
