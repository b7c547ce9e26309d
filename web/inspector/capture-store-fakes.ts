// The capture store's tests' fakes: a socket the test plays the server side of, and a store on it.
import { decodeConnection } from '../../wire/decode-connection.ts';
import { readFixture, type FixtureChunk } from '../../wire/fixtures/read-fixture.ts';
import { CaptureStore, type SocketLike } from './capture-store.ts';

export class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  /** the server side of the fake */
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

export function setup(maxBytes?: number, decode?: typeof decodeConnection) {
  const sockets: FakeSocket[] = [];
  const store = new CaptureStore({
    url: 'ws://example.test/_wirelab/tap',
    socketFactory: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    maxBytes,
    reconnectDelayMs: { first: 500, max: 4000 },
    decode,
  });
  store.connect();
  const socket = () => sockets[sockets.length - 1];
  const openWithHello = () => {
    socket().onopen?.({});
    socket().deliver({ type: 'hello', recording: true, limits: { ringBytes: 1, ringChunks: 1 } });
  };
  return { store, sockets, socket, openWithHello };
}

export function fixtureMessages(name: string) {
  const { fixture } = readFixture(name);
  return { fixture, connection: fixture.connections[0], chunks: fixture.chunks };
}

export const chunksMessage = (chunks: FixtureChunk[]) => ({ type: 'chunks', chunks });
