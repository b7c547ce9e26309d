// Runs isolated (vitest.config.ts): it needs the decoder layers not yet loaded, and a file before it
// in a shared worker may have loaded them all (decode-connection.ts installs every layer at once).
import { describe, expect, it } from 'vitest';
// Not decode-connection.ts: that one installs every layer at once. This file sees the page's way.
import { connectionLayers, payloadLayerSources } from '../../wire/connection-decoders.ts';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import type { WireNode } from '../../wire/types.ts';
import { CaptureStore } from './capture-store.ts';

function storeWith(name: string): CaptureStore {
  const store = new CaptureStore({
    url: 'ws://unused',
    socketFactory: () => {
      throw new Error('no socket in this test');
    },
  });
  const { fixture } = readFixture(name);
  for (const conn of fixture.connections) store.apply({ type: 'connection', conn });
  store.apply({ type: 'chunks', chunks: fixture.chunks });
  return store;
}

/**
 * A layer's first import here is its modules' first transform too: on a loaded machine (the unit
 * files beside an end-to-end run and a busy core, 28 Nov) the gRPC test took over 5 s, vitest's
 * limit, against 1.1–1.4 s in CI's runs. Waits are long, not what is judged.
 */
const LAYERS_ARRIVE_MS = 20_000;

/** Resolves once the store caught up: every layer its connections asked for has arrived and was used. */
async function settled(store: CaptureStore): Promise<void> {
  const until = Date.now() + LAYERS_ARRIVE_MS;
  // each turn reads the snapshot, as the inspector does when the store notifies it
  while ((store.getSnapshot(), !store.caughtUp()) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(store.caughtUp()).toBe(true);
}

function kinds(nodes: readonly WireNode[]): string[] {
  return nodes.flatMap((node) => [node.kind, ...kinds(node.children ?? [])]);
}

describe('decoder layers download when a connection needs them', () => {
  it(
    'an HTTP/1.1 REST exchange shows a loading note, then its exchange, and never asks for HTTP/2, protobuf or GraphQL',
    async () => {
      const store = storeWith('curl-post-json');
      const first = store.getSnapshot();
      expect(first.exchanges).toEqual([]);
      expect(first.connections[0].notes.map((note) => note.node.kind)).toContain('decoder-loading');
      await settled(store);
      const exchanges = store.exchanges();
      expect(exchanges.length).toBeGreaterThan(0);
      expect(exchanges[0].request.method).toBe('POST');
      expect(store.connections()[0].notes.map((note) => note.node.kind)).not.toContain('decoder-loading');
      expect(connectionLayers.http1.ready).toBe(true);
      expect(connectionLayers.http2.ready || connectionLayers.http2.loadingNow).toBe(false);
      expect(payloadLayerSources.grpc.ready || payloadLayerSources.grpc.loadingNow).toBe(false);
      expect(payloadLayerSources.graphqlHttp.ready || payloadLayerSources.graphqlHttp.loadingNow).toBe(false);
      expect(connectionLayers.graphqlQueryString.ready || connectionLayers.graphqlQueryString.loadingNow).toBe(false);
    },
    2 * LAYERS_ARRIVE_MS,
  );

  it(
    'a gRPC call over h2c brings HTTP/2 and then the protobuf layer, and decodes as with every layer at once',
    async () => {
      const store = storeWith('grpc-unary');
      await settled(store);
      expect(connectionLayers.http2.ready).toBe(true);
      expect(payloadLayerSources.grpc.ready).toBe(true);
      const [exchange] = store.exchanges();
      const responseKinds = kinds(exchange.response?.tree.children ?? []);
      expect(responseKinds).not.toContain('decoder-loading');
      expect(responseKinds.some((kind) => kind.startsWith('grpc') || kind.startsWith('protobuf'))).toBe(true);
      // the same tree as the eager decoder gives (decode-connection.ts installs every layer)
      const { decodeConnection } = await import('../../wire/decode-connection.ts');
      const { fixture, chunks } = readFixture('grpc-unary');
      const eager = decodeConnection(fixture.connections[0], chunks);
      expect(JSON.stringify(store.connections()[0].exchanges.map((e) => e.response?.tree))).toBe(JSON.stringify(eager.exchanges.map((e) => e.response?.tree)));
    },
    2 * LAYERS_ARRIVE_MS,
  );
});
