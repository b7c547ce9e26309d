import { describe, expect, it } from 'vitest';
import type { HttpExchange, WireMessage } from '../../wire/types.ts';
import { wirelabOwnTraffic } from './wirelab-traffic.ts';

const exchange = (conn: string, path: string) => ({ conn, index: 0, request: { path } }) as HttpExchange;
const message = (conn: string) => ({ conn, index: 0, layer: 'ws-frame' }) as WireMessage;

describe('the traffic lessons 01–14 count: Wirelab’s own', () => {
  it('leaves out the connections Wirelab opened to a student’s server, and the frames a relay carried back', () => {
    const traffic = {
      exchanges: [exchange('c1', '/api/v1/users/1'), exchange('c2', '/api/v1/users/1'), exchange('c3', '/_wirelab/own-server/ws-relay')],
      messages: [message('c1'), message('c2'), message('c3'), message('c4')],
    };
    const own = wirelabOwnTraffic(traffic, (conn) => conn === 'c2');
    expect(own.exchanges.map((kept) => kept.conn)).toEqual(['c1', 'c3']);
    // c3's frames are the student's server's, passed through the relay's WebSocket
    expect(own.messages.map((kept) => kept.conn)).toEqual(['c1', 'c4']);
    expect(own.relayed).toBe(true);
    expect(wirelabOwnTraffic({ exchanges: [traffic.exchanges[0]], messages: [] }, () => false).relayed).toBe(false);
  });
});
