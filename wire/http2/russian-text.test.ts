import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { russianSummaryOf, russianTextOf, wireErrorText, WIRE_ERROR_TEXT } from '../node-text.ts';
import type { WireNode } from '../types.ts';

// Bilingual parity of the HTTP/2, HPACK, gRPC and protobuf trees: every node these decoders make
// has a Russian label, except nodes whose label is data from the wire (a header's name).
const OURS = /^(h2-|hpack-|grpc-|pb-|connect-)/;
const LABEL_IS_DATA = new Set(['hpack-field', 'grpc-status-code']);
const FIXTURES = [
  'h2c-curl-get',
  'h2c-curl-post',
  'h2c-nghttp',
  'h2c-node-control',
  'h2c-push',
  'grpc-unary',
  'grpc-server-streaming',
  'grpc-wirelab',
  'grpc-web',
  'connect-streaming',
];

function* walk(node: WireNode): Generator<WireNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

describe('Russian text of decoded nodes', () => {
  for (const name of FIXTURES) {
    it(`${name}: every node of these layers has a Russian label`, () => {
      const { fixture, chunks } = readFixture(name);
      const decoded = decodeConnection(fixture.connections[0], chunks);
      const roots = [
        ...(decoded.messages ?? []).map((message) => message.tree),
        ...decoded.exchanges.flatMap((exchange) => [exchange.request.tree, ...(exchange.response ? [exchange.response.tree] : [])]),
      ];
      const missing = new Set<string>();
      let checked = 0;
      for (const root of roots) {
        for (const node of walk(root)) {
          if (!OURS.test(node.kind) || LABEL_IS_DATA.has(node.kind)) continue;
          checked += 1;
          const text = russianTextOf(node);
          if (!text?.label) missing.add(`${node.kind}: ${node.label}`);
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect([...missing]).toEqual([]);
      // timeline rows: frames and gRPC messages have a Russian summary (a status summary is data: code and message)
      const withoutSummary = (decoded.messages ?? []).filter((message) => message.layer !== 'grpc-status' && russianSummaryOf(message) === undefined);
      expect(withoutSummary.map((message) => message.summary)).toEqual([]);
    });
  }

  it('reads like Russian where the English is words', () => {
    const { fixture, chunks } = readFixture('h2c-curl-get');
    const decoded = decodeConnection(fixture.connections[0], chunks);
    const headers = decoded.messages!.find((message) => message.fields?.type === 'HEADERS')!;
    const header = headers.tree.children!.find((child) => child.kind === 'h2-frame-header')!;
    expect(russianTextOf(header)).toEqual({ label: 'Заголовок кадра (9 байт)' });
    expect(russianTextOf(headers.tree)?.label).toBe('Кадр HEADERS');
    const length = header.children!.find((child) => child.kind === 'h2-length')!;
    expect(russianTextOf(length)?.value).toMatch(/^\d+ байт(а)? полезной нагрузки$/);
    expect(russianSummaryOf(headers)).toBe('HEADERS · поток 1 · END_STREAM END_HEADERS · GET /api/v1/users/1');
  });

  it('names every decoder error in both languages', () => {
    for (const [code, text] of Object.entries(WIRE_ERROR_TEXT)) {
      expect(text.en, code).not.toBe('');
      expect(text.ru, code).toMatch(/[а-яё]/i);
    }
    expect(wireErrorText('grpc-not-found', 'ru')).toBe('вызов завершился со статусом NOT_FOUND');
    expect(wireErrorText('not-ours', 'en')).toBeUndefined();
  });
});
