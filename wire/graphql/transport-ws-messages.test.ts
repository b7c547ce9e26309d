import { describe, expect, it } from 'vitest';
import { readClientMessage, TRANSPORT_WS_CLOSE } from './transport-ws-messages.ts';

describe("graphql-transport-ws: a client's message", () => {
  it('reads the five messages a client may send', () => {
    expect(readClientMessage('{"type":"connection_init"}', false)).toEqual({ type: 'connection_init', payload: undefined });
    expect(readClientMessage('{"type":"ping","payload":{"a":1}}', false)).toEqual({ type: 'ping', payload: { a: 1 } });
    expect(readClientMessage('{"type":"subscribe","id":"1","payload":{"query":"subscription { x }"}}', false)).toEqual({
      type: 'subscribe',
      id: '1',
      payload: { query: 'subscription { x }' },
    });
    expect(readClientMessage('{"type":"complete","id":"1"}', false)).toEqual({ type: 'complete', id: '1' });
  });

  it('refuses with 4400 and the reason what is not one', () => {
    const refusals: Array<[string, boolean, string]> = [
      ['{"type":"ping"}', true, 'Binary frames are not allowed'],
      ['{"type":', false, 'Invalid message received: not JSON'],
      ['null', false, 'Invalid message received'],
      ['{"id":"1"}', false, 'Invalid message received'],
      ['{"type":"connection_init","payload":[1]}', false, 'Invalid message received: payload'],
      ['{"type":"subscribe","id":"","payload":{"query":"{ a }"}}', false, 'Invalid message received: subscribe'],
      ['{"type":"subscribe","id":"1","payload":{}}', false, 'Invalid message received: subscribe'],
      ['{"type":"complete"}', false, 'Invalid message received: complete'],
      ['{"type":"next","id":"1"}', false, 'Unexpected message of type next received'],
    ];
    for (const [text, binary, reason] of refusals) expect(readClientMessage(text, binary), text).toEqual({ close: TRANSPORT_WS_CLOSE.badRequest, reason });
  });
});
