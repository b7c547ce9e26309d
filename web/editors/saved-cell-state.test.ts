import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSavedCell, writeSavedCell } from './saved-cell-state.ts';

describe("a cell's saved edits", () => {
  beforeEach(() => {
    const items = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('come back for the same lesson cell', () => {
    writeSavedCell('rest/get-user', 'GET /a', 'GET /b');
    expect(readSavedCell('rest/get-user', 'GET /a')).toBe('GET /b');
    expect(readSavedCell('rest/other', 'GET /a')).toBeUndefined();
  });

  it("are dropped by going back to the original, and ignored once the lesson's cell changed", () => {
    writeSavedCell('rest/get-user', 'GET /a', 'GET /b');
    expect(readSavedCell('rest/get-user', 'GET /a-new')).toBeUndefined();
    writeSavedCell('rest/get-user', 'GET /a', 'GET /a');
    expect(localStorage.getItem('wirelab.cell.rest/get-user')).toBeNull();
  });

  it("keep structured state (a gRPC cell's inputs)", () => {
    const original = { method: 'GetUser', requestText: '{}' };
    writeSavedCell('grpc/get-user', original, { ...original, requestText: '{"id": 2}' });
    expect(readSavedCell('grpc/get-user', { ...original })).toEqual({ method: 'GetUser', requestText: '{"id": 2}' });
  });
});
