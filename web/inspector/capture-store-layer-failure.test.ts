import { describe, expect, it, vi } from 'vitest';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import { wireErrorText } from '../../wire/node-text.ts';
import { CaptureStore } from './capture-store.ts';

// The HTTP/2 layer's chunk cannot be downloaded (the server went away, a stale build).
vi.mock('../../wire/http2/decode-http2.ts', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

describe('a decoder layer that cannot load', () => {
  it("shows an error node over that connection's bytes, and the other connections still decode", async () => {
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('no socket in this test');
      },
    });
    for (const name of ['h2c-curl-get', 'curl-get']) {
      const { fixture } = readFixture(name);
      for (const conn of fixture.connections) store.apply({ type: 'connection', conn: { ...conn, id: `${name}-${conn.id}` } });
      store.apply({ type: 'chunks', chunks: fixture.chunks.map((chunk) => ({ ...chunk, conn: `${name}-${chunk.conn}` })) });
    }
    for (let attempt = 0; attempt < 200 && (store.getSnapshot(), !store.caughtUp()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const [h2c, http1] = ['h2c-curl-get', 'curl-get'].map((prefix) => store.connections().find((view) => view.connection.id.startsWith(prefix))!);
    const notes = h2c.notes.map((note) => note.node);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((node) => node.kind === 'decoder-unavailable' && node.error === 'decoder-unavailable')).toBe(true);
    expect(notes[0].label).toContain('HTTP/2');
    expect(wireErrorText('decoder-unavailable', 'ru')).toBeTruthy();
    expect(h2c.exchanges).toEqual([]);
    expect(http1.exchanges.length).toBeGreaterThan(0);
  });
});
