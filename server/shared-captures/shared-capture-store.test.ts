import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_CAPTURE_ID } from '../../contracts/shared-capture/shared-capture.ts';
import { newCaptureId, SharedCaptureStore, type SharedCaptureLimits } from './shared-capture-store.ts';

const HOUR = 3600_000;
const LIMITS: SharedCaptureLimits = { captureBytes: 100, perAddress: { count: 2, bytes: 150 }, total: { count: 3, bytes: 1000 } };
const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function clockedStore(limits = LIMITS, file = ':memory:') {
  const clock = { now: 1_000_000 };
  return { clock, store: new SharedCaptureStore(file, limits, () => clock.now) };
}

const share = (store: SharedCaptureStore, address: string, length = 10, owner = 'session-a', expiresInMs = HOUR) =>
  store.add({ pcapng: bytes(length), connections: 1, owner, address, expiresInMs });

function idOf(result: ReturnType<typeof share>): string {
  if ('kind' in result) throw new Error(`refused: ${result.kind}`);
  return result.id;
}

describe('SharedCaptureStore', () => {
  it('gives 128-bit random ids in base64url, never the same twice', () => {
    const ids = new Set(Array.from({ length: 1000 }, newCaptureId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(SHARED_CAPTURE_ID);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });

  it('hands back the very bytes until the capture expires, then nothing, and the purge deletes it', () => {
    const { clock, store } = clockedStore();
    const result = share(store, '10.0.0.1', 10);
    const id = idOf(result);
    expect(result).toMatchObject({ expiresAt: clock.now + HOUR });
    expect([...store.get(id)!.pcapng]).toEqual([...bytes(10)]);
    clock.now += HOUR - 1;
    expect(store.get(id)).not.toBeNull();
    expect(store.isLive(id)).toBe(true);
    clock.now += 1;
    expect(store.get(id)).toBeNull();
    // what the classroom asks before it puts a capture on the followers' screens
    expect(store.isLive(id)).toBe(false);
    expect(store.delete(id, 'session-a')).toBe('not-found');
    expect(store.purgeExpired()).toBe(1);
    expect(store.purgeExpired()).toBe(0);
  });

  it('keeps how many app requests the sharer left out, also in a file written before it was kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-shared-old-'));
    dirs.push(dir);
    const file = join(dir, 'wirelab.sqlite');
    const old = new Database(file);
    old.exec(
      'CREATE TABLE shared_captures (id TEXT PRIMARY KEY, owner_hash TEXT NOT NULL, address TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, connections INTEGER NOT NULL, bytes INTEGER NOT NULL, pcapng BLOB NOT NULL)',
    );
    const oldId = newCaptureId();
    old.prepare('INSERT INTO shared_captures VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(oldId, 'h', '10.0.0.9', 1, 2_000_000, 1, 3, Buffer.from([1, 2, 3]));
    old.close();
    const { store } = clockedStore(LIMITS, file);
    expect(store.get(oldId)).toMatchObject({ appRequestsLeftOut: 0 });
    const id = idOf(store.add({ pcapng: bytes(10), connections: 1, owner: 'a', address: '10.0.0.1', expiresInMs: HOUR, appRequestsLeftOut: 12 }));
    expect(store.get(id)).toMatchObject({ appRequestsLeftOut: 12 });
    expect(store.get(idOf(share(store, '10.0.0.2')))).toMatchObject({ appRequestsLeftOut: 0 });
    store.close();
  });

  it('refuses a capture larger than one may be, whatever room there is', () => {
    const { store } = clockedStore();
    expect(store.refusal('10.0.0.1', 101)).toEqual({ kind: 'too-large', limit: 100 });
    expect(share(store, '10.0.0.1', 101)).toEqual({ kind: 'too-large', limit: 100 });
    expect(store.refusal('10.0.0.1', 100)).toBeNull();
    // a total below one capture's size (SHARED_CAPTURES_MB=1) makes a larger capture too large, never "too many"
    const small = clockedStore({ ...LIMITS, total: { count: 3, bytes: 80 } }).store;
    expect(small.refusal('10.0.0.1', 81)).toEqual({ kind: 'too-large', limit: 80 });
  });

  it('counts captures and bytes per address and in total, and says when the soonest kept one makes room', () => {
    const { clock, store } = clockedStore();
    idOf(share(store, '10.0.0.1', 10, 'a', 2 * HOUR));
    clock.now += 1000;
    idOf(share(store, '10.0.0.1', 10, 'a', HOUR));
    // a third from the same address: too many; the one of an hour expires first
    expect(share(store, '10.0.0.1', 10)).toEqual({ kind: 'too-many', scope: 'address', what: 'count', limit: 2, retryAfterMs: HOUR });
    // another address has its own budget, until the server's total is reached
    idOf(share(store, '10.0.0.2', 100));
    expect(store.refusal('10.0.0.2', 60)).toEqual({ kind: 'too-many', scope: 'address', what: 'bytes', limit: 150, retryAfterMs: HOUR });
    expect(store.refusal('10.0.0.3', 10)).toMatchObject({ kind: 'too-many', scope: 'total', what: 'count', limit: 3 });
    // expired captures count no more
    clock.now += HOUR;
    expect(store.refusal('10.0.0.1', 10)).toBeNull();
    expect(store.refusal('10.0.0.3', 10)).toBeNull();
  });

  it('lets only the session that shared a capture delete it', () => {
    const { store } = clockedStore();
    const id = idOf(share(store, '10.0.0.1', 10, 'owner-session'));
    expect(store.isOwner(store.get(id)!, 'owner-session')).toBe(true);
    expect(store.isOwner(store.get(id)!, 'someone-else')).toBe(false);
    expect(store.isOwner(store.get(id)!, null)).toBe(false);
    expect(store.delete(id, 'someone-else')).toBe('not-owner');
    expect(store.delete(id, null)).toBe('not-owner');
    expect(store.get(id)).not.toBeNull();
    expect(store.delete(id, 'owner-session')).toBe('deleted');
    expect(store.get(id)).toBeNull();
    expect(store.isLive(id)).toBe(false);
    expect(store.isLive('not an id at all')).toBe(false);
    expect(store.delete('not an id at all', 'owner-session')).toBe('not-found');
  });

  it('keeps captures in its file: a store opened again on it has them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-shared-captures-'));
    dirs.push(dir);
    const file = join(dir, 'wirelab.sqlite');
    const first = new SharedCaptureStore(file, LIMITS);
    const id = idOf(first.add({ pcapng: bytes(60, 3), connections: 2, owner: 'a', address: '::1', expiresInMs: HOUR }));
    first.close();
    const again = new SharedCaptureStore(file, LIMITS);
    expect(again.get(id)).toMatchObject({ connections: 2 });
    expect([...again.get(id)!.pcapng]).toEqual([...bytes(60, 3)]);
    // its limits count what was kept before
    expect(again.refusal('::1', 101)).toMatchObject({ kind: 'too-large' });
    expect(again.refusal('::1', 100)).toMatchObject({ kind: 'too-many', scope: 'address', what: 'bytes' });
    again.close();
  });
});
