import { describe, expect, it } from 'vitest';
import { decodeConnection } from './decode-connection.ts';
import { readFixture } from './fixtures/read-fixture.ts';
import type { WireMessage, WireNode } from './types.ts';

// The same requests over HTTP/1.1 and over h2c, recorded from the real server
// (tests/fixture-recorders/capture-transport-pairs.ts): the payload layers must see the same payloads alike.

function decodedConnections(name: string) {
  const { fixture, chunks } = readFixture(name);
  return fixture.connections.map((connection) =>
    decodeConnection(
      connection,
      chunks.filter((chunk) => chunk.conn === connection.id),
    ),
  );
}

const PAYLOAD_LAYERS = ['sse-event', 'engine-io-packet', 'socket-io-packet', 'graphql-http'];
const http1 = decodedConnections('transport-pair-http1');
const h2c = decodedConnections('transport-pair-h2c');
// Engine.IO session ids differ between the two sessions: everything else must not
const sids = [...http1, ...h2c]
  .flatMap((decoded) => decoded.exchanges.map((exchange) => /"sid":"([^"]+)"/.exec(Buffer.from(exchange.response?.body ?? []).toString())?.[1]))
  .filter((sid): sid is string => sid !== undefined);

function shape(node: WireNode): unknown {
  return { kind: node.kind, label: node.label, value: node.value, error: node.error, children: node.children?.map(shape) };
}

/** What a payload message says, without where it lies (offsets, stream or exchange, time). */
function said(message: WireMessage): string {
  let text = JSON.stringify({ layer: message.layer, dir: message.dir, summary: message.summary, fields: message.fields, tree: shape(message.tree) });
  for (const sid of sids) text = text.split(sid).join('<sid>');
  return text;
}

function requestKey(decoded: ReturnType<typeof decodeConnection>): string {
  const request = decoded.exchanges[0]?.request;
  return `${request?.method} ${request?.target.replace(/&sid=[^&]+/, '')}`;
}

describe('SSE, Engine.IO polling and GraphQL over HTTP decode over h2c exactly as over HTTP/1.1', () => {
  // the capture script made the same requests in the same order over each transport
  const pairs = http1.map((one, index) => [one, requestKey(h2c[index]) === requestKey(one) ? h2c[index] : undefined] as const);

  it('has both transports of each request', () => {
    expect(pairs.map(([one, two]) => [requestKey(one), two?.exchanges[0].transport])).toEqual([
      ['GET /api/v1/events?heartbeat=1', 'h2c'],
      ['GET /socket.io/?EIO=4&transport=polling', 'h2c'],
      ['POST /socket.io/?EIO=4&transport=polling', 'h2c'],
      ['GET /socket.io/?EIO=4&transport=polling', 'h2c'],
      [expect.stringMatching(/^GET \/graphql\?query=/), 'h2c'],
      ['POST /graphql', 'h2c'],
    ]);
  });

  for (const [index, layer] of PAYLOAD_LAYERS.entries()) {
    it(`${layer}: the same messages, fields and decoded trees`, () => {
      let compared = 0;
      for (const [one, two] of pairs) {
        const payload = (decoded: typeof one | undefined) => new Set((decoded?.messages ?? []).filter((message) => message.layer === layer).map(said));
        const overHttp1 = payload(one);
        const overH2c = payload(two);
        expect([...overH2c].sort(), `${requestKey(one)}`).toEqual([...overHttp1].sort());
        compared += overHttp1.size;
      }
      expect(compared, `${layer} messages in the fixtures (${index})`).toBeGreaterThan(0);
    });
  }

  it('the h2c payload messages belong to their stream, and GET /graphql?query=… points at the :path field', () => {
    const get = h2c.find((decoded) => requestKey(decoded).startsWith('GET /graphql'))!;
    const query = get.messages!.find((message) => message.layer === 'graphql-http' && message.dir === 'in')!;
    expect(query.group).toMatch(/^stream \d+$/);
    const path = get.exchanges[0].request.tree.children!.find((child) => child.kind === 'headers')!.children!.find((child) => child.label === ':path')!;
    expect(query.range).toEqual(path.range);
    const sse = h2c.find((decoded) => requestKey(decoded).startsWith('GET /api/v1/events'))!;
    const events = sse.messages!.filter((message) => message.layer === 'sse-event');
    expect(events.map((message) => message.group)).toEqual(events.map(() => 'stream 1'));
    for (const event of events) expect(event.range.end).toBeLessThanOrEqual(sse.streams.out.end);
  });
});
