import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storedJson } from './stored-json.ts';

describe('a value kept in localStorage as JSON', () => {
  let items: Map<string, string>;
  let full = false;
  beforeEach(() => {
    items = new Map();
    full = false;
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => {
        if (full) throw new Error('QuotaExceededError');
        items.set(key, value);
      },
      removeItem: (key: string) => void items.delete(key),
    });
    // the other tabs' storage events: none in these tests
    vi.stubGlobal('window', { addEventListener: () => {}, removeEventListener: () => {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  const numbers = () => storedJson('k', (stored) => (Array.isArray(stored) ? (stored as number[]) : []));

  it('reads a damaged or foreign entry as nothing, and writes through, telling every listener', () => {
    items.set('k', '{not json');
    const store = numbers();
    expect(store.read()).toEqual([]);
    const heard = vi.fn();
    store.subscribe(heard);
    store.write([1, 2]);
    expect(items.get('k')).toBe('[1,2]');
    expect(store.read()).toEqual([1, 2]);
    expect(heard).toHaveBeenCalledTimes(1);
    store.write(null);
    expect(items.has('k')).toBe(false);
    expect(store.read()).toEqual([]);
  });

  it('re-reads when the stored text changed under it (another tab), and keeps one value object otherwise', () => {
    const store = numbers();
    store.write([1]);
    expect(store.read()).toBe(store.read());
    items.set('k', '[3]');
    expect(store.read()).toEqual([3]);
  });

  it('keeps the page’s value when the storage refuses the write', () => {
    const store = numbers();
    store.write([1]);
    full = true;
    store.write([1, 2]);
    expect(items.get('k')).toBe('[1]');
    expect(store.read()).toEqual([1, 2]);
  });
});
