import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../inspector/capture-store.ts';
import { decodeConnection } from '../../../wire/decode-connection.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { concatBytes, connectionOf, frameBytes, handshake } from '../../../wire/websocket/build-frames.test-helper.ts';
import { sessionMessages, sessionOfMessage } from './session-messages.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function pollingRequest(method: 'GET' | 'POST', sid: string | null, body = ''): Uint8Array {
  const target = `/socket.io/?EIO=4&transport=polling&t=x${sid ? `&sid=${sid}` : ''}`;
  const head = `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n${body ? `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${utf8(body).length}\r\n` : ''}\r\n`;
  return utf8(head + body);
}

function pollingResponse(body: string): Uint8Array {
  return utf8(`HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: ${utf8(body).length}\r\n\r\n${body}`);
}

/** A connection as the capture store shows it (only what sessionMessages reads). */
function view(id: string, inPieces: Uint8Array[], outPieces: Uint8Array[]): ConnectionView {
  const { connection, chunks } = connectionOf(inPieces, outPieces);
  const decoded = decodeConnection(
    { ...connection, id },
    chunks.map((chunk) => ({ ...chunk, conn: id })),
  );
  return {
    connection: decoded.connection,
    exchanges: decoded.exchanges.map((exchange) => ({ ...exchange, connection: decoded.connection })),
    notes: decoded.notes,
    messages: decoded.messages ?? [],
    streams: decoded.streams,
    bytes: 0,
  };
}

const socketIo = (type: string) => (message: WireMessage) => message.layer === 'socket-io-packet' && message.fields?.type === type;

describe('the packets of one Engine.IO session', () => {
  // Session S1 opens over polling on c1, upgrades on c2; session S2 polls on c1 too (keep-alive).
  const polling = view(
    'c1',
    [pollingRequest('GET', null), pollingRequest('POST', 'S1', '40{"name":"a"}'), pollingRequest('GET', 'S2')],
    [
      pollingResponse('0{"sid":"S1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'),
      pollingResponse('ok'),
      pollingResponse('42["chat:message",{"from":"S2"}]'),
    ],
  );
  const { request, response } = handshake({ path: '/socket.io/?EIO=4&transport=websocket&sid=S1' });
  const upgraded = view(
    'c2',
    [request, concatBytes(frameBytes({ opcode: 1, payload: '2probe', mask: [1, 2, 3, 4] }), frameBytes({ opcode: 1, payload: '5', mask: [5, 6, 7, 8] }))],
    [response, concatBytes(frameBytes({ opcode: 1, payload: '3probe' }), frameBytes({ opcode: 1, payload: '42["chat:message",{"from":"S1"}]' }))],
  );

  it('finds the session of a packet by the sid its request or handshake names, or the open packet itself', () => {
    const open = polling.messages.find((message) => message.layer === 'engine-io-packet' && message.fields?.type === 'open')!;
    expect(sessionOfMessage(polling, open)).toBe('S1');
    const connect = polling.messages.find(socketIo('CONNECT'))!;
    expect(sessionOfMessage(polling, connect)).toBe('S1');
    const otherEvent = polling.messages.find(socketIo('EVENT'))!;
    expect(sessionOfMessage(polling, otherEvent)).toBe('S2');
    const upgradePacket = upgraded.messages.find((message) => message.layer === 'engine-io-packet' && message.fields?.type === 'upgrade')!;
    expect(sessionOfMessage(upgraded, upgradePacket)).toBe('S1');
  });

  it('lists one session’s packets across its connections, and none of another session', () => {
    const events = sessionMessages([polling, upgraded], 'S1', socketIo('EVENT'));
    expect(events.map((message) => [message.conn, message.dir])).toEqual([['c2', 'out']]);
    expect(sessionMessages([polling, upgraded], 'S2', socketIo('EVENT')).map((message) => message.conn)).toEqual(['c1']);
    // (the made-up connections share one clock, so only the set is meaningful here, not the order)
    const engine = sessionMessages([polling, upgraded], 'S1', (message) => message.layer === 'engine-io-packet').map(
      (message) => `${message.conn} ${message.dir} ${message.fields?.type}`,
    );
    expect(engine.sort()).toEqual(['c1 in message', 'c1 out open', 'c2 in ping', 'c2 in upgrade', 'c2 out message', 'c2 out pong']);
  });
});
