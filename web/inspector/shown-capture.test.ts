import { beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile, type OpenedPackets } from '../../wire/capture-file/read-capture-file.ts';
import { loadAllLayers } from '../../wire/connection-decoders.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';
import { CaptureStore } from './capture-store.ts';
import { shownCapture } from './shown-capture.ts';
import { shownTraffic } from './shown-traffic.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const noChannel = () => {
  throw new Error('no capture channel here');
};

function storeOf(connections: CapturedConnection[], chunks: CaptureChunk[]): CaptureStore {
  const store = new CaptureStore({ url: '', socketFactory: noChannel, maxBytes: Number.POSITIVE_INFINITY });
  store.apply({ type: 'hello', recording: true, instance: 'live', limits: { ringBytes: 0, ringChunks: 0 } });
  for (const conn of connections) store.apply({ type: 'connection', conn });
  store.applyChunks(chunks);
  return store;
}

/** A head the tap recorded alone: the app's own file, its body skipped (server/tap/README.md, "The app's own files"). */
const headOnly = (type: string, length: number) =>
  `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\nx-wirelab-recorded: head-only\r\n\r\n`;

/**
 * A lesson page's live capture: a keep-alive connection that loaded the page and a script (heads
 * only) before the student's cell sent its request on it, another that loaded only the app's
 * files, and one whose response lost bytes the tap evicted.
 */
function lessonPageCapture(): CaptureStore {
  let seq = 0;
  const chunk = (conn: string, dir: 'in' | 'out', t: number, offset: number, text: string): CaptureChunk => ({
    conn,
    seq: seq++,
    dir,
    t,
    offset,
    data: bytes(text),
  });
  const page = 'GET /ru/rest HTTP/1.1\r\nHost: localhost:8080\r\n\r\n';
  const script = 'GET /assets/index-abc.js HTTP/1.1\r\nHost: localhost:8080\r\n\r\n';
  const student = 'GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n';
  const pageHead = headOnly('text/html', 3000);
  const scriptHead = headOnly('text/javascript', 50_000);
  const answer = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n';
  const connection = (id: string, port: number, closedAt?: number): CapturedConnection => ({
    id,
    transport: 'http/1.1',
    remote: `127.0.0.1:${port}`,
    local: '127.0.0.1:8080',
    openedAt: 1000,
    ...(closedAt ? { closedAt } : {}),
  });
  const evicted = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n';
  const posted = 'POST /api/v1/users HTTP/1.1\r\nHost: localhost:8080\r\nContent-Length: 2\r\n\r\n{}';
  return storeOf(
    [connection('c1', 50001), connection('c2', 50002, 1200), connection('c3', 50003)],
    [
      chunk('c1', 'in', 1000, 0, page),
      chunk('c1', 'out', 1001, 0, pageHead),
      chunk('c2', 'in', 1002, 0, script.replace('index-abc', 'monaco-def')),
      chunk('c2', 'out', 1003, 0, scriptHead),
      chunk('c1', 'in', 1010, page.length, script),
      chunk('c1', 'out', 1011, pageHead.length + 3000, scriptHead),
      chunk('c1', 'in', 1100, page.length + script.length, student),
      chunk('c1', 'out', 1101, pageHead.length + 3000 + scriptHead.length + 50_000, answer),
      chunk('c1', 'out', 1102, pageHead.length + 3000 + scriptHead.length + 50_000 + answer.length, '[]'),
      chunk('c3', 'in', 1150, 0, posted),
      chunk('c3', 'out', 1151, 0, evicted),
      // bytes 0–4 of the body were evicted from the ring: a real gap
      chunk('c3', 'out', 1152, evicted.length + 5, '67890'),
    ],
  );
}

/** The file read back as the shared page reads it, decoded by a store of its own. */
function readBack(pcapng: Uint8Array) {
  const file = readCaptureFile(pcapng) as OpenedPackets;
  expect(file.kind).toBe('packets');
  const store = storeOf(file.connections, file.chunks);
  return { file, exchanges: store.catchUpNow().exchanges };
}

describe('what Share sends: the capture as the view shows it', () => {
  beforeAll(loadAllLayers);

  it('leaves the hidden app traffic out, keep-alive neighbour included, and reads back with no out-of-order segment and no made-up gap', () => {
    const store = lessonPageCapture();
    const shared = shownCapture(store.catchUpNow(), (conn) => store.chunksOf(conn), false);
    expect(shared.appRequestsLeftOut).toBe(3);
    const { file, exchanges } = readBack(shared.pcapng);
    // c3's evicted body bytes are the one gap, and they are real
    expect(file.counts).toEqual({ retransmissions: 0, outOfOrder: 0, gaps: 1 });
    expect(file.connections).toHaveLength(2);
    expect(exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.target} ${exchange.response?.status}`)).toEqual([
      'GET /api/v1/users?limit=1 200',
      'POST /api/v1/users 200',
    ]);
    const [mine, evicted] = exchanges;
    expect(mine!.request.afterGap).toBeUndefined();
    expect(mine!.response?.afterGap).toBeUndefined();
    expect(mine!.response?.complete).toBe(true);
    expect(new TextDecoder().decode(mine!.response?.body)).toBe('[]');
    expect(evicted!.response?.complete).toBe(false);
  });

  it('sends every exchange when the view shows the app traffic: the skipped bodies are gaps, and nothing is out of order', () => {
    const store = lessonPageCapture();
    const shared = shownCapture(store.catchUpNow(), (conn) => store.chunksOf(conn), true);
    expect(shared.appRequestsLeftOut).toBe(0);
    const { file, exchanges } = readBack(shared.pcapng);
    // the page's and the first script's bodies on c1 (bytes follow them), c3's evicted bytes
    expect(file.counts).toEqual({ retransmissions: 0, outOfOrder: 0, gaps: 3 });
    expect(exchanges.map((exchange) => exchange.request.target)).toEqual([
      '/ru/rest',
      '/assets/monaco-def.js',
      '/assets/index-abc.js',
      '/api/v1/users?limit=1',
      '/api/v1/users',
    ]);
  });

  it('reads the whole export back with the same gaps and no out-of-order segment', () => {
    const { file } = readBack(lessonPageCapture().toPcapng());
    expect(file.counts).toEqual({ retransmissions: 0, outOfOrder: 0, gaps: 3 });
  });

  it("does not mark the student's exchange with the gap that is the hidden app file's body before it", () => {
    const snapshot = lessonPageCapture().catchUpNow();
    const student = snapshot.exchanges.find((exchange) => exchange.request.target === '/api/v1/users?limit=1')!;
    expect(student.response?.afterGap).toBe(true);
    const hidden = shownTraffic(snapshot, false).timeline.find(({ view }) => view.connection.id === 'c1')!;
    expect(hidden.exchanges).toEqual([student]);
    expect([...(hidden.gapsInHidden ?? [])]).toEqual([student.index]);
    // shown with the app's files, the gap is theirs to show, and the student's row says it too
    const all = shownTraffic(snapshot, true).timeline.find(({ view }) => view.connection.id === 'c1')!;
    expect(all.gapsInHidden).toBeUndefined();
  });
});
